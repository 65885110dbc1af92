package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestDamagedValueIsReportedNotServed flips bytes inside a stored photo in
// the value log; reading it must fail, never return altered bytes.
func TestDamagedValueIsReportedNotServed(t *testing.T) {
	s, dir := newPlain(t)
	photo := bytes.Repeat([]byte("evidence-photo-"), 20000) // 300 kB: lives in the value log
	sha, err := s.PutBlob(photo)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	logs, _ := filepath.Glob(filepath.Join(dir, dataDir, "*.vlog"))
	damaged := false
	for _, p := range logs {
		b, _ := os.ReadFile(p)
		if i := bytes.Index(b, []byte("evidence-photo-evidence-photo-")); i >= 0 {
			b[i+1000] ^= 0xff
			os.WriteFile(p, b, 0o600)
			damaged = true
		}
	}
	if !damaged {
		t.Fatal("photo not found in the value log")
	}
	s2, err := Open(dir, OpenOptions{})
	if err != nil {
		return // refusing to open a damaged workspace is also a report
	}
	defer s2.Close()
	got, err := s2.Blob(sha)
	if err == nil {
		t.Fatalf("damaged blob served (%d bytes, equal=%v)", len(got), bytes.Equal(got, photo))
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Logf("damage reported as: %v", err)
	}
	served := false
	err = s2.ReadBlob(sha, func(data []byte) error {
		served = true
		if !bytes.Equal(data, photo) {
			d := 0
			for d < len(data) && d < len(photo) && data[d] == photo[d] {
				d++
			}
			t.Errorf("ReadBlob served altered bytes: len %d want %d, first difference at %d", len(data), len(photo), d)
		}
		return nil
	})
	if err == nil || served {
		t.Fatalf("ReadBlob of a damaged value: err %v, served %v", err, served)
	}
}
