package dissect

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// fuzzProtocols is indexed by the low 5 bits of a fuzz input's first byte;
// the high bit gives the direction. "" and an unknown name are included.
var fuzzProtocols = []string{
	"modbus", "s7comm", "s7comm-plus", "enip", "cip", "dnp3", "iec104", "bacnet", "opcua",
	"rdp", "smb", "ssh", "telnet", "ftp", "vnc", "http", "https", "dns", "ntp", "snmp",
	"syslog", "", "profinet-dcp", "bogus",
}

var knownProtocols = map[string]bool{
	"modbus": true, "s7comm": true, "s7comm-plus": true, "enip": true, "cip": true, "dnp3": true,
	"iec104": true, "bacnet": true, "opcua": true, "profinet-dcp": true, "profinet-rt": true,
	"rdp": true, "smb": true, "ssh": true, "telnet": true, "ftp": true, "vnc": true, "http": true,
	"https": true, "dns": true, "ntp": true, "snmp": true, "syslog": true,
}

// samples are the hand-built payloads of the other tests, by protocol.
func samples() map[string][][]byte {
	return map[string][][]byte{
		"modbus": {h(`0001 0000 0006 01 03 006b 0003`), h(`0004 0000 0005 01 2b 0e 01 00`)},
		"s7comm": {s7CR, s7Setup, s7Read, s7WriteAck, s7Stop, s7Start, s7Insert, s7Download, s7SZL, s7SetClk,
			s7pCreate, s7pSetVar},
		"s7comm-plus": {s7pCreate, s7pSetVar, s7pKeep, s7pNotify},
		"enip": {enipListIdentity, enipRegister, enipForwardOpen, enipUnconnectedReadTag, enipConnectedRTF,
			enipReadTagReply, enipMSP, enipIO},
		"dnp3":   {dnp3Read, dnp3DO, dnp3Resp, dnp3Cold, dnp3Link, dnp3Long, dnp3Middle},
		"iec104": {iec104StartAct, iec104GI, iec104SC, iec104Float, iec104S},
		"bacnet": {bacnetWhoIs, bacnetRP, bacnetWPNet, bacnetReinit, bacnetCAck, bacnetFwd, bacnetSeg, bacnetRouter},
		"opcua":  {opcuaHEL, opcuaOPN, opcuaCreate, opcuaRead, opcuaWriteN, opcuaNoise},
		"http":   {[]byte("GET / HTTP/1.1\r\n\r\n"), h(`16 0301 00a5 01 0000a1 0303`)},
		"ftp":    {[]byte("USER a\r\nSTOR b\r\n")},
		"snmp":   {h(`30 1c 02 01 01 04 06 7075626c6963 a0 0f 02 01 01 02 01 00 02 01 00 30 04 30 02 06 00`)},
		"dns":    {h(`1234 0100 0001 0000 0000 0000 03706c63 00 0001 0001`)},
		"smb":    {cat(h(`00 000070 fe534d42 4000 0000 00000000 0900`), make([]byte, 60))},
		"":       {[]byte("SSH-2.0-x\r\n"), []byte("RFB 003.008\n"), []byte("GET / HTTP/1.1\r\n")},
	}
}

// checkInvariants holds for any input: a known (or the given) protocol comes
// back, every Op is well formed, and no more Ops than bytes are emitted.
func checkInvariants(t *testing.T, protocol string, payload []byte, toServer bool) {
	t.Helper()
	n := 0
	got := Dissect(protocol, payload, toServer, func(o Op) {
		n++
		if !knownProtocols[o.Protocol] || o.Name == "" || o.Kind > File {
			t.Fatalf("Dissect(%q, %x): bad op %+v", protocol, payload, o)
		}
	})
	if got != protocol && !knownProtocols[got] {
		t.Fatalf("Dissect(%q, %x) = %q", protocol, payload, got)
	}
	if n > len(payload) {
		t.Fatalf("Dissect(%q, %x): %d ops from %d bytes", protocol, payload, n, len(payload))
	}
}

