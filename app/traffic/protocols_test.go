package traffic

// Captures built by the tests themselves, one per protocol and one per link
// type, read through Inputs and Read and compared with hosts and flows
// written by hand in testdata/golden/<protocol>.json.
//
// Frames are serialised with gopacket (Ethernet, 802.1Q, IPv4, IPv6, TCP,
// UDP; lengths and checksums fixed by it); the Linux cooked headers, which
// gopacket cannot serialise, are laid out by hand. Payloads are hand-built,
// field by field; only the framing lengths (TPKT, encapsulation, chunk sizes,
// BER) are computed by small helpers, since getting them wrong by hand would
// test the typist rather than the reader.
//
// The golden files hold what one can count in the exchange: hosts (address,
// MACs, vendor from the IEEE registry, VLANs, packets, roles) and flows
// (client, server, transport, port, protocol, connections, packets,
// operations). Bytes and first/last times are checked against what the test
// wrote: the sum of the frames it tagged with a host or a flow.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// hx decodes hex written with spaces, '|' separators and "//" comments to
// the end of a line, so payloads can be laid out field by field.
func hx(s string) []byte {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		for _, r := range line {
			if r != ' ' && r != '|' && r != '\t' {
				b.WriteRune(r)
			}
		}
	}
	out, err := hex.DecodeString(b.String())
	if err != nil {
		panic(err)
	}
	return out
}

func join(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func le16b(v int) []byte { return binary.LittleEndian.AppendUint16(nil, uint16(v)) }
func le32b(v int) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }
func be16b(v int) []byte { return binary.BigEndian.AppendUint16(nil, uint16(v)) }

// station is a host of a test exchange.
type station struct {
	mac net.HardwareAddr
	ip  netip.Addr // invalid for a host that speaks no IP
}

func (s station) key() string {
	if s.ip.IsValid() {
		return s.ip.String()
	}
	return s.mac.String()
}

func mkStation(mac, ip string) station {
	m, err := net.ParseMAC(mac)
	if err != nil {
		panic(err)
	}
	s := station{mac: m}
	if ip != "" {
		s.ip = netip.MustParseAddr(ip)
	}
	return s
}

// The plant of the tests. The vendors in the golden files are those the
// IEEE registry lists for these prefixes.
var (
	ews       = mkStation("00:14:22:01:01:0a", "10.10.1.10") // engineering workstation, Dell Inc.
	scada     = mkStation("f8:b1:56:01:01:0b", "10.10.1.11") // SCADA / HMI server, Dell Inc.
	s7plc     = mkStation("28:63:36:02:02:14", "10.10.2.20") // S7-1500, Siemens AG
	logix     = mkStation("00:1d:9c:02:02:1e", "10.10.2.30") // ControlLogix, Rockwell Automation
	m340      = mkStation("00:80:f4:02:02:28", "10.10.2.40") // Modicon M340, TELEMECANIQUE ELECTRIQUE
	panel     = mkStation("00:0e:8c:02:02:3c", "10.10.2.60") // operator panel, Siemens AG
	rtu       = mkStation("00:30:de:03:03:32", "10.10.3.50") // RTU, WAGO Kontakttechnik GmbH
	bms       = mkStation("b8:ac:6f:04:04:0a", "10.10.4.10") // building management workstation, Dell Inc.
	ddc       = mkStation("00:0b:ab:04:04:3c", "10.10.4.60") // BACnet controller, Advantech
	itServer  = mkStation("00:07:e9:05:05:05", "10.10.5.5")  // Windows server, Intel Corporation
	bacnetAll = mkStation("ff:ff:ff:ff:ff:ff", "10.10.4.255")
	dcpMcast  = mkStation("01:0e:cf:00:00:00", "") // PROFINET DCP identify multicast
)

// linkKind is how the exchange's frames are written.
type linkKind int

const (
	linkEther linkKind = iota // Ethernet II
	linkDot1Q                 // Ethernet, one 802.1Q tag (VLAN 10)
	linkQinQ                  // Ethernet, 802.1ad outer tag (VLAN 100), 802.1Q inner tag (VLAN 10)
	linkSLL                   // Linux cooked capture v1
	linkSLL2                  // Linux cooked capture v2
	linkRaw                   // LINKTYPE_RAW: IPv4 or IPv6 without a link header
	linkIPv4                  // LINKTYPE_IPV4
	linkIPv6                  // LINKTYPE_IPV6
)

func (k linkKind) linkType() layers.LinkType {
	switch k {
	case linkSLL:
		return layers.LinkTypeLinuxSLL
	case linkSLL2:
		return layers.LinkTypeLinuxSLL2
	case linkRaw:
		return layers.LinkTypeRaw
	case linkIPv4:
		return layers.LinkTypeIPv4
	case linkIPv6:
		return layers.LinkTypeIPv6
	}
	return layers.LinkTypeEthernet
}

// record is one frame written, with what the test knows of it.
type record struct {
	data     []byte
	iface    int
	time     time.Time
	src, dst string // host keys
	flow     string // the key (Flow.Key) of the flow it belongs to
	cont     bool   // a non-first IP fragment
}

// exchange builds one capture.
type exchange struct {
	t     *testing.T
	links []linkKind // one per interface; more than one makes a pcapng file
	// iface picks the interface of a frame from its sender; nil: 0.
	iface func(src station) int
	recs  []record
	ipID  uint16
}

var t0 = time.Date(2024, 3, 5, 8, 0, 0, 0, time.UTC)

func newExchange(t *testing.T, links ...linkKind) *exchange {
	if len(links) == 0 {
		links = []linkKind{linkEther}
	}
	return &exchange{t: t, links: links}
}

func flowKeyOf(client, server station, transport string, port int) string {
	return client.key() + " " + server.key() + " " + transport + "/" + strconv.Itoa(port)
}

// serialise runs gopacket's serialisation with lengths and checksums fixed.
func (x *exchange) serialise(ls ...gopacket.SerializableLayer) []byte {
	x.t.Helper()
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, ls...); err != nil {
		x.t.Fatal(err)
	}
	return bytes.Clone(buf.Bytes())
}

// add wraps a network-layer packet (or, for etherType other than IP, the
// bytes after the EtherType) in the link layer of the sender's interface
// and records it.
func (x *exchange) add(src, dst station, etherType layers.EthernetType, l3 []byte, flow string, cont bool) {
	x.t.Helper()
	iface := 0
	if x.iface != nil {
		iface = x.iface(src)
	}
	var frame []byte
	switch k := x.links[iface]; k {
	case linkEther:
		frame = x.serialise(&layers.Ethernet{SrcMAC: src.mac, DstMAC: dst.mac, EthernetType: etherType}, gopacket.Payload(l3))
	case linkDot1Q:
		frame = x.serialise(&layers.Ethernet{SrcMAC: src.mac, DstMAC: dst.mac, EthernetType: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 10, Type: etherType}, gopacket.Payload(l3))
	case linkQinQ:
		frame = x.serialise(&layers.Ethernet{SrcMAC: src.mac, DstMAC: dst.mac, EthernetType: layers.EthernetTypeQinQ},
			&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 10, Type: etherType}, gopacket.Payload(l3))
	case linkSLL:
		// Captured with "tcpdump -i any" on a mirror port: every frame is
		// to another host (3). The address is the sender's.
		frame = join(
			hx(`0003`),          // packet type: otherhost
			hx(`0001`),          // ARPHRD_ETHER
			hx(`0006`),          // address length
			src.mac, hx(`0000`), // address, padded to 8
			be16b(int(etherType)), // protocol
			l3)
	case linkSLL2:
		frame = join(
			be16b(int(etherType)), // protocol
			hx(`0000`),            // reserved
			hx(`00000002`),        // interface index
			hx(`0001`),            // ARPHRD_ETHER
			hx(`03`),              // packet type: otherhost
			hx(`06`),              // address length
			src.mac, hx(`0000`),   // address, padded to 8
			l3)
	case linkRaw, linkIPv4, linkIPv6:
		frame = l3
	default:
		x.t.Fatalf("link %d", k)
	}
	x.recs = append(x.recs, record{data: frame, iface: iface, time: t0.Add(time.Duration(len(x.recs)) * time.Millisecond),
		src: src.key(), dst: dst.key(), flow: flow, cont: cont})
}

