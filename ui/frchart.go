package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// frSeries is one set of bars of an FR chart: a level per FR, nil when
// there is none (not assessed, or absent on that side).
type frSeries struct {
	name string
	v    *assets.SLVector
	fill fyne.ThemeColorName
}

// frChart shows levels per foundational requirement as bars side by side,
// 0 to 4, with the target level (SL-T) as a mark across each group and the
// numbers under it, so the chart also reads without colour.
type frChart struct {
	widget.BaseWidget
	title  string
	target *assets.SLVector
	series []frSeries
}

// Sizes of the chart, before the theme's scaling.
const (
	frBarMax   = 48 // height of a level-4 bar
	frBarW     = 10
	frGroupW   = 64
	frTitleW   = 150
	frTextRows = 2 // FR name, numbers
)

func newFRChart(title string, target *assets.SLVector, series ...frSeries) *frChart {
	c := &frChart{title: shortName(title, 22), target: target, series: series}
	c.ExtendBaseWidget(c)
	return c
}

func (c *frChart) CreateRenderer() fyne.WidgetRenderer {
	r := &frChartRenderer{c: c}
	r.build()
	return r
}

// numbers reads one FR's levels as "1 → 2" (– where there is none).
func (c *frChart) numbers(i int) string {
	s := ""
	for k, se := range c.series {
		if k > 0 {
			s += " → "
		}
		if se.v == nil {
			s += "–"
		} else {
			s += strconv.Itoa(se.v[i])
		}
	}
	return s
}

type frChartRenderer struct {
	c       *frChart
	title   *canvas.Text
	base    *canvas.Line
	bars    [][]*canvas.Rectangle // [FR][series]
	marks   []*canvas.Line
	labels  []*canvas.Text
	numbers []*canvas.Text
	objs    []fyne.CanvasObject
}

func (r *frChartRenderer) build() {
	size := theme.CaptionTextSize()
	r.title = canvas.NewText(r.c.title, theme.Color(theme.ColorNameForeground))
	r.title.TextStyle.Bold = true
	r.base = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.objs = []fyne.CanvasObject{r.title, r.base}
	for i, fr := range assets.FRs {
		var bars []*canvas.Rectangle
		for _, se := range r.c.series {
			b := canvas.NewRectangle(theme.Color(se.fill))
			bars = append(bars, b)
			r.objs = append(r.objs, b)
		}
		r.bars = append(r.bars, bars)
		m := canvas.NewLine(theme.Color(theme.ColorNameError))
		m.StrokeWidth = 2
		l := canvas.NewText(fr.String(), theme.Color(theme.ColorNameForeground))
		l.TextSize = size
		l.Alignment = fyne.TextAlignCenter
		n := canvas.NewText(r.c.numbers(i), theme.Color(theme.ColorNameForeground))
		n.TextSize = size
		n.Alignment = fyne.TextAlignCenter
		r.marks, r.labels, r.numbers = append(r.marks, m), append(r.labels, l), append(r.numbers, n)
		r.objs = append(r.objs, m, l, n)
	}
}

func (r *frChartRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	r.title.Move(fyne.NewPos(0, frBarMax/2-r.title.MinSize().Height/2))
	base := float32(frBarMax + pad)
	left := float32(frTitleW)
	r.base.Position1 = fyne.NewPos(left, base)
	r.base.Position2 = fyne.NewPos(left+frGroupW*float32(len(assets.FRs)), base)
	line := theme.CaptionTextSize() + pad
	n := float32(len(r.c.series))
	for i := range assets.FRs {
		x := left + float32(i)*frGroupW
		cx := x + frGroupW/2
		for k, b := range r.bars[i] {
			v := r.c.series[k].v
			h := float32(0)
			if v != nil {
				h = frBarMax * float32(v[i]) / 4
			}
			bx := cx - n*(frBarW+1)/2 + float32(k)*(frBarW+1)
			b.Move(fyne.NewPos(bx, base-h))
			b.Resize(fyne.NewSize(frBarW, h))
		}
		m := r.marks[i]
		if t := r.c.target; t != nil && t[i] > 0 {
			y := base - frBarMax*float32(t[i])/4
			m.Position1, m.Position2 = fyne.NewPos(cx-n*(frBarW+1)/2-4, y), fyne.NewPos(cx+n*(frBarW+1)/2+4, y)
			m.Show()
		} else {
			m.Hide()
		}
		r.labels[i].Move(fyne.NewPos(x, base+pad/2))
		r.labels[i].Resize(fyne.NewSize(frGroupW, line))
		r.numbers[i].Move(fyne.NewPos(x, base+pad/2+line))
		r.numbers[i].Resize(fyne.NewSize(frGroupW, line))
	}
}

func (r *frChartRenderer) MinSize() fyne.Size {
	line := theme.CaptionTextSize() + theme.Padding()
	return fyne.NewSize(frTitleW+frGroupW*float32(len(assets.FRs)), frBarMax+theme.Padding()*1.5+frTextRows*line)
}

func (r *frChartRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	r.title.Text, r.title.Color = r.c.title, fg
	r.base.StrokeColor = fg
	for i := range assets.FRs {
		for k, b := range r.bars[i] {
			b.FillColor = theme.Color(r.c.series[k].fill)
		}
		r.marks[i].StrokeColor = theme.Color(theme.ColorNameError)
		r.labels[i].Color, r.numbers[i].Color = fg, fg
		r.numbers[i].Text = r.c.numbers(i)
	}
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *frChartRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *frChartRenderer) Destroy()                     {}
