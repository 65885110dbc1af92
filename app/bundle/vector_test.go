package bundle

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/store"
)

// v1Dir holds the format vectors written by format version 1 (see
// app/vector_test.go): v1.zwb is a full bundle of v1-workspace, signed by
// the key in signer.pub and encrypted to team.key (test keys, public here).
var v1Dir = filepath.Join("..", "testdata", "v1")

func TestV1BundleVector(t *testing.T) {
	file := filepath.Join(t.TempDir(), "v1.zwb")
	for _, name := range []string{"v1.zwb", "v1.zwb.minisig"} {
		b, err := os.ReadFile(filepath.Join(v1Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(filepath.Dir(file), name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	signer := filepath.Join(v1Dir, "signer.pub")
	key := filepath.Join(v1Dir, "team.key")

	rep, err := Verify(ctx, file, VerifyOptions{Signer: signer, IdentityFiles: []string{key}})
	if err != nil {
		t.Fatalf("verify the v1 bundle: %v", err)
	}
	if !rep.SignerChecked || !rep.Decrypted || rep.Records["asset"] != 3 || rep.Records["zone"] != 2 || rep.Blobs != 1 {
		t.Errorf("verify report = %+v", rep)
	}
	other := newTeam(t) // a key it was not encrypted to
	if _, err := Verify(ctx, file, VerifyOptions{Signer: signer, IdentityFiles: []string{other.keyFile}}); !errors.Is(err, ErrDecrypt) {
		t.Errorf("decrypt with a foreign key: %v, want ErrDecrypt", err)
	}

	w, _, err := Clone(ctx, filepath.Join(t.TempDir(), "clone"), file, app.Options{Unencrypted: true, Author: "bob"},
		ImportOptions{IdentityFiles: []string{key}, Trust: []string{signer}})
	if err != nil {
		t.Fatalf("clone from the v1 bundle: %v", err)
	}
	defer w.Close()
	want, err := os.ReadFile(filepath.Join(v1Dir, "v1-records.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	if err := w.Store().ScanAll(func(kind store.Kind, raw []byte, deleted bool) error {
		lines = append(lines, fmt.Sprintf("%s\t%v\t%s", kind, deleted, raw))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	if got := strings.Join(lines, "\n") + "\n"; got != string(want) {
		t.Errorf("records imported from the v1 bundle differ from those v1 stored:\n got: %s\nwant: %s", got, want)
	}
}