// ipLayer is the IPv4 or IPv6 header of a packet from src to dst.
func (x *exchange) ipLayer(src, dst station, proto layers.IPProtocol) (gopacket.SerializableLayer, gopacket.NetworkLayer, layers.EthernetType) {
	x.ipID++
	if src.ip.Is4() {
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: x.ipID, Flags: layers.IPv4DontFragment, Protocol: proto,
			SrcIP: src.ip.AsSlice(), DstIP: dst.ip.AsSlice()}
		return ip, ip, layers.EthernetTypeIPv4
	}
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: src.ip.AsSlice(), DstIP: dst.ip.AsSlice()}
	return ip, ip, layers.EthernetTypeIPv6
}

// tcpConn is one TCP connection of an exchange, its sequence numbers kept.
type tcpConn struct {
	x              *exchange
	client, server station
	cport, sport   uint16
	cseq, sseq     uint32 // next sequence number of each side
	flow           string
}

func (c *tcpConn) segment(fromClient bool, flags string, payload []byte) {
	c.x.t.Helper()
	src, dst, sp, dp, seq, ack := c.client, c.server, c.cport, c.sport, c.cseq, c.sseq
	if !fromClient {
		src, dst, sp, dp, seq, ack = c.server, c.client, c.sport, c.cport, c.sseq, c.cseq
	}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: seq, Window: 64240,
		SYN: strings.Contains(flags, "S"), ACK: strings.Contains(flags, "A"), PSH: strings.Contains(flags, "P"),
		FIN: strings.Contains(flags, "F")}
	if tcp.ACK {
		tcp.Ack = ack
	}
	if tcp.SYN { // MSS 1460: the header grows to 24 bytes
		tcp.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{0x05, 0xb4}}}
	}
	ip, nl, et := c.x.ipLayer(src, dst, layers.IPProtocolTCP)
	if err := tcp.SetNetworkLayerForChecksum(nl); err != nil {
		c.x.t.Fatal(err)
	}
	c.x.add(src, dst, et, c.x.serialise(ip, tcp, gopacket.Payload(payload)), c.flow, false)
	n := uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		n++
	}
	if fromClient {
		c.cseq += n
	} else {
		c.sseq += n
	}
}

// tcp opens a connection: SYN, SYN-ACK, ACK.
func (x *exchange) tcp(client, server station, cport, sport uint16) *tcpConn {
	c := &tcpConn{x: x, client: client, server: server, cport: cport, sport: sport,
		cseq: 0x1000 * uint32(cport), sseq: 0x5000 * uint32(sport),
		flow: flowKeyOf(client, server, "tcp", int(sport))}
	c.segment(true, "S", nil)
	c.segment(false, "SA", nil)
	c.segment(true, "A", nil)
	return c
}

// c sends a segment from the client, s from the server (PSH, ACK).
func (c *tcpConn) c(payload []byte) *tcpConn { c.segment(true, "PA", payload); return c }
func (c *tcpConn) s(payload []byte) *tcpConn { c.segment(false, "PA", payload); return c }

// close: FIN-ACK from the client, FIN-ACK from the server, ACK.
func (c *tcpConn) close() {
	c.segment(true, "FA", nil)
	c.segment(false, "FA", nil)
	c.segment(true, "A", nil)
}

// udpConn is a UDP conversation between a client port and a server port.
type udpConn struct {
	x              *exchange
	client, server station
	cport, sport   uint16
	flow           string
}

func (x *exchange) udp(client, server station, cport, sport uint16) *udpConn {
	return &udpConn{x: x, client: client, server: server, cport: cport, sport: sport,
		flow: flowKeyOf(client, server, "udp", int(sport))}
}

func (u *udpConn) datagram(fromClient bool, payload []byte) {
	u.x.t.Helper()
	src, dst, sp, dp := u.client, u.server, u.cport, u.sport
	if !fromClient {
		src, dst, sp, dp = u.server, u.client, u.sport, u.cport
	}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
	ip, nl, et := u.x.ipLayer(src, dst, layers.IPProtocolUDP)
	if err := udp.SetNetworkLayerForChecksum(nl); err != nil {
		u.x.t.Fatal(err)
	}
	u.x.add(src, dst, et, u.x.serialise(ip, udp, gopacket.Payload(payload)), u.flow, false)
}

func (u *udpConn) c(payload []byte) *udpConn { u.datagram(true, payload); return u }
func (u *udpConn) s(payload []byte) *udpConn { u.datagram(false, payload); return u }

// ether records a non-IP frame belonging to flow (client, server).
func (x *exchange) ether(src, dst station, et layers.EthernetType, payload []byte, client, server station) {
	x.add(src, dst, et, payload, flowKeyOf(client, server, "ether", int(et)), false)
}

// write writes the capture: pcap for one interface, pcapng for more.
func (x *exchange) write(name string) string {
	x.t.Helper()
	path := filepath.Join(x.t.TempDir(), name)
	var buf bytes.Buffer
	if len(x.links) == 1 {
		w := pcapgo.NewWriter(&buf)
		if err := w.WriteFileHeader(262144, x.links[0].linkType()); err != nil {
			x.t.Fatal(err)
		}
		for _, r := range x.recs {
			ci := gopacket.CaptureInfo{Timestamp: r.time, CaptureLength: len(r.data), Length: len(r.data)}
			if err := w.WritePacket(ci, r.data); err != nil {
				x.t.Fatal(err)
			}
		}
	} else {
		w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{Name: "if0", LinkType: x.links[0].linkType(), TimestampResolution: 9},
			pcapgo.NgWriterOptions{})
		if err != nil {
			x.t.Fatal(err)
		}
		for i, k := range x.links[1:] {
			id, err := w.AddInterface(pcapgo.NgInterface{Name: "if" + strconv.Itoa(i+1), LinkType: k.linkType(), TimestampResolution: 9})
			if err != nil || id != i+1 {
				x.t.Fatalf("interface %d: %v", id, err)
			}
		}
		for _, r := range x.recs {
			ci := gopacket.CaptureInfo{Timestamp: r.time, CaptureLength: len(r.data), Length: len(r.data), InterfaceIndex: r.iface}
			if err := w.WritePacket(ci, r.data); err != nil {
				x.t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			x.t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		x.t.Fatal(err)
	}
	return path
}

// golden is a testdata/golden/*.json file.
type golden struct {
	Note  []string     `json:"note"` // how the counts follow from the exchange
	Hosts []goldenHost `json:"hosts"`
	Flows []goldenFlow `json:"flows"`
}

type goldenHost struct {
	IP      string   `json:"ip,omitempty"`
	MACs    []string `json:"macs,omitempty"`
	Vendor  string   `json:"vendor,omitempty"`
	VLANs   []int    `json:"vlans,omitempty"`
	Packets int64    `json:"packets"`
	Roles   []string `json:"roles,omitempty"`
}

type goldenFlow struct {
	Client      string `json:"client"`
	Server      string `json:"server"`
	Transport   string `json:"transport"`
	Port        int    `json:"port"`
	Protocol    string `json:"protocol"`
	Connections int64  `json:"connections"`
	Packets     int64  `json:"packets"`
	Ops         []Op   `json:"ops,omitempty"`
}

func (f goldenFlow) key() string {
	return f.Client + " " + f.Server + " " + f.Transport + "/" + strconv.Itoa(f.Port)
}

func (h goldenHost) key() string {
	if h.IP != "" {
		return h.IP
	}
	return h.MACs[0]
}

func loadGolden(t *testing.T, name string) golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var g golden
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("%s.json: %v", name, err)
	}
	return g
}

