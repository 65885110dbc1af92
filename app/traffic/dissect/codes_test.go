package dissect

import "testing"

// The expectations below were written from the protocol specifications'
// code lists, not from the tables under test.

func TestKindString(t *testing.T) {
	want := []string{"other", "read", "write", "program", "control", "command",
		"diagnostics", "identify", "session", "monitor", "file"}
	for k, w := range want {
		if got := Kind(k).String(); got != w {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, w)
		}
	}
	if got := Kind(200).String(); got != "kind 200" {
		t.Errorf("Kind(200).String() = %q", got)
	}
}

type codeCase struct {
	code uint16
	name string
	kind Kind
}

func checkCodes(t *testing.T, proto string, f func(uint16) Op, cases []codeCase) {
	t.Helper()
	for _, c := range cases {
		got := f(c.code)
		want := Op{Protocol: proto, Name: c.name, Kind: c.kind}
		if got != want {
			t.Errorf("%s code 0x%02x = %+v, want %+v", proto, c.code, got, want)
		}
	}
}

func TestModbusFunction(t *testing.T) {
	checkCodes(t, "modbus", func(c uint16) Op { return ModbusFunction(byte(c)) }, []codeCase{
		{1, "read coils", Read},
		{3, "read holding registers", Read},
		{4, "read input registers", Read},
		{20, "read file record", Read},
		{5, "write single coil", Write},
		{6, "write single register", Write},
		{15, "write multiple coils", Write},
		{16, "write multiple registers", Write},
		{22, "mask write register", Write},
		{23, "read/write multiple registers", Write},
		{8, "diagnostics", Diagnostics},
		{11, "get comm event counter", Diagnostics},
		{17, "report server id", Diagnostics},
		{43, "encapsulated interface transport", Diagnostics},
		{90, "umas", Program},
		{125, "vendor-specific 0x7d", Program},
		{126, "vendor-specific 0x7e", Program},
		// Exception responses: function code + 0x80.
		{0x83, "read holding registers", Read},
		{0x90, "write multiple registers", Write},
		{0xda, "umas", Program},
		// Unassigned.
		{0x41, "function 0x41", Other},
		{0, "function 0x00", Other},
		{0x80, "function 0x80", Other},
	})
}

func TestDNP3Function(t *testing.T) {
	checkCodes(t, "dnp3", func(c uint16) Op { return DNP3Function(byte(c)) }, []codeCase{
		{0x00, "confirm", Monitor},
		{0x01, "read", Read},
		{0x02, "write", Write},
		{0x03, "select", Command},
		{0x04, "operate", Command},
		{0x05, "direct operate", Command},
		{0x06, "direct operate no ack", Command},
		{0x0d, "cold restart", Control},
		{0x0e, "warm restart", Control},
		{0x12, "stop application", Control},
		{0x17, "delay measurement", Diagnostics},
		{0x19, "open file", File},
		{0x1b, "delete file", File},
		{0x20, "authentication request", Session},
		{0x21, "authentication request no ack", Session},
		{0x81, "response", Other},
		{0x82, "unsolicited response", Monitor},
		{0x83, "authentication response", Session},
		{0x22, "function 0x22", Other},
		{0xff, "function 0xff", Other},
	})
}

func TestS7Function(t *testing.T) {
	checkCodes(t, "s7comm", func(c uint16) Op { return S7Function(byte(c)) }, []codeCase{
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
		{0x06, "function 0x06", Other},
	})
}

func TestCIPService(t *testing.T) {
	checkCodes(t, "cip", func(c uint16) Op { return CIPService(byte(c)) }, []codeCase{
		{0x01, "get attributes all", Read},
		{0x0e, "get attribute single", Read},
		{0x4c, "read tag", Read},
		{0x10, "set attribute single", Write},
		{0x4d, "write tag", Write},
		{0x05, "reset", Control},
		{0x07, "stop", Control},
		{0x52, "unconnected send", Other},
		{0x54, "forward open", Session},
		{0x5b, "large forward open", Session},
		{0x4e, "forward close", Session},
		// Responses carry the request's code with bit 0x80 set.
		{0x8e, "get attribute single", Read},
		{0xcc, "read tag", Read},
		{0xd4, "forward open", Session},
		{0x33, "service 0x33", Other},
	})
}

func TestENIPCommand(t *testing.T) {
	checkCodes(t, "enip", ENIPCommand, []codeCase{
		{0x0063, "list identity", Identify},
		{0x0004, "list services", Identify},
		{0x0064, "list interfaces", Identify},
		{0x0065, "register session", Session},
		{0x0066, "unregister session", Session},
		{0x006f, "send rr data", Other},
		{0x0070, "send unit data", Other},
		{0x1234, "command 0x1234", Other},
	})
}

func TestBACnetServices(t *testing.T) {
	checkCodes(t, "bacnet", func(c uint16) Op { return BACnetConfirmed(byte(c)) }, []codeCase{
		{12, "read property", Read},
		{14, "read property multiple", Read},
		{15, "write property", Write},
		{16, "write property multiple", Write},
		{17, "device communication control", Control},
		{20, "reinitialize device", Control},
		{6, "atomic read file", File},
		{7, "atomic write file", File},
		{1, "confirmed cov notification", Monitor},
		{40, "confirmed service 0x28", Other},
	})
	checkCodes(t, "bacnet", func(c uint16) Op { return BACnetUnconfirmed(byte(c)) }, []codeCase{
		{0, "i-am", Identify},
		{1, "i-have", Identify},
		{7, "who-has", Identify},
		{8, "who-is", Identify},
		{2, "unconfirmed cov notification", Monitor},
		{3, "unconfirmed event notification", Monitor},
		{6, "time synchronization", Control},
		{9, "utc time synchronization", Control},
		{10, "write group", Write},
		{99, "unconfirmed service 0x63", Other},
	})
}

