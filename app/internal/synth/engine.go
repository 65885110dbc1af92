package synth

import (
	"math"
	"math/rand/v2"
	"slices"
)

// The engine plays connections one packet at a time and hands each packet
// to a sink: the pcap writer serialises it, the Zeek writer only counts.
// Both run the same engine from the same seed, so they see the same
// traffic. Memory is the plant (O(hosts)) and a few dozen open connections;
// nothing grows with the capture.

const (
	mss      = 1460 // TCP payload per full segment: 1514-byte frames
	maxUDP   = 1472
	pcapHead = 24 // file header
	pcapRec  = 16 // record header
	// slots is how many connections are open at once; their packets
	// interleave, as a reader's flow table must cope with.
	slots = 32
)

// TCP flag bits, as in the header.
const (
	fFIN uint8 = 0x01
	fSYN uint8 = 0x02
	fPSH uint8 = 0x08
	fACK uint8 = 0x10
)

type state uint8

const (
	stSYN state = iota
	stSYNACK
	stACK
	stData   // sending the current message's segments
	stMidAck // the receiver's pure ACK after two full segments
	stFIN1
	stFIN2
	stLastACK
	stUDP // sending the current datagram
	stDone
)

// pkt is one packet as the sinks see it. payload is valid until the next.
type pkt struct {
	c            *conn
	src, dst     *host
	sport, dport uint16
	transport    uint8
	flags        uint8
	seq, ack     uint32
	window       uint16
	ipID         uint16
	payload      []byte
	ts           int64 // µs since the Unix epoch
	ipLen        int
	frameLen     int  // without the pcap record header; ≥ 60
	modbus       int8 // 1: a Modbus request, 2: its response (a modbus.log line)
	mbTID        uint16
	mbCode       byte
}

// conn is an open connection and what Zeek would have counted of it.
type conn struct {
	f     *flow
	n     uint64 // start order: the uid
	sport uint16
	st    state
	seq   [2]uint32 // next sequence number; [0] client, [1] server
	idx   int       // current exchange
	total int       // exchanges in the connection

	// The message being sent.
	fromClient bool
	head       []byte // its first bytes; filler follows up to msgLen
	headBuf    [512]byte
	msgLen     int
	off        int
	segs       int // full segments since the receiver last ACKed

	// Industrial request, for the response to echo.
	code          byte
	tid           uint16
	addr, qty     uint16
	val           uint16
	items         int
	seqDNP        byte
	req, resp     int // IT message lengths of this exchange
	stopScheduled bool
	short         bool // a coverage connection: one small exchange

	// Zeek's view: [0] originator, [1] responder.
	start, last int64
	pkts        [2]int64
	ipBytes     [2]int64
	bytes       [2]int64
	hist        []byte
	histBuf     [16]byte
	seen        uint16
}

type sink interface {
	packet(p *pkt) error
	connDone(c *conn) error
}

type engine struct {
	rng     *rand.Rand
	plant   *plant
	sink    sink
	budget  int64
	written int64 // capture bytes so far, headers included
	now     int64 // µs
	nconn   uint64
	script  int // small scenario: next flow of the script
	covered int // plant: coverage flows played
	active  []*conn
	free    []*conn
	filler  []byte
	scratch []byte
	p       pkt
	weights [nKinds]int
	wsum    int
}

func newEngine(o Options, s sink) *engine {
	e := &engine{
		rng:     rand.New(rand.NewPCG(uint64(o.Seed), 0x5a6e77616c6b)),
		sink:    s,
		budget:  o.Bytes,
		written: pcapHead,
		now:     o.Start.UnixMicro(),
		scratch: make([]byte, 0, mss+64),
	}
	if o.Scenario == "small" {
		e.plant = buildSmall()
	} else {
		e.plant = buildPlant(o.Hosts)
	}
	for k := range nKinds {
		if len(e.plant.byKind[k]) > 0 {
			e.weights[k] = connWeight[k]
			e.wsum += connWeight[k]
		}
	}
	// Filler for IT payloads: random, so that it does not compress, as TLS
	// and SMB's encrypted or packed data do not.
	e.filler = make([]byte, 1<<16+mss)
	for i := 0; i < len(e.filler); i += 8 {
		v := e.rng.Uint64()
		for j := 0; j < 8 && i+j < len(e.filler); j++ {
			e.filler[i+j] = byte(v >> (8 * j))
		}
	}
	return e
}

