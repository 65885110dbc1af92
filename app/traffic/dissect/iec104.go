package dissect

// IEC 60870-5-104 APDUs: 0x68, length of the rest (4 to 253), four control
// octets. The first control octet tells the format: I (bit 0 clear, an ASDU
// follows whose first byte is the type identification), S (0b01,
// acknowledgement only) or U (0b11, link control).

var iec104Supervisory = Op{protoIEC104, "supervisory ack", Monitor}

func dissectIEC104(p []byte, emit func(Op)) {
	for len(p) >= 6 {
		n := int(p[1])
		if p[0] != 0x68 || n < 4 || n > 253 {
			return
		}
		switch c := p[2]; {
		case c&1 == 0:
			if n > 4 && len(p) > 6 {
				emit(IEC104Type(p[6]))
			}
		case c&3 == 1:
			emit(iec104Supervisory)
		default:
			emit(IEC104UFormat(c))
		}
		if 2+n > len(p) {
			return
		}
		p = p[2+n:]
	}
}
