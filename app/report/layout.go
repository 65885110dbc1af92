package report

import (
	"compress/zlib"
	"fmt"
	"math"
	"strconv"

	"github.com/signintech/gopdf"
)

// Page geometry in points (A4 portrait).
const (
	pageW    = 595.28
	pageH    = 841.89
	marginL  = 50.0
	marginR  = 50.0
	marginT  = 62.0 // top of the text area, below the header
	marginB  = 60.0 // bottom margin, above the footer
	contentW = pageW - marginL - marginR
	bottom   = pageH - marginB
)

type rgb struct{ r, g, b uint8 }

var (
	black     = rgb{0x1a, 0x1a, 0x1a}
	grey      = rgb{0x5f, 0x63, 0x68}
	lightGrey = rgb{0xd0, 0xd4, 0xd9}
	navy      = rgb{0x1f, 0x3a, 0x5f}
	headFill  = rgb{0xe3, 0xe9, 0xf1}
	zebraFill = rgb{0xf6, 0xf7, 0xf9}
	classRed  = rgb{0xa8, 0x1c, 0x1c}
	white     = rgb{0xff, 0xff, 0xff}
	gapFill   = rgb{0xf8, 0xd4, 0xcf}
	metFill   = rgb{0xd8, 0xef, 0xd8}
	partFill  = rgb{0xfc, 0xec, 0xc4}
)

// style is a font, size and colour.
type style struct {
	font  fontID
	size  float64
	color rgb
}

func (s style) lineHeight() float64 { return math.Round(s.size*1.3*100) / 100 }

var (
	body     = style{regular, 9.5, black}
	small    = style{regular, 8, black}
	smallI   = style{italic, 8, grey}
	caption  = style{italic, 7.5, grey}
	h1Style  = style{bold, 17, navy}
	h2Style  = style{bold, 13, navy}
	h3Style  = style{bold, 10.5, black}
	label    = style{bold, 8.5, grey}
	cellBody = style{regular, 7.5, black}
	cellHead = style{bold, 7.5, black}
)

// tocEntry is a heading as the table of contents lists it.
type tocEntry struct {
	level  int // 1 section, 2 subsection
	title  string
	page   int
	anchor string
}

// furniture is what every page carries: classification at the top, report
// version, data digest and page numbers at the bottom.
type furniture struct {
	title          string // audit title, shortened in the header
	classification string
	version        string
	digest         string
}

// doc lays out pages onto a gopdf document. The same code runs twice: a
// dry pass that only measures and counts pages (nothing is drawn and no
// images are embedded), and the real pass, which knows every section's
// page and the page count from the dry one.
type doc struct {
	pdf   *gopdf.GoPdf
	m     *metrics
	dry   bool
	page  int // current page, 1-based; 0 before the first
	total int // page count for "n of m"; 0 in the dry pass
	y     float64
	fur   furniture
	toc   []tocEntry
	err   error // first drawing error; later drawing is skipped

	curFont fontID
	curSize float64
	fontSet bool
}

func newDoc(m *metrics, dry bool, fur furniture, total int) (*doc, error) {
	d := &doc{m: m, dry: dry, fur: fur, total: total}
	if dry {
		return d, nil
	}
	d.pdf = &gopdf.GoPdf{}
	d.pdf.Start(gopdf.Config{PageSize: gopdf.Rect{W: pageW, H: pageH}, Unit: gopdf.UnitPT})
	d.pdf.SetCompressLevel(zlib.BestSpeed)
	if err := addFonts(d.pdf); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *doc) fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

// newPage starts a page and draws its header and footer.
func (d *doc) newPage() {
	d.page++
	d.y = marginT
	if d.dry {
		return
	}
	d.pdf.AddPage()
	d.furniture(d.page == 1)
}

// room makes sure h points fit below y, starting a page when they do not.
// It reports whether it started one.
func (d *doc) room(h float64) bool {
	if d.page == 0 || d.y+h > bottom {
		d.newPage()
		return true
	}
	return false
}

func (d *doc) setStyle(s style) {
	if d.dry || d.err != nil {
		return
	}
	if !d.fontSet || d.curFont != s.font || d.curSize != s.size {
		d.fail(d.pdf.SetFont(fontFamilies[s.font], "", s.size))
		d.curFont, d.curSize, d.fontSet = s.font, s.size, true
	}
	d.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
}

