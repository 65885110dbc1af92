package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"
)

func openReport(t *testing.T) (*session, *reportScreen) {
	t.Helper()
	s := demoSession(t)
	r := newReportScreen(s)
	s.win.SetContent(r.build())
	r.refresh()
	return s, r
}

func TestReportGeneratesPDFWithClassification(t *testing.T) {
	needPdftotext(t)
	s, r := openReport(t)
	if r.classification.Text != s.ws.Audit().Classification {
		t.Errorf("classification prefilled %q, audit says %q", r.classification.Text, s.ws.Audit().Classification)
	}
	path := filepath.Join(t.TempDir(), "wtw report")
	r.path.SetText(path)
	r.classification.SetText("")
	test.Type(r.classification, "TLP:AMBER — Greywater Valley internal")
	test.Type(r.version, "0.9 draft")
	r.noZones.SetChecked(true)
	if err := await(t, r.onGenerate); err != nil {
		t.Fatal(err)
	}
	pdf := path + ".pdf"
	if r.written != pdf || !strings.Contains(r.result.Text, "Wrote "+pdf) {
		t.Fatalf("screen says %q (written %q)", r.result.Text, r.written)
	}
	if r.openDir.Disabled() || r.copyPath.Disabled() {
		t.Error("open folder / copy path stay disabled after a report")
	}
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, want := range []string{"TLP:AMBER — Greywater Valley internal", "0.9 draft", "Greywater Valley"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	// The marking is on every page.
	pages := strings.Count(text, "\f")
	if n := strings.Count(text, "TLP:AMBER"); pages < 2 || n < pages {
		t.Errorf("classification printed %d times on %d pages", n, pages)
	}
}

func TestReportBadDateAndCancel(t *testing.T) {
	_, r := openReport(t)
	dir := t.TempDir()
	r.path.SetText(filepath.Join(dir, "r.pdf"))
	r.date.SetText("20 Nov")
	if err := await(t, r.onGenerate); err == nil || !strings.Contains(r.result.Text, "YYYY-MM-DD") {
		t.Fatalf("bad date: %v, says %q", err, r.result.Text)
	}
	// Cancelled at once from the progress dialog (background shows it
	// before the work starts): no file appears. Under -race this tap races
	// with the work's progress updates, which Fyne's test driver runs on the
	// work's goroutine; the real driver runs them on the UI goroutine.
	r.date.SetText("")
	done := make(chan error, 1)
	r.onGenerate(func(err error) { done <- err })
	test.Tap(dialogButton(t, r.s.win, "Cancel"))
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled report returned %v", err)
	}
	if r.result.Text != "Cancelled; no report was written." {
		t.Errorf("after cancel the screen says %q", r.result.Text)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("a cancelled report left %d files, e.g. %s", len(entries), entries[0].Name())
	}
}

// TestReportExportsOSCAL writes each OSCAL model from the OSCAL tab, as
// the user would with the path typed in, and checks the files parse and
// the screen says what was written.
func TestReportExportsOSCAL(t *testing.T) {
	_, r := openReport(t)
	dir := t.TempDir()
	// The proposed name follows the model while the user keeps it.
	if base := filepath.Base(r.oscalPath.Text); !strings.Contains(base, "oscal-results") || filepath.Ext(base) != ".json" {
		t.Errorf("proposed OSCAL file %q", r.oscalPath.Text)
	}
	r.oscalModel.SetSelectedIndex(1)
	if base := filepath.Base(r.oscalPath.Text); !strings.Contains(base, "oscal-poam") {
		t.Errorf("after choosing POA&M the proposed file is %q", r.oscalPath.Text)
	}
	for i, want := range []struct{ top, says string }{
		{"assessment-results", "OSCAL assessment results, "},
		{"plan-of-action-and-milestones", "OSCAL POA&M, "},
		{"catalog", "OSCAL catalog, "},
	} {
		r.oscalModel.SetSelectedIndex(i)
		path := filepath.Join(dir, want.top) // the screen adds .json
		r.oscalPath.SetText("")
		test.Type(r.oscalPath, path)
		if err := await(t, r.onOSCAL); err != nil {
			t.Fatalf("%s: %v (screen says %q)", want.top, err, r.oscalResult.Text)
		}
		b, err := os.ReadFile(path + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &doc) != nil || doc[want.top] == nil {
			t.Errorf("%s: the file is not an OSCAL %s document", want.top, want.top)
		}
		if !strings.HasPrefix(r.oscalResult.Text, "Wrote "+path+".json: "+want.says) {
			t.Errorf("%s: the screen says %q", want.top, r.oscalResult.Text)
		}
	}
	if r.oscalWritten != filepath.Join(dir, "catalog.json") || r.oscalDir.Disabled() || r.oscalCopy.Disabled() {
		t.Errorf("after the exports: written %q, open folder disabled %v", r.oscalWritten, r.oscalDir.Disabled())
	}
	// A path the user chose is not renamed by a change of model.
	r.oscalModel.SetSelectedIndex(0)
	if r.oscalPath.Text != filepath.Join(dir, "catalog") {
		t.Errorf("the chosen path became %q", r.oscalPath.Text)
	}
}

