package dissect

// Code tables. Each byte-keyed table is a [256]Op built once, so a lookup is an
// index and never allocates; codes without a meaning get a name that carries the
// number ("function 0x41"), so unknown operations still count as distinct.

type code struct {
	c    byte
	name string
	kind Kind
}

// table fills all 256 entries: the listed codes by name, the rest as
// prefix+number in hex (or decimal when dec is set, for IEC 104 type IDs,
// which the standard and every tool print in decimal).
func table(proto, prefix string, dec bool, codes []code) *[256]Op {
	var t [256]Op
	for i := range t {
		n := hex2(byte(i))
		if dec {
			n = decimal(uint64(i))
		}
		t[i] = Op{Protocol: proto, Name: prefix + n, Kind: Other}
	}
	for _, e := range codes {
		t[e.c] = Op{Protocol: proto, Name: e.name, Kind: e.kind}
	}
	return &t
}

// Modbus public function codes, plus the legacy Modicon programming codes and
// Schneider's UMAS (90), since engineering traffic is what an audit looks for.
var modbusOps = table(protoModbus, "function ", false, []code{
	{1, "read coils", Read},
	{2, "read discrete inputs", Read},
	{3, "read holding registers", Read},
	{4, "read input registers", Read},
	{5, "write single coil", Write},
	{6, "write single register", Write},
	{7, "read exception status", Diagnostics},
	{8, "diagnostics", Diagnostics},
	{9, "program 484", Program},
	{10, "poll 484", Diagnostics},
	{11, "get comm event counter", Diagnostics},
	{12, "get comm event log", Diagnostics},
	{13, "program 584/984", Program},
	{14, "poll 584/984", Diagnostics},
	{15, "write multiple coils", Write},
	{16, "write multiple registers", Write},
	{17, "report server id", Diagnostics},
	{18, "program 884/u84", Program},
	{19, "reset comm link", Control},
	{20, "read file record", Read},
	{21, "write file record", Write},
	{22, "mask write register", Write},
	{23, "read/write multiple registers", Write},
	{24, "read fifo queue", Read},
	{40, "program concept", Program},
	{43, "encapsulated interface transport", Diagnostics},
	{90, "umas", Program},
	{125, "vendor-specific 0x7d", Program}, // Modicon firmware replacement
	{126, "vendor-specific 0x7e", Program}, // Modicon programming (584/984)
})

// ModbusFunction classifies a Modbus function code. An exception response
// (code with the high bit set) is the same operation as its request.
func ModbusFunction(code byte) Op {
	if code&0x80 != 0 && code != 0x80 {
		code &^= 0x80
	}
	return modbusOps[code]
}

// modbusReadDeviceID is function 43 carrying MEI type 14.
var modbusReadDeviceID = Op{Protocol: protoModbus, Name: "read device identification", Kind: Diagnostics}

// DNP3 application-layer function codes.
var dnp3Ops = table(protoDNP3, "function ", false, []code{
	{0x00, "confirm", Monitor},
	{0x01, "read", Read},
	{0x02, "write", Write},
	{0x03, "select", Command},
	{0x04, "operate", Command},
	{0x05, "direct operate", Command},
	{0x06, "direct operate no ack", Command},
	{0x07, "immediate freeze", Command},
	{0x08, "immediate freeze no ack", Command},
	{0x09, "freeze and clear", Command},
	{0x0a, "freeze and clear no ack", Command},
	{0x0b, "freeze at time", Command},
	{0x0c, "freeze at time no ack", Command},
	{0x0d, "cold restart", Control},
	{0x0e, "warm restart", Control},
	{0x0f, "initialize data", Control},
	{0x10, "initialize application", Control},
	{0x11, "start application", Control},
	{0x12, "stop application", Control},
	{0x13, "save configuration", Program},
	{0x14, "enable unsolicited", Control},
	{0x15, "disable unsolicited", Control},
	{0x16, "assign class", Write},
	{0x17, "delay measurement", Diagnostics},
	{0x18, "record current time", Control},
	{0x19, "open file", File},
	{0x1a, "close file", File},
	{0x1b, "delete file", File},
	{0x1c, "get file info", File},
	{0x1d, "authenticate file", File},
	{0x1e, "abort file", File},
	{0x1f, "activate configuration", Program},
	{0x20, "authentication request", Session},
	{0x21, "authentication request no ack", Session},
	{0x81, "response", Other},
	{0x82, "unsolicited response", Monitor},
	{0x83, "authentication response", Session},
})

