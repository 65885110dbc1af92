package report

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
)

// The audit in format version 1's bundle, imported by this version, has
// the data digest version 1 printed for it (app/testdata/v1).
func TestDigestOfV1Bundle(t *testing.T) {
	const v1Digest = "e0c57a2ce750f53560f2f8c8a901f382285430dd9a41cde47a42bb0c5f038cb3"
	v1 := filepath.Join("..", "testdata", "v1")
	dir := t.TempDir()
	for _, name := range []string{"v1.zwb", "v1.zwb.minisig"} {
		b, err := os.ReadFile(filepath.Join(v1, name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), b, 0o600)
	}
	w, _, err := bundle.Clone(context.Background(), filepath.Join(dir, "clone"), filepath.Join(dir, "v1.zwb"), app.Options{Unencrypted: true, Author: "bob"},
		bundle.ImportOptions{IdentityFiles: []string{filepath.Join(v1, "team.key")}, Trust: []string{filepath.Join(v1, "signer.pub")}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if d, err := Digest(context.Background(), w); err != nil || d != v1Digest {
		t.Errorf("digest of the imported audit %s (%v), v1 printed %s", d, err, v1Digest)
	}
}
