package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"
	"sync"

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

func init() {
	registerScreen(70, "Diagram", theme.DefaultTheme().Icon(theme.IconNameGrid), func(s *session) screen { return newDiagramScreen(s) })
}

// Zoom limits and steps of the diagram view, in screen units per point.
const (
	minZoom  = 0.2
	maxZoom  = 4
	zoomStep = 1.25
)

const overviewTitle = "Overview (all zones)"

// diagramScreen shows the zone overview or one zone's detail, laid out by
// Graphviz and painted with canvas objects so that it scales crisply and
// taps find the zone, asset or conduit under the pointer.
type diagramScreen struct {
	s        *session
	renderer *diagram.Renderer

	views   *widget.Select // overviewTitle, then zone names
	zoneIDs []string       // zone ID per views.Options[i+1]
	status  *widget.Label
	zoomLbl *widget.Label
	board   *diagramBoard
	scroll  *container.Scroll
	ring    *focusRing // shows while the board has the keyboard focus
	format  *widget.Select
	openBtn *widget.Button

	view    string // "" for the overview, else a zone ID
	shown   string // the view the drawing is of
	drawing *diagram.Drawing
	scale   float32

	// Drawing on the diagram (diagramedit.go).
	base     *diagram.Drawing         // the overview as laid out, before pins
	pins     map[string]diagram.Point // zone ID → pin, as last read
	traffic  *widget.Check            // draw traffic seen where no conduit is
	resetBtn *widget.Button
	side     *fyne.Container // the drawn conduit's details, beside the drawing
	panel    *conduitPanel
	edit     editState
	gen      int // bumped per layout so a late result does not replace a newer one
	// cancelLayout stops the layout in flight: a newer one replaces it.
	cancelLayout context.CancelFunc
}

// diagramRenderer is the one Renderer of the process: its Graphviz worker
// process serves every session, so opening another audit starts none.
var diagramRenderer = sync.OnceValue(func() *diagram.Renderer { return diagram.NewRenderer() })

func newDiagramScreen(s *session) *diagramScreen {
	return &diagramScreen{s: s, renderer: diagramRenderer(), scale: 1}
}

func (d *diagramScreen) build() fyne.CanvasObject {
	d.status = widget.NewLabel("")
	d.status.Truncation = fyne.TextTruncateEllipsis
	d.zoomLbl = widget.NewLabel("100%")
	d.views = widget.NewSelect(nil, func(string) { d.onView() })
	d.board = newDiagramBoard(d)
	d.scroll = container.NewScroll(d.board)
	d.format = widget.NewSelect([]string{"SVG", "PNG", "PDF", "DOT"}, nil)
	d.format.SetSelected("SVG")
	d.openBtn = widget.NewButtonWithIcon("Open zone", theme.NavigateNextIcon(), func() {
		if d.view != "" {
			d.revealRef(assets.Ref{Kind: diagram.KindZone, ID: d.view})
		}
	})
	d.openBtn.Disable()
	d.traffic = widget.NewCheck("Observed traffic", func(bool) { d.reload(nil) })
	d.traffic.Checked = true
	d.resetBtn = widget.NewButtonWithIcon("Reset layout", theme.ViewRefreshIcon(), d.resetLayout)
	// Two rows: one would widen the screen in the large-text theme.
	view := container.NewHBox(
		widget.NewLabel("Show"), d.views,
		widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { d.zoomBy(1 / zoomStep) }),
		d.zoomLbl,
		widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { d.zoomBy(zoomStep) }),
		widget.NewButtonWithIcon("", theme.ZoomFitIcon(), d.zoomFit),
		d.openBtn)
	tools := container.NewHBox(d.traffic, d.resetBtn, widget.NewSeparator(), d.format,
		widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), d.onExport))
	bar := container.NewVBox(view, tools)
	help := widget.NewLabel("Overview: tap a zone to open it; drag a zone onto another to draw a conduit, or elsewhere to pin it there. " +
		"Zone: tap assets to select (Shift adds), drag them onto a zone to move them. Keys: arrows select, C connect, M move, G group into a new zone, N note, " +
		"Enter open, Ctrl+arrows nudge, Esc cancel. Zoom: Ctrl+wheel, Ctrl+= / Ctrl+-. Pan: drag the background or scroll.")
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	d.ring = newFocusRing()
	d.panel = newConduitPanel(d)
	d.side = container.NewStack(d.panel.content)
	d.side.Hide()
	return container.NewBorder(container.NewVBox(bar, help), d.status, nil, d.side, container.NewStack(d.scroll, d.ring))
}

