package cli

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestFindingsExport writes the demo's workbook and CSVs from the command
// line and checks the files against `check --all --format json` and the
// summary lines; then the usage errors, none of which leaves a file.
func TestFindingsExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	// How many findings the audit has, by another command.
	code, out, errs := run(t, nil, "check", "--workspace", dir, "--all", "--format", "json", "--date", "2026-11-27")
	if code != 0 {
		t.Fatalf("check: %d %s", code, errs)
	}
	nFindings := strings.Count(out, `"severity"`)
	if nFindings < 10 {
		t.Fatalf("check lists %d findings", nFindings)
	}

	outDir := t.TempDir()
	xlsx := filepath.Join(outDir, "wtw findings.xlsx")
	code, out, errs = run(t, nil, "findings", "export", "--workspace", dir, "--out", xlsx, "--date", "2026-11-27")
	if code != 0 {
		t.Fatalf("findings export: exit %d\n%s%s", code, out, errs)
	}
	m := regexp.MustCompile(`^wrote (.+): workbook, (\d+) findings, (\d+) checklist answers, \d+ kB\n$`).FindStringSubmatch(out)
	if m == nil || m[1] != xlsx || m[2] != strconv.Itoa(nFindings) {
		t.Fatalf("output %q, want %d findings written to %s", out, nFindings, xlsx)
	}
	x, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Findings")
	answers, _ := x.GetRows("Answers")
	if len(rows) != nFindings+1 || strconv.Itoa(len(answers)-1) != m[3] {
		t.Errorf("workbook holds %d finding rows and %d answer rows; the command said %s and %s", len(rows)-1, len(answers)-1, m[2], m[3])
	}

	for _, c := range []struct {
		args []string
		want string
		rows int
	}{
		{[]string{"--out", filepath.Join(outDir, "f.csv")}, "CSV, " + strconv.Itoa(nFindings) + " findings", nFindings},
		{[]string{"--out", filepath.Join(outDir, "a.CSV"), "--sheet", "answers"}, "CSV, " + m[3] + " checklist answers", len(answers) - 1},
	} {
		args := append([]string{"findings", "export", "--workspace", dir, "--date", "2026-11-27"}, c.args...)
		code, out, errs := run(t, nil, args...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Fatalf("%v: exit %d, %q %s", args, code, out, errs)
		}
		b, err := os.ReadFile(c.args[1])
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil || len(recs) != c.rows+1 {
			t.Errorf("%v: %d records (%v), want %d and a header", args, len(recs), err, c.rows)
		}
	}

	bad := filepath.Join(outDir, "bad")
	for _, args := range [][]string{
		{"findings", "--workspace", dir, "--out", bad + ".xlsx"},
		{"findings", "list", "--workspace", dir},
		{"findings", "export", "--workspace", dir},
		{"findings", "export", "--workspace", dir, "--out", bad + ".ods"},
		{"findings", "export", "--workspace", dir, "--out", bad + ".xlsx", "--sheet", "answers"},
		{"findings", "export", "--workspace", dir, "--out", bad + ".csv", "--sheet", "risks"},
		{"findings", "export", "--workspace", dir, "--out", bad + ".csv", "--date", "27.11.2026"},
		{"findings", "export", "--workspace", dir, "--out", bad + ".csv", "extra"},
		{"findings", "export", "--out", bad + ".csv"},
	} {
		if code, _, errs := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage); stderr %s", args, code, errs)
		}
	}
	if m, _ := filepath.Glob(bad + "*"); len(m) != 0 {
		t.Errorf("refused commands left %q", m)
	}
}
