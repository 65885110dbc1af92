package dissect

// Transport protocol numbers as carried in the IP header.
const (
	TCP uint8 = 6
	UDP uint8 = 17
)

// ByPort names the protocol usually served on a server port, for TCP (6) or
// UDP (17); "" when the port says nothing reliable. Port 102 answers "s7comm":
// Dissect turns it into "s7comm-plus" when the payload shows it.
func ByPort(transport uint8, port uint16) string {
	switch transport {
	case TCP:
		switch port {
		case 502:
			return protoModbus
		case 102:
			return protoS7
		case 44818:
			return protoENIP
		case 20000:
			return protoDNP3
		case 2404:
			return protoIEC104
		case 47808:
			return protoBACnet
		case 4840:
			return protoOPCUA
		case 3389:
			return protoRDP
		case 445, 139:
			return protoSMB
		case 22:
			return protoSSH
		case 23:
			return protoTelnet
		case 21:
			return protoFTP
		case 80, 8000, 8080:
			return protoHTTP
		case 443, 8443:
			return protoHTTPS
		case 53:
			return protoDNS
		case 161, 162:
			return protoSNMP
		case 601, 6514:
			return protoSyslog
		}
		if port >= 5900 && port <= 5909 {
			return protoVNC
		}
	case UDP:
		switch port {
		case 502:
			return protoModbus
		case 44818, 2222:
			return protoENIP
		case 20000:
			return protoDNP3
		case 47808:
			return protoBACnet
		case 3389:
			return protoRDP
		case 53:
			return protoDNS
		case 123:
			return protoNTP
		case 161, 162:
			return protoSNMP
		case 514:
			return protoSyslog
		}
	}
	return ""
}