// refresh rereads the zones and lays the current view out again. build
// leaves the first layout to it, so a screen never shown costs no Graphviz run.
func (d *diagramScreen) refresh() {
	d.panel.sync()
	d.reload(nil)
}

// reload fills the zone picker and lays out the current view; then (if
// set) runs on the UI goroutine when the drawing is shown or failed.
func (d *diagramScreen) reload(then func(error)) {
	if d.s.ws == nil {
		return
	}
	zones := d.s.ws.Zones()
	opts := []string{overviewTitle}
	d.zoneIDs = d.zoneIDs[:0]
	selected := overviewTitle
	for _, z := range zones {
		opts = append(opts, z.Name)
		d.zoneIDs = append(d.zoneIDs, z.ID)
		if z.ID == d.view {
			selected = z.Name
		}
	}
	if selected == overviewTitle {
		d.view = ""
	}
	d.views.OnChanged = nil // setting the options must not trigger a second layout
	d.views.Options = opts
	d.views.SetSelected(selected)
	d.views.OnChanged = func(string) { d.onView() }
	d.layout(then)
}

// onView follows the picker.
func (d *diagramScreen) onView() {
	view := ""
	if i := d.views.SelectedIndex(); i > 0 && i-1 < len(d.zoneIDs) {
		view = d.zoneIDs[i-1]
	}
	if view != d.view {
		d.showView(view, nil)
	}
}

// showView switches to the overview ("") or a zone's detail.
func (d *diagramScreen) showView(view string, then func(error)) {
	d.view = view
	d.reload(then)
}

// reveal shows a zone's detail when asked to reveal a zone.
func (d *diagramScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != diagram.KindZone || d.s.ws == nil {
		return false
	}
	if _, ok := d.s.ws.Zone(ref.ID); !ok {
		return false
	}
	d.showView(ref.ID, nil)
	return true
}

func diagramSource(m *diagram.Model, view string) ([]byte, error) {
	if view == "" {
		return diagram.Overview(m), nil
	}
	return diagram.ZoneDetail(m, view, 0)
}

// errSuperseded: a newer layout started before this one finished.
var errSuperseded = errors.New("diagram: superseded by a newer layout")

// layout runs Graphviz off the UI goroutine; the result is painted on it.
func (d *diagramScreen) layout(then func(error)) {
	d.gen++
	gen, view := d.gen, d.view
	m, err := d.s.ws.DiagramModel()
	if err == nil && !d.traffic.Checked {
		m.Undeclared = nil
	}
	d.status.SetText("Laying out…")
	if d.cancelLayout != nil {
		d.cancelLayout() // its result would be dropped; free Graphviz for this one
	}
	ctx, cancel := context.WithCancel(context.Background())
	d.cancelLayout = cancel
	quit := d.s.quit
	go func() {
		defer cancel()
		go func() { // closing the audit ends its layout too
			select {
			case <-quit:
				cancel()
			case <-ctx.Done():
			}
		}()
		var dot []byte
		if err == nil {
			dot, err = diagramSource(m, view)
		}
		var drw, base *diagram.Drawing
		if err == nil {
			drw, err = d.renderer.Layout(ctx, dot)
		}
		if err == nil && view == "" {
			base, drw = drw, drw.Pinned(m.Pins)
		}
		fyne.Do(func() {
			if gen != d.gen {
				if then != nil {
					if err != nil {
						err = fmt.Errorf("%w: %w", errSuperseded, err)
					} else {
						err = errSuperseded
					}
					then(err)
				}
				return
			}
			if err != nil {
				d.status.SetText("Layout failed: " + err.Error())
			} else {
				newView := d.drawing == nil || view != d.shown
				d.drawing, d.shown, d.base = drw, view, base
				if m != nil {
					d.pins = m.Pins
				}
				d.edit.keep(d.drawing, newView)
				d.paint()
				if newView {
					d.scroll.ScrollToOffset(fyne.Position{}) // another diagram starts at its top
				}
				d.status.SetText(d.describe())
			}
			if view == "" {
				d.openBtn.Disable()
				d.resetBtn.Enable()
			} else {
				d.openBtn.Enable()
				d.resetBtn.Disable()
			}
			if then != nil {
				then(err)
			}
		})
	}()
}

