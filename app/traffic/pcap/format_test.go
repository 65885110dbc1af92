package pcap

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// threeRecords are the records of the format tests: timestamps with every
// digit of nanoseconds used, so that resolutions show.
func threeRecords(t *testing.T) []rec {
	return []rec{
		{ts: t0.Add(123456789), data: tcp4Frame(t, "10.0.0.1", "10.0.0.2", 40001, 502, []byte("read coils"))},
		{ts: t0.Add(2*time.Second + 987654321), data: udp4Frame(t, "10.0.0.2", "10.0.0.255", 47808, 47808, []byte("who-is")), wire: 1000},
		{ts: t0.Add(3 * time.Second), data: tcp4Frame(t, "10.0.0.2", "10.0.0.1", 502, 40001, nil)},
	}
}

// checkThree checks what was read of threeRecords at a resolution.
func checkThree(t *testing.T, out []got, resolution time.Duration) {
	t.Helper()
	if len(out) != 3 {
		t.Fatalf("got %d packets, want 3", len(out))
	}
	wantTimes := []time.Time{t0.Add(123456789).Truncate(resolution), t0.Add(2*time.Second + 987654321).Truncate(resolution), t0.Add(3 * time.Second)}
	wantPorts := [][2]uint16{{40001, 502}, {47808, 47808}, {502, 40001}}
	wantPayload := []string{"read coils", "who-is", ""}
	wantWire := []int{64, 1000, 60}
	for i, g := range out {
		if !g.Time.Equal(wantTimes[i]) {
			t.Errorf("packet %d: time %v, want %v", i, g.Time, wantTimes[i])
		}
		if [2]uint16{g.SrcPort, g.DstPort} != wantPorts[i] || string(g.Payload) != wantPayload[i] || g.WireLen != wantWire[i] {
			t.Errorf("packet %d: ports %d %d payload %q wire %d, want %v %q %d", i, g.SrcPort, g.DstPort, g.Payload, g.WireLen, wantPorts[i], wantPayload[i], wantWire[i])
		}
	}
}

func TestPcapVariants(t *testing.T) {
	recs := threeRecords(t)
	for _, tc := range []struct {
		name string
		file []byte
		res  time.Duration
	}{
		{"pcapgo microseconds", pcapgoFile(t, false, layers.LinkTypeEthernet, recs...), time.Microsecond},
		{"pcapgo nanoseconds", pcapgoFile(t, true, layers.LinkTypeEthernet, recs...), time.Nanosecond},
		{"little-endian microseconds", pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1, recs...), time.Microsecond},
		{"big-endian microseconds", pcapFile(binary.BigEndian, 0xa1b2c3d4, 1, recs...), time.Microsecond},
		{"big-endian nanoseconds", pcapFile(binary.BigEndian, 0xa1b23c4d, 1, recs...), time.Nanosecond},
		{"little-endian modified", pcapFile(binary.LittleEndian, 0xa1b2cd34, 1, recs...), time.Microsecond},
		{"big-endian modified", pcapFile(binary.BigEndian, 0xa1b2cd34, 1, recs...), time.Microsecond},
		// Link type 1 with FCS information in the upper bits.
		{"FCS bits in the link type", pcapFile(binary.LittleEndian, 0xa1b2c3d4, 1|0x1<<28|0x0<<26, recs...), time.Microsecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, st := readAll(t, tc.file)
			checkThree(t, out, tc.res)
			if st.Format != "pcap" || st.Gzip || st.Damaged != nil || st.Packets != 3 || st.Bytes != 64+1000+60 {
				t.Errorf("Stats %+v", st)
			}
			if len(st.Interfaces) != 1 || st.Interfaces[0].LinkType != 1 || st.Interfaces[0].SnapLen != 262144 {
				t.Errorf("Interfaces %+v", st.Interfaces)
			}
		})
	}
}

