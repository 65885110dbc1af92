package dissect

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// h decodes hex written with spaces, '|' separators and "//" comments (to
// the end of a line), so byte slices can be laid out field by field.
func h(s string) []byte {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		for _, r := range line {
			if r != ' ' && r != '|' && r != '\t' {
				b.WriteRune(r)
			}
		}
	}
	out, err := hex.DecodeString(b.String())
	if err != nil {
		panic(err)
	}
	return out
}

func cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func run(protocol string, payload []byte, toServer bool) (string, []Op) {
	var ops []Op
	got := Dissect(protocol, payload, toServer, func(o Op) { ops = append(ops, o) })
	return got, ops
}

type payloadCase struct {
	name     string
	protocol string
	toServer bool
	payload  []byte
	want     string // returned protocol
	ops      []Op
}

func checkPayloads(t *testing.T, cases []payloadCase) {
	t.Helper()
	for _, c := range cases {
		got, ops := run(c.protocol, c.payload, c.toServer)
		if got != c.want {
			t.Errorf("%s: protocol %q, want %q", c.name, got, c.want)
		}
		if !reflect.DeepEqual(ops, c.ops) {
			t.Errorf("%s: ops\n got %v\nwant %v", c.name, ops, c.ops)
		}
	}
}

func TestModbusPayloads(t *testing.T) {
	readHolding := h(`0001 | 0000 | 0006 | 01 | 03 006b 0003`)             // tid 1, len 6, unit 1, fc 3, addr 107, qty 3
	writeMulti := h(`0002 | 0000 | 000b | 01 | 10 0001 0002 04 000a 0102`) // fc 16, addr 1, qty 2, 4 bytes of values
	exception := h(`0003 | 0000 | 0003 | 01 | 86 02`)                      // exception to fc 6: illegal data address
	deviceID := h(`0004 | 0000 | 0005 | 01 | 2b 0e 01 00`)                 // fc 43, MEI 14, basic, object 0
	umas := h(`0005 | 0000 | 0004 | 00 | 5a 00 02`)                        // fc 90 (UMAS), pairing key, read id
	checkPayloads(t, []payloadCase{
		{"one ADU", "modbus", true, readHolding, "modbus",
			[]Op{{"modbus", "read holding registers", Read}}},
		{"several ADUs", "modbus", true, cat(readHolding, writeMulti, exception, deviceID, umas), "modbus",
			[]Op{
				{"modbus", "read holding registers", Read},
				{"modbus", "write multiple registers", Write},
				{"modbus", "write single register", Write},
				{"modbus", "read device identification", Diagnostics},
				{"modbus", "umas", Program},
			}},
		{"ADU cut after the function code", "modbus", true, cat(readHolding, writeMulti[:8]), "modbus",
			[]Op{{"modbus", "read holding registers", Read}, {"modbus", "write multiple registers", Write}}},
		{"ADU cut before the function code", "modbus", true, cat(readHolding, writeMulti[:7]), "modbus",
			[]Op{{"modbus", "read holding registers", Read}}},
		{"protocol id not 0", "modbus", true, h(`0001 0001 0006 01 03 006b 0003`), "modbus", nil},
		{"length 1 (no function code)", "modbus", true, h(`0001 0000 0001 01 03 006b 0003`), "modbus", nil},
		{"length over 254", "modbus", true, h(`0001 0000 00ff 01 03 006b 0003`), "modbus", nil},
		{"garbage after a good ADU stops the walk", "modbus", true, cat(readHolding, []byte("garbage!!")), "modbus",
			[]Op{{"modbus", "read holding registers", Read}}},
	})
}

