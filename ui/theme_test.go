package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		lin := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestPlantThemeReadable: every colour text is drawn in reaches WCAG AAA
// (7:1) on the background, including hints and disabled text, which the
// default theme greys out below that.
func TestPlantThemeReadable(t *testing.T) {
	th := plantTheme{base: theme.DefaultTheme()}
	bg := th.Color(theme.ColorNameBackground, theme.VariantDark)
	for _, n := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameError,
		theme.ColorNameSuccess, theme.ColorNameWarning, theme.ColorNameDisabled, theme.ColorNamePlaceHolder,
		theme.ColorNameHyperlink} {
		if c := contrast(th.Color(n, theme.VariantDark), bg); c < 7 {
			t.Errorf("%s: contrast %.1f:1 on the background, want 7:1", n, c)
		}
	}
	if c := contrast(th.Color(theme.ColorNameForeground, 0), th.Color(theme.ColorNameSelection, 0)); c < 7 {
		t.Errorf("selected text contrast %.1f:1", c)
	}
	if c := contrast(th.Color(theme.ColorNameForegroundOnPrimary, 0), th.Color(theme.ColorNamePrimary, 0)); c < 7 {
		t.Errorf("text on primary buttons: contrast %.1f:1", c)
	}
	def := theme.DefaultTheme()
	for _, n := range []fyne.ThemeSizeName{theme.SizeNameText, theme.SizeNameInnerPadding, theme.SizeNameInlineIcon, theme.SizeNameScrollBar} {
		if th.Size(n) <= def.Size(n) {
			t.Errorf("%s: %v is not larger than the default %v", n, th.Size(n), def.Size(n))
		}
	}
}

// TestDefaultThemeIgnoresTheDesktopVariant: on a desktop set to a light
// theme the default theme still paints the measured dark palette.
func TestDefaultThemeIgnoresTheDesktopVariant(t *testing.T) {
	a := test.NewTempApp(t)
	applyTheme(a, false)
	th := a.Settings().Theme()
	for _, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameForeground,
		theme.ColorNameDisabled, theme.ColorNamePlaceHolder, theme.ColorNameButton, theme.ColorNameInputBackground} {
		if light, dark := th.Color(n, theme.VariantLight), th.Color(n, theme.VariantDark); light != dark {
			t.Errorf("%s: %v on a light desktop, %v on a dark one", n, light, dark)
		}
	}
}
