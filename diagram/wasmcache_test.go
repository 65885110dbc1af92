//go:build unix

package diagram

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
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
		{"planted code", plantCode, false},
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

// plantCode plants in tmp what the attack of issue 15 planted: wazero's
// compiled Graphviz as this process cached it, its machine code replaced
// by a slide into exit_group(77) and its CRC fixed, so wazero runs it as
// found. A worker that loads it exits with code 77 instead of laying out.
func plantCode(t *testing.T, tmp string) {
	var exit77 []byte
	var nop []byte
	switch runtime.GOARCH {
	case "amd64":
		nop = []byte{0x90}
		exit77 = []byte{0xbf, 77, 0, 0, 0, 0xb8, 231, 0, 0, 0, 0x0f, 0x05} // mov edi,77; mov eax,231; syscall
	case "arm64":
		nop = []byte{0x1f, 0x20, 0x03, 0xd5}
		exit77 = []byte{0xa0, 0x09, 0x80, 0xd2, 0xa8, 0x0b, 0x80, 0xd2, 0x01, 0x00, 0x00, 0xd4} // mov x0,#77; mov x8,#94; svc #0
	}
	if runtime.GOOS != "linux" || exit77 == nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must run the planted-code case (linux on amd64 or arm64)")
		}
		t.Skip("needs linux on amd64 or arm64")
	}
	// Where this process's go-graphviz cached its compiled code: our cache
	// directory, or (were the fix undone) the TMPDIR it started with.
	cache := wasmcache.Dir()
	if cache == "" {
		cache = filepath.Join(os.TempDir(), "go-graphviz")
	}
	// The cache entry this process's go-graphviz wrote, in the directory
	// wazero names after its own version (as wazero finds it: the module
	// version this binary was built with, else "dev").
	version := "dev"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/tetratelabs/wazero" && d.Version != "" && d.Version != "(devel)" {
				version = d.Version
			}
		}
	}
	sub := fmt.Sprintf("wazero-%s-%s-%s", version, runtime.GOARCH, runtime.GOOS)
	entries, _ := os.ReadDir(filepath.Join(cache, sub))
	if len(entries) != 1 {
		t.Fatalf("want the one compiled Graphviz of this build in %s, found %d entries", filepath.Join(cache, sub), len(entries))
	}
	src := filepath.Join(cache, sub, entries[0].Name())
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	// Layout (wazero v1.10 engine_cache.go): "WAZEVO", version length and
	// version, function count, 8 bytes per function offset, code length,
	// code, CRC-32C of the code.
	bad := func(why string) {
		t.Fatalf("%s: not a wazero cache entry as expected (%s); update plantCode", src, why)
	}
	if len(b) < 7 || string(b[:6]) != "WAZEVO" {
		bad("magic")
	}
	off := 7 + int(b[6])
	if len(b) < off+4 {
		bad("header")
	}
	off += 4 + 8*int(binary.LittleEndian.Uint32(b[off:]))
	if len(b) < off+8 {
		bad("offsets")
	}
	n := int(binary.LittleEndian.Uint64(b[off:]))
	off += 8
	if n < len(exit77) || len(b) < off+n+4 {
		bad("code length")
	}
	code := b[off : off+n]
	for i := 0; i+len(nop) <= n-len(exit77); i += len(nop) {
		copy(code[i:], nop)
	}
	copy(code[n-len(exit77):], exit77)
	binary.LittleEndian.PutUint32(b[off+n:], crc32.Checksum(code, crc32.MakeTable(crc32.Castagnoli)))
	dst := filepath.Join(tmp, "go-graphviz", sub, entries[0].Name())
	mustMkdir(t, filepath.Dir(dst), 0o777)
	mustMkdir(t, filepath.Join(tmp, "go-graphviz"), 0o777)
	if err := os.WriteFile(dst, b, 0o666); err != nil {
		t.Fatal(err)
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
