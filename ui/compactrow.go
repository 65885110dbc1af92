package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Dense rows for the asset table. A widget.Label pads its text by the
// theme's inner padding above and below: in the plant-floor theme that is
// 24 px around a 26 px line, and with the table's own gap a row took 56 px,
// so a 1366×768 window showed 5 rows. cellText keeps the theme's text size
// and colour (the plant-floor theme's 19 px, 1.36× the default's 14 px:
// nothing is set smaller for the sake of rows) and drops the padding above
// and below: the table's gap between rows (the theme's padding, 6 px in
// high contrast, with the separator line in it) is the only space between
// two lines, 32 px a row in high contrast. A container.ThemeOverride per
// cell did the same through a theme but left the window unpainted after a
// screen switch until the next input event (commit 9b99a10); this is a
// plain widget that reads the theme like any other.

// minRowHeight keeps a row a comfortable target for a pointer or a finger:
// WCAG 2.2's minimum target size (2.5.8) is 24 px. The default theme's text
// line is 19 px, the plant-floor theme's 26 px.
const minRowHeight = 24

// cellText is one line of text in the theme's text size, elided with "…"
// to its width, with the theme's padding left and right and none above or
// below, centred in its height.
type cellText struct {
	widget.BaseWidget
	text  string
	style fyne.TextStyle
}

func newCellText(text string, style fyne.TextStyle) *cellText {
	c := &cellText{text: text, style: style}
	c.ExtendBaseWidget(c)
	return c
}

// SetText changes the text (a table cell reused for another row).
func (c *cellText) SetText(s string) {
	if s == c.text {
		return
	}
	c.text = s
	c.Refresh()
}

// Text is the full text, also when fewer characters are shown.
func (c *cellText) Text() string { return c.text }

func (c *cellText) CreateRenderer() fyne.WidgetRenderer {
	r := &cellTextRenderer{c: c, line: canvas.NewText("", nil)}
	r.Refresh()
	return r
}

type cellTextRenderer struct {
	c    *cellText
	line *canvas.Text
	size fyne.Size
}

func (r *cellTextRenderer) pad() float32 { return theme.SizeForWidget(theme.SizeNamePadding, r.c) }

func (r *cellTextRenderer) lineHeight() float32 {
	return fyne.MeasureText("M", r.line.TextSize, r.line.TextStyle).Height
}

func (r *cellTextRenderer) Layout(size fyne.Size) {
	r.size = size
	pad := r.pad()
	r.line.Text = elide(r.c.text, r.line.TextSize, r.line.TextStyle, size.Width-2*pad)
	h := r.lineHeight()
	r.line.Move(fyne.NewPos(pad, (size.Height-h)/2))
	r.line.Resize(fyne.NewSize(size.Width-2*pad, h))
	r.line.Refresh()
}

// MinSize is a line high (at least minRowHeight) and room for "…" wide:
// the table gives cells their column's width.
func (r *cellTextRenderer) MinSize() fyne.Size {
	ell := fyne.MeasureText("…", r.line.TextSize, r.line.TextStyle)
	return fyne.NewSize(ell.Width+2*r.pad(), max(r.lineHeight(), minRowHeight))
}

func (r *cellTextRenderer) Refresh() {
	r.line.TextSize = theme.SizeForWidget(theme.SizeNameText, r.c)
	r.line.TextStyle = r.c.style
	r.line.Color = theme.ColorForWidget(theme.ColorNameForeground, r.c)
	r.Layout(r.size)
}

func (r *cellTextRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.line} }
func (r *cellTextRenderer) Destroy()                     {}

// ellipsis ends a text cut short.
const ellipsis = "…"

// elide is text as shown in width at size and style: whole when it fits,
// else the longest start of it that fits with "…" after it ("…" alone,
// or nothing, when even that is too wide).
func elide(text string, size float32, style fyne.TextStyle, width float32) string {
	fits := func(s string) bool { return fyne.MeasureText(s, size, style).Width <= width }
	if text == "" || fits(text) {
		return text
	}
	if !fits(ellipsis) {
		return ""
	}
	runes := []rune(text)
	// The longest k with runes[:k]+"…" fitting: lo fits, hi does not.
	lo, hi := 0, len(runes)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if fits(strings.TrimRight(string(runes[:mid]), " ") + ellipsis) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ") + ellipsis
}
