package pcap_test

import (
	"context"
	"fmt"
	"log"
	"net/netip"
	"os"

	"github.com/zonewalk/zonewalk/app/traffic/pcap"
)

func ExampleRead() {
	f, err := os.Open("testdata/golden.pcap")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	st, err := pcap.Read(context.Background(), f, func(p *pcap.Packet) error {
		// p is reused for the next packet: copy what must be kept.
		at := p.Time.Format("15:04:05.000000")
		if p.Src.IsValid() {
			fmt.Printf("%s %v > %v proto %d, %d bytes\n", at,
				netip.AddrPortFrom(p.Src, p.SrcPort), netip.AddrPortFrom(p.Dst, p.DstPort), p.Transport, p.WireLen)
		} else {
			fmt.Printf("%s EtherType %#04x, %d bytes\n", at, p.EtherType, p.WireLen)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d packets, %d bytes, skipped %v, damaged %v\n", st.Format, st.Packets, st.Bytes, st.Skipped, st.Damaged)
	// Output:
	// 12:00:00.000001 192.168.1.10:49152 > 192.168.1.20:502 proto 6, 54 bytes
	// 12:00:01.500000 10.0.0.1:34964 > 10.0.0.2:34964 proto 17, 60 bytes
	// 12:00:02.000000 EtherType 0x0806, 60 bytes
	// 12:00:03.000000 [2001:db8::1]:546 > [2001:db8::2]:547 proto 17, 72 bytes
	// 12:00:04.000000 EtherType 0x8892, 60 bytes
	// 12:00:06.000250 10.1.1.1:2404 > 10.1.1.2:40000 proto 6, 74 bytes
	// pcap: 6 packets, 380 bytes, skipped map[zero-length frame:1], damaged <nil>
}
