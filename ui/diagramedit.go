package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// Drawing on the diagram: the gestures and keys of the diagram screen
// that change the audit. Every edit goes through the workspace's use
// cases (validation, change log, sync) and offers its undo (Ctrl+Z).
//
// Overview: drag a zone onto another zone to draw a conduit between them,
// or anywhere else to pin it there. Keys: arrows pick a zone, C connects it
// (type-ahead zone picker), Ctrl+arrows nudge (pin) it, U unpins it, N adds
// a note, Enter opens it.
//
// A zone's drawing: tap assets to select them (Shift adds or removes;
// Shift+drag on the background selects a rectangle), drag them onto a
// neighbouring zone to move them there; M moves them with the zone picker.

// editState is what the drawing gestures keep between events.
type editState struct {
	cursor assets.Ref   // the record the keys act on
	sel    []assets.Ref // selected assets (zone drawings)
	shift  bool         // Shift was held at the last press
	drag   *dragState
	picker *zonePicker // the zone picker shown, if any
}

// dragKind is what a drag does, decided where it starts.
type dragKind int

const (
	dragPan    dragKind = iota // the background: the view follows
	dragZone                   // a zone of the overview: connect or pin
	dragAssets                 // selected assets of a zone: move
	dragRect                   // Shift on the background: select a rectangle
)

type dragState struct {
	kind       dragKind
	from       assets.Ref
	start, cur fyne.Position // on the board, screen units
	grab       fyne.Position // pointer minus the middle of the dragged box
	target     assets.Ref    // the zone under the pointer (Kind "" if none)
	cancelled  bool          // Escape was pressed
}

// nudgeStep is how far Ctrl+arrow moves a zone, in points.
const nudgeStep = 24

// keep drops the selection of records the new drawing does not show.
func (e *editState) keep(d *diagram.Drawing, newView bool) {
	if newView {
		e.sel, e.cursor = nil, assets.Ref{}
		return
	}
	e.sel = slices.DeleteFunc(e.sel, func(r assets.Ref) bool { _, ok := d.Region(r); return !ok })
	if _, ok := d.Region(e.cursor); !ok {
		e.cursor = assets.Ref{}
	}
}

// toPoint turns a board position into drawing points.
func (d *diagramScreen) toPoint(p fyne.Position) diagram.Point {
	return diagram.Point{X: float64(p.X / d.scale), Y: float64(p.Y / d.scale)}
}

// zoneAt is the zone box under p (drawing points) other than skip: the
// overview's zones and a zone drawing's neighbours, not its own frame.
func (d *diagramScreen) zoneAt(p diagram.Point, skip string) (assets.Ref, bool) {
	best, area := assets.Ref{}, math.Inf(1)
	for _, r := range d.drawing.Regions {
		if r.Ref.Kind != diagram.KindZone || r.Ref.ID == skip || r.Ref.ID == d.view || !r.Box.Contains(p) {
			continue
		}
		if a := (r.Box.Max.X - r.Box.Min.X) * (r.Box.Max.Y - r.Box.Min.Y); a < area {
			best, area = r.Ref, a
		}
	}
	return best, best.Kind != ""
}

func (d *diagramScreen) zoneName(id string) string {
	if z, ok := d.s.ws.Zone(id); ok {
		return z.Name
	}
	return id
}

// MouseDown notes Shift (a tap carries no modifiers) and takes the keys.
func (b *diagramBoard) MouseDown(ev *desktop.MouseEvent) {
	b.d.edit.shift = ev.Modifier&fyne.KeyModifierShift != 0
	b.focus()
}

func (b *diagramBoard) MouseUp(*desktop.MouseEvent) {}

