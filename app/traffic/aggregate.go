package traffic

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
	"github.com/zonewalk/zonewalk/app/traffic/oui"
	"github.com/zonewalk/zonewalk/app/traffic/pcap"
	"github.com/zonewalk/zonewalk/app/traffic/zeek"
	"github.com/zonewalk/zonewalk/assets"
)

// Limits that keep memory bounded by hosts and flows, never by packets.
const (
	maxOpsPerFlow  = 64
	maxMACsPerHost = 4
	maxVLANs       = 8
	// maxConns bounds the table of open connections; beyond it, closed and
	// idle connections are forgotten (a later packet of one starts a new
	// connection count, as Zeek would after its own timeouts).
	maxConns = 200_000
	// routerIPs: a MAC seen as the source of more IPs than this belongs
	// to a router or firewall forwarding them, not to those hosts.
	routerIPs = 8
	udpIdle   = time.Minute // as Zeek's udp_inactivity_timeout
	tcpIdle   = 5 * time.Minute
)

type hostKey struct {
	ip  netip.Addr
	mac [6]byte // only when ip is not valid
}

type hostAcc struct {
	key          hostKey
	macs         [][6]byte
	arp          bool // macs[0] came from ARP: keep it even on a router
	vlans        []uint16
	first, last  time.Time
	packets      int64
	bytes        int64
	lastMAC      [6]byte
	lastMACValid bool
}

type fragKey struct {
	src, dst netip.Addr
	proto    uint8
}

// maxPendingFrags bounds the fragments waiting for their first one.
const maxPendingFrags = 4096

type flowKey struct {
	client, server hostKey
	transport      uint8
	port           uint16
}

type flowAcc struct {
	key         flowKey
	protocol    string
	conns       int64
	packets     int64
	bytes       int64
	first, last time.Time
	ops         []dissect.Op
	// fromClient and fromServer are the emit callbacks for the dissectors,
	// made once per flow so that a packet allocates nothing.
	fromClient, fromServer func(dissect.Op)
}

// addServerOp keeps what a server sends of its own accord (unsolicited or
// spontaneous data); its answers repeat the client's requests.
func (f *flowAcc) addServerOp(o dissect.Op) {
	if o.Kind == dissect.Monitor {
		f.addOp(o)
	}
}

func (f *flowAcc) addOp(o dissect.Op) {
	// By name and kind: an S7 flow found to be S7comm-plus later names its
	// COTP connect under both protocols, yet it is one operation.
	for _, x := range f.ops {
		if x.Name == o.Name && x.Kind == o.Kind {
			return
		}
	}
	if len(f.ops) < maxOpsPerFlow {
		f.ops = append(f.ops, o)
	}
}

// connKey is a transport connection, its ends in a fixed order.
type connKey struct {
	a, b   netip.Addr
	ap, bp uint16
	proto  uint8
}

type conn struct {
	flow           *flowAcc
	client, server *hostAcc
	clientIsA      bool
	last           time.Time
	closed         bool // FIN or RST seen
	dissect        bool // the payload is worth dissecting
}

// Aggregator sums packets or Zeek records into hosts and flows. The zero
// value is not usable; call NewAggregator. It is not safe for concurrent use.
type Aggregator struct {
	hosts map[hostKey]*hostAcc
	flows map[flowKey]*flowAcc
	conns map[connKey]*conn
	uids  map[string]*flowAcc // Zeek connection UID → flow, for ICS logs; nil when none will be read
	seen  int64
	// macIPs counts the IPs each source MAC carried, to spot routers.
	macIPs map[[6]byte]map[netip.Addr]struct{}
	nConns int64
	// pendingFrag holds the bytes of fragments that came before their first
	// fragment, until a packet between the same hosts names their flow.
	pendingFrag map[fragKey]int64
	// etherOps collects what EtherFrame emits for one frame.
	etherOps  []dissect.Op
	etherEmit func(dissect.Op)
}

// NewAggregator returns an empty aggregator.
func NewAggregator() *Aggregator {
	return &Aggregator{
		hosts:       map[hostKey]*hostAcc{},
		flows:       map[flowKey]*flowAcc{},
		conns:       map[connKey]*conn{},
		macIPs:      map[[6]byte]map[netip.Addr]struct{}{},
		pendingFrag: map[fragKey]int64{},
	}
}

