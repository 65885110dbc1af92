package zeek

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/netip"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ptr(b bool) *bool { return &b }

// goldenConns are the three connections of testdata/conn.log and
// testdata/conn.json, written out by hand from the log lines.
var goldenConns = []Conn{
	{
		UID: "CmES5u32sYpV7JYN", TS: time.Date(2023, 11, 14, 22, 13, 20, 123456000, time.UTC),
		Duration: 12500 * time.Millisecond,
		OrigH:    netip.MustParseAddr("10.0.0.5"), OrigP: 49152,
		RespH: netip.MustParseAddr("10.0.0.10"), RespP: 502,
		Proto: "tcp", Service: "modbus",
		OrigBytes: 1200, RespBytes: 3400, OrigPkts: 30, RespPkts: 28, OrigIPBytes: 2760, RespIPBytes: 4856,
		OrigMAC: [6]byte{0x00, 0x1d, 0x9c, 0xc7, 0xb0, 0x70}, RespMAC: [6]byte{0x00, 0x80, 0xf4, 0x12, 0x34, 0x56},
		HasMAC: true, VLAN: 10,
		ConnState: "SF", Local: ptr(true), LocalResp: ptr(true),
	},
	{
		UID: "C4J4Th3PJpwUYZZ6gc", TS: time.Date(2023, 11, 14, 22, 13, 21, 1000, time.UTC),
		Duration: 100 * time.Microsecond,
		OrigH:    netip.MustParseAddr("10.0.0.5"), OrigP: 50000,
		RespH: netip.MustParseAddr("10.0.0.20"), RespP: 20000,
		Proto: "tcp", Service: "dnp3,ssl",
		OrigPkts: 1, OrigIPBytes: 60,
		ConnState: "S0", Local: ptr(false),
	},
	{
		UID: "CUM0KZ3MLUfNB0cl11", TS: time.Date(2023, 11, 14, 22, 13, 22, 500000000, time.UTC),
		OrigH: netip.MustParseAddr("fe80::1"), OrigP: 135,
		RespH: netip.MustParseAddr("ff02::1"), RespP: 136,
		Proto: "icmp", OrigPkts: 1, OrigIPBytes: 72,
		VLAN: 100, InnerVLAN: 200, ConnState: "OTH",
	},
}

// collect reads a log and keeps copies of what the handler saw.
func collect(t *testing.T, name string, data []byte) ([]Conn, []Op, FileResult, error) {
	t.Helper()
	var conns []Conn
	var ops []Op
	res, err := ReadFile(context.Background(), name, bytes.NewReader(data), Handler{
		Conn: func(c *Conn) error { conns = append(conns, *c); return nil },
		Op:   func(o Op) error { ops = append(ops, o); return nil },
	})
	return conns, ops, res, err
}

