package diagram

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func TestGap(t *testing.T) {
	sl := func(v ...int) assets.SLVector { var s assets.SLVector; copy(s[:], v); return s }
	cases := []struct {
		t, a assets.SLVector
		want int
	}{
		{assets.UniformSL(2), assets.UniformSL(2), 0},
		{assets.UniformSL(2), assets.UniformSL(3), 0},         // above target is no gap
		{assets.UniformSL(3), sl(3, 2, 3, 3, 1, 3, 3), 2},     // FR5 two short
		{sl(2, 0, 0, 0, 0, 0, 0), sl(1, 0, 0, 0, 0, 0, 0), 1}, // FRs without a target do not count
		{sl(0, 0, 0, 0, 0, 0, 0), sl(0, 0, 0, 0, 0, 0, 0), 0}, // no target at all
		{assets.UniformSL(4), assets.SLVector{}, 4},           // assessed with nothing met
	}
	for _, c := range cases {
		if got := Gap(c.t, c.a); got != c.want {
			t.Errorf("Gap(%v, %v) = %d, want %d", c.t, c.a, got, c.want)
		}
	}
}

// nodeLine is the DOT statement of the overview node with a record's id.
func nodeLine(t *testing.T, dot []byte, id string) string {
	t.Helper()
	for _, l := range strings.Split(string(dot), "\n") {
		if strings.Contains(l, `id="`+id+`"`) {
			return l
		}
	}
	t.Fatalf("no statement with id %q", id)
	return ""
}

func TestOverviewGapFillsAndNotes(t *testing.T) {
	m := plant(t)
	m.Achieved = map[string]assets.SLVector{}
	for _, z := range m.Zones {
		switch z.ID {
		case "z-ctl": // SL-T 2 everywhere? whatever it is, nothing achieved is its whole target short
			m.Achieved[z.ID] = assets.SLVector{}
		case "z-dmz":
			m.Achieved[z.ID] = z.SLT
		}
	}
	m.Notes = []Note{
		{On: assets.Ref{Kind: KindZone, ID: "z-ops"}, Text: "cabinet <B3> door open"},
		{On: assets.Ref{Kind: KindConduit, ID: "c-ops-ctl"}, Text: "any-any rule", Finding: true},
	}
	dot := Overview(m)
	var ctl, dmz assets.Zone
	for _, z := range m.Zones {
		switch z.ID {
		case "z-ctl":
			ctl = z
		case "z-dmz":
			dmz = z
		}
	}
	if ctl.SLT.Summary() < 2 || dmz.SLT.IsZero() {
		t.Fatalf("the plant changed: SL-T %v and %v", ctl.SLT, dmz.SLT)
	}
	if l := nodeLine(t, dot, "zone-z-ctl"); !strings.Contains(l, `fillcolor="`+colGapMore+`"`) {
		t.Errorf("zone with nothing achieved is not filled %s:\n%s", colGapMore, l)
	}
	if l := nodeLine(t, dot, "zone-z-dmz"); !strings.Contains(l, `fillcolor="`+colGapNone+`"`) {
		t.Errorf("zone meeting its target is not filled %s:\n%s", colGapNone, l)
	}
	if l := nodeLine(t, dot, "zone-z-it"); strings.Contains(l, "fillcolor") {
		t.Errorf("zone not assessed has a fill of its own:\n%s", l)
	}
	for _, want := range []string{"two or more levels short", "Zone meets its SL-T", "Zone not assessed"} {
		if !strings.Contains(string(dot), want) {
			t.Errorf("legend lacks %q", want)
		}
	}
	if strings.Contains(string(dot), "one level short") {
		t.Error("legend explains a fill no zone has")
	}
	ops := nodeLine(t, dot, "zone-z-ops")
	if !strings.Contains(ops, "NOTE") || !strings.Contains(ops, "cabinet &lt;B3&gt; door open") || !strings.Contains(ops, colNoteBg) {
		t.Errorf("zone note not in the zone's label (escaped):\n%s", ops)
	}
	c := nodeLine(t, dot, "conduit-c-ops-ctl")
	if !regexp.MustCompile(`COLOR="`+colFinding+`"><B>FINDING</B>`).MatchString(c) || !strings.Contains(c, "any-any rule") {
		t.Errorf("finding marker not red in the conduit's label:\n%s", c)
	}
	// Without marks the overview is as before: no fills, no notes.
	plain := Overview(plant(t))
	if strings.Contains(string(plain), "NOTE") || strings.Contains(string(plain), colGapNone) {
		t.Error("an overview without marks has notes or fills")
	}
	// The zone detail shows the zone's own note under its title.
	detail, err := ZoneDetail(m, "z-ops", 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(detail), "cabinet &lt;B3&gt; door open") || !strings.Contains(string(detail), "any-any rule") {
		t.Error("zone detail lacks the zone's note or its conduit's marker")
	}
}