// TappedSecondary offers what can be done with the record under the pointer.
func (b *diagramBoard) TappedSecondary(ev *fyne.PointEvent) {
	d := b.d
	if d.drawing == nil {
		return
	}
	ref, ok := d.drawing.HitTest(d.toPoint(ev.Position), 4)
	if !ok {
		return
	}
	var items []*fyne.MenuItem
	switch {
	case ref.Kind == diagram.KindZone && ref.ID != d.view:
		d.edit.cursor = ref
		d.paintMarks()
		items = append(items,
			fyne.NewMenuItem("Open", func() { d.showView(ref.ID, nil) }),
			fyne.NewMenuItem("Connect to…  (C)", func() { d.connectPicker(ref.ID) }))
		if _, pinned := d.pins[ref.ID]; pinned && d.view == "" {
			items = append(items, fyne.NewMenuItem("Unpin  (U)", func() { d.unpin(ref.ID) }))
		}
		items = append(items, d.noteItems(ref)...)
	case ref.Kind == diagram.KindZone || ref.Kind == diagram.KindConduit:
		items = append(items, fyne.NewMenuItem("Open", func() { d.revealRef(ref) }))
		items = append(items, d.noteItems(ref)...)
	case ref.Kind == diagram.KindAsset:
		if !slices.Contains(d.edit.sel, ref) {
			d.selectAsset(ref, false)
		}
		items = append(items,
			fyne.NewMenuItem("Open", func() { d.revealRef(ref) }),
			fyne.NewMenuItem("Move to zone…  (M)", d.movePicker))
	default:
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, fyne.CurrentApp().Driver().AbsolutePositionForObject(b).Add(ev.Position))
}

func (d *diagramScreen) noteItems(ref assets.Ref) []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Add note…  (N)", func() { d.noteDialog(ref, false) }),
		fyne.NewMenuItem("Mark a finding here…", func() { d.noteDialog(ref, true) }),
	}
}

// dragged handles a drag event; false leaves it to panning.
func (d *diagramScreen) dragged(ev *fyne.DragEvent) bool {
	if d.drawing == nil {
		return false
	}
	g := d.edit.drag
	if g == nil {
		g = d.startDrag(ev.Position.Subtract(fyne.NewPos(ev.Dragged.DX, ev.Dragged.DY)))
		d.edit.drag = g
	}
	if g.kind == dragPan || g.cancelled {
		return g.kind != dragPan
	}
	g.cur = ev.Position
	switch g.kind {
	case dragZone, dragAssets:
		skip := ""
		if g.kind == dragZone {
			skip = g.from.ID
		}
		g.target, _ = d.zoneAt(d.toPoint(g.cur), skip)
		if g.target.Kind != "" {
			what := "draw a conduit to"
			if g.kind == dragAssets {
				what = "move " + countOf(len(d.edit.sel), "asset", "assets") + " to"
			}
			d.status.SetText("Release to " + what + " " + d.zoneName(g.target.ID) + "; Esc cancels.")
		} else if g.kind == dragZone {
			d.status.SetText("Release on another zone to connect, elsewhere to pin " + d.zoneName(g.from.ID) + " there; Esc cancels.")
		} else {
			d.status.SetText("Drop on a zone to move the selected assets there; Esc cancels.")
		}
	}
	d.paintMarks()
	return true
}

// startDrag decides what a drag beginning at p does.
func (d *diagramScreen) startDrag(p fyne.Position) *dragState {
	g := &dragState{kind: dragPan, start: p, cur: p}
	pt := d.toPoint(p)
	if d.view == "" {
		if ref, ok := d.zoneAt(pt, ""); ok {
			reg, _ := d.drawing.Region(ref)
			c := reg.Box.Center()
			g.kind, g.from = dragZone, ref
			g.grab = fyne.NewPos(p.X-float32(c.X)*d.scale, p.Y-float32(c.Y)*d.scale)
			d.edit.cursor = ref
		}
		return g
	}
	if ref, ok := d.drawing.HitTest(pt, 0); ok && ref.Kind == diagram.KindAsset {
		if !slices.Contains(d.edit.sel, ref) {
			d.selectAsset(ref, d.edit.shift)
		}
		g.kind, g.from = dragAssets, ref
		return g
	}
	if d.edit.shift {
		g.kind = dragRect
	}
	return g
}