// KeepUIDs makes Conn remember which flow each ICS connection belongs to,
// for ZeekOp; without ICS logs to read that memory is not spent.
func (a *Aggregator) KeepUIDs() { a.uids = map[string]*flowAcc{} }

// Connections is the number of transport connections counted so far.
func (a *Aggregator) Connections() int64 { return a.nConns }

func (a *Aggregator) host(k hostKey) *hostAcc {
	h := a.hosts[k]
	if h == nil {
		h = &hostAcc{key: k}
		a.hosts[k] = h
	}
	return h
}

func (h *hostAcc) saw(t time.Time, size int) {
	if h.first.IsZero() || t.Before(h.first) {
		h.first = t
	}
	if t.After(h.last) {
		h.last = t
	}
	h.packets++
	h.bytes += int64(size)
}

func (h *hostAcc) addMAC(m [6]byte) {
	if h.lastMACValid && h.lastMAC == m {
		return
	}
	h.lastMAC, h.lastMACValid = m, true
	if !slices.Contains(h.macs, m) && len(h.macs) < maxMACsPerHost {
		h.macs = append(h.macs, m)
	}
}

func (h *hostAcc) addVLANs(v []uint16) {
	for _, id := range v {
		if !slices.Contains(h.vlans, id) && len(h.vlans) < maxVLANs {
			h.vlans = append(h.vlans, id)
		}
	}
}

func (a *Aggregator) flow(k flowKey, protocol string) *flowAcc {
	f := a.flows[k]
	if f == nil {
		f = &flowAcc{key: k, protocol: protocol}
		f.fromClient, f.fromServer = f.addOp, f.addServerOp
		a.flows[k] = f
	}
	return f
}

func (f *flowAcc) saw(t time.Time) {
	if f.first.IsZero() || t.Before(f.first) {
		f.first = t
	}
	if t.After(f.last) {
		f.last = t
	}
}

// countable reports whether an address names one host: not multicast,
// broadcast or unspecified.
func countable(ip netip.Addr) bool {
	if !ip.IsValid() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	if ip.Is4() {
		b := ip.As4()
		if b[3] == 255 { // a directed broadcast of a /24 or wider: good enough for plant networks
			return false
		}
	}
	return true
}

func unicastMAC(m [6]byte) bool { return m[0]&1 == 0 && m != [6]byte{} }

const (
	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpACK = 0x10
)

// Packet adds one captured packet.
func (a *Aggregator) Packet(p *pcap.Packet) {
	a.seen++
	if a.seen&0xffff == 0 && len(a.conns) > maxConns {
		a.sweep(p.Time)
	}
	if !p.Src.IsValid() {
		a.etherFrame(p)
		return
	}
	if p.Transport != 6 && p.Transport != 17 {
		a.otherIP(p)
		return
	}
	if p.Continuation && p.SrcPort == 0 && p.DstPort == 0 {
		// A later fragment ahead of its first one (some stacks send them
		// last first): its ports are not known yet. Its hosts count it now,
		// its flow when the next packet between the two hosts names it.
		a.sawHosts(p, a.ipHost(p.Src), a.ipHost(p.Dst))
		if len(a.pendingFrag) >= maxPendingFrags {
			clear(a.pendingFrag)
		}
		a.pendingFrag[fragKey{p.Src, p.Dst, p.Transport}] += int64(p.WireLen)
		return
	}
	// The connection holds its hosts and flow: one map lookup per packet.
	ck, aIsSrc := orderConn(p)
	c := a.conns[ck]
	if c != nil && c.startsAgain(p) {
		c = nil
	}
	if c == nil {
		if !countable(p.Src) {
			a.sawHosts(p, nil, a.ipHost(p.Dst))
			return // from 0.0.0.0 (DHCP) or a broadcast source: no flow
		}
		c = a.openConn(ck, p, aIsSrc)
	}
	src, dst := c.client, c.server
	if c.clientIsA != aIsSrc {
		src, dst = dst, src
	}
	a.sawHosts(p, src, dst)
	c.last = p.Time
	if p.Transport == 6 && p.TCPFlags&(tcpFIN|tcpRST) != 0 {
		c.closed = true
	}
	f := c.flow
	f.bytes += int64(p.WireLen)
	if len(a.pendingFrag) > 0 {
		k := fragKey{p.Src, p.Dst, p.Transport}
		f.bytes += a.pendingFrag[k]
		delete(a.pendingFrag, k)
	}
	if p.Continuation {
		return
	}
	f.packets++
	f.saw(p.Time)
	if c.dissect && len(p.Payload) > 0 {
		if c.clientIsA == aIsSrc {
			f.protocol = dissect.Dissect(f.protocol, p.Payload, true, f.fromClient)
		} else {
			f.protocol = dissect.Dissect(f.protocol, p.Payload, false, f.fromServer)
		}
	}
}

