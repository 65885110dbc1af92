package synth

import (
	"net/netip"
	"slices"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// kind is what a flow carries; it picks the connection script.
type kind uint8

const (
	kModbus kind = iota
	kS7
	kDNP3
	kHTTPS
	kSMB
	kRDP
	kSSH
	kDNS
	kNTP
	nKinds
)

// kindInfo: port, transport and Zeek service of each kind.
var kindInfo = [nKinds]struct {
	port      uint16
	transport uint8
	service   string // conn.log service column as a Zeek 6/7 sensor writes it; "" for unset
}{
	kModbus: {502, dissect.TCP, "modbus"},
	kS7:     {102, dissect.TCP, ""}, // Zeek has no S7comm analyzer of its own
	kDNP3:   {20000, dissect.TCP, "dnp3"},
	kHTTPS:  {443, dissect.TCP, "ssl"},
	kSMB:    {445, dissect.TCP, "smb"},
	kRDP:    {3389, dissect.TCP, "rdp"},
	kSSH:    {22, dissect.TCP, "ssh"},
	kDNS:    {53, dissect.UDP, "dns"},
	kNTP:    {123, dissect.UDP, "ntp"},
}

// connWeight is how often a new connection is of each kind; the sizes in
// engine.go then make most bytes IT bulk and most connections industrial.
var connWeight = [nKinds]int{
	kModbus: 300, kS7: 150, kDNP3: 60,
	kHTTPS: 110, kSMB: 45, kRDP: 20, kSSH: 25,
	kDNS: 240, kNTP: 50,
}

// Vendor prefixes (MA-L), as oui.csv of ieee-data 20220827.1 lists them.
var (
	ouiSiemens   = [][3]byte{{0x00, 0x0e, 0x8c}, {0x28, 0x63, 0x36}, {0x00, 0x1b, 0x1b}, {0xec, 0x1c, 0x5d}}
	ouiRockwell  = [][3]byte{{0x00, 0x00, 0xbc}, {0x00, 0x1d, 0x9c}, {0x5c, 0x88, 0x16}, {0xf4, 0x54, 0x33}}
	ouiSchneider = [][3]byte{{0x00, 0x00, 0x54}, {0x00, 0x80, 0xf4}}
	ouiSEL       = [][3]byte{{0x00, 0x30, 0xa7}}
	ouiDell      = [][3]byte{{0x14, 0xfe, 0xb5}, {0xf8, 0xbc, 0x12}, {0xb8, 0xac, 0x6f}, {0xd4, 0xbe, 0xd9}, {0xe4, 0x43, 0x4b}}
	ouiHP        = [][3]byte{{0x3c, 0x4a, 0x92}, {0x00, 0x21, 0x5a}, {0x9c, 0x7b, 0xef}, {0xb4, 0xb5, 0x2f}}
	ouiHPE       = [][3]byte{{0x4c, 0xae, 0xa3}}
)

// host is one IP host of the plant.
type host struct {
	addr netip.Addr
	ip   [4]byte
	mac  [6]byte
	ttl  uint8
	ipID uint16 // next IP identification
	port uint16 // next ephemeral port offset
}

// flow is one client/server/port relation, with its running totals.
type flow struct {
	client, server *host
	kind           kind
	eng            bool   // an engineering station: S7 writes and the odd PLC stop
	ops            uint32 // bit i: opNames[i] seen in a request
	conns          int64
	packets        int64
	bytes          int64
	fixed          []op // small scenario: the requests, in order
}

// op is one exchange of the small scenario's fixed script: an industrial
// request's function code, or an IT request's and response's lengths.
type op struct {
	code      byte
	req, resp int
}

// Op names in ground truth, as dissect names them; the bit index in flow.ops.
var opList = []struct {
	k    kind
	code byte
}{
	{kModbus, fcReadHolding}, {kModbus, fcReadInput}, {kModbus, fcWriteSingle}, {kModbus, fcWriteMultiple},
	{kS7, s7SetupComm}, {kS7, s7ReadVar}, {kS7, s7WriteVar}, {kS7, s7PLCStop},
	{kDNP3, dnp3Read}, {kDNP3, dnp3DirectOperate},
}

func opBit(k kind, code byte) uint32 {
	for i, o := range opList {
		if o.k == k && o.code == code {
			return 1 << i
		}
	}
	panic("synth: op not in opList")
}

func opName(k kind, code byte) string {
	switch k {
	case kModbus:
		return dissect.ModbusFunction(code).Name
	case kS7:
		return dissect.S7Function(code).Name
	case kDNP3:
		return dissect.DNP3Function(code).Name
	}
	return ""
}

// plant is every host and flow of a run.
type plant struct {
	hosts    []*host
	flows    []*flow
	byKind   [nKinds][]*flow
	conduits []*flow
	cover    []*flow // a flow for each host, played first (see coverage)
	script   []*flow // small scenario: one connection per flow, in order
}

// zone addresses: level n hosts are 10.n.S.H, S counting /24s from 1.
func newHost(level, i int, oui [3]byte, ttl uint8, idx int) *host {
	s, h := i/250+1, i%250+5 // .5 to .254 of each /24
	ip := [4]byte{10, byte(level), byte(s), byte(h)}
	return &host{
		addr: netip.AddrFrom4(ip),
		ip:   ip,
		mac:  [6]byte{oui[0], oui[1], oui[2], byte(idx >> 16), byte(idx >> 8), byte(idx)},
		ttl:  ttl,
		ipID: uint16(idx * 7919),
	}
}

// buildPlant lays out the hosts of four zones and their flows:
//
//	L1 10.1.0.0/16  PLCs: Siemens (S7comm), Schneider and Rockwell (Modbus), SEL RTUs (DNP3)
//	L2 10.2.0.0/16  HMIs polling L1, engineering stations (S7 writes, PLC stop)
//	L3 10.3.0.0/16  servers: DNS and NTP, file (SMB), web (HTTPS), jump hosts (RDP, SSH)
//	L4 10.4.0.0/16  office PCs: DNS, NTP, HTTPS, SMB, some RDP and SSH
//
// plus three conduits nobody declared: L4 PCs reading L1 PLCs directly.
func buildPlant(hosts int) *plant {
	p := &plant{}
	n1 := max(4, hosts*30/100)
	n2 := max(2, hosts*12/100)
	n3 := max(4, hosts*8/100)
	n4 := max(3, hosts-n1-n2-n3)
	idx := 0
	add := func(level, i int, ouis [][3]byte, ttl uint8) *host {
		idx++
		h := newHost(level, i, ouis[idx%len(ouis)], ttl, idx)
		p.hosts = append(p.hosts, h)
		return h
	}

	var siemens, modbusPLC, rtus []*host
	for i := range n1 {
		switch i % 20 {
		case 0, 1, 2, 3, 4, 5, 6, 7: // 40 %
			siemens = append(siemens, add(1, i, ouiSiemens, 30))
		case 8, 9, 10, 11, 12, 13:
			modbusPLC = append(modbusPLC, add(1, i, ouiSchneider, 64))
		case 14, 15, 16:
			modbusPLC = append(modbusPLC, add(1, i, ouiRockwell, 64))
		default:
			rtus = append(rtus, add(1, i, ouiSEL, 64))
		}
	}
	var hmis, engs []*host
	for i := range n2 {
		if i%5 == 4 {
			engs = append(engs, add(2, i, ouiDell, 128))
		} else {
			hmis = append(hmis, add(2, i, ouiHP, 128))
		}
	}
	if len(engs) == 0 {
		engs = hmis[:1]
	}
	var servers []*host
	for i := range n3 {
		servers = append(servers, add(3, i, ouiHPE, 64))
	}
	var pcs []*host
	for i := range n4 {
		if i%2 == 0 {
			pcs = append(pcs, add(4, i, ouiDell, 128))
		} else {
			pcs = append(pcs, add(4, i, ouiHP, 128))
		}
	}

	type fkey struct {
		c, s *host
		k    kind
	}
	have := map[fkey]bool{}
	addFlow := func(c, s *host, k kind, eng bool) {
		// A flow is one client, server and port: in a small plant two
		// roles may fall on the same pair, and an HMI may be an
		// engineering station's stand-in.
		if have[fkey{c, s, k}] {
			return
		}
		have[fkey{c, s, k}] = true
		f := &flow{client: c, server: s, kind: k, eng: eng}
		p.flows = append(p.flows, f)
		p.byKind[k] = append(p.byKind[k], f)
	}
	// Each PLC is polled by one HMI, a third of them by a second one too.
	poll := func(devs []*host, k kind) {
		for i, d := range devs {
			addFlow(hmis[i%len(hmis)], d, k, false)
			if i%3 == 0 && len(hmis) > 1 {
				addFlow(hmis[(i+1)%len(hmis)], d, k, false)
			}
		}
	}
	poll(siemens, kS7)
	poll(modbusPLC, kModbus)
	poll(rtus, kDNP3)
	for i, d := range siemens {
		addFlow(engs[i%len(engs)], d, kS7, true)
	}
	// The server roles: DNS+NTP, file, web, jump host, round robin.
	role := func(r int) []*host {
		var out []*host
		for i, s := range servers {
			if i%4 == r {
				out = append(out, s)
			}
		}
		return out
	}
	infra, files, webs, jumps := role(0), role(1), role(2), role(3)
	pick := func(hs []*host, i int) *host { return hs[i%len(hs)] }
	for i, h := range slices.Concat(hmis, engs) {
		addFlow(h, pick(infra, i), kDNS, false)
		addFlow(h, pick(infra, i+1), kNTP, false)
		addFlow(h, pick(files, i), kSMB, false)
	}
	for i, s := range servers {
		if i%4 != 0 {
			addFlow(s, pick(infra, i), kDNS, false)
			addFlow(s, pick(infra, i), kNTP, false)
		}
	}
	for i, h := range pcs {
		addFlow(h, pick(infra, i), kDNS, false)
		addFlow(h, pick(infra, i), kNTP, false)
		addFlow(h, pick(webs, i), kHTTPS, false)
		if i%3 == 0 {
			addFlow(h, pick(webs, i+1), kHTTPS, false)
		}
		addFlow(h, pick(files, i), kSMB, false)
		if i%10 == 0 {
			addFlow(h, pick(jumps, i), kRDP, false)
		}
		if i%20 == 0 {
			addFlow(h, pick(jumps, i), kSSH, false)
		}
	}
	for i, h := range engs {
		addFlow(h, pick(jumps, i), kRDP, false)
	}
	// The undeclared conduits, L4 straight into L1: picked apart from their
	// kind (see engine.pick), so that even a short capture has them.
	for _, c := range []struct {
		pc, plc *host
		k       kind
	}{
		{pcs[0], modbusPLC[0], kModbus},
		{pcs[1%len(pcs)], siemens[0], kS7},
		{pcs[2%len(pcs)], modbusPLC[len(modbusPLC)-1], kModbus},
	} {
		f := &flow{client: c.pc, server: c.plc, kind: c.k}
		p.flows = append(p.flows, f)
		p.conduits = append(p.conduits, f)
	}
	p.coverage()
	return p
}

// coverage lists the conduits, then, in flow order, each flow that brings
// in a host no flow before it did. The engine opens one short connection on
// each before drawing flows at random, so every host and every conduit is in
// the capture after its first few MB (about 1 KB per host) rather than
// after many GB.
func (p *plant) coverage() {
	seen := make(map[*host]bool, len(p.hosts))
	p.cover = append(p.cover, p.conduits...)
	for _, f := range p.flows {
		if !seen[f.client] || !seen[f.server] {
			seen[f.client], seen[f.server] = true, true
			p.cover = append(p.cover, f)
		}
	}
}

// buildSmall is the "small" scenario: eleven hosts, ten flows of one
// connection each, every request fixed (see the Scenario documentation).
func buildSmall() *plant {
	p := &plant{}
	h := func(a, b, c, d byte, oui [3]byte, ttl uint8) *host {
		idx := len(p.hosts) + 1
		x := &host{addr: netip.AddrFrom4([4]byte{a, b, c, d}), ip: [4]byte{a, b, c, d},
			mac: [6]byte{oui[0], oui[1], oui[2], 0, b, d}, ttl: ttl, ipID: uint16(idx * 1000), port: uint16(idx * 100)}
		p.hosts = append(p.hosts, x)
		return x
	}
	var (
		plcM  = h(10, 1, 1, 10, ouiSchneider[0], 64)
		plcS7 = h(10, 1, 1, 20, ouiSiemens[0], 30)
		rtu   = h(10, 1, 1, 30, ouiSEL[0], 64)
		hmi   = h(10, 2, 1, 10, ouiHP[0], 128)
		eng   = h(10, 2, 1, 20, ouiDell[0], 128)
		infra = h(10, 3, 1, 5, ouiHPE[0], 64)
		web   = h(10, 3, 1, 6, ouiHPE[0], 64)
		files = h(10, 3, 1, 7, ouiHPE[0], 64)
		jump  = h(10, 3, 1, 8, ouiHPE[0], 64)
		pc    = h(10, 4, 1, 50, ouiDell[0], 128)
		pc2   = h(10, 4, 1, 51, ouiHP[0], 128)
	)
	add := func(c, s *host, k kind, eng bool, ops ...op) {
		f := &flow{client: c, server: s, kind: k, eng: eng, fixed: ops}
		p.flows = append(p.flows, f)
		p.script = append(p.script, f)
	}
	add(hmi, plcM, kModbus, false, op{code: fcReadHolding}, op{code: fcReadInput}, op{code: fcWriteSingle}, op{code: fcWriteMultiple})
	add(eng, plcS7, kS7, true, op{code: s7ReadVar}, op{code: s7WriteVar}, op{code: s7PLCStop})
	add(hmi, rtu, kDNP3, false, op{code: dnp3Read}, op{code: dnp3DirectOperate})
	add(pc, plcM, kModbus, false, op{code: fcReadHolding})
	add(pc, infra, kDNS, false, op{})
	add(pc, infra, kNTP, false, op{})
	add(pc2, web, kHTTPS, false, op{req: 517, resp: 3000}, op{req: 400, resp: 1200})
	add(eng, jump, kRDP, false, op{req: 19, resp: 19}, op{req: 300, resp: 1500})
	add(pc2, files, kSMB, false, op{req: 120, resp: 250}, op{req: 120, resp: 5000})
	add(pc2, jump, kSSH, false, op{req: 21, resp: 41}, op{req: 100, resp: 200})
	return p
}