// dragEnd finishes a drag: connect, pin, move or select.
func (d *diagramScreen) dragEnd() {
	g := d.edit.drag
	d.edit.drag = nil
	if g == nil || g.kind == dragPan {
		return
	}
	defer d.paintMarks()
	if g.cancelled {
		d.status.SetText(d.describe())
		return
	}
	switch g.kind {
	case dragZone:
		if g.target.Kind != "" {
			d.connect(g.from.ID, g.target.ID)
			return
		}
		if g.cur.Subtract(g.start).IsZero() {
			return
		}
		c := d.toPoint(g.cur.Subtract(g.grab))
		d.pinZone(g.from.ID, c)
	case dragAssets:
		if g.target.Kind != "" {
			d.moveAssets(g.target.ID)
		} else {
			d.status.SetText(d.describe())
		}
	case dragRect:
		a, b := d.toPoint(g.start), d.toPoint(g.cur)
		box := diagram.Rect{Min: diagram.Point{X: math.Min(a.X, b.X), Y: math.Min(a.Y, b.Y)},
			Max: diagram.Point{X: math.Max(a.X, b.X), Y: math.Max(a.Y, b.Y)}}
		for _, r := range d.drawing.Regions {
			if r.Ref.Kind == diagram.KindAsset && box.Contains(r.Box.Min) && box.Contains(r.Box.Max) && !slices.Contains(d.edit.sel, r.Ref) {
				d.edit.sel = append(d.edit.sel, r.Ref)
				d.edit.cursor = r.Ref
			}
		}
		d.status.SetText(countOf(len(d.edit.sel), "asset", "assets") + " selected.")
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// connect draws a conduit from zone a to zone b and opens its details.
func (d *diagramScreen) connect(a, b string) {
	c, err := d.s.ws.ConnectZones(a, b)
	if err != nil {
		d.s.showError(err)
		return
	}
	ws := d.s.ws
	d.s.offerUndo(fmt.Sprintf("Drew conduit %q", c.Name), func() error { return ws.DeleteConduit(c.ID) })
	d.edit.cursor = assets.Ref{Kind: diagram.KindZone, ID: b}
	// Drawn at once as a straight line; the layout that follows the
	// change replaces it.
	if drw, ok := d.drawing.Sketched(assets.Ref{Kind: diagram.KindConduit, ID: c.ID}, a, b, c.Name); ok && d.view == "" {
		d.drawing = drw
		d.paint()
	}
	d.panel.show(c)
	d.s.changed()
	d.status.SetText(fmt.Sprintf("Conduit %q drawn; its details are on the right (Ctrl+Z undoes it).", c.Name))
}

// pinZone puts a zone of the overview with its middle at c and redraws
// at once: the pins apply to the layout already made.
func (d *diagramScreen) pinZone(id string, c diagram.Point) {
	c = diagram.Point{X: math.Max(0, c.X), Y: math.Max(0, c.Y)}
	old, err := d.s.ws.PinZone(id, c.X, c.Y)
	if err != nil {
		d.s.showError(err)
		return
	}
	ws := d.s.ws
	d.s.offerUndo(fmt.Sprintf("Moved zone %q", d.zoneName(id)), func() error {
		if old != nil {
			return ws.RestorePins(context.Background(), []assets.DiagramPin{*old}, nil)
		}
		return ws.RestorePins(context.Background(), nil, []string{id})
	})
	if d.pins == nil {
		d.pins = map[string]diagram.Point{}
	}
	d.pins[id] = c
	d.repin()
	d.status.SetText(fmt.Sprintf("Zone %q pinned; Reset layout lets Graphviz place it again.", d.zoneName(id)))
}

// repin applies the pins to the overview as laid out and repaints.
func (d *diagramScreen) repin() {
	if d.base == nil || d.view != "" {
		return
	}
	d.drawing = d.base.Pinned(d.pins)
	d.paint()
}

func (d *diagramScreen) unpin(id string) {
	old, ok := d.pins[id]
	if !ok {
		return
	}
	if err := d.s.ws.UnpinZone(id); err != nil {
		d.s.showError(err)
		return
	}
	ws := d.s.ws
	d.s.offerUndo(fmt.Sprintf("Unpinned zone %q", d.zoneName(id)), func() error {
		return ws.RestorePins(context.Background(), []assets.DiagramPin{{Zone: id, X: old.X, Y: old.Y}}, nil)
	})
	delete(d.pins, id)
	d.repin()
}

// resetLayout removes every pin: Graphviz places all zones again.
func (d *diagramScreen) resetLayout() {
	removed, err := d.s.ws.ResetLayout(context.Background())
	if err != nil {
		d.s.showError(err)
		return
	}
	if len(removed) == 0 {
		d.status.SetText("No zone is pinned.")
		return
	}
	ws := d.s.ws
	d.s.offerUndo(fmt.Sprintf("Reset layout (%s unpinned)", countOf(len(removed), "zone", "zones")), func() error {
		return ws.RestorePins(context.Background(), removed, nil)
	})
	d.pins = nil
	d.repin()
}

// moveAssets moves the selected assets into zone.
func (d *diagramScreen) moveAssets(zone string) {
	var moves []app.AssetMove
	for _, r := range d.edit.sel {
		moves = append(moves, app.AssetMove{Asset: r.ID, Zone: zone})
	}
	if len(moves) == 0 {
		return
	}
	undo, err := d.s.ws.MoveAssets(context.Background(), moves)
	if err != nil {
		d.s.showError(err)
		return
	}
	ws := d.s.ws
	label := fmt.Sprintf("Moved %s to %q", countOf(len(undo), "asset", "assets"), d.zoneName(zone))
	if zone == "" {
		label = fmt.Sprintf("Took %s out of their zone", countOf(len(undo), "asset", "assets"))
	}
	if len(undo) > 0 {
		d.s.offerUndo(label, func() error {
			_, err := ws.MoveAssets(context.Background(), undo)
			return err
		})
	}
	d.edit.sel, d.edit.cursor = nil, assets.Ref{}
	d.s.changed()
	d.status.SetText(label + " (Ctrl+Z undoes it).")
}

// selectAsset selects an asset alone, or with add toggles it.
func (d *diagramScreen) selectAsset(ref assets.Ref, add bool) {
	switch i := slices.Index(d.edit.sel, ref); {
	case !add:
		d.edit.sel = []assets.Ref{ref}
	case i >= 0:
		d.edit.sel = slices.Delete(d.edit.sel, i, i+1)
	default:
		d.edit.sel = append(d.edit.sel, ref)
	}
	d.edit.cursor = ref
	if a, ok := d.s.ws.Asset(ref.ID); ok && len(d.edit.sel) == 1 {
		d.status.SetText(fmt.Sprintf("%s selected: drag it onto a zone or press M to move it, Enter to open it.", a.Title()))
	} else {
		d.status.SetText(countOf(len(d.edit.sel), "asset", "assets") + " selected.")
	}
	d.paintMarks()
}

func (d *diagramScreen) clearSelection() {
	if len(d.edit.sel) == 0 && d.edit.cursor.Kind == "" {
		return
	}
	d.edit.sel, d.edit.cursor = nil, assets.Ref{}
	d.paintMarks()
}

// selectAll is Ctrl+A: every asset of the zone drawn.
func (d *diagramScreen) selectAll() {
	if d.drawing == nil || d.view == "" {
		return
	}
	d.edit.sel = nil
	for _, r := range d.drawing.Regions {
		if r.Ref.Kind == diagram.KindAsset {
			d.edit.sel = append(d.edit.sel, r.Ref)
		}
	}
	d.status.SetText(countOf(len(d.edit.sel), "asset", "assets") + " selected.")
	d.paintMarks()
}

// cursorKind is what the arrow keys walk: zones of the overview, assets
// of a zone's drawing.
func (d *diagramScreen) cursorKind() string {
	if d.view == "" {
		return diagram.KindZone
	}
	return diagram.KindAsset
}

// moveCursor goes to the nearest record of the cursor's kind in the
// direction (dx, dy), or to the first one when there is no cursor.
func (d *diagramScreen) moveCursor(dx, dy float64) {
	if d.drawing == nil {
		return
	}
	kind := d.cursorKind()
	cur, ok := d.drawing.Region(d.edit.cursor)
	var best assets.Ref
	bestScore := math.Inf(1)
	for _, r := range d.drawing.Regions {
		if r.Ref.Kind != kind || r.Ref == d.edit.cursor || (kind == diagram.KindZone && r.Box.Empty()) {
			continue
		}
		c := r.Box.Center()
		var score float64
		if !ok {
			score = c.Y*10000 + c.X // the top-left one first
		} else {
			from := cur.Box.Center()
			vx, vy := c.X-from.X, c.Y-from.Y
			along := vx*dx + vy*dy
			if along <= 1 {
				continue
			}
			score = along + 2*math.Abs(vx*dy-vy*dx) // prefer straight ahead
		}
		if score < bestScore {
			best, bestScore = r.Ref, score
		}
	}
	if best.Kind == "" {
		return
	}
	d.edit.cursor = best
	if kind == diagram.KindAsset && !d.edit.shift {
		d.edit.sel = []assets.Ref{best}
	}
	d.status.SetText(d.cursorText())
	d.paintMarks()
	d.scrollTo(best)
}

func (d *diagramScreen) cursorText() string {
	switch d.edit.cursor.Kind {
	case diagram.KindZone:
		return fmt.Sprintf("Zone %q: Enter opens it, C connects it, N adds a note, Ctrl+arrows move it.", d.zoneName(d.edit.cursor.ID))
	case diagram.KindAsset:
		if a, ok := d.s.ws.Asset(d.edit.cursor.ID); ok {
			return fmt.Sprintf("%s: Enter opens it, M moves the selection, Space adds it to or takes it from the selection.", a.Title())
		}
	}
	return d.describe()
}

// scrollTo brings a record into view.
func (d *diagramScreen) scrollTo(ref assets.Ref) {
	r, ok := d.drawing.Region(ref)
	if !ok {
		return
	}
	view := d.scroll.Size()
	off := d.scroll.Offset
	minX, minY := float32(r.Box.Min.X)*d.scale, float32(r.Box.Min.Y)*d.scale
	maxX, maxY := float32(r.Box.Max.X)*d.scale, float32(r.Box.Max.Y)*d.scale
	if minX < off.X || maxX > off.X+view.Width {
		off.X = minX - 20
	}
	if minY < off.Y || maxY > off.Y+view.Height {
		off.Y = minY - 20
	}
	d.scroll.ScrollToOffset(off)
}

// typedRune handles the drawing's letter keys; false for others.
func (d *diagramScreen) typedRune(r rune) bool {
	switch r {
	case 'c', 'C':
		if d.edit.cursor.Kind == diagram.KindZone {
			d.connectPicker(d.edit.cursor.ID)
		} else if d.view != "" {
			d.connectPicker(d.view)
		}
	case 'm', 'M':
		d.movePicker()
	case 'g', 'G':
		d.groupDialog()
	case 'n', 'N':
		ref := d.edit.cursor
		if ref.Kind != diagram.KindZone && ref.Kind != diagram.KindConduit && d.view != "" {
			ref = assets.Ref{Kind: diagram.KindZone, ID: d.view}
		}
		if ref.Kind == diagram.KindZone || ref.Kind == diagram.KindConduit {
			d.noteDialog(ref, false)
		}
	case 'u', 'U':
		if d.edit.cursor.Kind == diagram.KindZone {
			d.unpin(d.edit.cursor.ID)
		}
	case ' ':
		if d.edit.cursor.Kind == diagram.KindAsset {
			d.selectAsset(d.edit.cursor, true)
		}
	default:
		return false
	}
	return true
}

// typedKey: arrows move the cursor, Enter opens, Escape cancels,
// Backspace goes back to the overview.
func (d *diagramScreen) typedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyLeft:
		d.moveCursor(-1, 0)
	case fyne.KeyRight:
		d.moveCursor(1, 0)
	case fyne.KeyUp:
		d.moveCursor(0, -1)
	case fyne.KeyDown:
		d.moveCursor(0, 1)
	case fyne.KeyReturn, fyne.KeyEnter:
		switch c := d.edit.cursor; {
		case c.Kind == diagram.KindZone && c.ID != d.view:
			d.showView(c.ID, nil)
		case c.Kind != "":
			d.revealRef(c)
		}
	case fyne.KeyEscape:
		if g := d.edit.drag; g != nil {
			g.cancelled = true
			d.paintMarks()
			d.status.SetText("Cancelled.")
			return
		}
		d.clearSelection()
		d.status.SetText(d.describe())
	case fyne.KeyBackspace:
		if d.view != "" {
			d.showView("", nil)
		}
	}
}

