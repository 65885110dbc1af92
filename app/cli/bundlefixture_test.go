package cli

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// teamKeys is what a bundle exchange between two laptops needs from the
// command line: a team age key, in a file as --identity takes it, and the
// exporting workspace's public signing key, in a file as --trust takes it.
type teamKeys struct {
	id      *age.X25519Identity
	idFile  string // dir/team.key
	pubFile string // dir/<base of src>.pub, from keys show
}

// newTeamKeys makes a team key and writes it, with the signing key of the
// workspace src, under dir.
func newTeamKeys(t *testing.T, dir, src string) teamKeys {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	k := teamKeys{
		id:      id,
		idFile:  filepath.Join(dir, "team.key"),
		pubFile: filepath.Join(dir, filepath.Base(src)+".pub"),
	}
	if err := os.WriteFile(k.idFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, pub, errs := run(t, nil, "keys", "show", "--workspace", src)
	if code != 0 {
		t.Fatal(errs)
	}
	if err := os.WriteFile(k.pubFile, []byte(pub), 0o600); err != nil {
		t.Fatal(err)
	}
	return k
}

// export runs export of the workspace src to out, encrypted to the team
// key, with the extra flags given, and fails the test if it fails.
func (k teamKeys) export(t *testing.T, src, out string, extra ...string) {
	t.Helper()
	args := append([]string{"export", "--workspace", src, "--out", out, "--recipient", k.id.Recipient().String()}, extra...)
	if code, _, errs := run(t, nil, args...); code != 0 {
		t.Fatalf("export to %q %q: %s", out, extra, errs)
	}
}

// newPlainWorkspace makes an unencrypted workspace at dir, with an audit
// titled T, and closes it, for a command to open.
func newPlainWorkspace(t *testing.T, dir string) {
	t.Helper()
	w, err := app.Create(context.Background(), dir, app.Options{Unencrypted: true, Author: "test"}, assets.Audit{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
}
