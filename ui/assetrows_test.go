package ui

import (
	"testing"

	"fyne.io/fyne/v2/widget"
)

// TestAssetTableRowsAreCompact: in the plant-floor theme the asset table's
// rows keep the large text but not its padding: a row is at most 65 % of a
// plain label's height (30 px against 50). The real window showed 6 rows at
// 1280×800 before and 10 after (docs/screenshots/assets-high-contrast.png);
// the test driver draws no menu bar, so it cannot count rows itself.
func TestAssetTableRowsAreCompact(t *testing.T) {
	sh, _ := newDemoShell(t)
	applyTheme(sh.app, true)
	t.Cleanup(func() { applyTheme(sh.app, false) })
	a := screenOf[*assetsScreen](t, sh, "Assets")
	row := a.table.CreateCell().MinSize().Height
	plain := widget.NewLabel("PLC-101").MinSize().Height
	if row > 0.65*plain {
		t.Errorf("asset rows are %.1f px high, a plain label %.1f px: want at most 65 %%", row, plain)
	}
}