// S7comm over TPKT/COTP, built field by field.
var (
	s7CR = h(`03 00 0016 | 11 e0 0000 0001 00 | c0 01 0a | c1 02 0100 | c2 02 0102`) // TPKT len 22; COTP CR, TPDU size, src/dst TSAP
	s7CC = h(`03 00 0016 | 11 d0 0001 0044 00 | c0 01 0a | c1 02 0100 | c2 02 0102`) // COTP CC
	// Job: setup communication (param 8 bytes).
	s7Setup = h(`03 00 0019 | 02 f0 80 | 32 01 0000 0000 0008 0000 | f0 00 0001 0001 01e0`)
	// Job: read var, one item (DB1, byte 0, 1 byte).
	s7Read = h(`03 00 001f | 02 f0 80 | 32 01 0000 0001 000e 0000 | 04 01 12 0a 10 02 0001 0001 84 000000`)
	// Ack-data to write var: header with error class/code, param 05 01, data ff.
	s7WriteAck = h(`03 00 0016 | 02 f0 80 | 32 03 0000 0002 0002 0001 0000 | 05 01 | ff`)
	// Job: PLC stop ("P_PROGRAM").
	s7Stop = h(`03 00 0021 | 02 f0 80 | 32 01 0000 0003 0010 0000 | 29 0000000000 09 505f50524f4752414d`)
	// Job: PI service, empty parameter block, service "P_PROGRAM" (start).
	s7Start = h(`03 00 0025 | 02 f0 80 | 32 01 0000 0004 0014 0000 | 28 000000000000fd 0000 09 505f50524f4752414d`)
	// Job: PI service _INSE with a 10-byte block list.
	s7Insert = h(`03 00 002b | 02 f0 80 | 32 01 0000 0005 001a 0000 | 28 000000000000fd 000a 30304230303030315000 05 5f494e5345`)
	// Job: request download (block OB1).
	s7Download = h(`03 00 0023 | 02 f0 80 | 32 01 0000 0006 0012 0000 | 1a 00 0100 0000 0000 00 09 5f3038303030303150`)
	// Userdata: CPU functions / read SZL request (type 4, group 4, subfunction 1).
	s7SZL = h(`03 00 0021 | 02 f0 80 | 32 07 0000 0007 0008 0008 | 00 01 12 04 11 44 01 00 | ff 09 0004 0011 0000`)
	// Userdata: time functions / set clock (group 7, subfunction 2).
	s7SetClk = h(`03 00 0019 | 02 f0 80 | 32 07 0000 0008 0008 0000 | 00 01 12 04 11 47 02 00`)
)

func TestS7Payloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"COTP connection request", "s7comm", true, s7CR, "s7comm", []Op{{"s7comm", "cotp connect", Session}}},
		{"COTP connection confirm", "s7comm", false, s7CC, "s7comm", []Op{{"s7comm", "cotp connect", Session}}},
		{"setup communication", "s7comm", true, s7Setup, "s7comm", []Op{{"s7comm", "setup communication", Session}}},
		{"read var", "s7comm", true, s7Read, "s7comm", []Op{{"s7comm", "read variable", Read}}},
		{"write var ack-data", "s7comm", false, s7WriteAck, "s7comm", []Op{{"s7comm", "write variable", Write}}},
		{"plc stop", "s7comm", true, s7Stop, "s7comm", []Op{{"s7comm", "plc stop", Control}}},
		{"pi start", "s7comm", true, s7Start, "s7comm", []Op{{"s7comm", "plc start", Control}}},
		{"pi insert", "s7comm", true, s7Insert, "s7comm", []Op{{"s7comm", "insert block", Program}}},
		{"request download", "s7comm", true, s7Download, "s7comm", []Op{{"s7comm", "request download", Program}}},
		{"read szl", "s7comm", true, s7SZL, "s7comm", []Op{{"s7comm", "read szl", Diagnostics}}},
		{"set clock", "s7comm", true, s7SetClk, "s7comm", []Op{{"s7comm", "set clock", Control}}},
		{"two TPKTs in one segment", "s7comm", true, cat(s7Read, s7Stop), "s7comm",
			[]Op{{"s7comm", "read variable", Read}, {"s7comm", "plc stop", Control}}},
		{"PI service name cut short", "s7comm", true, s7Start[:len(s7Start)-4], "s7comm",
			[]Op{{"s7comm", "pi service", Control}}},
		{"not TPKT", "s7comm", true, h(`04 00 0016 11e0`), "s7comm", nil},
		{"ISO session (MMS) on 102 is not S7", "s7comm", true, h(`03 00 000b | 02 f0 80 | 0d 04 01 00`), "s7comm", nil},
	})
}

var (
	// S7comm-plus V1 CreateObject request: 72 01 len | opcode 31, reserved, function 04ca, ...
	s7pCreate = h(`03 00 0022 | 02 f0 80 | 72 01 0012 | 31 0000 04ca 0000 0001 00000120 36 | 72 01 0000`)
	// S7comm-plus V3 (integrity part first): 72 03 len | digest length 0x20, 32-byte digest | opcode 31, reserved, function 04f2 (SetVariable)
	s7pSetVar = h(`03 00 003c | 02 f0 80 | 72 03 002c | 20 ` + strings.Repeat("ab", 32) + ` | 31 0000 04f2 0000 0002 | 72 03 0000`)
	s7pKeep   = h(`03 00 000b | 02 f0 80 | 72 ff 01 00`)
	s7pNotify = h(`03 00 0012 | 02 f0 80 | 72 02 0005 | 33 0000 0000 00`)
)

