package ui

import (
	"image"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/image/font/sfnt"
)

// The text of the issue: a Chinese asset name among Latin and Greek, plus
// Japanese and Korean, which the fallback font covers too.
const cjkSample = "泵站 PLC-101 – Ωmega ひらがな 한국"

// fyneFallback is the font Fyne itself tries after the theme's font for a
// style (internal/painter/font.go, CachedFontFace).
func fyneFallback(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Monospace:
		return theme.DefaultTextMonospaceFont()
	case s.Bold && s.Italic:
		return theme.DefaultTextBoldItalicFont()
	case s.Bold:
		return theme.DefaultTextBoldFont()
	case s.Italic:
		return theme.DefaultTextItalicFont()
	}
	return theme.DefaultTextFont()
}

// TestThemeFontsCoverCJK: in both themes and every text style, each rune
// of the sample is in the chain of embedded fonts the theme hands Fyne
// (theme font, Fyne's font of the style, its emoji font), so no rune
// depends on the laptop's system fonts. Latin and Greek still come from
// Fyne's own font, so their look and line height are unchanged.
func TestThemeFontsCoverCJK(t *testing.T) {
	a := test.NewTempApp(t)
	parse := map[fyne.Resource]*sfnt.Font{}
	font := func(r fyne.Resource) *sfnt.Font {
		if f, ok := parse[r]; ok {
			return f
		}
		f, err := sfnt.Parse(r.Content())
		if err != nil {
			t.Fatalf("%s: %v", r.Name(), err)
		}
		parse[r] = f
		return f
	}
	var buf sfnt.Buffer
	has := func(r fyne.Resource, c rune) bool {
		g, err := font(r).GlyphIndex(&buf, c)
		return err == nil && g != 0
	}
	for _, high := range []bool{false, true} {
		applyTheme(a, high)
		th := a.Settings().Theme()
		for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
			chain := []fyne.Resource{th.Font(s), fyneFallback(s), theme.DefaultEmojiFont()}
			for _, c := range cjkSample {
				var first fyne.Resource
				for _, r := range chain {
					if has(r, c) {
						first = r
						break
					}
				}
				switch {
				case first == nil:
					t.Errorf("high contrast %v, %+v: %q (%U) is in none of the fonts", high, s, c, c)
				case c < 0x2000 && c != ' ' && first != fyneFallback(s):
					t.Errorf("high contrast %v, %+v: %q is set in %s, not in Fyne's %s", high, s, c, first.Name(), fyneFallback(s).Name())
				}
			}
		}
	}
}

// capture draws o in a window in the current theme.
func capture(t *testing.T, o fyne.CanvasObject) *image.NRGBA {
	t.Helper()
	w := test.NewTempWindow(t, o)
	w.Resize(fyne.NewSize(300, 50))
	img := w.Canvas().Capture()
	out := image.NewNRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

func samePixels(a, b *image.NRGBA) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			return false
		}
	}
	return true
}

// TestCJKLabelRenders: drawn by Fyne's painter, 泵 and 站 come out as two
// different glyphs, neither of them the "�" Fyne draws for a character no
// font has (which is what the auditor saw). Needs no CJK system font: CI
// installs none.
func TestCJKLabelRenders(t *testing.T) {
	a := test.NewTempApp(t)
	for _, high := range []bool{false, true} {
		applyTheme(a, high)
		label := func(s string) *image.NRGBA { return capture(t, widget.NewLabel(s)) }
		pump, station, repl := label("泵"), label("站"), label("\uFFFD")
		if samePixels(pump, repl) || samePixels(station, repl) {
			t.Errorf("high contrast %v: a Chinese character is drawn as the replacement character", high)
		}
		if samePixels(pump, station) {
			t.Errorf("high contrast %v: 泵 and 站 are drawn alike", high)
		}
	}
}

// fyneFonts is a theme with Fyne's own fonts, as before the fallback font.
type fyneFonts struct{ fyne.Theme }

func (fyneFonts) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// TestFallbackFontLeavesLatinAlone: text without CJK, in every style and
// both themes, draws pixel for pixel and measures as with Fyne's fonts
// alone: the fallback font changes no line height, baseline or space.
func TestFallbackFontLeavesLatinAlone(t *testing.T) {
	a := test.NewTempApp(t)
	texts := []string{"PLC-101 – Ωmega Süd", " ", "a  b\tc", "Pumpe (Nord) 1,5 m³/h"}
	for _, high := range []bool{false, true} {
		applyTheme(a, high)
		with := a.Settings().Theme()
		for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Monospace: true}} {
			shot := func(th fyne.Theme, text string) (*image.NRGBA, fyne.Size) {
				a.Settings().SetTheme(th)
				l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, s)
				return capture(t, l), l.MinSize()
			}
			for _, text := range texts {
				img1, size1 := shot(with, text)
				img2, size2 := shot(fyneFonts{with}, text)
				if size1 != size2 || !samePixels(img1, img2) {
					t.Errorf("high contrast %v, %+v, %q: differs from Fyne's fonts alone (min size %v, want %v)", high, s, text, size1, size2)
				}
			}
		}
	}
}