// ipHost is the host of a countable address, or nil.
func (a *Aggregator) ipHost(ip netip.Addr) *hostAcc {
	if !countable(ip) {
		return nil
	}
	return a.host(hostKey{ip: ip})
}

func (a *Aggregator) sawHosts(p *pcap.Packet, src, dst *hostAcc) {
	for i, h := range [2]*hostAcc{src, dst} {
		if h == nil {
			continue
		}
		if p.Continuation {
			h.bytes += int64(p.WireLen)
		} else {
			h.saw(p.Time, p.WireLen)
		}
		if len(p.VLANs) > 0 {
			h.addVLANs(p.VLANs)
		}
		if i == 0 && p.HasMAC && unicastMAC(p.SrcMAC) && !(h.lastMACValid && h.lastMAC == p.SrcMAC) {
			h.addMAC(p.SrcMAC)
			a.noteMAC(p.SrcMAC, p.Src)
		}
	}
}

// otherIP counts ICMP and other IP protocols: one flow per pair and
// protocol.
func (a *Aggregator) otherIP(p *pcap.Packet) {
	src, dst := a.ipHost(p.Src), a.ipHost(p.Dst)
	a.sawHosts(p, src, dst)
	if src == nil {
		return
	}
	k := flowKey{client: src.key, server: hostKey{ip: p.Dst}, transport: p.Transport}
	f := a.flow(k, protoName(p.Transport))
	if f.conns == 0 {
		f.conns++
		a.nConns++
	}
	f.bytes += int64(p.WireLen)
	if !p.Continuation {
		f.packets++
		f.saw(p.Time)
	}
}

// startsAgain reports whether a packet opens a new connection on the same
// ports: a fresh SYN after the old one closed, or UDP after a long silence.
func (c *conn) startsAgain(p *pcap.Packet) bool {
	if p.Transport == 6 {
		return c.closed && p.TCPFlags&(tcpSYN|tcpACK) == tcpSYN
	}
	return p.Time.Sub(c.last) > udpIdle
}

func orderConn(p *pcap.Packet) (connKey, bool) {
	if c := p.Src.Compare(p.Dst); c < 0 || (c == 0 && p.SrcPort <= p.DstPort) {
		return connKey{a: p.Src, b: p.Dst, ap: p.SrcPort, bp: p.DstPort, proto: p.Transport}, true
	}
	return connKey{a: p.Dst, b: p.Src, ap: p.DstPort, bp: p.SrcPort, proto: p.Transport}, false
}

// openConn starts a connection: which side is the client comes from the
// TCP handshake when it was captured, else from the ports.
func (a *Aggregator) openConn(ck connKey, p *pcap.Packet, aIsSrc bool) *conn {
	srcIsClient := clientIsSource(p)
	c := &conn{clientIsA: srcIsClient == aIsSrc, last: p.Time}
	client, server, sport := p.Src, p.Dst, p.DstPort
	if !srcIsClient {
		client, server, sport = p.Dst, p.Src, p.SrcPort
	}
	c.client, c.server = a.ipHost(client), a.ipHost(server)
	protocol := dissect.ByPort(p.Transport, sport)
	c.dissect = protocol != ""
	if protocol == "" {
		protocol = protoName(p.Transport) + "/" + strconv.Itoa(int(sport))
	}
	k := flowKey{client: hostKey{ip: client}, server: hostKey{ip: server}, transport: p.Transport, port: sport}
	c.flow = a.flow(k, protocol)
	c.flow.conns++
	a.nConns++
	a.conns[ck] = c
	return c
}

