package diagram

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/fogleman/gg"
	"golang.org/x/image/font"
)

// MaxPixels caps the size of a painted image; larger drawings are painted
// at a smaller scale rather than exhausting memory.
const MaxPixels = 40_000_000

// ErrEmptyDrawing is returned for a drawing without size.
var ErrEmptyDrawing = errors.New("drawing has no size")

// Image paints the drawing at scale pixels per point (2 suits a laptop
// screen and print alike). The scale is lowered when the image would exceed
// MaxPixels.
func Image(d *Drawing, scale float64) (*image.RGBA, error) {
	if d == nil || d.Width <= 0 || d.Height <= 0 || math.IsNaN(d.Width+d.Height) {
		return nil, ErrEmptyDrawing
	}
	if scale <= 0 || math.IsNaN(scale) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("image scale %v: must be positive", scale)
	}
	if px := d.Width * d.Height * scale * scale; px > MaxPixels {
		scale *= math.Sqrt(MaxPixels / px)
	}
	w, h := max(1, int(math.Ceil(d.Width*scale))), max(1, int(math.Ceil(d.Height*scale)))
	dc := gg.NewContext(w, h)
	dc.SetColor(d.Background)
	dc.Clear()
	p := painter{dc: dc, s: scale, faces: faceCache{}}
	defer p.faces.close()
	for i := range d.Items {
		if err := p.item(&d.Items[i]); err != nil {
			return nil, err
		}
	}
	img, ok := dc.Image().(*image.RGBA)
	if !ok {
		return nil, errors.New("painter returned an unexpected image type")
	}
	return img, nil
}

// WritePNG paints the drawing (see Image) and writes it as PNG.
func WritePNG(w io.Writer, d *Drawing, scale float64) error {
	img, err := Image(d, scale)
	if err != nil {
		return err
	}
	return png.Encode(w, img)
}

type painter struct {
	dc    *gg.Context
	s     float64
	faces faceCache
}

func (p *painter) at(pt Point) (float64, float64) { return pt.X * p.s, pt.Y * p.s }

func (p *painter) path(it *Item) {
	dc := p.dc
	dc.NewSubPath()
	switch it.Shape {
	case Polygon, Polyline:
		dc.MoveTo(p.at(it.Points[0]))
		for _, q := range it.Points[1:] {
			dc.LineTo(p.at(q))
		}
		if it.Shape == Polygon {
			dc.ClosePath()
		}
	case Bezier:
		dc.MoveTo(p.at(it.Points[0]))
		for i := 1; i+2 < len(it.Points); i += 3 {
			x1, y1 := p.at(it.Points[i])
			x2, y2 := p.at(it.Points[i+1])
			x3, y3 := p.at(it.Points[i+2])
			dc.CubicTo(x1, y1, x2, y2, x3, y3)
		}
		if it.Fill.A != 0 {
			dc.ClosePath()
		}
	case Ellipse:
		x, y := p.at(it.Center)
		dc.DrawEllipse(x, y, it.RX*p.s, it.RY*p.s)
	}
}

func (p *painter) item(it *Item) error {
	dc := p.dc
	if it.Shape == Text {
		return p.text(it)
	}
	if (it.Shape == Polygon || it.Shape == Polyline || it.Shape == Bezier) && len(it.Points) < 2 {
		return nil
	}
	if it.Fill.A != 0 && it.Shape != Polyline {
		p.path(it)
		dc.SetColor(it.Fill)
		dc.Fill()
	}
	if it.Stroke.A != 0 && it.LineWidth > 0 {
		p.path(it)
		dc.SetColor(it.Stroke)
		dc.SetLineWidth(math.Max(it.LineWidth*p.s, 0.75))
		dash := make([]float64, len(it.Dash))
		for i, v := range it.Dash {
			dash[i] = v * p.s
		}
		dc.SetDash(dash...)
		dc.SetLineCap(gg.LineCapButt)
		dc.SetLineJoin(gg.LineJoinRound)
		dc.Stroke()
	}
	return nil
}

func (p *painter) text(it *Item) error {
	if it.Stroke.A == 0 || it.FontSize <= 0 {
		return nil
	}
	px := it.FontSize * p.s
	face, err := p.faces.face(it.Bold, it.Italic, px)
	if err != nil {
		return err
	}
	w := fixedToFloat(font.MeasureString(face, it.Text))
	if limit := it.Width * p.s; limit > 0 && w > limit*1.01 {
		// Our font runs wider than the width Graphviz reserved: shrink to fit.
		face, err = p.faces.face(it.Bold, it.Italic, px*limit/w)
		if err != nil {
			return err
		}
		w = fixedToFloat(font.MeasureString(face, it.Text))
	}
	x, y := p.at(it.Pos)
	switch it.Align {
	case AlignCenter:
		x -= w / 2
	case AlignRight:
		x -= w
	}
	p.dc.SetFontFace(face)
	p.dc.SetColor(color.NRGBA(it.Stroke))
	p.dc.DrawString(it.Text, x, y)
	return nil
}
