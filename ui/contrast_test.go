package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
)

// The window sizes auditors' laptops have: the test renders at both.
var auditSizes = []fyne.Size{{Width: 1280, Height: 800}, {Width: 1366, Height: 768}}

// WCAG 2 thresholds: text (1.4.3, AA) and focus indicators and other
// non-text parts a user must see (1.4.11).
const (
	minTextContrast  = 4.5
	minFocusContrast = 3.0
)

// newThemedShell opens the demo audit in a shell whose theme was chosen
// before the window opened (as at start-up from the preference), at size.
func newThemedShell(t *testing.T, high bool, size fyne.Size) *shell {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	ws, err := demo.Create(context.Background(), dir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	a := test.NewTempApp(t)
	applyTheme(a, high) // replaces the test driver's own theme
	sh := newShell(a, Options{DemoDir: filepath.Join(t.TempDir(), "unused-demo")})
	sh.attach(ws, false)
	sh.win.Resize(size)
	t.Cleanup(sh.shutdown)
	return sh
}

func themeName(high bool) string {
	if high {
		return "high-contrast"
	}
	return "default"
}

// drawn is one canvas object as the painter meets it: in paint order, at
// its absolute position, with the clip of the scrollers around it. end is
// the index after its last descendant, so [i, end) is its subtree.
type drawn struct {
	obj      fyne.CanvasObject
	pos      fyne.Position
	clipPos  fyne.Position
	clipSize fyne.Size
	end      int
}

// paintOrder walks the window content and then its overlays (pop-ups,
// dialogs, menus) as Fyne paints them, skipping hidden objects.
func paintOrder(c fyne.Canvas) []drawn {
	var out []drawn
	var walk func(o fyne.CanvasObject, offset, clipPos fyne.Position, clipSize fyne.Size)
	walk = func(o fyne.CanvasObject, offset, clipPos fyne.Position, clipSize fyne.Size) {
		if o == nil || !o.Visible() {
			return
		}
		pos := offset.Add(o.Position())
		var children []fyne.CanvasObject
		switch co := o.(type) {
		case *fyne.Container:
			children = co.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(co).Objects()
		}
		if isClip(o) {
			clipPos, clipSize = intersect(clipPos, clipSize, pos, o.Size())
		}
		i := len(out)
		out = append(out, drawn{obj: o, pos: pos, clipPos: clipPos, clipSize: clipSize})
		for _, ch := range children {
			walk(ch, pos, clipPos, clipSize)
		}
		out[i].end = len(out)
	}
	all := fyne.NewSize(math.MaxInt32, math.MaxInt32)
	walk(c.Content(), fyne.Position{}, fyne.Position{}, all)
	for _, o := range c.Overlays().List() {
		walk(o, fyne.Position{}, fyne.Position{}, all)
	}
	return out
}

// isClip is the test of Fyne's painter: scrollers clip what they hold.
func isClip(o fyne.CanvasObject) bool {
	if _, ok := o.(fyne.Scrollable); ok {
		return true
	}
	if w, ok := o.(fyne.Widget); ok {
		_, ok := test.WidgetRenderer(w).(interface{ IsClip() })
		return ok
	}
	return false
}

func intersect(p1 fyne.Position, s1 fyne.Size, p2 fyne.Position, s2 fyne.Size) (fyne.Position, fyne.Size) {
	x0, y0 := max(p1.X, p2.X), max(p1.Y, p2.Y)
	x1, y1 := min(p1.X+s1.Width, p2.X+s2.Width), min(p1.Y+s1.Height, p2.Y+s2.Height)
	return fyne.NewPos(x0, y0), fyne.NewSize(max(0, x1-x0), max(0, y1-y0))
}

func inside(p fyne.Position, pos fyne.Position, size fyne.Size) bool {
	return p.X >= pos.X && p.Y >= pos.Y && p.X < pos.X+size.Width && p.Y < pos.Y+size.Height
}

// over is src painted over an opaque dst.
func over(src, dst color.Color) color.NRGBA {
	s := color.NRGBAModel.Convert(src).(color.NRGBA)
	d := color.NRGBAModel.Convert(dst).(color.NRGBA)
	a := float64(s.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(s.R, d.R), G: mix(s.G, d.G), B: mix(s.B, d.B), A: 0xff}
}

// colourAt is the colour the painter leaves at p after painting the
// objects before index upto, on the theme's background.
func colourAt(objs []drawn, upto int, p fyne.Position, bg color.Color) color.NRGBA {
	c := over(bg, color.Black)
	for _, d := range objs[:upto] {
		if !inside(p, d.clipPos, d.clipSize) || !inside(p, d.pos, d.obj.Size()) {
			continue
		}
		switch o := d.obj.(type) {
		case *canvas.Rectangle:
			if o.FillColor != nil {
				c = over(o.FillColor, c)
			}
			if o.StrokeColor != nil && o.StrokeWidth > 0 && onStroke(p, d.pos, o.Size(), o.StrokeWidth) {
				c = over(o.StrokeColor, c)
			}
		case *canvas.Circle:
			sz := o.Size()
			dx, dy := (p.X-d.pos.X)/sz.Width-0.5, (p.Y-d.pos.Y)/sz.Height-0.5
			if o.FillColor != nil && dx*dx+dy*dy <= 0.25 {
				c = over(o.FillColor, c)
			}
		}
	}
	return c
}

func onStroke(p, pos fyne.Position, size fyne.Size, w float32) bool {
	return p.X < pos.X+w || p.Y < pos.Y+w || p.X >= pos.X+size.Width-w || p.Y >= pos.Y+size.Height-w
}

func hex(c color.Color) string {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return fmt.Sprintf("#%02X%02X%02X", n.R, n.G, n.B)
}

// textProblem is a text drawn below the contrast it needs.
type textProblem struct {
	where, text, fg, bg string
	ratio               float64
}

// textContrasts measures every visible text in objs[from:to] against what
// is painted behind it (the middle of its glyphs, within its clip).
func textContrasts(objs []drawn, from, to int, bg color.Color, where string, each func(textProblem)) {
	for i := from; i < to; i++ {
		d := objs[i]
		t, ok := d.obj.(*canvas.Text)
		if !ok || strings.TrimSpace(t.Text) == "" || t.Color == nil {
			continue
		}
		w := min(t.Size().Width, t.MinSize().Width)
		x := d.pos.X
		switch t.Alignment {
		case fyne.TextAlignCenter:
			x += (t.Size().Width - w) / 2
		case fyne.TextAlignTrailing:
			x += t.Size().Width - w
		}
		vp, vs := intersect(fyne.NewPos(x, d.pos.Y), fyne.NewSize(w, t.Size().Height), d.clipPos, d.clipSize)
		if vs.Width < 1 || vs.Height < 1 {
			continue // scrolled out of sight
		}
		p := fyne.NewPos(vp.X+vs.Width/2, vp.Y+vs.Height/2)
		back := colourAt(objs, i, p, bg)
		fg := over(t.Color, back)
		each(textProblem{where: where, text: t.Text, fg: hex(fg), bg: hex(back), ratio: contrast(fg, back)})
	}
}

// colours is what a shape looks like, to see what focusing changed.
type colours struct{ fill, stroke color.NRGBA }

func shapeColours(o fyne.CanvasObject) (colours, bool) {
	conv := func(c color.Color) color.NRGBA {
		if c == nil {
			return color.NRGBA{}
		}
		return color.NRGBAModel.Convert(c).(color.NRGBA)
	}
	switch s := o.(type) {
	case *canvas.Rectangle:
		sc := s.StrokeColor
		if s.StrokeWidth == 0 {
			sc = nil
		}
		return colours{conv(s.FillColor), conv(sc)}, true
	case *canvas.Circle:
		sc := s.StrokeColor
		if s.StrokeWidth == 0 {
			sc = nil
		}
		return colours{conv(s.FillColor), conv(sc)}, true
	}
	return colours{}, false
}

func indexOf(objs []drawn, o fyne.CanvasObject) int {
	for i, d := range objs {
		if d.obj == o {
			return i
		}
	}
	return -1
}

// focusContrast focuses f and measures what focusing changed on the
// canvas against what is painted behind it (for a part of the widget:
// behind the widget): the strongest change is the focus indicator. It
// returns that ratio (0 if nothing changed, -1 if f cannot take focus)
// and a description, and checks the texts of the focused widget too.
func focusContrast(c fyne.Canvas, f fyne.Focusable, bg color.Color, where string, text func(textProblem)) (float64, string) {
	before := paintOrder(c)
	if indexOf(before, f.(fyne.CanvasObject)) < 0 {
		return -1, ""
	}
	old := map[fyne.CanvasObject]colours{}
	for _, d := range before {
		if cs, ok := shapeColours(d.obj); ok {
			old[d.obj] = cs
		}
	}
	c.Focus(f)
	defer c.Unfocus()
	best, desc := focusChange(c, f, old, bg, where, text)
	if l, ok := f.(*widget.List); ok && best == 0 && l.Length() > 1 {
		// Fyne draws a focused row that is also the selected one as
		// selected; the focus mark shows on the next or previous row.
		for _, k := range []fyne.KeyName{fyne.KeyDown, fyne.KeyUp, fyne.KeyUp} {
			if l.TypedKey(&fyne.KeyEvent{Name: k}); best == 0 {
				best, desc = focusChange(c, f, old, bg, where, text)
			}
		}
	}
	return best, desc
}

// focusChange measures what focusing f changed: see focusContrast.
func focusChange(c fyne.Canvas, f fyne.Focusable, old map[fyne.CanvasObject]colours, bg color.Color, where string, text func(textProblem)) (float64, string) {
	objs := paintOrder(c)
	i := indexOf(objs, f.(fyne.CanvasObject))
	if i < 0 || c.Focused() != f {
		return -1, ""
	}
	best, desc := 0.0, "no visible change"
	for j, d := range objs {
		cs, ok := shapeColours(d.obj)
		if !ok {
			continue
		}
		was, known := old[d.obj]
		if known && was == cs || cs.fill.A == 0 && cs.stroke.A == 0 {
			continue
		}
		vp, vs := intersect(d.pos, d.obj.Size(), d.clipPos, d.clipSize)
		if vs.Width < 1 || vs.Height < 1 {
			continue
		}
		// A changed stroke is sampled on its top edge, a changed fill in
		// the middle of what is in sight.
		p := vp.Add(fyne.NewPos(vs.Width/2, vs.Height/2))
		if r, ok := d.obj.(*canvas.Rectangle); ok && cs.stroke.A > 0 && (!known || was.stroke != cs.stroke) && vp.Y == d.pos.Y {
			p.Y = d.pos.Y + r.StrokeWidth/2
		}
		under := j
		if j > i && j < objs[i].end {
			under = i
		}
		now := colourAt(objs, j+1, p, bg)
		behind := colourAt(objs, under, p, bg)
		if r := contrast(now, behind); r > best {
			best, desc = r, fmt.Sprintf("%T %s on %s", d.obj, hex(now), hex(behind))
		}
	}
	textContrasts(objs, i, objs[i].end, bg, where+" (focused)", text)
	return best, desc
}

// screenViews shows every tab of every tab container in the current view
// in turn (the first one as it is) and calls look for each.
func screenViews(c fyne.Canvas, look func(tab string)) {
	look("")
	for _, d := range paintOrder(c) {
		tabs, ok := d.obj.(*container.AppTabs)
		if !ok {
			continue
		}
		sel := tabs.SelectedIndex()
		for k, it := range tabs.Items {
			if k != sel {
				tabs.SelectIndex(k)
				look(it.Text)
			}
		}
		tabs.SelectIndex(sel)
	}
}

// TestContrastEveryScreen renders every screen, every tab of it, in both
// themes at the auditors' window sizes and measures every text on what is
// painted behind it (≥ 4.5:1) and every focus indicator (≥ 3:1: focusing
// each focusable in turn, the strongest change focusing makes, against
// what is behind the widget). It found help text, checklist references
// and disabled buttons at 1.26–1.55:1, white on the primary blue at
// 4.47:1, tab titles at 4.0:1 and focus marks at 1.2–1.4:1 (the checklist
// question's frame 1.16:1, the diagram none) in the default theme, and
// black text on the blue of focused buttons (2.2:1) in high contrast.
func TestContrastEveryScreen(t *testing.T) {
	for _, high := range []bool{false, true} {
		for _, size := range auditSizes {
			t.Run(fmt.Sprintf("%s-%vx%v", themeName(high), size.Width, size.Height), func(t *testing.T) {
				sh := newThemedShell(t, high, size)
				c := sh.win.Canvas()
				bg := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameBackground, fyne.CurrentApp().Settings().ThemeVariant())
				lowText, lowFocus := math.Inf(1), math.Inf(1)
				var lowTextAt, lowFocusAt string
				seen := map[string]bool{}
				report := func(p textProblem) {
					if p.ratio < lowText {
						lowText, lowTextAt = p.ratio, fmt.Sprintf("%q %s on %s in %s", p.text, p.fg, p.bg, p.where)
					}
					key := p.where + p.text + p.fg + p.bg
					if p.ratio < minTextContrast && !seen[key] {
						seen[key] = true
						t.Errorf("%s: text %q %s on %s: %.2f:1, want ≥ %.1f:1", p.where, p.text, p.fg, p.bg, p.ratio, minTextContrast)
					}
				}
				for i, sp := range sh.specs {
					sh.show(i)
					screenViews(c, func(tab string) {
						where := sp.title
						if tab != "" {
							where += " › " + tab
						}
						objs := paintOrder(c)
						textContrasts(objs, 0, len(objs), bg, where, report)
						for _, d := range objs {
							f, ok := d.obj.(fyne.Focusable)
							if !ok || !inside(d.pos.Add(fyne.NewPos(1, 1)), d.clipPos, d.clipSize) {
								continue
							}
							if dis, ok := f.(fyne.Disableable); ok && dis.Disabled() {
								continue
							}
							if empty(f) {
								continue // nothing to mark
							}
							r, desc := focusContrast(c, f, bg, where, report)
							if r < 0 {
								continue
							}
							name := fmt.Sprintf("%s: focused %T", where, f)
							if b, ok := f.(*widget.Button); ok {
								name += fmt.Sprintf(" %q", b.Text)
							}
							if r < lowFocus && !rowFocus(f) {
								lowFocus, lowFocusAt = r, name+": "+desc
							}
							need := minFocusContrast
							if rowFocus(f) {
								// Fyne marks the focused row of a list or table only by
								// filling it in the hover colour, under text in any colour
								// (red severities, grey rule IDs): a fill of 3:1 would
								// leave that text below 4.5:1, so rows are only required
								// to change visibly. Known gap: a focus outline for rows.
								need = 1.05
							}
							if r < need && !seen[name+desc] {
								seen[name+desc] = true
								t.Errorf("%s: focus indicator %s: %.2f:1, want ≥ %.2f:1", name, desc, r, need)
							}
						}
					})
				}
				t.Logf("lowest text contrast %.2f:1 (%s)", lowText, lowTextAt)
				t.Logf("lowest focus contrast %.2f:1 (%s)", lowFocus, lowFocusAt)
			})
		}
	}
}

