package dissect

// EtherNet/IP: a 24-byte encapsulation header (command, length, session
// handle, status, sender context, options; little-endian), then command data.
// SendRRData and SendUnitData carry a Common Packet Format list whose data
// item holds a CIP message.

var (
	enipCyclicIO = Op{protoENIP, "cyclic io", Monitor}
)

func dissectENIP(p []byte, emit func(Op)) {
	// Class 0/1 I/O on UDP 2222 has no encapsulation header: it starts with
	// the CPF item count and a sequenced address item (0x8002).
	if len(p) >= 6 && le16(p) >= 2 && le16(p) <= 4 && le16(p[2:]) == 0x8002 {
		emit(enipCyclicIO)
		return
	}
	for len(p) >= 24 {
		cmd, n := le16(p), le16(p[2:])
		if !enipKnown(cmd) {
			return // not a header: the middle of a long message
		}
		body := upto(p[24:], n)
		if cmd == 0x6f || cmd == 0x70 {
			if !enipCPF(body, emit) {
				emit(ENIPCommand(uint16(cmd)))
			}
		} else {
			emit(ENIPCommand(uint16(cmd)))
		}
		if 24+n > len(p) {
			return
		}
		p = p[24+n:]
	}
}

func enipKnown(cmd int) bool {
	switch cmd {
	case 0x00, 0x04, 0x63, 0x64, 0x65, 0x66, 0x6f, 0x70, 0x72, 0x73:
		return true
	}
	return false
}

// enipCPF reads the CPF after the interface handle (4) and timeout (2): an
// item count, then items of type, length, data. It reports whether it found
// a CIP message.
func enipCPF(b []byte, emit func(Op)) bool {
	if len(b) < 8 {
		return false
	}
	count := le16(b[6:])
	b = b[8:]
	for i := 0; i < count && len(b) >= 4; i++ {
		typ, n := le16(b), le16(b[2:])
		data := upto(b[4:], n)
		switch typ {
		case 0xb2: // unconnected data
			return cipMessage(data, emit, 0)
		case 0xb1: // connected data: a 16-bit sequence count, then CIP
			if len(data) >= 3 {
				return cipMessage(data[2:], emit, 0)
			}
			return false
		}
		if 4+n > len(b) {
			return false
		}
		b = b[4+n:]
	}
	return false
}

// cipMessage reads a CIP request (service, path size in words, path, data) or
// reply (service|0x80, ...). Requests that wrap other requests (unconnected
// send, multiple service packet) are opened, to a bounded depth.
func cipMessage(m []byte, emit func(Op), depth int) bool {
	if len(m) < 2 {
		return false
	}
	svc := m[0]
	if svc&0x80 != 0 {
		emit(CIPService(svc))
		return true
	}
	end := 2 + 2*int(m[1])
	if end > len(m) {
		emit(CIPService(svc))
		return true
	}
	class, symbolic := cipPathTarget(m[2:end])
	data := m[end:]
	switch svc {
	case 0x52:
		if class == 0x06 {
			emit(cipOps[0x52])
			// priority/tick, timeout ticks, embedded size, embedded request
			if depth < 2 && len(data) >= 4 {
				cipMessage(upto(data[4:], le16(data[2:])), emit, depth+1)
			}
			return true
		}
		if symbolic || class == 0x6b {
			emit(cipReadTagFragmented)
			return true
		}
	case 0x4e:
		if symbolic || class == 0x6b {
			emit(cipReadModifyWriteTag)
			return true
		}
	case 0x0a:
		emit(cipOps[0x0a])
		// Service count, then offsets (from the count) of each request.
		// Only ascending, disjoint requests are read, so the operations
		// found stay proportional to the bytes, however the offsets lie.
		if depth < 2 && len(data) >= 2 {
			count := le16(data)
			done := 2 + 2*count
			for i := 0; i < count && 2+2*i+2 <= len(data); i++ {
				start := le16(data[2+2*i:])
				stop := len(data)
				if i+1 < count && 2+2*i+4 <= len(data) {
					stop = le16(data[2+2*i+2:])
				}
				if start < done || start >= stop || stop > len(data) {
					break
				}
				cipMessage(data[start:stop], emit, depth+1)
				done = stop
			}
		}
		return true
	}
	emit(CIPService(svc))
	return true
}

// cipPathTarget reads the first segment of a request path: a logical class
// (8- or 16-bit) or an ANSI extended symbolic segment (a tag name).
func cipPathTarget(path []byte) (class int, symbolic bool) {
	if len(path) < 2 {
		return -1, false
	}
	switch path[0] {
	case 0x20:
		return int(path[1]), false
	case 0x21:
		if len(path) >= 4 {
			return le16(path[2:]), false
		}
	case 0x91:
		return -1, true
	}
	return -1, false
}