// read writes the exchange, imports it and checks the records against want
// and against the frames written. It returns what went wrong, one line per
// difference, so that a known bug can be told from a new one.
func (x *exchange) read(name string, want golden) []string {
	x.t.Helper()
	ext := ".pcap"
	if len(x.links) > 1 {
		ext = ".pcapng"
	}
	res := readInput(x.t, x.write(name+ext))
	var bad []string
	badf := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	var gotHosts []goldenHost
	for _, h := range res.Hosts {
		gotHosts = append(gotHosts, goldenHost{IP: h.IP, MACs: h.MACs, Vendor: h.Vendor, VLANs: h.VLANs, Packets: h.Packets, Roles: h.Roles})
		if err := h.Validate(); err != nil {
			badf("host %s: %v", h.Key(), err)
		}
		if h.Source != res.Source.ID {
			badf("host %s of source %q", h.Key(), h.Source)
		}
	}
	var gotFlows []goldenFlow
	for _, f := range res.Flows {
		gotFlows = append(gotFlows, goldenFlow{Client: f.Client, Server: f.Server, Transport: f.Transport, Port: f.Port,
			Protocol: f.Protocol, Connections: f.Connections, Packets: f.Packets, Ops: f.Ops})
		if err := f.Validate(); err != nil {
			badf("flow %s: %v", f.Key(), err)
		}
	}
	diff(&bad, "host", gotHosts, want.Hosts, goldenHost.key)
	diff(&bad, "flow", gotFlows, want.Flows, goldenFlow.key)

	// Bytes and times: the sums of the frames the test tagged. A fragment
	// carries bytes; its time is that of the packet, its first fragment.
	var total, packets, conns int64
	first, last := x.recs[0].time, x.recs[len(x.recs)-1].time
	for _, r := range x.recs {
		total += int64(len(r.data))
		if !r.cont {
			packets++
		}
	}
	for _, f := range want.Flows {
		conns += f.Connections
	}
	for _, f := range res.Flows {
		var by int64
		var fFirst, fLast time.Time
		for _, r := range x.recs {
			if r.flow == f.Key() {
				by += int64(len(r.data))
				if fFirst.IsZero() && !r.cont {
					fFirst = r.time
				}
				if !r.cont {
					fLast = r.time
				}
			}
		}
		if f.Bytes != by || !f.First.Equal(fFirst) || !f.Last.Equal(fLast) {
			badf("flow %s: %d bytes from %s to %s; its frames: %d bytes from %s to %s", f.Key(),
				f.Bytes, f.First.Format(time.StampMilli), f.Last.Format(time.StampMilli), by, fFirst.Format(time.StampMilli), fLast.Format(time.StampMilli))
		}
	}
	for _, h := range res.Hosts {
		var by int64
		var hFirst, hLast time.Time
		for _, r := range x.recs {
			if r.src == h.Key() || r.dst == h.Key() {
				by += int64(len(r.data))
				if hFirst.IsZero() && !r.cont {
					hFirst = r.time
				}
				if !r.cont {
					hLast = r.time
				}
			}
		}
		if h.Bytes != by || !h.First.Equal(hFirst) || !h.Last.Equal(hLast) {
			badf("host %s: %d bytes from %s to %s; its frames: %d bytes from %s to %s", h.Key(),
				h.Bytes, h.First.Format(time.StampMilli), h.Last.Format(time.StampMilli), by, hFirst.Format(time.StampMilli), hLast.Format(time.StampMilli))
		}
	}
	s := res.Source
	format := "pcap"
	if len(x.links) > 1 {
		format = "pcapng"
	}
	if s.Format != format || s.Packets != packets || s.Bytes != total || s.Connections != conns ||
		s.Hosts != len(want.Hosts) || s.Flows != len(want.Flows) || !s.First.Equal(first) || !s.Last.Equal(last) ||
		s.Damage != "" || len(s.Skipped) > 0 {
		badf("source: format %s, %d packets, %d bytes, %d connections, %d hosts, %d flows, %s to %s, damage %q, skipped %q; "+
			"want %s, %d, %d, %d, %d, %d, %s to %s, no damage, nothing skipped",
			s.Format, s.Packets, s.Bytes, s.Connections, s.Hosts, s.Flows, s.First.Format(time.StampMilli), s.Last.Format(time.StampMilli), s.Damage, s.Skipped,
			format, packets, total, conns, len(want.Hosts), len(want.Flows), first.Format(time.StampMilli), last.Format(time.StampMilli))
	}
	return bad
}

// diff lists the records missing, unexpected or different, by key, and
// says so when all are there but in another order.
func diff[T any](bad *[]string, what string, got, want []T, key func(T) string) {
	js := func(v T) string { b, _ := json.Marshal(v); return string(b) }
	before := len(*bad)
	gotBy := map[string]T{}
	for _, g := range got {
		gotBy[key(g)] = g
	}
	wantBy := map[string]T{}
	for _, w := range want {
		wantBy[key(w)] = w
		g, ok := gotBy[key(w)]
		switch {
		case !ok:
			*bad = append(*bad, fmt.Sprintf("%s %s missing; want %s", what, key(w), js(w)))
		case !reflect.DeepEqual(g, w):
			*bad = append(*bad, fmt.Sprintf("%s %s:\n\t got %s\n\twant %s", what, key(w), js(g), js(w)))
		}
	}
	for _, g := range got {
		if _, ok := wantBy[key(g)]; !ok {
			*bad = append(*bad, fmt.Sprintf("%s %s not expected: %s", what, key(g), js(g)))
		}
	}
	if len(*bad) == before && !reflect.DeepEqual(got, want) {
		var order []string
		for _, g := range got {
			order = append(order, key(g))
		}
		*bad = append(*bad, fmt.Sprintf("%ss out of order: got %q", what, order))
	}
}

// Framing helpers. Each computes the length fields of its own layer.

// tpkt is RFC 1006 framing: version 3, reserved, length of the whole packet.
func tpkt(tpdu ...[]byte) []byte {
	b := join(tpdu...)
	return join(hx(`03 00`), be16b(4+len(b)), b)
}

// cotpDT is a COTP data TPDU header: length indicator 2, DT, EOT with TPDU number 0.
var cotpDT = hx(`02 | f0 | 80`)

// s7plus is an S7comm-plus PDU in a COTP data TPDU: magic 0x72, protocol
// version, length of the data, the data, and the trailer (magic, version, 0).
func s7plus(version byte, data ...[]byte) []byte {
	d := join(data...)
	return tpkt(cotpDT, []byte{0x72, version}, be16b(len(d)), d, []byte{0x72, version, 0, 0})
}

// encap is an EtherNet/IP encapsulation header (little-endian: command,
// length of the data, session handle, status 0, sender context, options 0)
// and its data.
func encap(cmd int, session int, context string, data ...[]byte) []byte {
	d := join(data...)
	if len(context) != 8 {
		panic("sender context is 8 bytes")
	}
	return join(le16b(cmd), le16b(len(d)), le32b(session), hx(`00000000`), []byte(context), hx(`00000000`), d)
}

const noContext = "\x00\x00\x00\x00\x00\x00\x00\x00"

// cpf is the data of SendRRData and SendUnitData: interface handle 0, a
// timeout, the item count and the items.
func cpf(timeout int, items ...[]byte) []byte {
	return join(hx(`00000000`), le16b(timeout), le16b(len(items)), join(items...))
}

// cpfItem is a Common Packet Format item: type, length, data.
func cpfItem(typ int, data ...[]byte) []byte {
	d := join(data...)
	return join(le16b(typ), le16b(len(d)), d)
}

// dnp3CRC is the DNP3 link-layer CRC (polynomial 0x3d65, reflected,
// complemented), sent little-endian.
func dnp3CRC(b []byte) uint16 {
	var crc uint16
	for _, c := range b {
		crc ^= uint16(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xa6bc
			} else {
				crc >>= 1
			}
		}
	}
	return ^crc
}

// dnp3Frame is a DNP3 link frame: start 0x0564, length (control,
// addresses and user data), control, destination, source, header CRC, then
// the user data in blocks of 16 bytes, each with its CRC.
func dnp3Frame(ctrl byte, dst, src int, user []byte) []byte {
	hdr := join(hx(`05 64`), []byte{byte(5 + len(user)), ctrl}, le16b(dst), le16b(src))
	out := join(hdr, le16b(int(dnp3CRC(hdr))))
	for len(user) > 0 {
		n := min(16, len(user))
		out = join(out, user[:n], le16b(int(dnp3CRC(user[:n]))))
		user = user[n:]
	}
	return out
}

// IEC 104 APDUs: start 0x68, length of the rest, four control octets.
func apdu104(control, asdu []byte) []byte {
	return join([]byte{0x68, byte(4 + len(asdu))}, control, asdu)
}

// iFrame carries an ASDU with send and receive sequence numbers (shifted
// left by one, little-endian).
func iFrame(ns, nr int, asdu []byte) []byte { return apdu104(join(le16b(ns<<1), le16b(nr<<1)), asdu) }

// sFrame acknowledges I-frames up to nr.
func sFrame(nr int) []byte { return apdu104(join(hx(`01 00`), le16b(nr<<1)), nil) }

// uFrame is link control: STARTDT, STOPDT, TESTFR.
func uFrame(ctrl byte) []byte { return apdu104([]byte{ctrl, 0, 0, 0}, nil) }