// run plays the whole capture.
func (e *engine) run() error {
	n := slots
	if e.plant.script != nil {
		n = len(e.plant.script)
	}
	for range n {
		if c := e.newConn(); c != nil {
			e.active = append(e.active, c)
		}
	}
	for len(e.active) > 0 {
		i := e.rng.IntN(len(e.active))
		c := e.active[i]
		if err := e.step(c); err != nil {
			return err
		}
		if c.st != stDone {
			continue
		}
		if err := e.sink.connDone(c); err != nil {
			return err
		}
		e.free = append(e.free, c)
		if nc := e.newConn(); nc != nil {
			e.active[i] = nc
		} else {
			e.active = slices.Delete(e.active, i, i+1)
		}
	}
	return nil
}

// newConn opens the next connection, or returns nil once the capture is
// as large as asked (or the small scenario's script is played).
func (e *engine) newConn() *conn {
	var f *flow
	cover := false
	if e.plant.script != nil {
		if e.script == len(e.plant.script) {
			return nil
		}
		f = e.plant.script[e.script]
		e.script++
	} else {
		if e.written >= e.budget {
			return nil
		}
		if e.covered < len(e.plant.cover) {
			f = e.plant.cover[e.covered]
			e.covered++
			cover = true
		} else {
			f = e.pick()
		}
	}
	var c *conn
	if n := len(e.free); n > 0 {
		c = e.free[n-1]
		e.free = e.free[:n-1]
		*c = conn{}
	} else {
		c = new(conn)
	}
	c.f = f
	c.n = e.nconn
	e.nconn++
	cl := f.client
	c.sport = 49152 + cl.port%16384
	cl.port++
	c.seq = [2]uint32{e.rng.Uint32(), e.rng.Uint32()}
	c.hist = c.histBuf[:0]
	f.conns++

	switch f.kind {
	case kModbus:
		c.total = 1 + e.rng.IntN(20)
		c.tid = uint16(e.rng.IntN(1000))
	case kS7:
		c.total = 2 + 1 + e.rng.IntN(15) // COTP connect, setup communication, jobs
		c.stopScheduled = f.eng && e.rng.IntN(100) == 0
	case kDNP3:
		c.total = 1 + e.rng.IntN(8)
		c.seqDNP = byte(e.rng.IntN(16))
	case kHTTPS:
		c.total = 1 + e.rng.IntN(6)
	case kSMB:
		c.total = 2 + e.rng.IntN(20)
	case kRDP:
		c.total = 10 + e.rng.IntN(100)
	case kSSH:
		c.total = 3 + e.rng.IntN(30)
	case kDNS, kNTP:
		c.total = 1
	}
	if cover {
		c.total = min(c.total, 2) // S7: just the connection setup
		c.short = true
	}
	if f.fixed != nil {
		c.total = len(f.fixed)
		if f.kind == kS7 {
			c.total += 2
		}
	}
	if kindInfo[f.kind].transport == 17 {
		e.beginExchange(c)
		c.st = stUDP
	}
	return c
}

// pick chooses the flow of a new connection: now and then a conduit, else
// a kind by weight and a flow of that kind.
func (e *engine) pick() *flow {
	p := e.plant
	if len(p.conduits) > 0 && e.rng.IntN(400) == 0 {
		return p.conduits[e.rng.IntN(len(p.conduits))]
	}
	r := e.rng.IntN(e.wsum)
	for k, w := range e.weights {
		if r < w {
			fs := p.byKind[k]
			return fs[e.rng.IntN(len(fs))]
		}
		r -= w
	}
	panic("unreachable")
}