func (d *diagramScreen) describe() string {
	if d.view == "" {
		return fmt.Sprintf("Overview: %d zones, %d conduits.", len(d.zoneIDs), len(d.s.ws.Conduits()))
	}
	z, _ := d.s.ws.Zone(d.view)
	return fmt.Sprintf("Zone %q: %d assets.", z.Name, len(d.s.ws.FilterAssets(app.AssetFilter{Zone: d.view})))
}

// paint rebuilds the canvas objects at the current scale.
func (d *diagramScreen) paint() {
	if d.drawing == nil {
		return
	}
	size := fyne.NewSize(float32(d.drawing.Width)*d.scale, float32(d.drawing.Height)*d.scale)
	objs, cuts := paintDrawingCuts(d.drawing, d.scale)
	d.board.set(objs, cuts, size)
	d.paintMarks()
	d.zoomLbl.SetText(fmt.Sprintf("%.0f%%", d.scale*100))
}

// setZoom changes the scale and keeps the middle of the view in place.
func (d *diagramScreen) setZoom(scale float32) {
	scale = float32(math.Max(minZoom, math.Min(maxZoom, float64(scale))))
	if scale == d.scale {
		return
	}
	view := d.scroll.Size()
	mid := d.scroll.Offset.AddXY(view.Width/2, view.Height/2)
	f := scale / d.scale
	d.scale = scale
	d.paint()
	d.scroll.ScrollToOffset(fyne.NewPos(mid.X*f-view.Width/2, mid.Y*f-view.Height/2))
}

func (d *diagramScreen) zoomBy(f float32) { d.setZoom(d.scale * f) }

// zoomFit scales the drawing to the visible area.
func (d *diagramScreen) zoomFit() {
	if d.drawing == nil || d.drawing.Width <= 0 || d.drawing.Height <= 0 {
		return
	}
	view := d.scroll.Size()
	if view.Width <= 0 || view.Height <= 0 {
		return
	}
	d.setZoom(float32(math.Min(float64(view.Width)/d.drawing.Width, float64(view.Height)/d.drawing.Height)))
}

// tapAt handles a tap at p on the board (in screen units): a zone in the
// overview opens its detail; anything else is revealed on its own screen.
// then (if set) runs once a new layout is shown, or at once otherwise.
func (d *diagramScreen) tapAt(p fyne.Position, then func(error)) {
	if d.drawing == nil {
		if then != nil {
			then(nil)
		}
		return
	}
	pt := diagram.Point{X: float64(p.X / d.scale), Y: float64(p.Y / d.scale)}
	ref, ok := d.drawing.HitTest(pt, 4)
	switch {
	case ok && ref.Kind == diagram.KindZone && ref.ID != d.view:
		d.showView(ref.ID, then) // a zone of the overview, or a neighbour in a zone's drawing
		return
	case ok && ref.Kind == diagram.KindAsset:
		d.selectAsset(ref, d.edit.shift)
	case ok && (ref.Kind == diagram.KindZone || ref.Kind == diagram.KindConduit):
		d.revealRef(ref)
	default:
		d.clearSelection()
	}
	if then != nil {
		then(nil)
	}
}

func (d *diagramScreen) revealRef(ref assets.Ref) {
	if d.s.reveal != nil {
		d.s.reveal(ref)
	}
}

