package pcap

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"reflect"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// readOne reads a one-frame pcap of a link type.
func readOne(t *testing.T, link uint32, frame []byte) (got, Stats) {
	t.Helper()
	out, st := readAll(t, pcapFile(binary.LittleEndian, 0xa1b2c3d4, link, rec{ts: t0, data: frame}))
	if len(out) > 1 {
		t.Fatalf("%d packets from one frame", len(out))
	}
	if len(out) == 0 {
		return got{}, st
	}
	return out[0], st
}

// flow is the part of a Packet most tests check.
type flow struct {
	HasMAC           bool
	SrcMAC, DstMAC   [6]byte
	VLANs            []uint16
	EtherType        uint16
	Src, Dst         netip.Addr
	Transport        uint8
	SrcPort, DstPort uint16
	Payload          string
	Truncated        bool
}

func flowOf(g got) flow {
	return flow{g.HasMAC, g.SrcMAC, g.DstMAC, g.VLANs, g.EtherType, g.Src, g.Dst, g.Transport, g.SrcPort, g.DstPort, string(g.Payload), g.Truncated}
}

func TestLinkTypes(t *testing.T) {
	ipTCP := build(t, ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP), tcp(1000, 502, false, true), gopacket.Payload("pdu"))
	ip6UDP := build(t, ip6("fd00::1", "fd00::2", layers.IPProtocolUDP), udp(2000, 34964), gopacket.Payload("rt"))
	a := [6]byte(macA)
	v4 := flow{EtherType: 0x0800, Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Transport: 6, SrcPort: 1000, DstPort: 502, Payload: "pdu"}
	v6 := flow{EtherType: 0x86dd, Src: addr("fd00::1"), Dst: addr("fd00::2"), Transport: 17, SrcPort: 2000, DstPort: 34964, Payload: "rt"}
	with := func(f flow, change func(*flow)) flow { change(&f); return f }
	cat := func(b ...[]byte) []byte { return bytes.Join(b, nil) }

	for _, tc := range []struct {
		name  string
		link  uint32
		frame []byte
		want  flow
	}{
		{"Ethernet", 1, build(t, eth(layers.EthernetTypeIPv4), ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP), tcp(1000, 502, false, true), gopacket.Payload("pdu")),
			with(v4, func(f *flow) { f.HasMAC, f.SrcMAC, f.DstMAC = true, a, [6]byte(macB) })},
		{"raw IPv4 (101)", 101, ipTCP, v4},
		{"raw IPv6 (101)", 101, ip6UDP, v6},
		{"raw IPv4 (12)", 12, ipTCP, v4},
		{"raw IPv6 (14)", 14, ip6UDP, v6},
		{"IPv4 (228)", 228, ipTCP, v4},
		{"IPv6 (229)", 229, ip6UDP, v6},
		{"SLL, Ethernet address", 113, cat(unhex(t, "0004 0001 0006 001b1b000001 0000 0800"), ipTCP),
			with(v4, func(f *flow) { f.HasMAC, f.SrcMAC = true, a })},
		{"SLL, no address (loopback)", 113, cat(unhex(t, "0000 0304 0000 0000000000000000 86dd"), ip6UDP), v6},
		{"SLL, VLAN tag kept", 113, cat(unhex(t, "0000 0001 0006 001b1b000001 0000 8100 0005 0800"), ipTCP),
			with(v4, func(f *flow) { f.HasMAC, f.SrcMAC, f.VLANs = true, a, []uint16{5} })},
		{"SLL2, Ethernet address", 276, cat(unhex(t, "86dd 0000 00000002 0001 04 06 001b1b000001 0000"), ip6UDP),
			with(v6, func(f *flow) { f.HasMAC, f.SrcMAC = true, a })},
		{"SLL2, 8-byte address", 276, cat(unhex(t, "0800 0000 00000002 0020 00 08 0102030405060708"), ipTCP), v4},
		{"BSD loopback, little-endian AF_INET", 0, cat(unhex(t, "02000000"), ipTCP), v4},
		{"BSD loopback, big-endian AF_INET", 0, cat(unhex(t, "00000002"), ipTCP), v4},
		{"BSD loopback, Darwin AF_INET6", 0, cat(unhex(t, "1e000000"), ip6UDP), v6},
		{"BSD loopback, FreeBSD AF_INET6", 0, cat(unhex(t, "1c000000"), ip6UDP), v6},
		{"OpenBSD loopback, AF_INET6", 108, cat(unhex(t, "00000018"), ip6UDP), v6},
		{"BSD loopback, other family", 0, unhex(t, "07000000 abcd"), flow{Payload: "\xab\xcd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, st := readOne(t, tc.link, tc.frame)
			if st.Packets != 1 {
				t.Fatalf("not delivered: %+v", st)
			}
			if got := flowOf(g); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}

	for _, tc := range []struct {
		name   string
		link   uint32
		frame  []byte
		reason string
	}{
		{"802.11", 105, []byte{0x80, 0, 0, 0}, "link type 105 (IEEE 802.11)"},
		{"radiotap", 127, []byte{0, 0, 8, 0}, "link type 127 (IEEE 802.11 radiotap)"},
		{"user 0", 147, []byte{1}, "link type 147"},
		{"raw IP version 5", 101, bytes.Repeat([]byte{0x50}, 20), "raw frame is neither IPv4 nor IPv6"},
		{"Ethernet of 13 bytes", 1, make([]byte, 13), "truncated header"},
		{"SLL of 15 bytes", 113, make([]byte, 15), "truncated header"},
		{"SLL2 of 19 bytes", 276, make([]byte, 19), "truncated header"},
		{"loopback of 3 bytes", 0, []byte{2, 0, 0}, "truncated header"},
		{"empty", 1, nil, "zero-length frame"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, st := readOne(t, tc.link, tc.frame)
			if want := map[string]int64{tc.reason: 1}; st.Packets != 0 || st.Frames != 1 || !reflect.DeepEqual(st.Skipped, want) {
				t.Errorf("Stats %+v, want Skipped %v", st, want)
			}
		})
	}
}

