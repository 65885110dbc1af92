package zeek

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"
)

// fuzzRead reads data at once and a byte at a time (each read hitting a
// buffer boundary) and checks that both reads agree and that what was
// handed over is sound. gzip is left to the unit tests: fuzzing through
// compress/flate spends the budget on flate's own paths.
func fuzzRead(t *testing.T, name string, data []byte) {
	type seen struct {
		conns, ops int
		res        FileResult
	}
	read := func(r io.Reader) (seen, error) {
		var s seen
		res, err := ReadFile(context.Background(), name, r, Handler{
			Conn: func(c *Conn) error {
				if c.UID == "" || !c.OrigH.IsValid() || !c.RespH.IsValid() || c.TS.Location().String() != "UTC" {
					t.Fatalf("unsound connection %+v", c)
				}
				s.conns++
				return nil
			},
			Op: func(o Op) error {
				if o.UID == "" || o.Op.Protocol == "" || o.Op.Name == "" {
					t.Fatalf("unsound operation %+v", o)
				}
				s.ops++
				return nil
			},
		})
		s.res = res
		if err != nil && !errors.Is(err, ErrNotZeekLog) && !errors.Is(err, ErrMissingField) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		if res.Records+res.BadLines > res.Lines || res.BadLines > 0 && res.FirstBad == "" {
			t.Fatalf("inconsistent result %+v", res)
		}
		if int64(s.conns) > res.Records {
			t.Fatalf("%d connections from %d records", s.conns, res.Records)
		}
		return s, err
	}
	whole, err1 := read(bytes.NewReader(data))
	bytewise, err2 := read(iotest.OneByteReader(bytes.NewReader(data)))
	if (err1 == nil) != (err2 == nil) || whole != bytewise {
		t.Fatalf("reads differ:\n%+v %v\n%+v %v", whole, err1, bytewise, err2)
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(filepath.Base(p), b)
	}
}

func FuzzReadTSV(f *testing.F) {
	addSeeds(f, "*.log")
	f.Add("conn.log", []byte(connHeader+"#fields\tuid\tid.orig_h\tid.resp_h\tid.resp_p\tts\nC\t10.0.0.1\t::1\t1\t1.5\n#separator \\x2c\n#fields,uid,id.orig_h,id.resp_h,id.resp_p\nC,1.2.3.4,1.2.3.5,9\n"))
	f.Add("x.log", []byte("#separator \\x09\n#path\ts7comm\n#fields\tuid\trosctr_code\tfunction_code\tsubfunction_code\nC\t7\t0x44\t0x01\nC\t1\t0x28\t_GARB\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(name) > 64 {
			name = name[:64]
		}
		fuzzRead(t, name, data)
	})
}

func FuzzReadJSON(f *testing.F) {
	addSeeds(f, "*.json")
	f.Add("x.json", []byte(`{"_path":"cip","uid":"C","cip_service_code":"0x52","direction":"request"}`+"\n"+
		`{"_path":"bacnet","uid":"C","bvlc_function":"Register_Foreign_Device"}`+"\n"))
	f.Add("conn.json", []byte(`{"uid":"C\u00e9\ud83d\ude00","id":{"orig_h":"::1","resp_h":"10.0.0.1","resp_p":1},"service":["a","\"b"],"ts":"2023-11-14T22:13:20Z"}`))
	f.Add("modbus.json", []byte(`{"uid":"C","func":"READ_COILS_EXCEPTION","x":[[1],{"y":[]}],"ts":1e9}`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(name) > 64 {
			name = name[:64]
		}
		fuzzRead(t, name, data)
	})
}