// bvlc is BACnet/IP's virtual link control: type 0x81, function, length.
func bvlc(fn byte, npdu ...[]byte) []byte {
	b := join(npdu...)
	return join([]byte{0x81, fn}, be16b(4+len(b)), b)
}

// uaChunk is an OPC UA TCP message chunk: type, 'F' (final), size.
func uaChunk(typ string, body ...[]byte) []byte {
	b := join(body...)
	return join([]byte(typ+"F"), le32b(8+len(b)), b)
}

// uaMsg is a symmetric MSG chunk on secure channel 5, token 1.
func uaMsg(seq, request int, body ...[]byte) []byte {
	return uaChunk("MSG", hx(`05000000 | 01000000`), le32b(seq), le32b(request), join(body...))
}

// uaString is an OPC UA String: Int32 length, then the bytes.
func uaString(s string) []byte { return join(le32b(len(s)), []byte(s)) }

const uaPolicyNone = "http://opcfoundation.org/UA/SecurityPolicy#None"

var (
	uaRequestHeader = hx(`
		00 00            // authentication token: null NodeId (two-byte encoding, id 0)
		00c0a1d4e06eda01 // timestamp
		01000000         // request handle
		00000000         // return diagnostics: none
		ffffffff         // audit entry id: null
		10270000         // timeout hint: 10 s
		00 00 00         // additional header: null ExtensionObject
	`)
	uaResponseHeader = hx(`
		00c0a1d4e06eda01 // timestamp
		01000000         // request handle
		00000000         // service result: Good
		00               // service diagnostics: empty
		00000000         // string table: empty
		00 00 00         // additional header: null ExtensionObject
	`)
)

// nbss is the NetBIOS session service header: type 0, 24-bit length.
func nbss(b ...[]byte) []byte {
	m := join(b...)
	return join([]byte{0, byte(len(m) >> 16), byte(len(m) >> 8), byte(len(m))}, m)
}

// smb2 is an SMB2 header (64 bytes) and a body.
func smb2(command, flags, messageID int, body []byte) []byte {
	return nbss(
		hx(`fe534d42 | 4000 | 0000 | 00000000`), // protocol id, structure size 64, credit charge, status
		le16b(command), hx(`0100`),              // command, credits
		le32b(flags), hx(`00000000`), // flags (1: response), next command
		le32b(messageID), hx(`00000000`), // message id (64-bit)
		hx(`0000feff | 01000000`), // process id, tree id
		hx(`1900000000100000`),    // session id
		make([]byte, 16),          // signature
		body)
}

// TLS framing: record (type handshake, version, length), handshake (type,
// 24-bit length), and the length-prefixed vectors inside.
func tlsRecord(version string, body []byte) []byte {
	return join(hx(`16`), hx(version), be16b(len(body)), body)
}

func tlsHandshake(typ byte, body ...[]byte) []byte {
	b := join(body...)
	return join([]byte{typ, byte(len(b) >> 16), byte(len(b) >> 8), byte(len(b))}, b)
}

func vec8(b ...[]byte) []byte  { d := join(b...); return join([]byte{byte(len(d))}, d) }
func vec16(b ...[]byte) []byte { d := join(b...); return join(be16b(len(d)), d) }

func tlsExt(typ int, data ...[]byte) []byte { return join(be16b(typ), vec16(data...)) }

// tlv is one BER element with a definite length.
func tlv(tag byte, parts ...[]byte) []byte {
	b := join(parts...)
	if len(b) < 0x80 {
		return join([]byte{tag, byte(len(b))}, b)
	}
	return join([]byte{tag, 0x82}, be16b(len(b)), b)
}

// The exchanges. Ports: each client uses its own ephemeral port, so a
// mistake in one exchange cannot borrow another's connection.

func modbusExchange(x *exchange, client, server station) {
	c := x.tcp(client, server, 49200, 502)
	// MBAP: transaction id, protocol id 0, length of unit id and PDU, unit id; then the PDU.
	c.c(hx(`0001 | 0000 | 0006 | 01 | 03 | 0000 | 000a`)) // read holding registers: from 0, 10 of them
	c.s(hx(`0001 | 0000 | 0017 | 01 | 03 | 14 | 0000 0001 0002 0003 0004 0005 0006 0007 0008 0009`))
	c.c(hx(`0002 | 0000 | 000b | 01 | 10 | 0064 | 0002 | 04 | 000a 0102`)) // write multiple registers: at 100, 2 registers, 4 bytes
	c.s(hx(`0002 | 0000 | 0006 | 01 | 10 | 0064 | 0002`))                  // echo of address and quantity
	c.close()
}

func s7commExchange(x *exchange) {
	c := x.tcp(ews, s7plc, 49201, 102)
	// COTP connection request: length indicator 17, CR, destination reference 0, source reference 1, class 0;
	// TPDU size 1024, calling TSAP 0x0100, called TSAP 0x0102 (rack 0, slot 2).
	c.c(tpkt(hx(`11 | e0 | 0000 | 0001 | 00 | c0 01 0a | c1 02 0100 | c2 02 0102`)))
	c.s(tpkt(hx(`11 | d0 | 0001 | 0044 | 00 | c0 01 0a | c1 02 0100 | c2 02 0102`))) // connection confirm
	// S7comm header: protocol id 0x32, ROSCTR (1 job, 3 ack-data), reserved, PDU reference, parameter length,
	// data length, and for ack-data error class and code.
	// Setup communication: max AmQ calling 1, called 1, PDU length 480; the PLC grants 240.
	c.c(tpkt(cotpDT, hx(`32 | 01 | 0000 | 0000 | 0008 | 0000 | f0 00 | 0001 | 0001 | 01e0`)))
	c.s(tpkt(cotpDT, hx(`32 | 03 | 0000 | 0000 | 0008 | 0000 | 00 00 | f0 00 | 0001 | 0001 | 00f0`)))
	// Read var, one item: variable specification, length 10, S7ANY, BYTE, count 1, DB 1, area DB (0x84), address 0.
	c.c(tpkt(cotpDT, hx(`32 | 01 | 0000 | 0001 | 000e | 0000 | 04 01 | 12 0a 10 02 0001 0001 84 000000`)))
	// Ack-data: return code 0xff (success), transport size BYTE/WORD/DWORD, 8 bits, value 0x2a.
	c.s(tpkt(cotpDT, hx(`32 | 03 | 0000 | 0001 | 0002 | 0005 | 00 00 | 04 01 | ff 04 0008 2a`)))
	// Write var to the same item; data: reserved, transport size, 8 bits, value 0x2b.
	c.c(tpkt(cotpDT, hx(`32 | 01 | 0000 | 0002 | 000e | 0005 | 05 01 | 12 0a 10 02 0001 0001 84 000000 | 00 04 0008 2b`)))
	c.s(tpkt(cotpDT, hx(`32 | 03 | 0000 | 0002 | 0002 | 0001 | 00 00 | 05 01 | ff`))) // one return code: success
	// PLC stop: function 0x29, 5 unknown bytes, PI service "P_PROGRAM" (9 bytes).
	c.c(tpkt(cotpDT, hx(`32 | 01 | 0000 | 0003 | 0010 | 0000 | 29 | 0000000000 | 09 | 505f50524f4752414d`)))
	c.s(tpkt(cotpDT, hx(`32 | 03 | 0000 | 0003 | 0001 | 0000 | 00 00 | 29`)))
	c.close()
}

func s7commPlusExchange(x *exchange) {
	c := x.tcp(ews, s7plc, 49202, 102)
	// COTP connection request as TIA Portal sends it: calling TSAP 0x0600, called TSAP "SIMATIC-ROOT-HMI".
	c.c(tpkt(hx(`1f | e0 | 0000 | 0001 | 00 | c0 01 0a | c1 02 0600 | c2 10`), []byte("SIMATIC-ROOT-HMI")))
	c.s(tpkt(hx(`1f | d0 | 0001 | 0045 | 00 | c0 01 0a | c1 02 0600 | c2 10`), []byte("SIMATIC-ROOT-HMI")))
	// V1 request: opcode 0x31, reserved, function CreateObject (0x04ca), reserved, sequence 1,
	// session id 0x120, transport flags, then (cut short) the object.
	c.c(s7plus(0x01, hx(`31 | 0000 | 04ca | 0000 | 0001 | 00000120 | 36 | 00000000`)))
	c.s(s7plus(0x01, hx(`32 | 0000 | 04ca | 0000 | 0001 | 00000120 | 00 | 00000000`))) // response 0x32
	// V3: integrity part first (digest length 32, digest), then request SetVariable (0x04f2), sequence 2.
	digest := bytes.Repeat([]byte{0xab}, 32)
	c.c(s7plus(0x03, hx(`20`), digest, hx(`31 | 0000 | 04f2 | 0000 | 0002 | 00000120 | 36 | 00010203`)))
	c.s(s7plus(0x03, hx(`20`), digest, hx(`32 | 0000 | 04f2 | 0000 | 0002 | 00`)))
	// Notification (opcode 0x33) the PLC sends of its own accord: subscription object, unknown, sequence.
	c.s(s7plus(0x02, hx(`33 | 00000120 | 0000 | 0001`)))
	c.close()
}

