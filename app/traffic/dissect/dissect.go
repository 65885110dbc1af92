package dissect

// Dissect reads one transport payload of a flow already named protocol (by
// ByPort or by an earlier Dissect) and calls emit for each operation found. A
// segment may hold several PDUs, and a PDU may be cut short: what is complete
// enough is classified, the rest is ignored; nothing is buffered, and a
// payload that does not parse yields nothing rather than a guess. toServer
// says the client sent the payload. Each Op names its own protocol: CIP
// services found inside EtherNet/IP are "cip" Ops of an "enip" flow.
//
// Dissect returns the protocol the payload shows when that refines the name
// it was given: port 102 carrying S7comm-plus, TLS on an HTTP port, plain
// HTTP on an HTTPS port, or an unmistakable SSH, VNC, RDP or HTTP opening on
// a port ByPort does not know. Otherwise it returns protocol unchanged.
func Dissect(protocol string, payload []byte, toServer bool, emit func(Op)) string {
	if len(payload) == 0 {
		return protocol
	}
	switch protocol {
	case protoModbus:
		dissectModbus(payload, emit)
	case protoS7, protoS7Plus:
		return dissectISOTSAP(protocol, payload, emit)
	case protoENIP, protoCIP:
		dissectENIP(payload, emit)
	case protoDNP3:
		dissectDNP3(payload, emit)
	case protoIEC104:
		dissectIEC104(payload, emit)
	case protoBACnet:
		dissectBACnet(payload, emit)
	case protoOPCUA:
		dissectOPCUA(payload, emit)
	case protoHTTP, protoHTTPS:
		return dissectWeb(protocol, payload, emit)
	case protoRDP:
		emit(opRDP)
	case protoSSH:
		emit(opSSH)
	case protoTelnet:
		emit(opTelnet)
	case protoVNC:
		emit(opVNC)
	case protoSMB:
		dissectSMB(payload, emit)
	case protoFTP:
		dissectFTP(payload, toServer, emit)
	case protoDNS:
		dissectDNS(payload, emit)
	case protoNTP:
		dissectNTP(payload, emit)
	case protoSNMP:
		dissectSNMP(payload, emit)
	case protoSyslog:
		emit(opSyslog)
	case "":
		return recognise(payload, emit)
	}
	return protocol
}

// be16 and le16 read 16-bit fields; callers check the length first.
func be16(b []byte) int { return int(b[0])<<8 | int(b[1]) }
func le16(b []byte) int { return int(b[0]) | int(b[1])<<8 }

func le32(b []byte) uint32 {
	return uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
}

// upto returns b cut to at most n bytes: a length field may promise more than
// the segment holds.
func upto(b []byte, n int) []byte {
	if n < len(b) {
		return b[:n]
	}
	return b
}
