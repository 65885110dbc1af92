package diagram

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// ErrBadLayout is wrapped by errors about Graphviz JSON that cannot be read.
var ErrBadLayout = errors.New("unreadable Graphviz layout")

// gvOp is one xdot drawing operation as Graphviz's JSON output writes it.
type gvOp struct {
	Op     string       `json:"op"`
	Points [][2]float64 `json:"points"`
	Rect   []float64    `json:"rect"` // ellipse: centre x, y, half-width, half-height
	Color  string       `json:"color"`
	Grad   string       `json:"grad"`
	Stops  []struct {
		Frac  float64 `json:"frac"`
		Color string  `json:"color"`
	} `json:"stops"`
	Style    string     `json:"style"`
	Size     float64    `json:"size"`
	Face     string     `json:"face"`
	Pt       [2]float64 `json:"pt"`
	Align    string     `json:"align"`
	Width    float64    `json:"width"`
	Text     string     `json:"text"`
	FontChar int        `json:"fontchar"`
}

// gvObject is a graph, cluster, node or edge with the attributes we read.
type gvObject struct {
	Gvid   int    `json:"_gvid"`
	Tail   int    `json:"tail"` // edges: the _gvid of the tail node
	Head   int    `json:"head"`
	Name   string `json:"name"`
	ID     string `json:"id"`
	Bb     string `json:"bb"`
	Pos    string `json:"pos"`
	Width  string `json:"width"`
	Height string `json:"height"`
	Pad    string `json:"pad"`
	Draw   []gvOp `json:"_draw_"`
	LDraw  []gvOp `json:"_ldraw_"`
	HDraw  []gvOp `json:"_hdraw_"`
	TDraw  []gvOp `json:"_tdraw_"`
	HLDraw []gvOp `json:"_hldraw_"`
	TLDraw []gvOp `json:"_tldraw_"`
}

type gvGraph struct {
	gvObject
	SubgraphCount int        `json:"_subgraph_cnt"`
	Objects       []gvObject `json:"objects"`
	Edges         []gvObject `json:"edges"`
}