// exportName is the file name the save dialog suggests.
func (d *diagramScreen) exportName(format string) string {
	base := "overview"
	if z, ok := d.s.ws.Zone(d.view); ok && d.view != "" {
		base = "zone-" + strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			return '-'
		}, strings.ToLower(z.Name))
	}
	return base + "." + strings.ToLower(format)
}

func (d *diagramScreen) onExport() {
	if d.drawing == nil {
		d.s.showError(errors.New("nothing to export yet: the diagram is still being laid out"))
		return
	}
	format := d.format.Selected
	dlg := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			d.s.showError(err)
			return
		}
		if w == nil {
			return // cancelled
		}
		d.export(format, w, w.URI().String(), nil)
	}, d.s.win)
	dlg.SetFileName(d.exportName(format))
	dlg.Show()
}

// export writes what is shown in format (SVG, PNG, PDF or DOT) to w and
// closes it; then (if set) runs on the UI goroutine afterwards. It draws
// through app.WriteDiagram, as the command line does, so both give the
// same files.
func (d *diagramScreen) export(format string, w io.WriteCloser, where string, then func(error)) {
	ws, r, view := d.s.ws, d.renderer, d.view
	d.s.background("Exporting diagram", func(ctx context.Context, report progress) error {
		report(0, 0, "Writing "+format+"…")
		err := ws.WriteDiagram(ctx, r, view, app.DiagramFormat(strings.ToLower(format)), w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		return err
	}, func(err error) {
		switch {
		case err == nil:
			d.status.SetText("Exported " + format + " to " + where)
		case errors.Is(err, context.Canceled):
			d.status.SetText("Export cancelled; the file may be incomplete: " + where)
		default:
			d.s.showError(fmt.Errorf("export %s to %s: %w", format, where, err))
		}
		if then != nil {
			then(err)
		}
	})
}

// diagramBoard holds the painted drawing and turns pointer and key input
// into taps, pans and zooms.
type diagramBoard struct {
	widget.BaseWidget
	d       *diagramScreen
	content *fyne.Container
	marks   *fyne.Container // selection, drag feedback: over the drawing
	size    fyne.Size
	cuts    []cutLabel // labels painted shortened
	hovered *cutLabel  // the one whose full text the status line shows
}

func newDiagramBoard(d *diagramScreen) *diagramBoard {
	b := &diagramBoard{d: d, content: container.NewWithoutLayout(), marks: container.NewWithoutLayout()}
	b.ExtendBaseWidget(b)
	return b
}

func (b *diagramBoard) set(objs []fyne.CanvasObject, cuts []cutLabel, size fyne.Size) {
	b.content.Objects = objs
	b.cuts, b.hovered = cuts, nil
	b.size = size
	b.content.Refresh()
	b.Refresh()
}

func (b *diagramBoard) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(b.content, b.marks))
}

// MinSize is the drawing's size at the current zoom, so the scroll
// container scrolls over all of it.
func (b *diagramBoard) MinSize() fyne.Size { return b.size }

func (b *diagramBoard) Tapped(ev *fyne.PointEvent) {
	b.focus() // so that keys reach the board
	b.d.tapAt(ev.Position, nil)
}

func (b *diagramBoard) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(b); c != nil && c.Focused() != b {
		c.Focus(b)
	}
}