func enipExchange(x *exchange) {
	const session = 0x12345678
	// List Identity over UDP, as a browsing tool sends it to each address.
	u := x.udp(ews, logix, 49300, 44818)
	u.c(encap(0x63, 0, "listid01"))
	u.s(encap(0x63, 0, "listid01", le16b(1), cpfItem(0x0c, hx(`
		0100                          // encapsulation protocol version 1
		0002 af12 0a0a021e 0000000000000000 // socket address (big-endian): AF_INET, port 44818, 10.10.2.30
		0100 | 0e00 | 3600            // vendor Rockwell (1), device type PLC (14), product code 54
		20 0b | 6030 | 4a3b2c1d       // revision 32.11, status, serial number
		0b`), []byte("1756-L83E/B"), hx(`03`)))) // product name (11 bytes), state

	c := x.tcp(ews, logix, 49203, 44818)
	c.c(encap(0x65, 0, "regsess1", hx(`0100 | 0000`))) // register session: protocol version 1, options 0
	c.s(encap(0x65, session, "regsess1", hx(`0100 | 0000`)))
	// SendRRData: a null address item and an unconnected data item holding the CIP request.
	c.c(encap(0x6f, session, "fwdopen1", cpf(10, cpfItem(0x00), cpfItem(0xb2, hx(`
		54 | 02 | 20 06 24 01     // Forward Open; path of 2 words: class 0x06 (Connection Manager), instance 1
		0a | f0                   // priority/time tick, timeout ticks
		00000000 | 01000080       // O->T connection id (chosen by the target), T->O connection id
		0100 | 4d00 | 78563412    // connection serial number, originator vendor id, originator serial number
		03 | 000000               // timeout multiplier, reserved
		40420f00 | f643           // O->T RPI 1 s, network connection parameters
		40420f00 | f643           // T->O RPI 1 s, network connection parameters
		a3                        // transport class 3, application triggered
		03 | 01 00 20 02 24 01    // connection path of 3 words: port 1 slot 0, Message Router instance 1
	`)))))
	c.s(encap(0x6f, session, "fwdopen1", cpf(0, cpfItem(0x00), cpfItem(0xb2, hx(`
		d4 | 00 | 00 | 00          // reply to Forward Open, reserved, status 0, no additional status
		0100fe80 | 01000080        // O->T and T->O connection ids
		0100 | 4d00 | 78563412     // connection serial, vendor, originator serial
		40420f00 | 40420f00        // actual packet intervals
		00 | 00                    // application reply size, reserved
	`)))))
	// SendUnitData on the connection: connected address item (O->T id), connected data item:
	// sequence count 1, Read Tag, path of 4 words: ANSI symbol "Motor" padded, 1 element.
	c.c(encap(0x70, session, noContext, cpf(0, cpfItem(0xa1, hx(`0100fe80`)),
		cpfItem(0xb1, hx(`0100 | 4c | 04 | 91 05 4d6f746f72 00 | 0100`)))))
	// Reply on T->O: sequence count 1, reply to Read Tag, status 0, type DINT, 42.
	c.s(encap(0x70, session, noContext, cpf(0, cpfItem(0xa1, hx(`01000080`)),
		cpfItem(0xb1, hx(`0100 | cc | 00 | 00 | 00 | c400 | 2a000000`)))))
	// Forward Close: path, tick, timeout, connection serial, vendor, originator serial, path size, reserved, path.
	c.c(encap(0x6f, session, "fwdclos1", cpf(10, cpfItem(0x00), cpfItem(0xb2,
		hx(`4e | 02 | 20 06 24 01 | 0a | f0 | 0100 | 4d00 | 78563412 | 03 | 00 | 01 00 20 02 24 01`)))))
	c.s(encap(0x6f, session, "fwdclos1", cpf(0, cpfItem(0x00), cpfItem(0xb2,
		hx(`ce | 00 | 00 | 00 | 0100 | 4d00 | 78563412 | 00 | 00`))))) // reply, status 0, serial, vendor, originator serial, reply size, reserved
	c.c(encap(0x66, session, "unreg001")) // unregister session: no reply, the target closes
	c.close()
}

func dnp3Exchange(x *exchange) {
	const master, outstation = 1, 10
	c := x.tcp(scada, rtu, 49204, 20000)
	// Link control 0xc4 (master: DIR, PRM, unconfirmed user data), 0x44 from the outstation.
	// User data: transport (FIR, FIN, sequence), application control (FIR, FIN, CON, UNS, sequence),
	// function code, then IIN in responses, then objects.
	c.c(dnp3Frame(0xc4, outstation, master, hx(`c0 | c0 | 01 | 3c 01 06`)))                                        // read: class 0 (g60v1), all objects
	c.s(dnp3Frame(0x44, master, outstation, hx(`c0 | c0 | 81 | 0000 | 01 02 00 00 01 | 81 01`)))                   // response: binary inputs 0-1 (g1v2) with flags
	c.c(dnp3Frame(0xc4, outstation, master, hx(`c1 | c1 | 05 | 0c 01 28 0100 0000 | 03 01 64000000 64000000 00`))) // direct operate: CROB (g12v1), count 1, index 0: latch on, once, 100 ms on/off
	c.s(dnp3Frame(0x44, master, outstation, hx(`c1 | c1 | 81 | 0000 | 0c 01 28 0100 0000 | 03 01 64000000 64000000 00`)))
	c.s(dnp3Frame(0x44, master, outstation, hx(`c2 | f0 | 82 | 0000 | 02 01 17 01 00 81`))) // unsolicited response (CON, UNS): binary input event g2v1, index 0
	c.c(dnp3Frame(0xc4, outstation, master, hx(`c2 | d0 | 00`)))                            // application confirm of it (UNS)
	c.close()
}

func iec104Exchange(x *exchange) {
	c := x.tcp(scada, rtu, 49205, 2404)
	// ASDU: type id, variable structure qualifier, cause of transmission (2 bytes), common address (2),
	// then information objects (3-byte address and elements).
	c.c(uFrame(0x07))                                                       // STARTDT act
	c.s(uFrame(0x0b))                                                       // STARTDT con
	c.c(iFrame(0, 0, hx(`64 | 01 | 0600 | 0100 | 000000 | 14`)))            // C_IC_NA_1 interrogation, activation, CA 1, IOA 0, QOI station
	c.s(iFrame(0, 1, hx(`64 | 01 | 0700 | 0100 | 000000 | 14`)))            // activation confirmation
	c.s(iFrame(1, 1, hx(`01 | 02 | 1400 | 0100 | 010000 01 | 020000 00`)))  // M_SP_NA_1, 2 objects, interrogated by station: IOA 1 on, IOA 2 off
	c.s(iFrame(2, 1, hx(`64 | 01 | 0a00 | 0100 | 000000 | 14`)))            // activation termination
	c.c(sFrame(3))                                                          // S-format: received up to 3
	c.c(iFrame(1, 3, hx(`2d | 01 | 0600 | 0100 | 0b0000 | 01`)))            // C_SC_NA_1 single command, activation, IOA 11, SCO execute on
	c.s(iFrame(3, 2, hx(`2d | 01 | 0700 | 0100 | 0b0000 | 01`)))            // activation confirmation
	c.s(iFrame(4, 2, hx(`0d | 01 | 0300 | 0100 | e80300 | 0000c842 | 00`))) // M_ME_NC_1 short float, spontaneous: IOA 1000, 100.0, good
	c.c(sFrame(5))
	c.close()
}

