package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestAssetTableShowsTwelveRows: in the plant-floor theme at 1366×768 the
// asset table shows at least 12 whole rows (it showed 6). Header and rows
// are labels themed alike, so the header's height is a row's.
func TestAssetTableShowsTwelveRows(t *testing.T) {
	sh, _ := newDemoShell(t)
	applyTheme(sh.app, true)
	t.Cleanup(func() { applyTheme(sh.app, false) })
	sh.win.Resize(fyne.NewSize(1366, 768))
	a := screenOf[*assetsScreen](t, sh, "Assets")
	var row float32
	for _, o := range test.LaidOutObjects(a.table) {
		if l, ok := o.(*widget.Label); ok && l.Text == assetColumns[0].title {
			row = l.Size().Height
		}
	}
	if row == 0 {
		t.Fatal("no header cell found")
	}
	if n := int((a.table.Size().Height - row) / row); n < 12 {
		t.Errorf("%d whole rows of %.0f px in a %.0f px table, want at least 12", n, row, a.table.Size().Height)
	}
}
