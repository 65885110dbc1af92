package dissect

import "bytes"

// IT protocols are named by port and classified lightly: one Op per protocol,
// refined only where a byte or two says more (HTTP method, FTP command, SNMP
// PDU tag, SMB read/write).

var (
	opRDP       = Op{protoRDP, "rdp session", Session}
	opSSH       = Op{protoSSH, "ssh session", Session}
	opTelnet    = Op{protoTelnet, "telnet session", Session}
	opVNC       = Op{protoVNC, "vnc session", Session}
	opSMB       = Op{protoSMB, "smb session", Session}
	opHTTPS     = Op{protoHTTPS, "https session", Session}
	opSyslog    = Op{protoSyslog, "log message", Monitor}
	opSMBRead   = Op{protoSMB, "read file", Read}
	opSMBWrite  = Op{protoSMB, "write file", Write}
	opFTP       = Op{protoFTP, "ftp session", Session}
	opFTPLogin  = Op{protoFTP, "login", Session}
	opFTPStore  = Op{protoFTP, "store file", Write}
	opFTPRetr   = Op{protoFTP, "retrieve file", Read}
	opFTPDelete = Op{protoFTP, "delete file", Write}
	opFTPList   = Op{protoFTP, "list files", Read}
	opDNSQuery  = Op{protoDNS, "query", Read}
	opDNSUpdate = Op{protoDNS, "dynamic update", Write}
	opNTPTime   = Op{protoNTP, "time sync", Read}
	opNTPCtl    = Op{protoNTP, "control message", Diagnostics}
	opNTPPriv   = Op{protoNTP, "private message", Diagnostics}
)

var httpMethods = [...]Op{
	{protoHTTP, "get", Read},
	{protoHTTP, "head", Read},
	{protoHTTP, "options", Read},
	{protoHTTP, "post", Write},
	{protoHTTP, "put", Write},
	{protoHTTP, "patch", Write},
	{protoHTTP, "delete", Write},
	{protoHTTP, "connect", Session},
	{protoHTTP, "trace", Diagnostics},
}

// httpMethod recognises the method of a request line ("GET /x HTTP/1.1").
func httpMethod(p []byte) (Op, bool) {
	sp := bytes.IndexByte(upto(p, 8), ' ')
	if sp < 3 {
		return Op{}, false
	}
	var i int
	switch string(p[:sp]) {
	case "GET":
		i = 0
	case "HEAD":
		i = 1
	case "OPTIONS":
		i = 2
	case "POST":
		i = 3
	case "PUT":
		i = 4
	case "PATCH":
		i = 5
	case "DELETE":
		i = 6
	case "CONNECT":
		i = 7
	case "TRACE":
		i = 8
	default:
		return Op{}, false
	}
	return httpMethods[i], true
}

// isTLSHandshake: a TLS record of type handshake (22) with a 3.x version.
func isTLSHandshake(p []byte) bool {
	return len(p) >= 6 && p[0] == 0x16 && p[1] == 0x03 && p[2] <= 0x04
}

func dissectWeb(protocol string, p []byte, emit func(Op)) string {
	if isTLSHandshake(p) {
		emit(opHTTPS)
		return protoHTTPS
	}
	if op, ok := httpMethod(p); ok {
		emit(op)
		return protoHTTP
	}
	if protocol == protoHTTPS {
		emit(opHTTPS)
	}
	return protocol
}

// dissectSMB reads the command of an SMB1 or SMB2 header behind the 4-byte
// NetBIOS session header.
func dissectSMB(p []byte, emit func(Op)) {
	if len(p) >= 18 && p[0] == 0 && p[5] == 'S' && p[6] == 'M' && p[7] == 'B' {
		switch {
		case p[4] == 0xfe: // SMB2: command at header offset 12
			switch le16(p[16:]) {
			case 0x08:
				emit(opSMBRead)
				return
			case 0x09:
				emit(opSMBWrite)
				return
			}
		case p[4] == 0xff: // SMB1: command at header offset 4
			switch p[8] {
			case 0x0a, 0x2e: // read, read andx
				emit(opSMBRead)
				return
			case 0x0b, 0x2f: // write, write andx
				emit(opSMBWrite)
				return
			}
		}
	}
	emit(opSMB)
}