// clientIsSource decides whether the packet's source opened the
// connection.
func clientIsSource(p *pcap.Packet) bool {
	if p.Transport == 6 {
		switch p.TCPFlags & (tcpSYN | tcpACK) {
		case tcpSYN:
			return true
		case tcpSYN | tcpACK:
			return false
		}
	}
	// Mid-stream: the side on a known service port is the server; else the
	// lower port.
	srcKnown := dissect.ByPort(p.Transport, p.SrcPort) != ""
	dstKnown := dissect.ByPort(p.Transport, p.DstPort) != ""
	switch {
	case dstKnown && !srcKnown:
		return true
	case srcKnown && !dstKnown:
		return false
	}
	return p.DstPort <= p.SrcPort
}

// sweep forgets closed and idle connections when the table is full.
func (a *Aggregator) sweep(now time.Time) {
	for k, c := range a.conns {
		idle := now.Sub(c.last)
		if c.closed || (k.proto == 17 && idle > udpIdle) || idle > tcpIdle {
			delete(a.conns, k)
		}
	}
	if len(a.conns) > maxConns { // still full: a scan or a flood; forget the oldest half
		cut := now.Add(-udpIdle / 6)
		for k, c := range a.conns {
			if c.last.Before(cut) {
				delete(a.conns, k)
			}
		}
	}
}

func (a *Aggregator) noteMAC(m [6]byte, ip netip.Addr) {
	s := a.macIPs[m]
	if s == nil {
		s = map[netip.Addr]struct{}{}
		a.macIPs[m] = s
	}
	if len(s) <= routerIPs {
		s[ip] = struct{}{}
	}
}

// etherFrame handles frames without IP: ARP ties a MAC to an IP; Profinet
// DCP and RT frames become flows between MACs.
func (a *Aggregator) etherFrame(p *pcap.Packet) {
	if !p.HasMAC {
		return
	}
	if p.EtherType == 0x0806 && len(p.Payload) >= 28 {
		arp := p.Payload
		// Ethernet/IPv4 ARP: sender MAC at 8, sender IP at 14.
		if arp[0] == 0 && arp[1] == 1 && arp[2] == 8 && arp[3] == 0 && arp[4] == 6 && arp[5] == 4 {
			var mac [6]byte
			copy(mac[:], arp[8:14])
			ip := netip.AddrFrom4([4]byte(arp[14:18]))
			if countable(ip) && unicastMAC(mac) {
				h := a.host(hostKey{ip: ip})
				h.saw(p.Time, p.WireLen)
				if !h.arp {
					h.macs = slices.DeleteFunc(h.macs, func(m [6]byte) bool { return m == mac })
					h.macs = slices.Insert(h.macs, 0, mac)
					if len(h.macs) > maxMACsPerHost {
						h.macs = h.macs[:maxMACsPerHost]
					}
					h.arp = true
				}
				h.addVLANs(p.VLANs)
			}
		}
		return
	}
	if a.etherEmit == nil {
		a.etherEmit = func(o dissect.Op) { a.etherOps = append(a.etherOps, o) }
	}
	a.etherOps = a.etherOps[:0]
	proto := dissect.EtherFrame(p.EtherType, p.Payload, a.etherEmit)
	if proto == "" || !unicastMAC(p.SrcMAC) {
		return
	}
	src := a.host(hostKey{mac: p.SrcMAC})
	src.saw(p.Time, p.WireLen)
	src.addVLANs(p.VLANs)
	dstKey := hostKey{mac: p.DstMAC}
	if unicastMAC(p.DstMAC) {
		dst := a.host(dstKey)
		dst.saw(p.Time, p.WireLen)
	}
	// A DCP response (service type bit 0) goes from the device that was
	// asked to the station that asked: the asker is the client.
	client, server := src.key, dstKey
	if proto == "profinet-dcp" && len(p.Payload) >= 4 && p.Payload[3]&0x01 != 0 && unicastMAC(p.DstMAC) {
		client, server = dstKey, src.key
	}
	f := a.flow(flowKey{client: client, server: server, transport: 0, port: p.EtherType}, proto)
	if f.packets == 0 {
		f.conns++
		a.nConns++
	}
	f.packets++
	f.bytes += int64(p.WireLen)
	f.saw(p.Time)
	for _, o := range a.etherOps {
		f.addOp(o)
	}
}

