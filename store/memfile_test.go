package store

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// TestOpenAfterKillDuringMemtableCreation: a kill right after Badger
// created a new memtable log leaves it empty (0 bytes), and Badger then
// refuses to open the database ("while opening fid: N err: Create a new
// file"). Such a file never held a record; the workspace must open with
// everything acknowledged before.
func TestOpenAfterKillDuringMemtableCreation(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, CreateOptions{Unencrypted: true})
	if err != nil {
		t.Fatal(err)
	}
	z := &assets.Zone{Name: "Control"}
	if err := s.Put(KindZone, z); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, dataDir, "00009.mem"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, OpenOptions{})
	if err != nil {
		t.Fatalf("open after a crash left an empty memtable: %v", err)
	}
	defer s.Close()
	var got assets.Zone
	if err := s.Get(KindZone, z.ID, &got); err != nil || got.Name != "Control" {
		t.Fatalf("acknowledged zone after reopen: %+v, %v", got, err)
	}
}
