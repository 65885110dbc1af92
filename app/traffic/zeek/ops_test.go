package zeek

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// op is shorthand for an expected operation.
func op(proto, name string, k dissect.Kind) dissect.Op {
	return dissect.Op{Protocol: proto, Name: name, Kind: k}
}

// The expected operations are written by hand from each line of the test
// logs and the names dissect gives the codes involved.
var icsCases = []struct {
	file    string
	uid     string
	records int64
	want    []dissect.Op
}{
	{"modbus.log", "CmES5u32sYpV7JYN", 7, []dissect.Op{
		op("modbus", "read holding registers", dissect.Read),    // REQ
		op("modbus", "read holding registers", dissect.Read),    // RESP
		op("modbus", "write single register", dissect.Write),    // REQ
		op("modbus", "write multiple registers", dissect.Write), // _EXCEPTION
		op("modbus", "function 0x41", dissect.Other),            // unknown-65
		op("modbus", "umas", dissect.Program),                   // PROGRAM_UNITY (90)
		// the line without func names nothing
	}},
	{"dnp3.log", "C4J4Th3PJpwUYZZ6gc", 5, []dissect.Op{
		op("dnp3", "read", dissect.Read), op("dnp3", "response", dissect.Other),
		op("dnp3", "direct operate", dissect.Command), op("dnp3", "response", dissect.Other),
		op("dnp3", "unsolicited response", dissect.Monitor),
		op("dnp3", "cold restart", dissect.Control),
		op("dnp3", "function 0xc8", dissect.Other), // unknown-200
	}},
	{"s7comm.log", "CHhAvVGS1DHFjwGM9", 13, []dissect.Op{
		op("s7comm", "setup communication", dissect.Session), // job
		op("s7comm", "setup communication", dissect.Session), // ack-data
		op("s7comm", "read szl", dissect.Diagnostics),        // user-data request 0x44/0x01
		op("s7comm", "read szl", dissect.Diagnostics),        // its response 0x84/0x01
		op("s7comm", "block functions", dissect.Read),        // 0x43/0x01 list blocks
		op("s7comm", "set clock", dissect.Control),           // 0x47/0x02
		op("s7comm", "write variable", dissect.Write),
		op("s7comm", "start upload", dissect.Program),
		op("s7comm", "plc stop", dissect.Control),
		op("s7comm", "copy ram to rom", dissect.Program), // PLC Control _MODU
		op("s7comm", "pi service", dissect.Control),      // its ack-data
		op("s7comm", "plc start", dissect.Control),       // PLC Control P_PROGRAM
		// the bare ACK names nothing
	}},
	{"s7comm_plus.log", "CHhAvVGS1DHFjwGM9", 4, []dissect.Op{
		op("s7comm-plus", "s7comm-plus notification", dissect.Monitor),
		op("s7comm-plus", "s7comm-plus set variable", dissect.Write),
		op("s7comm-plus", "s7comm-plus get multi variables", dissect.Read),
		op("s7comm-plus", "s7comm-plus get multi variables", dissect.Read),
	}},
	{"cip.log", "CUM0KZ3MLUfNB0cl11", 8, []dissect.Op{
		op("cip", "multiple service packet", dissect.Other),
		op("cip", "get attribute list", dissect.Read),
		op("cip", "get attribute list", dissect.Read),  // response
		op("cip", "read tag", dissect.Read),            // 0x4c, symbolic path
		op("cip", "read tag fragmented", dissect.Read), // 0x52 to a tag
		op("cip", "unconnected send", dissect.Other),   // 0x52 to the Connection Manager
		op("cip", "forward open", dissect.Session),
		op("cip", "write tag", dissect.Write), // response
	}},
	{"enip.log", "CUM0KZ3MLUfNB0cl11", 4, []dissect.Op{
		op("enip", "register session", dissect.Session),
		// SendRRData and SendUnitData: their CIP is in cip.log
		op("enip", "list identity", dissect.Identify),
	}},
	{"cip_io.log", "CpIO1", 1, []dissect.Op{op("enip", "cyclic io", dissect.Monitor)}},
	{"bacnet.log", "CBac1", 9, []dissect.Op{
		op("bacnet", "read property", dissect.Read),
		op("bacnet", "read property", dissect.Read), // complex ack
		op("bacnet", "write property", dissect.Write),
		// the error PDU names nothing
		op("bacnet", "who-is", dissect.Identify),
		op("bacnet", "i-am", dissect.Identify),
		op("bacnet", "reinitialize device", dissect.Control),
		op("bacnet", "confirmed service 0x22", dissect.Other),
		op("bacnet", "register foreign device", dissect.Session),
	}},
}