func TestEthernetTags(t *testing.T) {
	udpIP := func() []gopacket.SerializableLayer {
		return []gopacket.SerializableLayer{ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(1, 2), gopacket.Payload("x")}
	}
	tag := func(id uint16, prio uint8, next layers.EthernetType) *layers.Dot1Q {
		return &layers.Dot1Q{VLANIdentifier: id, Priority: prio, DropEligible: prio > 3, Type: next}
	}
	stp := unhex(t, "0180c2000000 001b1b000001 0026 424203 0000 00 00 8000001b1b000001 00000000 8000001b1b000001 8001 0000 1400 0200 0f00")

	for _, tc := range []struct {
		name  string
		frame []byte
		vlans []uint16
		et    uint16
		ip    bool
	}{
		{"802.1Q", build(t, append([]gopacket.SerializableLayer{eth(layers.EthernetTypeDot1Q), tag(10, 5, layers.EthernetTypeIPv4)}, udpIP()...)...), []uint16{10}, 0x0800, true},
		{"QinQ 88a8 then 8100", build(t, append([]gopacket.SerializableLayer{eth(layers.EthernetTypeQinQ), tag(4094, 7, layers.EthernetTypeDot1Q), tag(1, 0, layers.EthernetTypeIPv4)}, udpIP()...)...), []uint16{4094, 1}, 0x0800, true},
		{"9100", build(t, append([]gopacket.SerializableLayer{eth(0x9100), tag(300, 0, layers.EthernetTypeDot1Q), tag(301, 0, layers.EthernetTypeIPv4)}, udpIP()...)...), []uint16{300, 301}, 0x0800, true},
		{"VLAN 0 priority tag, Profinet", build(t, eth(layers.EthernetTypeDot1Q), tag(0, 6, 0x8892), gopacket.Payload("\xfe\xfe")), []uint16{0}, 0x8892, false},
		{"nine tags, eight kept", build(t, eth(layers.EthernetTypeDot1Q), tag(1, 0, 0x8100), tag(2, 0, 0x8100), tag(3, 0, 0x8100), tag(4, 0, 0x8100),
			tag(5, 0, 0x8100), tag(6, 0, 0x8100), tag(7, 0, 0x8100), tag(8, 0, 0x8100), tag(9, 0, 0x0800), ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(1, 2), gopacket.Payload("x")),
			[]uint16{1, 2, 3, 4, 5, 6, 7, 8}, 0x0800, true},
		{"LLC/SNAP with an EtherType", unhex(t, "000e8c000002 001b1b000001 0024 aaaa03 000000 0800 45000024 00000000 40110000 0a000001 0a000002 0001 0002 0010 0000 78787878 78787878"), nil, 0x0800, true},
		{"STP, an IEEE 802.3 length", stp, nil, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, st := readOne(t, 1, tc.frame)
			if st.Packets != 1 {
				t.Fatalf("not delivered: %+v", st)
			}
			if !reflect.DeepEqual(g.VLANs, tc.vlans) || g.EtherType != tc.et || g.Src.IsValid() != tc.ip {
				t.Errorf("VLANs %v EtherType %#x IP %v, want %v %#x %v", g.VLANs, g.EtherType, g.Src, tc.vlans, tc.et, tc.ip)
			}
			if tc.ip && (g.SrcPort != 1 || g.DstPort != 2 || g.Payload[0] != 'x') {
				t.Errorf("ports %d %d payload %q", g.SrcPort, g.DstPort, g.Payload)
			}
		})
	}
	g, _ := readOne(t, 1, stp)
	if !bytes.Equal(g.Payload, stp[14:]) {
		t.Errorf("STP payload %x, want the LLC frame %x", g.Payload, stp[14:])
	}
}

