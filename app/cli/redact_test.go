package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --redact on report, oscal and export: the outputs are of the redacted
// copy, say so, and the bundle is signed by the laptop that made it, so the
// third party checks it against the key they were given and can read it
// into a workspace of their own.
func TestRedactFlag(t *testing.T) {
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "demo")
	if code, _, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatal(errs)
	}
	pdf := filepath.Join(tmp, "public.pdf")
	code, _, errs := run(t, nil, "report", "--workspace", dir, "--out", pdf, "--redact", "public-summary", "--no-zone-diagrams", "--quiet")
	if code != 0 || !strings.Contains(errs, "redacted with profile public-summary") {
		t.Fatalf("report --redact: %d %s", code, errs)
	}
	oscalFile := filepath.Join(tmp, "ar.json")
	if code, _, errs = run(t, nil, "oscal", "--workspace", dir, "--out", oscalFile, "--model", "assessment-results", "--redact", "public-summary"); code != 0 {
		t.Fatalf("oscal --redact: %s", errs)
	}
	b, _ := os.ReadFile(oscalFile)
	if !strings.Contains(string(b), "redacted copy: public-summary") || strings.Contains(string(b), "10.1.1.10") || strings.Contains(string(b), "K. Osei") {
		t.Errorf("OSCAL of the redacted copy names the profile? carries an IP or an auditor?")
	}

	keys := newTeamKeys(t, tmp, dir)
	zwb := filepath.Join(tmp, "vendor.zwb")
	keys.export(t, dir, zwb, "--redact", "vendor")
	if code, _, errs = run(t, nil, "export", "--workspace", dir, "--out", zwb, "--since-last", "--redact", "vendor"); code != 2 {
		t.Errorf("--since-last with --redact: %d %s", code, errs)
	}
	if code, out, errs := run(t, nil, "verify", zwb, "--signer", keys.pubFile, "--identity", keys.idFile); code != 0 {
		t.Fatalf("verify the redacted bundle with the auditor's key: %d %s %s", code, out, errs)
	}
	vendorWS := filepath.Join(tmp, "vendor-ws")
	if code, _, errs = run(t, nil, "import", zwb, "--workspace", vendorWS, "--create", "--unencrypted", "--identity", keys.idFile, "--trust", keys.pubFile); code != 0 {
		t.Fatalf("vendor imports the copy: %s", errs)
	}
	code, out, _ := run(t, nil, "assets", "list", "--workspace", vendorWS)
	if code != 0 || !strings.Contains(out, "PLC-101") {
		t.Errorf("the vendor's copy lacks the inventory:\n%s", out)
	}
	// The copy is another audit: it cannot be merged back into the original.
	if code, _, errs = run(t, nil, "import", zwb, "--workspace", dir, "--identity", keys.idFile, "--trust", keys.pubFile); code == 0 || !strings.Contains(errs, "audit") {
		t.Errorf("importing the redacted copy into the original: %d %s", code, errs)
	}
	if code, _, errs = run(t, nil, "report", "--workspace", dir, "--out", pdf, "--redact", "no-such"); code != 1 || !strings.Contains(errs, "public-summary") {
		t.Errorf("unknown profile: %d %s", code, errs)
	}
}