// rowFocus is a list or table: Fyne shows its focus as a row fill.
func rowFocus(f fyne.Focusable) bool {
	switch f.(type) {
	case interface {
		SetItemHeight(widget.ListItemID, float32)
	}, // lists
		interface{ SetColumnWidth(int, float32) },  // tables, also ours that embed one
		interface{ OpenBranch(widget.TreeNodeID) }: // trees
		return true
	}
	return false
}

// empty is a list or table without rows: focusing it has nothing to show.
func empty(f fyne.Focusable) bool {
	switch w := f.(type) {
	case *widget.List:
		return w.Length == nil || w.Length() == 0
	case *widget.Table:
		if w.Length == nil {
			return false
		}
		r, c := w.Length()
		return r == 0 || c == 0
	}
	return false
}

// TestSyncPassphraseLabelsNormal: the labels of the export form are
// normal text while their fields are disabled (recipients mode): Fyne
// greys a form label out with its field, and they read as disabled.
func TestSyncPassphraseLabelsNormal(t *testing.T) {
	sh := newThemedShell(t, false, auditSizes[0])
	y := screenOf[*syncScreen](t, sh, "Sync")
	th := fyne.CurrentApp().Settings().Theme()
	fg := th.Color(theme.ColorNameForeground, fyne.CurrentApp().Settings().ThemeVariant())
	check := func(labels ...string) {
		t.Helper()
		found := 0
		for _, d := range paintOrder(sh.win.Canvas()) {
			if tx, ok := d.obj.(*canvas.Text); ok && (tx.Text == labels[0] || tx.Text == labels[len(labels)-1]) {
				found++
				if hex(tx.Color) != hex(fg) {
					t.Errorf("%s mode: label %q drawn in %s, want the text colour %s", y.encryption.Selected, tx.Text, hex(tx.Color), hex(fg))
				}
			}
		}
		if found < len(labels) {
			t.Fatalf("found %d of the labels %q on the Sync screen", found, labels)
		}
	}
	check("Passphrase", "Repeat") // their fields are off while encrypting to recipients
	y.encryption.SetSelected(encryptPassphrase)
	check("Recipients")
}