func TestIPv4Options(t *testing.T) {
	ip := ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolTCP)
	ip.Options = []layers.IPv4Option{{OptionType: 0x94, OptionLength: 4, OptionData: []byte{0, 0}}, {OptionType: 1}, {OptionType: 0}} // router alert, NOP, end
	tc := tcp(20000, 44818, false, true)
	tc.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}}, {OptionType: layers.TCPOptionKindNop}, {OptionType: layers.TCPOptionKindNop},
		{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: make([]byte, 8)}}
	tc.PSH = true
	frame := build(t, eth(layers.EthernetTypeIPv4), ip, tc, gopacket.Payload("list identity"))
	if frame[14]&0x0f <= 5 || frame[14+int(frame[14]&0x0f)*4+12]>>4 <= 5 {
		t.Fatalf("gopacket wrote no options: %x", frame)
	}
	g, _ := readOne(t, 1, frame)
	if g.SrcPort != 20000 || g.DstPort != 44818 || g.TCPFlags != 0x18 || string(g.Payload) != "list identity" {
		t.Errorf("ports %d %d flags %#x payload %q", g.SrcPort, g.DstPort, g.TCPFlags, g.Payload)
	}
}

// ipv6Chain is an Ethernet/IPv6 frame with hand-written extension headers.
func ipv6Chain(t *testing.T, first uint8, ext []byte, transport []byte) []byte {
	hdr := unhex(t, "000e8c000002 001b1b000001 86dd 60000000 0000 00 40 fd000000000000000000000000000001 fd000000000000000000000000000002")
	hdr[20] = first
	binary.BigEndian.PutUint16(hdr[18:], uint16(len(ext)+len(transport)))
	return bytes.Join([][]byte{hdr, ext, transport}, nil)
}

