package pcap

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.pcap from the hand-written bytes")

// unhex decodes hex written with spaces, newlines and // comments.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line, _, _ = strings.Cut(line, "//")
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// goldenPcap is a little-endian microsecond pcap of Ethernet frames, written
// byte by byte.
const goldenPcap = `
d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000 // header: snap 262144, Ethernet

// 1: TCP SYN 192.168.1.10:49152 -> 192.168.1.20:502, 12:00:00.000001
40c3e165 01000000 36000000 36000000
000e8c000002 001b1b000001 0800
45000028 00014000 40060000 c0a8010a c0a80114
c00001f6 00000001 00000000 5002 2000 0000 0000

// 2: VLAN 100, IPv4 with 4 bytes of options, UDP 34964 -> 34964 "abcd", padded to 60, 12:00:01.500000
41c3e165 20a10700 3c000000 3c000000
000e8c000002 001b1b000001 8100 0064 0800
46000024 00020000 40110000 0a000001 0a000002 01010100
88948894 000c 0000 61626364
000000000000

// 3: ARP request, padded to 60, 12:00:02
42c3e165 00000000 3c000000 3c000000
ffffffffffff 001b1b000001 0806
0001 0800 06 04 0001 001b1b000001 0a000001 000000000000 0a000002
000000000000000000000000000000000000

// 4: QinQ 88a8 VLAN 200 (priority 1) then 8100 VLAN 300, IPv6 UDP 546 -> 547 "hi", 12:00:03
43c3e165 00000000 48000000 48000000
000e8c000002 001b1b000001 88a8 20c8 8100 012c 86dd
60000000 000a 11 40 20010db8000000000000000000000001 20010db8000000000000000000000002
0222 0223 000a 0000 6869

// 5: Profinet DCP identify to 01:0e:cf:00:00:00, 46 bytes after the EtherType, 12:00:04
44c3e165 00000000 3c000000 3c000000
010ecf000000 000e8c000002 8892
fefe 0500 00000001 0000 0004 ffff 0000 000000000000000000000000000000000000000000000000000000000000

// 6: a record with no captured bytes, 12:00:05
45c3e165 00000000 00000000 3c000000

// 7: TCP 10.1.1.1:2404 -> 10.1.1.2:40000 cut by the snap length 4 bytes into TCP, 74 on the wire, 12:00:06.000250
46c3e165 fa000000 26000000 4a000000
000e8c000002 001b1b000001 0800
4500003c 00030000 40060000 0a010101 0a010102
0964 9c40
`

func TestGolden(t *testing.T) {
	file := unhex(t, goldenPcap)
	if *update {
		if err := os.WriteFile("testdata/golden.pcap", file, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if disk, err := os.ReadFile("testdata/golden.pcap"); err != nil || !bytes.Equal(disk, file) {
		t.Errorf("testdata/golden.pcap differs from goldenPcap (err %v): run go test -run TestGolden -update", err)
	}

	at := func(sec int, usec int) time.Time {
		return time.Date(2024, 3, 1, 12, 0, sec, usec*1000, time.UTC)
	}
	a := [6]byte{0x00, 0x1b, 0x1b, 0x00, 0x00, 0x01}
	b := [6]byte{0x00, 0x0e, 0x8c, 0x00, 0x00, 0x02}
	want := []got{
		{Packet: Packet{Time: at(0, 1), WireLen: 54, SrcMAC: a, DstMAC: b, HasMAC: true, EtherType: 0x0800,
			Src: addr("192.168.1.10"), Dst: addr("192.168.1.20"), Transport: 6, SrcPort: 49152, DstPort: 502, TCPFlags: 0x02}},
		{Packet: Packet{Time: at(1, 500000), WireLen: 60, SrcMAC: a, DstMAC: b, HasMAC: true, EtherType: 0x0800,
			Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Transport: 17, SrcPort: 34964, DstPort: 34964},
			VLANs: []uint16{100}, Payload: []byte("abcd")},
		{Packet: Packet{Time: at(2, 0), WireLen: 60, SrcMAC: a, DstMAC: [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, HasMAC: true, EtherType: 0x0806},
			Payload: unhex(t, "0001 0800 06 04 0001 001b1b000001 0a000001 000000000000 0a000002 000000000000000000000000000000000000")},
		{Packet: Packet{Time: at(3, 0), WireLen: 72, SrcMAC: a, DstMAC: b, HasMAC: true, EtherType: 0x86dd,
			Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), Transport: 17, SrcPort: 546, DstPort: 547},
			VLANs: []uint16{200, 300}, Payload: []byte("hi")},
		{Packet: Packet{Time: at(4, 0), WireLen: 60, SrcMAC: b, DstMAC: [6]byte{0x01, 0x0e, 0xcf}, HasMAC: true, EtherType: 0x8892},
			Payload: unhex(t, "fefe 0500 00000001 0000 0004 ffff 0000 000000000000000000000000000000000000000000000000000000000000")},
		{Packet: Packet{Time: at(6, 250), WireLen: 74, SrcMAC: a, DstMAC: b, HasMAC: true, EtherType: 0x0800,
			Src: addr("10.1.1.1"), Dst: addr("10.1.1.2"), Transport: 6, SrcPort: 2404, DstPort: 40000, Truncated: true}},
	}
	out, st := readAll(t, file)
	if len(out) != len(want) {
		t.Fatalf("got %d packets, want %d", len(out), len(want))
	}
	for i := range want {
		g, w := out[i], want[i]
		if !bytes.Equal(g.Payload, w.Payload) {
			t.Errorf("packet %d: payload %x, want %x", i+1, g.Payload, w.Payload)
		}
		g.Payload, w.Payload = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Errorf("packet %d:\n got %+v\nwant %+v", i+1, g, w)
		}
	}
	wantStats := Stats{Format: "pcap", Packets: 6, Bytes: 54 + 60 + 60 + 72 + 60 + 74, Truncated: 1, Frames: 7,
		First: at(0, 1), Last: at(6, 250), Skipped: map[string]int64{"zero-length frame": 1},
		Interfaces: []Interface{{LinkType: 1, SnapLen: 262144}}}
	if !reflect.DeepEqual(st, wantStats) {
		t.Errorf("Stats\n got %+v\nwant %+v", st, wantStats)
	}
}