func TestS7CommPlusPayloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"create object refines s7comm", "s7comm", true, s7pCreate, "s7comm-plus",
			[]Op{{"s7comm-plus", "s7comm-plus create object", Session}}},
		{"V3 set variable after the digest", "s7comm-plus", true, s7pSetVar, "s7comm-plus",
			[]Op{{"s7comm-plus", "s7comm-plus set variable", Write}}},
		{"keep alive", "s7comm-plus", true, s7pKeep, "s7comm-plus",
			[]Op{{"s7comm-plus", "s7comm-plus keep alive", Session}}},
		{"notification", "s7comm-plus", false, s7pNotify, "s7comm-plus",
			[]Op{{"s7comm-plus", "s7comm-plus notification", Monitor}}},
		{"COTP connect on an s7comm-plus flow", "s7comm-plus", true, s7CR, "s7comm-plus",
			[]Op{{"s7comm-plus", "cotp connect", Session}}},
		{"V3 digest longer than the PDU", "s7comm", true, h(`03 00 000c | 02 f0 80 | 72 03 0030 ff`), "s7comm-plus",
			[]Op{{"s7comm-plus", "s7comm-plus message", Other}}},
	})
}

// EtherNet/IP encapsulation header: command, length, session, status, sender context, options.
func encap(cmd, length string) []byte {
	return h(cmd + length + ` | 01020304 | 00000000 | 0000000000000000 | 00000000`)
}

var (
	enipListIdentity = encap(`6300`, `0000`)
	enipRegister     = cat(encap(`6500`, `0400`), h(`0100 0000`)) // protocol version 1, options 0
	// SendRRData: interface handle 0, timeout 10, 2 items: null address, unconnected data (0xb2) with Forward Open.
	enipForwardOpen = cat(encap(`6f00`, `1e00`), h(`
		00000000 0a00 0200  // interface, timeout, item count
		0000 0000           // null address item
		b200 0e00           // unconnected data item, 14 bytes
		54 02 20 06 24 01   // Forward Open to class 6 instance 1
		0a 0e 01000080 02000080 // ticks, timeout, O->T and T->O connection ids
	`))
	// SendRRData with Unconnected Send wrapping Read Tag "Motor".
	enipUnconnectedReadTag = cat(encap(`6f00`, `2800`), h(`
		00000000 0a00 0200
		0000 0000
		b200 1800                 // 24 bytes of CIP
		52 02 20 06 24 01         // Unconnected Send to the Connection Manager
		0a 0e 0c00                // priority/tick, timeout ticks, embedded size 12
		4c 04 91 05 4d6f746f72 00 // Read Tag, symbolic path "Motor" + pad
		0100                      // one element
		01 00 01 00               // route path: 1 word, port 1 slot 0
	`))
	// SendUnitData: connected address item, connected data item (sequence count, then Read Tag Fragmented by symbol).
	enipConnectedRTF = cat(encap(`7000`, `2000`), h(`
		00000000 0000 0200
		a100 0400 01000080  // connected address item: connection id
		b100 1000           // connected data item, 16 bytes
		0100                // sequence count
		52 03 91 04 54616e6b // Read Tag Fragmented, path "Tank" (3 words)
		0100 00000000       // elements, offset
	`))
	// SendRRData carrying a Read Tag reply.
	enipReadTagReply = cat(encap(`6f00`, `1a00`), h(`
		00000000 0000 0200
		0000 0000
		b200 0a00
		cc 00 00 00 c400 2a000000 // reply to 0x4c, status 0, DINT 42
	`))
	// Multiple Service Packet to the Message Router with Get Attribute Single and Read Tag.
	enipMSP = cat(encap(`6f00`, `2e00`), h(`
		00000000 0000 0200
		0000 0000
		b200 2000                 // 32 bytes
		0a 02 20 02 24 01         // Multiple Service Packet, class 2 instance 1
		0200 0600 0e00            // 2 services at offsets 6 and 14
		0e 03 20 01 24 01 30 07   // Get Attribute Single identity/1/7
		4c 04 91 05 4d6f746f72 00 0100 // Read Tag "Motor"
	`))
	// Class 1 I/O on UDP 2222: 2 items, sequenced address (0x8002), connected data.
	enipIO = h(`0200 | 0280 0800 01000080 2a000000 | b100 0600 2a00 01020304`)
)

func TestENIPPayloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"list identity", "enip", true, enipListIdentity, "enip", []Op{{"enip", "list identity", Identify}}},
		{"register session", "enip", true, enipRegister, "enip", []Op{{"enip", "register session", Session}}},
		{"forward open", "enip", true, enipForwardOpen, "enip", []Op{{"cip", "forward open", Session}}},
		{"unconnected send wrapping read tag", "enip", true, enipUnconnectedReadTag, "enip",
			[]Op{{"cip", "unconnected send", Other}, {"cip", "read tag", Read}}},
		{"connected read tag fragmented", "enip", true, enipConnectedRTF, "enip",
			[]Op{{"cip", "read tag fragmented", Read}}},
		{"read tag reply", "enip", false, enipReadTagReply, "enip", []Op{{"cip", "read tag", Read}}},
		{"multiple service packet", "enip", true, enipMSP, "enip", []Op{
			{"cip", "multiple service packet", Other},
			{"cip", "get attribute single", Read},
			{"cip", "read tag", Read},
		}},
		{"class 1 io", "enip", true, enipIO, "enip", []Op{{"enip", "cyclic io", Monitor}}},
		{"two encapsulations", "enip", true, cat(enipRegister, enipForwardOpen), "enip",
			[]Op{{"enip", "register session", Session}, {"cip", "forward open", Session}}},
		{"send rr data without a CIP item", "enip", true, cat(encap(`6f00`, `0800`), h(`00000000 0000 0000`)), "enip",
			[]Op{{"enip", "send rr data", Other}}},
		{"unknown command is not a header", "enip", true, encap(`9900`, `0000`), "enip", nil},
		{"header cut short", "enip", true, enipListIdentity[:23], "enip", nil},
	})
}

// DNP3 frames: 05 64, length, control, destination, source, CRC, then data blocks with CRCs.
var (
	dnp3Read = h(`0564 0b c4 0100 0200 ffff | c0 c1 01 3c0106 ffff`)             // master->outstation, transport FIR|FIN, app FIR|FIN seq 1, READ class 0
	dnp3DO   = h(`0564 12 c4 0100 0200 ffff | c1 c2 05 0c0117 01 01 41 01 ffff`) // DIRECT OPERATE, CROB
	dnp3Resp = h(`0564 0a 44 0200 0100 ffff | c0 c1 81 0000 ffff`)               // outstation response, IIN 0000
	dnp3Cold = h(`0564 08 c4 0100 0200 ffff | c2 c3 0d ffff`)                    // COLD RESTART
	dnp3Link = h(`0564 05 c9 0100 0200 ffff`)                                    // request link status
	// 20 bytes of user data: two blocks (16 + CRC, 4 + CRC); the function code is in the first.
	dnp3Long = h(`0564 19 c4 0100 0200 ffff | c0 c4 02 50 01 07 01 1122334455667788 99 ffff | aabbccdd ffff`)
	// Transport segment without FIR: the middle of a fragment, no application header.
	dnp3Middle = h(`0564 08 c4 0100 0200 ffff | 01 c3 0d ffff`)
)

func TestDNP3Payloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"read", "dnp3", true, dnp3Read, "dnp3", []Op{{"dnp3", "read", Read}}},
		{"direct operate", "dnp3", true, dnp3DO, "dnp3", []Op{{"dnp3", "direct operate", Command}}},
		{"response", "dnp3", false, dnp3Resp, "dnp3", []Op{{"dnp3", "response", Other}}},
		{"cold restart", "dnp3", true, dnp3Cold, "dnp3", []Op{{"dnp3", "cold restart", Control}}},
		{"link status", "dnp3", true, dnp3Link, "dnp3", []Op{{"dnp3", "link status", Session}}},
		{"frames back to back, across a two-block frame", "dnp3", true, cat(dnp3Long, dnp3Middle, dnp3Cold), "dnp3",
			[]Op{{"dnp3", "write", Write}, {"dnp3", "cold restart", Control}}},
		{"frame cut after the function code", "dnp3", true, dnp3DO[:13], "dnp3", []Op{{"dnp3", "direct operate", Command}}},
		{"frame cut before the function code", "dnp3", true, dnp3DO[:12], "dnp3", nil},
		{"length below 5", "dnp3", true, h(`0564 04 c4 0100 0200 ffff c0c101`), "dnp3", nil},
		{"no start bytes", "dnp3", true, h(`0565 0b c4 0100 0200 ffff c0c101 3c0106 ffff`), "dnp3", nil},
	})
}

