package diagram

import (
	"fmt"
	"image"
	"strings"
	"sync"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/zonewalk/zonewalk/diagram/fonts"
)

// The Go fonts are embedded so PNG and PDF output look the same on every
// machine; they cover Latin, Greek and Cyrillic (WGL4), enough for names
// like "Zone Ü – Süd". Characters they lack (Chinese, Japanese, Korean)
// come from the embedded fallback font of package fonts; characters no
// font has (most emoji) are drawn as U+FFFD, so none vanishes.

// fontTTF returns the TrueType bytes for a style.
func fontTTF(bold, italic bool) []byte {
	switch {
	case bold && italic:
		return gobolditalic.TTF
	case bold:
		return gobold.TTF
	case italic:
		return goitalic.TTF
	}
	return goregular.TTF
}

var (
	fontsOnce sync.Once
	goFonts   [4]*opentype.Font
	fontsErr  error
)

func fontIndex(bold, italic bool) int {
	i := 0
	if bold {
		i |= 1
	}
	if italic {
		i |= 2
	}
	return i
}

func parsedFont(bold, italic bool) (*opentype.Font, error) {
	fontsOnce.Do(func() {
		for i := range goFonts {
			f, err := opentype.Parse(fontTTF(i&1 != 0, i&2 != 0))
			if err != nil {
				fontsErr = fmt.Errorf("embedded Go font: %w", err)
				return
			}
			goFonts[i] = f
		}
	})
	if fontsErr != nil {
		return nil, fontsErr
	}
	return goFonts[fontIndex(bold, italic)], nil
}

// faceCache holds font faces by style and pixel size for one painting.
type faceCache map[faceKey]font.Face

type faceKey struct {
	style int
	size  float64 // pixels, rounded to a quarter
}

func (c faceCache) face(bold, italic bool, px float64) (font.Face, error) {
	k := faceKey{fontIndex(bold, italic), float64(int(px*4+0.5)) / 4}
	if f, ok := c[k]; ok {
		return f, nil
	}
	otf, err := parsedFont(bold, italic)
	if err != nil {
		return nil, err
	}
	fb, err := fallbackFont()
	if err != nil {
		return nil, err
	}
	opts := &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone}
	f, err := opentype.NewFace(otf, opts)
	if err != nil {
		return nil, err
	}
	g, err := opentype.NewFace(fb, opts)
	if err != nil {
		return nil, err
	}
	c[k] = &chainFace{primary: f, fallback: g, pf: otf, ff: fb}
	return c[k], nil
}

var fallbackFont = sync.OnceValues(func() (*opentype.Font, error) {
	f, err := opentype.Parse(fonts.Fallback())
	if err != nil {
		return nil, fmt.Errorf("embedded fallback font: %w", err)
	}
	return f, nil
})

// Which font draws a rune.
const (
	fromPrimary = iota
	fromFallback
	replaced  // no font has it: drawn as fonts.Replacement from the primary
	invisible // prints as nothing by design (joiners, variation selectors)
)

func hasGlyph(f *sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	g, err := f.GlyphIndex(buf, r)
	return err == nil && g != 0
}

func source(primary, fallback *sfnt.Font, buf *sfnt.Buffer, r rune) int {
	switch {
	case fonts.Invisible(r):
		return invisible
	case hasGlyph(primary, buf, r):
		return fromPrimary
	case hasGlyph(fallback, buf, r):
		return fromFallback
	}
	return replaced
}

// chainFace is a Go font face that takes the glyphs the Go font lacks from
// the fallback font, and draws U+FFFD for those neither has. Like any
// font.Face it serves one goroutine at a time.
type chainFace struct {
	primary, fallback font.Face
	pf, ff            *sfnt.Font
	buf               sfnt.Buffer
}

func (c *chainFace) pick(r rune) (font.Face, rune, bool) {
	switch source(c.pf, c.ff, &c.buf, r) {
	case fromPrimary:
		return c.primary, r, true
	case fromFallback:
		return c.fallback, r, true
	case replaced:
		return c.primary, fonts.Replacement, true
	}
	return nil, r, false
}

