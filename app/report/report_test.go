package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// TestDemoReport writes the report of the demo audit and reads it back.
func TestDemoReport(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	path := filepath.Join(t.TempDir(), "report.pdf")
	var steps []Progress
	res, err := WriteFile(ctx, w, path, Options{Date: fixedDate, Version: "2.1"}, func(p Progress) { steps = append(steps, p) })
	if err != nil {
		t.Fatal(err)
	}
	keep(t, path, "demo-report.pdf")
	qpdfCheck(t, path)

	text := pdfToText(t, path)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) != res.Pages {
		t.Fatalf("pdftotext found %d pages, Generate reported %d", len(pages), res.Pages)
	}
	flat := strings.Join(strings.Fields(text), " ")
	audit := w.Audit()
	mustContain(t, flat, audit.Title, "Executive summary", "Appendix A: Asset inventory", res.Digest, "Report version 2.1")

	for _, z := range w.Zones() {
		mustContain(t, flat, "Zone: "+z.Name)
	}
	mustContain(t, flat, umlautZone, "Überlaufbecken-Schaltschrank unverschlossen", "PLC-SÜD-01")

	// Every page: classification and "Page n of m".
	for i, p := range pages {
		one := strings.Join(strings.Fields(p), " ")
		mustContain(t, one, assets.DefaultClassification, fmt.Sprintf("Page %d of %d", i+1, len(pages)))
	}

	// Every finding that is not closed is described, with its recommendation.
	fs, err := w.Findings()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		mustContain(t, flat, strings.Join(strings.Fields(f.Title), " "))
		if f.Status != checks.StatusClosed && f.Recommendation != "" {
			mustContain(t, flat, strings.Join(strings.Fields(f.Recommendation), " "))
		}
	}

	// SL values: the SCADA zone's SL-A as the report computes it from the
	// answers, in the zone table of the model section.
	layout := strings.Join(strings.Fields(pdfToText(t, path, "-layout")), " ")
	answers, err := w.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range w.Zones() {
		sc, err := checklist.ScoreZone(checklist.BuiltinByID(checklist.IEC62443_3_3_2013), z.ID, z.SLT, answers)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, flat, z.SLT.String())
		if z.Name == umlautZone {
			mustContain(t, layout, "Achieved level (SL-A) "+sc.SLA.String())
		}
	}

	// Nothing is set outside the margins: every word's box, as poppler
	// reads it, lies within the page's text area (header and footer lines
	// included).
	checkBounds(t, path)

	// Contents: each entry's page number is the page the heading is on.
	checkContents(t, pages)

	// Evidence: the photos are in, the text file and the damaged JPEG are named.
	if res.Photos != 5 {
		t.Errorf("photos shown: %d, want 5 (3 JPEG, 1 PNG, 1 orphan JPEG in the appendix)", res.Photos)
	}
	mustContain(t, flat, "File not shown: inspection-notes.txt", "File not shown: broken.jpg", "File not shown: vpn-config.pdf")

	// Progress ran from 0 to 1 without going back.
	last := -1.0
	for _, p := range steps {
		if p.Fraction < last-1e-9 {
			t.Fatalf("progress went back from %.3f to %.3f at %q", last, p.Fraction, p.Step)
		}
		last = p.Fraction
	}
	if last != 1 {
		t.Errorf("progress ended at %.3f", last)
	}
}

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("report text lacks %q", w)
		}
	}
}

var tocLine = regexp.MustCompile(`^\s*(.+?)[\s.]+(\d+)\s*$`)