var (
	iec104StartAct = h(`68 04 07 000000`)
	iec104StartCon = h(`68 04 0b 000000`)
	iec104GI       = h(`68 0e 0000 0000 | 64 01 0600 0100 000000 14`) // I-format; C_IC_NA_1, VSQ 1, COT act, CA 1, IOA 0, QOI 20
	iec104SC       = h(`68 0e 0200 0200 | 2d 01 0600 0100 010000 01`) // C_SC_NA_1 single command on
	iec104Float    = h(`68 12 0200 0400 | 0d 01 0300 0100 e80300 0000c842 00`)
	iec104S        = h(`68 04 01 00 0400`)
)

func TestIEC104Payloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"startdt act", "iec104", true, iec104StartAct, "iec104", []Op{{"iec104", "startdt act", Session}}},
		{"several APDUs", "iec104", true, cat(iec104StartCon, iec104GI, iec104SC, iec104S), "iec104", []Op{
			{"iec104", "startdt con", Session},
			{"iec104", "interrogation", Read},
			{"iec104", "single command", Command},
			{"iec104", "supervisory ack", Monitor},
		}},
		{"spontaneous float", "iec104", false, iec104Float, "iec104",
			[]Op{{"iec104", "measured value short float", Monitor}}},
		{"APDU cut after the type id", "iec104", true, iec104SC[:7], "iec104", []Op{{"iec104", "single command", Command}}},
		{"APDU cut before the type id", "iec104", true, iec104SC[:6], "iec104", nil},
		{"length over 253", "iec104", true, h(`68 fe 0000 0000 2d`), "iec104", nil},
		{"no start byte", "iec104", true, h(`69 04 07 000000`), "iec104", nil},
	})
}

var (
	bacnetWhoIs  = h(`81 0b 0008 | 01 00 | 10 08`)                                            // broadcast; NPDU v1; unconfirmed who-is
	bacnetRP     = h(`81 0a 0011 | 01 04 | 00 05 01 0c | 0c 02000001 19 55`)                  // confirmed readProperty (device,1) present-value
	bacnetWPNet  = h(`81 0a 0015 | 01 24 0005 01 07 ff | 00 05 02 0f | 0c 00800001 19 55 3e`) // DNET 5, DLEN 1, DADR 07, hop 255; writeProperty
	bacnetReinit = h(`81 0a 000b | 01 04 | 02 05 03 14 | 09 01`)                              // reinitializeDevice (SA bit set)
	bacnetCAck   = h(`81 0a 0012 | 01 00 | 30 01 0c | 0c 02000001 19 55 3e 44 00000000 3f`)   // complex ack to readProperty
	bacnetFwd    = h(`81 04 000e | c0a80102 bac0 | 01 00 | 10 08`)                            // forwarded who-is
	bacnetSeg    = h(`81 0a 000d | 01 00 | 08 05 04 00 02 10 | 0c`)                           // segmented confirmed request: seq 0, window 2, writePropertyMultiple
	bacnetRouter = h(`81 0b 0007 | 01 80 | 00`)                                               // network layer: who-is-router-to-network
)

func TestBACnetPayloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"who-is", "bacnet", false, bacnetWhoIs, "bacnet", []Op{{"bacnet", "who-is", Identify}}},
		{"read property", "bacnet", true, bacnetRP, "bacnet", []Op{{"bacnet", "read property", Read}}},
		{"write property to a remote network", "bacnet", true, bacnetWPNet, "bacnet", []Op{{"bacnet", "write property", Write}}},
		{"reinitialize device", "bacnet", true, bacnetReinit, "bacnet", []Op{{"bacnet", "reinitialize device", Control}}},
		{"complex ack", "bacnet", false, bacnetCAck, "bacnet", []Op{{"bacnet", "read property", Read}}},
		{"forwarded NPDU", "bacnet", false, bacnetFwd, "bacnet", []Op{{"bacnet", "who-is", Identify}}},
		{"segmented request", "bacnet", true, bacnetSeg, "bacnet", []Op{{"bacnet", "write property multiple", Write}}},
		{"network layer message", "bacnet", false, bacnetRouter, "bacnet", []Op{{"bacnet", "who-is-router-to-network", Identify}}},
		{"register foreign device", "bacnet", true, h(`81 05 0006 003c`), "bacnet", []Op{{"bacnet", "register foreign device", Session}}},
		{"bad NPDU version", "bacnet", true, h(`81 0b 0008 02 00 10 08`), "bacnet", nil},
		{"cut inside the DNET", "bacnet", true, bacnetWPNet[:9], "bacnet", nil},
		{"not BVLC", "bacnet", true, h(`82 0b 0008 01 00 10 08`), "bacnet", nil},
	})
}

