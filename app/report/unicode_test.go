package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCharacterVanishes: a demo audit with a Chinese asset name holding
// an emoji and a zone named in German, Greek and Chinese. The PDF's text
// has the Chinese and Greek characters (set from the fallback font), the
// emoji as "�", and the last page names the record and field whose
// characters no font has, and no other.
func TestNoCharacterVanishes(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	z := w.Zones()[0]
	z.Name = "Pumpe Süd – Ωmega 水厂"
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range w.Assets() {
		if a.Tag == "PLC-101" {
			a.Name = "泵站 PLC-101 😀"
			if _, err := w.SaveAsset(*a); err != nil {
				t.Fatal(err)
			}
			found = true
		}
	}
	if !found {
		t.Fatal("the demo has no PLC-101")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	res, err := WriteFile(ctx, w, path, Options{Date: fixedDate}, nil)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, path, "unicode-report.pdf")
	qpdfCheck(t, path)
	text := pdfToText(t, path)
	flat := strings.Join(strings.Fields(text), " ")
	mustContain(t, flat, "泵站 PLC-101 \uFFFD", "Pumpe Süd – Ωmega 水厂")
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) != res.Pages {
		t.Fatalf("%d pages, Generate reported %d", len(pages), res.Pages)
	}
	last := strings.Join(strings.Fields(pages[len(pages)-1]), " ")
	mustContain(t, last, "Characters not printed", "asset", "PLC-101", "name", "U+1F600")
	if strings.Contains(last, "水厂") {
		t.Errorf("the last page lists the zone, whose characters all print:\n%s", last)
	}
	checkBounds(t, path)
}

// TestReportWithoutMissingCharacters: the demo as it is needs no warning.
func TestReportWithoutMissingCharacters(t *testing.T) {
	w := demoWorkspace(t)
	path := filepath.Join(t.TempDir(), "report.pdf")
	if _, err := WriteFile(context.Background(), w, path, Options{Date: fixedDate}, nil); err != nil {
		t.Fatal(err)
	}
	if text := pdfToText(t, path); strings.Contains(text, "Characters not printed") || strings.ContainsRune(text, '\uFFFD') {
		t.Error("the demo report warns about characters")
	}
}