// TestDisabledButtonsDistinct: a disabled button looks different from an
// enabled one (its fill and its text) and stays readable. WCAG exempts
// disabled controls from the text contrast, but an auditor must still
// read what the button would do, and our disabled colour also paints help
// text, so it is held to 4.5:1 too. Distinct: the disabled text differs
// from the enabled text by at least 2.5:1 and the fills differ.
func TestDisabledButtonsDistinct(t *testing.T) {
	for _, high := range []bool{false, true} {
		t.Run(themeName(high), func(t *testing.T) {
			a := test.NewTempApp(t)
			applyTheme(a, high)
			th := a.Settings().Theme()
			v := a.Settings().ThemeVariant()
			bg := th.Color(theme.ColorNameBackground, v)
			on := widget.NewButton("Keep this laptop's version", nil)
			off := widget.NewButton("Use the other version", nil)
			off.Disable()
			w := test.NewTempWindow(t, container.NewHBox(on, off))
			w.Resize(fyne.NewSize(600, 100))
			look := func(b *widget.Button) (fill, text color.NRGBA) {
				objs := paintOrder(w.Canvas())
				i := indexOf(objs, b)
				mid := objs[i].pos.Add(fyne.NewPos(b.Size().Width/2, b.Size().Height/2))
				fill = colourAt(objs, objs[i].end, mid, bg)
				for _, d := range objs[i:objs[i].end] {
					if tx, ok := d.obj.(*canvas.Text); ok && tx.Text != "" {
						text = over(tx.Color, fill)
					}
				}
				return fill, text
			}
			onFill, onText := look(on)
			offFill, offText := look(off)
			t.Logf("enabled %s on %s, disabled %s on %s", hex(onText), hex(onFill), hex(offText), hex(offFill))
			if onFill == offFill {
				t.Errorf("disabled and enabled buttons have the same fill %s", hex(onFill))
			}
			if r := contrast(onText, offText); r < 2.5 {
				t.Errorf("disabled text %s differs from enabled text %s by %.2f:1 only, want ≥ 2.5:1", hex(offText), hex(onText), r)
			}
			if r := contrast(offText, offFill); r < minTextContrast {
				t.Errorf("disabled text %s on %s: %.2f:1, want ≥ %.1f:1", hex(offText), hex(offFill), r, minTextContrast)
			}
		})
	}
}