// OPC UA chunk header: type, chunk type, size (little-endian).
var (
	opcuaHEL = h(`48454c 46 1c000000 | 00000000 ffff0000 ffff0000 00000000 00000000`) // HEL, size 28, version, buffers, limits, empty URL
	opcuaOPN = h(`4f504e 46 18000000 | 00000000 | ffffffff ffffffff ffffffff`)        // OPN, size 24, channel 0, null policy/cert/thumbprint
	// MSG: channel 1, token 1, sequence 2, request 2, then the type NodeId (four-byte encoding, ns 0).
	opcuaCreate = h(`4d5347 46 20000000 | 01000000 01000000 02000000 02000000 | 01 00 cd01 | 00000000`)       // 461 CreateSession
	opcuaRead   = h(`4d5347 46 20000000 | 01000000 01000000 03000000 03000000 | 01 00 7702 | 00000000`)       // 631 Read
	opcuaWriteN = h(`4d5347 46 23000000 | 01000000 01000000 04000000 04000000 | 02 0000 a1020000 | 00000000`) // 673 Write, numeric encoding
	opcuaNoise  = h(`4d5347 46 20000000 | 01000000 01000000 05000000 05000000 | 9a 7f 3310 | 00000000`)       // encrypted body
)

func TestOPCUAPayloads(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"hello", "opcua", true, opcuaHEL, "opcua", []Op{{"opcua", "hello", Session}}},
		{"open secure channel", "opcua", true, opcuaOPN, "opcua", []Op{{"opcua", "open secure channel", Session}}},
		{"create session", "opcua", true, opcuaCreate, "opcua", []Op{{"opcua", "create session", Session}}},
		{"read and write in one segment", "opcua", true, cat(opcuaRead, opcuaWriteN), "opcua",
			[]Op{{"opcua", "read", Read}, {"opcua", "write", Write}}},
		{"encrypted body", "opcua", true, opcuaNoise, "opcua", []Op{{"opcua", "message", Other}}},
		{"message cut in the header", "opcua", true, opcuaRead[:20], "opcua", []Op{{"opcua", "message", Other}}},
		{"bad chunk type", "opcua", true, h(`4d5347 58 20000000 01000000`), "opcua", nil},
		{"unknown message type", "opcua", true, h(`414243 46 20000000 01000000`), "opcua", nil},
	})
}

