// Package pcap streams the packets of a pcap or pcapng capture file, decoded
// just far enough for flow accounting: link-layer addresses, VLAN tags,
// EtherType, IP addresses, transport protocol, ports and TCP flags.
//
// It knows nothing of the audit model. It is written for multi-gigabyte
// captures: the file is read through one large buffer, every header is parsed
// by hand, and one [Packet] is reused for every frame, so [Read] makes no
// allocation per packet and its memory does not grow with the file.
//
// # What is delivered
//
// Every packet record whose link-layer header is complete is delivered to the
// callback, including non-IP frames (ARP, Profinet, LLC). A frame cut by the
// snap length inside its IP or transport header is still delivered, decoded
// as far as the captured bytes go, with [Packet.Truncated] set; it is counted
// in [Stats.Packets] and in [Stats.Truncated]. Frames that cannot be
// attributed to anything are not delivered and are counted in [Stats.Skipped]
// by reason:
//
//   - "zero-length frame": a record with no captured bytes;
//   - "truncated header": the link-layer header itself is cut;
//   - "link type N (name)": a link type this package does not decode;
//   - "raw frame is neither IPv4 nor IPv6": a raw-IP record whose version
//     nibble is neither 4 nor 6;
//   - "packet on undeclared interface": a pcapng packet naming an interface
//     that no Interface Description Block declared.
//
// The second and later fragments of a fragmented IPv4 or IPv6 datagram are
// delivered with [Packet.Continuation] set: their bytes count, they are not
// new packets. Their ports are taken from the first fragment when it was seen
// recently (a fixed-size table keyed by source, destination, protocol and IP
// identification); otherwise they are zero.
//
// # Damage
//
// A capture that ends inside a record (tcpdump killed mid-write, a file cut
// by a copy, a truncated gzip stream) or that stops making sense (a pcapng
// block whose length is not a multiple of four or does not match its trailer,
// a captured length above [MaxCaptureLength]) is not an error: every complete
// packet before the damage is delivered, and [Stats.Damaged] says at which
// byte offset of the (decompressed) capture the first bad record begins and
// how many packet records came before it. Reading stops there. Only a failure
// of the underlying reader itself, a cancelled context or an error from the
// callback makes [Read] return an error.
//
// # Formats
//
// Classic pcap in either byte order with microsecond or nanosecond timestamps
// (and the "modified" Kuznetzov variant), and pcapng with any number of
// sections, interfaces, link types and timestamp resolutions (if_tsresol,
// if_tsoffset), with Enhanced, Simple and obsolete Packet Blocks. Either may
// be gzip-compressed; compression is recognised by its magic bytes, not by
// the file name.
//
// Link types decoded: Ethernet (1), BSD loopback (0 and 108), raw IP (101,
// and 12 and 14 where they mean raw IP), Linux cooked captures SLL (113) and
// SLL2 (276), IPv4 (228) and IPv6 (229). VLAN tags 0x8100, 0x88a8, 0x9100 and
// 0x9200 are followed in any nesting, IPv4 options and IPv6 extension headers
// are skipped to reach TCP, UDP, UDP-Lite and SCTP ports.
package pcap
