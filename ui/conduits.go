package ui

import (
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	registerScreen(30, "Conduits", theme.DefaultTheme().Icon(theme.IconNameMailForward), func(s *session) screen { return newConduitsScreen(s) })
}

var conduitLabels = map[string]string{
	"name": "Name", "from": "From zone", "to": "To zone", "direction": "Direction", "flows": "Flows",
	"sl_t": "SL-T", "policy": "Policy",
}

// externalZone is the To picker's entry for a conduit that leaves the
// system under consideration (an empty To).
const externalZone = "External (outside the system)"

var directions = []struct {
	d     assets.Direction
	label string
}{
	{assets.Bidirectional, "Both ways"},
	{assets.FromToTo, "From → To only"},
	{assets.ToToFrom, "To → From only"},
}

// portsToken is the last word of a flow line when it names ports:
// "502", "tcp/443", "udp/500,4500", "20000-20010".
var portsToken = regexp.MustCompile(`(?i)^((tcp|udp)/)?[0-9][0-9,\-]*$`)

// parseFlows reads one flow per line: a protocol, then optionally ports.
func parseFlows(text string) []assets.Flow {
	var out []assets.Flow
	for _, line := range strings.Split(text, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		f := assets.Flow{Protocol: strings.Join(words, " ")}
		if n := len(words); n > 1 && portsToken.MatchString(words[n-1]) {
			f = assets.Flow{Protocol: strings.Join(words[:n-1], " "), Ports: words[n-1]}
		}
		out = append(out, f)
	}
	return out
}

func formatFlows(fs []assets.Flow) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// conduitsScreen lists conduits with the selected one's form beside them.
type conduitsScreen struct {
	s        *session
	conduits []assets.Conduit
	zones    []assets.Zone
	cur      assets.Conduit
	loading  bool

	list                       *widget.List
	name, flows, other, policy *field
	from, to, direction        *widget.Select
	controls                   []*widget.Check // one per assets.KnownControls
	remote, temporary          *widget.Check
	slt                        *slEditor
	errs                       *errorBox
	evidence                   *evidenceView
	detail                     *fyne.Container
	empty                      fyne.CanvasObject
	addBtn, deleteBtn          *widget.Button
	selecting                  bool
	ed                         *editor[assets.Conduit]
}

func newConduitsScreen(s *session) *conduitsScreen {
	c := &conduitsScreen{s: s}
	s.onFlush(c.commit)
	return c
}

func (c *conduitsScreen) zoneName(id string) string {
	if id == "" {
		return "External"
	}
	if z, ok := c.s.ws.Zone(id); ok {
		return z.Name
	}
	return "?"
}

