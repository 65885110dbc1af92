package diagram

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"

	"github.com/signintech/gopdf"
)

// pdfFamily names the embedded Go fonts inside a PDF; the prefix keeps them
// apart from fonts the caller added to the same document.
func pdfFamily(bold, italic bool) string {
	switch {
	case bold && italic:
		return "ZonewalkGo-BoldItalic"
	case bold:
		return "ZonewalkGo-Bold"
	case italic:
		return "ZonewalkGo-Italic"
	}
	return "ZonewalkGo"
}

// ensureFont adds a Go font to the document once.
func ensureFont(pdf *gopdf.GoPdf, bold, italic bool) error {
	fam := pdfFamily(bold, italic)
	if pdf.SetFont(fam, "", 10) == nil {
		return nil
	}
	if err := pdf.AddTTFFontData(fam, fontTTF(bold, italic)); err != nil {
		return fmt.Errorf("embed font %s: %w", fam, err)
	}
	return nil
}

// DrawPDF paints the drawing as vectors onto the current page of pdf,
// scaled to fit the box at (x, y) of size w×h in the document's units and
// centred in it; text stays text, in the embedded Go fonts. It changes the
// document's current font, colours, line width and dash, so a caller that
// writes more on the page sets its own again afterwards.
func DrawPDF(pdf *gopdf.GoPdf, d *Drawing, x, y, w, h float64) error {
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		return ErrEmptyDrawing
	}
	// Work in points, the unit of the Drawing; convert at the very end.
	bx, by, bw, bh := pdf.UnitsToPoints(x), pdf.UnitsToPoints(y), pdf.UnitsToPoints(w), pdf.UnitsToPoints(h)
	if bw <= 0 || bh <= 0 {
		return fmt.Errorf("PDF box %v×%v: must have a size", w, h)
	}
	s := math.Min(bw/d.Width, bh/d.Height)
	p := pdfPainter{
		pdf: pdf,
		s:   s,
		ox:  bx + (bw-d.Width*s)/2,
		oy:  by + (bh-d.Height*s)/2,
	}
	for _, st := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		used := false
		for i := range d.Items {
			it := &d.Items[i]
			used = used || it.Shape == Text && it.Bold == st[0] && it.Italic == st[1]
		}
		if used {
			if err := ensureFont(pdf, st[0], st[1]); err != nil {
				return err
			}
		}
	}
	for i := range d.Items {
		it := &d.Items[i]
		if it.Shape != Text {
			continue
		}
		runs, err := pdfRuns(it.Text, it.Bold, it.Italic)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(runs, func(r pdfRun) bool { return r.family == pdfFallbackFamily }) {
			if err := ensureFallback(pdf); err != nil {
				return err
			}
			break
		}
	}
	if d.Background.A != 0 {
		p.fill(d.Background)
		pdf.Polygon(p.poly([]Point{{0, 0}, {d.Width, 0}, {d.Width, d.Height}, {0, d.Height}}), "F")
	}
	for i := range d.Items {
		if err := p.item(&d.Items[i]); err != nil {
			return err
		}
	}
	pdf.SetLineType("solid")
	return nil
}

// WritePDF writes the drawing as a one-page PDF: A4, turned to whichever
// orientation shows the drawing larger, with a 12 mm margin.
func WritePDF(out io.Writer, d *Drawing, title string) error {
	if d == nil || d.Width <= 0 || d.Height <= 0 {
		return ErrEmptyDrawing
	}
	const margin = 34.0 // 12 mm in points
	page := *gopdf.PageSizeA4
	fit := func(r gopdf.Rect) float64 {
		return math.Min((r.W-2*margin)/d.Width, (r.H-2*margin)/d.Height)
	}
	if landscape := *gopdf.PageSizeA4Landscape; fit(landscape) > fit(page) {
		page = landscape
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: page, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: clean(title, 200), Creator: "Zonewalk"})
	pdf.AddPage()
	if err := DrawPDF(pdf, d, margin, margin, page.W-2*margin, page.H-2*margin); err != nil {
		return err
	}
	if _, err := pdf.WriteTo(out); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}

type pdfPainter struct {
	pdf    *gopdf.GoPdf
	s      float64
	ox, oy float64
}

// u converts a length in points to document units.
func (p *pdfPainter) u(v float64) float64 { return p.pdf.PointsToUnits(v) }

func (p *pdfPainter) at(pt Point) (float64, float64) {
	return p.u(p.ox + pt.X*p.s), p.u(p.oy + pt.Y*p.s)
}

