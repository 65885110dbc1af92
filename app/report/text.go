package report

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"

	"github.com/zonewalk/zonewalk/diagram/fonts"
)

// fontID names one of the embedded fonts: the Go fonts, and the fallback
// font (package diagram/fonts) for the characters they lack, such as
// Chinese. Text is set in runs: each rune in its style's Go font when
// that has it, else in the fallback font; a rune neither has is printed
// as U+FFFD from the Go font and named on the report's last page.
type fontID int

const (
	regular fontID = iota
	bold
	italic
	mono
	fallback // embedded in a document only when used: gopdf takes 0.1 s to read it
	numFonts
)

// Family names inside the PDF; the prefix keeps them apart from the fonts
// package diagram adds to the same document.
var fontFamilies = [numFonts]string{"ZWReport", "ZWReport-Bold", "ZWReport-Italic", "ZWReport-Mono", "ZWReport-Fallback"}

func fontData(f fontID) []byte {
	switch f {
	case fallback:
		return fonts.Fallback()
	case bold:
		return gobold.TTF
	case italic:
		return goitalic.TTF
	case mono:
		return gomono.TTF
	}
	return goregular.TTF
}

// addFonts embeds the Go fonts (gopdf subsets them on output).
func addFonts(pdf *gopdf.GoPdf) error {
	for f := range fallback {
		if err := pdf.AddTTFFontData(fontFamilies[f], fontData(f)); err != nil {
			return fmt.Errorf("report: embed font %s: %w", fontFamilies[f], err)
		}
	}
	return nil
}

// ensureFallback embeds the fallback font the first time it is needed.
func ensureFallback(pdf *gopdf.GoPdf) error {
	if pdf.SetFont(fontFamilies[fallback], "", 10) == nil {
		return nil
	}
	if err := pdf.AddTTFFontData(fontFamilies[fallback], fontData(fallback)); err != nil {
		return fmt.Errorf("report: embed font %s: %w", fontFamilies[fallback], err)
	}
	return nil
}

// metrics measures text exactly as gopdf sets it: without kerning, a
// string is as wide as the sum of its glyphs' advances in thousandths of
// an em, so widths are measured once per rune (through gopdf, on a scratch
// document) and then summed. One metrics value serves both layout passes.
type metrics struct {
	mu      sync.Mutex
	scratch *gopdf.GoPdf
	widths  [numFonts]map[rune]float64 // advance at size 1000, in points
	covered [numFonts]map[rune]bool    // rune has a glyph in the font
	sfnt    [numFonts]*sfnt.Font
	buf     sfnt.Buffer
}

func newMetrics() (*metrics, error) {
	m := &metrics{scratch: &gopdf.GoPdf{}}
	m.scratch.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := addFonts(m.scratch); err != nil {
		return nil, err
	}
	for f := range numFonts {
		m.widths[f] = map[rune]float64{}
		m.covered[f] = map[rune]bool{}
		sf, err := sfnt.Parse(fontData(f))
		if err != nil {
			return nil, fmt.Errorf("report: parse font %s: %w", fontFamilies[f], err)
		}
		m.sfnt[f] = sf
	}
	return m, nil
}

// runeWidth is the advance of r in font f at size 1000.
func (m *metrics) runeWidth(f fontID, r rune) float64 {
	if w, ok := m.widths[f][r]; ok {
		return w
	}
	if f == fallback {
		_ = ensureFallback(m.scratch) // an error leaves SetFont on the last font: widths stay finite
	}
	_ = m.scratch.SetFont(fontFamilies[f], "", 1000)
	w, err := m.scratch.MeasureTextWidth(string(r))
	if err != nil {
		w = 0
	}
	m.widths[f][r] = w
	return w
}

// width is how wide s is set in font f at size pt, each rune in the font
// that draws it.
func (m *metrics) width(f fontID, size float64, s string) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	sum := 0.0
	for _, r := range s {
		sum += m.runeWidth(m.fontFor(f, r), r)
	}
	return sum * size / 1000
}

// has reports whether font f has a glyph for r. Call with m.mu held.
func (m *metrics) has(f fontID, r rune) bool {
	if ok, seen := m.covered[f][r]; seen {
		return ok
	}
	i, err := m.sfnt[f].GlyphIndex(&m.buf, r)
	ok := err == nil && i != 0
	m.covered[f][r] = ok
	return ok
}