// DNP3Function classifies a DNP3 application-layer function code.
func DNP3Function(code byte) Op { return dnp3Ops[code] }

// S7comm job and ack-data function codes.
var s7Ops = table(protoS7, "function ", false, []code{
	{0x00, "cpu services", Diagnostics},
	{0x04, "read variable", Read},
	{0x05, "write variable", Write},
	{0x1a, "request download", Program},
	{0x1b, "download block", Program},
	{0x1c, "download ended", Program},
	{0x1d, "start upload", Program},
	{0x1e, "upload", Program},
	{0x1f, "end upload", Program},
	{0x28, "pi service", Control},
	{0x29, "plc stop", Control},
	{0xf0, "setup communication", Session},
})

// S7Function classifies an S7comm job or ack-data function code.
func S7Function(code byte) Op { return s7Ops[code] }

// CIP service codes. 0x4b-0x63 are object-specific: the names here are those of
// the Connection Manager (0x4e, 0x52, 0x54, 0x5b) and of Logix tag access
// (0x4c, 0x4d, 0x53), the objects a capture almost always shows; Dissect tells
// the two apart by the request path where it matters.
var cipOps = table(protoCIP, "service ", false, []code{
	{0x01, "get attributes all", Read},
	{0x02, "set attributes all", Write},
	{0x03, "get attribute list", Read},
	{0x04, "set attribute list", Write},
	{0x05, "reset", Control},
	{0x06, "start", Control},
	{0x07, "stop", Control},
	{0x08, "create", Write},
	{0x09, "delete", Write},
	{0x0a, "multiple service packet", Other},
	{0x0d, "apply attributes", Write},
	{0x0e, "get attribute single", Read},
	{0x10, "set attribute single", Write},
	{0x11, "find next object instance", Read},
	{0x15, "restore", Control},
	{0x16, "save", Control},
	{0x17, "no operation", Other},
	{0x18, "get member", Read},
	{0x19, "set member", Write},
	{0x1a, "insert member", Write},
	{0x1b, "remove member", Write},
	{0x1c, "group sync", Other},
	{0x4b, "execute pccc", Other},
	{0x4c, "read tag", Read},
	{0x4d, "write tag", Write},
	{0x4e, "forward close", Session},
	{0x52, "unconnected send", Other},
	{0x53, "write tag fragmented", Write},
	{0x54, "forward open", Session},
	{0x5b, "large forward open", Session},
})

// Logix meanings of codes the Connection Manager also uses; chosen by Dissect
// when the request path names a tag rather than the Connection Manager.
var (
	cipReadTagFragmented  = Op{Protocol: protoCIP, Name: "read tag fragmented", Kind: Read}
	cipReadModifyWriteTag = Op{Protocol: protoCIP, Name: "read modify write tag", Kind: Write}
)

// CIPService classifies a CIP service code; the response bit 0x80 is ignored,
// so a reply names the service it answers.
func CIPService(code byte) Op { return cipOps[code&0x7f] }

// ENIPCommand classifies an EtherNet/IP encapsulation command.
func ENIPCommand(code uint16) Op {
	switch code {
	case 0x0000:
		return Op{protoENIP, "nop", Other}
	case 0x0004:
		return Op{protoENIP, "list services", Identify}
	case 0x0063:
		return Op{protoENIP, "list identity", Identify}
	case 0x0064:
		return Op{protoENIP, "list interfaces", Identify}
	case 0x0065:
		return Op{protoENIP, "register session", Session}
	case 0x0066:
		return Op{protoENIP, "unregister session", Session}
	case 0x006f:
		return Op{protoENIP, "send rr data", Other}
	case 0x0070:
		return Op{protoENIP, "send unit data", Other}
	case 0x0072:
		return Op{protoENIP, "indicate status", Other}
	case 0x0073:
		return Op{protoENIP, "cancel", Other}
	}
	return Op{protoENIP, "command " + hex4(code), Other}
}