func (c *conduitsScreen) build() fyne.CanvasObject {
	c.list = widget.NewList(func() int { return len(c.conduits) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("Conduit", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			ends := widget.NewLabel("From → To")
			ends.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, ends)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			cd := c.conduits[i]
			objs := o.(*fyne.Container).Objects
			objs[0].(*widget.Label).SetText(cd.Name)
			arrow := " ←→ "
			switch cd.Direction {
			case assets.FromToTo:
				arrow = " → "
			case assets.ToToFrom:
				arrow = " ← "
			}
			objs[1].(*widget.Label).SetText(c.zoneName(cd.From) + arrow + c.zoneName(cd.To) + " · " + cd.SLT.String())
		})
	c.list.OnSelected = func(i widget.ListItemID) {
		if !c.selecting && i < len(c.conduits) {
			next := c.conduits[i]
			c.ed.leave(func() { c.load(next) }, nil) // asks about input not saved
		}
	}
	add := widget.NewButtonWithIcon("Add (Ctrl+N)", theme.ContentAddIcon(), c.newRecord)
	add.Importance = widget.HighImportance
	c.addBtn = add
	c.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), c.deleteSelected)
	left := container.NewBorder(container.NewHBox(add, c.deleteBtn), nil, nil, nil, c.list)

	commit := c.commit
	changed := func() {
		if !c.loading {
			c.commit()
		}
	}
	c.name = newField(commit)
	c.from = widget.NewSelect(nil, func(string) { changed() })
	c.to = widget.NewSelect(nil, func(string) { changed() })
	var dirLabels []string
	for _, d := range directions {
		dirLabels = append(dirLabels, d.label)
	}
	c.direction = widget.NewSelect(dirLabels, func(string) { changed() })
	c.flows = newLongField(commit)
	c.flows.SetPlaceHolder("One flow per line: protocol and port(s), e.g.\nModbus/TCP 502\nHTTPS tcp/443")
	// Checks in a grid: a horizontal group of eleven would widen the window.
	grid := container.NewGridWithColumns(2)
	for _, k := range assets.KnownControls {
		ch := widget.NewCheck(string(k), func(bool) { changed() })
		c.controls = append(c.controls, ch)
		grid.Add(ch)
	}
	c.other = newField(commit)
	c.other.SetPlaceHolder("other controls, comma-separated")
	c.remote = widget.NewCheck("Remote access (from outside the site)", func(bool) { changed() })
	c.temporary = widget.NewCheck("Temporary (vendor laptop, USB transfer, …)", func(bool) { changed() })
	c.slt = newSLEditor(changed)
	c.policy = newLongField(commit)
	c.errs = newErrorBox()
	c.ed = &editor[assets.Conduit]{s: c.s, kind: "conduit", labels: conduitLabels, errs: c.errs, cur: &c.cur,
		edited: c.edited, save: c.s.ws.SaveConduit, load: c.load, id: func() string { return c.cur.ID },
		idFields: []string{"name"}, title: func() string { return fmt.Sprintf("Conduit %q", c.cur.Name) },
		focus: c.keepEditing, loading: &c.loading,
		texts: map[string]*field{"name": c.name, "flows": c.flows, "controls": c.other, "policy": c.policy}}
	c.ed.init()
	noteLimit(c.slt.all, slShortcutMax, c.slt.problem)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Name"), c.name,
		widget.NewLabel("From zone"), c.from,
		widget.NewLabel("To zone"), c.to,
		widget.NewLabel("Direction"), c.direction,
		widget.NewLabel("Flows"), c.flows,
		widget.NewLabel("Controls"), container.NewVBox(grid, c.other),
		widget.NewLabel(""), container.NewVBox(c.remote, c.temporary),
		widget.NewLabel("SL-T"), c.slt.content,
		widget.NewLabel("Policy"), c.policy,
	)
	c.evidence = newEvidenceView(c.s, assets.Ref{})
	c.detail = container.NewStack(withEvidenceTab("Conduit", container.NewVBox(c.errs.box, form), c.evidence))
	c.empty = container.NewCenter(widget.NewLabel("Select a conduit, or add one with Ctrl+N."))
	right := container.NewStack(c.empty, c.detail)
	c.showDetail(false)
	split := container.NewHSplit(left, right)
	split.Offset = 0.3
	return split
}

func (c *conduitsScreen) showDetail(on bool) { swapDetail(on, c.detail, c.empty, c.deleteBtn) }

// swapDetail shows a list screen's detail form, or its empty-state hint
// when no record is selected; Delete is enabled only with a record.
func swapDetail(on bool, detail, empty fyne.CanvasObject, del *widget.Button) {
	if on {
		empty.Hide()
		detail.Show()
		del.Enable()
	} else {
		detail.Hide()
		empty.Show()
		del.Disable()
	}
}

func (c *conduitsScreen) refresh() {
	c.conduits = c.s.ws.Conduits()
	c.zones = c.s.ws.Zones()
	names := make([]string, len(c.zones))
	for i, z := range c.zones {
		names[i] = z.Name
	}
	c.loading = true
	c.from.SetOptions(names)
	c.to.SetOptions(append([]string{externalZone}, names...))
	c.loading = false
	c.list.Refresh()
	if c.cur.ID == "" {
		c.showDetail(false)
		return
	}
	stored, ok := c.s.ws.Conduit(c.cur.ID)
	if !ok {
		c.cur = assets.Conduit{}
		c.list.UnselectAll()
		c.showDetail(false)
		return
	}
	if c.ed.pending() {
		c.cur = stored // the input on screen stays, unsaved
	} else {
		c.load(stored) // zone names may have changed too
	}
	c.selectInList(stored.ID)
}

func (c *conduitsScreen) selectInList(id string) {
	for i := range c.conduits {
		if c.conduits[i].ID == id {
			c.selecting = true
			c.list.Select(i)
			c.selecting = false
			return
		}
	}
}

func (c *conduitsScreen) zoneID(name string) string {
	for _, z := range c.zones {
		if z.Name == name {
			return z.ID
		}
	}
	return ""
}

func (c *conduitsScreen) load(cd assets.Conduit) {
	c.loading = true
	defer func() { c.loading = false }()
	if c.zones == nil {
		c.zones = c.s.ws.Zones()
	}
	c.cur = cd
	c.name.set(cd.Name)
	c.from.ClearSelected()
	if cd.From != "" {
		c.from.SetSelected(c.zoneName(cd.From))
	}
	if cd.To == "" {
		c.to.SetSelected(externalZone)
	} else {
		c.to.SetSelected(c.zoneName(cd.To))
	}
	c.direction.SetSelected(directions[0].label)
	for _, d := range directions {
		if d.d == cd.Direction {
			c.direction.SetSelected(d.label)
		}
	}
	c.flows.set(formatFlows(cd.Flows))
	var other []string
	for _, k := range cd.Controls {
		if !isKnownControl(k) {
			other = append(other, string(k))
		}
	}
	for i, k := range assets.KnownControls {
		c.controls[i].SetChecked(cd.Has(k))
	}
	c.other.set(strings.Join(other, ", "))
	c.remote.SetChecked(cd.RemoteAccess)
	c.temporary.SetChecked(cd.Temporary)
	c.slt.set(cd.SLT)
	c.policy.set(cd.Policy)
	if c.evidence.owner.ID != cd.ID {
		c.evidence.setOwner(assets.Ref{Kind: "conduit", ID: cd.ID})
		c.errs.show(nil, nil)
	}
	c.showDetail(true)
}

