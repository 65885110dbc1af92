package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/zonewalk/zonewalk/assets"
)

// smallDisk mounts a tmpfs of the given size (we run as root in CI), so a
// full disk can be reproduced: Badger writes through mmapped, sparsely
// preallocated files, and on a full filesystem that is SIGBUS, not ENOSPC.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("mount a %s tmpfs at %s (CI runs as root and must test a full disk): %v", size, dir, err)
		}
		t.Skipf("cannot mount a %s tmpfs here (needs root): %v", size, err)
	}
	t.Cleanup(func() { unix.Unmount(dir, unix.MNT_DETACH) })
	return dir
}

// fillDisk writes a file until at most leave bytes are free on dir's
// filesystem and returns its path.
func fillDisk(t *testing.T, dir string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		free, err := freeBytes(dir)
		if err != nil {
			t.Fatal(err)
		}
		if free <= leave {
			return path
		}
		n := min(int64(len(buf)), free-leave)
		if _, err := f.Write(buf[:n]); err != nil {
			return path // ENOSPC: full
		}
	}
}

func countAssets(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	if err := s.Scan(KindAsset, func([]byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func putAssets(ctx context.Context, s *Store, n, noteBytes int) error {
	return s.Update(ctx, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			a := &assets.Asset{Tag: "PLC", Type: assets.TypePLC, Notes: strings.Repeat("n", noteBytes)}
			if err := tx.Put(KindAsset, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// On a full disk, writes are refused with ErrDiskFull before anything
// lands (so a retry does not duplicate), the process does not crash, and
// a read-only open still reads.
func TestFullDisk(t *testing.T) {
	ctx := context.Background()
	disk := smallDisk(t, "32m")
	ws := filepath.Join(disk, "ws")
	s, err := Create(ws, CreateOptions{Unencrypted: true, Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := putAssets(ctx, s, 50, 100); err != nil {
		t.Fatal(err)
	}

	filler := fillDisk(t, disk, 1<<20)
	for _, c := range []struct {
		name       string
		n, noteLen int
	}{{"one record", 1, 10}, {"an import through the journal", 3000, 600}} {
		err := putAssets(ctx, s, c.n, c.noteLen)
		if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "nothing was written") {
			t.Fatalf("%s on a full disk: %v", c.name, err)
		}
	}
	if n := countAssets(t, s); n != 50 {
		t.Fatalf("refused writes left %d assets, want 50", n)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("close after space was freed: %v", err)
	}

	fillDisk(t, disk, 1<<20)
	if _, err := Open(ws, OpenOptions{}); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("writable open on a full disk: %v", err)
	}
	ro, err := Open(ws, OpenOptions{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open on a full disk: %v", err)
	}
	defer ro.Close()
	if n := countAssets(t, ro); n != 50 {
		t.Fatalf("read-only open sees %d assets, want 50", n)
	}
	if _, err := All[assets.Asset](ro, KindAsset); err != nil {
		t.Fatal(err)
	}
	if err := putAssets(ctx, ro, 1, 1); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("write to a read-only open: %v", err)
	}
	if err := ro.Close(); err != nil {
		t.Fatalf("close read-only: %v", err)
	}

	if _, err := Create(filepath.Join(disk, "new"), CreateOptions{Unencrypted: true}); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("create on a full disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(disk, "new")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused create left files: %v", err)
	}
}