func TestIPv6ExtensionHeaders(t *testing.T) {
	tcpHdr := unhex(t, "01f6 c350 00000001 00000000 5018 2000 0000 0000 6d6f6462757321") // 502 -> 50000 PSH ACK "modbus!"
	udpHdr := unhex(t, "4e20 4e21 000c 0000 61626364")                                   // 20000 -> 20001 "abcd"
	for _, tc := range []struct {
		name       string
		first      uint8
		ext, trans []byte
		proto      uint8
		ports      [2]uint16
		payload    string
	}{
		{"hop-by-hop, routing, destination, atomic fragment", 0, unhex(t, `
			2b 00 010400000000                        // hop-by-hop: next routing, PadN
			3c 02 00 00 00000000 00000000000000000000000000000000 // routing type 0, 24 bytes: next destination
			2c 00 0104 00000000                        // destination options: next fragment
			06 00 0000 01020304                        // fragment: offset 0, M=0, next TCP`),
			tcpHdr, 6, [2]uint16{502, 50000}, "modbus!"},
		{"authentication header", 51, unhex(t, "11 04 0000 00000100 00000001 0000000000000000 00000000"), udpHdr, 17, [2]uint16{20000, 20001}, "abcd"},
		{"mobility, then nothing", 135, unhex(t, "3b 00 0100 00000000"), nil, 59, [2]uint16{}, ""},
		{"ESP", 50, nil, unhex(t, "00000100 00000001 deadbeef"), 50, [2]uint16{}, "\x00\x00\x01\x00\x00\x00\x00\x01\xde\xad\xbe\xef"},
		{"ICMPv6 echo", 58, nil, unhex(t, "8000 0000 0001 0001"), 58, [2]uint16{}, "\x80\x00\x00\x00\x00\x01\x00\x01"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _ := readOne(t, 1, ipv6Chain(t, tc.first, tc.ext, tc.trans))
			if g.Transport != tc.proto || [2]uint16{g.SrcPort, g.DstPort} != tc.ports || string(g.Payload) != tc.payload || g.Truncated || g.Continuation {
				t.Errorf("proto %d ports %d %d payload %q truncated %v continuation %v", g.Transport, g.SrcPort, g.DstPort, g.Payload, g.Truncated, g.Continuation)
			}
			if g.Src != addr("fd00::1") || g.Dst != addr("fd00::2") {
				t.Errorf("addresses %v %v", g.Src, g.Dst)
			}
		})
	}
	// An extension header longer than the frame: truncated where it stops.
	g, _ := readOne(t, 1, ipv6Chain(t, 0, unhex(t, "06 0a 0000 00000000"), nil))
	if !g.Truncated || g.Transport != 0 || g.SrcPort != 0 || g.Src != addr("fd00::1") {
		t.Errorf("cut hop-by-hop: %+v", g)
	}
}

// fragment4 is an IPv4 fragment of a datagram, as an Ethernet frame.
func fragment4(t *testing.T, src, dst string, id uint16, proto layers.IPProtocol, offset int, more bool, data []byte) []byte {
	ip := ip4(src, dst, proto)
	ip.Id = id
	ip.FragOffset = uint16(offset / 8)
	if more {
		ip.Flags = layers.IPv4MoreFragments
	}
	return build(t, eth(layers.EthernetTypeIPv4), ip, gopacket.Payload(data))
}