func (p *pdfPainter) poly(pts []Point) []gopdf.Point {
	out := make([]gopdf.Point, len(pts))
	for i, q := range pts {
		out[i].X, out[i].Y = p.at(q)
	}
	return out
}

func (p *pdfPainter) fill(c color.NRGBA) { p.pdf.SetFillColor(c.R, c.G, c.B) }

func (p *pdfPainter) stroke(it *Item) {
	p.pdf.SetStrokeColor(it.Stroke.R, it.Stroke.G, it.Stroke.B)
	p.pdf.SetLineWidth(p.u(math.Max(it.LineWidth*p.s, 0.25)))
	if len(it.Dash) == 0 {
		p.pdf.SetLineType("solid")
		return
	}
	dash := make([]float64, len(it.Dash))
	for i, v := range it.Dash {
		dash[i] = p.u(v * p.s)
	}
	p.pdf.SetCustomLineType(dash, 0)
}

func (p *pdfPainter) item(it *Item) error {
	if it.Shape == Text {
		return p.text(it)
	}
	fill := it.Fill.A != 0 && it.Shape != Polyline
	line := it.Stroke.A != 0 && it.LineWidth > 0
	if !fill && !line {
		return nil
	}
	if fill {
		p.fill(it.Fill)
	}
	if line {
		p.stroke(it)
	}
	style := "D"
	switch {
	case fill && line:
		style = "DF"
	case fill:
		style = "F"
	}
	switch it.Shape {
	case Polygon:
		if len(it.Points) >= 2 {
			p.pdf.Polygon(p.poly(it.Points), style)
		}
	case Ellipse:
		p.pdf.Polygon(p.poly(ellipsePoints(it.Center, it.RX, it.RY, 72)), style)
	case Bezier:
		if fill {
			// gopdf paints one curve segment per call, so a closed curved
			// outline is filled as its fine polyline.
			p.pdf.Polygon(p.poly(flatten(it.Points, 12)), style)
			return nil
		}
		for i := 0; i+3 < len(it.Points); i += 3 {
			x0, y0 := p.at(it.Points[i])
			x1, y1 := p.at(it.Points[i+1])
			x2, y2 := p.at(it.Points[i+2])
			x3, y3 := p.at(it.Points[i+3])
			p.pdf.Curve(x0, y0, x1, y1, x2, y2, x3, y3, "D")
		}
	case Polyline:
		for i := 1; i < len(it.Points); i++ {
			x0, y0 := p.at(it.Points[i-1])
			x1, y1 := p.at(it.Points[i])
			p.pdf.Line(x0, y0, x1, y1)
		}
	}
	return nil
}

func (p *pdfPainter) text(it *Item) error {
	if it.Stroke.A == 0 || it.FontSize <= 0 {
		return nil
	}
	size := it.FontSize * p.s
	// Each run is set in the font that has its characters (see pdfRuns).
	runs, err := pdfRuns(it.Text, it.Bold, it.Italic)
	if err != nil {
		return err
	}
	widths := make([]float64, len(runs))
	w := 0.0
	for i, r := range runs {
		if err := p.pdf.SetFont(r.family, "", size); err != nil {
			return fmt.Errorf("PDF font %s: %w", r.family, err)
		}
		rw, err := p.pdf.MeasureTextWidth(r.text)
		if err != nil {
			return fmt.Errorf("PDF text %q: %w", it.Text, err)
		}
		widths[i] = p.pdf.UnitsToPoints(rw)
		w += widths[i]
	}
	if limit := it.Width * p.s; limit > 0 && w > limit*1.01 {
		k := limit / w
		size *= k
		w = limit
		for i := range widths {
			widths[i] *= k
		}
	}
	x := p.ox + it.Pos.X*p.s
	switch it.Align {
	case AlignCenter:
		x -= w / 2
	case AlignRight:
		x -= w
	}
	p.pdf.SetTextColor(it.Stroke.R, it.Stroke.G, it.Stroke.B)
	for i, r := range runs {
		if err := p.pdf.SetFont(r.family, "", size); err != nil {
			return err
		}
		p.pdf.SetXY(p.u(x), p.u(p.oy+it.Pos.Y*p.s))
		if err := p.pdf.Text(r.text); err != nil {
			return fmt.Errorf("PDF text %q: %w", it.Text, err)
		}
		x += widths[i]
	}
	return nil
}

func ellipsePoints(c Point, rx, ry float64, n int) []Point {
	out := make([]Point, n)
	for i := range out {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = Point{c.X + rx*math.Cos(a), c.Y + ry*math.Sin(a)}
	}
	return out
}
