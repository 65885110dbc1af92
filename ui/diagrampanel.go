package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// conduitPanel shows a conduit just drawn beside the drawing, so the
// auditor names it and says what it carries without leaving the picture.
// It saves as the Conduits screen does (SaveConduit, on Enter or when a
// field is left); the rest (controls, SL-T, policy) is on that screen.
type conduitPanel struct {
	d       *diagramScreen
	cur     assets.Conduit
	loading bool

	title             *widget.Label
	name, flows       *field
	direction         *widget.Select
	remote, temporary *widget.Check
	errs              *errorBox
	content           fyne.CanvasObject
}

// panelWidth is the side panel's width, in screen units.
const panelWidth = 330

func newConduitPanel(d *diagramScreen) *conduitPanel {
	p := &conduitPanel{d: d}
	changed := func() {
		if !p.loading {
			p.commit()
		}
	}
	p.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.title.Wrapping = fyne.TextWrapWord
	p.name = newField(p.commit)
	var dirLabels []string
	for _, dir := range directions {
		dirLabels = append(dirLabels, dir.label)
	}
	p.direction = widget.NewSelect(dirLabels, func(string) { changed() })
	p.flows = newLongField(p.commit)
	p.flows.SetPlaceHolder("One flow per line, e.g.\nModbus/TCP 502\nHTTPS tcp/443")
	p.remote = widget.NewCheck("Remote access", func(bool) { changed() })
	p.temporary = widget.NewCheck("Temporary", func(bool) { changed() })
	p.errs = newErrorBox()
	more := widget.NewButtonWithIcon("Controls, SL-T…", theme.NavigateNextIcon(), func() {
		p.commit()
		if p.cur.ID != "" {
			d.revealRef(assets.Ref{Kind: "conduit", ID: p.cur.ID})
		}
	})
	done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), p.close)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Name"), p.name,
		widget.NewLabel("Direction"), p.direction,
		widget.NewLabel("Flows"), p.flows,
		widget.NewLabel(""), container.NewVBox(p.remote, p.temporary),
	)
	width := canvas.NewRectangle(nil)
	width.SetMinSize(fyne.NewSize(panelWidth, 0))
	p.content = container.NewStack(width, container.NewVBox(p.title, p.errs.box, form, container.NewHBox(done, more)))
	d.s.onFlush(p.commit)
	return p
}

// show loads a conduit and puts the cursor in its name.
func (p *conduitPanel) show(c assets.Conduit) {
	p.load(c)
	p.d.side.Show()
	p.d.s.win.Canvas().Focus(p.name)
	p.name.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (p *conduitPanel) load(c assets.Conduit) {
	p.loading = true
	defer func() { p.loading = false }()
	p.cur = c
	p.title.SetText(fmt.Sprintf("Conduit %s → %s", p.d.zoneName(c.From), p.d.zoneName(c.To)))
	p.name.set(c.Name)
	p.direction.SetSelected(directions[0].label)
	for _, dir := range directions {
		if dir.d == c.Direction {
			p.direction.SetSelected(dir.label)
		}
	}
	p.flows.set(formatFlows(c.Flows))
	p.remote.SetChecked(c.RemoteAccess)
	p.temporary.SetChecked(c.Temporary)
	p.errs.show(nil, nil)
}

// edited is the conduit as the panel shows it.
func (p *conduitPanel) edited() assets.Conduit {
	c := p.cur
	c.Name = strings.TrimSpace(p.name.Text)
	for _, dir := range directions {
		if dir.label == p.direction.Selected {
			c.Direction = dir.d
		}
	}
	if flows := parseFlows(p.flows.Text); len(flows) > 0 || len(c.Flows) > 0 {
		c.Flows = flows
	}
	c.RemoteAccess, c.Temporary = p.remote.Checked, p.temporary.Checked
	return c
}

func (p *conduitPanel) commit() {
	if p.cur.ID == "" {
		return
	}
	if _, ok := p.d.s.ws.Conduit(p.cur.ID); !ok {
		return // undone meanwhile
	}
	_ = saveEdited(p.d.s, p.errs, conduitLabels, &p.cur, p.edited(), p.d.s.ws.SaveConduit)
}

// close saves and hides the panel.
func (p *conduitPanel) close() {
	p.commit()
	p.cur = assets.Conduit{}
	p.d.side.Hide()
	p.d.board.focus()
}

// sync hides the panel when its conduit is gone (the drawing was undone)
// and shows the stored conduit when it changed elsewhere.
func (p *conduitPanel) sync() {
	if p.cur.ID == "" {
		return
	}
	c, ok := p.d.s.ws.Conduit(p.cur.ID)
	switch {
	case !ok:
		p.cur = assets.Conduit{}
		p.d.side.Hide()
	case c.Version != p.cur.Version && p.d.s.win.Canvas().Focused() == nil:
		p.load(c)
	}
}
