package diagram

import (
	"image/color"
	"math"

	"github.com/zonewalk/zonewalk/assets"
)

// Units and axes of a Drawing: lengths are PostScript points (1/72 inch,
// the unit Graphviz lays out in); the origin is the top-left corner of the
// page and y grows downwards, as on screens and in PDF libraries. Painting
// at s pixels per point means multiplying every coordinate and length by s.

// Point is a position in points.
type Point struct{ X, Y float64 }

// Rect is an axis-aligned box; Min is the top-left corner.
type Rect struct{ Min, Max Point }

// Contains reports whether p lies in r (edges included).
func (r Rect) Contains(p Point) bool {
	return p.X >= r.Min.X && p.X <= r.Max.X && p.Y >= r.Min.Y && p.Y <= r.Max.Y
}

// Empty reports whether r has no area.
func (r Rect) Empty() bool { return r.Max.X <= r.Min.X || r.Max.Y <= r.Min.Y }

func (r Rect) area() float64 { return (r.Max.X - r.Min.X) * (r.Max.Y - r.Min.Y) }

// Shape is the kind of an Item.
type Shape uint8

const (
	// Polygon: Points are the vertices; the outline is closed.
	Polygon Shape = iota
	// Ellipse: Center, RX and RY.
	Ellipse
	// Bezier: a cubic B-spline as Graphviz writes it — Points[0] is the
	// start, then each following three points are control, control, end.
	Bezier
	// Polyline: Points are joined by straight segments; never filled.
	Polyline
	// Text: one line of text, see the Text fields.
	Text
)

// Align is where a Text's Pos lies on its line.
type Align uint8

const (
	AlignCenter Align = iota // Pos is the middle of the baseline
	AlignLeft                // Pos is the start of the baseline
	AlignRight               // Pos is the end of the baseline
)

// Item is one painted element. Items are painted in slice order.
type Item struct {
	Shape  Shape
	Points []Point
	Center Point   // Ellipse only
	RX, RY float64 // Ellipse only: half axes

	// Fill is painted first when its alpha is non-zero; Stroke is the
	// outline (and, for Text, the text colour) when its alpha is non-zero.
	Fill, Stroke color.NRGBA
	LineWidth    float64   // points
	Dash         []float64 // on, off, … lengths in points; nil is solid

	// Text only: Pos is on the baseline, placed per Align. Width is the
	// width Graphviz reserved for the text; renderers scale text down to fit
	// it when their font runs wider, so it never spills out of its box.
	Text     string
	Pos      Point
	Align    Align
	Width    float64
	FontSize float64 // points
	Bold     bool
	Italic   bool

	// Ref names the zone, asset or conduit this item belongs to (zero when
	// it belongs to none, e.g. a band or the legend).
	Ref assets.Ref
}

// Region is where a record sits in the drawing, for hit testing. Zones and
// assets have a Box; conduits have a Path (the curve flattened to a
// polyline) and a Box around their label.
type Region struct {
	Ref  assets.Ref
	Box  Rect
	Path []Point
}

// Drawing is a laid-out diagram as plain data: what to paint and where each
// record is. See the comment above Point for units and axes.
type Drawing struct {
	Width, Height float64 // page size in points
	Background    color.NRGBA
	Items         []Item
	Regions       []Region

	// What Pinned needs to move a node and redraw its edges; set by
	// Layout, empty in a Drawing built by hand (which Pinned leaves as is).
	nodes []nodePart
	edges []edgePart
}

// span is a range of Items, [from, to).
type span struct{ from, to int }

// nodePart is a node's items and region (-1 when it names no record).
type nodePart struct {
	ref    assets.Ref
	items  span
	region int
}

// edgePart is an edge's items by role, its ends as indexes into
// Drawing.nodes (-1 when unknown) and its region (-1 when none).
type edgePart struct {
	tail, head                        int
	path, tailArrow, headArrow, label span
	region                            int
}

// HitTest returns the record at p: an asset or zone node, or a conduit's
// label, whose box holds p (the smallest wins); else a conduit whose path
// passes within tol points of p; else the innermost zone box (a cluster).
func (d *Drawing) HitTest(p Point, tol float64) (assets.Ref, bool) {
	best := -1
	bestArea := math.Inf(1)
	for i, r := range d.Regions {
		if !r.Box.Empty() && r.Box.Contains(p) && r.Box.area() < bestArea {
			best, bestArea = i, r.Box.area()
		}
	}
	// A conduit passing over a zone cluster is the more specific target.
	bestLine, bestDist := -1, tol
	for i, r := range d.Regions {
		for j := 1; j < len(r.Path); j++ {
			if dist := segDist(p, r.Path[j-1], r.Path[j]); dist <= bestDist {
				bestLine, bestDist = i, dist
			}
		}
	}
	if bestLine >= 0 && (best < 0 || d.isCluster(best)) {
		return d.Regions[bestLine].Ref, true
	}
	if best >= 0 {
		return d.Regions[best].Ref, true
	}
	return assets.Ref{}, false
}

// isCluster reports whether region i is a box holding other regions' boxes.
func (d *Drawing) isCluster(i int) bool {
	b := d.Regions[i].Box
	for j, r := range d.Regions {
		if j != i && !r.Box.Empty() && b.Contains(r.Box.Min) && b.Contains(r.Box.Max) {
			return true
		}
	}
	return false
}

// Region returns the region of a record, if it is drawn.
func (d *Drawing) Region(ref assets.Ref) (Region, bool) {
	for _, r := range d.Regions {
		if r.Ref == ref {
			return r, true
		}
	}
	return Region{}, false
}

func segDist(p, a, b Point) float64 {
	dx, dy := b.X-a.X, b.Y-a.Y
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((p.X-a.X)*dx+(p.Y-a.Y)*dy)/l2))
	}
	return math.Hypot(p.X-(a.X+t*dx), p.Y-(a.Y+t*dy))
}

// flatten turns a Graphviz B-spline (start + 3 points per segment) into a
// polyline with n steps per segment.
func flatten(pts []Point, n int) []Point {
	if len(pts) < 4 {
		return append([]Point(nil), pts...)
	}
	out := []Point{pts[0]}
	for i := 0; i+3 < len(pts); i += 3 {
		p0, p1, p2, p3 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		for s := 1; s <= n; s++ {
			t := float64(s) / float64(n)
			u := 1 - t
			out = append(out, Point{
				X: u*u*u*p0.X + 3*u*u*t*p1.X + 3*u*t*t*p2.X + t*t*t*p3.X,
				Y: u*u*u*p0.Y + 3*u*u*t*p1.Y + 3*u*t*t*p2.Y + t*t*t*p3.Y,
			})
		}
	}
	return out
}
