package dissect

// OPC UA binary (UA TCP): each chunk starts with a 3-letter message type, a
// chunk type ('F' final, 'C' continued, 'A' abort) and a 32-bit size. In a
// symmetric MSG chunk, the secure channel id and token id (8), sequence
// number and request id (8) precede the body, which opens with the NodeId of
// the service's binary encoding. Encrypted bodies read as noise and fall
// back to "message".

var (
	opcuaHello        = Op{protoOPCUA, "hello", Session}
	opcuaReverseHello = Op{protoOPCUA, "reverse hello", Session}
	opcuaAck          = Op{protoOPCUA, "acknowledge", Session}
	opcuaOpen         = Op{protoOPCUA, "open secure channel", Session}
	opcuaClose        = Op{protoOPCUA, "close secure channel", Session}
	opcuaError        = Op{protoOPCUA, "error", Other}
)

func dissectOPCUA(p []byte, emit func(Op)) {
	for len(p) >= 8 {
		size := le32(p[4:])
		if size < 8 || (p[3] != 'F' && p[3] != 'C' && p[3] != 'A') {
			return
		}
		switch string(p[:3]) {
		case "HEL":
			emit(opcuaHello)
		case "RHE":
			emit(opcuaReverseHello)
		case "ACK":
			emit(opcuaAck)
		case "OPN":
			emit(opcuaOpen)
		case "CLO":
			emit(opcuaClose)
		case "ERR":
			emit(opcuaError)
		case "MSG":
			emit(opcuaMSG(p[:min(uint32(len(p)), size)]))
		default:
			return
		}
		if size > uint32(len(p)) {
			return
		}
		p = p[size:]
	}
}

func opcuaMSG(c []byte) Op {
	const body = 24
	if c[3] == 'A' || len(c) < body+3 {
		return opcuaMessage
	}
	b := c[body:]
	switch b[0] { // NodeId encoding; services live in namespace 0
	case 0x00: // two-byte
		return OPCUAService(uint32(b[1]))
	case 0x01: // four-byte: namespace (1), id (2)
		if b[1] == 0 && len(b) >= 4 {
			return OPCUAService(uint32(le16(b[2:])))
		}
	case 0x02: // numeric: namespace (2), id (4)
		if b[1] == 0 && b[2] == 0 && len(b) >= 7 {
			return OPCUAService(le32(b[3:]))
		}
	}
	return opcuaMessage
}
