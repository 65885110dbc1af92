package zeek

import "github.com/zonewalk/zonewalk/app/traffic/dissect"

// Some operations are named by the dissector from more than a code table
// entry. For those a log line is turned back into the protocol bytes that
// carry its values, and dissect.Dissect names them: the one place that
// decides, so a log and a capture cannot drift apart. Each builder writes
// the least the dissector reads; the layouts are the protocols' own.

// pduCache remembers what Dissect said of each payload built, per reader:
// logs repeat a few operations many times.
type pduCache map[string]pduResult

type pduResult struct {
	op dissect.Op
	ok bool
}

// viaDissect returns the first operation of protocol that Dissect finds.
func (c *pduCache) viaDissect(protocol string, payload []byte) (dissect.Op, bool) {
	if r, hit := (*c)[string(payload)]; hit {
		return r.op, r.ok
	}
	var r pduResult
	dissect.Dissect(protocol, payload, true, func(o dissect.Op) {
		if !r.ok && o.Protocol == protocol {
			r = pduResult{o, true}
		}
	})
	if *c == nil {
		*c = make(pduCache)
	}
	if len(*c) < internMax {
		(*c)[string(payload)] = r
	}
	return r.op, r.ok
}

// isoPDU wraps an S7comm or S7comm-plus PDU in TPKT (version 3, reserved,
// 16-bit length) and a COTP data TPDU (length 2, type 0xf0, EOT).
func isoPDU(pdu []byte) []byte {
	n := 7 + len(pdu)
	return append([]byte{3, 0, byte(n >> 8), byte(n), 2, 0xf0, 0x80}, pdu...)
}

// s7PDU builds an S7comm PDU: protocol id 0x32, ROSCTR, reserved, PDU
// reference, parameter length, data length (no data), parameters.
func s7PDU(rosctr byte, par []byte) []byte {
	pdu := []byte{0x32, rosctr, 0, 0, 0, 0, byte(len(par) >> 8), byte(len(par)), 0, 0}
	return isoPDU(append(pdu, par...))
}

// s7UserDataOp names a user-data PDU by its type/group byte and
// subfunction: parameter head 00 01 12, length 4, method, type/group,
// subfunction, sequence number.
func (c *pduCache) s7UserDataOp(typeGroup, sub byte) (dissect.Op, bool) {
	method := byte(0x11) // request
	if typeGroup&0xf0 == 0x80 {
		method = 0x12 // response
	}
	return c.viaDissect("s7comm", s7PDU(7, []byte{0x00, 0x01, 0x12, 0x04, method, typeGroup, sub, 0}))
}

// s7PIServiceOp names a PLC Control (0x28) job by its PI service: the
// function, 7 bytes, an empty parameter block (length 0), then the
// service name with its length.
func (c *pduCache) s7PIServiceOp(service []byte) (dissect.Op, bool) {
	if len(service) > 200 {
		return dissect.Op{}, false
	}
	par := append([]byte{0x28, 0, 0, 0, 0, 0, 0, 0xfd, 0, 0, byte(len(service))}, service...)
	return c.viaDissect("s7comm", s7PDU(1, par))
}

// s7PlusOpcodeOp names an S7comm-plus PDU with no function code: protocol
// id 0x72, version 1, 16-bit length, opcode.
func (c *pduCache) s7PlusOpcodeOp(opcode byte) (dissect.Op, bool) {
	return c.viaDissect("s7comm-plus", isoPDU([]byte{0x72, 0x01, 0x00, 0x01, opcode}))
}

// cipRequestOp names a CIP request by service and request path, sent as
// EtherNet/IP SendRRData: the 24-byte encapsulation header (command 0x6f,
// length; little-endian), interface handle, timeout, a one-item Common
// Packet Format list with an unconnected data item (0xb2) holding the
// request: service, path size in words, path (a class segment, or a
// symbolic segment when the path names a tag).
func (c *pduCache) cipRequestOp(svc byte, class int, symbolic bool) (dissect.Op, bool) {
	var path []byte
	switch {
	case symbolic:
		path = []byte{0x91, 0x00}
	case class <= 0xff:
		path = []byte{0x20, byte(class)}
	default:
		path = []byte{0x21, 0x00, byte(class), byte(class >> 8)}
	}
	cip := append([]byte{svc, byte(len(path) / 2)}, path...)
	body := []byte{0, 0, 0, 0, 0, 0, 1, 0, 0xb2, 0x00, byte(len(cip)), 0}
	body = append(body, cip...)
	enc := make([]byte, 24, 24+len(body))
	enc[0], enc[2], enc[3] = 0x6f, byte(len(body)), byte(len(body)>>8)
	return c.viaDissect("cip", append(enc, body...))
}

// cipCyclicIOOp names class 0/1 I/O: a CPF list (item count 2) starting
// with a sequenced address item (0x8002), as UDP 2222 carries it.
func (c *pduCache) cipCyclicIOOp() (dissect.Op, bool) {
	op, ok := c.viaDissect("enip", []byte{2, 0, 0x02, 0x80, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xb1, 0, 0, 0})
	return op, ok
}

// bvlcOp names a BACnet/IP BVLC message without an NPDU: type 0x81,
// function, 16-bit length 4.
func (c *pduCache) bvlcOp(function byte) (dissect.Op, bool) {
	return c.viaDissect("bacnet", []byte{0x81, function, 0, 4})
}