// Conn adds one connection from a Zeek conn.log.
func (a *Aggregator) Conn(c *zeek.Conn) {
	var tr uint8
	switch c.Proto {
	case "tcp":
		tr = 6
	case "udp":
		tr = 17
	case "icmp":
		tr = 1
	default:
		return
	}
	end := c.TS.Add(c.Duration)
	pk := c.OrigPkts + c.RespPkts
	by := c.OrigIPBytes + c.RespIPBytes
	var client, server *hostAcc
	if countable(c.OrigH) {
		client = a.host(hostKey{ip: c.OrigH})
		client.sawSpan(c.TS, end, c.OrigPkts, c.OrigIPBytes)
		if c.HasMAC && unicastMAC(c.OrigMAC) {
			client.addMAC(c.OrigMAC)
			a.noteMAC(c.OrigMAC, c.OrigH)
		}
		client.addVLANs(vlansOf(c))
	}
	if countable(c.RespH) {
		server = a.host(hostKey{ip: c.RespH})
		server.sawSpan(c.TS, end, c.RespPkts, c.RespIPBytes)
		if c.HasMAC && unicastMAC(c.RespMAC) {
			server.addMAC(c.RespMAC)
			a.noteMAC(c.RespMAC, c.RespH)
		}
		server.addVLANs(vlansOf(c))
	}
	if client == nil {
		return
	}
	port := c.RespP
	if tr == 1 {
		port = 0
	}
	protocol := ""
	if tr != 1 {
		protocol = dissect.ByPort(tr, port)
		if protocol == "" {
			protocol = zeekService(c.Service)
		}
	}
	if protocol == "" {
		protocol = protoName(tr)
		if tr != 1 {
			protocol += "/" + strconv.Itoa(int(port))
		}
	}
	f := a.flow(flowKey{client: hostKey{ip: c.OrigH}, server: hostKey{ip: c.RespH}, transport: tr, port: port}, protocol)
	f.conns++
	a.nConns++
	f.packets += pk
	f.bytes += by
	f.saw(c.TS)
	f.saw(end)
	if a.uids != nil && c.UID != "" && isICS(protocol) {
		a.uids[c.UID] = f
	}
}

func vlansOf(c *zeek.Conn) []uint16 {
	var v []uint16
	if c.VLAN != 0 {
		v = append(v, c.VLAN)
	}
	if c.InnerVLAN != 0 {
		v = append(v, c.InnerVLAN)
	}
	return v
}

func (h *hostAcc) sawSpan(from, to time.Time, packets, bytes int64) {
	h.saw(from, 0)
	h.packets--
	if to.After(h.last) {
		h.last = to
	}
	h.packets += packets
	h.bytes += bytes
}

// ZeekOp adds an operation a Zeek ICS log saw on a connection. An op whose
// connection is not in the conn logs read is counted in orphans.
func (a *Aggregator) ZeekOp(o zeek.Op) bool {
	f := a.uids[o.UID]
	if f == nil {
		return false
	}
	f.addOp(o.Op)
	return true
}

func isICS(protocol string) bool {
	switch protocol {
	case "modbus", "s7comm", "s7comm-plus", "enip", "cip", "dnp3", "iec104", "bacnet", "opcua":
		return true
	}
	return false
}

// zeekService maps Zeek's service column to our protocol names for ports
// ByPort does not know.
func zeekService(s string) string {
	for _, part := range splitComma(s) {
		switch part {
		case "ssl":
			return "https"
		case "modbus", "dnp3", "http", "ssh", "ftp", "dns", "ntp", "snmp", "syslog", "rdp", "smb", "bacnet", "enip", "cip", "s7comm", "telnet":
			return part
		case "krb", "krb_tcp", "dce_rpc", "ntlm", "gssapi":
			return "smb"
		}
	}
	return ""
}