func gz(t testing.TB, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConnGolden(t *testing.T) {
	tsv := readTestdata(t, "conn.log")
	js := readTestdata(t, "conn.json")
	cases := []struct {
		name, format string
		data         []byte
		lines        int64
	}{
		{"conn.log", "tsv", tsv, 12},
		{"conn.log.gz", "tsv", gz(t, tsv), 12},
		{"conn.json", "json", js, 3},
		{"conn.json.gz", "json", gz(t, js), 3},
		{"conn.log", "json", append([]byte("\r\n"), bytes.ReplaceAll(js, []byte("\n"), []byte("\r\n"))...), 4},
	}
	for _, c := range cases {
		t.Run(c.name+"/"+c.format, func(t *testing.T) {
			conns, ops, res, err := collect(t, c.name, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if len(ops) != 0 {
				t.Errorf("ops from a conn log: %v", ops)
			}
			want := FileResult{Path: c.name, LogType: "conn", Format: c.format, Lines: c.lines, Records: 3}
			if res != want {
				t.Errorf("result\n got %+v\nwant %+v", res, want)
			}
			if len(conns) != len(goldenConns) {
				t.Fatalf("%d connections, want %d", len(conns), len(goldenConns))
			}
			for i := range conns {
				if !reflect.DeepEqual(conns[i], goldenConns[i]) {
					t.Errorf("connection %d\n got %+v\nwant %+v", i, conns[i], goldenConns[i])
				}
			}
		})
	}
}

const connHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"

func TestConnReorderedAndMissingColumns(t *testing.T) {
	// No duration, no byte counts, no MACs; columns in another order and
	// an unknown one in the middle.
	log := connHeader +
		"#fields\tid.resp_p\tproto\tmy_extra\tuid\tid.resp_h\tts\tid.orig_h\n" +
		"#types\tport\tenum\tstring\tstring\taddr\ttime\taddr\n" +
		"44818\tudp\twhatever\tCabc\t192.168.1.2\t1700000000\t192.168.1.1\n"
	conns, _, res, err := collect(t, "x.log", []byte(log))
	if err != nil {
		t.Fatal(err)
	}
	want := Conn{UID: "Cabc", TS: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC),
		OrigH: netip.MustParseAddr("192.168.1.1"), RespH: netip.MustParseAddr("192.168.1.2"),
		RespP: 44818, Proto: "udp"}
	if res.Records != 1 || res.BadLines != 0 || len(conns) != 1 || !reflect.DeepEqual(conns[0], want) {
		t.Fatalf("got %+v %+v, want %+v", res, conns, want)
	}
}

func TestConnEssentialColumnMissing(t *testing.T) {
	for _, missingCol := range []string{"uid", "id.orig_h", "id.resp_h", "id.resp_p"} {
		cols := []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto"}
		var kept []string
		for _, c := range cols {
			if c != missingCol {
				kept = append(kept, c)
			}
		}
		log := connHeader + "#fields\t" + strings.Join(kept, "\t") + "\n"
		_, _, _, err := collect(t, "conn.log", []byte(log))
		if !errors.Is(err, ErrMissingField) || !strings.Contains(err.Error(), missingCol) ||
			!strings.Contains(err.Error(), "conn.log") {
			t.Errorf("without %s: err = %v", missingCol, err)
		}
	}
	// A JSON line without one is a bad line, not a refused file.
	_, _, res, err := collect(t, "conn.json", []byte(`{"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2"}`+"\n"))
	if err != nil || res.BadLines != 1 || res.FirstBad != "line 1: field id.resp_p: missing" {
		t.Errorf("JSON line without id.resp_p: %+v, %v", res, err)
	}
}

func TestRotationAndConcatenation(t *testing.T) {
	// Two logs appended, as cat of rotated files leaves them: the second
	// has other columns, a comma separator and its own unset marker.
	first := connHeader +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n" +
		"1700000000.5\tC1\t10.0.0.1\t1000\t10.0.0.2\t502\ttcp\n" +
		"#close\t2023-11-14-23-00-00\n"
	second := "#separator \\x2c\n#unset_field,?\n#path,conn\n" +
		"#fields,uid,id.resp_h,id.resp_p,id.orig_h,service\n" +
		"C2,10.0.0.4,102,10.0.0.3,?\n" +
		"#close,2023-11-15-00-00-00\n"
	for _, data := range [][]byte{
		[]byte(first + second),
		append(gz(t, []byte(first)), gz(t, []byte(second))...), // two gzip members
	} {
		conns, _, res, err := collect(t, "conn.log", data)
		if err != nil {
			t.Fatal(err)
		}
		if res.Records != 2 || res.BadLines != 0 || len(conns) != 2 {
			t.Fatalf("%+v %+v", res, conns)
		}
		if conns[0].UID != "C1" || conns[0].OrigP != 1000 || conns[0].TS != time.Unix(1700000000, 5e8).UTC() {
			t.Errorf("first: %+v", conns[0])
		}
		want := Conn{UID: "C2", OrigH: netip.MustParseAddr("10.0.0.3"), RespH: netip.MustParseAddr("10.0.0.4"), RespP: 102}
		if !reflect.DeepEqual(conns[1], want) {
			t.Errorf("second: %+v, want %+v", conns[1], want)
		}
	}
}

func TestBadLines(t *testing.T) {
	log := connHeader +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n" +
		"1700000000\tC1\t10.0.0.1\t1\t10.0.0.2\t502\n" + // line 7: good
		"1700000000\tC2\t10.0.0.1\t1\t10.0.0.2\n" + // 8: a field short
		"1700000000\tC3\t10.0.0.1\t1\t10.0.0.2\t70000\n" + // 9: port out of range
		"1700000000\tC4\t10.0.0.256\t1\t10.0.0.2\t502\n" + // 10: bad address
		"17000x0000\tC5\t10.0.0.1\t1\t10.0.0.2\t502\n" + // 11: bad time
		"1700000000\tC6\t10.0.0.1\t1\t10.0.0.2\t502\t\n" + // 12: a field too many
		"1700000000\t" + strings.Repeat("x", MaxLine) + "\t10.0.0.1\t1\t10.0.0.2\t502\n" + // 13: too long
		"1700000000\tC7\t10.0.0.1\t1\t10.0.0.2\t-\n" + // 14: unset essential
		"1700000000\tC8\t10.0.0.1\t1\t10.0.0.2\t503" // 15: good, no final newline
	for _, data := range [][]byte{[]byte(log), gz(t, []byte(log))} {
		conns, _, res, err := collect(t, "conn.log", data)
		if err != nil {
			t.Fatal(err)
		}
		if res.Lines != 15 || res.Records != 2 || res.BadLines != 7 {
			t.Errorf("%+v", res)
		}
		if res.FirstBad != "line 8: 5 fields, the #fields header names 6" {
			t.Errorf("FirstBad = %q", res.FirstBad)
		}
		if len(conns) != 2 || conns[0].UID != "C1" || conns[1].UID != "C8" || conns[1].RespP != 503 {
			t.Errorf("%+v", conns)
		}
	}
	// Each kind of damage described on its own.
	for _, c := range []struct{ line, msg string }{
		{"1\tC\t10.0.0.1\t1\t10.0.0.2\t70000", "line 7: field id.resp_p: not a port"},
		{"1\tC\t10.0.0.256\t1\t10.0.0.2\t1", "line 7: field id.orig_h: not an IP address"},
		{"1e\tC\t10.0.0.1\t1\t10.0.0.2\t1", "line 7: field ts: not a time"},
		{"1\tC\t10.0.0.1\t1\t10.0.0.2\t-", "line 7: field id.resp_p: missing"},
	} {
		log := connHeader + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n" + c.line + "\n"
		_, _, res, err := collect(t, "conn.log", []byte(log))
		if err != nil || res.FirstBad != c.msg {
			t.Errorf("%q: FirstBad %q, want %q (err %v)", c.line, res.FirstBad, c.msg, err)
		}
	}
}

func TestTruncatedGzip(t *testing.T) {
	var log strings.Builder
	log.WriteString(connHeader + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n")
	for i := range 20000 {
		log.WriteString("1700000000.123456\tC")
		log.WriteString(strings.Repeat("x", i%7))
		log.WriteString("\t10.0.0.1\t1234\t10.0.0.2\t502\n")
	}
	z := gz(t, []byte(log.String()))
	conns, _, res, err := collect(t, "conn.log.gz", z[:len(z)/2])
	if err != nil {
		t.Fatal(err)
	}
	if res.Damaged == "" {
		t.Error("truncated gzip not reported as damaged")
	}
	if res.Records < 1000 || res.Records >= 20000 || int64(len(conns)) != res.Records {
		t.Errorf("read %d records (%d conns) of a half stream", res.Records, len(conns))
	}
	if res.BadLines > 1 { // at most the line cut in two
		t.Errorf("%d bad lines", res.BadLines)
	}
	// A corrupt checksum is damage too, after every line was read.
	z2 := append([]byte(nil), z...)
	z2[len(z2)-6] ^= 0xff // inside the CRC-32 trailer
	_, _, res, err = collect(t, "conn.log.gz", z2)
	if err != nil || res.Damaged == "" || res.Records != 20000 {
		t.Errorf("bad checksum: %+v, %v", res, err)
	}
}

func TestNotALog(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"hello world\n", `first line starts "hello world"`},
		{"\x00\x01\x02binary", `first line starts "\x00\x01\x02binary"`},
		{"#separator \\x09\n1700000000\tC1\n", "data before a #fields header"},
		{"ts,uid\n1,2\n", `first line starts "ts,uid"`},
	} {
		_, _, _, err := collect(t, "notes.log", []byte(c.data))
		if !errors.Is(err, ErrNotZeekLog) || !strings.Contains(err.Error(), "notes.log") ||
			!strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v", c.data, err)
		}
	}
	res, err := ReadFile(context.Background(), "empty.log", strings.NewReader("\n\n"), Handler{})
	if err != nil || res.Skipped != "empty file" {
		t.Errorf("empty: %+v %v", res, err)
	}
}

