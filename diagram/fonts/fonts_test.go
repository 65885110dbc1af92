package fonts

import (
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

func glyph(t *testing.T, f *sfnt.Font, r rune) sfnt.GlyphIndex {
	t.Helper()
	var buf sfnt.Buffer
	g, err := f.GlyphIndex(&buf, r)
	if err != nil {
		t.Fatalf("%U: %v", r, err)
	}
	return g
}

// TestFallbackCoversCJK: the embedded font has the characters the issue
// saw vanish (Chinese, and Japanese and Korean alike) and, as documented,
// no emoji.
func TestFallbackCoversCJK(t *testing.T) {
	f, err := sfnt.Parse(Fallback())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range "泵站水厂ひらがなカタカナ한국어" {
		if glyph(t, f, r) == 0 {
			t.Errorf("%c (%U) not in the fallback font", r, r)
		}
	}
	if glyph(t, f, '😀') != 0 {
		t.Error("the fallback font has emoji after all: update the package doc")
	}
}

// TestOnlyRunes: the rewritten font maps exactly the runes kept, to the
// same glyphs with the same outlines and advances.
func TestOnlyRunes(t *testing.T) {
	orig, err := sfnt.Parse(Fallback())
	if err != nil {
		t.Fatal(err)
	}
	b, err := OnlyRunes(Fallback(), func(r rune) bool { return r != ' ' && r != '站' })
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		t.Fatalf("rewritten font does not parse: %v", err)
	}
	for _, r := range []rune{' ', '站'} {
		if g := glyph(t, f, r); g != 0 {
			t.Errorf("%q still mapped (glyph %d)", r, g)
		}
	}
	var buf sfnt.Buffer
	ppem := fixed.I(1000)
	for _, r := range "泵ひ한" {
		g, want := glyph(t, f, r), glyph(t, orig, r)
		if g != want || g == 0 {
			t.Errorf("%c: glyph %d, want %d", r, g, want)
			continue
		}
		a1, _ := f.GlyphAdvance(&buf, g, ppem, 0)
		a2, _ := orig.GlyphAdvance(&buf, g, ppem, 0)
		s1, err1 := f.LoadGlyph(&buf, g, ppem, nil)
		n1 := len(s1)
		s2, err2 := orig.LoadGlyph(&buf, g, ppem, nil)
		if a1 != a2 || err1 != nil || err2 != nil || n1 != len(s2) || n1 == 0 {
			t.Errorf("%c: outline or advance changed (%v/%v, %d/%d segments, %v %v)", r, a1, a2, n1, len(s2), err1, err2)
		}
	}
	// Every rune the original maps, but the two dropped, is still there.
	n := 0
	for r := rune(0); r < 0x30000; r++ {
		if g := glyph(t, orig, r); g != 0 && r != ' ' && r != '站' {
			n++
			if glyph(t, f, r) != g {
				t.Fatalf("%U: mapping changed", r)
			}
		}
	}
	if n < 30000 {
		t.Errorf("only %d runes mapped", n)
	}
}

func TestInvisible(t *testing.T) {
	for _, r := range []rune{'\u200d', '\ufe0f', '\u00ad', '\u202e', '\x07'} {
		if !Invisible(r) {
			t.Errorf("%U should be invisible", r)
		}
	}
	for _, r := range []rune{'a', '泵', '😀', Replacement, ' '} {
		if Invisible(r) {
			t.Errorf("%U should print", r)
		}
	}
}

// TestForGUI: the GUI's fallback font has the primary font's vertical
// metrics and space width at any size, maps nothing else the primary has,
// and draws CJK at the size the original does.
func TestForGUI(t *testing.T) {
	primary := goregular.TTF
	b, err := ForGUI(primary)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(b)
	if err != nil {
		t.Fatalf("GUI font does not parse: %v", err)
	}
	p, _ := sfnt.Parse(primary)
	orig, _ := sfnt.Parse(Fallback())
	var buf sfnt.Buffer
	if f.UnitsPerEm() != p.UnitsPerEm() {
		t.Errorf("units per em %d, want %d", f.UnitsPerEm(), p.UnitsPerEm())
	}
	for _, ppem := range []fixed.Int26_6{fixed.I(12), fixed.I(14), fixed.I(19), fixed.I(30)} {
		m1, err1 := f.Metrics(&buf, ppem, font.HintingNone)
		m2, err2 := p.Metrics(&buf, ppem, font.HintingNone)
		if err1 != nil || err2 != nil || m1.Ascent != m2.Ascent || m1.Descent != m2.Descent || m1.Height != m2.Height {
			t.Errorf("at %v: metrics %+v, primary %+v (%v %v)", ppem, m1, m2, err1, err2)
		}
		a1, _ := f.GlyphAdvance(&buf, glyph(t, f, ' '), ppem, font.HintingNone)
		a2, _ := p.GlyphAdvance(&buf, glyph(t, p, ' '), ppem, font.HintingNone)
		if a1 != a2 {
			t.Errorf("at %v: space advance %v, primary %v", ppem, a1, a2)
		}
		for _, r := range "泵站ひ한" {
			b1, a1, err1 := f.GlyphBounds(&buf, glyph(t, f, r), ppem, font.HintingNone)
			b2, a2, err2 := orig.GlyphBounds(&buf, glyph(t, orig, r), ppem, font.HintingNone)
			tol := ppem / 50
			d := func(x, y fixed.Int26_6) bool { return x-y > tol || y-x > tol }
			if err1 != nil || err2 != nil || d(a1, a2) || d(b1.Min.X, b2.Min.X) || d(b1.Max.Y, b2.Max.Y) || d(b1.Max.X, b2.Max.X) || d(b1.Min.Y, b2.Min.Y) {
				t.Errorf("at %v: %c bounds %v advance %v, original %v %v (%v %v)", ppem, r, b1, a1, b2, a2, err1, err2)
			}
		}
	}
	for _, r := range "AaΩ–€\uFFFD" {
		if glyph(t, f, r) != 0 {
			t.Errorf("%q is mapped although the primary font has it", r)
		}
	}
	// Every glyph still loads (composites included).
	for g := range f.NumGlyphs() {
		if _, err := f.LoadGlyph(&buf, sfnt.GlyphIndex(g), fixed.I(20), nil); err != nil && err != sfnt.ErrColoredGlyph {
			t.Fatalf("glyph %d: %v", g, err)
		}
	}
}

// BenchmarkForGUI: what the GUI pays once, on first use of a text style.
func BenchmarkForGUI(b *testing.B) {
	for b.Loop() {
		if _, err := ForGUI(goregular.TTF); err != nil {
			b.Fatal(err)
		}
	}
}
