package ui

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// undoStack collects what a session offers to undo, as the shell does.
type undoStack []func() error

func (u *undoStack) attach(s *session) {
	s.undo = func(_ string, fn func() error) { *u = append(*u, fn) }
}

// undoLast runs the newest undo, as Ctrl+Z does.
func (u *undoStack) undoLast(t *testing.T) {
	t.Helper()
	if len(*u) == 0 {
		t.Fatal("nothing was offered to undo")
	}
	fn := (*u)[len(*u)-1]
	*u = (*u)[:len(*u)-1]
	if err := fn(); err != nil {
		t.Fatal(err)
	}
}

// openDiagram shows the diagram screen of a demo session, laid out.
func openDiagram(t *testing.T) (*session, *diagramScreen, *undoStack) {
	t.Helper()
	s := demoSession(t)
	u := &undoStack{}
	u.attach(s)
	d := newDiagramScreen(s)
	s.win.SetContent(d.build())
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	return s, d, u
}

// middle is where a record is drawn, on the board.
func middle(t testing.TB, d *diagramScreen, kind, id string) fyne.Position {
	t.Helper()
	r, ok := d.drawing.Region(assets.Ref{Kind: kind, ID: id})
	if !ok {
		t.Fatalf("%s %s is not drawn", kind, id)
	}
	c := r.Box.Center()
	return fyne.NewPos(float32(c.X)*d.scale, float32(c.Y)*d.scale)
}

// dragBoard drags on the board from one place to another as the desktop
// driver reports it: a press, then events at the pointer with the
// distance moved since the last.
func dragBoard(d *diagramScreen, from, to fyne.Position, mod fyne.KeyModifier) {
	b := d.board
	b.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: mod})
	half := fyne.NewDelta((to.X-from.X)/2, (to.Y-from.Y)/2)
	b.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from.AddXY(half.DX, half.DY)}, Dragged: half})
	b.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: half})
	b.DragEnd()
}

// twoZonesApart are two zones of the demo with no conduit between them.
func twoZonesApart(t *testing.T, s *session) (a, b assets.Zone) {
	t.Helper()
	joined := map[[2]string]bool{}
	for _, c := range s.ws.Conduits() {
		joined[[2]string{c.From, c.To}], joined[[2]string{c.To, c.From}] = true, true
	}
	zs := s.ws.Zones()
	for i := range zs {
		for j := range zs {
			if i != j && !joined[[2]string{zs[i].ID, zs[j].ID}] {
				return zs[i], zs[j]
			}
		}
	}
	t.Fatal("every two zones of the demo are joined")
	return
}

func conduitBetween(s *session, a, b string) (assets.Conduit, bool) {
	for _, c := range s.ws.Conduits() {
		if c.From == a && c.To == b {
			return c, true
		}
	}
	return assets.Conduit{}, false
}

func TestDiagramDragZoneOntoZoneDrawsConduit(t *testing.T) {
	s, d, undo := openDiagram(t)
	a, b := twoZonesApart(t, s)
	n := len(s.ws.Conduits())
	dragBoard(d, middle(t, d, "zone", a.ID), middle(t, d, "zone", b.ID), 0)
	c, ok := conduitBetween(s, a.ID, b.ID)
	if !ok || len(s.ws.Conduits()) != n+1 {
		t.Fatalf("no conduit %s → %s after the drag; %d conduits, were %d", a.Name, b.Name, len(s.ws.Conduits()), n)
	}
	if c.Name != a.Name+" – "+b.Name || c.Direction != assets.Bidirectional {
		t.Errorf("drawn conduit %q, direction %q", c.Name, c.Direction)
	}
	// Its details open beside the drawing, the cursor in its name.
	// It is drawn at once, before Graphviz lays the overview out again.
	if _, ok := d.drawing.Region(assets.Ref{Kind: "conduit", ID: c.ID}); !ok {
		t.Error("the drawn conduit is not on the diagram right after the drop")
	}
	if !d.side.Visible() || d.panel.cur.ID != c.ID || d.panel.name.Text != c.Name {
		t.Fatalf("details panel: shown %v, conduit %q, name %q", d.side.Visible(), d.panel.cur.ID, d.panel.name.Text)
	}
	if s.win.Canvas().Focused() != d.panel.name {
		t.Error("the name field does not have the keys")
	}
	// Typing a name and a flow saves them.
	d.panel.name.SetText("SCADA uplink")
	d.panel.flows.SetText("Modbus/TCP 502")
	d.panel.commit()
	if got, _ := s.ws.Conduit(c.ID); got.Name != "SCADA uplink" || len(got.Flows) != 1 || got.Flows[0].Ports != "502" {
		t.Fatalf("panel edits not saved: %+v", got)
	}
	// The new conduit is drawn.
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.drawing.Region(assets.Ref{Kind: "conduit", ID: c.ID}); !ok {
		t.Error("the drawn conduit is not on the diagram")
	}
	// Ctrl+Z takes it away and the panel with it.
	undo.undoLast(t)
	d.refresh()
	if _, ok := s.ws.Conduit(c.ID); ok {
		t.Fatal("undo left the conduit")
	}
	if d.side.Visible() {
		t.Error("the panel of an undone conduit is still shown")
	}
}