// fontFor is the font that draws r in text of font f: f itself, else the
// fallback font, else Go Regular. Call with m.mu held.
func (m *metrics) fontFor(f fontID, r rune) fontID {
	switch {
	case m.has(f, r):
		return f
	case m.has(fallback, r):
		return fallback
	case m.has(regular, r):
		return regular
	}
	return f
}

// hasGlyph reports whether some embedded font draws r. The Go fonts cover
// WGL4 (Latin, Greek, Cyrillic, common symbols), the fallback font CJK and
// Hangul; most emoji and some symbols (✓) are in neither.
func (m *metrics) hasGlyph(r rune) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.has(regular, r) || m.has(fallback, r)
}

// textRun is a stretch of a line set in one font.
type textRun struct {
	font fontID
	text string
}

// runs splits a cleaned line of font f into runs by the font that draws
// each rune.
func (m *metrics) runs(f fontID, s string) []textRun {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []textRun
	start, cur := 0, fontID(-1)
	for i, r := range s {
		if g := m.fontFor(f, r); g != cur {
			if i > start {
				out = append(out, textRun{cur, s[start:i]})
			}
			start, cur = i, g
		}
	}
	if len(s) > start {
		out = append(out, textRun{cur, s[start:]})
	}
	return out
}

// clean makes user text printable: line breaks normalised, tabs and other
// spacing turned into spaces, control and format characters (joiners,
// variation selectors) dropped, and runes no embedded font draws replaced
// by U+FFFD, so that they show (the report's last page names the records
// that hold them, see unprintables).
func (m *metrics) clean(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ReplaceAll(s, "\r\n", "\n") {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		case fonts.Invisible(r):
			// dropped: it prints as nothing by design
		case !m.hasGlyph(r):
			b.WriteRune(fonts.Replacement)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// oneLine is clean with line breaks turned into spaces and runs of spaces
// collapsed, for table cells and headings.
func (m *metrics) oneLine(s string) string {
	return strings.Join(strings.Fields(m.clean(s)), " ")
}

// wrap breaks cleaned text into lines no wider than width: at spaces where
// possible, inside words that are wider than a line on their own. Line
// breaks in the text are kept; an empty text gives no lines.
func (m *metrics) wrap(f fontID, size, width float64, s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	space := m.width(f, size, " ")
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		var line strings.Builder
		lineW := 0.0
		flush := func() {
			lines = append(lines, line.String())
			line.Reset()
			lineW = 0
		}
		for _, w := range words {
			ww := m.width(f, size, w)
			if line.Len() > 0 {
				if lineW+space+ww <= width {
					line.WriteByte(' ')
					line.WriteString(w)
					lineW += space + ww
					continue
				}
				flush()
			}
			if ww <= width {
				line.WriteString(w)
				lineW = ww
				continue
			}
			chunks := m.breakWord(f, size, width, w)
			lines = append(lines, chunks[:len(chunks)-1]...)
			last := chunks[len(chunks)-1]
			line.WriteString(last)
			lineW = m.width(f, size, last)
		}
		flush()
	}
	// Trailing empty paragraphs only add blank space.
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// breakWord cuts a word wider than width into pieces that fit, preferring
// to cut after a separator (/ - _ . : ,) in the second half of a piece so
// that paths, hashes and addresses stay readable. Each piece holds at least
// one rune, so even a width narrower than one glyph makes progress.
func (m *metrics) breakWord(f fontID, size, width float64, w string) []string {
	var out []string
	rs := []rune(w)
	for len(rs) > 0 {
		n, acc := 0, 0.0
		for n < len(rs) {
			cw := m.width(f, size, string(rs[n]))
			if n > 0 && acc+cw > width {
				break
			}
			acc += cw
			n++
		}
		if n < len(rs) {
			for k := n - 1; k >= n/2 && k > 0; k-- {
				if strings.ContainsRune("/-_.:,;", rs[k]) {
					n = k + 1
					break
				}
			}
		}
		out = append(out, string(rs[:n]))
		rs = rs[n:]
	}
	return out
}

// fit shortens one line of text to width, ending it with an ellipsis when
// anything had to go.
func (m *metrics) fit(f fontID, size, width float64, s string) string {
	if m.width(f, size, s) <= width {
		return s
	}
	ell := m.width(f, size, "…")
	rs := []rune(s)
	acc := 0.0
	for i, r := range rs {
		cw := m.width(f, size, string(r))
		if acc+cw+ell > width {
			return strings.TrimRight(string(rs[:i]), " ") + "…"
		}
		acc += cw
	}
	return s
}
