package app_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// TestFindingsFollowTheData: findings are brought up to date by whoever
// reads them after the data changed, keeping the auditor's status, and are
// not recomputed while nothing changed.
func TestFindingsFollowTheData(t *testing.T) {
	ctx := context.Background()
	today := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.FindingsCurrent(today) {
		t.Fatal("a new demo's (empty) findings count as current")
	}
	fs, err := w.CurrentFindings(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	open := func(fs []checks.Finding) (n int) {
		for _, f := range fs {
			if f.Status == checks.StatusOpen {
				n++
			}
		}
		return n
	}
	if open(fs) < 50 || !w.FindingsCurrent(today) {
		t.Fatalf("demo: %d open findings, current %v; want the ~76 the checks raise", open(fs), w.FindingsCurrent(today))
	}
	if w.FindingsCurrent(today.AddDate(0, 0, 1)) {
		t.Error("findings of yesterday count as current tomorrow (review-age rules depend on the day)")
	}
	// The auditor accepts one; nothing else changes: no recomputation undoes it.
	accepted := fs[0]
	if _, err := w.SetFindingStatus(ctx, accepted.ID, checks.StatusAccepted, "compensated by the site's own procedure"); err != nil {
		t.Fatal(err)
	}
	// A change to the model: a new asset without firmware in a zone.
	z := w.Zones()[0]
	if _, err := w.SaveAsset(assets.Asset{Tag: "NEW-PLC-1", Type: assets.TypePLC, Zone: z.ID}); err != nil {
		t.Fatal(err)
	}
	if w.FindingsCurrent(today) {
		t.Fatal("findings still count as current after an asset was added")
	}
	fs2, err := w.CurrentFindings(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	var sawNew, kept bool
	for _, f := range fs2 {
		for _, c := range f.Covers {
			if c == w.FilterAssets(app.AssetFilter{Text: "NEW-PLC-1"})[0].ID {
				sawNew = true
			}
		}
		if f.ID == accepted.ID && (f.Status == checks.StatusAccepted || f.Status == checks.StatusOpen && f.Resolution != "") {
			kept = true
		}
	}
	if !sawNew {
		t.Error("no finding covers the new asset after the refresh")
	}
	if !kept {
		t.Error("the auditor's acceptance was lost by the refresh")
	}
	// Nothing changed: reading again writes nothing.
	before := w.Store().Clock()
	if _, err := w.CurrentFindings(ctx, today); err != nil {
		t.Fatal(err)
	}
	if after := w.Store().Clock(); after != before {
		t.Errorf("an unchanged audit's findings were rewritten: clock %v → %v", before, after)
	}
}