func splitComma(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != ',' {
			i++
		}
		out = append(out, s[:i])
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return out
}

func protoName(tr uint8) string {
	switch tr {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	case 1:
		return "icmp"
	case 58:
		return "icmpv6"
	case 0:
		return "ether"
	}
	return "ip-" + strconv.Itoa(int(tr))
}

func macString(m [6]byte) string { return net.HardwareAddr(m[:]).String() }

func (k hostKey) String() string {
	if k.ip.IsValid() {
		return k.ip.String()
	}
	return macString(k.mac)
}

// Result returns the hosts and flows gathered, as records of source,
// sorted by address so the same input always gives the same records.
func (a *Aggregator) Result(source string) (hosts []Host, flows []Flow) {
	routers := map[[6]byte]bool{}
	for m, ips := range a.macIPs {
		if len(ips) > routerIPs {
			routers[m] = true
		}
	}
	// A device seen both in frames without IP (Profinet DCP) and with IP is
	// one host: its MAC-only key stands for the IP host owning that MAC,
	// when exactly one does.
	owners := map[[6]byte][]hostKey{}
	for _, h := range a.hosts {
		if h.key.ip.IsValid() {
			for _, m := range h.macs {
				if !routers[m] {
					owners[m] = append(owners[m], h.key)
				}
			}
		}
	}
	alias := func(k hostKey) hostKey {
		if o := owners[k.mac]; !k.ip.IsValid() && len(o) == 1 {
			return o[0]
		}
		return k
	}
	merged := map[hostKey]*hostAcc{} // the IP hosts, with what their MAC-only keys saw
	for _, h := range a.hosts {
		t := alias(h.key)
		if t == h.key {
			continue
		}
		m := merged[t]
		if m == nil {
			c := *a.hosts[t]
			m = &c
			merged[t] = m
		}
		m.packets += h.packets
		m.bytes += h.bytes
		if !h.first.IsZero() && (m.first.IsZero() || h.first.Before(m.first)) {
			m.first = h.first
		}
		if h.last.After(m.last) {
			m.last = h.last
		}
		m.vlans = append(slices.Clip(m.vlans), h.vlans...)
	}
	roles := a.roles(alias)
	for _, h := range a.hosts {
		if alias(h.key) != h.key {
			continue
		}
		if m := merged[h.key]; m != nil {
			h = m
		}
		r := Host{Source: source, First: h.first.UTC(), Last: h.last.UTC(), Packets: h.packets, Bytes: h.bytes}
		if h.key.ip.IsValid() {
			r.IP = h.key.ip.String()
		}
		for i, m := range h.macs {
			if routers[m] && !(i == 0 && h.arp) && h.key.ip.IsValid() {
				continue
			}
			r.MACs = append(r.MACs, macString(m))
			if r.Vendor == "" {
				r.Vendor = oui.Vendor(m)
			}
		}
		if !h.key.ip.IsValid() {
			r.MACs = []string{macString(h.key.mac)}
			r.Vendor = oui.Vendor(h.key.mac)
		}
		for _, v := range h.vlans {
			if !slices.Contains(r.VLANs, int(v)) {
				r.VLANs = append(r.VLANs, int(v))
			}
		}
		slices.Sort(r.VLANs)
		r.Roles = roles[h.key]
		r.ID = recordID(source, "h", r.Key())
		hosts = append(hosts, r)
	}
	slices.SortFunc(hosts, func(x, y Host) int { return assets.CompareAddress(x.Key(), y.Key()) })
	for _, f := range a.flows {
		r := Flow{Source: source, Client: alias(f.key.client).String(), Server: alias(f.key.server).String(),
			Transport: protoName(f.key.transport), Port: int(f.key.port), Protocol: f.protocol,
			Connections: f.conns, Packets: f.packets, Bytes: f.bytes, First: f.first.UTC(), Last: f.last.UTC()}
		for _, o := range f.ops {
			r.Ops = append(r.Ops, Op{Protocol: o.Protocol, Name: o.Name, Kind: o.Kind.String()})
		}
		slices.SortFunc(r.Ops, func(x, y Op) int { return cmp.Or(cmp.Compare(x.Protocol, y.Protocol), cmp.Compare(x.Name, y.Name)) })
		r.ID = recordID(source, "f", r.Key())
		flows = append(flows, r)
	}
	slices.SortFunc(flows, func(x, y Flow) int {
		return cmp.Or(assets.CompareAddress(x.Client, y.Client), assets.CompareAddress(x.Server, y.Server),
			cmp.Compare(x.Transport, y.Transport), cmp.Compare(x.Port, y.Port))
	})
	return hosts, flows
}