func bacnetExchange(x *exchange) {
	// NPDU: version 1, control (0x04 expecting reply, 0x20 destination present), [DNET, DLEN, DADR, hop count].
	who := x.udp(bms, bacnetAll, 47808, 47808)
	who.c(bvlc(0x0b, hx(`01 | 20 | ffff | 00 | ff`), hx(`10 | 08`))) // original broadcast; global broadcast, hop count 255; unconfirmed who-is
	iam := x.udp(ddc, bacnetAll, 47808, 47808)
	iam.c(bvlc(0x0b, hx(`01 | 00`), hx(`10 | 00 | c4 0200003c | 22 01e0 | 91 00 | 21 0f`))) // i-am: device 60, max APDU 480, segmentation both, vendor 15
	u := x.udp(bms, ddc, 47808, 47808)
	// Confirmed request: PDU type 0 and flags, max segments/APDU (1476), invoke id, service, then tagged arguments.
	u.c(bvlc(0x0a, hx(`01 | 04`), hx(`00 | 05 | 01 | 0c | 0c 0200003c | 19 4d`)))                             // read property: device 60, object-name (77)
	u.s(bvlc(0x0a, hx(`01 | 00`), hx(`30 | 01 | 0c | 0c 0200003c | 19 4d | 3e 75 06 00 4148552d31 3f`)))      // complex ack: "AHU-1"
	u.c(bvlc(0x0a, hx(`01 | 04`), hx(`00 | 05 | 02 | 0f | 0c 00800001 | 19 55 | 3e 44 42c80000 3f | 49 08`))) // write property: analog-value 1, present-value, 100.0, priority 8
	u.s(bvlc(0x0a, hx(`01 | 00`), hx(`20 | 02 | 0f`)))                                                        // simple ack
	u.c(bvlc(0x0a, hx(`01 | 04`), hx(`02 | 05 | 03 | 14 | 09 01 | 1d 09 00 70617373776f7264`)))               // reinitialize device (segmented response accepted): warmstart, "password"
	u.s(bvlc(0x0a, hx(`01 | 00`), hx(`20 | 03 | 14`)))
}

func opcuaExchange(x *exchange) {
	c := x.tcp(scada, itServer, 49206, 4840)
	// Hello: protocol version 0, receive and send buffers 64 KiB, no message size or chunk count limit, endpoint URL.
	c.c(uaChunk("HEL", hx(`00000000 | 00000100 | 00000100 | 00000000 | 00000000`), uaString("opc.tcp://10.10.5.5:4840")))
	c.s(uaChunk("ACK", hx(`00000000 | 00000100 | 00000100 | 00000001 | 00000000`))) // max message size 16 MiB
	// Open secure channel: channel id 0, security policy None, no certificate or thumbprint, sequence 1, request 1,
	// OpenSecureChannelRequest (446, four-byte NodeId), header, client protocol version 0, issue,
	// security mode None, empty nonce, lifetime 1 h.
	c.c(uaChunk("OPN", hx(`00000000`), uaString(uaPolicyNone), hx(`ffffffff | ffffffff | 01000000 | 01000000 | 01 00 be01`),
		uaRequestHeader, hx(`00000000 | 00000000 | 01000000 | 00000000 | 80ee3600`)))
	// Response (449) on channel 5: server protocol version, security token (channel 5, token 1, created, lifetime), empty nonce.
	c.s(uaChunk("OPN", hx(`05000000`), uaString(uaPolicyNone), hx(`ffffffff | ffffffff | 01000000 | 01000000 | 01 00 c101`),
		uaResponseHeader, hx(`00000000 | 05000000 01000000 00c0a1d4e06eda01 80ee3600 | 00000000`)))
	// CreateSession (461): client description (application URI, no product URI, name "SCADA", client,
	// no gateway, profile or discovery URLs), no server URI, endpoint URL, session name, empty nonce,
	// no certificate, timeout 0 (server default), max response 16 MiB.
	c.c(uaMsg(2, 2, hx(`01 00 cd01`), uaRequestHeader, uaString("urn:scada:client"), hx(`ffffffff | 02`), uaString("SCADA"),
		hx(`01000000 | ffffffff ffffffff ffffffff | ffffffff`), uaString("opc.tcp://10.10.5.5:4840"), uaString("session1"),
		hx(`00000000 | ffffffff | 0000000000000000 | 00000001`)))
	// Response (464): session id ns=1;i=1000, authentication token ns=1;i=1001, revised timeout, no nonce,
	// certificate, endpoints, software certificates or signature, no request size limit.
	c.s(uaMsg(2, 2, hx(`01 00 d001`), uaResponseHeader,
		hx(`01 01 e803 | 01 01 e903 | 0000000000f6e040 | 00000000 | ffffffff | 00000000 | ffffffff | ffffffff ffffffff | 00000000`)))
	// Read (631): max age 0, timestamps both, one node: ns=2;i=1000, attribute Value (13), no index range or encoding.
	c.c(uaMsg(3, 3, hx(`01 00 7702`), uaRequestHeader, hx(`0000000000000000 | 02000000 | 01000000 | 01 02 e803 | 0d000000 | ffffffff | 0000 ffffffff`)))
	c.s(uaMsg(3, 3, hx(`01 00 7a02`), uaResponseHeader, hx(`01000000 | 01 | 06 2a000000 | ffffffff`))) // 634: one DataValue, Int32 42
	// Write (673): one WriteValue: ns=2;i=1000, Value, no index range, DataValue Int32 43.
	c.c(uaMsg(4, 4, hx(`01 00 a102`), uaRequestHeader, hx(`01000000 | 01 02 e803 | 0d000000 | ffffffff | 01 | 06 2b000000`)))
	c.s(uaMsg(4, 4, hx(`01 00 a402`), uaResponseHeader, hx(`01000000 | 00000000 | ffffffff`))) // 676: one result, Good
	c.close()
}

// PROFINET DCP runs on Ethernet between MACs.
var (
	ewsMAC = station{mac: ews.mac}
	plcMAC = station{mac: s7plc.mac}
)

func profinetDCPExchange(x *exchange) {
	// Frame id, service id (5 identify), service type (0 request, 1 response), xid, response delay
	// (reserved in responses), length of the blocks, blocks (option, suboption, length, value).
	x.ether(ewsMAC, dcpMcast, 0x8892, hx(`fefe | 05 | 00 | 00000001 | 0001 | 0004 | ff ff 0000`), ewsMAC, dcpMcast) // identify all
	// Identify response: name of station "plc1" (2/2, block info 0), IP parameter (1/2, block info 1):
	// 10.10.2.20, 255.255.255.0, gateway 10.10.2.1. The device answers the workstation's request.
	x.ether(plcMAC, ewsMAC, 0x8892, hx(`feff | 05 | 01 | 00000001 | 0000 | 001c | 02 02 0006 0000 706c6331 | 01 02 000e 0001 0a0a0214 ffffff00 0a0a0201`),
		ewsMAC, plcMAC)
}

func rdpExchange(x *exchange) {
	c := x.tcp(ews, itServer, 49210, 3389)
	// X.224 connection request (length indicator 38, CR, references, class 0) with the routing cookie,
	// then the RDP negotiation request: type 1, flags, length 8, protocols TLS and CredSSP.
	c.c(tpkt(hx(`26 | e0 | 0000 | 0000 | 00`), []byte("Cookie: mstshash=admin\r\n"), hx(`01 | 00 | 0800 | 03000000`)))
	c.s(tpkt(hx(`0e | d0 | 0000 | 1234 | 00`), hx(`02 | 00 | 0800 | 02000000`))) // confirm; negotiation response: CredSSP
	c.close()
}

func smbExchange(x *exchange) {
	c := x.tcp(ews, itServer, 49211, 445)
	// NEGOTIATE: structure size 36, 2 dialects, signing enabled, reserved, capabilities, client GUID,
	// client start time, dialects 2.0.2 and 2.1.
	c.c(smb2(0x00, 0, 0, hx(`2400 | 0200 | 0100 | 0000 | 7f000000 | 00112233445566778899aabbccddeeff | 0000000000000000 | 0202 1002`)))
	// Response: structure size 65, signing enabled, dialect 2.1, reserved, server GUID, capabilities,
	// max transact/read/write 1 MiB, system time, start time, security buffer offset 128 and length 0, reserved.
	c.s(smb2(0x00, 1, 0, hx(`4100 | 0100 | 1002 | 0000 | ffeeddccbbaa99887766554433221100 | 07000000 | 00001000 00001000 00001000 | 00c0a1d4e06eda01 | 0000000000000000 | 8000 | 0000 | 00000000`)))
	// READ: structure size 49, padding 0x50, flags, length 64 KiB, offset 0, file id, minimum count, channel,
	// remaining bytes, channel info offset and length, one byte of buffer.
	c.c(smb2(0x08, 0, 1, hx(`3100 | 50 | 00 | 00000100 | 0000000000000000 | 0100000000000000 0200000000000000 | 00000000 | 00000000 | 00000000 | 0000 | 0000 | 00`)))
	// Response: structure size 17, data offset 80, reserved, 5 bytes, remaining, reserved, the data.
	c.s(smb2(0x08, 1, 1, join(hx(`1100 | 50 | 00 | 05000000 | 00000000 | 00000000`), []byte("hello"))))
	c.close()
}