func TestDiagramDragCancelledByEscape(t *testing.T) {
	s, d, _ := openDiagram(t)
	a, b := twoZonesApart(t, s)
	n := len(s.ws.Conduits())
	from, to := middle(t, d, "zone", a.ID), middle(t, d, "zone", b.ID)
	d.board.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}})
	d.board.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(to.X-from.X, to.Y-from.Y)})
	if d.edit.drag == nil || d.edit.drag.target.ID != b.ID {
		t.Fatalf("drag over %s: target %+v", b.Name, d.edit.drag)
	}
	if len(d.board.marks.Objects) == 0 {
		t.Error("no feedback drawn while dragging")
	}
	d.board.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	d.board.DragEnd()
	if len(s.ws.Conduits()) != n {
		t.Fatal("a cancelled drag drew a conduit")
	}
	if pins, _ := s.ws.DiagramPins(); len(pins) != 0 {
		t.Fatal("a cancelled drag pinned a zone")
	}
}

func TestDiagramKeyboardConnect(t *testing.T) {
	s, d, _ := openDiagram(t)
	test.Tap(d.board) // the keys go to the board
	d.board.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	from := d.edit.cursor
	if from.Kind != "zone" {
		t.Fatalf("the first arrow key picked %+v, want a zone", from)
	}
	d.board.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if d.edit.cursor == from || d.edit.cursor.Kind != "zone" {
		t.Fatalf("Down from the top zone stayed at %+v", d.edit.cursor)
	}
	from = d.edit.cursor
	// The other end: a zone not yet joined to it.
	var to assets.Zone
	for _, z := range s.ws.Zones() {
		if _, ok := conduitBetween(s, from.ID, z.ID); !ok && z.ID != from.ID {
			to = z
			break
		}
	}
	d.board.TypedRune('c')
	p := d.edit.picker
	if p == nil {
		t.Fatal("C opened no zone picker")
	}
	for _, z := range p.all {
		if z.ID == from.ID {
			t.Error("the picker offers the zone itself")
		}
	}
	test.Type(p.entry, strings.ToLower(to.Name))
	if len(p.matches) == 0 || p.matches[0].ID != to.ID {
		t.Fatalf("typing %q matched %+v", to.Name, p.matches)
	}
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if d.edit.picker != nil {
		t.Error("the picker stays open after Enter")
	}
	if _, ok := conduitBetween(s, from.ID, to.ID); !ok {
		t.Fatalf("no conduit from %s to %s after C, %q, Enter", from.ID, to.Name, to.Name)
	}
	// Escape cancels the picker.
	n := len(s.ws.Conduits())
	d.board.TypedRune('c')
	d.edit.picker.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if d.edit.picker != nil || len(s.ws.Conduits()) != n {
		t.Error("Escape did not cancel the picker")
	}
}

// emptySpot is a place of the overview, near the right edge, on no zone.
func emptySpot(t *testing.T, d *diagramScreen) fyne.Position {
	t.Helper()
	for y := 40.0; y < d.drawing.Height; y += 10 {
		for x := d.drawing.Width - 60; x > 60; x -= 10 {
			if _, on := d.zoneAt(diagram.Point{X: x, Y: y}, ""); !on {
				// with room for the box around it
				free := true
				for _, dx := range []float64{-70, 70} {
					for _, dy := range []float64{-40, 40} {
						if _, on := d.zoneAt(diagram.Point{X: x + dx, Y: y + dy}, ""); on {
							free = false
						}
					}
				}
				if free {
					return fyne.NewPos(float32(x)*d.scale, float32(y)*d.scale)
				}
			}
		}
	}
	t.Fatal("no empty spot on the overview")
	return fyne.Position{}
}

