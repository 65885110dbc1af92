package dissect

// Dissect reads one transport payload of a flow already named protocol (by
// ByPort or by an earlier Dissect) and calls emit for each operation found. A
// segment may hold several PDUs, and a PDU may be cut short: what is complete
// enough is classified, the rest is ignored; nothing is buffered. toServer
// says the client sent the payload.
//
// Dissect returns the protocol the payload shows when that refines the name
// it was given (port 102 carrying S7comm-plus, TLS on an HTTP port, an SSH
// banner on an unknown port); otherwise it returns protocol unchanged.
func Dissect(protocol string, payload []byte, toServer bool, emit func(Op)) string {
	return protocol
}

// EtherFrame classifies a non-IP Ethernet frame by its EtherType and payload
// (the bytes after the EtherType). It returns the protocol name, or "" when
// the EtherType is not one it knows.
func EtherFrame(etherType uint16, payload []byte, emit func(Op)) string {
	return ""
}
