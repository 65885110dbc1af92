package ui

import (
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/zonewalk/zonewalk/diagram/fonts"
)

// prefHighContrast remembers the plant-floor theme between runs.
const prefHighContrast = "highContrast"

// plantTheme is for reading a laptop in a bright or dim plant: black on
// white, no greys that fade in sunlight, larger text and larger targets
// for gloved or tired hands. Everything else comes from Fyne's theme.
type plantTheme struct{ base fyne.Theme }

var (
	hcBlack   = color.NRGBA{A: 0xff}
	hcWhite   = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	hcBlue    = color.NRGBA{R: 0x00, G: 0x3d, B: 0xa5, A: 0xff} // 9.6:1 on white
	hcRed     = color.NRGBA{R: 0xb0, G: 0x00, B: 0x00, A: 0xff}
	hcGreen   = color.NRGBA{R: 0x00, G: 0x5c, B: 0x1a, A: 0xff}
	hcOrange  = color.NRGBA{R: 0x7a, G: 0x40, B: 0x00, A: 0xff}
	hcGrey    = color.NRGBA{R: 0x44, G: 0x44, B: 0x44, A: 0xff} // still 9.7:1 on white
	hcPale    = color.NRGBA{R: 0xe8, G: 0xe8, B: 0xe8, A: 0xff}
	hcSelect  = color.NRGBA{R: 0xff, G: 0xe0, B: 0x66, A: 0xff} // yellow highlighter
	hcOverlay = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	// hcDisabled is 7:1 on white, yet 3:1 from the black of enabled text, so
	// a disabled button (also without fill) does not pass for an enabled one.
	hcDisabled = color.NRGBA{R: 0x59, G: 0x59, B: 0x59, A: 0xff}
	// hcFocus is laid over what it marks (Fyne blends it into a focused
	// button and fills a focused select or check with it): over
	// white or the pale button it is ≥ 3.5:1 from white and black text on it
	// ≥ 5.3:1; over the blue of a primary button white text stays ≥ 7:1.
	hcFocus = color.NRGBA{R: 0x33, G: 0x66, B: 0xcc, A: 0xc9}
)

func (t plantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameHeaderBackground:
		return hcWhite
	case theme.ColorNameOverlayBackground:
		return hcOverlay
	case theme.ColorNameForeground, theme.ColorNameInputBorder, theme.ColorNameSeparator,
		theme.ColorNameScrollBar:
		return hcBlack
	case theme.ColorNamePlaceHolder:
		return hcGrey
	case theme.ColorNameDisabled:
		return hcDisabled
	case theme.ColorNameDisabledButton:
		return hcWhite // no fill: disabled buttons must not look enabled
	case theme.ColorNameButton, theme.ColorNamePressed, theme.ColorNameHover:
		// Hover also marks the focused row of a list or table, under text
		// in any colour: it stays pale (see TestContrastEveryScreen).
		return hcPale
	case theme.ColorNameFocus:
		return hcFocus
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return hcBlue
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return hcWhite
	case theme.ColorNameForegroundOnWarning:
		return hcWhite
	case theme.ColorNameSelection:
		return hcSelect
	case theme.ColorNameError:
		return hcRed
	case theme.ColorNameSuccess:
		return hcGreen
	case theme.ColorNameWarning:
		return hcOrange
	case theme.ColorNameShadow:
		return color.NRGBA{A: 0x66}
	}
	return t.base.Color(n, theme.VariantLight)
}

func (t plantTheme) Font(s fyne.TextStyle) fyne.Resource     { return textFont(t.base, s) }
func (t plantTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

func (t plantTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 19
	case theme.SizeNameHeadingText:
		return 30
	case theme.SizeNameSubHeadingText:
		return 23
	case theme.SizeNameCaptionText:
		return 16
	case theme.SizeNamePadding:
		return 6
	case theme.SizeNameInnerPadding:
		return 12
	case theme.SizeNameInlineIcon:
		return 26
	case theme.SizeNameInputBorder:
		return 2
	case theme.SizeNameSeparatorThickness:
		return 2
	case theme.SizeNameScrollBar:
		return 20
	case theme.SizeNameScrollBarSmall:
		return 8
	case theme.SizeNameSelectionRadius, theme.SizeNameInputRadius:
		return 2
	}
	return t.base.Size(n)
}

// readableDefault is Fyne's default theme with the colours that failed
// WCAG in its dark variant (measured by TestContrastEveryScreen) replaced:
// help text and disabled text at 1.55:1, focus marks at 1.2–1.4:1, white
// on the primary blue at 4.47:1, tab titles at 4.0:1.
type readableDefault struct{ fyne.Theme }