// TestPcapngSections reads a hand-built pcapng of two sections in both byte
// orders, with interfaces of several link types and timestamp resolutions,
// and every kind of packet block.
func TestPcapngSections(t *testing.T) {
	tcpEth := tcp4Frame(t, "192.168.0.1", "192.168.0.2", 1111, 102, []byte("s7"))
	rawUDP := build(t, ip4("172.16.0.1", "172.16.0.2", layers.IPProtocolUDP), udp(2222, 161), gopacket.Payload("snmp"))
	rawUDP6 := build(t, ip6("fd00::1", "fd00::2", layers.IPProtocolUDP), udp(2223, 162), gopacket.Payload("trap"))
	sll2TCP6 := append(unhex(t, "86dd 0000 00000003 0001 04 06 001b1b000001 0000"),
		build(t, ip6("fd00::a", "fd00::b", layers.IPProtocolTCP), tcp(3333, 4840, true, false))...)
	sllTCP := append(unhex(t, "0000 0001 0006 000e8c000002 0000 0800"),
		build(t, ip4("10.9.9.9", "10.9.9.8", layers.IPProtocolTCP), tcp(4444, 20000, false, true), gopacket.Payload("dnp3"))...)
	ipv4UDP := build(t, ip4("10.7.7.7", "10.7.7.8", layers.IPProtocolUDP), udp(5555, 2222), gopacket.Payload("enip"))
	arp := build(t, eth(layers.EthernetTypeARP), &layers.ARP{AddrType: 1, Protocol: 0x0800, HwAddressSize: 6, ProtAddressSize: 4, Operation: 1,
		SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}})

	var w ng
	w.section(binary.LittleEndian)
	w.iface(1, 0, 0, 0, "eth0")             // 0: microseconds by default
	w.iface(101, 65535, 9, 0, "tun0")       // 1: nanoseconds
	w.iface(276, 262144, 0x94, 3600, "any") // 2: 2^-20 s, an hour of offset
	w.iface(105, 0, 0, 0, "wlan0")          // 3: 802.11, not decoded
	w.epb(0, 0, rec{ts: t0.Add(1234567), data: tcpEth})
	w.epb(1, 0, rec{ts: t0.Add(time.Second + 1), data: rawUDP})
	w.block(4, unhex(t, "0001 0008 0a000001 7a00 0000 0000 0000")) // name resolution: skipped
	w.epb(2, 3600, rec{ts: t0.Add(2*time.Second + 500*time.Millisecond), data: sll2TCP6})
	w.epb(3, 0, rec{ts: t0.Add(3 * time.Second), data: []byte{0x08, 0x02, 0, 0}}) // skipped
	w.spb(rec{data: arp})
	w.opb(1, rec{ts: t0.Add(4 * time.Second), data: rawUDP6})
	w.block(0x00000bad, unhex(t, "00007ed9 0102 0304"))         // custom block: skipped
	w.epb(7, 0, rec{ts: t0.Add(5 * time.Second), data: tcpEth}) // no interface 7: skipped
	w.section(binary.BigEndian)
	w.iface(113, 0, 3, 0, "")    // 0: milliseconds
	w.iface(228, 1500, 6, 0, "") // 1: microseconds, said explicitly
	w.epb(0, 0, rec{ts: t0.Add(6*time.Second + 7*time.Millisecond), data: sllTCP})
	w.epb(1, 0, rec{ts: t0.Add(7*time.Second + 8*time.Microsecond), data: ipv4UDP})

	out, st := readAll(t, w.b)
	type brief struct {
		Section, Interface int
		Time               time.Time
		HasMAC             bool
		SrcMAC             [6]byte
		EtherType          uint16
		Src                string
		SrcPort, DstPort   uint16
		Payload            string
	}
	var briefs []brief
	for _, g := range out {
		briefs = append(briefs, brief{g.Section, g.Interface, g.Time, g.HasMAC, g.SrcMAC, g.EtherType, g.Src.String(), g.SrcPort, g.DstPort, string(g.Payload)})
	}
	a, b := [6]byte(macA), [6]byte(macB)
	want := []brief{
		{0, 0, t0.Add(1234 * time.Microsecond), true, a, 0x0800, "192.168.0.1", 1111, 102, "s7"},
		{0, 1, t0.Add(time.Second + 1), false, [6]byte{}, 0x0800, "172.16.0.1", 2222, 161, "snmp"},
		{0, 2, t0.Add(2*time.Second + 500*time.Millisecond), true, a, 0x86dd, "fd00::a", 3333, 4840, ""},
		{0, 0, time.Time{}, true, a, 0x0806, "invalid IP", 0, 0, string(arp[14:])},
		{0, 1, t0.Add(4 * time.Second), false, [6]byte{}, 0x86dd, "fd00::1", 2223, 162, "trap"},
		{1, 0, t0.Add(6*time.Second + 7*time.Millisecond), true, b, 0x0800, "10.9.9.9", 4444, 20000, "dnp3"},
		{1, 1, t0.Add(7*time.Second + 8*time.Microsecond), false, [6]byte{}, 0x0800, "10.7.7.7", 5555, 2222, "enip"},
	}
	if !reflect.DeepEqual(briefs, want) {
		t.Errorf("packets:\n got %+v\nwant %+v", briefs, want)
	}
	wantSkipped := map[string]int64{"link type 105 (IEEE 802.11)": 1, "packet on undeclared interface": 1}
	if st.Format != "pcapng" || st.Damaged != nil || st.Packets != 7 || st.Frames != 9 || !reflect.DeepEqual(st.Skipped, wantSkipped) {
		t.Errorf("Stats %+v", st)
	}
	if !st.First.Equal(want[0].Time) || !st.Last.Equal(want[6].Time) {
		t.Errorf("First %v Last %v", st.First, st.Last)
	}
	wantIfaces := []Interface{
		{0, 0, 1, 0, "eth0", ""}, {0, 1, 101, 65535, "tun0", ""}, {0, 2, 276, 262144, "any", ""}, {0, 3, 105, 0, "wlan0", ""},
		{1, 0, 113, 0, "", ""}, {1, 1, 228, 1500, "", ""},
	}
	if !reflect.DeepEqual(st.Interfaces, wantIfaces) {
		t.Errorf("Interfaces\n got %+v\nwant %+v", st.Interfaces, wantIfaces)
	}
}

