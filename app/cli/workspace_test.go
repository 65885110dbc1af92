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