// step sends the connection's next packet.
func (e *engine) step(c *conn) error {
	switch c.st {
	case stSYN:
		c.st = stSYNACK
		return e.emit(c, true, fSYN)
	case stSYNACK:
		c.st = stACK
		return e.emit(c, false, fSYN|fACK)
	case stACK:
		e.beginExchange(c)
		c.st = stData
		return e.emit(c, true, fACK)
	case stMidAck:
		c.st = stData
		return e.emit(c, !c.fromClient, fACK)
	case stData, stUDP:
		n := min(c.msgLen-c.off, mss)
		if c.st == stUDP {
			n = c.msgLen
		}
		payload := e.segment(c, n)
		last := c.off+n == c.msgLen
		var mb int8
		if c.f.kind == kModbus && c.off == 0 {
			mb = 2
			if c.fromClient {
				mb = 1
			}
			// Taken now: the transitions below may start the next request.
			e.p.mbTID, e.p.mbCode = c.tid, c.code
		}
		flags := fACK
		if last {
			flags |= fPSH
		}
		from := c.fromClient
		c.off += n
		c.segs++
		switch {
		case !last && c.segs == 2:
			c.segs = 0
			c.st = stMidAck
		case last && from:
			e.beginResponse(c)
		case last:
			c.idx++
			switch {
			case c.idx < c.total:
				e.beginExchange(c)
			case c.st == stUDP:
				c.st = stDone
			default:
				c.st = stFIN1
			}
		}
		if kindInfo[c.f.kind].transport == 17 {
			flags = 0
		}
		return e.emitMB(c, from, flags, payload, mb)
	case stFIN1:
		c.st = stFIN2
		return e.emit(c, true, fFIN|fACK)
	case stFIN2:
		c.st = stLastACK
		return e.emit(c, false, fFIN|fACK)
	case stLastACK:
		c.st = stDone
		return e.emit(c, true, fACK)
	}
	return nil
}

// segment returns bytes [off, off+n) of the current message: its head,
// then filler.
func (e *engine) segment(c *conn, n int) []byte {
	b := e.scratch[:0]
	if c.off < len(c.head) {
		b = append(b, c.head[c.off:min(len(c.head), c.off+n)]...)
	}
	if rest := n - len(b); rest > 0 {
		at := int(uint(c.off*7+int(c.n)*131) % (1 << 16))
		b = append(b, e.filler[at:at+rest]...)
	}
	e.scratch = b
	return b
}

// emit sends a packet without payload.
func (e *engine) emit(c *conn, fromClient bool, flags uint8) error {
	return e.emitMB(c, fromClient, flags, nil, 0)
}

// emitMB fills e.p, counts it as Zeek would, and hands it to the sink.
func (e *engine) emitMB(c *conn, fromClient bool, flags uint8, payload []byte, mb int8) error {
	f := c.f
	p := &e.p
	d := 0
	p.src, p.dst, p.sport, p.dport = f.client, f.server, c.sport, kindInfo[f.kind].port
	if !fromClient {
		d = 1
		p.src, p.dst, p.sport, p.dport = f.server, f.client, p.dport, p.sport
	}
	p.c, p.flags, p.payload, p.modbus = c, flags, payload, mb
	p.transport = kindInfo[f.kind].transport
	p.ts = e.now
	e.now += 5 + int64(e.rng.IntN(150))
	p.ipID = p.src.ipID
	p.src.ipID++
	if p.transport == 6 {
		p.ipLen = 40 + len(payload)
		p.seq = c.seq[d]
		p.ack = 0
		if flags&fACK != 0 {
			p.ack = c.seq[1-d]
		}
		p.window = 64240
		if d == 1 {
			p.window = 29200
		}
		c.seq[d] += uint32(len(payload))
		if flags&(fSYN|fFIN) != 0 {
			c.seq[d]++
		}
	} else {
		p.ipLen = 28 + len(payload)
	}
	p.frameLen = max(60, 14+p.ipLen)

	// Zeek's accounting.
	if c.pkts[0]+c.pkts[1] == 0 {
		c.start = p.ts
	}
	if c.st != stDone || p.transport == 17 { // Zeek leaves the final ACK out of the duration
		c.last = p.ts
	}
	c.pkts[d]++
	c.ipBytes[d] += int64(p.ipLen)
	c.bytes[d] += int64(len(payload))
	switch {
	case p.transport == 17:
		c.history('D', d)
	case flags&fSYN != 0 && flags&fACK == 0:
		c.history('S', d)
	case flags&fSYN != 0:
		c.history('H', d)
	case flags&fFIN != 0:
		c.history('F', d)
	case len(payload) > 0:
		c.history('D', d)
	default:
		c.history('A', d)
	}
	f.packets++
	f.bytes += int64(p.frameLen)
	e.written += pcapRec + int64(p.frameLen)
	return e.sink.packet(p)
}