func TestITPayloads(t *testing.T) {
	tlsHello := h(`16 0301 00a5 | 01 0000a1 0303`) // handshake record, client hello
	checkPayloads(t, []payloadCase{
		{"http get", "http", true, []byte("GET /index.html HTTP/1.1\r\nHost: plc\r\n\r\n"), "http", []Op{{"http", "get", Read}}},
		{"http post", "http", true, []byte("POST /cgi-bin/upload HTTP/1.1\r\n"), "http", []Op{{"http", "post", Write}}},
		{"http response says nothing", "http", false, []byte("HTTP/1.1 200 OK\r\n"), "http", nil},
		{"tls on an http port", "http", true, tlsHello, "https", []Op{{"https", "https session", Session}}},
		{"tls on https", "https", true, tlsHello, "https", []Op{{"https", "https session", Session}}},
		{"plain http on an https port", "https", true, []byte("PUT /x HTTP/1.0\r\n"), "http", []Op{{"http", "put", Write}}},
		{"ssh", "ssh", false, []byte("SSH-2.0-OpenSSH_9.6\r\n"), "ssh", []Op{{"ssh", "ssh session", Session}}},
		{"telnet", "telnet", true, h(`fffd18 fffd20`), "telnet", []Op{{"telnet", "telnet session", Session}}},
		{"vnc", "vnc", false, []byte("RFB 003.008\n"), "vnc", []Op{{"vnc", "vnc session", Session}}},
		{"rdp", "rdp", true, h(`0300 0013 0ee0 0000 0000 00 01 00 0800 03000000`), "rdp", []Op{{"rdp", "rdp session", Session}}},
		{"syslog", "syslog", false, []byte("<34>Oct 11 22:14:15 plc su: x"), "syslog", []Op{{"syslog", "log message", Monitor}}},
		{"ftp commands", "ftp", true, []byte("USER anonymous\r\nPASS x\r\nstor logic.bin\r\nRETR a\r\nNOOP\r\n"), "ftp", []Op{
			{"ftp", "login", Session}, {"ftp", "login", Session}, {"ftp", "store file", Write},
			{"ftp", "retrieve file", Read}, {"ftp", "ftp session", Session},
		}},
		{"ftp reply", "ftp", false, []byte("220 ready\r\n"), "ftp", []Op{{"ftp", "ftp session", Session}}},
		{"smb2 write", "smb", true, cat(h(`00 000070 | fe534d42 4000 0000 00000000 0900`), make([]byte, 60)), "smb",
			[]Op{{"smb", "write file", Write}}},
		{"smb2 negotiate", "smb", true, cat(h(`00 000070 | fe534d42 4000 0000 00000000 0000`), make([]byte, 60)), "smb",
			[]Op{{"smb", "smb session", Session}}},
		{"dns query over udp", "dns", true, h(`1234 0100 0001 0000 0000 0000 | 03706c63 00 0001 0001`), "dns",
			[]Op{{"dns", "query", Read}}},
		{"dns update over tcp", "dns", true, h(`0011 | 1234 2800 0001 0000 0000 0000 | 00 0006 0001`), "dns",
			[]Op{{"dns", "dynamic update", Write}}},
		{"dns update over udp", "dns", true, h(`1234 2800 0001 0000 0001 0000 | 00 0006 0001`), "dns",
			[]Op{{"dns", "dynamic update", Write}}},
		{"ntp client", "ntp", true, cat(h(`23`), make([]byte, 47)), "ntp", []Op{{"ntp", "time sync", Read}}},
		{"ntp control (mode 6)", "ntp", true, cat(h(`16 02 0001`), make([]byte, 8)), "ntp", []Op{{"ntp", "control message", Diagnostics}}},
		{"ntp private (mode 7, monlist)", "ntp", true, cat(h(`17 00 03 2a`), make([]byte, 4)), "ntp", []Op{{"ntp", "private message", Diagnostics}}},
		{"ntp bad version", "ntp", true, h(`03 00`), "ntp", nil},
	})
}

func TestSNMPPayloads(t *testing.T) {
	// v2c GetRequest: SEQUENCE { INTEGER 1, OCTET STRING "public", GetRequest-PDU {...} }
	get := h(`30 1c | 02 01 01 | 04 06 7075626c6963 | a0 0f | 02 01 01 | 02 01 00 | 02 01 00 | 30 04 30 02 06 00`)
	set := h(`30 1c | 02 01 00 | 04 06 7072697661 74 | a3 0f | 02 01 02 | 02 01 00 | 02 01 00 | 30 04 30 02 06 00`)
	// v3 with a plaintext scoped PDU: version 3, global data, security parameters, scoped PDU { engine id, context name, GetNext }
	v3 := h(`30 81 27 | 02 01 03 | 30 0d 02 01 01 02 02 05dc 04 01 04 02 01 03 | 04 00 | 30 11 | 04 00 | 04 00 | a1 0b 02 01 01 02 01 00 02 01 00 30 00`)
	// v3 with encryptedPDU (OCTET STRING)
	v3enc := h(`30 1a | 02 01 03 | 30 0d 02 01 01 02 02 05dc 04 01 07 02 01 03 | 04 00 | 04 04 deadbeef`)
	checkPayloads(t, []payloadCase{
		{"v2c get", "snmp", true, get, "snmp", []Op{{"snmp", "get", Read}}},
		{"v1 set", "snmp", true, set, "snmp", []Op{{"snmp", "set", Write}}},
		{"v3 get next", "snmp", true, v3, "snmp", []Op{{"snmp", "get next", Read}}},
		{"v3 encrypted", "snmp", true, v3enc, "snmp", []Op{{"snmp", "encrypted message", Other}}},
		{"cut before the PDU tag", "snmp", true, get[:13], "snmp", nil},
		{"not a sequence", "snmp", true, h(`31 1c 02 01 01`), "snmp", nil},
	})
}