func sshExchange(x *exchange) {
	c := x.tcp(ews, itServer, 49212, 22)
	c.s([]byte("SSH-2.0-OpenSSH_9.6\r\n"))
	c.c([]byte("SSH-2.0-PuTTY_Release_0.80\r\n"))
	c.close()
}

func telnetExchange(x *exchange) {
	c := x.tcp(ews, m340, 49213, 23)
	c.s(hx(`fffd18 | fffd20 | fffd23 | fffd27`)) // IAC DO terminal type, terminal speed, X display location, new environ
	c.c(hx(`fffb18 | fffc20 | fffc23 | fffc27`)) // IAC WILL terminal type, WONT the others
	c.s([]byte("\r\nlogin: "))
	c.close()
}

func ftpExchange(x *exchange) {
	c := x.tcp(ews, m340, 49214, 21)
	c.s([]byte("220 FTP server ready.\r\n"))
	c.c([]byte("USER sysdiag\r\n"))
	c.s([]byte("331 Password required.\r\n"))
	c.c([]byte("PASS factorycast@schneider\r\n"))
	c.s([]byte("230 User logged in.\r\n"))
	c.c([]byte("TYPE I\r\n"))
	c.s([]byte("200 Type set to I.\r\n"))
	c.c([]byte("RETR /FLASH0/wwwroot/conf/exec/M340.bin\r\n"))
	c.s([]byte("425 Use PORT or PASV first.\r\n"))
	c.c([]byte("QUIT\r\n"))
	c.s([]byte("221 Goodbye.\r\n"))
	c.close()
}

func vncExchange(x *exchange) {
	c := x.tcp(ews, panel, 49215, 5900)
	c.s([]byte("RFB 003.008\n"))
	c.c([]byte("RFB 003.008\n"))
	c.s(hx(`01 | 02`)) // one security type: VNC authentication
	c.c(hx(`02`))      // chosen
	c.close()
}

func httpExchange(x *exchange) {
	c := x.tcp(ews, s7plc, 49216, 80)
	c.c([]byte("GET /Portal/Portal.mwsl HTTP/1.1\r\nHost: 10.10.2.20\r\nUser-Agent: Mozilla/5.0\r\n\r\n"))
	c.s([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<html></html>"))
	c.close()
}

func httpsExchange(x *exchange) {
	c := x.tcp(ews, itServer, 49217, 443)
	random := bytes.Repeat([]byte{0x5a}, 32)
	// ClientHello: version 1.2, random, empty session id, cipher suites, no compression, extensions
	// server_name "historian.plant.local" and supported_versions 1.3, 1.2.
	c.c(tlsRecord("0301", tlsHandshake(1, hx(`0303`), random, vec8(), vec16(hx(`1301 1302 c02f`)), vec8(hx(`00`)),
		vec16(tlsExt(0x0000, vec16(hx(`00`), vec16([]byte("historian.plant.local")))), tlsExt(0x002b, vec8(hx(`0304 0303`)))))))
	// ServerHello: TLS_AES_128_GCM_SHA256, supported_versions 1.3.
	c.s(tlsRecord("0303", tlsHandshake(2, hx(`0303`), random, vec8(), hx(`1301 | 00`), vec16(tlsExt(0x002b, hx(`0304`))))))
	c.close()
}

func dnsExchange(x *exchange) {
	u := x.udp(ews, itServer, 50000, 53)
	question := hx(`09 686973746f7269616e | 05 706c616e74 | 05 6c6f63616c | 00 | 0001 | 0001`) // historian.plant.local, A, IN
	u.c(join(hx(`1a2b | 0100 | 0001 | 0000 | 0000 | 0000`), question))                         // id, recursion desired, one question
	u.s(join(hx(`1a2b | 8180 | 0001 | 0001 | 0000 | 0000`), question,
		hx(`c00c | 0001 | 0001 | 00000e10 | 0004 | 0a0a0505`))) // answer: name pointer, A, IN, TTL 1 h, 10.10.5.5
}

func ntpExchange(x *exchange) {
	u := x.udp(s7plc, itServer, 50001, 123)
	// LI/VN/mode, stratum, poll, precision, root delay, root dispersion, reference id, then reference,
	// origin, receive and transmit timestamps.
	u.c(hx(`23 | 00 | 06 | ec | 00000000 | 00000000 | 00000000 | 0000000000000000 | 0000000000000000 | 0000000000000000 | e9b2c8a000000000`)) // v4 client
	u.s(hx(`24 | 02 | 06 | e9 | 00000010 | 00000020 | 0a0a0101 | e9b2c89000000000 | e9b2c8a000000000 | e9b2c8a000100000 | e9b2c8a000200000`)) // v4 server, stratum 2
}

func snmpExchange(x *exchange) {
	varbind := func(oid string, value []byte) []byte { return tlv(0x30, tlv(0x30, tlv(0x06, hx(oid)), value)) }
	// Message: version (1: v2c), community, PDU (tag, request id, error status, error index, variable bindings).
	get := x.udp(scada, s7plc, 50002, 161)
	get.c(tlv(0x30, tlv(0x02, hx(`01`)), tlv(0x04, []byte("public")),
		tlv(0xa0, tlv(0x02, hx(`12345678`)), tlv(0x02, hx(`00`)), tlv(0x02, hx(`00`)), varbind(`2b06010201010100`, tlv(0x05))))) // get sysDescr.0
	get.s(tlv(0x30, tlv(0x02, hx(`01`)), tlv(0x04, []byte("public")),
		tlv(0xa2, tlv(0x02, hx(`12345678`)), tlv(0x02, hx(`00`)), tlv(0x02, hx(`00`)), varbind(`2b06010201010100`, tlv(0x04, []byte("SIMATIC S7-1500"))))))
	set := x.udp(scada, s7plc, 50003, 161) // a second invocation: a new source port, a second connection
	set.c(tlv(0x30, tlv(0x02, hx(`01`)), tlv(0x04, []byte("private")),
		tlv(0xa3, tlv(0x02, hx(`12345679`)), tlv(0x02, hx(`00`)), tlv(0x02, hx(`00`)), varbind(`2b06010201010500`, tlv(0x04, []byte("plc1")))))) // set sysName.0
	set.s(tlv(0x30, tlv(0x02, hx(`01`)), tlv(0x04, []byte("private")),
		tlv(0xa2, tlv(0x02, hx(`12345679`)), tlv(0x02, hx(`00`)), tlv(0x02, hx(`00`)), varbind(`2b06010201010500`, tlv(0x04, []byte("plc1"))))))
}

func syslogExchange(x *exchange) {
	u := x.udp(m340, itServer, 51514, 514)
	u.c([]byte("<134>1 2024-03-05T08:00:00.021Z m340 PLC - - - Application started"))
	u.c([]byte("<132>1 2024-03-05T08:00:00.022Z m340 PLC - - - Ethernet port 2 link down"))
}

func judge(t *testing.T, name string, bad []string) {
	t.Helper()
	if len(bad) > 0 {
		t.Errorf("%s:\n%s", name, strings.Join(bad, "\n"))
	}
}

func TestDNP3CRC(t *testing.T) {
	// The CRC-16/DNP check value, so the frames the tests build carry
	// CRCs a real outstation would accept.
	if got := dnp3CRC([]byte("123456789")); got != 0xea82 {
		t.Fatalf("CRC of 123456789 = %#04x, want 0xea82", got)
	}
}

// TestProtocolGolden reads one capture per protocol and compares hosts
// and flows with testdata/golden/<protocol>.json.
func TestProtocolGolden(t *testing.T) {
	for _, c := range []struct {
		name  string
		build func(*exchange)
	}{
		{"modbus", func(x *exchange) { modbusExchange(x, ews, m340) }},
		{"s7comm", s7commExchange},
		{"s7comm-plus", s7commPlusExchange},
		{"enip", enipExchange},
		{"dnp3", dnp3Exchange},
		{"iec104", iec104Exchange},
		{"bacnet", bacnetExchange},
		{"opcua", opcuaExchange},
		{"profinet-dcp", profinetDCPExchange},
		{"rdp", rdpExchange},
		{"smb", smbExchange},
		{"ssh", sshExchange},
		{"telnet", telnetExchange},
		{"ftp", ftpExchange},
		{"vnc", vncExchange},
		{"http", httpExchange},
		{"https", httpsExchange},
		{"dns", dnsExchange},
		{"ntp", ntpExchange},
		{"snmp", snmpExchange},
		{"syslog", syslogExchange},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := newExchange(t)
			c.build(x)
			judge(t, c.name, x.read(c.name, loadGolden(t, c.name)))
		})
	}
}