// history adds Zeek's letter for the event once per direction: upper case
// from the originator, lower case from the responder.
func (c *conn) history(letter byte, d int) {
	var bit uint16
	switch letter {
	case 'A':
		bit = 1
	case 'D':
		bit = 2
	case 'F':
		bit = 4
	case 'H':
		bit = 8
	case 'S':
		bit = 16
	}
	bit <<= 8 * d
	if c.seen&bit != 0 {
		return
	}
	c.seen |= bit
	if d == 1 {
		letter += 'a' - 'A'
	}
	c.hist = append(c.hist, letter)
}

// beginExchange starts the client's request of exchange c.idx.
func (e *engine) beginExchange(c *conn) {
	c.fromClient, c.off, c.segs = true, 0, 0
	c.head = c.headBuf[:0]
	f := c.f
	var fixed *op
	if f.fixed != nil {
		i := c.idx
		if f.kind == kS7 {
			i -= 2
		}
		if i >= 0 {
			fixed = &f.fixed[i]
		}
	}
	r := e.rng
	switch f.kind {
	case kModbus:
		c.tid++
		switch {
		case fixed != nil:
			c.code = fixed.code
		default:
			x := r.IntN(100)
			c.code = fcReadHolding
			switch {
			case x >= 95:
				c.code = fcWriteMultiple
			case x >= 85:
				c.code = fcWriteSingle
			case x >= 55:
				c.code = fcReadInput
			}
		}
		c.addr, c.qty, c.val = 100, 10, 0x1234
		if fixed == nil {
			c.addr, c.val = uint16(r.IntN(10000)), uint16(r.Uint32())
			c.qty = uint16(1 + r.IntN(60))
		}
		if c.code == fcWriteMultiple {
			if fixed != nil {
				c.qty = 2
			} else {
				c.qty = 1 + c.qty%10
			}
		}
		c.head = modbusReq(c.head, c.tid, 1, c.code, c.addr, c.qty, c.val)
	case kS7:
		switch c.idx {
		case 0:
			c.code = 0
			c.head = cotpConnect(c.head, true)
		case 1:
			c.code = s7SetupComm
		default:
			switch {
			case fixed != nil:
				c.code = fixed.code
			case c.stopScheduled && c.idx == c.total-1:
				c.code = s7PLCStop
			case r.IntN(100) < 8 || f.eng && r.IntN(100) < 25:
				c.code = s7WriteVar
			default:
				c.code = s7ReadVar
			}
		}
		c.tid++
		c.items = 2
		if fixed == nil {
			c.items = 1 + r.IntN(8)
		}
		if c.code == s7WriteVar {
			c.items = 1
		}
		if c.code != 0 {
			c.head = s7Job(c.head, c.tid, c.code, c.items, 1+uint16(c.idx%4))
		}
	case kDNP3:
		c.seqDNP++
		c.code = dnp3Read
		c.items = 10
		switch {
		case fixed != nil:
			c.code = fixed.code
		case r.IntN(100) < 5:
			c.code = dnp3DirectOperate
		}
		if fixed == nil {
			c.items = 5 + r.IntN(40)
		}
		c.head = dnp3Req(c.head, c.seqDNP, c.code)
	case kDNS:
		c.tid = uint16(r.Uint32())
		c.items = int(c.n % uint64(len(dnsNames)))
		if fixed != nil {
			c.items = 1
		}
		c.head = dnsQuery(c.head, c.tid, dnsNames[c.items])
	case kNTP:
		c.head = ntpPacket(c.head, false, e.now)
	default:
		e.itSizes(c, fixed)
		c.head = itHead(c.head, f.kind, c.idx == 0, true, c.req)
		c.msgLen = max(c.req, len(c.head))
		e.noteOp(c)
		return
	}
	c.msgLen = len(c.head)
	e.noteOp(c)
}

