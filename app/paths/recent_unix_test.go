//go:build unix

package paths

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRecentFileIsPrivate: the recent list names client sites and where
// their audits lie, so it is written 0600 whatever the umask lets through,
// also when it replaces a list an older version left readable by all.
func TestRecentFileIsPrivate(t *testing.T) {
	old := syscall.Umask(0o022) // the usual umask, under which a careless write gives 0644
	defer syscall.Umask(old)
	dir := filepath.Join(t.TempDir(), "zonewalk")
	file := filepath.Join(dir, "recent.json")
	mode := func(what string) {
		t.Helper()
		fi, err := os.Stat(file)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: recent file mode %v, want 0600", what, fi.Mode().Perm())
		}
	}
	if err := AddRecent(file, "/audits/refinery"); err != nil {
		t.Fatal(err)
	}
	mode("new list")
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("settings folder: %v, %v; want it private", fi.Mode(), err)
	}
	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AddRecent(file, "/audits/water"); err != nil {
		t.Fatal(err)
	}
	mode("after adding to a 0644 list")
	os.Chmod(file, 0o644)
	if err := RemoveRecent(file, "/audits/water"); err != nil {
		t.Fatal(err)
	}
	mode("after removing from a 0644 list")
}