// nudgeKey is Ctrl+arrow: the zone under the cursor moves a step and is
// pinned there.
func (d *diagramScreen) nudgeKey(k fyne.KeyName) bool {
	var dx, dy float64
	switch k {
	case fyne.KeyLeft:
		dx = -nudgeStep
	case fyne.KeyRight:
		dx = nudgeStep
	case fyne.KeyUp:
		dy = -nudgeStep
	case fyne.KeyDown:
		dy = nudgeStep
	default:
		return false
	}
	if d.view != "" || d.edit.cursor.Kind != diagram.KindZone || d.drawing == nil {
		return true
	}
	r, ok := d.drawing.Region(d.edit.cursor)
	if !ok {
		return true
	}
	c := r.Box.Center()
	d.pinZone(d.edit.cursor.ID, diagram.Point{X: c.X + dx, Y: c.Y + dy})
	return true
}

// connectPicker asks for the zone to connect zone from to.
func (d *diagramScreen) connectPicker(from string) {
	var zones []assets.Zone
	for _, z := range d.s.ws.Zones() {
		if z.ID != from {
			zones = append(zones, z)
		}
	}
	d.pickZone(fmt.Sprintf("Draw a conduit from %q to…", d.zoneName(from)), zones, false, func(id string) { d.connect(from, id) })
}