func TestICSLogs(t *testing.T) {
	for _, c := range icsCases {
		t.Run(c.file, func(t *testing.T) {
			data := readTestdata(t, c.file)
			for _, variant := range []struct {
				name string
				data []byte
			}{{c.file, data}, {c.file + ".gz", gz(t, data)}} {
				conns, ops, res, err := collect(t, variant.name, variant.data)
				if err != nil {
					t.Fatal(err)
				}
				typ := strings.TrimSuffix(c.file, ".log")
				if res.LogType != typ || res.Records != c.records || res.BadLines != 0 || res.Skipped != "" || len(conns) != 0 {
					t.Errorf("%s: %+v", variant.name, res)
				}
				var got []dissect.Op
				for _, o := range ops {
					if o.UID != c.uid {
						t.Errorf("UID %q, want %q", o.UID, c.uid)
					}
					got = append(got, o.Op)
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("%s operations\n got %v\nwant %v", variant.name, got, c.want)
				}
			}
		})
	}
}

// TestSameOpAsCapture checks a log line against the packet it records:
// Modbus/TCP write single register (MBAP: transaction 2, protocol 0,
// length 6, unit 1; function 6, register 0x0010, value 0x002a) and an
// S7comm PLC Control job naming the _MODU PI service.
func TestSameOpAsCapture(t *testing.T) {
	fromPacket := func(protocol string, pkt []byte) []dissect.Op {
		var ops []dissect.Op
		dissect.Dissect(protocol, pkt, true, func(o dissect.Op) { ops = append(ops, o) })
		return ops
	}
	modbus := []byte{0, 2, 0, 0, 0, 6, 1, 6, 0, 0x10, 0, 0x2a}
	s7 := []byte{
		3, 0, 0, 38, // TPKT, length 38
		2, 0xf0, 0x80, // COTP DT
		0x32, 1, 0, 0, 0, 7, 0, 21, 0, 0, // S7 job, reference 7, 21 parameter bytes
		0x28, 0, 0, 0, 0, 0, 0, 0xfd, 0, 4, 'x', 'x', 'x', 'x', 5, '_', 'M', 'O', 'D', 'U', 0,
	}
	for _, c := range []struct {
		log, protocol string
		pkt           []byte
	}{
		{"modbus.log", "modbus", modbus},
		{"s7comm.log", "s7comm", s7},
	} {
		pkt := fromPacket(c.protocol, c.pkt)
		if len(pkt) != 1 {
			t.Fatalf("%s packet: %v", c.protocol, pkt)
		}
		_, ops, _, err := collect(t, c.log, readTestdata(t, c.log))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, o := range ops {
			found = found || o.Op == pkt[0]
		}
		if !found {
			t.Errorf("%s: the packet's %v is not among the log's operations", c.log, pkt[0])
		}
	}
}

func TestICSBadValues(t *testing.T) {
	head := "#separator \\x09\n#unset_field\t-\n#path\t"
	for _, c := range []struct{ log, msg string }{
		{"modbus\n#fields\tuid\tfunc\nC1\tREAD_EVERYTHING\n", "line 5: field func: unknown name"},
		{"dnp3\n#fields\tuid\tfc_request\nC1\tREADX\n", "line 5: field fc_request: unknown name"},
		{"s7comm\n#fields\tuid\trosctr_code\tfunction_code\nC1\t1\t0xzz\n", "line 5: field function_code: not a number"},
		{"cip\n#fields\tuid\tcip_service_code\nC1\t0x1ff\n", "line 5: field cip_service_code: out of range"},
		{"bacnet\n#fields\tuid\tpdu_type\tpdu_service\nC1\tCONFIRMED_REQUEST\tfly\n", "line 5: field pdu_service: unknown name"},
		{"enip\n#fields\tts\tenip_command_code\n1\t0x65\n", ""}, // no uid column: refused below
	} {
		_, _, res, err := collect(t, "x.log", []byte(head+c.log))
		if c.msg == "" {
			if err == nil || !strings.Contains(err.Error(), "enip.log has no uid column") {
				t.Errorf("%q: err %v", c.log, err)
			}
			continue
		}
		if err != nil || res.BadLines != 1 || res.FirstBad != c.msg {
			t.Errorf("%q: %+v %v, want %q", c.log, res, err, c.msg)
		}
	}
}

// Zeek before 6 wrote modbus.log without tid, unit and pdu_type.
func TestModbusOldColumns(t *testing.T) {
	log := "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tmodbus\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tfunc\texception\n" +
		"#types\ttime\tstring\taddr\tport\taddr\tport\tstring\tstring\n" +
		"1389213423.459004\tCpIIXl4DFGswmjH2bl\t10.1.1.2\t49181\t10.1.1.234\t502\tWRITE_SINGLE_COIL\t-\n" +
		"1389213423.460000\tCpIIXl4DFGswmjH2bl\t10.1.1.2\t49181\t10.1.1.234\t502\tREAD_COILS_EXCEPTION\tILLEGAL_DATA_ADDRESS\n"
	_, ops, res, err := collect(t, "modbus.log", []byte(log))
	want := []Op{
		{"CpIIXl4DFGswmjH2bl", op("modbus", "write single coil", dissect.Write)},
		{"CpIIXl4DFGswmjH2bl", op("modbus", "read coils", dissect.Read)},
	}
	if err != nil || res.Records != 2 || !reflect.DeepEqual(ops, want) {
		t.Errorf("%+v %v\n got %v\nwant %v", res, err, ops, want)
	}
}