// noteOp records the request's operation in the flow's ground truth.
func (e *engine) noteOp(c *conn) {
	switch c.f.kind {
	case kModbus, kDNP3:
		c.f.ops |= opBit(c.f.kind, c.code)
	case kS7:
		if c.code != 0 {
			c.f.ops |= opBit(kS7, c.code)
		}
	}
}

// beginResponse starts the server's answer to the request just sent.
func (e *engine) beginResponse(c *conn) {
	c.fromClient, c.off, c.segs = false, 0, 0
	c.head = c.headBuf[:0]
	switch c.f.kind {
	case kModbus:
		c.head = modbusResp(c.head, c.tid, 1, c.code, c.addr, c.qty, c.val)
	case kS7:
		if c.code == 0 {
			c.head = cotpConnect(c.head, false)
		} else {
			c.head = s7Ack(c.head, c.tid, c.code, c.items)
		}
	case kDNP3:
		c.head = dnp3Resp(c.head, c.seqDNP, c.code, c.items)
	case kDNS:
		c.head = dnsAnswer(c.head, c.tid, dnsNames[c.items], c.f.server.ip)
	case kNTP:
		c.head = ntpPacket(c.head, true, e.now)
	default:
		c.head = itHead(c.head, c.f.kind, c.idx == 0, false, c.resp)
		c.msgLen = max(c.resp, len(c.head))
		return
	}
	c.msgLen = len(c.head)
}

func itHead(b []byte, k kind, first, client bool, n int) []byte {
	switch k {
	case kHTTPS:
		return tlsHead(b, first, client, n)
	case kSSH:
		return sshHead(b, first, client, n)
	case kRDP:
		return rdpHead(b, first, client, n)
	case kSMB:
		return smbHead(b, first, client, n)
	}
	return b
}

// itSizes draws the request and response lengths of an IT exchange. Large
// responses are held to a share of what is left of the byte budget, so the
// capture ends close to the size asked.
func (e *engine) itSizes(c *conn, fixed *op) {
	if fixed != nil {
		c.req, c.resp = fixed.req, fixed.resp
		return
	}
	r := e.rng
	first := c.idx == 0
	switch c.f.kind {
	case kHTTPS:
		c.req, c.resp = 200+r.IntN(900), e.logUniform(800, 250_000)
		if first {
			c.req, c.resp = 517, 1800+r.IntN(2500)
		}
	case kSMB:
		c.req, c.resp = 100+r.IntN(200), e.logUniform(800, 100_000)
		if first {
			c.req, c.resp = 120, 250
		}
	case kRDP:
		c.req, c.resp = 60+r.IntN(300), e.logUniform(100, 6000)
		if first {
			c.req, c.resp = 19, 19
		}
	case kSSH:
		c.req, c.resp = 36+r.IntN(150), 36+r.IntN(1500)
		if first {
			c.req, c.resp = 21, 41
		}
	}
	if c.short {
		c.resp = min(c.resp, 2000)
	}
	if left := (e.budget - e.written) / slots; int64(c.resp) > left {
		c.resp = int(max(left, 600))
	}
}

func (e *engine) logUniform(lo, hi float64) int {
	return int(math.Exp(math.Log(lo) + e.rng.Float64()*(math.Log(hi)-math.Log(lo))))
}
