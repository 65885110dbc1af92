package pcap

import (
	"fmt"
	"net/netip"
)

// linkKind is how a link type is decoded.
type linkKind uint8

const (
	linkUnknown  linkKind = iota
	linkEthernet          // LINKTYPE_ETHERNET
	linkRaw               // raw IPv4 or IPv6, told apart by the version nibble
	linkIPv4
	linkIPv6
	linkNull // BSD loopback, address family in the capturing host's byte order
	linkLoop // OpenBSD loopback, address family in network byte order
	linkSLL
	linkSLL2
)

// iface is what decoding a frame needs to know of its interface.
type iface struct {
	kind linkKind
	skip string // the Skipped reason for every frame of an undecoded link type

	// pcapng timestamps: ticks per second, and seconds to add
	units  uint64
	offset int64
	snap   uint32 // pcapng snap length, 0 when unlimited
}

// linkTypeNames names the link types one may meet in a plant capture that
// this package does not decode, for the Skipped reasons.
var linkTypeNames = map[int]string{
	6: "IEEE 802.5 Token Ring", 8: "SLIP", 9: "PPP", 10: "FDDI", 50: "PPP in HDLC",
	51: "PPPoE", 100: "ATM RFC 1483", 104: "Cisco HDLC", 105: "IEEE 802.11",
	107: "Frame Relay", 117: "OpenBSD pflog", 119: "IEEE 802.11 Prism",
	127: "IEEE 802.11 radiotap", 163: "IEEE 802.11 AVS", 187: "Bluetooth HCI H4",
	189: "USB Linux", 192: "PPI", 195: "IEEE 802.15.4", 201: "Bluetooth HCI H4 with pseudo-header",
	215: "IEEE 802.15.4 non-ASK PHY", 220: "USB Linux mmapped", 227: "SocketCAN",
	230: "IEEE 802.15.4 no FCS", 239: "Linux netfilter NFLOG", 249: "USBPcap",
	251: "Bluetooth LE link layer", 263: "IEEE 802.15.4 TAP",
}

// newIface returns how frames of a LINKTYPE_ value are decoded.
func newIface(linkType int) iface {
	var k linkKind
	switch linkType {
	case 1:
		k = linkEthernet
	case 101, 12, 14:
		// 12 and 14 are DLT_RAW of some BSDs, written to pcap files as is by
		// old libpcaps; they mean nothing else in a capture file.
		k = linkRaw
	case 228:
		k = linkIPv4
	case 229:
		k = linkIPv6
	case 0:
		k = linkNull
	case 108:
		k = linkLoop
	case 113:
		k = linkSLL
	case 276:
		k = linkSLL2
	}
	i := iface{kind: k, units: 1e6}
	if k == linkUnknown {
		if name, ok := linkTypeNames[linkType]; ok {
			i.skip = fmt.Sprintf("link type %d (%s)", linkType, name)
		} else {
			i.skip = fmt.Sprintf("link type %d", linkType)
		}
	}
	return i
}

// maxVLANs is how many VLAN tags of one frame are kept; deeper ones are
// still skipped over.
const maxVLANs = 8

// decoder decodes frames into its one Packet.
type decoder struct {
	p     Packet
	vlans [maxVLANs]uint16
	frags *fragTable // allocated at the first fragment
}

func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// Skipped reasons set by the decoder.
const (
	reasonTruncated  = "truncated header"
	reasonNotIP      = "raw frame is neither IPv4 nor IPv6"
	reasonUndeclared = "packet on undeclared interface"
	reasonZero       = "zero-length frame"
)

// decode fills d.p from a non-empty frame. It returns the Skipped reason when
// the frame cannot be delivered, "" otherwise.
func (d *decoder) decode(kind linkKind, b []byte) string {
	p := &d.p
	*p = Packet{}
	switch kind {
	case linkEthernet:
		if len(b) < 14 {
			return reasonTruncated
		}
		p.DstMAC = [6]byte(b[0:6])
		p.SrcMAC = [6]byte(b[6:12])
		p.HasMAC = true
		d.ether(be16(b[12:]), b[14:])
	case linkSLL:
		// packet type, ARPHRD type, address length, address (8), protocol
		if len(b) < 16 {
			return reasonTruncated
		}
		if be16(b[4:]) == 6 {
			p.SrcMAC = [6]byte(b[6:12])
			p.HasMAC = true
		}
		d.ether(be16(b[14:]), b[16:])
	case linkSLL2:
		// protocol, reserved, ifindex (4), ARPHRD type, packet type, address length, address (8)
		if len(b) < 20 {
			return reasonTruncated
		}
		if b[11] == 6 {
			p.SrcMAC = [6]byte(b[12:18])
			p.HasMAC = true
		}
		d.ether(be16(b), b[20:])
	case linkRaw:
		switch b[0] >> 4 {
		case 4:
			p.EtherType = 0x0800
			d.ipv4(b)
		case 6:
			p.EtherType = 0x86dd
			d.ipv6(b)
		default:
			return reasonNotIP
		}
	case linkIPv4:
		p.EtherType = 0x0800
		d.ipv4(b)
	case linkIPv6:
		p.EtherType = 0x86dd
		d.ipv6(b)
	case linkNull, linkLoop:
		if len(b) < 4 {
			return reasonTruncated
		}
		af := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		if kind == linkLoop || af > 0xffff {
			af = be32(b)
		}
		switch af {
		case 2: // AF_INET everywhere
			p.EtherType = 0x0800
			d.ipv4(b[4:])
		case 24, 28, 30: // AF_INET6 of NetBSD/OpenBSD, FreeBSD, Darwin
			p.EtherType = 0x86dd
			d.ipv6(b[4:])
		default:
			p.Payload = b[4:]
		}
	}
	return ""
}

