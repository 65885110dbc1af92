package dissect

// Modbus/TCP: each ADU is the 7-byte MBAP header (transaction id, protocol id
// 0, length of what follows, unit id) and the PDU, whose first byte is the
// function code.
func dissectModbus(p []byte, emit func(Op)) {
	for len(p) >= 8 {
		n := be16(p[4:]) // unit id + PDU
		if p[2] != 0 || p[3] != 0 || n < 2 || n > 254 {
			return // not an MBAP header: the middle of something else
		}
		op := ModbusFunction(p[7])
		if p[7] == 43 && len(p) > 8 && p[8] == 14 { // MEI type 14
			op = modbusReadDeviceID
		}
		emit(op)
		if 6+n > len(p) {
			return
		}
		p = p[6+n:]
	}
}