// text draws one line with its baseline at y.
func (d *doc) text(x, y float64, s string, st style) {
	if d.dry || d.err != nil || s == "" {
		return
	}
	d.drawText(x, y, s, st)
}

// textIn draws one line in a box of width w at x, aligned.
func (d *doc) textIn(x, y, w float64, s string, st style, align int) {
	switch align {
	case alignRight:
		x += w - d.m.width(st.font, st.size, s)
	case alignCenter:
		x += (w - d.m.width(st.font, st.size, s)) / 2
	}
	d.text(x, y, s, st)
}

const (
	alignLeft = iota
	alignCenter
	alignRight
)

// ascent places the baseline of a line of style st whose box starts at top.
func ascent(st style) float64 { return st.size * 0.95 }

func (d *doc) fillRect(x, y, w, h float64, c rgb) {
	if d.dry || d.err != nil {
		return
	}
	d.pdf.SetFillColor(c.r, c.g, c.b)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

func (d *doc) line(x1, y1, x2, y2 float64, c rgb, width float64) {
	if d.dry || d.err != nil {
		return
	}
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
	d.pdf.SetLineType("solid")
	d.pdf.Line(x1, y1, x2, y2)
}

func (d *doc) strokeRect(x, y, w, h float64, c rgb, width float64) {
	if d.dry || d.err != nil {
		return
	}
	d.pdf.SetStrokeColor(c.r, c.g, c.b)
	d.pdf.SetLineWidth(width)
	d.pdf.SetLineType("solid")
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// furniture draws the header and footer of the current page.
func (d *doc) furniture(cover bool) {
	f := d.fur
	// Classification: never shortened while a smaller size still fits.
	cls := style{bold, 8, classRed}
	for cls.size > 5 && d.m.width(cls.font, cls.size, f.classification) > contentW {
		cls.size -= 0.5
	}
	clsText := d.m.fit(cls.font, cls.size, contentW, f.classification)
	clsW := d.m.width(cls.font, cls.size, clsText)
	if cover {
		d.textIn(marginL, 34, contentW, clsText, cls, alignCenter)
	} else {
		d.textIn(marginL, 34, contentW, clsText, cls, alignRight)
		if room := contentW - clsW - 24; room > 60 {
			hs := style{regular, 7.5, grey}
			d.text(marginL, 34, d.m.fit(hs.font, hs.size, room, f.title), hs)
		}
		d.line(marginL, 41, pageW-marginR, 41, lightGrey, 0.6)
	}
	fy := pageH - 34.0
	d.line(marginL, fy-11, pageW-marginR, fy-11, lightGrey, 0.6)
	fs := style{regular, 7.5, grey}
	left := "Report version " + f.version + "  ·  data SHA-256 " + short(f.digest, 16)
	d.text(marginL, fy, left, fs)
	if d.total > 0 {
		d.textIn(marginL, fy, contentW, "Page "+strconv.Itoa(d.page)+" of "+strconv.Itoa(d.total), fs, alignRight)
	}
	if cover {
		d.textIn(marginL, fy+12, contentW, clsText, cls, alignCenter)
	}
}

func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// heading1 starts a section on a new page.
func (d *doc) heading1(title string) {
	d.newPage()
	d.mark(1, title)
	lines := d.m.wrap(h1Style.font, h1Style.size, contentW, d.m.oneLine(title))
	for _, l := range lines {
		d.text(marginL, d.y+ascent(h1Style), l, h1Style)
		d.y += h1Style.lineHeight()
	}
	d.y += 3
	d.line(marginL, d.y, pageW-marginR, d.y, navy, 1.2)
	d.y += 14
}

// heading2 starts a subsection, on a new page when newPage is set or when
// less than keep points remain (so a heading is never left alone at the
// bottom of a page).
func (d *doc) heading2(title string, newPage bool, keep float64) {
	if newPage {
		d.newPage()
	} else {
		d.y += 8
		d.room(keep + 30)
	}
	d.mark(2, title)
	for _, l := range d.m.wrap(h2Style.font, h2Style.size, contentW, d.m.oneLine(title)) {
		d.room(h2Style.lineHeight())
		d.text(marginL, d.y+ascent(h2Style), l, h2Style)
		d.y += h2Style.lineHeight()
	}
	d.y += 6
}

// heading3 is a run-in heading kept with keep points of what follows.
func (d *doc) heading3(title string, keep float64) {
	d.y += 6
	d.room(keep + 20)
	for _, l := range d.m.wrap(h3Style.font, h3Style.size, contentW, d.m.oneLine(title)) {
		d.room(h3Style.lineHeight())
		d.text(marginL, d.y+ascent(h3Style), l, h3Style)
		d.y += h3Style.lineHeight()
	}
	d.y += 3
}

// mark records a heading for the table of contents and, in the real pass,
// as a link target and a PDF bookmark.
func (d *doc) mark(level int, title string) {
	e := tocEntry{level: level, title: d.m.oneLine(title), page: d.page, anchor: "s" + strconv.Itoa(len(d.toc)+1)}
	d.toc = append(d.toc, e)
	if d.dry || d.err != nil {
		return
	}
	d.pdf.SetXY(marginL, d.y)
	d.pdf.SetAnchor(e.anchor)
	if level == 1 {
		d.pdf.AddOutline(e.title)
	}
}

// para sets wrapped text at the current position.
func (d *doc) para(s string, st style) { d.paraAt(marginL, contentW, s, st) }

func (d *doc) paraAt(x, w float64, s string, st style) {
	lh := st.lineHeight()
	for _, l := range d.m.wrap(st.font, st.size, w, d.m.clean(s)) {
		d.room(lh)
		d.text(x, d.y+ascent(st), l, st)
		d.y += lh
	}
}

// gap adds vertical space, unless at the top of a page.
func (d *doc) gap(h float64) {
	if d.y > marginT {
		d.y = math.Min(d.y+h, bottom)
	}
}

// kv sets label/value pairs as two columns; empty values are skipped.
func (d *doc) kv(pairs [][2]string) {
	for _, p := range pairs {
		v := d.m.clean(p[1])
		if v == "" {
			continue
		}
		labels := d.m.wrap(label.font, label.size, kvLabelW-6, d.m.oneLine(p[0]))
		lines := d.m.wrap(body.font, body.size, contentW-kvLabelW, v)
		lh := body.lineHeight()
		d.room(lh * float64(min(2, max(len(lines), len(labels)))))
		for i := 0; i < max(len(lines), len(labels)); i++ {
			if i > 0 {
				d.room(lh)
			}
			if i < len(labels) {
				d.text(marginL, d.y+ascent(body), labels[i], label)
			}
			if i < len(lines) {
				d.text(marginL+kvLabelW, d.y+ascent(body), lines[i], body)
			}
			d.y += lh
		}
		d.y += kvGap
	}
}

const kvLabelW, kvGap = 118.0, 1.5

// kvHeight is the height kv will take for pairs, to keep blocks together.
func (d *doc) kvHeight(pairs [][2]string) float64 {
	h := 0.0
	for _, p := range pairs {
		v := d.m.clean(p[1])
		if v == "" {
			continue
		}
		n := max(len(d.m.wrap(body.font, body.size, contentW-kvLabelW, v)), len(d.m.wrap(label.font, label.size, kvLabelW-6, d.m.oneLine(p[0]))))
		h += float64(n)*body.lineHeight() + kvGap
	}
	return h
}

// bullet sets an item of a bulleted list.
func (d *doc) bullet(s string, st style) {
	const indent = 12.0
	lh := st.lineHeight()
	for i, l := range d.m.wrap(st.font, st.size, contentW-indent, d.m.clean(s)) {
		d.room(lh)
		if i == 0 {
			d.text(marginL+2, d.y+ascent(st), "•", st)
		}
		d.text(marginL+indent, d.y+ascent(st), l, st)
		d.y += lh
	}
}

// check reports the first drawing error, with where it happened.
func (d *doc) check(where string) error {
	if d.err != nil {
		return fmt.Errorf("report: %s: %w", where, d.err)
	}
	return nil
}
