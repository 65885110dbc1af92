package diagram

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/signintech/gopdf"
	"github.com/zonewalk/zonewalk/assets"
)

func newTestRenderer(t testing.TB, opts ...Option) *Renderer {
	t.Helper()
	r := NewRenderer(opts...)
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	})
	return r
}

// svgContent reads an SVG: every text line, and the class of every element id.
func svgContent(t *testing.T, svg []byte) (texts []string, ids map[string]string) {
	t.Helper()
	ids = map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = false // the SVG has a DOCTYPE
	inText := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			var id, class string
			for _, a := range el.Attr {
				switch a.Name.Local {
				case "id":
					id = a.Value
				case "class":
					class = a.Value
				}
			}
			if id != "" {
				ids[id] = class
			}
			if el.Name.Local == "text" {
				inText = true
				texts = append(texts, "")
			}
		case xml.CharData:
			if inText {
				texts[len(texts)-1] += string(el)
			}
		case xml.EndElement:
			if el.Name.Local == "text" {
				inText = false
			}
		}
	}
	return texts, ids
}

func TestSVGShowsEveryZoneAndConduit(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	svg, err := r.SVG(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	sample(t, "overview.svg", svg)
	texts, ids := svgContent(t, svg)
	joined := "\n" + strings.Join(texts, "\n") + "\n"
	for _, z := range m.Zones {
		if !strings.Contains(joined, "\n"+z.Name+"\n") {
			t.Errorf("SVG lacks the zone name %q", z.Name)
		}
		if ids["zone-"+z.ID] != "node" {
			t.Errorf("SVG lacks the node of zone %s", z.ID)
		}
	}
	for _, c := range m.Conduits {
		if !strings.Contains(joined, "\n"+c.Name+"\n") {
			t.Errorf("SVG lacks the conduit name %q", c.Name)
		}
		if ids["conduit-"+c.ID] != "edge" {
			t.Errorf("SVG lacks the edge of conduit %s", c.ID)
		}
	}
	for _, p := range []string{"HTTPS 443, RDP 3389", "REMOTE ACCESS", "External"} {
		if !strings.Contains(joined, p) {
			t.Errorf("SVG lacks %q", p)
		}
	}
}

func TestSVGZoneDetail(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	dot, err := ZoneDetail(m, "z-lab", 0)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := r.SVG(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	texts, ids := svgContent(t, svg)
	joined := strings.Join(texts, "\n")
	for _, want := range []string{`R&D <Lab> "Pilot"`, "LAB-PLC", "Beckhoff CX5140", "FW TwinCAT 3", "Maintenance laptop", "Pilot data export",
		`Pilot line with a back\slash and <b>markup</b> in its text.`} {
		if !strings.Contains(joined, want) {
			t.Errorf("zone SVG lacks %q", want)
		}
	}
	if ids["zone-z-lab"] != "cluster" || ids["asset-a-usb"] != "node" {
		t.Errorf("zone SVG lacks the zone cluster or an asset node: %v", ids)
	}
}

func TestDrawingRegionsAndHitTest(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	if d.Width < 100 || d.Height < 100 {
		t.Fatalf("drawing of %v×%v points", d.Width, d.Height)
	}
	for _, z := range m.Zones {
		reg, ok := d.Region(assets.Ref{Kind: KindZone, ID: z.ID})
		if !ok {
			t.Fatalf("no region for zone %s", z.ID)
		}
		if reg.Box.Min.X < 0 || reg.Box.Min.Y < 0 || reg.Box.Max.X > d.Width || reg.Box.Max.Y > d.Height || reg.Box.Empty() {
			t.Fatalf("zone %s region %v outside the %v×%v page", z.ID, reg.Box, d.Width, d.Height)
		}
		c := Point{(reg.Box.Min.X + reg.Box.Max.X) / 2, (reg.Box.Min.Y + reg.Box.Max.Y) / 2}
		if got, ok := d.HitTest(c, 3); !ok || got.ID != z.ID {
			t.Errorf("hit at the centre of zone %s found %v", z.ID, got)
		}
	}
	for _, c := range m.Conduits {
		reg, ok := d.Region(assets.Ref{Kind: KindConduit, ID: c.ID})
		if !ok || len(reg.Path) < 2 || reg.Box.Empty() {
			t.Fatalf("conduit %s: region %+v", c.ID, reg)
		}
		mid := reg.Path[len(reg.Path)/2]
		if got, ok := d.HitTest(mid, 3); !ok || got.ID != c.ID {
			t.Errorf("hit on the line of conduit %s found %v", c.ID, got)
		}
		lc := Point{(reg.Box.Min.X + reg.Box.Max.X) / 2, (reg.Box.Min.Y + reg.Box.Max.Y) / 2}
		if got, ok := d.HitTest(lc, 0); !ok || got.ID != c.ID {
			t.Errorf("hit on the label of conduit %s found %v", c.ID, got)
		}
	}
	if _, ok := d.HitTest(Point{1, 1}, 2); ok {
		t.Error("the page corner hit a record")
	}
	// Every item carries its owner: the zone names belong to their zones.
	for _, it := range d.Items {
		if it.Shape == Text && it.Text == "Zone Ü – Süd" && (it.Ref != assets.Ref{Kind: KindZone, ID: "z-sued"}) {
			t.Errorf("zone name text belongs to %v", it.Ref)
		}
	}
}

// Edges must be stroked, not filled (go-graphviz's own PNG writer fills
// them, upstream #106), and text must be painted.
func TestPNGEdgesStrokedAndTextPainted(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	const scale = 2.0
	var buf bytes.Buffer
	if err := WritePNG(&buf, d, scale); err != nil {
		t.Fatal(err)
	}
	sample(t, "overview.png", buf.Bytes())
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != int(math.Ceil(d.Width*scale)) || b.Dy() != int(math.Ceil(d.Height*scale)) {
		t.Fatalf("image %v for a %v×%v drawing at %v", b, d.Width, d.Height, scale)
	}

	dark := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if luma(img.At(x, y)) < 110 {
				dark++
			}
		}
	}
	if share := float64(dark) / float64(b.Dx()*b.Dy()); share > 0.08 {
		t.Errorf("%.1f%% of the image is dark: lines are filled", share*100)
	}

	// Pixels in the ordinary conduit colour may cover the stroked length
	// times the line width (plus antialiasing and arrowheads) but no area
	// between a curve and its chord.
	line := parseColor(colLine, nil)
	budget := 0.0
	for _, it := range d.Items {
		if it.Stroke == line && it.Shape != Text {
			pts := it.Points
			if it.Shape == Bezier {
				pts = flatten(pts, 16)
			}
			budget += polyLength(pts) * (it.LineWidth*scale + 2) * scale
		}
		if it.Fill == line && it.Shape == Polygon {
			budget += polyArea(it.Points)*scale*scale + polyLength(it.Points)*scale*2
		}
		if it.Stroke == line && it.Shape == Text {
			budget += it.Width * it.FontSize * scale * scale
		}
	}
	got := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if near(img.At(x, y), line, 40) {
				got++
			}
		}
	}
	if budget == 0 || float64(got) > budget {
		t.Errorf("%d pixels in the conduit colour, at most %.0f expected from stroking: edges are filled", got, budget)
	}

	// Between a curved conduit and its chord lies background, never ink.
	samples, inked := 0, 0
	for _, reg := range d.Regions {
		if len(reg.Path) < 3 {
			continue
		}
		a, z := reg.Path[0], reg.Path[len(reg.Path)-1]
		for _, p := range reg.Path[1 : len(reg.Path)-1] {
			q := closestOnSegment(p, a, z)
			if math.Hypot(p.X-q.X, p.Y-q.Y) < 6 {
				continue
			}
			mx, my := (p.X+q.X)/2*scale, (p.Y+q.Y)/2*scale
			samples++
			if luma(img.At(int(mx), int(my))) < 150 {
				inked++
			}
		}
	}
	if samples < 8 {
		t.Fatalf("only %d samples between curves and chords; the plant needs curved conduits", samples)
	}
	if inked*4 > samples {
		t.Errorf("%d of %d points between conduits and their chords are inked: edges are filled", inked, samples)
	}

	// Text: the zone name's box holds ink.
	for _, it := range d.Items {
		if it.Shape != Text || it.Text != "Corporate IT" {
			continue
		}
		x0, y0 := int((it.Pos.X-it.Width/2)*scale), int((it.Pos.Y-it.FontSize*0.8)*scale)
		x1, y1 := int((it.Pos.X+it.Width/2)*scale), int(it.Pos.Y*scale)
		ink := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				if luma(img.At(x, y)) < 110 {
					ink++
				}
			}
		}
		if area := (x1 - x0) * (y1 - y0); ink < area/12 {
			t.Errorf("zone name box has %d ink pixels of %d: text not painted", ink, area)
		}
		return
	}
	t.Fatal("no text item for zone Corporate IT")
}