func TestUnknownLogSkipped(t *testing.T) {
	called := false
	h := Handler{Conn: func(*Conn) error { called = true; return nil }, Op: func(Op) error { called = true; return nil }}
	for _, c := range []struct{ name, data, typ string }{
		{"x.log", "#separator \\x09\n#path\thttp\n#fields\tts\tuid\n1\tC1\n", "http"},
		{"http.log", "#separator \\x09\n#fields\tts\tuid\n1\tC1\n", "http"},
		{"x.json", `{"_path":"dns","ts":1,"uid":"C1"}` + "\n", "dns"},
		{"weird.json", `{"ts":1,"uid":"C1"}` + "\n", "weird"},
	} {
		res, err := ReadFile(context.Background(), c.name, strings.NewReader(c.data), h)
		if err != nil || res.LogType != c.typ || res.Skipped != c.typ+".log: not read" || res.Records != 0 {
			t.Errorf("%s: %+v %v", c.name, res, err)
		}
	}
	if called {
		t.Error("handler called for a skipped log")
	}
	// Lines of an unknown type inside a known log are passed over.
	mixed := `{"_path":"conn","uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":1}` + "\n" +
		`{"_path":"http","uid":"C1","method":"GET"}` + "\n" +
		`{"_path":"conn","uid":"C2","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":2}` + "\n"
	conns, _, res, err := collect(t, "all.json", []byte(mixed))
	if err != nil || res.Records != 2 || len(conns) != 2 || res.LogType != "conn" || conns[1].RespP != 2 {
		t.Errorf("mixed: %+v %+v %v", res, conns, err)
	}
}