func TestDiagramDragZoneToEmptyPinsIt(t *testing.T) {
	s, d, undo := openDiagram(t)
	z := s.ws.Zones()[0]
	from := middle(t, d, "zone", z.ID)
	grabbed := from.AddXY(5, 3) // not quite the middle: the box keeps where it was held
	to := emptySpot(t, d)
	conduits := len(s.ws.Conduits())
	dragBoard(d, grabbed, to, 0)
	if len(s.ws.Conduits()) != conduits {
		t.Fatal("a drop on no zone drew a conduit")
	}
	want := diagram.Point{X: float64(to.X-5) / float64(d.scale), Y: float64(to.Y-3) / float64(d.scale)}
	pins, err := s.ws.DiagramPins()
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := pins[z.ID]; !ok || math.Abs(p.X-want.X) > 0.01 || math.Abs(p.Y-want.Y) > 0.01 {
		t.Fatalf("pin %+v, want the zone's middle at %v", pins, want)
	}
	drawnAt := func() diagram.Point {
		r, _ := d.drawing.Region(assets.Ref{Kind: "zone", ID: z.ID})
		return r.Box.Center()
	}
	if c := drawnAt(); math.Abs(c.X-want.X) > 0.01 || math.Abs(c.Y-want.Y) > 0.01 {
		t.Fatalf("zone drawn at %v right after the drop, want %v", c, want)
	}
	// A change to the data lays the overview out again; the zone stays.
	if _, err := s.ws.SaveZone(assets.Zone{Name: "Packaging line", PurdueLevels: []assets.Purdue{assets.Purdue2}, SLT: assets.UniformSL(1)}); err != nil {
		t.Fatal(err)
	}
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	if len(d.zoneIDs) != len(s.ws.Zones()) {
		t.Fatal("the new zone did not reach the diagram")
	}
	if c := drawnAt(); math.Abs(c.X-want.X) > 0.01 || math.Abs(c.Y-want.Y) > 0.01 {
		t.Fatalf("after a data change the pinned zone is at %v, want %v", c, want)
	}
	// Ctrl+Z unpins it.
	undo.undoLast(t)
	if pins, _ := s.ws.DiagramPins(); len(pins) != 0 {
		t.Fatalf("undo left pins %+v", pins)
	}
	// Pin again by keyboard (Ctrl+Right), then Reset layout clears it.
	d.edit.cursor = assets.Ref{Kind: "zone", ID: z.ID}
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	before := drawnAt()
	d.board.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierControl})
	if c := drawnAt(); math.Abs(c.X-(before.X+nudgeStep)) > 0.01 || math.Abs(c.Y-before.Y) > 0.01 {
		t.Fatalf("Ctrl+Right moved the zone from %v to %v, want %g points right", before, c, float64(nudgeStep))
	}
	test.Tap(d.resetBtn)
	if pins, _ := s.ws.DiagramPins(); len(pins) != 0 {
		t.Fatalf("Reset layout left pins %+v", pins)
	}
	if c := drawnAt(); c != before {
		t.Errorf("after Reset layout the zone is at %v, want the layout's %v", c, before)
	}
}

// detailWithNeighbour shows the drawing of a zone that has assets and a
// conduit to another zone, and returns both zones.
func detailWithNeighbour(t *testing.T, s *session, d *diagramScreen) (zone, other string) {
	t.Helper()
	for _, c := range s.ws.Conduits() {
		if c.To != "" && len(s.ws.FilterAssets(app.AssetFilter{Zone: c.From})) >= 2 {
			if err := await(t, func(then func(error)) { d.showView(c.From, then) }); err != nil {
				t.Fatal(err)
			}
			return c.From, c.To
		}
	}
	t.Fatal("no conduit from a zone with assets")
	return
}