// Scrolled zooms with Ctrl (or Cmd) held and otherwise scrolls the view;
// the board is under the pointer, so the scroll container would not see it.
func (b *diagramBoard) Scrolled(ev *fyne.ScrollEvent) {
	if drv, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok &&
		drv.CurrentKeyModifiers()&(fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0 {
		switch {
		case ev.Scrolled.DY > 0:
			b.d.zoomBy(1.1)
		case ev.Scrolled.DY < 0:
			b.d.zoomBy(1 / 1.1)
		}
		return
	}
	b.d.scroll.Scrolled(ev)
}

// Dragged draws (see diagramScreen.dragged) or pans: the drawing follows
// the pointer.
func (b *diagramBoard) Dragged(ev *fyne.DragEvent) {
	if b.d.dragged(ev) {
		return
	}
	s := b.d.scroll
	s.ScrollToOffset(s.Offset.SubtractXY(ev.Dragged.DX, ev.Dragged.DY))
}

func (b *diagramBoard) DragEnd() { b.d.dragEnd() }

// MouseMoved shows a shortened label whole in the status line while the
// pointer is on it (Fyne has no tooltips).
func (b *diagramBoard) MouseMoved(ev *desktop.MouseEvent) {
	var on *cutLabel
	for i := range b.cuts {
		c := &b.cuts[i]
		if p := ev.Position; p.X >= c.pos.X && p.X < c.pos.X+c.size.Width && p.Y >= c.pos.Y && p.Y < c.pos.Y+c.size.Height {
			on = c
			break
		}
	}
	if on == b.hovered {
		return
	}
	b.hovered = on
	if on != nil {
		b.d.status.SetText(on.full)
	} else {
		b.d.status.SetText(b.d.describe())
	}
}

func (b *diagramBoard) MouseIn(ev *desktop.MouseEvent) { b.MouseMoved(ev) }

func (b *diagramBoard) MouseOut() {
	if b.hovered != nil {
		b.hovered = nil
		b.d.status.SetText(b.d.describe())
	}
}

func (b *diagramBoard) FocusGained() { b.d.ring.Show() }
func (b *diagramBoard) FocusLost()   { b.d.ring.Hide() }

// focusRing frames the drawing's view while the board has the keyboard
// focus (its zoom keys work only then). It had no mark at all: a ring in
// the text colour with one in the background colour inside it shows on
// the window and on the drawing's own background alike.
type focusRing struct{ widget.BaseWidget }

func newFocusRing() *focusRing {
	r := &focusRing{}
	r.ExtendBaseWidget(r)
	r.Hide()
	return r
}

func (r *focusRing) CreateRenderer() fyne.WidgetRenderer {
	rr := &focusRingRenderer{outer: canvas.NewRectangle(color.Transparent), inner: canvas.NewRectangle(color.Transparent)}
	rr.Refresh()
	return rr
}

type focusRingRenderer struct{ outer, inner *canvas.Rectangle }

const focusRingWidth = 2

func (r *focusRingRenderer) Layout(s fyne.Size) {
	r.outer.Resize(s)
	r.inner.Move(fyne.NewPos(focusRingWidth, focusRingWidth))
	r.inner.Resize(s.SubtractWidthHeight(2*focusRingWidth, 2*focusRingWidth))
}

func (r *focusRingRenderer) MinSize() fyne.Size { return fyne.Size{} }

func (r *focusRingRenderer) Refresh() {
	r.outer.StrokeColor, r.outer.StrokeWidth = theme.Color(theme.ColorNameForeground), focusRingWidth
	r.inner.StrokeColor, r.inner.StrokeWidth = theme.Color(theme.ColorNameBackground), focusRingWidth
	r.outer.Refresh()
	r.inner.Refresh()
}

func (r *focusRingRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.outer, r.inner}
}
func (r *focusRingRenderer) Destroy() {}

// TypedRune zooms with + and - and resets with 0 while the board has
// focus; letters are the drawing keys (diagramScreen.typedRune).
func (b *diagramBoard) TypedRune(r rune) {
	if b.d.typedRune(r) {
		return
	}
	switch r {
	case '+', '=':
		b.d.zoomBy(zoomStep)
	case '-':
		b.d.zoomBy(1 / zoomStep)
	case '0':
		b.d.setZoom(1)
	}
}

func (b *diagramBoard) TypedKey(k *fyne.KeyEvent) { b.d.typedKey(k) }

