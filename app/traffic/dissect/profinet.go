package dissect

// PROFINET real-time frames (EtherType 0x8892) start with a 16-bit frame ID:
// 0x0100-0xfbff cyclic data, 0xfc01 and 0xfe01 alarms, 0xfefc-0xfeff DCP
// (hello, get/set, identify request, identify response). A DCP PDU follows
// with its service id (1 get, 2 set, 3 identify, 4 hello).

var (
	pnCyclic   = Op{protoPNRT, "cyclic io", Monitor}
	pnAlarm    = Op{protoPNRT, "alarm", Monitor}
	dcpHello   = Op{protoPNDCP, "hello", Identify}
	dcpGet     = Op{protoPNDCP, "get", Read}
	dcpSet     = Op{protoPNDCP, "set", Write}
	dcpIdent   = Op{protoPNDCP, "identify", Identify}
	dcpUnknown = Op{protoPNDCP, "dcp service", Other}
)

// EtherFrame classifies a non-IP Ethernet frame by its EtherType and the
// bytes after it. One or two 802.1Q/802.1ad tags are looked through. It
// returns "profinet-dcp" or "profinet-rt" for PROFINET frames, "" for
// EtherTypes it does not know.
func EtherFrame(etherType uint16, payload []byte, emit func(Op)) string {
	for range 2 {
		if etherType != 0x8100 && etherType != 0x88a8 {
			break
		}
		if len(payload) < 4 {
			return ""
		}
		etherType = uint16(be16(payload[2:]))
		payload = payload[4:]
	}
	if etherType != 0x8892 {
		return ""
	}
	if len(payload) < 2 {
		return protoPNRT
	}
	switch id := be16(payload); {
	case id >= 0xfefc && id <= 0xfeff:
		switch {
		case id == 0xfefc:
			emit(dcpHello)
		case id == 0xfefe || id == 0xfeff:
			emit(dcpIdent)
		case len(payload) < 3:
		case payload[2] == 1:
			emit(dcpGet)
		case payload[2] == 2:
			emit(dcpSet)
		case payload[2] == 3:
			emit(dcpIdent)
		case payload[2] == 4:
			emit(dcpHello)
		default:
			emit(dcpUnknown)
		}
		return protoPNDCP
	case id == 0xfc01 || id == 0xfe01:
		emit(pnAlarm)
	case id >= 0x0100 && id <= 0xfbff:
		emit(pnCyclic)
	}
	return protoPNRT
}
