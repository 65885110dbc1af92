package pcap

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Frame building with gopacket serialisation.

var (
	macA = net.HardwareAddr{0x00, 0x1b, 0x1b, 0x00, 0x00, 0x01}
	macB = net.HardwareAddr{0x00, 0x0e, 0x8c, 0x00, 0x00, 0x02}
)

// build serialises layers, fixing lengths and checksums.
func build(t testing.TB, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	var network gopacket.NetworkLayer
	for _, l := range ls {
		if n, ok := l.(gopacket.NetworkLayer); ok {
			network = n
		}
	}
	for _, l := range ls {
		switch l := l.(type) {
		case *layers.TCP:
			l.SetNetworkLayerForChecksum(network)
		case *layers.UDP:
			l.SetNetworkLayerForChecksum(network)
		}
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(buf.Bytes())
}

func eth(et layers.EthernetType) *layers.Ethernet {
	return &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: et}
}

func ip4(src, dst string, proto layers.IPProtocol) *layers.IPv4 {
	return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, Id: 0x1234,
		SrcIP: net.ParseIP(src).To4(), DstIP: net.ParseIP(dst).To4()}
}

func ip6(src, dst string, next layers.IPProtocol) *layers.IPv6 {
	return &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next,
		SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
}

func tcp(sport, dport uint16, syn, ack bool) *layers.TCP {
	return &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), SYN: syn, ACK: ack, Window: 1024, Seq: 1}
}

func udp(sport, dport uint16) *layers.UDP {
	return &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
}

// tcp4Frame is an Ethernet/IPv4/TCP frame with a payload.
func tcp4Frame(t testing.TB, src, dst string, sport, dport uint16, payload []byte) []byte {
	return build(t, eth(layers.EthernetTypeIPv4), ip4(src, dst, layers.IPProtocolTCP), tcp(sport, dport, false, true), gopacket.Payload(payload))
}

// udp4Frame is an Ethernet/IPv4/UDP frame with a payload.
func udp4Frame(t testing.TB, src, dst string, sport, dport uint16, payload []byte) []byte {
	return build(t, eth(layers.EthernetTypeIPv4), ip4(src, dst, layers.IPProtocolUDP), udp(sport, dport), gopacket.Payload(payload))
}

// Capture files.

// byteOrder is binary.LittleEndian or binary.BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// rec is one packet record.
type rec struct {
	ts   time.Time
	data []byte
	wire int // 0: len(data)
}

func (r rec) wireLen() int {
	if r.wire == 0 {
		return len(r.data)
	}
	return r.wire
}

var t0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// pcapgoFile writes records with gopacket's pcap writer (little-endian,
// microseconds or nanoseconds).
func pcapgoFile(t testing.TB, nanos bool, link layers.LinkType, recs ...rec) []byte {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if nanos {
		w = pcapgo.NewWriterNanos(&b)
	}
	if err := w.WriteFileHeader(262144, link); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		ci := gopacket.CaptureInfo{Timestamp: r.ts, CaptureLength: len(r.data), Length: r.wireLen()}
		if err := w.WritePacket(ci, r.data); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// pcapFile writes a classic pcap by hand, for what pcapgo cannot write: big
// endian, odd magic numbers, captured length above the wire length.
func pcapFile(bo byteOrder, magic uint32, link uint32, recs ...rec) []byte {
	b := bo.AppendUint32(nil, magic)
	b = bo.AppendUint16(b, 2)
	b = bo.AppendUint16(b, 4)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 0)
	b = bo.AppendUint32(b, 262144)
	b = bo.AppendUint32(b, link)
	for _, r := range recs {
		frac := uint32(r.ts.Nanosecond())
		if magic != 0xa1b23c4d {
			frac /= 1000
		}
		b = bo.AppendUint32(b, uint32(r.ts.Unix()))
		b = bo.AppendUint32(b, frac)
		b = bo.AppendUint32(b, uint32(len(r.data)))
		b = bo.AppendUint32(b, uint32(r.wireLen()))
		if magic == 0xa1b2cd34 {
			b = append(b, 1, 0, 0, 0, 0, 8, 0, 0) // ifindex, protocol, packet type, pad
		}
		b = append(b, r.data...)
	}
	return b
}

// ng writes pcapng blocks by hand, for what pcapgo cannot write: big
// endian, other timestamp resolutions, simple and obsolete packet blocks,
// several sections.
type ng struct {
	bo  byteOrder
	b   []byte
	res []uint64 // ticks per second of each interface of the section
}

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// block appends a block of the given type and body (padded to 4 bytes).
func (w *ng) block(typ uint32, body []byte) {
	body = pad4(bytes.Clone(body))
	n := uint32(12 + len(body))
	w.b = w.bo.AppendUint32(w.b, typ)
	w.b = w.bo.AppendUint32(w.b, n)
	w.b = append(w.b, body...)
	w.b = w.bo.AppendUint32(w.b, n)
}