// Key identifies the flow across sources.
func (f *Flow) Key() string {
	return f.Client + " " + f.Server + " " + f.Transport + "/" + strconv.Itoa(f.Port)
}

// recordID derives a record ID from the source and what the record is
// about, short enough for the store's 200-byte limit whatever the source.
func recordID(source, kind, key string) string {
	sum := sha256.Sum256([]byte(key))
	return source + "." + kind + hex.EncodeToString(sum[:8])
}

// roleNames name what serving or using a protocol makes a host.
var serverRoles = map[string]string{
	"modbus": "Modbus server", "s7comm": "S7 PLC", "s7comm-plus": "S7 PLC", "enip": "EtherNet/IP device",
	"cip": "EtherNet/IP device", "dnp3": "DNP3 outstation", "iec104": "IEC 104 outstation", "bacnet": "BACnet device",
	"opcua": "OPC UA server", "rdp": "RDP server", "smb": "file server", "ssh": "SSH server", "telnet": "Telnet server",
	"ftp": "FTP server", "vnc": "VNC server", "http": "web server", "https": "web server", "dns": "DNS server",
	"ntp": "NTP server", "snmp": "SNMP agent", "syslog": "syslog server", "profinet-dcp": "Profinet device",
	"profinet-rt": "Profinet device",
}

var clientRoles = map[string]string{
	"modbus": "Modbus client", "s7comm": "S7 client", "s7comm-plus": "S7 client", "enip": "EtherNet/IP scanner",
	"cip": "EtherNet/IP scanner", "dnp3": "DNP3 master", "iec104": "IEC 104 controlling station",
	"opcua": "OPC UA client", "rdp": "RDP client", "vnc": "VNC client",
}

// EngineeringClient is the role of a host seen programming, starting or
// stopping controllers.
const EngineeringClient = "engineering client"

func (a *Aggregator) roles(alias func(hostKey) hostKey) map[hostKey][]string {
	out := map[hostKey][]string{}
	add := func(k hostKey, role string) {
		k = alias(k)
		if role != "" && !slices.Contains(out[k], role) {
			out[k] = append(out[k], role)
		}
	}
	for _, f := range a.flows {
		add(f.key.server, serverRoles[f.protocol])
		add(f.key.client, clientRoles[f.protocol])
		for _, o := range f.ops {
			if o.Kind == dissect.Program || o.Kind == dissect.Control {
				add(f.key.client, EngineeringClient)
			}
		}
	}
	for _, r := range out {
		slices.Sort(r)
	}
	return out
}

// GuessType is the asset type a host's roles suggest, for a candidate the
// auditor accepts.
func GuessType(roles []string) string {
	has := func(r ...string) bool {
		for _, x := range r {
			if slices.Contains(roles, x) {
				return true
			}
		}
		return false
	}
	switch {
	case has(EngineeringClient):
		return "ews"
	case has("S7 PLC", "Modbus server", "EtherNet/IP device", "Profinet device"):
		return "plc"
	case has("DNP3 outstation", "IEC 104 outstation"):
		return "rtu"
	case has("OPC UA server", "DNS server", "NTP server", "syslog server", "file server", "web server"):
		return "server"
	case has("Modbus client", "S7 client", "EtherNet/IP scanner", "OPC UA client", "DNP3 master", "IEC 104 controlling station"):
		return "hmi"
	case has("RDP client", "VNC client", "RDP server"):
		return "workstation"
	case has("BACnet device"):
		return "other"
	}
	return "other"
}

// damageText says where a capture stopped making sense.
func damageText(d *pcap.Damage) string {
	if d == nil {
		return ""
	}
	return fmt.Sprintf("damaged at byte %d, %d packets read: %v", d.Offset, d.Packets, d.Err)
}