// movePicker asks for the zone to move the selected assets to.
func (d *diagramScreen) movePicker() {
	if d.view == "" {
		return
	}
	if len(d.edit.sel) == 0 && d.edit.cursor.Kind == diagram.KindAsset {
		d.edit.sel = []assets.Ref{d.edit.cursor}
	}
	if len(d.edit.sel) == 0 {
		d.status.SetText("Select assets first: tap them, or use the arrow keys and Space.")
		return
	}
	var zones []assets.Zone
	for _, z := range d.s.ws.Zones() {
		if z.ID != d.view {
			zones = append(zones, z)
		}
	}
	d.pickZone(fmt.Sprintf("Move %s to…", countOf(len(d.edit.sel), "asset", "assets")), zones, true, d.moveAssets)
}

// paintMarks redraws the selection and the drag feedback over the drawing.
func (d *diagramScreen) paintMarks() {
	if d.board == nil {
		return
	}
	var objs []fyne.CanvasObject
	accent := theme.Color(theme.ColorNamePrimary)
	box := func(r diagram.Rect, stroke color.Color, width float32, fill color.Color) {
		rect := canvas.NewRectangle(fill)
		rect.StrokeColor, rect.StrokeWidth = stroke, width
		rect.CornerRadius = 4
		rect.Move(fyne.NewPos(float32(r.Min.X)*d.scale-3, float32(r.Min.Y)*d.scale-3))
		rect.Resize(fyne.NewSize(float32(r.Max.X-r.Min.X)*d.scale+6, float32(r.Max.Y-r.Min.Y)*d.scale+6))
		objs = append(objs, rect)
	}
	if d.drawing != nil {
		tint := color.NRGBA{R: 0x25, G: 0x63, B: 0xeb, A: 0x30}
		for _, ref := range d.edit.sel {
			if r, ok := d.drawing.Region(ref); ok {
				box(r.Box, accent, 2, tint)
			}
		}
		if r, ok := d.drawing.Region(d.edit.cursor); ok {
			box(r.Box, accent, 3, color.Transparent)
		}
		if g := d.edit.drag; g != nil && !g.cancelled && g.kind != dragPan {
			objs = append(objs, d.dragMarks(g, box)...)
		}
	}
	d.board.marks.Objects = objs
	d.board.marks.Refresh()
}