func (w *ng) option(b []byte, code uint16, v []byte) []byte {
	b = w.bo.AppendUint16(b, code)
	b = w.bo.AppendUint16(b, uint16(len(v)))
	return pad4(append(b, v...))
}

// section starts a section in byte order bo.
func (w *ng) section(bo byteOrder) {
	w.bo = bo
	w.res = nil
	body := bo.AppendUint32(nil, 0x1a2b3c4d)
	body = bo.AppendUint16(body, 1)
	body = bo.AppendUint16(body, 0)
	body = bo.AppendUint64(body, ^uint64(0))          // section length unknown
	body = w.option(body, 4, []byte("zonewalk test")) // shb_userappl
	body = w.option(body, 0, nil)
	w.block(blockSHB, body)
}

// iface declares an interface; tsresol is the raw if_tsresol byte (0: none,
// which means microseconds), name its if_name.
func (w *ng) iface(link uint16, snap uint32, tsresol byte, tsoffset int64, name string) {
	body := w.bo.AppendUint16(nil, link)
	body = w.bo.AppendUint16(body, 0)
	body = w.bo.AppendUint32(body, snap)
	if name != "" {
		body = w.option(body, 2, []byte(name))
	}
	units := uint64(1e6)
	if tsresol != 0 {
		body = w.option(body, 9, []byte{tsresol})
		if tsresol&0x80 != 0 {
			units = 1 << (tsresol & 0x7f)
		} else {
			units = 1
			for range tsresol {
				units *= 10
			}
		}
	}
	if tsoffset != 0 {
		body = w.option(body, 14, w.bo.AppendUint64(nil, uint64(tsoffset)))
	}
	if len(body) > 8 {
		body = w.option(body, 0, nil)
	}
	w.res = append(w.res, units)
	w.block(blockIDB, body)
}

// ticks is t in the units of interface i, less its tsoffset.
func (w *ng) ticks(i int, t time.Time, tsoffset int64) uint64 {
	u := uint64(1e6) // for a packet on an undeclared interface
	if i < len(w.res) {
		u = w.res[i]
	}
	sec := uint64(t.Unix() - tsoffset)
	return sec*u + uint64(t.Nanosecond())*u/1e9
}

func (w *ng) epb(i int, tsoffset int64, r rec) {
	ts := w.ticks(i, r.ts, tsoffset)
	body := w.bo.AppendUint32(nil, uint32(i))
	body = w.bo.AppendUint32(body, uint32(ts>>32))
	body = w.bo.AppendUint32(body, uint32(ts))
	body = w.bo.AppendUint32(body, uint32(len(r.data)))
	body = w.bo.AppendUint32(body, uint32(r.wireLen()))
	body = append(body, r.data...)
	w.block(blockEPB, body)
}

func (w *ng) opb(i int, r rec) {
	ts := w.ticks(i, r.ts, 0)
	body := w.bo.AppendUint16(nil, uint16(i))
	body = w.bo.AppendUint16(body, 0)
	body = w.bo.AppendUint32(body, uint32(ts>>32))
	body = w.bo.AppendUint32(body, uint32(ts))
	body = w.bo.AppendUint32(body, uint32(len(r.data)))
	body = w.bo.AppendUint32(body, uint32(r.wireLen()))
	body = append(body, r.data...)
	w.block(blockOPB, body)
}

func (w *ng) spb(r rec) {
	body := w.bo.AppendUint32(nil, uint32(r.wireLen()))
	w.block(blockSPB, append(body, r.data...))
}

// Reading.

// got is what the callback saw of one packet, copied out.
type got struct {
	Packet
	VLANs   []uint16
	Payload []byte
}

// readAll reads a capture and copies out every packet.
func readAll(t testing.TB, b []byte) ([]got, Stats) {
	t.Helper()
	var out []got
	st, err := Read(context.Background(), bytes.NewReader(b), func(p *Packet) error {
		g := got{Packet: *p, VLANs: slices.Clone(p.VLANs), Payload: bytes.Clone(p.Payload)}
		g.Packet.VLANs, g.Packet.Payload = nil, nil
		out = append(out, g)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	checkStats(t, st, out)
	return out, st
}

// checkStats checks the Stats of a Read against what was delivered.
func checkStats(t testing.TB, st Stats, out []got) {
	t.Helper()
	var packets, frags, bytes, truncated int64
	for _, g := range out {
		bytes += int64(g.WireLen)
		if g.Continuation {
			frags++
		} else {
			packets++
			if g.Truncated {
				truncated++
			}
		}
	}
	var skipped int64
	for _, n := range st.Skipped {
		skipped += n
	}
	if st.Packets != packets || st.Fragments != frags || st.Bytes != bytes || st.Truncated != truncated ||
		st.Frames != packets+frags+skipped {
		t.Errorf("Stats %+v do not add up: delivered %d packets, %d fragments, %d bytes, %d truncated, skipped %d",
			st, packets, frags, bytes, truncated, skipped)
	}
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }
