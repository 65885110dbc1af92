package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The key-derivation settings come from a plaintext file anyone can edit:
// unbounded values would make opening run out of memory or never finish.
// Each bound is accepted at its limit and refused one step past it.
func TestHeaderKDFBounds(t *testing.T) {
	good := func() kdf {
		return kdf{Algorithm: "argon2id", Time: 2, MemoryKiB: 64 * 1024, Threads: 2,
			Salt: bytes.Repeat([]byte{1}, 16), Check: bytes.Repeat([]byte{2}, 32)}
	}
	cases := []struct {
		name string
		edit func(k *kdf)
		ok   bool
	}{
		{"as created", func(k *kdf) {}, true},
		{"algorithm", func(k *kdf) { k.Algorithm = "argon2i" }, false},
		{"algorithm case", func(k *kdf) { k.Algorithm = "Argon2id" }, false},
		{"time 0", func(k *kdf) { k.Time = 0 }, false},
		{"time 1", func(k *kdf) { k.Time = 1 }, true},
		{"time 16", func(k *kdf) { k.Time = 16 }, true},
		{"time 17", func(k *kdf) { k.Time = 17 }, false},
		{"time 4e9", func(k *kdf) { k.Time = 4000000000 }, false},
		{"memory 8 MiB", func(k *kdf) { k.MemoryKiB = 8 << 10 }, true},
		{"memory under 8 MiB", func(k *kdf) { k.MemoryKiB = 8<<10 - 1 }, false},
		{"memory 1 GiB", func(k *kdf) { k.MemoryKiB = 1 << 20 }, true},
		{"memory over 1 GiB", func(k *kdf) { k.MemoryKiB = 1<<20 + 1 }, false},
		{"memory 4e9", func(k *kdf) { k.MemoryKiB = 4000000000 }, false},
		{"threads 0", func(k *kdf) { k.Threads = 0 }, false},
		{"threads 1", func(k *kdf) { k.Threads = 1 }, true},
		{"threads 16", func(k *kdf) { k.Threads = 16 }, true},
		{"threads 17", func(k *kdf) { k.Threads = 17 }, false},
		{"salt 15", func(k *kdf) { k.Salt = k.Salt[:15] }, false},
		{"salt 64", func(k *kdf) { k.Salt = bytes.Repeat([]byte{1}, 64) }, true},
		{"salt 65", func(k *kdf) { k.Salt = bytes.Repeat([]byte{1}, 65) }, false},
		{"check 31", func(k *kdf) { k.Check = k.Check[:31] }, false},
		{"check 33", func(k *kdf) { k.Check = append(k.Check, 0) }, false},
		{"check missing", func(k *kdf) { k.Check = nil }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			k := good()
			c.edit(&k)
			b, _ := json.Marshal(header{Format: headerFormat, Version: SchemaVersion, Created: time.Now(), Encryption: &k})
			if err := os.WriteFile(filepath.Join(dir, headerName), b, 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := readHeader(dir)
			if c.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && !errors.Is(err, ErrNotWorkspace) {
				t.Fatalf("accepted or wrong error: %v", err)
			}
		})
	}
	// Open refuses such a header before deriving anything (this would
	// otherwise try to allocate 4 TB).
	t.Run("open", func(t *testing.T) {
		dir := t.TempDir()
		k := good()
		k.MemoryKiB = 4000000000
		b, _ := json.Marshal(header{Format: headerFormat, Version: SchemaVersion, Encryption: &k})
		os.WriteFile(filepath.Join(dir, headerName), b, 0o600)
		if _, err := Open(dir, OpenOptions{Passphrase: []byte("correct horse battery")}); !errors.Is(err, ErrNotWorkspace) {
			t.Fatalf("open with memory_kib=4e9: %v", err)
		}
	})
}