func TestIPv4Fragments(t *testing.T) {
	// A UDP datagram of 3000 bytes of payload, in fragments of 1480.
	dgram := build(t, ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(5000, 6000), gopacket.Payload(bytes.Repeat([]byte("0123456789"), 300)))[20:]
	other := build(t, ip4("10.0.0.3", "10.0.0.2", layers.IPProtocolUDP), udp(7000, 8000), gopacket.Payload(bytes.Repeat([]byte("z"), 2000)))[20:]
	frames := [][]byte{
		fragment4(t, "10.0.0.1", "10.0.0.2", 77, layers.IPProtocolUDP, 0, true, dgram[:1480]),
		// The same ID from another host: a different datagram, never seen whole.
		fragment4(t, "10.0.0.3", "10.0.0.2", 77, layers.IPProtocolUDP, 1480, false, other[1480:]),
		fragment4(t, "10.0.0.1", "10.0.0.2", 77, layers.IPProtocolUDP, 1480, true, dgram[1480:2960]),
		fragment4(t, "10.0.0.1", "10.0.0.2", 77, layers.IPProtocolUDP, 2960, false, dgram[2960:]),
		// Overlapping and absurd offsets: still continuations of datagram 77.
		fragment4(t, "10.0.0.1", "10.0.0.2", 77, layers.IPProtocolUDP, 8, true, dgram[8:100]),
		fragment4(t, "10.0.0.1", "10.0.0.2", 77, layers.IPProtocolUDP, 0x1fff*8, false, []byte("late")),
		// A fragment too short to hold the UDP header it should start with.
		fragment4(t, "10.0.0.9", "10.0.0.2", 78, layers.IPProtocolUDP, 0, true, []byte{0x13}),
		fragment4(t, "10.0.0.9", "10.0.0.2", 78, layers.IPProtocolUDP, 8, false, []byte("tail")),
	}
	var recs []rec
	for i, f := range frames {
		recs = append(recs, rec{ts: t0.Add(time.Duration(i) * time.Millisecond), data: f})
	}
	out, st := readAll(t, pcapgoFile(t, false, layers.LinkTypeEthernet, recs...))
	type frag struct {
		Src          string
		Continuation bool
		Ports        [2]uint16
		PayloadLen   int
		Truncated    bool
	}
	want := []frag{
		{"10.0.0.1", false, [2]uint16{5000, 6000}, 1472, false},
		{"10.0.0.3", true, [2]uint16{}, 528, false},
		{"10.0.0.1", true, [2]uint16{5000, 6000}, 1480, false},
		{"10.0.0.1", true, [2]uint16{5000, 6000}, 48, false},
		{"10.0.0.1", true, [2]uint16{5000, 6000}, 92, false},
		{"10.0.0.1", true, [2]uint16{5000, 6000}, 4, false},
		{"10.0.0.9", false, [2]uint16{}, 0, true},
		{"10.0.0.9", true, [2]uint16{}, 4, false},
	}
	var gotFrags []frag
	for _, g := range out {
		if g.Transport != 17 {
			t.Errorf("transport %d", g.Transport)
		}
		gotFrags = append(gotFrags, frag{g.Src.String(), g.Continuation, [2]uint16{g.SrcPort, g.DstPort}, len(g.Payload), g.Truncated})
	}
	if !reflect.DeepEqual(gotFrags, want) {
		t.Errorf("\n got %+v\nwant %+v", gotFrags, want)
	}
	var wire int64
	for _, f := range frames {
		wire += int64(max(len(f), 60))
	}
	if st.Packets != 2 || st.Fragments != 6 || st.Bytes != wire {
		t.Errorf("Packets %d Fragments %d Bytes %d, want 2 6 %d", st.Packets, st.Fragments, st.Bytes, wire)
	}
}

func TestIPv6Fragments(t *testing.T) {
	data := bytes.Repeat([]byte("abcdefgh"), 300)
	udpHdr := binary.BigEndian.AppendUint16(nil, 2404)
	udpHdr = binary.BigEndian.AppendUint16(udpHdr, 2405)
	udpHdr = binary.BigEndian.AppendUint16(udpHdr, uint16(8+len(data)))
	udpHdr = append(udpHdr, 0, 0)
	whole := append(udpHdr, data...)
	fragHdr := func(offset int, more bool) []byte {
		v := uint16(offset/8) << 3
		if more {
			v |= 1
		}
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint16([]byte{17, 0}, v), 0xdeadbeef)
	}
	// hop-by-hop before the fragment header, as a router-alert would have it
	hbh := unhex(t, "2c 00 050200000100")
	f1 := ipv6Chain(t, 0, append(hbh, fragHdr(0, true)...), whole[:1448])
	f2 := ipv6Chain(t, 44, fragHdr(1448, false), whole[1448:])
	out, st := readAll(t, pcapgoFile(t, true, layers.LinkTypeEthernet, rec{ts: t0, data: f1}, rec{ts: t0, data: f2}))
	if len(out) != 2 {
		t.Fatalf("%d packets", len(out))
	}
	if out[0].Continuation || out[0].SrcPort != 2404 || out[0].DstPort != 2405 || len(out[0].Payload) != 1440 {
		t.Errorf("first fragment %+v", flowOf(out[0]))
	}
	if !out[1].Continuation || out[1].Transport != 17 || out[1].SrcPort != 2404 || out[1].DstPort != 2405 || len(out[1].Payload) != len(whole)-1448 {
		t.Errorf("second fragment %+v", flowOf(out[1]))
	}
	if st.Packets != 1 || st.Fragments != 1 {
		t.Errorf("Stats %+v", st)
	}
}