func FuzzDissect(f *testing.F) {
	for proto, ps := range samples() {
		for i, p := range fuzzProtocols {
			if p == proto {
				for _, s := range ps {
					f.Add(append([]byte{byte(i)}, s...))
					f.Add(append([]byte{byte(i) | 0x80}, s...))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		proto := fuzzProtocols[int(data[0]&0x1f)%len(fuzzProtocols)]
		checkInvariants(t, proto, data[1:], data[0]&0x80 != 0)
	})
}

func FuzzEtherFrame(f *testing.F) {
	f.Add(h(`8892 fefe 05 00 00000001 0001 0004 ffff0000`))
	f.Add(h(`8892 fefd 02 00 00000002 0000 000c 0202 0008 0000 706c6331`))
	f.Add(h(`8892 c001 0011223344`))
	f.Add(h(`8100 c000 8892 fefc 04 00`))
	f.Add(h(`88a8 0064 8100 c000 8892 c001 00`))
	f.Add(h(`0806 0001 0800 0604 0001`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		var ops []Op
		got := EtherFrame(uint16(be16(data)), data[2:], func(o Op) { ops = append(ops, o) })
		switch got {
		case "", "profinet-dcp", "profinet-rt":
		default:
			t.Fatalf("EtherFrame(%x) = %q", data, got)
		}
		if len(ops) > 1 {
			t.Fatalf("EtherFrame(%x): %d ops", data, len(ops))
		}
		for _, o := range ops {
			if o.Protocol != got || o.Name == "" || o.Kind > File {
				t.Fatalf("EtherFrame(%x) = %q with op %+v", data, got, o)
			}
		}
	})
}

// Every prefix of every sample, and random and mutated payloads under every
// protocol name, keep the invariants (and do not panic).
func TestTruncatedAndGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	all := samples()
	for proto, ps := range all {
		for _, p := range ps {
			for i := 0; i <= len(p); i++ {
				for _, dir := range []bool{true, false} {
					checkInvariants(t, proto, p[:i], dir)
				}
			}
			for range 200 {
				m := bytes.Clone(p)
				for range 1 + rng.IntN(4) {
					m[rng.IntN(len(m))] = byte(rng.Uint32())
				}
				checkInvariants(t, proto, m, rng.IntN(2) == 0)
			}
		}
	}
	for _, proto := range fuzzProtocols {
		for range 500 {
			g := make([]byte, rng.IntN(300))
			for i := range g {
				g[i] = byte(rng.Uint32())
			}
			checkInvariants(t, proto, g, rng.IntN(2) == 0)
		}
	}
}

// For the framed ICS protocols, cutting a segment short only loses the
// operations of the PDUs that were cut before their function code: what is
// found in a prefix is a prefix of what is found in the whole.
func TestPrefixesFindPrefixes(t *testing.T) {
	segments := map[string][]byte{
		"modbus": h(`0001 0000 0006 01 03 006b 0003 | 0002 0000 000b 01 10 0001 0002 04 000a 0102 | 0003 0000 0003 01 86 02`),
		"iec104": cat(iec104StartCon, iec104GI, iec104SC, iec104S, iec104Float),
		"dnp3":   cat(dnp3Long, dnp3Middle, dnp3Read, dnp3Cold, dnp3Link),
	}
	for proto, seg := range segments {
		_, whole := run(proto, seg, true)
		for i := range seg {
			_, part := run(proto, seg[:i], true)
			if len(part) > len(whole) {
				t.Fatalf("%s prefix %d: %v longer than %v", proto, i, part, whole)
			}
			for j := range part {
				if part[j] != whole[j] {
					t.Fatalf("%s prefix %d: %v is not a prefix of %v", proto, i, part, whole)
				}
			}
		}
	}
}