// BACnet confirmed service choices.
var bacnetConfirmedOps = table(protoBACnet, "confirmed service ", false, []code{
	{0, "acknowledge alarm", Write},
	{1, "confirmed cov notification", Monitor},
	{2, "confirmed event notification", Monitor},
	{3, "get alarm summary", Read},
	{4, "get enrollment summary", Read},
	{5, "subscribe cov", Monitor},
	{6, "atomic read file", File},
	{7, "atomic write file", File},
	{8, "add list element", Write},
	{9, "remove list element", Write},
	{10, "create object", Write},
	{11, "delete object", Write},
	{12, "read property", Read},
	{13, "read property conditional", Read},
	{14, "read property multiple", Read},
	{15, "write property", Write},
	{16, "write property multiple", Write},
	{17, "device communication control", Control},
	{18, "confirmed private transfer", Other},
	{19, "confirmed text message", Other},
	{20, "reinitialize device", Control},
	{21, "vt open", Session},
	{22, "vt close", Session},
	{23, "vt data", Session},
	{24, "authenticate", Session},
	{25, "request key", Session},
	{26, "read range", Read},
	{27, "life safety operation", Command},
	{28, "subscribe cov property", Monitor},
	{29, "get event information", Read},
	{30, "subscribe cov property multiple", Monitor},
	{31, "confirmed cov notification multiple", Monitor},
	{32, "confirmed audit notification", Monitor},
	{33, "audit log query", Read},
})

// BACnetConfirmed classifies a BACnet confirmed service choice.
func BACnetConfirmed(service byte) Op { return bacnetConfirmedOps[service] }

// BACnet unconfirmed service choices.
var bacnetUnconfirmedOps = table(protoBACnet, "unconfirmed service ", false, []code{
	{0, "i-am", Identify},
	{1, "i-have", Identify},
	{2, "unconfirmed cov notification", Monitor},
	{3, "unconfirmed event notification", Monitor},
	{4, "unconfirmed private transfer", Other},
	{5, "unconfirmed text message", Other},
	{6, "time synchronization", Control},
	{7, "who-has", Identify},
	{8, "who-is", Identify},
	{9, "utc time synchronization", Control},
	{10, "write group", Write},
	{11, "unconfirmed cov notification multiple", Monitor},
	{12, "unconfirmed audit notification", Monitor},
	{13, "who-am-i", Identify},
	{14, "you-are", Write},
})

// BACnetUnconfirmed classifies a BACnet unconfirmed service choice.
func BACnetUnconfirmed(service byte) Op { return bacnetUnconfirmedOps[service] }

// IEC 60870-5-101/104 ASDU type identifications. Monitoring types (1-44, 70)
// flow from the outstation; command types (45-69) and system commands
// (100-107) from the controlling station.
var iec104Ops = table(protoIEC104, "type ", true, []code{
	{1, "single-point information", Monitor},
	{2, "single-point information with time tag", Monitor},
	{3, "double-point information", Monitor},
	{4, "double-point information with time tag", Monitor},
	{5, "step position information", Monitor},
	{6, "step position information with time tag", Monitor},
	{7, "bitstring of 32 bit", Monitor},
	{8, "bitstring of 32 bit with time tag", Monitor},
	{9, "measured value normalized", Monitor},
	{10, "measured value normalized with time tag", Monitor},
	{11, "measured value scaled", Monitor},
	{12, "measured value scaled with time tag", Monitor},
	{13, "measured value short float", Monitor},
	{14, "measured value short float with time tag", Monitor},
	{15, "integrated totals", Monitor},
	{16, "integrated totals with time tag", Monitor},
	{17, "protection event with time tag", Monitor},
	{18, "packed protection start events with time tag", Monitor},
	{19, "packed protection output circuit with time tag", Monitor},
	{20, "packed single-point with status change", Monitor},
	{21, "measured value normalized without quality", Monitor},
	{30, "single-point information with cp56 time", Monitor},
	{31, "double-point information with cp56 time", Monitor},
	{32, "step position information with cp56 time", Monitor},
	{33, "bitstring of 32 bit with cp56 time", Monitor},
	{34, "measured value normalized with cp56 time", Monitor},
	{35, "measured value scaled with cp56 time", Monitor},
	{36, "measured value short float with cp56 time", Monitor},
	{37, "integrated totals with cp56 time", Monitor},
	{38, "protection event with cp56 time", Monitor},
	{39, "packed protection start events with cp56 time", Monitor},
	{40, "packed protection output circuit with cp56 time", Monitor},
	{45, "single command", Command},
	{46, "double command", Command},
	{47, "regulating step command", Command},
	{48, "set point normalized", Command},
	{49, "set point scaled", Command},
	{50, "set point short float", Command},
	{51, "bitstring command", Command},
	{58, "single command with cp56 time", Command},
	{59, "double command with cp56 time", Command},
	{60, "regulating step command with cp56 time", Command},
	{61, "set point normalized with cp56 time", Command},
	{62, "set point scaled with cp56 time", Command},
	{63, "set point short float with cp56 time", Command},
	{64, "bitstring command with cp56 time", Command},
	{70, "end of initialization", Monitor},
	{100, "interrogation", Read},
	{101, "counter interrogation", Read},
	{102, "read", Read},
	{103, "clock synchronization", Control},
	{104, "test", Diagnostics},
	{105, "reset process", Control},
	{106, "delay acquisition", Diagnostics},
	{107, "test with cp56 time", Diagnostics},
	{110, "parameter normalized", Write},
	{111, "parameter scaled", Write},
	{112, "parameter short float", Write},
	{113, "parameter activation", Write},
	{120, "file ready", File},
	{121, "section ready", File},
	{122, "call directory or file", File},
	{123, "last section or segment", File},
	{124, "ack file or section", File},
	{125, "segment", File},
	{126, "directory", File},
	{127, "query log", File},
})

