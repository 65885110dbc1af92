package pcap

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// benchSize is the size of the benchmark captures.
const benchSize = 100 << 20

// writeMixed writes about size bytes of capture of plant-like traffic to pw,
// a pcap or pcapng writer: TCP and UDP between a few dozen hosts (Modbus,
// EtherNet/IP, S7, OPC UA, BACnet, DNS), some IPv6, ARP and Profinet, a
// fifth of it VLAN-tagged, frames of 60 to 1514 bytes (half of them small).
func writeMixed(tb testing.TB, size int, pw interface {
	WritePacket(gopacket.CaptureInfo, []byte) error
}) (packets int) {
	rng := rand.New(rand.NewPCG(62443, 1))
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	payload := make([]byte, 1500)
	tcpPorts := []uint16{502, 44818, 102, 4840, 20000, 2404}
	udpPorts := []uint16{2222, 47808, 53, 161, 123}
	host := func() net.IP { return net.IPv4(10, 10, byte(rng.IntN(3)), byte(1+rng.IntN(40))).To4() }
	host6 := func() net.IP { return net.ParseIP(fmt.Sprintf("fd00::%x", 1+rng.IntN(20))) }
	ts := t0
	for written := 0; written < size; packets++ {
		// frame size: half small (requests, ACKs), half anywhere up to 1514
		n := 60 + rng.IntN(60)
		if rng.IntN(2) == 0 {
			n = 60 + rng.IntN(1455)
		}
		e := &layers.Ethernet{SrcMAC: macA, DstMAC: macB}
		var ls []gopacket.SerializableLayer
		if rng.IntN(5) == 0 {
			e.EthernetType = layers.EthernetTypeDot1Q
			ls = append(ls, e)
			e = nil
		}
		next := func(t layers.EthernetType) {
			if e != nil {
				e.EthernetType = t
				ls = append(ls, e)
			} else {
				ls = append(ls, &layers.Dot1Q{VLANIdentifier: uint16(10 + rng.IntN(4)), Type: t})
			}
		}
		hdr := 14
		if e == nil {
			hdr = 18
		}
		switch k := rng.IntN(100); {
		case k < 60, k >= 80 && k < 85:
			var ip gopacket.SerializableLayer
			var nl gopacket.NetworkLayer
			if k < 60 {
				next(layers.EthernetTypeIPv4)
				ip4 := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: host(), DstIP: host()}
				ip, nl, hdr = ip4, ip4, hdr+20
			} else {
				next(layers.EthernetTypeIPv6)
				ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolTCP, SrcIP: host6(), DstIP: host6()}
				ip, nl, hdr = ip6, ip6, hdr+40
			}
			tcp := &layers.TCP{SrcPort: layers.TCPPort(49152 + rng.IntN(2000)), DstPort: layers.TCPPort(tcpPorts[rng.IntN(len(tcpPorts))]),
				ACK: true, PSH: rng.IntN(2) == 0, SYN: rng.IntN(50) == 0, Seq: rng.Uint32(), Window: 8192}
			tcp.SetNetworkLayerForChecksum(nl)
			ls = append(ls, ip, tcp, gopacket.Payload(payload[:max(0, n-hdr-20)]))
		case k < 80:
			next(layers.EthernetTypeIPv4)
			ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: host(), DstIP: host()}
			p := udpPorts[rng.IntN(len(udpPorts))]
			udp := &layers.UDP{SrcPort: layers.UDPPort(p), DstPort: layers.UDPPort(p)}
			udp.SetNetworkLayerForChecksum(ip)
			ls = append(ls, ip, udp, gopacket.Payload(payload[:max(0, n-hdr-28)]))
		case k < 90:
			next(layers.EthernetTypeARP)
			ls = append(ls, gopacket.Payload(payload[:28]))
		default:
			next(0x8892)
			ls = append(ls, gopacket.Payload(payload[:40]))
		}
		if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
			tb.Fatal(err)
		}
		data := buf.Bytes()
		ts = ts.Add(time.Duration(rng.IntN(200)) * time.Microsecond)
		if err := pw.WritePacket(gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(data), Length: len(data)}, data); err != nil {
			tb.Fatal(err)
		}
		written += 16 + len(data)
	}
	return packets
}

var bench struct {
	once               sync.Once
	pcap, pcapng, gzip []byte
	packets            int
}

func benchCaptures(b *testing.B) {
	bench.once.Do(func() {
		var p bytes.Buffer
		w := pcapgo.NewWriterNanos(&p)
		if err := w.WriteFileHeader(262144, layers.LinkTypeEthernet); err != nil {
			b.Fatal(err)
		}
		bench.packets = writeMixed(b, benchSize, w)
		bench.pcap = p.Bytes()

		var ng bytes.Buffer
		nw, err := pcapgo.NewNgWriter(&ng, layers.LinkTypeEthernet)
		if err != nil {
			b.Fatal(err)
		}
		writeMixed(b, benchSize, nw)
		if err := nw.Flush(); err != nil {
			b.Fatal(err)
		}
		bench.pcapng = ng.Bytes()
		bench.gzip = gz(b, bench.pcap)
	})
}

// BenchmarkRead reads a 100 MB capture of mixed frames; MB/s are of the
// capture as stored (compressed for gzip).
func BenchmarkRead(b *testing.B) {
	benchCaptures(b)
	for _, c := range []struct {
		name string
		file []byte
	}{{"pcap", bench.pcap}, {"pcapng", bench.pcapng}, {"pcap.gz", bench.gzip}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.file)))
			b.ReportAllocs()
			var tcp int
			for b.Loop() {
				tcp = 0
				st, err := Read(context.Background(), opaque{bytes.NewReader(c.file)}, func(p *Packet) error {
					if p.Transport == 6 {
						tcp++
					}
					return nil
				})
				if err != nil || st.Packets != int64(bench.packets) {
					b.Fatalf("%v, %d packets, want %d", err, st.Packets, bench.packets)
				}
			}
			b.ReportMetric(float64(bench.packets)*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}

// BenchmarkGopacket is the alternative this package was measured against:
// gopacket's pcap reader without copies and its DecodingLayerParser with
// preallocated layers, on the same capture.
func BenchmarkGopacket(b *testing.B) {
	benchCaptures(b)
	b.SetBytes(int64(len(bench.pcap)))
	b.ReportAllocs()
	var (
		e       layers.Ethernet
		q       layers.Dot1Q
		ip4     layers.IPv4
		ip6     layers.IPv6
		tcp     layers.TCP
		udp     layers.UDP
		arp     layers.ARP
		payload gopacket.Payload
		decoded []gopacket.LayerType
	)
	parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &e, &q, &ip4, &ip6, &tcp, &udp, &arp, &payload)
	parser.IgnoreUnsupported = true
	for b.Loop() {
		r, err := pcapgo.NewReader(bytes.NewReader(bench.pcap))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			data, _, err := r.ZeroCopyReadPacketData()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			_ = parser.DecodeLayers(data, &decoded)
			n++
		}
		if n != bench.packets {
			b.Fatalf("%d packets, want %d", n, bench.packets)
		}
	}
	b.ReportMetric(float64(bench.packets)*float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}
