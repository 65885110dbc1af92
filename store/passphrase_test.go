package store

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// Argon2id slows each guess down, but a 1-character passphrase is still
// found at once: Create refuses short ones for encrypted workspaces.
func TestCreateRefusesShortPassphrase(t *testing.T) {
	for _, p := range []string{"x", "pw", "123456789", "äöüäöüäöü"} { // 9 characters at most
		dir := filepath.Join(t.TempDir(), "ws")
		_, err := Create(dir, CreateOptions{Passphrase: []byte(p)})
		if !errors.Is(err, ErrPassphraseTooShort) || !strings.Contains(err.Error(), "10") {
			t.Fatalf("passphrase %q: %v", p, err)
		}
		if IsWorkspace(dir) {
			t.Fatalf("passphrase %q: a refused create left a workspace", p)
		}
	}
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, CreateOptions{Passphrase: []byte("äöüäöüäöüä")}) // 10 characters, 20 bytes
	if err != nil {
		t.Fatal(err)
	}
	if !s.Encrypted() {
		t.Error("encrypted workspace says it is not")
	}
	s.Close()
	plain, _ := newPlain(t)
	if plain.Encrypted() {
		t.Error("unencrypted workspace says it is encrypted")
	}
}