// TestScreensFitTheWindow: no screen asks for more room than the window
// has, in either theme: a screen whose minimum size is larger grows the
// window past the screen (Checklists in high contrast at 1280×800 made it
// 885 px tall) and it never shrinks back.
func TestScreensFitTheWindow(t *testing.T) {
	for _, high := range []bool{false, true} {
		for _, size := range auditSizes {
			t.Run(fmt.Sprintf("%s-%vx%v", themeName(high), size.Width, size.Height), func(t *testing.T) {
				sh := newThemedShell(t, high, size)
				for i, sp := range sh.specs {
					sh.show(i)
					if m := sh.win.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
						t.Errorf("%s: the window content needs %v×%v, more than the %v×%v window; the largest parts: %s",
							sp.title, m.Width, m.Height, size.Width, size.Height, tallest(sh.views[i], size))
					}
				}
			})
		}
	}
}

// tallest names the deepest objects whose minimum size exceeds size, to
// say where a too-large screen comes from.
func tallest(o fyne.CanvasObject, size fyne.Size) string {
	var names []string
	var walk func(o fyne.CanvasObject, depth int)
	walk = func(o fyne.CanvasObject, depth int) {
		var children []fyne.CanvasObject
		switch co := o.(type) {
		case *fyne.Container:
			children = co.Objects
		case fyne.Widget:
			children = test.WidgetRenderer(co).Objects()
		}
		deeper := false
		for _, ch := range children {
			if ch.Visible() && (ch.MinSize().Height > size.Height-80 || ch.MinSize().Width > size.Width-200) {
				deeper = true
				walk(ch, depth+1)
			}
		}
		if !deeper {
			names = append(names, fmt.Sprintf("%T at depth %d (%v×%v)", o, depth, o.MinSize().Width, o.MinSize().Height))
		}
	}
	walk(o, 0)
	sort.Strings(names)
	return strings.Join(names, "; ")
}