func TestDiagramDragAssetsOntoZoneMovesThem(t *testing.T) {
	s, d, undo := openDiagram(t)
	zone, other := detailWithNeighbour(t, s, d)
	list := s.ws.FilterAssets(app.AssetFilter{Zone: zone})
	a1, a2 := list[0], list[1]
	// Tap one, Shift+tap the other.
	d.board.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: middle(t, d, "asset", a1.ID)}})
	d.tapAt(middle(t, d, "asset", a1.ID), nil)
	d.board.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: middle(t, d, "asset", a2.ID)}, Modifier: fyne.KeyModifierShift})
	d.tapAt(middle(t, d, "asset", a2.ID), nil)
	if len(d.edit.sel) != 2 {
		t.Fatalf("selection %+v after tap and Shift+tap", d.edit.sel)
	}
	dragBoard(d, middle(t, d, "asset", a1.ID), middle(t, d, "zone", other), 0)
	for _, a := range []*assets.Asset{a1, a2} {
		if got, _ := s.ws.Asset(a.ID); got.Zone != other {
			t.Errorf("%s in zone %q after the drop, want %q", a.Title(), got.Zone, other)
		}
	}
	undo.undoLast(t)
	for _, a := range []*assets.Asset{a1, a2} {
		if got, _ := s.ws.Asset(a.ID); got.Zone != zone {
			t.Errorf("%s in zone %q after undo, want %q", a.Title(), got.Zone, zone)
		}
	}
}

func TestDiagramKeyboardMovesAsset(t *testing.T) {
	s, d, _ := openDiagram(t)
	zone, _ := detailWithNeighbour(t, s, d)
	test.Tap(d.board) // on the background: clears the selection, takes the keys
	d.board.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	cur := d.edit.cursor
	if cur.Kind != "asset" || len(d.edit.sel) != 1 {
		t.Fatalf("an arrow key in a zone's drawing picked %+v, selection %+v", cur, d.edit.sel)
	}
	// Not a neighbour: the picker offers every other zone.
	var target assets.Zone
	for _, z := range s.ws.Zones() {
		if z.ID != zone {
			target = z
		}
	}
	d.board.TypedRune('m')
	p := d.edit.picker
	if p == nil {
		t.Fatal("M opened no zone picker")
	}
	test.Type(p.entry, target.Name)
	p.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got, _ := s.ws.Asset(cur.ID); got.Zone != target.ID {
		t.Fatalf("asset in %q after M, %q, Enter; want %q", got.Zone, target.Name, target.ID)
	}
	// Ctrl+A and M to "no zone" take every asset out.
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	d.board.TypedShortcut(&fyne.ShortcutSelectAll{})
	n := len(d.edit.sel)
	if n != len(s.ws.FilterAssets(app.AssetFilter{Zone: zone})) {
		t.Fatalf("Ctrl+A selected %d assets", n)
	}
	d.board.TypedRune('m')
	test.Type(d.edit.picker.entry, "unassigned")
	d.edit.picker.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if left := len(s.ws.FilterAssets(app.AssetFilter{Zone: zone})); left != 0 {
		t.Errorf("%d assets left in the zone after moving all to no zone", left)
	}
}

func TestDiagramNoteOnZone(t *testing.T) {
	s, d, undo := openDiagram(t)
	z := s.ws.Zones()[1]
	d.addNote(assets.Ref{Kind: "zone", ID: z.ID}, "cabinet door found open", true)
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	got := texts(d.board.content.Objects)
	if !got["FINDING"] {
		t.Errorf("no FINDING marker drawn; texts %v", keys(got))
	}
	found := false
	for k := range got {
		found = found || strings.Contains(k, "cabinet door found")
	}
	if !found {
		t.Error("the note's text is not drawn")
	}
	undo.undoLast(t)
	if notes, _ := s.ws.DiagramNotes(); len(notes) != 0 {
		t.Errorf("undo left notes %+v", notes)
	}
}

// N on a zone offers the zone and its conduits: a note reaches a conduit
// from the keyboard.
func TestDiagramNoteTargetsReachConduits(t *testing.T) {
	s, d, _ := openDiagram(t)
	var cd assets.Conduit
	for _, c := range s.ws.Conduits() {
		if c.To != "" {
			cd = c
			break
		}
	}
	targets := d.noteTargets(assets.Ref{Kind: "zone", ID: cd.From})
	if targets[0] != (assets.Ref{Kind: "zone", ID: cd.From}) {
		t.Fatalf("first target %+v, want the zone", targets[0])
	}
	found := false
	for _, r := range targets[1:] {
		c, ok := s.ws.Conduit(r.ID)
		if r.Kind != "conduit" || !ok || (c.From != cd.From && c.To != cd.From) {
			t.Errorf("target %+v does not join the zone", r)
		}
		found = found || r.ID == cd.ID
	}
	if !found {
		t.Errorf("conduit %q not offered for a note on its zone", cd.Name)
	}
	d.noteDialog(assets.Ref{Kind: "zone", ID: cd.From}, false)
	if s.win.Canvas().Overlays().Top() == nil {
		t.Error("N opened no dialog")
	}
}

