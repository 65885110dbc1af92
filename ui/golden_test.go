package ui

import (
	"context"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// TestZonesScreenMarkup pins the Zones screen layout (list, form, SL-T
// grid, rationale, evidence) as golden markup in testdata/zones.xml. After
// an intended change, delete the file, run the test and review the new one.
func TestZonesScreenMarkup(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	ws, err := app.Create(context.Background(), dir, app.Options{Unencrypted: true, Author: "golden"},
		assets.Audit{Title: "Golden audit", Site: "Test site"})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []assets.Zone{
		{Name: "Control", Description: "PLCs of line 1", PurdueLevels: []assets.Purdue{assets.Purdue1},
			SLT: assets.SLVector{2, 2, 3, 1, 2, 1, 3},
			Rationale: assets.Rationale{Safety: 4, Likelihood: 2, TolerableRisk: "Low", Text: "Line stops",
				ApprovedBy: "Plant manager", ApprovedAt: "2026-03-12"}},
		{Name: "Supervisory", PurdueLevels: []assets.Purdue{assets.Purdue2}, SLT: assets.UniformSL(2)},
	} {
		if _, err := ws.SaveZone(z); err != nil {
			t.Fatal(err)
		}
	}
	a := test.NewTempApp(t)
	sh := newShell(a, Options{DemoDir: t.TempDir()})
	sh.attach(ws, false)
	t.Cleanup(sh.shutdown)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	c, _ := ws.ZoneByName("Control")
	z.reveal(assets.Ref{Kind: "zone", ID: c.ID})
	w := test.NewTempWindow(t, sh.views[sh.current])
	w.Resize(fyne.NewSize(1200, 900))
	test.AssertRendersToMarkup(t, "zones.xml", w.Canvas())
}