func (d *diagramScreen) dragMarks(g *dragState, box func(diagram.Rect, color.Color, float32, color.Color)) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	accent := theme.Color(theme.ColorNamePrimary)
	ok := color.NRGBA{R: 0x15, G: 0x80, B: 0x3d, A: 0xff}
	switch g.kind {
	case dragRect:
		r := canvas.NewRectangle(color.NRGBA{R: 0x25, G: 0x63, B: 0xeb, A: 0x20})
		r.StrokeColor, r.StrokeWidth = accent, 1
		r.Move(fyne.NewPos(min(g.start.X, g.cur.X), min(g.start.Y, g.cur.Y)))
		r.Resize(fyne.NewSize(abs32(g.cur.X-g.start.X), abs32(g.cur.Y-g.start.Y)))
		objs = append(objs, r)
	case dragZone, dragAssets:
		from, _ := d.drawing.Region(g.from)
		c := from.Box.Center()
		l := canvas.NewLine(accent)
		l.StrokeWidth = 2
		l.Position1 = fyne.NewPos(float32(c.X)*d.scale, float32(c.Y)*d.scale)
		l.Position2 = g.cur
		if g.target.Kind != "" {
			if t, found := d.drawing.Region(g.target); found {
				box(t.Box, ok, 4, color.NRGBA{R: 0x16, G: 0xa3, B: 0x4a, A: 0x30})
				tc := t.Box.Center()
				l.StrokeColor = ok
				l.Position2 = fyne.NewPos(float32(tc.X)*d.scale, float32(tc.Y)*d.scale)
			}
		} else if g.kind == dragZone {
			// A ghost of the zone's box where it would be pinned.
			w, h := from.Box.Max.X-from.Box.Min.X, from.Box.Max.Y-from.Box.Min.Y
			m := d.toPoint(g.cur.Subtract(g.grab))
			box(diagram.Rect{Min: diagram.Point{X: m.X - w/2, Y: m.Y - h/2}, Max: diagram.Point{X: m.X + w/2, Y: m.Y + h/2}},
				accent, 2, color.NRGBA{R: 0x25, G: 0x63, B: 0xeb, A: 0x18})
		}
		objs = append(objs, l)
	}
	return objs
}

