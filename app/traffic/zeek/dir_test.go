package zeek

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conn := readTestdata(t, "conn.log")
	write("z/modbus.log", readTestdata(t, "modbus.log"))
	write("a/conn.log.gz", gz(t, conn))
	write("b/conn.00:00:00-01:00:00.log", conn)
	write("http.log", []byte("#separator \\x09\n#path\thttp\n#fields\tts\tuid\n1\tC1\n"))
	write("bad.log", []byte("hello\n"))
	write("README.txt", []byte("not a log\n"))
	write(".hidden/conn.log", conn)
	if err := os.Symlink(filepath.Join(dir, "z"), filepath.Join(dir, "loop.log")); err != nil {
		t.Log(err) // a link to a folder named like a log: not followed
	}

	var seq []string // "conn" or "op", in the order handed over
	h := Handler{
		Conn: func(*Conn) error { seq = append(seq, "conn"); return nil },
		Op:   func(Op) error { seq = append(seq, "op"); return nil },
	}
	res, err := ReadDir(context.Background(), dir, h)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		path, typ, skipped string
		records            int64
		notLog             bool
	}{
		{"a/conn.log.gz", "conn", "", 3, false},
		{"b/conn.00:00:00-01:00:00.log", "conn", "", 3, false},
		{"bad.log", "", "", 0, true},
		{"http.log", "http", "http.log: not read", 0, false},
		{"z/modbus.log", "modbus", "", 7, false},
	}
	if len(res) != len(want) {
		t.Fatalf("%d results: %+v", len(res), res)
	}
	for i, w := range want {
		r := res[i]
		if r.Path != filepath.Join(dir, w.path) || r.LogType != w.typ || r.Skipped != w.skipped ||
			r.Records != w.records || errors.Is(r.Err, ErrNotZeekLog) != w.notLog || (r.Err != nil) != w.notLog {
			t.Errorf("result %d: %+v, want %+v", i, r, w)
		}
	}
	if len(seq) != 12 || seq[5] != "conn" || seq[6] != "op" {
		t.Errorf("handed over %v: want 6 connections, then 6 operations", seq)
	}

	// A handler's error stops the walk.
	stop := errors.New("stop")
	res, err = ReadDir(context.Background(), dir, Handler{Conn: func(*Conn) error { return stop }})
	if !errors.Is(err, stop) || len(res) != 1 {
		t.Errorf("%v, %d results", err, len(res))
	}
	if _, err := ReadDir(context.Background(), filepath.Join(dir, "missing"), h); err == nil {
		t.Error("no error for a missing directory")
	}
}
