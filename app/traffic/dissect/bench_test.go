package dissect

import "testing"

func benchDissect(b *testing.B, protocol string, seg []byte) {
	n := 0
	emit := func(Op) { n++ }
	b.SetBytes(int64(len(seg)))
	b.ReportAllocs()
	for b.Loop() {
		Dissect(protocol, seg, true, emit)
	}
	if n == 0 {
		b.Fatal("no operations")
	}
}

// A poll request: one ADU of 12 bytes.
func BenchmarkDissectModbusRequest(b *testing.B) {
	benchDissect(b, "modbus", h(`0001 0000 0006 01 03 0000 000a`))
}

// A reply with 10 registers: one ADU of 29 bytes.
func BenchmarkDissectModbusResponse(b *testing.B) {
	benchDissect(b, "modbus", h(`0001 0000 0017 01 03 14 0001 0002 0003 0004 0005 0006 0007 0008 0009 000a`))
}

// Four pipelined requests in one segment.
func BenchmarkDissectModbusPipelined(b *testing.B) {
	req := h(`0001 0000 0006 01 03 0000 000a`)
	benchDissect(b, "modbus", cat(req, req, req, req))
}

func BenchmarkDissectENIPReadTag(b *testing.B) {
	benchDissect(b, "enip", enipUnconnectedReadTag)
}

func BenchmarkDissectS7Read(b *testing.B) {
	benchDissect(b, "s7comm", s7Read)
}