// parseDrawing converts Graphviz "json" output into a Drawing.
func parseDrawing(data []byte) (*Drawing, error) {
	var g gvGraph
	if bytes.Contains(data, []byte("[nan,")) || bytes.Contains(data, []byte(",nan]")) {
		// Graphviz writes NaN when a layout step divides by zero; JSON
		// cannot carry it, and a drawing could not use it.
		return nil, fmt.Errorf("%w: Graphviz computed coordinates that are not numbers", ErrBadLayout)
	}
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadLayout, err)
	}
	bb, err := parseBox(g.Bb)
	if err != nil {
		return nil, fmt.Errorf("%w: graph bb: %v", ErrBadLayout, err)
	}
	if bb[2] < bb[0] || bb[3] < bb[1] || bb[2]-bb[0] > 1e6 || bb[3]-bb[1] > 1e6 {
		return nil, fmt.Errorf("%w: graph bb %q out of range", ErrBadLayout, g.Bb)
	}
	pad := 4.0 // Graphviz's default, in points
	if g.Pad != "" {
		if p, err := strconv.ParseFloat(strings.SplitN(g.Pad, ",", 2)[0], 64); err == nil && p >= 0 && p < 10 {
			pad = p * 72
		}
	}
	c := converter{
		d:   &Drawing{Width: bb[2] - bb[0] + 2*pad, Height: bb[3] - bb[1] + 2*pad, Background: color.NRGBA{255, 255, 255, 255}},
		ox:  pad - bb[0],
		top: bb[3] + pad,
	}
	if err := c.ops(g.Draw, assets.Ref{}); err != nil {
		return nil, err
	}
	if err := c.ops(g.LDraw, assets.Ref{}); err != nil {
		return nil, err
	}
	if n := g.SubgraphCount; n < 0 || n > len(g.Objects) {
		return nil, fmt.Errorf("%w: %d subgraphs but %d objects", ErrBadLayout, n, len(g.Objects))
	}
	clusters, nodes := g.Objects[:g.SubgraphCount], g.Objects[g.SubgraphCount:]

	for _, o := range clusters {
		ref := parseRef(o.ID)
		if err := c.ops(o.Draw, ref); err != nil {
			return nil, err
		}
		if ref.Kind != "" && o.Bb != "" {
			b, err := parseBox(o.Bb)
			if err != nil {
				return nil, fmt.Errorf("%w: cluster %q bb: %v", ErrBadLayout, o.Name, err)
			}
			c.d.Regions = append(c.d.Regions, Region{Ref: ref, Box: c.box(b)})
		}
	}
	// Edge lines before nodes (outputorder=edgesfirst) and edge labels after
	// all lines, so no line crosses a label.
	// Nodes are written last (below), but edges name them by _gvid.
	nodeIndex := map[int]int{}
	for i, o := range nodes {
		nodeIndex[o.Gvid] = i
	}
	edgeIndex := func(gvid int) int {
		if i, ok := nodeIndex[gvid]; ok {
			return i
		}
		return -1
	}
	for _, e := range g.Edges {
		ref := parseRef(e.ID)
		part := edgePart{tail: edgeIndex(e.Tail), head: edgeIndex(e.Head), region: -1}
		spans := [3]*span{&part.path, &part.tailArrow, &part.headArrow}
		for i, list := range [][]gvOp{e.Draw, e.TDraw, e.HDraw} {
			start := len(c.d.Items)
			if err := c.ops(list, ref); err != nil {
				return nil, err
			}
			*spans[i] = span{start, len(c.d.Items)}
		}
		if ref.Kind != "" {
			part.region = len(c.d.Regions)
			c.d.Regions = append(c.d.Regions, Region{Ref: ref, Path: c.edgePath(e.Draw)})
		}
		c.d.edges = append(c.d.edges, part)
	}
	// Cluster captions after the lines, so a conduit never strikes through
	// a band's or zone's name.
	for _, o := range clusters {
		if err := c.ops(o.LDraw, parseRef(o.ID)); err != nil {
			return nil, err
		}
	}
	for k, e := range g.Edges {
		ref := parseRef(e.ID)
		start := len(c.d.Items)
		for _, list := range [][]gvOp{e.LDraw, e.TLDraw, e.HLDraw} {
			if err := c.ops(list, ref); err != nil {
				return nil, err
			}
		}
		c.d.edges[k].label = span{start, len(c.d.Items)}
		if ref.Kind != "" {
			for i := range c.d.Regions {
				if c.d.Regions[i].Ref == ref && c.d.Regions[i].Box.Empty() {
					c.d.Regions[i].Box = bounds(c.d.Items[start:])
					break
				}
			}
		}
	}
	for _, o := range nodes {
		ref := parseRef(o.ID)
		start := len(c.d.Items)
		if err := c.ops(o.Draw, ref); err != nil {
			return nil, err
		}
		if err := c.ops(o.LDraw, ref); err != nil {
			return nil, err
		}
		part := nodePart{ref: ref, items: span{start, len(c.d.Items)}, region: -1}
		if ref.Kind != "" {
			part.region = len(c.d.Regions)
			c.d.Regions = append(c.d.Regions, Region{Ref: ref, Box: bounds(c.d.Items[start:])})
		}
		c.d.nodes = append(c.d.nodes, part)
	}
	return c.d, nil
}

// parseRef reads the ids the DOT builders give records: "zone-<id>" etc.
func parseRef(id string) assets.Ref {
	kind, rest, ok := strings.Cut(id, "-")
	if !ok || rest == "" {
		if id == KindExternal {
			return assets.Ref{Kind: KindExternal}
		}
		return assets.Ref{}
	}
	switch kind {
	case KindZone, KindAsset, KindConduit:
		return assets.Ref{Kind: kind, ID: rest}
	}
	return assets.Ref{}
}

func parseBox(s string) ([4]float64, error) {
	var b [4]float64
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return b, fmt.Errorf("%q is not four numbers", s)
	}
	for i, x := range f {
		v, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return b, fmt.Errorf("%q is not four numbers", s)
		}
		b[i] = v
	}
	return b, nil
}