// checkContents reads the contents pages and checks each entry's page
// number against the page its heading is on.
func checkContents(t *testing.T, pages []string) {
	t.Helper()
	n := 0
	for i := 1; i < len(pages); i++ {
		if i > 1 && strings.Contains(pages[i], "Executive summary") && !strings.Contains(pages[i], "Contents") && n > 0 {
			break
		}
		for _, line := range strings.Split(pages[i], "\n") {
			m := tocLine.FindStringSubmatch(line)
			if m == nil || strings.HasPrefix(strings.TrimSpace(line), "Page ") || strings.HasPrefix(strings.TrimSpace(line), "Report version") {
				continue
			}
			title := strings.TrimRight(strings.TrimSpace(m[1]), " .")
			title = strings.TrimSuffix(title, "…")
			p, _ := strconv.Atoi(m[2])
			if p < 1 || p > len(pages) {
				t.Errorf("contents entry %q points to page %d of %d", title, p, len(pages))
				continue
			}
			if !strings.Contains(strings.Join(strings.Fields(pages[p-1]), " "), strings.Join(strings.Fields(title), " ")) {
				t.Errorf("contents entry %q says page %d, which does not show it", title, p)
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("found only %d contents entries", n)
	}
}

// TestCancel stops a report half way; no file appears and the error says
// it was cancelled.
func TestCancel(t *testing.T) {
	w := demoWorkspace(t)
	path := filepath.Join(t.TempDir(), "report.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	var at time.Time
	_, err := WriteFile(ctx, w, path, Options{Date: fixedDate}, func(p Progress) {
		if p.Fraction > 0.5 && at.IsZero() {
			at = time.Now()
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(at); d > 2*time.Second {
		t.Errorf("report returned %v after cancel", d)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 0 {
		t.Fatalf("cancelled report left %d files, first %s", len(entries), entries[0].Name())
	}
}

var wordBox = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)

// checkBounds reads every word's position with pdftotext -bbox and fails
// on any word outside the margins.
func checkBounds(t *testing.T, path string) {
	t.Helper()
	html := pdfToText(t, path, "-bbox")
	pages := strings.Split(html, "<page ")
	n, words := 0, 0
	for p, page := range pages[1:] {
		for _, m := range wordBox.FindAllStringSubmatch(page, -1) {
			words++
			f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
			x0, y0, x1, y1 := f(1), f(2), f(3), f(4)
			if x0 < marginL-0.5 || x1 > pageW-marginR+0.5 || y0 < 20 || y1 > pageH-20 {
				t.Errorf("page %d: word %q at x %.1f–%.1f, y %.1f–%.1f is outside the text area", p+1, m[5], x0, x1, y0, y1)
				if n++; n > 10 {
					t.Fatal("too many words outside the text area")
				}
			}
		}
	}
	if words < 1000 {
		t.Fatalf("pdftotext -bbox found only %d words", words)
	}
}

// TestEmptyAudit: a new audit with nothing in it still gives a complete,
// valid report.
func TestEmptyAudit(t *testing.T) {
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "Leeres Audit – Süd"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(t.TempDir(), "empty.pdf")
	res, err := WriteFile(ctx, w, path, Options{Date: fixedDate, Classification: "Intern"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	qpdfCheck(t, path)
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	// Even an empty audit has findings: the checks say what is missing.
	mustContain(t, flat, "Leeres Audit – Süd", "No zones are defined.", "open or accepted, described below", "No evidence files are attached", "Intern",
		fmt.Sprintf("Page %d of %d", res.Pages, res.Pages))
	if res.Photos != 0 || res.Pages < 8 {
		t.Errorf("empty audit: %d pages, %d photos", res.Pages, res.Photos)
	}
}

func TestBadOptions(t *testing.T) {
	w := demoWorkspace(t)
	for _, o := range []Options{
		{Classification: strings.Repeat("secret ", 40)},
		{Version: "1.0\nsecond line"},
		{PhotoEdge: -1},
	} {
		_, err := Generate(context.Background(), w, io.Discard, o, nil)
		if !errors.Is(err, ErrOption) {
			t.Errorf("%+v: err = %v, want ErrOption", o, err)
		}
	}
	// Cancelled before it starts: nothing is done.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Generate(ctx, w, io.Discard, Options{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

// TestLargeZoneDrawnInGroups: a zone with more assets than a page can show
// one by one is drawn as boxes per type with counts, every asset counted.
func TestLargeZoneDrawnInGroups(t *testing.T) {
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "Big cell"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	z, err := w.SaveZone(assets.Zone{Name: "Packing line", SLT: assets.UniformSL(2), PurdueLevels: []assets.Purdue{assets.Purdue1}})
	if err != nil {
		t.Fatal(err)
	}
	for i := range paperDetailAssets + 5 {
		a := assets.Asset{Tag: fmt.Sprintf("IO-%02d", i), Type: assets.TypeSensor, Purdue: assets.Purdue1, Zone: z.ID, Vendor: "Acme", Model: "R-8"}
		if i < 3 {
			a.Type, a.Model = assets.TypePLC, "P-1"
		}
		if _, err := w.SaveAsset(a); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "big.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate}, nil); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "3 × PLC", fmt.Sprintf("%d × %s", paperDetailAssets+2, assets.TypeSensor.Label()), "Acme R-8 (42)")
}