// TestLinkTypes writes the Modbus exchange through every link type the
// reader decodes, and expects the flow of modbus.json each time; the hosts
// keep the MACs the link layer carries and the VLAN IDs of the tags.
func TestLinkTypes(t *testing.T) {
	ews6 := station{mac: ews.mac, ip: netip.MustParseAddr("fd00:a:1::10")}
	m3406 := station{mac: m340.mac, ip: netip.MustParseAddr("fd00:a:2::40")}
	for _, c := range []struct {
		name  string
		links []linkKind
		v6    bool
		macs  string // which hosts keep a MAC: "both", "client", "none"
		vlans []int
	}{
		{"Ethernet", []linkKind{linkEther}, false, "both", nil},
		{"Ethernet IPv6", []linkKind{linkEther}, true, "both", nil},
		{"802.1Q", []linkKind{linkDot1Q}, false, "both", []int{10}},
		{"QinQ", []linkKind{linkQinQ}, false, "both", []int{10, 100}},
		{"Linux cooked SLL", []linkKind{linkSLL}, false, "both", nil},
		{"Linux cooked SLL2", []linkKind{linkSLL2}, false, "both", nil},
		{"Linux cooked SLL2 IPv6", []linkKind{linkSLL2}, true, "both", nil},
		{"raw IPv4", []linkKind{linkRaw}, false, "none", nil},
		{"raw IPv6", []linkKind{linkRaw}, true, "none", nil},
		{"LINKTYPE_IPV4", []linkKind{linkIPv4}, false, "none", nil},
		{"LINKTYPE_IPV6", []linkKind{linkIPv6}, true, "none", nil},
		// The client's side captured on Ethernet, the server's on a raw-IP
		// interface (a tunnel, say): two link types in one pcapng.
		{"pcapng Ethernet and raw", []linkKind{linkEther, linkRaw}, false, "client", nil},
		{"pcapng QinQ and SLL", []linkKind{linkQinQ, linkSLL}, false, "both", []int{10, 100}},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := loadGolden(t, "modbus")
			client, server := ews, m340
			if c.v6 {
				client, server = ews6, m3406
				for i := range want.Flows {
					want.Flows[i].Client, want.Flows[i].Server = client.ip.String(), server.ip.String()
				}
				want.Hosts[0].IP, want.Hosts[1].IP = client.ip.String(), server.ip.String()
			}
			for i := range want.Hosts {
				if c.macs == "none" || (c.macs == "client" && i == 1) {
					want.Hosts[i].MACs, want.Hosts[i].Vendor = nil, ""
				}
				// A packet's tags go to both its hosts, whichever sent it.
				want.Hosts[i].VLANs = c.vlans
			}
			x := newExchange(t, c.links...)
			if len(c.links) > 1 {
				x.iface = func(src station) int {
					if src.ip == client.ip {
						return 0
					}
					return 1
				}
			}
			modbusExchange(x, client, server)
			judge(t, "link "+c.name, x.read("modbus", want))
		})
	}
}

// TestFragmentedDatagram sends a syslog message too long for one Ethernet
// frame: three IPv4 fragments are one packet of the flow, with the bytes of
// all three, whether they arrive in order or last first (as some stacks
// send them).
func TestFragmentedDatagram(t *testing.T) {
	for _, reversed := range []bool{false, true} {
		t.Run(fmt.Sprint("reversed=", reversed), func(t *testing.T) {
			x := newExchange(t)
			msg := []byte("<134>1 2024-03-05T08:00:00.021Z m340 PLC - - - Diagnostic buffer: ")
			for i := 0; len(msg) < 3200; i++ {
				msg = fmt.Appendf(msg, "event %04d: module 3 channel 2 wire break cleared; ", i)
			}
			udp := &layers.UDP{SrcPort: 51514, DstPort: 514}
			ipFor := func(flags layers.IPv4Flag, offset int) *layers.IPv4 {
				return &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: 0x4242, Flags: flags, FragOffset: uint16(offset / 8),
					Protocol: layers.IPProtocolUDP, SrcIP: m340.ip.AsSlice(), DstIP: itServer.ip.AsSlice()}
			}
			if err := udp.SetNetworkLayerForChecksum(ipFor(0, 0)); err != nil {
				t.Fatal(err)
			}
			datagram := x.serialise(udp, gopacket.Payload(msg)) // UDP header and message, checksum over the whole
			const chunk = 1480                                  // a 1500-byte MTU less the IPv4 header; a multiple of 8
			var offsets []int
			for off := 0; off < len(datagram); off += chunk {
				offsets = append(offsets, off)
			}
			if reversed {
				slices.Reverse(offsets)
			}
			for _, off := range offsets {
				end := min(off+chunk, len(datagram))
				flags := layers.IPv4MoreFragments
				if end == len(datagram) {
					flags = 0
				}
				l3 := x.serialise(ipFor(flags, off), gopacket.Payload(datagram[off:end]))
				x.add(m340, itServer, layers.EthernetTypeIPv4, l3, flowKeyOf(m340, itServer, "udp", 514), off > 0)
			}
			if len(x.recs) != 3 {
				t.Fatalf("%d fragments, want 3", len(x.recs))
			}
			judge(t, fmt.Sprint("syslog-fragmented reversed=", reversed), x.read("syslog-fragmented", loadGolden(t, "syslog-fragmented")))
		})
	}
}

// TestS7CommPlusReconnect: TIA Portal connects twice to the same PLC. The
// second connection's COTP connect is the same operation as the first's.
func TestS7CommPlusReconnect(t *testing.T) {
	x := newExchange(t)
	s7commPlusExchange(x)
	c := x.tcp(ews, s7plc, 49222, 102)
	c.c(tpkt(hx(`1f | e0 | 0000 | 0002 | 00 | c0 01 0a | c1 02 0600 | c2 10`), []byte("SIMATIC-ROOT-HMI")))
	c.s(tpkt(hx(`1f | d0 | 0002 | 0046 | 00 | c0 01 0a | c1 02 0600 | c2 10`), []byte("SIMATIC-ROOT-HMI")))
	c.c(s7plus(0x01, hx(`31 | 0000 | 04ca | 0000 | 0001 | 00000121 | 36 | 00000000`)))
	c.s(s7plus(0x01, hx(`32 | 0000 | 04ca | 0000 | 0001 | 00000121 | 00 | 00000000`)))
	c.close()
	judge(t, "s7comm-plus-reconnect", x.read("s7comm-plus-reconnect", loadGolden(t, "s7comm-plus-reconnect")))
}

// TestOneHostPerDevice: a PLC that answers DCP and speaks S7 over IP is one
// host, keyed by its IP (Host.Key: "its MAC when it spoke no IP"): no
// MAC-only host may hold a MAC an IP host holds.
func TestOneHostPerDevice(t *testing.T) {
	x := newExchange(t)
	profinetDCPExchange(x)
	s7commExchange(x)
	res := readInput(t, x.write("dcp-and-s7.pcap"))
	ipMACs := map[string]string{}
	for _, h := range res.Hosts {
		for _, m := range h.MACs {
			if h.IP != "" {
				ipMACs[m] = h.IP
			}
		}
	}
	var bad []string
	for _, h := range res.Hosts {
		if ip, ok := ipMACs[h.Key()]; h.IP == "" && ok {
			bad = append(bad, fmt.Sprintf("host %s (roles %q) is also host %s", h.Key(), h.Roles, ip))
		}
	}
	judge(t, "one host per device", bad)
}