func regionOf(t *testing.T, d *Drawing, kind, id string) Region {
	t.Helper()
	r, ok := d.Region(assets.Ref{Kind: kind, ID: id})
	if !ok {
		t.Fatalf("no region for %s %s", kind, id)
	}
	return r
}

func closeTo(a, b Point, tol float64) bool { return math.Hypot(a.X-b.X, a.Y-b.Y) <= tol }

// onBorder reports whether p lies on r's outline.
func onBorder(p Point, r Rect) bool {
	const eps = 0.01
	inX := p.X >= r.Min.X-eps && p.X <= r.Max.X+eps
	inY := p.Y >= r.Min.Y-eps && p.Y <= r.Max.Y+eps
	return inX && inY && (math.Abs(p.X-r.Min.X) < eps || math.Abs(p.X-r.Max.X) < eps ||
		math.Abs(p.Y-r.Min.Y) < eps || math.Abs(p.Y-r.Max.Y) < eps)
}

func TestPinnedMovesZoneAndRedrawsItsConduits(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	ctx := context.Background()
	base, err := r.Layout(ctx, Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	before := regionOf(t, base, KindZone, "z-ops")
	untouched := regionOf(t, base, KindConduit, "c-ctl-sis")

	pin := Point{X: base.Width + 300, Y: 60}
	d := base.Pinned(map[string]Point{"z-ops": pin, "no-such-zone": {X: 5, Y: 5}})
	ops := regionOf(t, d, KindZone, "z-ops")
	if !closeTo(ops.Box.Center(), pin, 0.01) {
		t.Fatalf("pinned zone's middle at %v, want %v", ops.Box.Center(), pin)
	}
	if w, h := ops.Box.Max.X-ops.Box.Min.X, ops.Box.Max.Y-ops.Box.Min.Y; math.Abs(w-(before.Box.Max.X-before.Box.Min.X)) > 1e-9 || math.Abs(h-(before.Box.Max.Y-before.Box.Min.Y)) > 1e-9 {
		t.Errorf("the pinned box changed size")
	}
	if d.Width < ops.Box.Max.X || d.Height < ops.Box.Max.Y {
		t.Errorf("page %gx%g does not hold the pinned box %v", d.Width, d.Height, ops.Box)
	}
	// The original is unchanged.
	if got := regionOf(t, base, KindZone, "z-ops"); got.Box != before.Box {
		t.Errorf("Pinned changed the drawing it was given: %v, was %v", got.Box, before.Box)
	}
	// The zone's texts moved with it.
	for _, it := range d.Items {
		if it.Ref.ID == "z-ops" && it.Shape == Text && !ops.Box.Contains(it.Pos) {
			t.Errorf("text %q of the pinned zone at %v, outside its box %v", it.Text, it.Pos, ops.Box)
		}
	}
	// Its conduits run straight from box to box, labelled at the middle.
	ctl := regionOf(t, d, KindZone, "z-ctl")
	for _, id := range []string{"c-ops-ctl", "c-dmz-ops"} {
		c := regionOf(t, d, KindConduit, id)
		if len(c.Path) != 2 {
			t.Fatalf("conduit %s: path of %d points, want a straight line", id, len(c.Path))
		}
		a, b := c.Path[0], c.Path[1]
		if !onBorder(a, ops.Box) && !onBorder(b, ops.Box) {
			t.Errorf("conduit %s runs %v–%v, neither end on the pinned box %v", id, a, b, ops.Box)
		}
		mid := Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}
		if !closeTo(c.Box.Center(), mid, 0.5) {
			t.Errorf("conduit %s label at %v, want the line's middle %v", id, c.Box.Center(), mid)
		}
		for _, it := range d.Items {
			if it.Ref.ID != id || it.Shape != Bezier {
				continue
			}
			for _, p := range it.Points {
				// collinear: the cross product with the line is ~0
				cross := (b.X-a.X)*(p.Y-a.Y) - (b.Y-a.Y)*(p.X-a.X)
				if math.Abs(cross)/math.Hypot(b.X-a.X, b.Y-a.Y) > 0.01 {
					t.Errorf("conduit %s curve point %v is off its straight line %v–%v", id, p, a, b)
				}
			}
		}
	}
	if c := regionOf(t, d, KindConduit, "c-ops-ctl"); !onBorder(c.Path[0], ctl.Box) && !onBorder(c.Path[1], ctl.Box) {
		t.Errorf("conduit to the unpinned zone does not end on its box %v: %v", ctl.Box, c.Path)
	}
	// A conduit of other zones is as Graphviz drew it.
	if got := regionOf(t, d, KindConduit, "c-ctl-sis"); len(got.Path) != len(untouched.Path) || got.Path[0] != untouched.Path[0] {
		t.Error("a conduit between unpinned zones was redrawn")
	}
	// A pin at the corner keeps the box on the page.
	corner := base.Pinned(map[string]Point{"z-ops": {}})
	if b := regionOf(t, corner, KindZone, "z-ops").Box; b.Min.X < pinMargin-0.01 || b.Min.Y < pinMargin-0.01 {
		t.Errorf("pin at 0,0 put the box at %v, off the page", b)
	}
	if base.Pinned(nil) != base || base.Pinned(map[string]Point{"none": {X: 1, Y: 1}}) != base {
		t.Error("Pinned without a pin that applies made a new drawing")
	}
}