func (c *chainFace) Glyph(dot fixed.Point26_6, r rune) (image.Rectangle, image.Image, image.Point, fixed.Int26_6, bool) {
	f, r, ok := c.pick(r)
	if !ok {
		return image.Rectangle{}, nil, image.Point{}, 0, false
	}
	return f.Glyph(dot, r)
}

func (c *chainFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	f, r, ok := c.pick(r)
	if !ok {
		return fixed.Rectangle26_6{}, 0, false
	}
	return f.GlyphBounds(r)
}

func (c *chainFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	f, r, ok := c.pick(r)
	if !ok {
		return 0, false
	}
	return f.GlyphAdvance(r)
}

// Kern kerns pairs within the Go font only; the fallback font is set solid.
func (c *chainFace) Kern(a, b rune) fixed.Int26_6 {
	fa, ra, _ := c.pick(a)
	fb, rb, _ := c.pick(b)
	if fa != c.primary || fb != c.primary {
		return 0
	}
	return c.primary.Kern(ra, rb)
}

func (c *chainFace) Metrics() font.Metrics { return c.primary.Metrics() }

func (c *chainFace) Close() error {
	err := c.primary.Close()
	if err2 := c.fallback.Close(); err == nil {
		err = err2
	}
	return err
}

func (c faceCache) close() {
	for _, f := range c {
		_ = f.Close()
	}
}

func fixedToFloat[T ~int32](v T) float64 { return float64(v) / 64 }

var (
	measureMu    sync.Mutex
	measureFaces = faceCache{}
)

// measure is the width in points of text in the Go font at size points;
// 0 if the embedded font cannot be read (then callers fall back to
// Graphviz's own sizing).
func measure(text string, bold bool, size float64) float64 {
	measureMu.Lock()
	defer measureMu.Unlock()
	f, err := measureFaces.face(bold, false, size)
	if err != nil {
		return 0
	}
	return fixedToFloat(font.MeasureString(f, text))
}

// pdfFallbackFamily names the fallback font inside a PDF.
const pdfFallbackFamily = "ZonewalkGo-Fallback"

// pdfRun is a stretch of text set in one font.
type pdfRun struct {
	family string
	text   string
}

// pdfRuns splits text into runs by the font that draws each rune, as
// chainFace does for PNG: the Go font of the style, else the fallback font,
// else U+FFFD in the Go font; invisible runes are left out.
func pdfRuns(text string, bold, italic bool) ([]pdfRun, error) {
	pf, err := parsedFont(bold, italic)
	if err != nil {
		return nil, err
	}
	ff, err := fallbackFont()
	if err != nil {
		return nil, err
	}
	var (
		buf  sfnt.Buffer
		runs []pdfRun
		cur  strings.Builder
		fam  string
	)
	flush := func() {
		if cur.Len() > 0 {
			runs = append(runs, pdfRun{fam, cur.String()})
			cur.Reset()
		}
	}
	for _, r := range text {
		f := pdfFamily(bold, italic)
		switch source(pf, ff, &buf, r) {
		case invisible:
			continue
		case fromFallback:
			f = pdfFallbackFamily
		case replaced:
			r = fonts.Replacement
		}
		if f != fam {
			flush()
			fam = f
		}
		cur.WriteRune(r)
	}
	flush()
	return runs, nil
}

// ensureFallback adds the fallback font to the document once. It is added
// only to documents that need it: gopdf takes about 0.1 s to read it.
func ensureFallback(pdf *gopdf.GoPdf) error {
	if pdf.SetFont(pdfFallbackFamily, "", 10) == nil {
		return nil
	}
	if err := pdf.AddTTFFontData(pdfFallbackFamily, fonts.Fallback()); err != nil {
		return fmt.Errorf("embed font %s: %w", pdfFallbackFamily, err)
	}
	return nil
}
