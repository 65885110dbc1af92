package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// compactRows is the app's current theme with little padding inside cells:
// the asset table shows twice the rows at the same text size, which the
// plant-floor theme keeps large (12 rows at 1366×768, not 6). It asks the app each time, so a
// theme switch reaches the table too.
type compactRows struct{}

var _ fyne.Theme = compactRows{}

func (compactRows) current() fyne.Theme { return fyne.CurrentApp().Settings().Theme() }

func (c compactRows) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return c.current().Color(n, v)
}
func (c compactRows) Font(s fyne.TextStyle) fyne.Resource     { return c.current().Font(s) }
func (c compactRows) Icon(n fyne.ThemeIconName) fyne.Resource { return c.current().Icon(n) }

func (c compactRows) Size(n fyne.ThemeSizeName) float32 {
	s := c.current().Size(n)
	if n == theme.SizeNameInnerPadding {
		return min(s, 2)
	}
	return s
}