func isKnownControl(k assets.Control) bool {
	for _, x := range assets.KnownControls {
		if x == k {
			return true
		}
	}
	return false
}

func (c *conduitsScreen) form() assets.Conduit {
	cd := c.cur
	cd.Name = strings.TrimSpace(c.name.Text)
	cd.From = c.zoneID(c.from.Selected)
	cd.To = ""
	if c.to.Selected != externalZone {
		cd.To = c.zoneID(c.to.Selected)
	}
	for _, d := range directions {
		if d.label == c.direction.Selected {
			cd.Direction = d.d
		}
	}
	cd.Flows = parseFlows(c.flows.Text)
	cd.Controls = nil
	for i, k := range assets.KnownControls {
		if c.controls[i].Checked {
			cd.Controls = append(cd.Controls, k)
		}
	}
	for _, o := range strings.Split(c.other.Text, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cd.Controls = append(cd.Controls, assets.Control(o))
		}
	}
	cd.RemoteAccess = c.remote.Checked
	cd.Temporary = c.temporary.Checked
	cd.SLT = c.slt.get()
	cd.Policy = c.policy.Text
	return cd
}

// edited is the conduit as the form shows it.
func (c *conduitsScreen) edited() assets.Conduit {
	cd := c.form()
	if len(cd.Flows) == 0 && len(c.cur.Flows) == 0 {
		cd.Flows = c.cur.Flows
	}
	if len(cd.Controls) == 0 && len(c.cur.Controls) == 0 {
		cd.Controls = c.cur.Controls
	}
	return cd
}

func (c *conduitsScreen) commit() {
	if c.ed != nil {
		c.ed.commit()
	}
}

// keepEditing shows the conduit whose input was not saved again.
func (c *conduitsScreen) keepEditing() {
	c.selectInList(c.cur.ID)
	c.s.win.Canvas().Focus(c.name)
}

// restoreDraft puts a conduit form's unsaved input back.
func (c *conduitsScreen) restoreDraft(key string, fields map[string]string) bool {
	id, ok := strings.CutPrefix(key, "conduit:")
	if !ok {
		return false
	}
	cd, ok := c.s.ws.Conduit(id)
	if !ok {
		return false
	}
	c.load(cd)
	c.ed.restore(fields)
	c.selectInList(id)
	return true
}

// newRecord adds a conduit from the first zone to outside the system;
// the auditor then picks its zones.
func (c *conduitsScreen) newRecord() {
	if c.ed != nil && c.ed.pending() {
		c.ed.leave(c.newRecord, nil)
		return
	}
	c.commit()
	zones := c.s.ws.Zones()
	if len(zones) == 0 {
		c.s.showError(fmt.Errorf("add a zone first: a conduit joins zones"))
		return
	}
	saved, err := c.s.ws.SaveConduit(assets.Conduit{Name: fmt.Sprintf("C%d", len(c.s.ws.Conduits())+1),
		From: zones[0].ID, Direction: assets.Bidirectional})
	if err != nil {
		c.s.showError(err)
		return
	}
	c.s.changed()
	c.load(saved)
	c.selectInList(saved.ID)
	c.s.win.Canvas().Focus(c.name)
	c.name.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (c *conduitsScreen) deleteSelected() {
	if c.cur.ID == "" {
		return
	}
	id, name := c.cur.ID, c.cur.Name
	if err := c.s.ws.DeleteConduit(id); err != nil {
		c.s.showError(err)
		return
	}
	ws := c.s.ws
	c.s.drafts.clear(c.ed.draftKey()) // its input went with it
	c.s.offerUndo(fmt.Sprintf("Deleted conduit %q", name), func() error { return ws.Restore(app.KindConduit, id) })
	c.cur = assets.Conduit{}
	c.list.UnselectAll()
	c.s.changed()
}

func (c *conduitsScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != "conduit" {
		return false
	}
	cd, ok := c.s.ws.Conduit(ref.ID)
	if !ok {
		return false
	}
	c.ed.leave(func() {
		c.load(cd)
		c.selectInList(cd.ID)
	}, nil)
	return true
}