func closestOnSegment(p, a, b Point) Point {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return a
	}
	t := math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	return Point{a.X + t*dx, a.Y + t*dy}
}

func luma(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	return (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)) / 257
}

func near(c color.Color, want color.NRGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) int {
		x := int(a>>8) - int(w)
		if x < 0 {
			return -x
		}
		return x
	}
	return d(r, want.R)+d(g, want.G)+d(b, want.B) <= tol
}

func polyLength(p []Point) float64 {
	l := 0.0
	for i := 1; i < len(p); i++ {
		l += math.Hypot(p[i].X-p[i-1].X, p[i].Y-p[i-1].Y)
	}
	return l
}

func polyArea(p []Point) float64 {
	a := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		a += p[i].X*p[j].Y - p[j].X*p[i].Y
	}
	return math.Abs(a) / 2
}

func pdftotext(t *testing.T, pdf []byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext (poppler-utils) not installed; .ci/deps.sh installs it")
		}
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	path := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", append(append(args, "-enc", "UTF-8"), path, "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, out)
	}
	return string(out)
}

func TestPDFHasRealText(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, d, m.Title); err != nil {
		t.Fatal(err)
	}
	sample(t, "overview.pdf", buf.Bytes())
	if n := bytes.Count(buf.Bytes(), []byte("/Type /Page\n")) + bytes.Count(buf.Bytes(), []byte("/Type /Page ")); n > 1 {
		t.Errorf("PDF has %d pages, want 1", n)
	}
	text := pdftotext(t, buf.Bytes())
	for _, z := range m.Zones {
		if !strings.Contains(text, z.Name) {
			t.Errorf("PDF text lacks zone %q", z.Name)
		}
	}
	for _, c := range m.Conduits {
		if !strings.Contains(text, c.Name) {
			t.Errorf("PDF text lacks conduit %q", c.Name)
		}
	}
	if !strings.Contains(text, m.Title) {
		t.Error("PDF text lacks the title")
	}
}