// dissectFTP classifies each command line a client sends; replies and
// anything else count as the session.
func dissectFTP(p []byte, toServer bool, emit func(Op)) {
	if !toServer {
		emit(opFTP)
		return
	}
	for len(p) > 0 {
		line := p
		if i := bytes.IndexByte(p, '\n'); i >= 0 {
			line, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		var cmd [4]byte
		n := 0
		for n < len(line) && n < 4 && line[n] != ' ' && line[n] != '\r' {
			cmd[n] = line[n] &^ 0x20 // upper case
			n++
		}
		switch string(cmd[:n]) {
		case "USER", "PASS":
			emit(opFTPLogin)
		case "STOR", "STOU", "APPE":
			emit(opFTPStore)
		case "RETR":
			emit(opFTPRetr)
		case "DELE", "RMD":
			emit(opFTPDelete)
		case "LIST", "NLST", "MLSD":
			emit(opFTPList)
		default:
			emit(opFTP)
		}
	}
}

// dissectDNS reads the opcode of a DNS header. Over TCP a 2-byte length
// comes first and Dissect is not told the transport, so the framing is taken
// from the length prefix or, failing that, from where the question count (1
// in queries, the zone count 1 in updates) is found; an update is reported
// only when the framing is certain.
func dissectDNS(p []byte, emit func(Op)) {
	var h []byte
	switch {
	case len(p) >= 14 && be16(p) == len(p)-2:
		h = p[2:]
	case len(p) >= 12 && be16(p[4:]) == 1:
		h = p
	case len(p) >= 14 && be16(p[6:]) == 1:
		h = p[2:]
	case len(p) >= 12:
		emit(opDNSQuery)
		return
	default:
		return
	}
	if h[2]>>3&0x0f == 5 {
		emit(opDNSUpdate)
		return
	}
	emit(opDNSQuery)
}

// dissectNTP reads the mode of an NTP header.
func dissectNTP(p []byte, emit func(Op)) {
	if v := p[0] >> 3 & 7; v < 1 || v > 4 {
		return
	}
	switch p[0] & 7 {
	case 1, 2, 3, 4, 5:
		emit(opNTPTime)
	case 6:
		emit(opNTPCtl)
	case 7:
		emit(opNTPPriv)
	}
}

var snmpPDUs = [...]Op{
	0: {protoSNMP, "get", Read},
	1: {protoSNMP, "get next", Read},
	2: {protoSNMP, "response", Other},
	3: {protoSNMP, "set", Write},
	4: {protoSNMP, "trap", Monitor},
	5: {protoSNMP, "get bulk", Read},
	6: {protoSNMP, "inform", Monitor},
	7: {protoSNMP, "trap", Monitor},
	8: {protoSNMP, "report", Other},
}

var opSNMPEncrypted = Op{protoSNMP, "encrypted message", Other}

// dissectSNMP walks the BER message to the PDU tag: for v1/v2c SEQUENCE {
// version, community, PDU }, for v3 SEQUENCE { version, global data,
// security parameters, scoped PDU or encrypted octets }.
func dissectSNMP(p []byte, emit func(Op)) {
	tag, msg, _, ok := ber(p)
	if !ok || tag != 0x30 {
		return
	}
	tag, ver, rest, ok := ber(msg)
	if !ok || tag != 0x02 || len(ver) != 1 {
		return
	}
	switch ver[0] {
	case 0, 1:
		if tag, _, rest, ok = ber(rest); !ok || tag != 0x04 {
			return
		}
	case 3:
		for _, want := range [...]byte{0x30, 0x04} { // global data, security parameters
			if tag, _, rest, ok = ber(rest); !ok || tag != want {
				return
			}
		}
		var scoped []byte
		if tag, scoped, _, ok = ber(rest); !ok {
			return
		}
		if tag == 0x04 {
			emit(opSNMPEncrypted)
			return
		}
		if tag != 0x30 {
			return
		}
		rest = scoped
		for range 2 { // context engine id, context name
			if tag, _, rest, ok = ber(rest); !ok || tag != 0x04 {
				return
			}
		}
	default:
		return
	}
	if len(rest) > 0 && rest[0] >= 0xa0 && rest[0] <= 0xa8 {
		emit(snmpPDUs[rest[0]-0xa0])
	}
}

// ber splits off one BER element with a single-byte tag. The value may be cut
// short by the end of the segment; rest is what follows a whole element.
func ber(b []byte) (tag byte, value, rest []byte, ok bool) {
	if len(b) < 2 {
		return 0, nil, nil, false
	}
	tag = b[0]
	n, i := int(b[1]), 2
	if n&0x80 != 0 {
		k := n & 0x7f
		if k == 0 || k > 3 || len(b) < 2+k {
			return 0, nil, nil, false
		}
		n = 0
		for _, c := range b[2 : 2+k] {
			n = n<<8 | int(c)
		}
		i += k
	}
	if i+n > len(b) {
		return tag, b[i:], nil, true
	}
	return tag, b[i : i+n], b[i+n:], true
}

// recognise names a flow on a port ByPort does not know, only from openings
// that nothing else sends: an SSH banner, a VNC version, an RDP connection
// request with its cookie, an HTTP request line.
func recognise(p []byte, emit func(Op)) string {
	switch {
	case bytes.HasPrefix(p, []byte("SSH-2.0-")) || bytes.HasPrefix(p, []byte("SSH-1.")):
		emit(opSSH)
		return protoSSH
	case len(p) >= 12 && bytes.HasPrefix(p, []byte("RFB 00")) && p[11] == '\n':
		emit(opVNC)
		return protoVNC
	case len(p) >= 11 && p[0] == 3 && p[1] == 0 && p[5]&0xf0 == 0xe0 &&
		bytes.Contains(p[11:], []byte("Cookie: mstshash=")):
		emit(opRDP)
		return protoRDP
	}
	if op, ok := httpMethod(p); ok {
		line := p
		if i := bytes.IndexByte(upto(p, 4096), '\n'); i >= 0 {
			line = p[:i]
		} else {
			return ""
		}
		if bytes.Contains(line, []byte(" HTTP/1.")) {
			emit(op)
			return protoHTTP
		}
	}
	return ""
}
