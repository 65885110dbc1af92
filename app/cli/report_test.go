package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReportCommand writes the demo report from the command line and checks
// the PDF, the digest option and the usage errors.
func TestReportCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	pdf := filepath.Join(t.TempDir(), "out.pdf")
	code, out, errs := run(t, nil, "report", "--workspace", dir, "--out", pdf, "--classification", "TLP:AMBER — Zone Ü – Süd",
		"--report-version", "3.0-draft", "--date", "2026-12-01")
	if code != 0 {
		t.Fatalf("report: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if !strings.Contains(out, "wrote "+pdf) || !strings.Contains(errs, "100% Done") {
		t.Errorf("report output: %q / progress %q", out, errs)
	}
	if b, err := exec.Command("qpdf", "--check", pdf).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, b)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"TLP:AMBER — Zone Ü – Süd", "Report version 3.0-draft", "2026-12-01", "Greywater Valley"} {
		if !strings.Contains(flat, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// demo then report, nothing else: the findings are those the checks
	// raise on the demo (before, the report said none were open).
	m := regexp.MustCompile(`(\d+) findings are open or accepted`).FindStringSubmatch(flat)
	if n := 0; m == nil || strings.Contains(flat, "No findings are open") {
		t.Errorf("the demo report shows no open findings")
	} else if fmt.Sscan(m[1], &n); n < 50 {
		t.Errorf("the demo report shows %d open findings, want the ~76 the checks raise", n)
	}

	// --digest prints the value the report carries.
	code, digest, errs := run(t, nil, "report", "--workspace", dir, "--digest")
	digest = strings.TrimSpace(digest)
	if code != 0 || len(digest) != 64 {
		t.Fatalf("report --digest: %d %q %s", code, digest, errs)
	}
	if !strings.Contains(flat, digest) {
		t.Errorf("PDF does not carry the digest %s", digest)
	}

	for _, args := range [][]string{
		{"report", "--workspace", dir},
		{"report", "--workspace", dir, "--digest", "--out", pdf},
		{"report", "--workspace", dir, "--out", pdf, "--date", "01.12.2026"},
		{"report", "--out", pdf},
	} {
		if code, _, errs := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage); stderr %s", args, code, errs)
		}
	}
	// A failing report leaves the earlier file as it was.
	before, _ := os.ReadFile(pdf)
	if code, _, _ := run(t, nil, "report", "--workspace", dir, "--out", pdf, "--classification", strings.Repeat("x", 500)); code != 1 {
		t.Errorf("over-long classification: exit %d, want 1", code)
	}
	after, _ := os.ReadFile(pdf)
	if string(before) != string(after) {
		t.Error("a failed report changed the existing PDF")
	}
}