// TestPcapngGopacket reads what gopacket's pcapng writer wrote: a second
// check of the hand-built blocks.
func TestPcapngGopacket(t *testing.T) {
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{Name: "eth1", Description: "plant LAN", LinkType: layers.LinkTypeEthernet, SnapLength: 262144, TimestampResolution: 9},
		pcapgo.NgWriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := w.AddInterface(pcapgo.NgInterface{Name: "ipsec0", LinkType: layers.LinkTypeRaw, TimestampResolution: 9, TimestampOffset: 10})
	if err != nil {
		t.Fatal(err)
	}
	frames := [][]byte{
		tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, []byte("a")),
		build(t, ip4("10.0.0.3", "10.0.0.4", layers.IPProtocolUDP), udp(3, 4), gopacket.Payload("b")),
	}
	for i, f := range frames {
		ci := gopacket.CaptureInfo{Timestamp: t0.Add(time.Duration(i) * time.Nanosecond), CaptureLength: len(f), Length: len(f), InterfaceIndex: i}
		if err := w.WritePacketWithOptions(ci, f, pcapgo.NgPacketOptions{Comments: []string{"hello"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out, st := readAll(t, buf.Bytes())
	if len(out) != 2 {
		t.Fatalf("got %d packets", len(out))
	}
	// gopacket writes the timestamp without taking off the offset: it reads
	// 10 s late.
	if !out[0].Time.Equal(t0) || out[0].Interface != 0 || out[0].SrcPort != 1 || string(out[0].Payload) != "a" {
		t.Errorf("packet 0: %+v", out[0])
	}
	if !out[1].Time.Equal(t0.Add(10*time.Second+1)) || out[1].Interface != raw || out[1].SrcPort != 3 || string(out[1].Payload) != "b" || out[1].HasMAC {
		t.Errorf("packet 1: %+v", out[1])
	}
	want := []Interface{{0, 0, 1, 262144, "eth1", "plant LAN"}, {0, 1, 101, 0, "ipsec0", ""}}
	if !reflect.DeepEqual(st.Interfaces, want) {
		t.Errorf("Interfaces %+v", st.Interfaces)
	}
}

// TestPcapngTimestampResolutions converts timestamps of every kind of
// if_tsresol, checked against time arithmetic.
func TestPcapngTimestampResolutions(t *testing.T) {
	for _, tc := range []struct {
		tsresol byte
		ticks   uint64
		want    time.Time
	}{
		{0, 1709294400_000001, t0.Add(time.Microsecond)},
		{3, 1709294400_123, t0.Add(123 * time.Millisecond)},
		{9, 1709294400_123456789, t0.Add(123456789)},
		{12, 1709294400_123456789, time.Unix(1709294, 400123456).UTC()}, // picoseconds
		{0x80, 1709294400, t0},                                          // 2^0: seconds
		{0x81, 2*1709294400 + 1, t0.Add(time.Second / 2)},
		{0x9e, 1709294400<<30 | 1<<29, t0.Add(time.Second / 2)},
		{0x80 | 63, 1 << 62, time.Unix(0, 500000000).UTC()},
		{19, 1 << 63, time.Unix(0, 922337203).UTC()},      // 10^-19: 9.22 ... e18 ticks is 0.922 s
		{20, 1709294400_000001, t0.Add(time.Microsecond)}, // beyond uint64: ignored, microseconds
	} {
		var w ng
		w.section(binary.LittleEndian)
		w.iface(101, 0, tc.tsresol, 0, "")
		body := binary.LittleEndian.AppendUint32(nil, 0)
		body = binary.LittleEndian.AppendUint32(body, uint32(tc.ticks>>32))
		body = binary.LittleEndian.AppendUint32(body, uint32(tc.ticks))
		data := build(t, ip4("10.0.0.1", "10.0.0.2", layers.IPProtocolUDP), udp(1, 2))
		body = binary.LittleEndian.AppendUint32(body, uint32(len(data)))
		body = binary.LittleEndian.AppendUint32(body, uint32(len(data)))
		w.block(blockEPB, append(body, data...))
		out, _ := readAll(t, w.b)
		if len(out) != 1 {
			t.Fatalf("tsresol %#x: %d packets", tc.tsresol, len(out))
		}
		if !out[0].Time.Equal(tc.want) {
			t.Errorf("tsresol %#x ticks %d: %v, want %v", tc.tsresol, tc.ticks, out[0].Time, tc.want)
		}
	}
}

// TestPcapngLargeBlock streams past an unknown block larger than any packet
// block could be.
func TestPcapngLargeBlock(t *testing.T) {
	var w ng
	w.section(binary.LittleEndian)
	w.iface(1, 0, 0, 0, "")
	w.epb(0, 0, rec{ts: t0, data: tcp4Frame(t, "10.0.0.1", "10.0.0.2", 1, 2, nil)})
	w.block(0x40000bad, make([]byte, maxBlock+100))
	w.epb(0, 0, rec{ts: t0, data: tcp4Frame(t, "10.0.0.1", "10.0.0.2", 3, 4, nil)})
	out, st := readAll(t, w.b)
	if len(out) != 2 || out[1].SrcPort != 3 || st.Damaged != nil {
		t.Errorf("got %d packets, Stats %+v", len(out), st)
	}
	// The same, with the trailing length of the large block wrong.
	bad := bytes.Clone(w.b)
	end := len(bad) - len(tcp4Frame(t, "10.0.0.1", "10.0.0.2", 3, 4, nil)) - 32 - 4
	binary.LittleEndian.PutUint32(bad[end:], 12)
	out, st = readAll(t, bad)
	start := int64(end - (maxBlock + 100) - 8)
	if len(out) != 1 || st.Damaged == nil || st.Damaged.Offset != start || st.Damaged.Packets != 1 {
		t.Errorf("got %d packets, Stats %+v Damaged %v (want at %d)", len(out), st, st.Damaged, start)
	}
}