// converter turns xdot operations into Items, flipping y.
type converter struct {
	d       *Drawing
	ox, top float64
}

func (c *converter) pt(p [2]float64) Point { return Point{p[0] + c.ox, c.top - p[1]} }

func (c *converter) box(b [4]float64) Rect {
	return Rect{Min: c.pt([2]float64{b[0], b[3]}), Max: c.pt([2]float64{b[2], b[1]})}
}

// maxCoord bounds coordinates: Graphviz's own limit for a drawing is far
// below it, and painters would spend forever on curves beyond it.
const maxCoord = 1e6

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.Abs(v) > maxCoord {
			return false
		}
	}
	return true
}

func (c *converter) pts(ps [][2]float64) ([]Point, error) {
	out := make([]Point, len(ps))
	for i, p := range ps {
		if !finite(p[0], p[1]) {
			return nil, fmt.Errorf("%w: coordinate (%g, %g) out of range", ErrBadLayout, p[0], p[1])
		}
		out[i] = c.pt(p)
	}
	return out, nil
}

func (c *converter) edgePath(ops []gvOp) []Point {
	var path []Point
	for _, o := range ops {
		switch o.Op {
		case "b", "B", "L":
			pts, err := c.pts(o.Points)
			if err != nil {
				return nil // drawing the edge already failed on these points
			}
			if o.Op != "L" {
				pts = flatten(pts, 8)
			}
			path = append(path, pts...)
		}
	}
	return path
}

// penState is the drawing state xdot operations set; each list starts fresh.
type penState struct {
	pen, fill  color.NRGBA
	width      float64
	dash       []float64
	invisible  bool
	size       float64
	bold, ital bool
}

func (c *converter) ops(list []gvOp, ref assets.Ref) error {
	s := penState{pen: color.NRGBA{0, 0, 0, 255}, fill: color.NRGBA{0, 0, 0, 255}, width: 1, size: 14}
	for _, o := range list {
		item := Item{Stroke: s.pen, LineWidth: s.width, Dash: s.dash, Ref: ref}
		switch o.Op {
		case "c":
			s.pen = parseColor(o.Color, o.Stops)
			continue
		case "C":
			s.fill = parseColor(o.Color, o.Stops)
			continue
		case "S":
			s.style(o.Style)
			continue
		case "F":
			if o.Size > 0 && o.Size < 500 {
				s.size = o.Size
			}
			// A face like "Helvetica-Bold" carries the weight in its name.
			face := strings.ToLower(o.Face)
			s.bold = strings.Contains(face, "bold")
			s.ital = strings.Contains(face, "italic") || strings.Contains(face, "oblique")
			continue
		case "t":
			s.bold = o.FontChar&1 != 0
			s.ital = o.FontChar&2 != 0
			continue
		case "P", "p":
			if len(o.Points) < 2 {
				return fmt.Errorf("%w: polygon with %d points", ErrBadLayout, len(o.Points))
			}
			item.Shape = Polygon
			if o.Op == "P" {
				item.Fill = s.fill
			}
		case "B", "b":
			// Graphviz's JSON writer names the filled B-spline "B" and the
			// unfilled one "b" (the xdot text format has them the other way
			// round); edges always arrive as "b".
			if len(o.Points) < 4 || (len(o.Points)-1)%3 != 0 {
				return fmt.Errorf("%w: B-spline with %d points", ErrBadLayout, len(o.Points))
			}
			item.Shape = Bezier
			if o.Op == "B" {
				item.Fill = s.fill
			}
		case "L":
			if len(o.Points) < 2 {
				return fmt.Errorf("%w: polyline with %d points", ErrBadLayout, len(o.Points))
			}
			item.Shape = Polyline
		case "E", "e":
			if len(o.Rect) != 4 || !finite(o.Rect...) {
				return fmt.Errorf("%w: ellipse %v", ErrBadLayout, o.Rect)
			}
			item.Shape = Ellipse
			item.Center = c.pt([2]float64{o.Rect[0], o.Rect[1]})
			item.RX, item.RY = math.Abs(o.Rect[2]), math.Abs(o.Rect[3])
			if o.Op == "E" {
				item.Fill = s.fill
			}
		case "T":
			if !finite(o.Pt[0], o.Pt[1], o.Width) || o.Width < 0 {
				return fmt.Errorf("%w: text at %v, %v wide", ErrBadLayout, o.Pt, o.Width)
			}
			item = Item{Shape: Text, Text: o.Text, Pos: c.pt(o.Pt), Width: o.Width, FontSize: s.size,
				Bold: s.bold, Italic: s.ital, Stroke: s.pen, Ref: ref}
			switch o.Align {
			case "l":
				item.Align = AlignLeft
			case "r":
				item.Align = AlignRight
			}
			if strings.TrimSpace(item.Text) == "" {
				continue
			}
		default:
			continue // images, gradients' extra ops and future ops: nothing to paint
		}
		if item.Shape == Polygon || item.Shape == Bezier || item.Shape == Polyline {
			pts, err := c.pts(o.Points)
			if err != nil {
				return err
			}
			item.Points = pts
		}
		if s.invisible {
			continue
		}
		c.d.Items = append(c.d.Items, item)
	}
	return nil
}