func init() {
	// Undefined numbers inside the monitoring and command ranges still say
	// which direction of traffic they belong to.
	for t := 1; t <= 40; t++ {
		if iec104Ops[t].Kind == Other {
			iec104Ops[t].Kind = Monitor
		}
	}
	for t := 45; t <= 69; t++ {
		if iec104Ops[t].Kind == Other {
			iec104Ops[t].Kind = Command
		}
	}
}

// IEC104Type classifies an IEC 60870-5-104 ASDU type identification.
func IEC104Type(typeID byte) Op { return iec104Ops[typeID] }

// IEC104UFormat classifies the first control octet of a U-format APDU.
func IEC104UFormat(ctrl byte) Op {
	switch ctrl {
	case 0x07:
		return Op{protoIEC104, "startdt act", Session}
	case 0x0b:
		return Op{protoIEC104, "startdt con", Session}
	case 0x13:
		return Op{protoIEC104, "stopdt act", Session}
	case 0x23:
		return Op{protoIEC104, "stopdt con", Session}
	case 0x43:
		return Op{protoIEC104, "testfr act", Session}
	case 0x83:
		return Op{protoIEC104, "testfr con", Session}
	}
	return iec104UUnknown[ctrl]
}

var iec104UUnknown = table(protoIEC104, "u-format ", false, nil)