// TypedShortcut handles Ctrl+= / Ctrl++ (zoom in), Ctrl+- (out), Ctrl+0 (100%).
func (b *diagramBoard) TypedShortcut(sc fyne.Shortcut) {
	if _, ok := sc.(*fyne.ShortcutSelectAll); ok {
		b.d.selectAll()
		return
	}
	cs, ok := sc.(*desktop.CustomShortcut)
	if !ok || cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) == 0 {
		return
	}
	if b.d.nudgeKey(cs.KeyName) {
		return
	}
	switch cs.KeyName {
	case fyne.KeyEqual, fyne.KeyPlus:
		b.d.zoomBy(zoomStep)
	case fyne.KeyMinus:
		b.d.zoomBy(1 / zoomStep)
	case fyne.Key0:
		b.d.setZoom(1)
	}
}

// paintDrawing turns a laid-out diagram into Fyne canvas objects at scale
// units per point, positioned for a container without layout. Fyne has no
// arbitrary filled polygon, so a filled shape is painted as its bounding
// box when it is box-like (boxes, rounded boxes, cylinders, notes: every
// node shape the diagrams use) and as its outline only otherwise (arrow
// heads); an ellipse fill is a pill, a circle a circle.
func paintDrawing(d *diagram.Drawing, scale float32) []fyne.CanvasObject {
	objs, _ := paintDrawingCuts(d, scale)
	return objs
}

// cutLabel is a label painted shortened, with where it is and its text.
type cutLabel struct {
	pos  fyne.Position
	size fyne.Size
	full string
}

// paintDrawingCuts is paintDrawing, also returning the labels it had to
// shorten (see fitLabel), so the board can show them whole on hover.
func paintDrawingCuts(d *diagram.Drawing, scale float32) ([]fyne.CanvasObject, []cutLabel) {
	if d == nil {
		return nil, nil
	}
	s := float64(scale)
	bg := canvas.NewRectangle(d.Background)
	bg.Resize(fyne.NewSize(float32(d.Width*s), float32(d.Height*s)))
	objs := []fyne.CanvasObject{bg}
	var cuts []cutLabel
	for i := range d.Items {
		it := &d.Items[i]
		if it.Shape != diagram.Text {
			objs = paintItem(objs, it, s)
			continue
		}
		t := paintText(it, s)
		objs = append(objs, t)
		if t.Text != it.Text {
			cuts = append(cuts, cutLabel{pos: t.Position(), size: t.Size(), full: it.Text})
		}
	}
	return objs, cuts
}

func pos(p diagram.Point, s float64) fyne.Position {
	return fyne.NewPos(float32(p.X*s), float32(p.Y*s))
}

// strokeWidth keeps hairlines visible when zoomed out.
func strokeWidth(lw, s float64) float32 {
	if lw <= 0 {
		lw = 1
	}
	return float32(math.Max(lw*s, 1))
}

func paintItem(objs []fyne.CanvasObject, it *diagram.Item, s float64) []fyne.CanvasObject {
	stroke := it.Stroke.A > 0
	switch it.Shape {
	case diagram.Polygon, diagram.Bezier:
		pts := it.Points
		if it.Shape == diagram.Bezier {
			pts = flattenBezier(it.Points, 8)
		}
		if len(pts) < 2 {
			return objs
		}
		box := bbox(pts)
		rect := it.Shape == diagram.Polygon && isAxisRect(pts)
		if it.Fill.A > 0 && (rect || boxLike(pts, box)) {
			r := canvas.NewRectangle(it.Fill)
			r.Move(pos(box.Min, s))
			r.Resize(fyne.NewSize(float32((box.Max.X-box.Min.X)*s), float32((box.Max.Y-box.Min.Y)*s)))
			if rect && stroke && it.Dash == nil {
				r.StrokeColor, r.StrokeWidth = it.Stroke, strokeWidth(it.LineWidth, s)
				return append(objs, r)
			}
			objs = append(objs, r)
		}
		if stroke {
			closed := pts
			if it.Shape == diagram.Polygon && pts[0] != pts[len(pts)-1] {
				closed = append(append([]diagram.Point(nil), pts...), pts[0])
			}
			objs = appendPath(objs, closed, it, s)
		}
	case diagram.Polyline:
		if stroke {
			objs = appendPath(objs, it.Points, it, s)
		}
	case diagram.Ellipse:
		topLeft := pos(diagram.Point{X: it.Center.X - it.RX, Y: it.Center.Y - it.RY}, s)
		size := fyne.NewSize(float32(2*it.RX*s), float32(2*it.RY*s))
		if round := math.Abs(it.RX-it.RY) <= 0.05*math.Max(it.RX, it.RY); round {
			c := &canvas.Circle{FillColor: it.Fill}
			if stroke && it.Dash == nil {
				c.StrokeColor, c.StrokeWidth = it.Stroke, strokeWidth(it.LineWidth, s)
			}
			c.Move(topLeft)
			c.Resize(size)
			objs = append(objs, c)
			if !stroke || it.Dash == nil {
				return objs
			}
		} else if it.Fill.A > 0 {
			r := canvas.NewRectangle(it.Fill)
			r.CornerRadius = float32(math.Min(it.RX, it.RY) * s)
			r.Move(topLeft)
			r.Resize(size)
			objs = append(objs, r)
		}
		if stroke {
			objs = appendPath(objs, ellipsePath(it.Center, it.RX, it.RY, 48), it, s)
		}
	}
	return objs // texts: paintText
}

