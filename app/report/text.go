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
)

// fontID names one of the embedded Go fonts.
type fontID int

const (
	regular fontID = iota
	bold
	italic
	mono
	numFonts
)

// Family names inside the PDF; the prefix keeps them apart from the fonts
// package diagram adds to the same document.
var fontFamilies = [numFonts]string{"ZWReport", "ZWReport-Bold", "ZWReport-Italic", "ZWReport-Mono"}

func fontData(f fontID) []byte {
	switch f {
	case bold:
		return gobold.TTF
	case italic:
		return goitalic.TTF
	case mono:
		return gomono.TTF
	}
	return goregular.TTF
}

// addFonts embeds the report fonts (gopdf subsets them on output).
func addFonts(pdf *gopdf.GoPdf) error {
	for f := range numFonts {
		if err := pdf.AddTTFFontData(fontFamilies[f], fontData(f)); err != nil {
			return fmt.Errorf("report: embed font %s: %w", fontFamilies[f], err)
		}
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
	covered map[rune]bool              // rune has a glyph in Go Regular
	sfnt    *sfnt.Font
	buf     sfnt.Buffer
}

func newMetrics() (*metrics, error) {
	m := &metrics{scratch: &gopdf.GoPdf{}, covered: map[rune]bool{}}
	m.scratch.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := addFonts(m.scratch); err != nil {
		return nil, err
	}
	for f := range m.widths {
		m.widths[f] = map[rune]float64{}
	}
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("report: parse Go Regular: %w", err)
	}
	m.sfnt = f
	return m, nil
}

// runeWidth is the advance of r in font f at size 1000.
func (m *metrics) runeWidth(f fontID, r rune) float64 {
	if w, ok := m.widths[f][r]; ok {
		return w
	}
	_ = m.scratch.SetFont(fontFamilies[f], "", 1000)
	w, err := m.scratch.MeasureTextWidth(string(r))
	if err != nil {
		w = 0
	}
	m.widths[f][r] = w
	return w
}

// width is how wide s is set in font f at size pt.
func (m *metrics) width(f fontID, size float64, s string) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	sum := 0.0
	for _, r := range s {
		sum += m.runeWidth(f, r)
	}
	return sum * size / 1000
}

// hasGlyph reports whether Go Regular draws r. The Go fonts cover WGL4
// (Latin, Greek, Cyrillic, common symbols); other runes, such as emoji or
// check marks, would come out blank, so clean drops them.
func (m *metrics) hasGlyph(r rune) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok, seen := m.covered[r]; seen {
		return ok
	}
	i, err := m.sfnt.GlyphIndex(&m.buf, r)
	ok := err == nil && i != 0
	m.covered[r] = ok
	return ok
}

// clean makes user text printable: line breaks normalised, tabs and other
// spacing turned into spaces, control characters and runes without a glyph
// in the Go fonts dropped.
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
		case r == unicode.ReplacementChar || unicode.IsControl(r) || !m.hasGlyph(r):
			// dropped: it would print as nothing or as a blank
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
