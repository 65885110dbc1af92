package diagram

import (
	"context"
	"image/color"
	"math"
	"slices"

	"github.com/zonewalk/zonewalk/assets"
)

// Pins: the auditor may put a zone of the overview where they want it.
// The overview stays a dot layout (Purdue bands as clusters, ranks top to
// bottom) and the pins are applied to the laid-out Drawing: each pinned
// zone's node moves to its pin, and the lines that end at it are redrawn
// straight between the boxes. So a pinned zone is exactly where it was put
// whatever the data does, and the rest of the drawing is the layout it
// would have been anyway. (Graphviz's own pins, pos with pin=true, exist
// only in neato and fdp, which draw no bands and rearrange every unpinned
// zone at the first pin; dot's rank and order constraints keep a zone's
// row and neighbours but not its place, which moves with every zone added.)
// See docs/diagrams.md.

// pinMargin keeps a pinned box this far inside the page's edge, in points.
const pinMargin = 8

// LayoutOverview lays out the overview of m and moves its pinned zones
// (m.Pins) into place: the drawing the screen, the PNG and PDF files and
// the report show.
func (r *Renderer) LayoutOverview(ctx context.Context, m *Model) (*Drawing, error) {
	d, err := r.Layout(ctx, Overview(m))
	if err != nil {
		return nil, err
	}
	return d.Pinned(m.Pins), nil
}

// Pinned returns the drawing with each zone in pins (zone ID → the middle
// of its box, in points from the top-left corner) moved there, and every
// line ending at a moved zone redrawn straight between the boxes, with its
// label at its middle and its arrow heads at its ends. The page grows to
// hold what moved; a pin too close to the top or left edge is moved in so
// the whole box shows. d itself is not changed, and is returned as is when
// nothing moves (no pins, no such zone, or a Drawing not made by Layout).
func (d *Drawing) Pinned(pins map[string]Point) *Drawing {
	if d == nil || len(pins) == 0 || len(d.nodes) == 0 {
		return d
	}
	out := *d
	out.Items = slices.Clone(d.Items)
	out.Regions = slices.Clone(d.Regions)
	moved := make([]bool, len(d.nodes))
	movedAny := false
	for i, n := range d.nodes {
		if n.ref.Kind != KindZone || n.region < 0 {
			continue
		}
		p, ok := pins[n.ref.ID]
		if !ok || !finite(p.X, p.Y) {
			continue
		}
		box := d.Regions[n.region].Box
		w, h := box.Max.X-box.Min.X, box.Max.Y-box.Min.Y
		p.X, p.Y = math.Max(p.X, w/2+pinMargin), math.Max(p.Y, h/2+pinMargin)
		dx, dy := p.X-(box.Min.X+w/2), p.Y-(box.Min.Y+h/2)
		if math.Abs(dx) < 0.01 && math.Abs(dy) < 0.01 {
			continue
		}
		moved[i], movedAny = true, true
		for k := n.items.from; k < n.items.to; k++ {
			out.Items[k] = translated(out.Items[k], dx, dy)
		}
		out.Regions[n.region].Box = box.moved(dx, dy)
	}
	if !movedAny {
		return d
	}
	for _, e := range d.edges {
		if e.tail >= 0 && e.head >= 0 && (moved[e.tail] || moved[e.head]) {
			out.reroute(e)
		}
	}
	if b := bounds(out.Items); !b.Empty() {
		out.Width = math.Max(out.Width, b.Max.X+pinMargin)
		out.Height = math.Max(out.Height, b.Max.Y+pinMargin)
	}
	return &out
}

func (r Rect) moved(dx, dy float64) Rect {
	return Rect{Min: Point{r.Min.X + dx, r.Min.Y + dy}, Max: Point{r.Max.X + dx, r.Max.Y + dy}}
}

// Center is the middle of r.
func (r Rect) Center() Point { return Point{(r.Min.X + r.Max.X) / 2, (r.Min.Y + r.Max.Y) / 2} }

// translated is it moved by (dx, dy); its points are copied, not changed.
func translated(it Item, dx, dy float64) Item {
	if it.Points != nil {
		pts := make([]Point, len(it.Points))
		for i, p := range it.Points {
			pts[i] = Point{p.X + dx, p.Y + dy}
		}
		it.Points = pts
	}
	it.Center = Point{it.Center.X + dx, it.Center.Y + dy}
	it.Pos = Point{it.Pos.X + dx, it.Pos.Y + dy}
	return it
}

// nodeBox is the box of node i: its region's, else its items'.
func (d *Drawing) nodeBox(i int) Rect {
	n := d.nodes[i]
	if n.region >= 0 {
		return d.Regions[n.region].Box
	}
	return bounds(d.Items[n.items.from:n.items.to])
}

