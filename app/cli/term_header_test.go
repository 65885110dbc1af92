package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
	"filippo.io/age"
	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/app"
)

// TestBundleHeaderEscapesControls: the header of a bundle (docs/bundle-
// format.md) is written by whoever made the bundle, and verify and import
// print its device and audit title, also before anyone trusts the signer.
// The test exports a bundle, rewrites its header and manifest to carry
// terminal escapes in those fields, re-encrypts and re-signs it with the
// exporting laptop's key as the format describes, and runs the commands.
func TestBundleHeaderEscapesControls(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	newPlainWorkspace(t, src)
	keys := newTeamKeys(t, tmp, src)
	zwb := filepath.Join(tmp, "audit.zwb")
	keys.export(t, src, zwb)
	device := "dev" + hostile
	rewriteBundleHeader(t, zwb, src, keys.id, func(h map[string]any) {
		h["device"] = device
		h["audit_title"] = "T" + hostile
	})

	if code, out, errs := run(t, nil, "verify", zwb, "--identity", keys.idFile); code != 0 {
		t.Fatalf("the rewritten bundle does not verify: %d %s%s", code, out, errs)
	}
	dst := filepath.Join(tmp, "dst")
	other := filepath.Join(tmp, "other")
	if code, _, errs := run(t, nil, "init", "--workspace", other, "--unencrypted"); code != 0 {
		t.Fatal(errs)
	}
	for _, args := range [][]string{
		{"verify", zwb},
		{"verify", zwb, "--identity", keys.idFile},
		{"import", zwb, "--workspace", other, "--identity", keys.idFile}, // untrusted signer: refused
		{"import", zwb, "--workspace", dst, "--create", "--unencrypted", "--identity", keys.idFile, "--trust", keys.pubFile},
	} {
		code, out, errs := run(t, nil, args...)
		what := strings.Join(args[:1], " ")
		noRawControls(t, what, out+errs)
		if len(args) > 2 && code == 0 && !strings.Contains(out, `dev\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e`) {
			t.Errorf("%s does not show the device, escaped:\n%s", what, out)
		}
	}
}

// rewriteBundleHeader decrypts the bundle at zwb, lets edit change its
// header (the manifest's device follows the header's, as the format
// requires), and writes it back encrypted to id and signed with the device
// key of the workspace src, which made it.
func rewriteBundleHeader(t *testing.T, zwb, src string, id *age.X25519Identity, edit func(map[string]any)) {
	t.Helper()
	enc, err := os.ReadFile(zwb)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(bytes.NewReader(enc), id)
	if err != nil {
		t.Fatal(err)
	}
	type member struct {
		hdr  *tar.Header
		body []byte
	}
	var members []member
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, member{h, b})
	}
	rewrite := func(m *member, edit func(map[string]any)) {
		var v map[string]any
		dec := json.NewDecoder(bytes.NewReader(m.body))
		dec.UseNumber() // stamps are int64 nanoseconds: no float64 round trip
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		edit(v)
		if m.body, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
		m.hdr.Size = int64(len(m.body))
	}
	first, last := &members[0], &members[len(members)-1]
	if first.hdr.Name != "zonewalk-bundle.json" || last.hdr.Name != "manifest.json" {
		t.Fatalf("members %s … %s", first.hdr.Name, last.hdr.Name)
	}
	rewrite(first, edit)
	var h map[string]any
	json.Unmarshal(first.body, &h)
	sum := sha256.Sum256(first.body)
	rewrite(last, func(m map[string]any) {
		m["device"] = h["device"]
		list := m["members"].([]any)
		head := list[0].(map[string]any)
		head["size"], head["sha256"] = len(first.body), hex.EncodeToString(sum[:])
	})

	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	for _, m := range members {
		if err := tw.WriteHeader(m.hdr); err != nil {
			t.Fatal(err)
		}
		tw.Write(m.body)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	aw, err := age.Encrypt(&out, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	aw.Write(plain.Bytes())
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zwb, out.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	// Signature: minisign, prehashed Ed25519 (BLAKE2b-512 of the encrypted
	// file), the trusted comment signed after the signature.
	w, err := app.Open(context.Background(), src, app.Options{Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := w.Store().Setting("bundle/device-key")
	w.Close()
	if err != nil || len(seed) != ed25519.SeedSize {
		t.Fatalf("device key: %d bytes, %v", len(seed), err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	text, err := os.ReadFile(zwb + ".minisig")
	if err != nil {
		t.Fatal(err)
	}
	var sig minisign.Signature
	if err := sig.UnmarshalText(text); err != nil {
		t.Fatal(err)
	}
	digest := blake2b.Sum512(out.Bytes())
	copy(sig.Signature[:], ed25519.Sign(priv, digest[:]))
	copy(sig.CommentSignature[:], ed25519.Sign(priv, append(sig.Signature[:], sig.TrustedComment...)))
	if text, err = sig.MarshalText(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zwb+".minisig", text, 0o600); err != nil {
		t.Fatal(err)
	}
}