func TestSizes(t *testing.T) {
	jumbo := tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, bytes.Repeat([]byte{7}, 9000-54))
	local := func(n int) []byte { // an IEEE local experimental EtherType frame of n bytes
		f := append(unhex(t, "000e8c000002 001b1b000001 88b5"), make([]byte, n-14)...)
		return f
	}
	v4cut := tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, nil)[:14+12]
	v6TCP := build(t, eth(layers.EthernetTypeIPv6), ip6("fd00::1", "fd00::2", layers.IPProtocolTCP), tcp(102, 49152, true, true))
	tso := tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, bytes.Repeat([]byte{1}, 3000))
	tso[16], tso[17] = 0, 0 // total length 0, as TCP segmentation offload captures have it
	padded := tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, []byte("ab"))

	recs := []rec{
		{ts: t0, data: jumbo},
		{ts: t0, data: local(262144)},
		{ts: t0, data: local(MaxCaptureLength)},
		{ts: t0, data: padded[:58], wire: 54}, // captured more than the wire length claims: 4 bytes of padding kept
		{ts: t0, data: v4cut, wire: 60},
		{ts: t0, data: v6TCP[:14+40+4], wire: len(v6TCP)},
		{ts: t0, data: v6TCP[:14+40+16], wire: len(v6TCP)},
		{ts: t0, data: tso},
		{ts: t0, data: nil, wire: 60},
		{ts: t0, data: make([]byte, 5), wire: 60},
	}
	out, st := readAll(t, pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1, recs...))
	if len(out) != 8 {
		t.Fatalf("%d packets delivered, want 8", len(out))
	}
	check := func(i int, ok bool) {
		t.Helper()
		if !ok {
			t.Errorf("packet %d: %+v wire %d payload %d bytes", i, flowOf(out[i]), out[i].WireLen, len(out[i].Payload))
		}
	}
	check(0, out[0].WireLen == 9000 && len(out[0].Payload) == 9000-54 && out[0].DstPort == 2)
	check(1, out[1].WireLen == 262144 && len(out[1].Payload) == 262144-14 && out[1].EtherType == 0x88b5)
	check(2, out[2].WireLen == MaxCaptureLength && len(out[2].Payload) == MaxCaptureLength-14)
	check(3, out[3].WireLen == 58 && string(out[3].Payload) == "ab")
	check(4, out[4].WireLen == 60 && out[4].Truncated && out[4].EtherType == 0x0800 && !out[4].Src.IsValid() && out[4].Payload == nil)
	check(5, out[5].Truncated && out[5].Transport == 6 && out[5].SrcPort == 102 && out[5].DstPort == 49152 && out[5].TCPFlags == 0)
	check(6, out[6].Truncated && out[6].SrcPort == 102 && out[6].TCPFlags == 0x12)
	check(7, !out[7].Truncated && len(out[7].Payload) == 3000)
	wantSkipped := map[string]int64{"zero-length frame": 1, "truncated header": 1}
	if st.Packets != 8 || st.Truncated != 3 || st.Frames != 10 || !reflect.DeepEqual(st.Skipped, wantSkipped) || st.Damaged != nil {
		t.Errorf("Stats %+v", st)
	}

	// A captured length above MaxCaptureLength is damage at its record.
	file := pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1, rec{ts: t0, data: jumbo}, rec{ts: t0, data: local(MaxCaptureLength + 1)}, rec{ts: t0, data: jumbo})
	out, st = readAll(t, file)
	if len(out) != 1 || st.Damaged == nil || st.Damaged.Offset != int64(24+16+len(jumbo)) || st.Damaged.Packets != 1 {
		t.Errorf("absurd captured length: %d packets, Damaged %+v", len(out), st.Damaged)
	}
}