func TestRecognise(t *testing.T) {
	checkPayloads(t, []payloadCase{
		{"ssh banner", "", false, []byte("SSH-2.0-dropbear\r\n"), "ssh", []Op{{"ssh", "ssh session", Session}}},
		{"vnc version", "", false, []byte("RFB 003.008\n"), "vnc", []Op{{"vnc", "vnc session", Session}}},
		{"rdp cookie", "", true, cat(h(`0300 002b 26 e0 0000 0000 00`), []byte("Cookie: mstshash=admin\r\n"), h(`01 00 0800 03000000`)), "rdp",
			[]Op{{"rdp", "rdp session", Session}}},
		{"http request line", "", true, []byte("GET /status HTTP/1.1\r\nHost: x\r\n\r\n"), "http", []Op{{"http", "get", Read}}},
		{"method without HTTP version", "", true, []byte("GET something\r\n"), "", nil},
		{"tls stays unknown", "", true, h(`16 0301 00a5 01 0000a1 0303`), "", nil},
		{"modbus stays unknown", "", true, h(`0001 0000 0006 01 03 006b 0003`), "", nil},
		{"unknown protocol name", "quic", true, []byte("SSH-2.0-x\r\n"), "quic", nil},
	})
}

func TestEtherFrame(t *testing.T) {
	cases := []struct {
		name  string
		et    uint16
		frame []byte
		want  string
		ops   []Op
	}{
		{"dcp identify request", 0x8892, h(`fefe | 05 00 | 00000001 | 0001 | 0004 | ffff 0000`), "profinet-dcp",
			[]Op{{"profinet-dcp", "identify", Identify}}},
		{"dcp identify response", 0x8892, h(`feff | 05 01 | 00000001 | 0000 | 0010`), "profinet-dcp",
			[]Op{{"profinet-dcp", "identify", Identify}}},
		// Get and set are unicast (frame ID 0xfefd) and told apart by the service id.
		{"dcp set", 0x8892, h(`fefd | 02 00 | 00000002 | 0000 | 000c | 0202 0008 0000 706c6331`), "profinet-dcp",
			[]Op{{"profinet-dcp", "set", Write}}},
		{"dcp get", 0x8892, h(`fefd | 01 00 | 00000003 | 0000 | 0004 | 0202 0000`), "profinet-dcp",
			[]Op{{"profinet-dcp", "get", Read}}},
		{"dcp hello", 0x8892, h(`fefc | 04 00 | 00000004 | 0000 | 0000`), "profinet-dcp", []Op{{"profinet-dcp", "hello", Identify}}},
		{"cyclic rt class 1", 0x8892, h(`c001 | 0102030405`), "profinet-rt", []Op{{"profinet-rt", "cyclic io", Monitor}}},
		{"cyclic rt class 2", 0x8892, h(`8000 | 0102030405`), "profinet-rt", []Op{{"profinet-rt", "cyclic io", Monitor}}},
		{"alarm low", 0x8892, h(`fe01 | 0102`), "profinet-rt", []Op{{"profinet-rt", "alarm", Monitor}}},
		{"ptcp sync", 0x8892, h(`0080 | 0102`), "profinet-rt", nil},
		{"vlan tagged dcp", 0x8100, h(`c000 8892 | fefe 05 00 00000001 0001 0004 ffff0000`), "profinet-dcp",
			[]Op{{"profinet-dcp", "identify", Identify}}},
		{"q-in-q tagged cyclic", 0x88a8, h(`0064 8100 | c000 8892 | c001 00`), "profinet-rt",
			[]Op{{"profinet-rt", "cyclic io", Monitor}}},
		{"arp", 0x0806, h(`0001 0800 06 04 0001`), "", nil},
		{"frame id cut", 0x8892, h(`fe`), "profinet-rt", nil},
		{"vlan tag cut", 0x8100, h(`c0`), "", nil},
	}
	for _, c := range cases {
		var ops []Op
		got := EtherFrame(c.et, c.frame, func(o Op) { ops = append(ops, o) })
		if got != c.want || !reflect.DeepEqual(ops, c.ops) {
			t.Errorf("%s: got %q %v, want %q %v", c.name, got, ops, c.want, c.ops)
		}
	}
}
