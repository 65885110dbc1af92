//go:build unix

package diagram

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/zonewalk/zonewalk/diagram/internal/wasmcache"
)

// go-graphviz compiles Graphviz when a process starts and, left alone,
// keeps wazero's compiled code in $TMPDIR/go-graphviz, a directory other
// users can create or fill. These tests run real workers (which start with
// the environment set here) against such directories.
func TestGraphvizCacheNotInTMPDIR(t *testing.T) {
	root := t.TempDir() // before TMPDIR changes
	cases := []struct {
		name   string
		plant  func(t *testing.T, tmp string)
		unsafe bool // make the user cache directory unusable too
	}{
		{"another user's cache", func(t *testing.T, tmp string) {
			if os.Getuid() != 0 {
				if os.Getenv("CI") != "" {
					t.Fatal("CI runs as root and must test another user's cache directory")
				}
				t.Skip("needs root to make a directory owned by another user")
			}
			d := filepath.Join(tmp, "go-graphviz")
			mustMkdir(t, d, 0o700)
			if err := os.Chown(d, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"planted cache", func(t *testing.T, tmp string) {
			d := filepath.Join(tmp, "go-graphviz", fmt.Sprintf("wazero-v1.10.1-%s-%s", runtime.GOARCH, runtime.GOOS))
			mustMkdir(t, d, 0o777)
			if err := os.WriteFile(filepath.Join(d, strings.Repeat("ab", 32)), []byte("\x7fELF planted code"), 0o777); err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{d, filepath.Dir(d)} {
				if err := os.Chmod(p, 0o777); err != nil {
					t.Fatal(err)
				}
			}
		}, false},
		{"unsafe user cache", func(t *testing.T, tmp string) {}, true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(root, fmt.Sprint(i))
			tmp, home, cache := filepath.Join(dir, "tmp"), filepath.Join(dir, "home"), filepath.Join(dir, "cache")
			for _, d := range []string{tmp, home, cache} {
				mustMkdir(t, d, 0o700)
			}
			c.plant(t, tmp)
			if c.unsafe {
				mustMkdir(t, filepath.Join(cache, "zonewalk"), 0o777)
			}
			before := snapshot(t, tmp)
			t.Setenv("TMPDIR", tmp)
			t.Setenv("HOME", home)
			t.Setenv("XDG_CACHE_HOME", cache)

			r := NewRenderer()
			t.Cleanup(func() { r.Close() })
			d, err := r.Layout(context.Background(), Overview(plant(t)))
			if err != nil {
				t.Fatalf("layout with a hostile TMPDIR: %v", err)
			}
			if len(d.Items) == 0 {
				t.Fatal("empty layout")
			}
			r.Close()
			if after := snapshot(t, tmp); after != before {
				t.Errorf("the worker touched $TMPDIR:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			gv := filepath.Join(cache, "zonewalk", "go-graphviz")
			if c.unsafe {
				if _, err := os.Lstat(gv); err == nil {
					t.Errorf("%s was used although its parent is world-writable", gv)
				}
				return
			}
			// The cache moved to the user's cache directory, private to them.
			for _, p := range []string{filepath.Dir(gv), gv} {
				fi, err := os.Lstat(p)
				if err != nil {
					t.Fatal(err)
				}
				if !fi.IsDir() || fi.Mode().Perm() != 0o700 || fi.Sys().(*syscall.Stat_t).Uid != uint32(os.Getuid()) {
					t.Errorf("%s: %v uid %d, want our own 0700 directory", p, fi.Mode(), fi.Sys().(*syscall.Stat_t).Uid)
				}
			}
			if s := snapshot(t, gv); !strings.Contains(s, "wazero-") {
				t.Errorf("no compiled code cached in %s:\n%s", gv, s)
			}
		})
	}
}

func mustMkdir(t *testing.T, d string, perm os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(d, perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, perm); err != nil {
		t.Fatal(err)
	}
}

// snapshot lists a tree: names, modes, owners and content hashes.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d", p, fi.Mode(), fi.Sys().(*syscall.Stat_t).Uid)
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, " %x", sha256.Sum256(data))
		}
		b.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The TMPDIR that go-graphviz's init saw is not left to the rest of the
// process (nor to the processes it starts).
func TestTMPDIRRestored(t *testing.T) {
	v := os.Getenv("TMPDIR")
	if v == wasmcache.NoCache || (wasmcache.Dir() != "" && v == filepath.Dir(wasmcache.Dir())) {
		t.Fatalf("TMPDIR is still %q after go-graphviz's init", v)
	}
}