// paintText places a text so that its baseline sits where Graphviz put it,
// set to fit the width Graphviz reserved for it (see fitLabel).
func paintText(it *diagram.Item, s float64) *canvas.Text {
	col := color.Color(it.Stroke)
	if it.Stroke.A == 0 {
		col = color.NRGBA{A: 0xff}
	}
	t := canvas.NewText(it.Text, col)
	t.TextStyle = fyne.TextStyle{Bold: it.Bold, Italic: it.Italic}
	size := float32(it.FontSize * s)
	if size <= 0 {
		size = float32(10 * s)
	}
	var dim fyne.Size
	var base float32
	t.Text, t.TextSize, dim, base = fitLabel(it.Text, size, t.TextStyle, float32(it.Width*s))
	x := float32(it.Pos.X * s)
	switch it.Align {
	case diagram.AlignCenter:
		x -= dim.Width / 2
	case diagram.AlignRight:
		x -= dim.Width
	}
	t.Move(fyne.NewPos(x, float32(it.Pos.Y*s)-base))
	t.Resize(dim)
	return t
}

// minLabelScale is how far below its laid-out size a label may shrink to
// fit its box: an 8-point line at 100% goes down to 6 px, the smallest
// that still reads on a laptop screen, and no label looks much smaller
// than its neighbours. Below that it is cut short with "…" instead, and
// the board shows it whole when the pointer is on it.
const minLabelScale = 0.75

// fitLabel is the text and size a label is painted in so that it is no
// wider than limit (when limit > 0), with its measured size and baseline:
// the size Graphviz laid it out in if our font fits there; else smaller,
// down to minLabelScale of it; else shortened with "…" at that size.
//
// Fyne sets text in whole sizes: 7.44 measures and paints as 8 (the
// shaper's size rounds up), so scaling the size by limit/width, as the PNG
// and PDF painters do, mostly left labels as wide as before and past the
// edge of their boxes. Each try is measured, stepping down a whole size.
func fitLabel(text string, size float32, style fyne.TextStyle, limit float32) (string, float32, fyne.Size, float32) {
	measure := func(text string, sz float32) (fyne.Size, float32) {
		return fyne.CurrentApp().Driver().RenderedTextSize(text, sz, style, nil)
	}
	dim, base := measure(text, size)
	if limit <= 0 || dim.Width <= limit {
		return text, size, dim, base
	}
	least := size * minLabelScale
	for try := size * limit / dim.Width; try >= least; {
		if dim, base := measure(text, try); dim.Width <= limit {
			return text, try, dim, base
		}
		next := float32(math.Floor(float64(try)))
		if next >= try {
			next = try - 1
		}
		try = next
	}
	text = elide(text, least, style, limit)
	dim, base = measure(text, least)
	return text, least, dim, base
}

