package bundle

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestEveryFlippedByteIsRefused flips each byte of a small bundle, and each
// signed byte of its signature, in turn: every one is refused before
// anything is decrypted, and the workspace is not written.
func TestEveryFlippedByteIsRefused(t *testing.T) {
	fx := newFixture(t)
	orig, _ := os.ReadFile(fx.full)
	sig, _ := os.ReadFile(fx.full + ".minisig")
	out := filepath.Join(fx.dir, "flipped.zwb")
	opts := ImportOptions{IdentityFiles: []string{fx.tm.keyFile}}
	hash, st := dirHash(t, fx.bDir), state(t, fx.b.Store())
	rng := rand.New(rand.NewPCG(6, 62443))
	mask := func() byte { return byte(1 + rng.IntN(255)) }
	if err := os.WriteFile(out+".minisig", sig, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range orig {
		b := bytes.Clone(orig)
		b[i] ^= mask()
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Import(ctx, fx.b, out, opts); !errors.Is(err, ErrSignature) {
			t.Fatalf("bundle byte %d of %d flipped: %v", i, len(orig), err)
		}
	}
	if err := os.WriteFile(out, orig, 0o644); err != nil {
		t.Fatal(err)
	}
	// The first line is minisign's untrusted comment: unsigned by design.
	start := bytes.IndexByte(sig, '\n') + 1
	for i := start; i < len(sig); i++ {
		s := bytes.Clone(sig)
		s[i] ^= mask()
		if err := os.WriteFile(out+".minisig", s, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Import(ctx, fx.b, out, opts); err == nil {
			t.Fatalf("signature byte %d flipped (%q): import succeeded", i, s[i])
		}
	}
	t.Logf("%d bundle bytes and %d signature bytes flipped, all refused", len(orig), len(sig)-start)
	if dirHash(t, fx.bDir) != hash || state(t, fx.b.Store()) != st {
		t.Fatal("refused imports changed the workspace")
	}
	os.WriteFile(out+".minisig", sig, 0o644)
	if _, err := Import(ctx, fx.b, out, opts); err != nil {
		t.Fatalf("restored bundle: %v", err)
	}
}

// TestFlippedArchiveBytes flips each byte of a decrypted archive: the
// reader either refuses it, or (a flip in tar bookkeeping that no member's
// content depends on, such as a timestamp) reads exactly the same contents.
func TestFlippedArchiveBytes(t *testing.T) {
	fx := newFixture(t)
	want, err := checkArchive(ctx, bytes.NewReader(fx.plain), nil)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 62443))
	accepted := 0
	for i := range fx.plain {
		b := bytes.Clone(fx.plain)
		b[i] ^= byte(1 + rng.IntN(255))
		got, err := checkArchive(context.Background(), bytes.NewReader(b), nil)
		if err != nil {
			var me *MemberError
			if !errors.As(err, &me) {
				t.Fatalf("byte %d: error without member context: %v", i, err)
			}
			continue
		}
		accepted++
		if !reflect.DeepEqual(got.header, want.header) || !reflect.DeepEqual(got.manifest.Members, want.manifest.Members) ||
			!reflect.DeepEqual(got.records, want.records) || got.blobs != want.blobs {
			t.Fatalf("byte %d: accepted with different contents:\n%+v\n%+v", i, got, want)
		}
	}
	t.Logf("%d of %d archive bytes flipped: %d accepted with identical contents, the rest refused", len(fx.plain), len(fx.plain), accepted)
}
