package dissect

// ISO-on-TCP (port 102): TPKT (version 3, reserved, 16-bit length) carries a
// COTP TPDU (length indicator, PDU type, ...). Connection request/confirm
// open the transport; data TPDUs carry S7comm (0x32) or S7comm-plus (0x72).

var (
	opCOTPConnect     = Op{protoS7, "cotp connect", Session}
	opCOTPConnectPlus = Op{protoS7Plus, "cotp connect", Session}
)

func dissectISOTSAP(protocol string, p []byte, emit func(Op)) string {
	out := protocol
	for len(p) >= 7 {
		n := be16(p[2:])
		if p[0] != 3 || p[1] != 0 || n < 7 {
			return out
		}
		t := upto(p, n)
		li := int(t[4]) // bytes of COTP header after this one
		switch t[5] & 0xf0 {
		case 0xe0, 0xd0: // CR, CC; the low nibble is flow-control credit
			if out == protoS7Plus {
				emit(opCOTPConnectPlus)
			} else {
				emit(opCOTPConnect)
			}
		case 0xf0: // DT
			if d := 5 + li; li >= 2 && d < len(t) {
				switch t[d] {
				case 0x32:
					s7PDU(t[d:], emit)
				case 0x72:
					out = protoS7Plus
					s7PlusPDU(t[d:], emit)
				}
			}
		}
		if n > len(p) {
			return out
		}
		p = p[n:]
	}
	return out
}

// s7PDU reads an S7comm PDU: protocol id, ROSCTR, 2 reserved, PDU reference,
// parameter length, data length, and for ack/ack-data 2 bytes of error; then
// the parameter block, whose first byte is the function code.
func s7PDU(d []byte, emit func(Op)) {
	if len(d) < 10 {
		return
	}
	rosctr := d[1]
	hdr := 10
	if rosctr == 2 || rosctr == 3 {
		hdr = 12
	}
	plen := be16(d[6:])
	if plen == 0 || hdr >= len(d) {
		return
	}
	par := upto(d[hdr:], plen)
	switch rosctr {
	case 1: // job
		if par[0] == 0x28 {
			emit(s7PIService(par))
			return
		}
		emit(S7Function(par[0]))
	case 3: // ack-data
		emit(S7Function(par[0]))
	case 7: // userdata
		if op, ok := s7Userdata(par); ok {
			emit(op)
		}
	}
}

// PI services named by the job's service string.
var (
	s7PIInsert   = Op{protoS7, "insert block", Program}
	s7PIDelete   = Op{protoS7, "delete block", Program}
	s7PIStart    = Op{protoS7, "plc start", Control}
	s7PICopyROM  = Op{protoS7, "copy ram to rom", Program}
	s7PICompress = Op{protoS7, "compress memory", Control}
)

// s7PIService reads a PI-service job: function 0x28, 7 unknown bytes, a 16-bit
// parameter block length, the block, then a length-prefixed service name.
func s7PIService(par []byte) Op {
	if len(par) < 10 {
		return s7Ops[0x28]
	}
	i := 10 + be16(par[8:])
	if i >= len(par) {
		return s7Ops[0x28]
	}
	name := par[i+1:]
	name = upto(name, int(par[i]))
	switch string(name) {
	case "_INSE":
		return s7PIInsert
	case "_DELE":
		return s7PIDelete
	case "P_PROGRAM":
		return s7PIStart
	case "_MODU":
		return s7PICopyROM
	case "_GARB":
		return s7PICompress
	}
	return s7Ops[0x28]
}

// Userdata function groups (low 4 bits of the type/group byte).
var s7UserdataOps = [16]Op{
	0x0: {protoS7, "mode transition", Monitor},
	0x1: {protoS7, "programmer commands", Diagnostics},
	0x2: {protoS7, "cyclic data", Monitor},
	0x3: {protoS7, "block functions", Read},
	0x4: {protoS7, "cpu functions", Diagnostics},
	0x5: {protoS7, "security", Session},
	0x6: {protoS7, "bsend/brecv", Other},
	0x7: {protoS7, "time functions", Read},
	0x8: {protoS7, "userdata group 8", Other},
	0x9: {protoS7, "userdata group 9", Other},
	0xa: {protoS7, "userdata group 10", Other},
	0xb: {protoS7, "userdata group 11", Other},
	0xc: {protoS7, "userdata group 12", Other},
	0xd: {protoS7, "userdata group 13", Other},
	0xe: {protoS7, "userdata group 14", Other},
	0xf: {protoS7, "nc programming", Program},
}

var (
	s7ReadSZL  = Op{protoS7, "read szl", Diagnostics}
	s7Force    = Op{protoS7, "force", Write}
	s7SetClock = Op{protoS7, "set clock", Control}
	s7ReadClk  = Op{protoS7, "read clock", Read}
)

// s7Userdata reads a userdata parameter block: 3 header bytes (0x00 0x01
// 0x12), parameter length, method, type/function group, subfunction.
func s7Userdata(par []byte) (Op, bool) {
	if len(par) < 7 || par[0] != 0x00 || par[1] != 0x01 || par[2] != 0x12 {
		return Op{}, false
	}
	group, sub := par[5]&0x0f, par[6]
	switch {
	case group == 4 && sub == 1:
		return s7ReadSZL, true
	case group == 1 && sub == 0x10:
		return s7Force, true
	case group == 7 && (sub == 2 || sub == 4):
		return s7SetClock, true
	case group == 7 && (sub == 1 || sub == 3):
		return s7ReadClk, true
	}
	return s7UserdataOps[group], true
}

var (
	s7PlusKeepAlive    = Op{protoS7Plus, "s7comm-plus keep alive", Session}
	s7PlusNotification = Op{protoS7Plus, "s7comm-plus notification", Monitor}
	s7PlusMessage      = Op{protoS7Plus, "s7comm-plus message", Other}
)

// s7PlusPDU reads an S7comm-plus PDU: 0x72, PDU type, 16-bit data length;
// for type 3 (firmware 1.5 and later) a length-prefixed integrity digest
// comes first; then the opcode (request 0x31, response 0x32 or 0x02,
// notification 0x33), 2 reserved bytes and a 16-bit function code.
func s7PlusPDU(d []byte, emit func(Op)) {
	if len(d) < 4 {
		return
	}
	off := 4
	switch d[1] {
	case 0xfe, 0xff:
		emit(s7PlusKeepAlive)
		return
	case 0x01, 0x02:
	case 0x03:
		if len(d) < 5 {
			emit(s7PlusMessage)
			return
		}
		off = 5 + int(d[4])
	default:
		return
	}
	if off >= len(d) {
		emit(s7PlusMessage)
		return
	}
	switch d[off] {
	case 0x33:
		emit(s7PlusNotification)
	case 0x31, 0x32, 0x02:
		if off+5 <= len(d) {
			emit(S7CommPlusFunction(uint16(be16(d[off+3:]))))
			return
		}
		emit(s7PlusMessage)
	default:
		emit(s7PlusMessage)
	}
}