func TestIEC104(t *testing.T) {
	checkCodes(t, "iec104", func(c uint16) Op { return IEC104Type(byte(c)) }, []codeCase{
		{1, "single-point information", Monitor},
		{13, "measured value short float", Monitor},
		{30, "single-point information with cp56 time", Monitor},
		{36, "measured value short float with cp56 time", Monitor},
		{22, "type 22", Monitor}, // undefined, but in the monitoring range
		{45, "single command", Command},
		{46, "double command", Command},
		{50, "set point short float", Command},
		{58, "single command with cp56 time", Command},
		{55, "type 55", Command}, // undefined, but in the command range
		{100, "interrogation", Read},
		{101, "counter interrogation", Read},
		{103, "clock synchronization", Control},
		{105, "reset process", Control},
		{110, "parameter normalized", Write},
		{120, "file ready", File},
		{125, "segment", File},
		{127, "query log", File},
		{0, "type 0", Other},
		{200, "type 200", Other},
	})
	checkCodes(t, "iec104", func(c uint16) Op { return IEC104UFormat(byte(c)) }, []codeCase{
		{0x07, "startdt act", Session},
		{0x0b, "startdt con", Session},
		{0x13, "stopdt act", Session},
		{0x23, "stopdt con", Session},
		{0x43, "testfr act", Session},
		{0x83, "testfr con", Session},
		{0x03, "u-format 0x03", Other},
	})
}

func TestOPCUAService(t *testing.T) {
	checkCodes(t, "opcua", func(c uint16) Op { return OPCUAService(uint32(c)) }, []codeCase{
		{461, "create session", Session},
		{464, "create session", Session},
		{467, "activate session", Session},
		{631, "read", Read},
		{634, "read", Read},
		{673, "write", Write},
		{527, "browse", Read},
		{712, "call", Command},
		{826, "publish", Monitor},
		{1, "message", Other},
	})
}

func TestS7CommPlusFunction(t *testing.T) {
	checkCodes(t, "s7comm-plus", S7CommPlusFunction, []codeCase{
		{0x04ca, "s7comm-plus create object", Session},
		{0x04f2, "s7comm-plus set variable", Write},
		{0x054c, "s7comm-plus get multi variables", Read},
		{0x0542, "s7comm-plus set multi variables", Write},
		{0x056b, "s7comm-plus invoke", Other},
		{0x1111, "s7comm-plus function 0x1111", Other},
	})
}

func TestByPort(t *testing.T) {
	cases := []struct {
		tr   uint8
		port uint16
		want string
	}{
		{6, 502, "modbus"}, {6, 102, "s7comm"}, {6, 44818, "enip"}, {17, 44818, "enip"},
		{17, 2222, "enip"}, {6, 2222, ""}, {6, 20000, "dnp3"}, {17, 20000, "dnp3"},
		{6, 2404, "iec104"}, {17, 47808, "bacnet"}, {6, 4840, "opcua"}, {6, 3389, "rdp"},
		{6, 445, "smb"}, {6, 139, "smb"}, {6, 22, "ssh"}, {6, 23, "telnet"}, {6, 21, "ftp"},
		{6, 5900, "vnc"}, {6, 5909, "vnc"}, {6, 5910, ""}, {6, 80, "http"}, {6, 8080, "http"},
		{6, 443, "https"}, {6, 8443, "https"}, {17, 53, "dns"}, {6, 53, "dns"},
		{17, 123, "ntp"}, {6, 123, ""}, {17, 161, "snmp"}, {17, 162, "snmp"},
		{17, 514, "syslog"}, {6, 0, ""}, {17, 0, ""}, {1, 502, ""}, {6, 65535, ""},
	}
	for _, c := range cases {
		if got := ByPort(c.tr, c.port); got != c.want {
			t.Errorf("ByPort(%d, %d) = %q, want %q", c.tr, c.port, got, c.want)
		}
	}
}

// Every table entry is usable as a set key: named, and named in lower case.
func TestTablesWellFormed(t *testing.T) {
	fs := map[string]func(byte) Op{
		"modbus": ModbusFunction, "dnp3": DNP3Function, "s7comm": S7Function,
		"cip": CIPService, "bacnet": BACnetConfirmed, "bacnet-u": BACnetUnconfirmed,
		"iec104": IEC104Type, "iec104-u": IEC104UFormat,
	}
	for name, f := range fs {
		for i := 0; i < 256; i++ {
			op := f(byte(i))
			if op.Protocol == "" || op.Name == "" || op.Kind > File {
				t.Errorf("%s(%d) = %+v", name, i, op)
			}
			for _, r := range op.Name {
				if r >= 'A' && r <= 'Z' {
					t.Errorf("%s(%d) name %q is not lower case", name, i, op.Name)
					break
				}
			}
		}
	}
}
