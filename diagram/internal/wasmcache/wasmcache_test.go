//go:build unix

package wasmcache

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPrivate(t *testing.T) {
	d := t.TempDir()
	mk := func(name string, perm os.FileMode) string {
		p := filepath.Join(d, name)
		if err := os.Mkdir(p, perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, perm); err != nil {
			t.Fatal(err)
		}
		return p
	}
	own := mk("own", 0o700)
	if !Private(own) {
		t.Errorf("%s: our 0700 directory is not private", own)
	}
	if p := mk("readable", 0o755); !Private(p) {
		t.Errorf("%s: 0755 (others may read, not write) is not private", p)
	}
	for _, p := range []string{mk("group", 0o770), mk("world", 0o777), mk("sticky", 0o1777)} {
		if Private(p) {
			t.Errorf("%s: writable by others, yet private", p)
		}
	}
	link := filepath.Join(d, "link")
	if err := os.Symlink(own, link); err != nil {
		t.Fatal(err)
	}
	if Private(link) {
		t.Error("a symbolic link to a private directory is private")
	}
	if os.Getuid() == 0 {
		other := mk("other", 0o700)
		if err := os.Chown(other, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		if Private(other) {
			t.Error("another user's directory is private")
		}
	}
}

func TestSafePath(t *testing.T) {
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	// t.TempDir sits in a sticky /tmp (or the like): safe.
	if !safePath(d) {
		t.Fatalf("%s: not safe", d)
	}
	open := filepath.Join(d, "open")
	if err := os.Mkdir(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(open, "cache"), 0o700); err != nil {
		t.Fatal(err)
	}
	if safePath(filepath.Join(open, "cache")) {
		t.Error("a directory inside a world-writable, non-sticky one is safe")
	}
}