// BenchmarkDiagramDrop measures a drop on the overview of a 50-zone
// audit until the diagram is redrawn: a zone pinned (the pin stored, the
// layout's drawing re-pinned and painted) and a conduit drawn (stored,
// then the overview laid out by Graphviz again and painted).
func BenchmarkDiagramDrop(b *testing.B) {
	a := test.NewTempApp(b)
	ws, err := demo.Synthetic(context.Background(), filepath.Join(b.TempDir(), "s"), 50, 2000)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	w := a.NewWindow("bench")
	w.Resize(fyne.NewSize(1200, 800))
	defer w.Close()
	s := &session{fyneApp: a, win: w, ws: ws}
	d := newDiagramScreen(s)
	w.SetContent(d.build())
	wait := func() {
		ch := make(chan error, 1)
		d.reload(func(err error) { ch <- err })
		if err := <-ch; err != nil {
			b.Fatal(err)
		}
	}
	wait()
	zones := ws.Zones()
	b.Run("pin", func(b *testing.B) {
		i := 0
		for b.Loop() {
			z := zones[i%len(zones)]
			i++
			r, _ := d.drawing.Region(assets.Ref{Kind: "zone", ID: z.ID})
			c := r.Box.Center()
			from := fyne.NewPos(float32(c.X), float32(c.Y))
			dragBoard(d, from, from.AddXY(30, 20), 0)
		}
	})
	// A conduit is drawn at once as a straight line (shown), then the
	// overview is laid out again with it (laid-out).
	b.Run("conduit-shown", func(b *testing.B) {
		i := 0
		for b.Loop() {
			za, zb := zones[i%len(zones)], zones[(i+7)%len(zones)]
			i++
			dragBoard(d, middle(b, d, "zone", za.ID), middle(b, d, "zone", zb.ID), 0)
			b.StopTimer()
			wait()
			b.StartTimer()
		}
	})
	b.Run("conduit-laid-out", func(b *testing.B) {
		i := 0
		for b.Loop() {
			za, zb := zones[i%len(zones)], zones[(i+11)%len(zones)]
			i++
			dragBoard(d, middle(b, d, "zone", za.ID), middle(b, d, "zone", zb.ID), 0)
			wait()
		}
	})
}

// G groups the selected assets into a new zone; undo puts them back and
// the zone goes again.
func TestDiagramGroupIntoNewZone(t *testing.T) {
	s, d, undo := openDiagram(t)
	zone, _ := detailWithNeighbour(t, s, d)
	d.board.TypedShortcut(&fyne.ShortcutSelectAll{})
	picked := append([]assets.Ref(nil), d.edit.sel...)
	if len(picked) < 2 {
		t.Fatalf("Ctrl+A selected %d assets", len(picked))
	}
	d.board.TypedRune('g')
	if s.win.Canvas().Overlays().Top() == nil {
		t.Fatal("G asked for no name")
	}
	s.win.Canvas().Overlays().Remove(s.win.Canvas().Overlays().Top())
	d.groupInto("Packing cell")
	z, ok := s.ws.ZoneByName("Packing cell")
	if !ok {
		t.Fatal("no zone made")
	}
	for _, r := range picked {
		if a, _ := s.ws.Asset(r.ID); a.Zone != z.ID {
			t.Errorf("%s in %q, want the new zone", a.Title(), a.Zone)
		}
	}
	undo.undoLast(t)
	if _, ok := s.ws.ZoneByName("Packing cell"); ok {
		t.Error("undo left the new zone")
	}
	for _, r := range picked {
		if a, _ := s.ws.Asset(r.ID); a.Zone != zone {
			t.Errorf("%s in %q after undo, want %q", a.Title(), a.Zone, zone)
		}
	}
}