func (s *penState) style(v string) {
	switch {
	case v == "dashed":
		s.dash, s.invisible = []float64{5, 3}, false
	case v == "dotted":
		s.dash, s.invisible = []float64{1, 3}, false
	case v == "solid":
		s.dash, s.invisible = nil, false
	case v == "invis" || v == "invisible":
		s.invisible = true
	case v == "bold":
		s.width = 2
	case strings.HasPrefix(v, "setlinewidth(") && strings.HasSuffix(v, ")"):
		if w, err := strconv.ParseFloat(v[len("setlinewidth("):len(v)-1], 64); err == nil && w >= 0 && w < 100 {
			s.width = w
		}
	}
}

// parseColor reads "#rrggbb", "#rrggbbaa" and the few names Graphviz may
// pass through; a gradient paints in its first stop's colour.
func parseColor(s string, stops []struct {
	Frac  float64 `json:"frac"`
	Color string  `json:"color"`
}) color.NRGBA {
	if s == "" && len(stops) > 0 {
		s = stops[0].Color
	}
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "none", "transparent", "invis":
		return color.NRGBA{}
	case "white":
		return color.NRGBA{255, 255, 255, 255}
	case "black", "":
		return color.NRGBA{0, 0, 0, 255}
	}
	if len(s) != 7 && len(s) != 9 || s[0] != '#' {
		return color.NRGBA{0, 0, 0, 255}
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{0, 0, 0, 255}
	}
	if len(s) == 7 {
		return color.NRGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}
	}
	return color.NRGBA{uint8(v >> 24), uint8(v >> 16), uint8(v >> 8), uint8(v)}
}

// bounds is the box around items' geometry (text by its reserved width).
func bounds(items []Item) Rect {
	var r Rect
	first := true
	add := func(p Point) {
		if first {
			r = Rect{p, p}
			first = false
			return
		}
		r.Min.X, r.Min.Y = math.Min(r.Min.X, p.X), math.Min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = math.Max(r.Max.X, p.X), math.Max(r.Max.Y, p.Y)
	}
	for _, it := range items {
		switch it.Shape {
		case Ellipse:
			add(Point{it.Center.X - it.RX, it.Center.Y - it.RY})
			add(Point{it.Center.X + it.RX, it.Center.Y + it.RY})
		case Text:
			x0 := it.Pos.X
			switch it.Align {
			case AlignCenter:
				x0 -= it.Width / 2
			case AlignRight:
				x0 -= it.Width
			}
			add(Point{x0, it.Pos.Y - it.FontSize})
			add(Point{x0 + it.Width, it.Pos.Y + it.FontSize*0.3})
		default:
			for _, p := range it.Points {
				add(p)
			}
		}
	}
	return r
}
