package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// menuBarHeight is the height of the menu bar Fyne draws inside the window
// on Linux and Windows, which the test driver leaves out: an item's text
// line plus the inner padding (fyne internal/driver/glfw/menu_bar_item.go),
// 38 px in high contrast and 27 px in the default theme, as under Xvfb.
func menuBarHeight() float32 {
	th := fyne.CurrentApp().Settings().Theme()
	line := fyne.MeasureText("File", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height
	return line + th.Size(theme.SizeNameInnerPadding)
}

// wholeRows counts the asset rows whose tag can be read whole: the tag's
// text lies entirely inside what the table's scroller shows.
func wholeRows(sh *shell, a *assetsScreen) int {
	tags := map[string]bool{}
	for _, r := range a.rows {
		tags[r.Tag] = true
	}
	n := 0
	for _, d := range paintOrder(sh.win.Canvas()) {
		tx, ok := d.obj.(*canvas.Text)
		if !ok || !tags[tx.Text] {
			continue
		}
		end := d.pos.Add(fyne.NewPos(tx.Size().Width, tx.Size().Height))
		clipEnd := d.clipPos.Add(fyne.NewPos(d.clipSize.Width, d.clipSize.Height))
		if d.pos.X >= d.clipPos.X && d.pos.Y >= d.clipPos.Y && end.X <= clipEnd.X && end.Y <= clipEnd.Y {
			n++
		}
	}
	return n
}

// TestAssetTableRows: an auditor sees at least 12 whole asset rows in a
// 1366×768 or 1280×800 window and 18 at 1920×1080, in both themes. It was
// 5, 6 and 11 in the plant-floor theme (11, 12 and 19 in the default one):
// padded labels made a row 56 px high there. The window is made as tall as
// the real one's content below Fyne's menu bar; the counts agree with
// screenshots of the real window under Xvfb.
func TestAssetTableRows(t *testing.T) {
	want := map[bool]map[fyne.Size]int{
		true:  {{Width: 1366, Height: 768}: 12, {Width: 1280, Height: 800}: 12, {Width: 1920, Height: 1080}: 18},
		false: {{Width: 1366, Height: 768}: 12, {Width: 1280, Height: 800}: 12, {Width: 1920, Height: 1080}: 18},
	}
	for _, high := range []bool{true, false} {
		for size, min := range want[high] {
			t.Run(fmt.Sprintf("%s-%vx%v", themeName(high), size.Width, size.Height), func(t *testing.T) {
				sh := newThemedShell(t, high, size)
				sh.win.Resize(fyne.NewSize(size.Width, size.Height-menuBarHeight()))
				a := screenOf[*assetsScreen](t, sh, "Assets")
				if len(a.rows) < 30 {
					t.Fatalf("the demo lists %d assets, too few to fill the table", len(a.rows))
				}
				n := wholeRows(sh, a)
				t.Logf("%d whole rows in a %v px table", n, a.table.Size().Height)
				if n < min {
					t.Errorf("%d whole asset rows, want at least %d", n, min)
				}
			})
		}
	}
}
