package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportDefaultsToTheRevisitedAudit: the report of a revisit has the
// section "Changes since the previous audit" without --baseline, and a
// redacted report leaves it out rather than refusing.
func TestReportDefaultsToTheRevisitedAudit(t *testing.T) {
	tmp := t.TempDir()
	old, cur := filepath.Join(tmp, "demo"), filepath.Join(tmp, "new")
	if code, _, errs := run(t, nil, "demo", "--workspace", old); code != 0 {
		t.Fatal(errs)
	}
	if code, out, errs := run(t, nil, "revisit", "--from", old, "--workspace", cur, "--unencrypted"); code != 0 {
		t.Fatalf("revisit: %d %s %s", code, out, errs)
	}
	pdf, redacted := filepath.Join(tmp, "r.pdf"), filepath.Join(tmp, "redacted.pdf")
	if code, _, errs := run(t, nil, "report", "--workspace", cur, "--out", pdf, "--no-zone-diagrams", "--quiet"); code != 0 || errs != "" {
		t.Fatalf("report: exit %d, stderr %q", code, errs)
	}
	if code, _, errs := run(t, nil, "report", "--workspace", cur, "--out", redacted, "--redact", "public-summary",
		"--no-zone-diagrams", "--quiet"); code != 0 {
		t.Fatalf("report --redact: exit %d, stderr %q", code, errs)
	}
	needPdftotext(t)
	const section = "Changes since the previous audit"
	for file, want := range map[string]bool{pdf: true, redacted: false} {
		text, err := exec.Command("pdftotext", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(strings.Join(strings.Fields(string(text)), " "), section); got != want {
			t.Errorf("%s: has %q: %v, want %v", filepath.Base(file), section, got, want)
		}
	}
}

// needPdftotext skips a test that reads a PDF back when poppler-utils is
// missing on a developer's machine; under CI (.ci/deps.sh installs it) it
// fails instead.
func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed; .ci/deps.sh installs it")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
}
