package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run calls the CLI as the binary would, with its own environment.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code = Run(context.Background(), args, e)
	return code, out.String(), errb.String()
}

func TestDemoListAndJSON(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	code, out, _ := run(t, nil, "demo", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "NOT encrypted") {
		t.Fatalf("demo: %d %s", code, out)
	}
	code, out, errs := run(t, nil, "zones", "list", "--workspace", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("zones list: %d %s", code, errs)
	}
	var zones []struct {
		Name       string `json:"name"`
		AssetCount int    `json:"asset_count"`
	}
	if err := json.Unmarshal([]byte(out), &zones); err != nil || len(zones) < 6 {
		t.Fatalf("zones json: %v (%d zones)", err, len(zones))
	}
	total := 0
	for _, z := range zones {
		total += z.AssetCount
	}
	code, out, _ = run(t, nil, "assets", "list", "--workspace", dir, "--format", "json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) <= total-1 {
		t.Fatalf("assets json: %d assets, %d in zones", len(list), total)
	}
	code, out, _ = run(t, nil, "assets", "list", "--workspace", dir, "--zone", "Safety Instrumented System")
	if code != 0 || !strings.Contains(out, "SIS-CL2-01") || strings.Contains(out, "PLC-101") {
		t.Fatalf("assets list --zone:\n%s", out)
	}
	code, out, _ = run(t, nil, "conduits", "list", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "C7 Vendor remote access") || !strings.Contains(out, "remote") {
		t.Fatalf("conduits list:\n%s", out)
	}
}

func TestImportReportsBadRowsAndExitCodes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	run(t, nil, "demo", "--workspace", dir)
	csvFile := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(csvFile, []byte("tag,type,zone\nPLC-9,plc,Filtration Control\nPLC-10,plc,Atlantis\n"), 0o600)
	code, _, errs := run(t, nil, "assets", "import", csvFile, "--workspace", dir)
	if code != 1 || !strings.Contains(errs, "line 3") || !strings.Contains(errs, "Atlantis") || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Fatalf("bad import: code %d, stderr %q", code, errs)
	}
	_, out, _ := run(t, nil, "assets", "list", "--workspace", dir)
	if strings.Contains(out, "PLC-9") {
		t.Fatal("a failed import wrote a row")
	}
	os.WriteFile(csvFile, []byte("tag,type,zone\nPLC-9,plc,Filtration Control\n"), 0o600)
	if code, out, errs := run(t, nil, "assets", "import", csvFile, "--workspace", dir); code != 0 || !strings.Contains(out, "1 created") {
		t.Fatalf("good import: %d %s %s", code, out, errs)
	}
	if code, _, _ := run(t, nil, "nonsense"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	if code, _, _ := run(t, nil, "assets", "frobnicate", "--workspace", dir); code != 2 {
		t.Fatalf("unknown subcommand exit %d", code)
	}
	if code, _, errs := run(t, nil, "assets", "list"); code != 2 || !strings.Contains(errs, "--workspace") {
		t.Fatalf("missing workspace: %d %s", code, errs)
	}
}

func TestEncryptedWorkspaceNeedsPassphrase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	if code, _, errs := run(t, nil, "init", "--workspace", dir); code != 2 || !strings.Contains(errs, "passphrase") {
		t.Fatalf("init without passphrase: %d %s", code, errs)
	}
	env := map[string]string{"ZONEWALK_PASSPHRASE": "correct horse"}
	if code, _, errs := run(t, env, "init", "--workspace", dir, "--title", "Site A"); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	if code, _, errs := run(t, nil, "zones", "list", "--workspace", dir); code != 1 || !strings.Contains(errs, "passphrase") {
		t.Fatalf("no passphrase: %d %s", code, errs)
	}
	if code, _, errs := run(t, map[string]string{"ZONEWALK_PASSPHRASE": "wrong"}, "zones", "list", "--workspace", dir); code != 1 || !strings.Contains(errs, "wrong passphrase") {
		t.Fatalf("wrong passphrase: %d %s", code, errs)
	}
	pf := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(pf, []byte("correct horse\n"), 0o600)
	if code, _, errs := run(t, nil, "zones", "list", "--workspace", dir, "--passphrase-file", pf); code != 0 {
		t.Fatalf("passphrase file: %s", errs)
	}
}

// TestKeysShowWarnsWhenUnencrypted: the signing key of an unencrypted
// workspace is stored in plain form, and keys show says so (on stderr, so
// `keys show > KEY.pub` still writes only the key).
func TestKeysShowWarnsWhenUnencrypted(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, nil, "keys", "show", "--workspace", dir)
	if code != 0 {
		t.Fatal(errs)
	}
	if !strings.Contains(errs, "NOT encrypted") || !strings.Contains(errs, "signing key") {
		t.Errorf("keys show on an unencrypted workspace does not warn: %q", errs)
	}
	if strings.Contains(out, "warning") {
		t.Errorf("the warning went to stdout, into KEY.pub: %q", out)
	}
}
