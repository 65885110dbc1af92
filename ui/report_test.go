package ui

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
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
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) is not installed; .ci/deps.sh installs it")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
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
