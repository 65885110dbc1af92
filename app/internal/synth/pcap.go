package synth

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// pcapSink serialises each packet with gopacket's layers and writes it with
// pcapgo. The layer values and the buffer are reused, so a packet costs no
// allocation. The checksums (IPv4 header, TCP and UDP) are computed here,
// not by gopacket: its checksum loop adds 16 bits at a time and was half of
// the generator's time; this one adds 64.
type pcapSink struct {
	w    *pcapgo.Writer
	buf  gopacket.SerializeBuffer
	opts gopacket.SerializeOptions
	eth  layers.Ethernet
	ip   layers.IPv4
	tcp  layers.TCP
	udp  layers.UDP
	pay  gopacket.Payload
	tcpL []gopacket.SerializableLayer
	udpL []gopacket.SerializableLayer
}

func newPcapSink(w io.Writer) (*pcapSink, error) {
	s := &pcapSink{
		w:    pcapgo.NewWriter(w),
		buf:  gopacket.NewSerializeBufferExpectedSize(64, 1600),
		opts: gopacket.SerializeOptions{FixLengths: true},
	}
	if err := s.w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		return nil, err
	}
	s.eth.EthernetType = layers.EthernetTypeIPv4
	s.ip = layers.IPv4{Version: 4, IHL: 5, Flags: layers.IPv4DontFragment}
	s.tcpL = []gopacket.SerializableLayer{&s.eth, &s.ip, &s.tcp, &s.pay}
	s.udpL = []gopacket.SerializableLayer{&s.eth, &s.ip, &s.udp, &s.pay}
	return s, nil
}

func (s *pcapSink) packet(p *pkt) error {
	s.eth.SrcMAC = p.src.mac[:]
	s.eth.DstMAC = p.dst.mac[:]
	s.ip.SrcIP = p.src.ip[:]
	s.ip.DstIP = p.dst.ip[:]
	s.ip.TTL = p.src.ttl
	s.ip.Id = p.ipID
	s.pay = p.payload
	ls := s.tcpL
	if p.transport == 17 {
		s.ip.Protocol = layers.IPProtocolUDP
		s.udp = layers.UDP{SrcPort: layers.UDPPort(p.sport), DstPort: layers.UDPPort(p.dport)}
		ls = s.udpL
	} else {
		s.ip.Protocol = layers.IPProtocolTCP
		s.tcp = layers.TCP{
			SrcPort: layers.TCPPort(p.sport), DstPort: layers.TCPPort(p.dport),
			Seq: p.seq, Ack: p.ack, DataOffset: 5, Window: p.window,
			FIN: p.flags&fFIN != 0, SYN: p.flags&fSYN != 0, PSH: p.flags&fPSH != 0, ACK: p.flags&fACK != 0,
		}
	}
	if err := gopacket.SerializeLayers(s.buf, s.opts, ls...); err != nil {
		return err
	}
	data := s.buf.Bytes()
	if len(data) != p.frameLen {
		return fmt.Errorf("synth: frame of %d bytes, engine counted %d", len(data), p.frameLen)
	}
	checksums(data, p.ipLen)
	ci := gopacket.CaptureInfo{Timestamp: time.UnixMicro(p.ts), CaptureLength: len(data), Length: len(data)}
	return s.w.WritePacket(ci, data)
}

func (s *pcapSink) connDone(*conn) error { return nil }

// checksums fills in the IPv4 header checksum and the TCP or UDP checksum
// of an Ethernet frame holding an IPv4 packet of ipLen bytes (no options).
func checksums(frame []byte, ipLen int) {
	ip := frame[14 : 14+ipLen]
	ip[10], ip[11] = 0, 0
	binary.BigEndian.PutUint16(ip[10:], fold(sum(ip[:20], 0)))
	l4 := ip[20:]
	// Pseudo-header: addresses, protocol, length.
	ph := sum(ip[12:20], uint64(ip[9])+uint64(len(l4)))
	at := 16 // TCP
	if ip[9] == 17 {
		at = 6
	}
	l4[at], l4[at+1] = 0, 0
	c := fold(sum(l4, ph))
	if c == 0 && ip[9] == 17 {
		c = 0xffff // UDP sends a computed zero as all ones
	}
	binary.BigEndian.PutUint16(l4[at:], c)
}

// sum adds b to s as big-endian 16-bit words, 32 bits at a time (the
// end-around carries are taken when folding: 2^16 ≡ 1 mod 2^16-1).
func sum(b []byte, s uint64) uint64 {
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		s += v>>32 + v&0xffffffff
		b = b[8:]
	}
	if len(b) >= 4 {
		s += uint64(binary.BigEndian.Uint32(b))
		b = b[4:]
	}
	if len(b) >= 2 {
		s += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

// fold reduces s to 16 bits with end-around carry and complements it.
func fold(s uint64) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}
