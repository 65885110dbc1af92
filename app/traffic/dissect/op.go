package dissect

// Kind is what an operation does, coarsely; the audit findings key on it.
type Kind uint8

const (
	Other       Kind = iota
	Read             // read data, values or properties
	Write            // write data, values, properties or tags
	Program          // upload, download or delete of logic, blocks or firmware
	Control          // stop, start, restart, reset, device communication control
	Command          // operate outputs: select/operate, direct operate, IEC 104 commands
	Diagnostics      // diagnostics, device identification, event counters
	Identify         // discovery: list identity, DCP identify, who-is
	Session          // hello, secure channel, session setup, connect, forward open
	Monitor          // spontaneous, unsolicited or cyclic data; confirmations
	File             // file operations other than program transfer
)

var kindNames = [...]string{
	Other:       "other",
	Read:        "read",
	Write:       "write",
	Program:     "program",
	Control:     "control",
	Command:     "command",
	Diagnostics: "diagnostics",
	Identify:    "identify",
	Session:     "session",
	Monitor:     "monitor",
	File:        "file",
}

// String returns the lower-case name of k, or "kind N" for a value outside the
// defined set.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind " + decimal(uint64(k))
}

// Op is one kind of operation seen in a flow. Name is short, lower case and
// stable: it is used as a set key and printed in reports.
type Op struct {
	Protocol string
	Name     string
	Kind     Kind
}

// Protocol names, as returned by ByPort and Dissect and set in Op.Protocol.
const (
	protoModbus = "modbus"
	protoS7     = "s7comm"
	protoS7Plus = "s7comm-plus"
	protoENIP   = "enip"
	protoCIP    = "cip"
	protoDNP3   = "dnp3"
	protoIEC104 = "iec104"
	protoBACnet = "bacnet"
	protoOPCUA  = "opcua"
	protoPNDCP  = "profinet-dcp"
	protoPNRT   = "profinet-rt"
	protoRDP    = "rdp"
	protoSMB    = "smb"
	protoSSH    = "ssh"
	protoTelnet = "telnet"
	protoFTP    = "ftp"
	protoVNC    = "vnc"
	protoHTTP   = "http"
	protoHTTPS  = "https"
	protoDNS    = "dns"
	protoNTP    = "ntp"
	protoSNMP   = "snmp"
	protoSyslog = "syslog"
)

// decimal formats v without fmt, so String stays cheap.
func decimal(v uint64) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return string(b[i:])
}

const hexDigits = "0123456789abcdef"

// hex2 and hex4 give the fixed-width lower-case hex used in names of unknown codes.
func hex2(v byte) string {
	return string([]byte{'0', 'x', hexDigits[v>>4], hexDigits[v&15]})
}

func hex4(v uint16) string {
	return string([]byte{'0', 'x', hexDigits[v>>12], hexDigits[v>>8&15], hexDigits[v>>4&15], hexDigits[v&15]})
}