func TestHandlerErrorStops(t *testing.T) {
	stop := errors.New("enough")
	n := 0
	_, err := ReadFile(context.Background(), "conn.log", bytes.NewReader(readTestdata(t, "conn.log")), Handler{
		Conn: func(*Conn) error { n++; return stop },
	})
	if !errors.Is(err, stop) || n != 1 || !strings.Contains(err.Error(), "conn.log: line 9") {
		t.Errorf("err = %v after %d calls", err, n)
	}
}

func TestContextCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var log strings.Builder
	log.WriteString(connHeader + "#fields\tuid\tid.orig_h\tid.resp_h\tid.resp_p\n")
	for range 5000 {
		log.WriteString("C\t10.0.0.1\t10.0.0.2\t1\n")
	}
	res, err := ReadFile(ctx, "conn.log", strings.NewReader(log.String()), Handler{})
	if !errors.Is(err, context.Canceled) || res.Records >= 5000 {
		t.Errorf("%+v %v", res, err)
	}
}

func TestNestedJSON(t *testing.T) {
	// The nested form some shippers write, with escapes in strings.
	line := `{ "ts" : "2023-11-14T23:13:20.5+01:00", "uid":"C\u0031x", "id": {"orig_h":"10.0.0.1","orig_p":5,` +
		`"resp_h":"10.0.0.2","resp_p":502}, "service":["modbus","s\u0073l"], "extra":{"a":[1,{"b":null}]},` +
		` "proto":"tcp", "local_orig": null}`
	conns, _, res, err := collect(t, "conn.json", []byte(line))
	if err != nil || res.Records != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	want := Conn{UID: "C1x", TS: time.Date(2023, 11, 14, 22, 13, 20, 5e8, time.UTC),
		OrigH: netip.MustParseAddr("10.0.0.1"), OrigP: 5, RespH: netip.MustParseAddr("10.0.0.2"), RespP: 502,
		Proto: "tcp", Service: "modbus,ssl"}
	if !reflect.DeepEqual(conns[0], want) {
		t.Errorf("got %+v\nwant %+v", conns[0], want)
	}
}

func TestBadJSON(t *testing.T) {
	for _, c := range []struct{ line, msg string }{
		{`{"uid":"C1",}`, "line 1: byte 13: expected a key"},
		{`{"uid":"C1"} x`, "line 1: byte 14: text after the object"},
		{`{"uid":"C1`, "line 1: field uid: byte 11: unterminated string"},
		{`{"uid":"C\q"}`, "line 1: field uid: byte 12: invalid escape"},
		{`{"id.resp_p":tru}`, "line 1: field id.resp_p: byte 14: invalid literal"},
		{`{"a":` + strings.Repeat(`{"a":`, 10) + `1` + strings.Repeat("}", 11), "line 1: byte 41: objects nested too deep"},
		{`{"uid":"C1","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":"x"}`, "line 1: field id.resp_p: not a port"},
	} {
		_, _, res, err := collect(t, "conn.json", []byte(c.line))
		if err != nil || res.BadLines != 1 || res.FirstBad != c.msg {
			t.Errorf("%s: %q (err %v), want %q", c.line, res.FirstBad, err, c.msg)
		}
	}
}