// noteDialog asks for a note (or, with finding, a "finding here" marker)
// on a zone or conduit.
func (d *diagramScreen) noteDialog(ref assets.Ref, finding bool) {
	what := d.refName(ref)
	text := widget.NewEntry()
	text.SetPlaceHolder("one line, e.g. cabinet door found open")
	mark := widget.NewCheck("Finding here (drawn red)", nil)
	mark.Checked = finding
	title := "Note on " + what
	// On a zone, the note can go on one of its conduits instead: the way
	// to a conduit from the keyboard.
	targets := d.noteTargets(ref)
	names := make([]string, len(targets))
	for i, r := range targets {
		names[i] = d.refName(r)
	}
	on := widget.NewSelect(names, nil)
	on.SetSelectedIndex(0)
	items := []*widget.FormItem{widget.NewFormItem("Note", text), widget.NewFormItem("", mark)}
	if len(targets) > 1 {
		title = "Note"
		items = append([]*widget.FormItem{widget.NewFormItem("On", on)}, items...)
	}
	dlg := dialog.NewForm(title, "Add", "Cancel", items, func(ok bool) {
		if ok {
			d.addNote(targets[max(0, on.SelectedIndex())], text.Text, mark.Checked)
		}
	}, d.s.win)
	dlg.Resize(fyne.NewSize(480, 200))
	dlg.Show()
	d.s.win.Canvas().Focus(text)
}

// groupDialog asks for a name, then puts the selected assets into a new
// zone of that name (G in a zone's drawing).
func (d *diagramScreen) groupDialog() {
	if d.view == "" || len(d.edit.sel) == 0 {
		d.status.SetText("Select assets in a zone's drawing first (tap, Shift+tap, Shift+drag), then press G to group them into a new zone.")
		return
	}
	name := widget.NewEntry()
	name.SetPlaceHolder("name of the new zone")
	dlg := dialog.NewForm("Group "+countOf(len(d.edit.sel), "asset", "assets")+" into a new zone", "Group", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Zone", name)}, func(ok bool) {
			if ok {
				d.groupInto(name.Text)
			}
		}, d.s.win)
	dlg.Resize(fyne.NewSize(480, 160))
	dlg.Show()
	d.s.win.Canvas().Focus(name)
}

// groupInto makes the zone and moves the selection into it, with undo.
func (d *diagramScreen) groupInto(name string) {
	ids := make([]string, len(d.edit.sel))
	for i, r := range d.edit.sel {
		ids[i] = r.ID
	}
	ws := d.s.ws
	z, undo, err := ws.GroupIntoNewZone(context.Background(), name, ids)
	if err != nil {
		d.s.showError(err)
		return
	}
	label := fmt.Sprintf("Grouped %s into the new zone %q", countOf(len(ids), "asset", "assets"), z.Name)
	d.s.offerUndo(label, func() error {
		if _, err := ws.MoveAssets(context.Background(), undo); err != nil {
			return err
		}
		return ws.DeleteZone(context.Background(), z.ID)
	})
	d.edit.sel, d.edit.cursor = nil, assets.Ref{}
	d.s.changed()
	d.status.SetText(label + " (Ctrl+Z undoes it).")
}

// noteTargets is what a note started on ref may go on: ref itself and, for
// a zone, the conduits that join it.
func (d *diagramScreen) noteTargets(ref assets.Ref) []assets.Ref {
	out := []assets.Ref{ref}
	if ref.Kind != diagram.KindZone {
		return out
	}
	for _, c := range d.s.ws.Conduits() {
		if c.From == ref.ID || c.To == ref.ID {
			out = append(out, assets.Ref{Kind: diagram.KindConduit, ID: c.ID})
		}
	}
	return out
}

