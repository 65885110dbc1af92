package synth

import (
	"encoding/binary"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// This file reads a capture back with gopacket's pcapgo reader and layer
// decoders, and derives from the packets alone what the generator claims:
// flows, connections and what Zeek would log. Nothing here uses the
// generator's own bookkeeping.

type flowKey struct {
	client, server netip.Addr
	transport      uint8
	port           uint16
}

type connKey struct {
	orig, resp         netip.Addr
	origPort, respPort uint16
	transport          uint8
}

type mbMsg struct {
	ts  time.Time
	tid uint16
	fc  byte
	req bool
}

// decodedConn is one connection as seen in the packets, counted the way
// conn.log documents its columns.
type decodedConn struct {
	key        connKey
	first      time.Time
	last       time.Time // last packet that is not a trailing ACK after both FINs
	pkts       [2]int64
	ipBytes    [2]int64
	payload    [2]int64
	frameBytes int64
	fin        [2]bool
	hist       []byte
	seen       map[byte]bool
	modbus     []mbMsg
	clientMAC  [6]byte
	serverMAC  [6]byte
	order      int
}

type decoded struct {
	frames       int64
	minLen       int
	maxLen       int
	conns        map[connKey]*decodedConn
	order        []*decodedConn
	flows        map[flowKey]*Flow
	opCodes      map[flowKey]map[string]bool
	badChecksums int
}

func addr4(b []byte) netip.Addr { return netip.AddrFrom4([4]byte(b)) }

// decodePcap reads a whole capture. Every frame must decode as Ethernet,
// IPv4 and TCP or UDP, with valid checksums.
func decodePcap(t testing.TB, r io.Reader) *decoded {
	t.Helper()
	pr, err := pcapgo.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	if pr.LinkType() != layers.LinkTypeEthernet {
		t.Fatalf("link type %v", pr.LinkType())
	}
	var (
		eth layers.Ethernet
		ip  layers.IPv4
		tcp layers.TCP
		udp layers.UDP
		pay gopacket.Payload
	)
	parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip, &tcp, &udp, &pay)
	parser.IgnoreUnsupported = true
	var got []gopacket.LayerType
	d := &decoded{conns: map[connKey]*decodedConn{}, flows: map[flowKey]*Flow{}, opCodes: map[flowKey]map[string]bool{}, minLen: 1 << 30}
	for {
		data, ci, err := pr.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", d.frames+1, err)
		}
		d.frames++
		d.minLen, d.maxLen = min(d.minLen, len(data)), max(d.maxLen, len(data))
		if ci.CaptureLength != len(data) || ci.Length != len(data) {
			t.Fatalf("frame %d: capture info %+v for %d bytes", d.frames, ci, len(data))
		}
		if err := parser.DecodeLayers(data, &got); err != nil {
			t.Fatalf("frame %d: %v", d.frames, err)
		}
		if len(got) < 3 || got[1] != layers.LayerTypeIPv4 {
			t.Fatalf("frame %d: layers %v", d.frames, got)
		}
		var (
			transport    uint8
			sport, dport uint16
			payload      []byte
			flags        uint8
		)
		if _, v := ip.VerifyChecksum(); !v.Valid {
			d.badChecksums++
		}
		switch got[2] {
		case layers.LayerTypeTCP:
			transport, sport, dport, payload = 6, uint16(tcp.SrcPort), uint16(tcp.DstPort), tcp.Payload
			tcp.SetNetworkLayerForChecksum(&ip)
			if _, v := tcp.VerifyChecksum(); !v.Valid {
				d.badChecksums++
			}
			for _, fl := range []struct {
				on  bool
				bit uint8
			}{{tcp.FIN, fFIN}, {tcp.SYN, fSYN}, {tcp.PSH, fPSH}, {tcp.ACK, fACK}} {
				if fl.on {
					flags |= fl.bit
				}
			}
		case layers.LayerTypeUDP:
			transport, sport, dport, payload = 17, uint16(udp.SrcPort), uint16(udp.DstPort), udp.Payload
			udp.SetNetworkLayerForChecksum(&ip)
			if _, v := udp.VerifyChecksum(); !v.Valid {
				d.badChecksums++
			}
		default:
			t.Fatalf("frame %d: layers %v", d.frames, got)
		}
		src, dst := addr4(ip.SrcIP), addr4(ip.DstIP)

		// The originator is who sent the first packet of the 5-tuple.
		fwd := connKey{src, dst, sport, dport, transport}
		c, dir := d.conns[fwd], 0
		if c == nil {
			if c = d.conns[connKey{dst, src, dport, sport, transport}]; c != nil {
				dir = 1
			}
		}
		if c == nil || transport == 6 && flags == fSYN && c.fin[0] && c.fin[1] {
			if transport == 6 && flags != fSYN {
				t.Fatalf("frame %d: TCP connection %v does not start with a SYN", d.frames, fwd)
			}
			c = &decodedConn{key: fwd, first: ci.Timestamp, seen: map[byte]bool{}, clientMAC: [6]byte(eth.SrcMAC), serverMAC: [6]byte(eth.DstMAC), order: len(d.order)}
			d.conns[fwd] = c
			d.order = append(d.order, c)
			dir = 0
			fk := flowKey{src, dst, transport, dport}
			f := d.flows[fk]
			if f == nil {
				f = &Flow{Client: src, Server: dst, ClientMAC: c.clientMAC, ServerMAC: c.serverMAC, Transport: transport, ServerPort: dport,
					Protocol: dissect.ByPort(transport, dport)}
				d.flows[fk] = f
				d.opCodes[fk] = map[string]bool{}
			}
			f.Conns++
		}
		fk := flowKey{c.key.orig, c.key.resp, transport, c.key.respPort}
		f := d.flows[fk]
		f.Packets++
		f.Bytes += int64(len(data))
		if !(c.fin[0] && c.fin[1]) {
			c.last = ci.Timestamp
		}
		c.pkts[dir]++
		c.ipBytes[dir] += int64(ip.Length)
		c.payload[dir] += int64(len(payload))
		c.frameBytes += int64(len(data))
		if flags&fFIN != 0 {
			c.fin[dir] = true
		}
		// Zeek's history letters, first occurrence per direction.
		var letter byte
		switch {
		case transport == 17 && len(payload) > 0:
			letter = 'D'
		case flags&fSYN != 0 && flags&fACK == 0:
			letter = 'S'
		case flags&fSYN != 0:
			letter = 'H'
		case flags&fFIN != 0:
			letter = 'F'
		case len(payload) > 0:
			letter = 'D'
		case flags == fACK:
			letter = 'A'
		}
		if dir == 1 {
			letter += 'a' - 'A'
		}
		if letter != 0 && !c.seen[letter] {
			c.seen[letter] = true
			c.hist = append(c.hist, letter)
		}
		// Operations in the client's requests.
		if dir == 0 && len(payload) > 0 {
			if op := requestOp(c.key.respPort, payload); op != "" {
				d.opCodes[fk][op] = true
			}
		}
		if transport == 6 && c.key.respPort == 502 && len(payload) >= 8 {
			c.modbus = append(c.modbus, mbMsg{ci.Timestamp, binary.BigEndian.Uint16(payload), payload[7], dir == 0})
		}
	}
	for fk, f := range d.flows {
		for op := range d.opCodes[fk] {
			f.Ops = append(f.Ops, op)
		}
	}
	return d
}

// requestOp reads the function code of a client request, by the layout of
// each protocol's header, and names it with dissect's tables.
func requestOp(port uint16, p []byte) string {
	switch port {
	case 502: // MBAP (7 bytes), then the function code
		if len(p) >= 8 && p[2] == 0 && p[3] == 0 {
			return dissect.ModbusFunction(p[7]).Name
		}
	case 102: // TPKT (4), COTP DT (3), S7 header (10 for a job), parameters
		if len(p) >= 18 && p[0] == 3 && p[5] == 0xf0 && p[7] == 0x32 && p[8] == 1 {
			return dissect.S7Function(p[17]).Name
		}
	case 20000: // link header (10), transport (1), application control (1), function
		if len(p) >= 13 && p[0] == 0x05 && p[1] == 0x64 {
			return dissect.DNP3Function(p[12]).Name
		}
	}
	return ""
}
