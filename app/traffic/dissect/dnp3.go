package dissect

// DNP3 link frames: 0x05 0x64, length (control + addresses + user data, so
// at least 5), control, destination, source, header CRC; then user data in
// blocks of up to 16 bytes, each followed by a CRC. The first block opens with
// the transport byte and, on the first segment of a fragment, the
// application control byte and function code, so the function code sits at
// a fixed offset and CRCs need not be stripped to reach it. CRCs are not
// checked: a damaged frame still says what was attempted.

var (
	dnp3LinkReset  = Op{protoDNP3, "link reset", Session}
	dnp3LinkStatus = Op{protoDNP3, "link status", Session}
)

func dissectDNP3(p []byte, emit func(Op)) {
	for len(p) >= 10 {
		if p[0] != 0x05 || p[1] != 0x64 || p[2] < 5 {
			return
		}
		ctrl := p[3]
		user := int(p[2]) - 5
		if ctrl&0x40 != 0 { // primary station
			switch fn := ctrl & 0x0f; {
			case (fn == 3 || fn == 4) && user >= 3 && len(p) >= 13:
				if p[10]&0x40 != 0 { // transport FIR: application header follows
					emit(DNP3Function(p[12]))
				}
			case fn == 0:
				emit(dnp3LinkReset)
			case fn == 9:
				emit(dnp3LinkStatus)
			}
		}
		size := 10 + user + 2*((user+15)/16)
		if size > len(p) {
			return
		}
		p = p[size:]
	}
}