// TestReportWritesWorkbook writes the findings workbook and a CSV from the
// workbook tab and opens the results.
func TestReportWritesWorkbook(t *testing.T) {
	s, r := openReport(t)
	if base := filepath.Base(r.bookPath.Text); !strings.Contains(base, "findings") || filepath.Ext(base) != ".xlsx" {
		t.Errorf("proposed workbook %q", r.bookPath.Text)
	}
	dir := t.TempDir()
	r.bookPath.SetText("")
	test.Type(r.bookPath, filepath.Join(dir, "greywater findings"))
	if err := await(t, r.onWorkbook); err != nil {
		t.Fatalf("%v (screen says %q)", err, r.bookResult.Text)
	}
	path := filepath.Join(dir, "greywater findings.xlsx")
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"About", "Findings", "Answers"}) {
		t.Errorf("sheets %q", got)
	}
	rows, err := x.GetRows("Findings")
	if err != nil {
		t.Fatal(err)
	}
	findings, err := s.ws.Findings()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(findings)+1 || len(findings) == 0 {
		t.Errorf("%d finding rows, the workspace has %d findings", len(rows)-1, len(findings))
	}
	want := fmt.Sprintf("Wrote %s: %d findings and ", path, len(findings))
	if !strings.HasPrefix(r.bookResult.Text, want) || r.bookWritten != path || r.bookOpen.Disabled() || r.bookDir.Disabled() {
		t.Errorf("screen says %q (written %q), want it to start %q", r.bookResult.Text, r.bookWritten, want)
	}

	r.bookPath.SetText(filepath.Join(dir, "f.CSV"))
	if err := await(t, r.onWorkbook); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "f.CSV"))
	if err != nil {
		t.Fatal(err)
	}
	if recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil || len(recs) != len(findings)+1 || recs[0][0] != "ID" {
		t.Errorf("CSV of %d records (%v)", len(recs), err)
	}
	if !strings.Contains(r.bookResult.Text, ": CSV, ") {
		t.Errorf("screen says %q", r.bookResult.Text)
	}

	r.bookPath.SetText("  ")
	if err := await(t, r.onWorkbook); err == nil || !strings.Contains(r.bookResult.Text, "choose where to save") {
		t.Errorf("empty path: %v, screen says %q", err, r.bookResult.Text)
	}
}

// TestReportRedactedCopy writes OSCAL from a redacted copy: the file says
// it is one and holds no auditor's name; back on the whole audit it does.
func TestReportRedactedCopy(t *testing.T) {
	_, r := openReport(t)
	path := filepath.Join(t.TempDir(), "public.json")
	r.redaction.SetSelected("Redacted copy: public-summary")
	r.oscalModel.SetSelectedIndex(0)
	r.oscalPath.SetText(path)
	if err := await(t, r.onOSCAL); err != nil {
		t.Fatalf("%v (screen says %q)", err, r.oscalResult.Text)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "redacted copy: public-summary") || strings.Contains(string(b), "K. Osei") {
		t.Errorf("the redacted OSCAL names the profile? holds an auditor's name?")
	}
	r.redaction.SetSelected(wholeAudit)
	if err := await(t, r.onOSCAL); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "K. Osei") {
		t.Error("the whole audit's OSCAL lacks the auditor")
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