// appendPath strokes a polyline as canvas lines, cut into dashes when the
// item is dashed.
func appendPath(objs []fyne.CanvasObject, pts []diagram.Point, it *diagram.Item, s float64) []fyne.CanvasObject {
	w := strokeWidth(it.LineWidth, s)
	add := func(a, b diagram.Point) {
		l := canvas.NewLine(it.Stroke)
		l.StrokeWidth = w
		l.Position1, l.Position2 = pos(a, s), pos(b, s)
		objs = append(objs, l)
	}
	if !dashed(it.Dash) {
		for i := 1; i < len(pts); i++ {
			add(pts[i-1], pts[i])
		}
		return objs
	}
	// Walk the path, switching the pen on and off per the dash lengths.
	k, left, on := 0, it.Dash[0], true
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		seg := math.Hypot(b.X-a.X, b.Y-a.Y)
		for seg > 0 {
			step := math.Min(left, seg)
			t := step / seg
			m := diagram.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}
			if on {
				add(a, m)
			}
			a, seg, left = m, seg-step, left-step
			if left <= 1e-9 {
				k = (k + 1) % len(it.Dash)
				left, on = it.Dash[k], !on
			}
		}
	}
	return objs
}

func dashed(d []float64) bool {
	if len(d) == 0 {
		return false
	}
	for _, v := range d {
		if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return false // a zero-length dash would never advance
		}
	}
	return true
}

func bbox(pts []diagram.Point) diagram.Rect {
	r := diagram.Rect{Min: pts[0], Max: pts[0]}
	for _, p := range pts[1:] {
		r.Min.X, r.Min.Y = math.Min(r.Min.X, p.X), math.Min(r.Min.Y, p.Y)
		r.Max.X, r.Max.Y = math.Max(r.Max.X, p.X), math.Max(r.Max.Y, p.Y)
	}
	return r
}

// isAxisRect reports whether a polygon is a rectangle with horizontal and
// vertical sides.
func isAxisRect(pts []diagram.Point) bool {
	n := len(pts)
	if n == 5 && pts[0] == pts[4] {
		n = 4
	}
	if n != 4 {
		return false
	}
	const eps = 0.01
	for i := range n {
		a, b := pts[i], pts[(i+1)%n]
		if math.Abs(a.X-b.X) > eps && math.Abs(a.Y-b.Y) > eps {
			return false
		}
	}
	return true
}

// boxLike reports whether a closed shape covers most of its bounding box.
func boxLike(pts []diagram.Point, box diagram.Rect) bool {
	boxArea := (box.Max.X - box.Min.X) * (box.Max.Y - box.Min.Y)
	if boxArea <= 0 {
		return false
	}
	area := 0.0
	for i := range pts {
		a, b := pts[i], pts[(i+1)%len(pts)]
		area += a.X*b.Y - b.X*a.Y
	}
	return math.Abs(area)/2 >= 0.75*boxArea
}

// flattenBezier turns a Graphviz B-spline (start, then control, control,
// end per segment) into a polyline with n steps per segment.
func flattenBezier(pts []diagram.Point, n int) []diagram.Point {
	if len(pts) < 4 {
		return pts
	}
	out := []diagram.Point{pts[0]}
	for i := 0; i+3 < len(pts); i += 3 {
		p0, p1, p2, p3 := pts[i], pts[i+1], pts[i+2], pts[i+3]
		for k := 1; k <= n; k++ {
			t := float64(k) / float64(n)
			u := 1 - t
			out = append(out, diagram.Point{
				X: u*u*u*p0.X + 3*u*u*t*p1.X + 3*u*t*t*p2.X + t*t*t*p3.X,
				Y: u*u*u*p0.Y + 3*u*u*t*p1.Y + 3*u*t*t*p2.Y + t*t*t*p3.Y,
			})
		}
	}
	return out
}

func ellipsePath(c diagram.Point, rx, ry float64, n int) []diagram.Point {
	out := make([]diagram.Point, n+1)
	for i := range n + 1 {
		a := 2 * math.Pi * float64(i) / float64(n)
		out[i] = diagram.Point{X: c.X + rx*math.Cos(a), Y: c.Y + ry*math.Sin(a)}
	}
	return out
}