// addNote stores a note and redraws the labels.
func (d *diagramScreen) addNote(ref assets.Ref, text string, finding bool) {
	n, err := d.s.ws.AddDiagramNote(ref, text, finding)
	if err != nil {
		d.s.showError(err)
		return
	}
	ws := d.s.ws
	d.s.offerUndo("Added a note on "+d.refName(ref), func() error { return ws.DeleteDiagramNote(n.ID) })
	d.reload(nil)
}

func (d *diagramScreen) refName(ref assets.Ref) string {
	switch ref.Kind {
	case diagram.KindZone:
		return fmt.Sprintf("zone %q", d.zoneName(ref.ID))
	case diagram.KindConduit:
		if c, ok := d.s.ws.Conduit(ref.ID); ok {
			return fmt.Sprintf("conduit %q", c.Name)
		}
	}
	return ref.Kind
}

// zonePicker is a type-ahead list of zones: typing filters by name, Up
// and Down move, Enter picks, Escape cancels.
type zonePicker struct {
	d        *diagramScreen
	entry    *pickerEntry
	list     *widget.List
	matches  []assets.Zone
	all      []assets.Zone
	cur      int
	pop      *widget.PopUp
	choose   func(id string)
	steering bool // the list is being selected by the keys, not the pointer
}

// unassignedEntry is the picker's entry for taking assets out of every zone.
const unassignedEntry = "(no zone: unassigned)"

// pickZone shows the zone picker; choose runs with the zone's ID ("" for
// unassignedEntry, offered when none is set).
func (d *diagramScreen) pickZone(title string, zones []assets.Zone, none bool, choose func(id string)) {
	if none {
		zones = append(zones, assets.Zone{Name: unassignedEntry})
	}
	p := &zonePicker{d: d, all: zones}
	p.entry = newPickerEntry(p)
	p.entry.SetPlaceHolder("type part of a zone's name")
	p.list = widget.NewList(func() int { return len(p.matches) },
		func() fyne.CanvasObject { return widget.NewLabel("zone name") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.matches[i].Name) })
	p.list.OnSelected = func(i widget.ListItemID) {
		p.cur = i
		if !p.steering && i < len(p.matches) {
			p.choose(p.matches[i].ID) // tapped
		}
	}
	p.entry.OnChanged = func(string) { p.filter() }
	p.choose = func(id string) {
		p.close()
		choose(id)
	}
	p.filter()
	hint := widget.NewLabel("Enter picks, Esc cancels")
	hint.Importance = widget.LowImportance
	body := container.NewBorder(container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.entry),
		hint, nil, nil, p.list)
	p.pop = widget.NewModalPopUp(container.NewPadded(body), d.s.win.Canvas())
	p.pop.Resize(fyne.NewSize(420, 360))
	d.edit.picker = p
	p.pop.Show()
	d.s.win.Canvas().Focus(p.entry)
}

func (p *zonePicker) filter() {
	words := strings.Fields(strings.ToLower(p.entry.Text))
	p.matches = p.matches[:0]
next:
	for _, z := range p.all {
		name := strings.ToLower(z.Name)
		for _, w := range words {
			if !strings.Contains(name, w) {
				continue next
			}
		}
		p.matches = append(p.matches, z)
	}
	p.cur = 0
	p.list.Refresh()
	p.list.UnselectAll()
	if len(p.matches) > 0 {
		p.steer(0)
	}
}

func (p *zonePicker) steer(i int) {
	p.steering = true
	p.list.Select(i)
	p.steering = false
	p.cur = i
}

// close hides the picker and gives the keys back to the drawing.
func (p *zonePicker) close() {
	p.pop.Hide()
	p.d.edit.picker = nil
	p.d.board.focus()
}

// pickerEntry is the picker's text field: it steers the list.
type pickerEntry struct {
	widget.Entry
	p *zonePicker
}

func newPickerEntry(p *zonePicker) *pickerEntry {
	e := &pickerEntry{p: p}
	e.ExtendBaseWidget(e)
	return e
}

func (e *pickerEntry) TypedKey(k *fyne.KeyEvent) {
	p := e.p
	switch k.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if n := len(p.matches); n > 0 {
			step := 1
			if k.Name == fyne.KeyUp {
				step = -1
			}
			p.steer((p.cur + step + n) % n)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if p.cur >= 0 && p.cur < len(p.matches) {
			p.choose(p.matches[p.cur].ID)
		}
	case fyne.KeyEscape:
		p.close()
		p.d.status.SetText("Cancelled.")
	default:
		e.Entry.TypedKey(k)
	}
}