// reroute redraws edge e straight from its tail's box to its head's.
func (d *Drawing) reroute(e edgePart) {
	tb, hb := d.nodeBox(e.tail), d.nodeBox(e.head)
	tc, hc := tb.Center(), hb.Center()
	if tc == hc {
		return
	}
	start, end := exit(tb, tc, hc), exit(hb, hc, tc)
	ux, uy := end.X-start.X, end.Y-start.Y
	l := math.Hypot(ux, uy)
	if l < 1 {
		// The boxes touch or overlap: a line between their middles.
		start, end = tc, hc
		ux, uy = end.X-start.X, end.Y-start.Y
		l = math.Hypot(ux, uy)
	}
	ux, uy = ux/l, uy/l
	// Arrow heads keep their size; the line stops at their base.
	arrow := func(s span, tip Point, dirX, dirY float64) Point {
		if s.to <= s.from {
			return tip
		}
		size := math.Min(diameter(d.Items[s.from:s.to]), math.Min(20, l/3))
		base := Point{tip.X - dirX*size, tip.Y - dirY*size}
		hw := size / 3
		tri := []Point{{base.X - dirY*hw, base.Y + dirX*hw}, tip, {base.X + dirY*hw, base.Y - dirX*hw}}
		for k := s.from; k < s.to; k++ {
			if d.Items[k].Shape == Polygon {
				d.Items[k].Points = tri
			}
		}
		return base
	}
	pathStart := arrow(e.tailArrow, start, -ux, -uy)
	pathEnd := arrow(e.headArrow, end, ux, uy)
	curve := []Point{pathStart,
		{pathStart.X + (pathEnd.X-pathStart.X)/3, pathStart.Y + (pathEnd.Y-pathStart.Y)/3},
		{pathStart.X + 2*(pathEnd.X-pathStart.X)/3, pathStart.Y + 2*(pathEnd.Y-pathStart.Y)/3},
		pathEnd}
	for k := e.path.from; k < e.path.to; k++ {
		if it := &d.Items[k]; it.Shape == Bezier || it.Shape == Polyline {
			it.Shape, it.Points = Bezier, curve
		}
	}
	// The label goes to the middle of the new line.
	if e.label.to > e.label.from {
		lb := bounds(d.Items[e.label.from:e.label.to])
		c := lb.Center()
		dx, dy := (start.X+end.X)/2-c.X, (start.Y+end.Y)/2-c.Y
		for k := e.label.from; k < e.label.to; k++ {
			d.Items[k] = translated(d.Items[k], dx, dy)
		}
	}
	if e.region >= 0 {
		r := &d.Regions[e.region]
		r.Path = []Point{start, end}
		if e.label.to > e.label.from {
			r.Box = bounds(d.Items[e.label.from:e.label.to])
		}
	}
}

// exit is where the line from c (the middle of box) towards t leaves box.
func exit(box Rect, c, t Point) Point {
	vx, vy := t.X-c.X, t.Y-c.Y
	s := 1.0
	if hw := (box.Max.X - box.Min.X) / 2; vx != 0 {
		s = math.Min(s, hw/math.Abs(vx))
	}
	if hh := (box.Max.Y - box.Min.Y) / 2; vy != 0 {
		s = math.Min(s, hh/math.Abs(vy))
	}
	return Point{c.X + vx*s, c.Y + vy*s}
}

// diameter is the largest distance between two points of the items.
func diameter(items []Item) float64 {
	var pts []Point
	for _, it := range items {
		pts = append(pts, it.Points...)
	}
	most := 0.0
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			most = math.Max(most, math.Hypot(pts[i].X-pts[j].X, pts[i].Y-pts[j].Y))
		}
	}
	return most
}

// Sketched returns d with a straight line from zone from's box to zone
// to's, named ref and labelled label: a conduit just drawn, shown at once
// while Graphviz lays the diagram out again (which replaces the drawing).
// ok is false, and d returned, when either zone is not drawn.
func (d *Drawing) Sketched(ref assets.Ref, from, to, label string) (*Drawing, bool) {
	a, okA := d.Region(assets.Ref{Kind: KindZone, ID: from})
	b, okB := d.Region(assets.Ref{Kind: KindZone, ID: to})
	if !okA || !okB || a.Box.Empty() || b.Box.Empty() || from == to {
		return d, false
	}
	ac, bc := a.Box.Center(), b.Box.Center()
	start, end := exit(a.Box, ac, bc), exit(b.Box, bc, ac)
	out := *d
	out.Items = slices.Clone(d.Items)
	out.Regions = slices.Clone(d.Regions)
	ink := color.NRGBA{0x47, 0x55, 0x69, 0xff} // colLine
	mid := Point{X: (start.X + end.X) / 2, Y: (start.Y + end.Y) / 2}
	out.Items = append(out.Items,
		Item{Shape: Polyline, Points: []Point{start, end}, Stroke: ink, LineWidth: 1.4, Ref: ref},
		Item{Shape: Text, Text: label, Pos: mid, FontSize: 9, Bold: true, Stroke: ink, Ref: ref})
	out.Regions = append(out.Regions, Region{Ref: ref, Path: []Point{start, end}})
	return &out, true
}