// OPCUAService classifies an OPC UA service by the numeric identifier (in
// namespace 0) of its binary encoding; request and response map to the same Op.
func OPCUAService(typeID uint32) Op {
	switch typeID {
	case 422, 425:
		return Op{protoOPCUA, "find servers", Identify}
	case 12208, 12209:
		return Op{protoOPCUA, "find servers on network", Identify}
	case 428, 431:
		return Op{protoOPCUA, "get endpoints", Identify}
	case 437, 440, 12211, 12212:
		return Op{protoOPCUA, "register server", Session}
	case 446, 449:
		return Op{protoOPCUA, "open secure channel", Session}
	case 452, 455:
		return Op{protoOPCUA, "close secure channel", Session}
	case 461, 464:
		return Op{protoOPCUA, "create session", Session}
	case 467, 470:
		return Op{protoOPCUA, "activate session", Session}
	case 473, 476:
		return Op{protoOPCUA, "close session", Session}
	case 479, 482:
		return Op{protoOPCUA, "cancel", Session}
	case 488, 491:
		return Op{protoOPCUA, "add nodes", Write}
	case 494, 497:
		return Op{protoOPCUA, "add references", Write}
	case 500, 503:
		return Op{protoOPCUA, "delete nodes", Write}
	case 506, 509:
		return Op{protoOPCUA, "delete references", Write}
	case 527, 530:
		return Op{protoOPCUA, "browse", Read}
	case 533, 536:
		return Op{protoOPCUA, "browse next", Read}
	case 554, 557:
		return Op{protoOPCUA, "translate browse paths", Read}
	case 560, 563:
		return Op{protoOPCUA, "register nodes", Read}
	case 566, 569:
		return Op{protoOPCUA, "unregister nodes", Read}
	case 615, 618, 621, 624:
		return Op{protoOPCUA, "query", Read}
	case 631, 634:
		return Op{protoOPCUA, "read", Read}
	case 664, 667:
		return Op{protoOPCUA, "history read", Read}
	case 673, 676:
		return Op{protoOPCUA, "write", Write}
	case 700, 703:
		return Op{protoOPCUA, "history update", Write}
	case 712, 715:
		return Op{protoOPCUA, "call", Command}
	case 751, 754:
		return Op{protoOPCUA, "create monitored items", Monitor}
	case 763, 766:
		return Op{protoOPCUA, "modify monitored items", Monitor}
	case 769, 772:
		return Op{protoOPCUA, "set monitoring mode", Monitor}
	case 775, 778:
		return Op{protoOPCUA, "set triggering", Monitor}
	case 781, 784:
		return Op{protoOPCUA, "delete monitored items", Monitor}
	case 787, 790:
		return Op{protoOPCUA, "create subscription", Monitor}
	case 793, 796:
		return Op{protoOPCUA, "modify subscription", Monitor}
	case 799, 802:
		return Op{protoOPCUA, "set publishing mode", Monitor}
	case 826, 829:
		return Op{protoOPCUA, "publish", Monitor}
	case 832, 835:
		return Op{protoOPCUA, "republish", Monitor}
	case 841, 844:
		return Op{protoOPCUA, "transfer subscriptions", Monitor}
	case 847, 850:
		return Op{protoOPCUA, "delete subscriptions", Monitor}
	case 397:
		return Op{protoOPCUA, "service fault", Other}
	}
	return opcuaMessage
}

var opcuaMessage = Op{Protocol: protoOPCUA, Name: "message", Kind: Other}

// S7CommPlusFunction classifies an S7comm-plus function code (the 16-bit code
// after the opcode of a request or response). The protocol is only partly
// documented in public, so kinds stay coarse: the object and variable
// services are named, sequences and invocations are left as Other rather
// than guessed to be program transfer or control.
func S7CommPlusFunction(code uint16) Op {
	switch code {
	case 0x04b1:
		return Op{protoS7Plus, "s7comm-plus error", Other}
	case 0x04bb:
		return Op{protoS7Plus, "s7comm-plus explore", Read}
	case 0x04ca:
		return Op{protoS7Plus, "s7comm-plus create object", Session}
	case 0x04d4:
		return Op{protoS7Plus, "s7comm-plus delete object", Session}
	case 0x04f2:
		return Op{protoS7Plus, "s7comm-plus set variable", Write}
	case 0x04fc:
		return Op{protoS7Plus, "s7comm-plus get variable", Read}
	case 0x0506:
		return Op{protoS7Plus, "s7comm-plus add link", Write}
	case 0x051a:
		return Op{protoS7Plus, "s7comm-plus remove link", Write}
	case 0x0524:
		return Op{protoS7Plus, "s7comm-plus get link", Read}
	case 0x0542:
		return Op{protoS7Plus, "s7comm-plus set multi variables", Write}
	case 0x054c:
		return Op{protoS7Plus, "s7comm-plus get multi variables", Read}
	case 0x0556:
		return Op{protoS7Plus, "s7comm-plus begin sequence", Other}
	case 0x0560:
		return Op{protoS7Plus, "s7comm-plus end sequence", Other}
	case 0x056b:
		return Op{protoS7Plus, "s7comm-plus invoke", Other}
	case 0x057c:
		return Op{protoS7Plus, "s7comm-plus set var substreamed", Write}
	case 0x0586:
		return Op{protoS7Plus, "s7comm-plus get var substreamed", Read}
	case 0x0590:
		return Op{protoS7Plus, "s7comm-plus get variables address", Read}
	case 0x059a:
		return Op{protoS7Plus, "s7comm-plus abort", Session}
	}
	return Op{protoS7Plus, "s7comm-plus function " + hex4(code), Other}
}
