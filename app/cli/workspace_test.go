package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestInitPassphraseRules(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	code, _, errs := run(t, map[string]string{"ZONEWALK_PASSPHRASE": "short"}, "init", "--workspace", dir)
	if code != 1 || !strings.Contains(errs, "at least 10") {
		t.Fatalf("init with a 5-character passphrase: %d %s", code, errs)
	}
	plain := filepath.Join(t.TempDir(), "plain")
	code, out, errs := run(t, nil, "init", "--workspace", plain, "--unencrypted")
	if code != 0 || !strings.Contains(errs, "NOT encrypted") || !strings.Contains(errs, "signing key") {
		t.Fatalf("init --unencrypted: %d %q %q", code, out, errs)
	}
	code, _, errs = run(t, map[string]string{"ZONEWALK_PASSPHRASE": "correct horse"}, "init", "--workspace", filepath.Join(t.TempDir(), "x"), "--unencrypted")
	if code != 2 || !strings.Contains(errs, "--unencrypted") {
		t.Fatalf("init --unencrypted with a passphrase: %d %s", code, errs)
	}
}

// TestImportCreateUnencryptedWarns: import --create --unencrypted makes a
// workspace whose signing key lies in plain form, as init --unencrypted
// does, and says so as init does.
func TestImportCreateUnencryptedWarns(t *testing.T) {
	tmp := t.TempDir()
	src := filepath.Join(tmp, "src")
	if code, _, errs := run(t, nil, "init", "--workspace", src, "--unencrypted"); code != 0 {
		t.Fatal(errs)
	}
	keys := newTeamKeys(t, tmp, src)
	zwb := filepath.Join(tmp, "audit.zwb")
	keys.export(t, src, zwb)
	common := []string{"import", zwb, "--create", "--identity", keys.idFile, "--trust", keys.pubFile, "--workspace"}
	code, out, errs := run(t, nil, append(common, filepath.Join(tmp, "plain"), "--unencrypted")...)
	if code != 0 {
		t.Fatalf("import --create --unencrypted: %d %s", code, errs)
	}
	if !strings.Contains(errs, "NOT encrypted") || !strings.Contains(errs, "signing key") {
		t.Errorf("import --create --unencrypted does not warn: %q", errs)
	}
	if strings.Contains(out, "NOT encrypted") {
		t.Errorf("the warning went to stdout: %q", out)
	}
	code, _, errs = run(t, map[string]string{"ZONEWALK_PASSPHRASE": "correct horse battery"}, append(common, filepath.Join(tmp, "enc"))...)
	if code != 0 || strings.Contains(errs, "NOT encrypted") {
		t.Errorf("import --create (encrypted): %d %q", code, errs)
	}
}