// TestPinSurvivesDataChange: a zone and conduit added change the layout,
// not where the pinned zone is.
func TestPinSurvivesDataChange(t *testing.T) {
	m := plant(t)
	m.Pins = map[string]Point{"z-ops": {X: 700, Y: 90}}
	r := newTestRenderer(t)
	ctx := context.Background()
	d1, err := r.LayoutOverview(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	m.Zones = append(m.Zones, assets.Zone{Meta: assets.Meta{ID: "z-new"}, Name: "Packaging line", PurdueLevels: []assets.Purdue{assets.Purdue3}})
	m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-new"}, Name: "Packaging uplink", From: "z-new", To: "z-ops"})
	d2, err := r.LayoutOverview(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range []*Drawing{d1, d2} {
		if c := regionOf(t, d, KindZone, "z-ops").Box.Center(); !closeTo(c, m.Pins["z-ops"], 0.01) {
			t.Errorf("layout %d: pinned zone at %v, want %v", i+1, c, m.Pins["z-ops"])
		}
	}
	if c := regionOf(t, d2, KindConduit, "c-new"); len(c.Path) != 2 {
		t.Errorf("the new conduit to the pinned zone is not redrawn to it: %d points", len(c.Path))
	}
}

func TestSketched(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	base, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	ref := assets.Ref{Kind: KindConduit, ID: "c-new"}
	d, ok := base.Sketched(ref, "z-it", "z-sis", "Corporate IT – Safety system")
	if !ok {
		t.Fatal("not sketched")
	}
	c := regionOf(t, d, KindConduit, "c-new")
	it, sis := regionOf(t, d, KindZone, "z-it"), regionOf(t, d, KindZone, "z-sis")
	if len(c.Path) != 2 || !onBorder(c.Path[0], it.Box) || !onBorder(c.Path[1], sis.Box) {
		t.Fatalf("sketched line %v does not run from %v to %v", c.Path, it.Box, sis.Box)
	}
	if got, _ := d.HitTest(Point{X: (c.Path[0].X + c.Path[1].X) / 2, Y: (c.Path[0].Y + c.Path[1].Y) / 2}, 2); got != ref {
		t.Errorf("the line's middle hits %v", got)
	}
	if len(d.Items) != len(base.Items)+2 || len(base.Regions) == len(d.Regions) {
		t.Error("the sketch did not add a line and a label, or changed the drawing it was given")
	}
	if _, ok := base.Sketched(ref, "z-it", "nope", "x"); ok {
		t.Error("sketched to a zone not drawn")
	}
}