// ether decodes what follows an EtherType field: VLAN tags, LLC/SNAP, IP.
func (d *decoder) ether(et uint16, b []byte) {
	p := &d.p
	n := 0
	for et == 0x8100 || et == 0x88a8 || et == 0x9100 || et == 0x9200 {
		if len(b) < 4 {
			p.EtherType = et
			p.Truncated = true
			if n > 0 {
				p.VLANs = d.vlans[:n]
			}
			return
		}
		if n < maxVLANs {
			d.vlans[n] = be16(b) & 0x0fff
			n++
		}
		et = be16(b[2:])
		b = b[4:]
	}
	if n > 0 {
		p.VLANs = d.vlans[:n]
	}
	if et < 0x0600 {
		// An IEEE 802.3 length: LLC follows, and names an EtherType only
		// in a SNAP header with a zero OUI.
		if len(b) >= 8 && b[0] == 0xaa && b[1] == 0xaa && b[2] == 0x03 && b[3]|b[4]|b[5] == 0 {
			et = be16(b[6:])
			b = b[8:]
		} else {
			p.Payload = b
			return
		}
	}
	p.EtherType = et
	switch et {
	case 0x0800:
		d.ipv4(b)
	case 0x86dd:
		d.ipv6(b)
	default:
		p.Payload = b
	}
}

// ipv4 decodes an IPv4 header and what it carries.
func (d *decoder) ipv4(b []byte) {
	p := &d.p
	if len(b) < 20 {
		p.Truncated = true
		return
	}
	ihl := int(b[0]&0x0f) * 4
	if b[0]>>4 != 4 || ihl < 20 {
		p.Payload = b // not IPv4 after all
		return
	}
	p.Src = netip.AddrFrom4([4]byte(b[12:16]))
	p.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	proto := b[9]
	p.Transport = proto
	if len(b) < ihl {
		p.Truncated = true
		return
	}
	// Drop link-layer padding; a total length of 0 (TCP segmentation
	// offload) or below the header length says nothing.
	if total := int(be16(b[2:])); total >= ihl && total < len(b) {
		b = b[:total]
	}
	frag := be16(b[6:])
	offset, more := frag&0x1fff, frag&0x2000 != 0
	if offset != 0 {
		d.continuation(proto, uint32(be16(b[4:])), b[ihl:])
		return
	}
	d.transport(proto, b[ihl:])
	if more {
		d.remember(proto, uint32(be16(b[4:])))
	}
}

// ipv6 decodes an IPv6 header, its extension headers and what they carry.
func (d *decoder) ipv6(b []byte) {
	p := &d.p
	if len(b) < 40 {
		p.Truncated = true
		return
	}
	if b[0]>>4 != 6 {
		p.Payload = b // not IPv6 after all
		return
	}
	p.Src = netip.AddrFrom16([16]byte(b[8:24]))
	p.Dst = netip.AddrFrom16([16]byte(b[24:40]))
	// Drop link-layer padding; 0 is a jumbogram or offload.
	if plen := int(be16(b[4:])); plen != 0 && 40+plen < len(b) {
		b = b[:40+plen]
	}
	next := b[6]
	b = b[40:]
	more, fragID := false, uint32(0)
	for {
		var n int
		switch next {
		case 0, 43, 60, 135, 139, 140: // hop-by-hop, routing, destination, mobility, HIP, shim6
			if len(b) < 2 {
				break
			}
			n = (int(b[1]) + 1) * 8
		case 51: // authentication header: length in 4-octet units
			if len(b) < 2 {
				break
			}
			n = (int(b[1]) + 2) * 4
		case 44: // fragment
			if len(b) < 8 {
				break
			}
			offset := be16(b[2:]) >> 3
			more, fragID = b[3]&1 != 0, be32(b[4:])
			if offset != 0 {
				d.continuation(b[0], fragID, b[8:])
				return
			}
			n = 8
		default:
			d.transport(next, b)
			if more {
				d.remember(next, fragID)
			}
			return
		}
		if n == 0 || len(b) < n {
			p.Transport = next
			p.Truncated = true
			return
		}
		next = b[0]
		b = b[n:]
	}
}

// transport decodes a transport header.
func (d *decoder) transport(proto uint8, b []byte) {
	p := &d.p
	p.Transport = proto
	var hdr int
	switch proto {
	case 6: // TCP
		hdr = 20
		if len(b) >= 14 {
			p.TCPFlags = b[13]
		}
		if len(b) >= 20 {
			if off := int(b[12]>>4) * 4; off > 20 {
				hdr = off
			}
		}
	case 17, 136: // UDP, UDP-Lite
		hdr = 8
	case 132: // SCTP
		hdr = 12
	default:
		p.Payload = b
		return
	}
	if len(b) >= 4 {
		p.SrcPort, p.DstPort = be16(b), be16(b[2:])
	}
	if len(b) < hdr {
		p.Truncated = true
		return
	}
	p.Payload = b[hdr:]
}

// continuation fills in a non-first fragment.
func (d *decoder) continuation(proto uint8, id uint32, b []byte) {
	p := &d.p
	p.Transport = proto
	p.Continuation = true
	p.Payload = b
	if d.frags != nil {
		p.SrcPort, p.DstPort = d.frags.get(fragKeyOf(p.Src, p.Dst, proto, id))
	}
}

// remember keeps the ports of a first fragment for the ones that follow.
func (d *decoder) remember(proto uint8, id uint32) {
	if d.frags == nil {
		d.frags = new(fragTable)
	}
	d.frags.put(fragKeyOf(d.p.Src, d.p.Dst, proto, id), d.p.SrcPort, d.p.DstPort)
}