var (
	// White, not Fyne's #F3F3F3: it leaves room for the focus colour below
	// (white text on it ≥ 4.9:1).
	darkForeground = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	// darkDisabled is ≥ 5:1 on the background, buttons and inputs, and
	// 2.6:1 from enabled text; disabled buttons also lose their fill.
	darkDisabled = color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	// darkPrimary is light enough for tab titles and links on the
	// background (6.6:1), so buttons in it carry dark text (6.6:1).
	darkPrimary   = color.NRGBA{R: 0x5c, G: 0x9d, B: 0xff, A: 0xff}
	darkOnPrimary = color.NRGBA{R: 0x17, G: 0x17, B: 0x18, A: 0xff}
	// darkFocus lightens what it is laid over: over the background, a
	// button, an input or a menu it is ≥ 3.1:1 from the background and
	// white text on it ≥ 4.7:1; a primary button visibly turns paler.
	darkFocus = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff * 35 / 100}
	// darkError is a lighter red than Fyne's (4.2:1 on a hovered or
	// focused list row): 5.3:1 there, 6.2:1 on the background.
	darkError = color.NRGBA{R: 0xff, G: 0x66, B: 0x59, A: 0xff}
)

func (t readableDefault) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	// Always the dark variant: it is the palette the contrast test measures;
	// a light desktop theme would otherwise bring Fyne's light colours,
	// whose disabled grey is #E3E3E3 on white.
	v := theme.VariantDark
	switch n {
	case theme.ColorNameForeground:
		return darkForeground
	case theme.ColorNameDisabled:
		return darkDisabled
	case theme.ColorNameDisabledButton:
		return t.Theme.Color(theme.ColorNameBackground, v)
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return darkPrimary
	case theme.ColorNameForegroundOnPrimary:
		return darkOnPrimary
	case theme.ColorNameFocus:
		return darkFocus
	case theme.ColorNameError:
		return darkError
	}
	return t.Theme.Color(n, v)
}

// highContrast reports whether the plant-floor theme is on.
func highContrast(a fyne.App) bool { return a.Preferences().Bool(prefHighContrast) }

// applyTheme switches between Fyne's theme and the plant-floor theme and
// remembers the choice.
func applyTheme(a fyne.App, high bool) {
	a.Preferences().SetBool(prefHighContrast, high)
	go guiFallback() // made while the window opens, before text is measured
	if high {
		a.Settings().SetTheme(plantTheme{base: theme.DefaultTheme()})
	} else {
		a.Settings().SetTheme(withFallbackFont{readableDefault{theme.DefaultTheme()}})
	}
}

// withFallbackFont is a theme with the CJK fallback font (see textFont).
type withFallbackFont struct{ fyne.Theme }

func (t withFallbackFont) Font(s fyne.TextStyle) fyne.Resource { return textFont(t.Theme, s) }

// textFont is the font resource a theme hands Fyne for style s. Fyne draws
// each character in the first of these that has it: the theme's font,
// Fyne's built-in font of the style (Noto Sans, DejaVu Sans Mono), its
// emoji font, then the system's fonts, which an auditor's laptop may lack
// for Chinese (it showed "��"). So the theme's font is the embedded
// fallback font (diagram/fonts) made to sit in front of Fyne's font
// (fonts.ForGUI): it maps only what Fyne's font lacks, with that font's
// line metrics, so CJK and Hangul come from it and everything else is set
// exactly as before. This assumes base uses Fyne's built-in fonts, as
// both our themes do.
func textFont(base fyne.Theme, s fyne.TextStyle) fyne.Resource {
	if s.Symbol {
		return base.Font(s)
	}
	f := guiFallback
	if s.Monospace {
		f = guiFallbackMono
	}
	if r := f(); r != nil {
		return r
	}
	return base.Font(s)
}

// The fallback fonts for Noto Sans (all its styles have the same metrics)
// and for DejaVu Sans Mono, made on first use (about 0.1 s).
var (
	guiFallback     = sync.OnceValue(func() fyne.Resource { return forGUI(theme.DefaultTextFont()) })
	guiFallbackMono = sync.OnceValue(func() fyne.Resource { return forGUI(theme.DefaultTextMonospaceFont()) })
)

func forGUI(primary fyne.Resource) fyne.Resource {
	b, err := fonts.ForGUI(primary.Content())
	if err != nil {
		fyne.LogError("fallback font for "+primary.Name(), err)
		return nil
	}
	return fyne.NewStaticResource("DroidSansFallback-"+primary.Name(), b)
}