// DrawPDF paints into a caller's document, in its units, inside the box.
func TestDrawPDFIntoReportPage(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	dot, _ := ZoneDetail(m, "z-sued", 0)
	d, err := r.Layout(context.Background(), dot)
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	pdf.AddPage()
	// Box in millimetres: x 20–120, y 150–250.
	if err := DrawPDF(pdf, d, 20, 150, 100, 100); err != nil {
		t.Fatal(err)
	}
	if err := ensureFont(pdf, false, false); err != nil { // the caller's own text after the drawing
		t.Fatal(err)
	}
	pdf.SetXY(20, 270)
	if err := pdf.Text("Figure 1"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := pdf.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	bbox := pdftotext(t, buf.Bytes(), "-bbox")
	// pdftotext -bbox gives words with their boxes in points.
	re := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	const mm = 72 / 25.4
	found := map[string]bool{}
	for _, w := range re.FindAllStringSubmatch(bbox, -1) {
		f := func(i int) float64 { v, _ := strconv.ParseFloat(w[i], 64); return v }
		word := w[5]
		found[word] = true
		if word == "Figure" || word == "1" {
			continue
		}
		if f(1) < 20*mm-1 || f(3) > 120*mm+1 || f(2) < 150*mm-1 || f(4) > 250*mm+1 {
			t.Errorf("word %q at (%.0f,%.0f)-(%.0f,%.0f) pt lies outside the box", word, f(1), f(2), f(3), f(4))
		}
	}
	for _, w := range []string{"Ü", "Süd", "RTU-SÜD-1", "Figure"} {
		if !found[w] {
			t.Errorf("PDF lacks the word %q", w)
		}
	}
}

func TestPaintersRejectEmptyDrawings(t *testing.T) {
	if _, err := Image(&Drawing{}, 1); !errors.Is(err, ErrEmptyDrawing) {
		t.Errorf("Image: %v", err)
	}
	if err := WritePDF(io.Discard, nil, ""); !errors.Is(err, ErrEmptyDrawing) {
		t.Errorf("WritePDF: %v", err)
	}
	if _, err := Image(&Drawing{Width: 10, Height: 10}, -1); err == nil {
		t.Error("Image accepted a negative scale")
	}
	// A huge drawing is painted smaller rather than exhausting memory.
	img, err := Image(&Drawing{Width: 20000, Height: 20000}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if px := img.Bounds().Dx() * img.Bounds().Dy(); px > MaxPixels*101/100 {
		t.Errorf("%d pixels painted, cap is %d", px, MaxPixels)
	}
	_ = image.Rect
}
