package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/assets"
)

// countermeasuresTab lists the countermeasures the audit relies on; one
// record is linked from answers met by compensation, risk scenarios,
// zones and conduits.
type countermeasuresTab struct {
	s *session

	list      *widget.List
	deleteBtn *widget.Button
	detail    fyne.CanvasObject
	empty     fyne.CanvasObject
	errs      *errorBox

	name, owner, evidence *field
	description           *field
	status                *widget.Select
	frs                   [7]*widget.Check
	where                 *fyne.Container // checks: zones, then conduits

	ed        *editor[assets.Countermeasure]
	cur       assets.Countermeasure
	cms       []assets.Countermeasure
	places    []assets.Ref
	loading   bool
	selecting bool
}

var cmLabels = map[string]string{"name": "Name", "description": "Description", "owner": "Owner",
	"evidence": "Evidence", "status": "Status", "applies_to": "Applies to"}

var cmStatuses = []string{"Implemented", "Planned"}

func (c *countermeasuresTab) build() fyne.CanvasObject {
	c.list = widget.NewList(func() int { return len(c.cms) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("Countermeasure name that is long · planned")
			t.Truncation = fyne.TextTruncateEllipsis
			return t
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			cm := c.cms[i]
			s := cm.Name
			if cm.Status == assets.CountermeasurePlanned {
				s += " · planned"
			}
			o.(*widget.Label).SetText(s)
		})
	c.list.OnSelected = func(i widget.ListItemID) {
		if !c.selecting && i < len(c.cms) {
			next := c.cms[i]
			c.ed.leave(func() { c.load(next) }, nil)
		}
	}
	add := widget.NewButtonWithIcon("Add (Ctrl+N)", theme.ContentAddIcon(), c.newRecord)
	add.Importance = widget.HighImportance
	c.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), c.deleteSelected)
	left := container.NewBorder(container.NewHBox(add, c.deleteBtn), nil, nil, nil, c.list)

	commit := func() {
		if c.ed != nil {
			c.ed.commit()
		}
	}
	changed := func() {
		if !c.loading {
			commit()
		}
	}
	c.name, c.owner, c.evidence = newField(commit), newField(commit), newField(commit)
	c.description = newLongField(commit)
	c.status = widget.NewSelect(cmStatuses, func(string) { changed() })
	frRow := container.NewGridWithColumns(4)
	for i, fr := range assets.FRs {
		c.frs[i] = widget.NewCheck(fmt.Sprintf("FR%d %s", fr.Number(), fr), func(bool) { changed() })
		frRow.Add(c.frs[i])
	}
	c.where = container.NewGridWithColumns(2)
	c.errs = newErrorBox()
	c.ed = &editor[assets.Countermeasure]{s: c.s, kind: "countermeasure", labels: cmLabels, errs: c.errs, cur: &c.cur,
		edited: c.edited, save: c.s.ws.SaveCountermeasure, load: c.load, id: func() string { return c.cur.ID },
		idFields: []string{"name"}, title: func() string { return fmt.Sprintf("Countermeasure %q", c.cur.Name) },
		focus: func() { c.selectInList(c.cur.ID); c.s.win.Canvas().Focus(c.name) }, loading: &c.loading,
		texts: map[string]*field{"name": c.name, "owner": c.owner, "evidence": c.evidence, "description": c.description}}
	c.ed.init()
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Name"), c.name,
		widget.NewLabel("Status"), c.status,
		widget.NewLabel("Owner"), c.owner,
		widget.NewLabel("Evidence"), c.evidence,
		widget.NewLabel("FRs it helps meet"), frRow,
		widget.NewLabel("Applies to"), c.where,
		widget.NewLabel("Description"), c.description,
	)
	c.detail = container.NewVScroll(container.NewVBox(c.errs.box, form))
	c.empty = container.NewCenter(widget.NewLabel("Select a countermeasure, or add one with Ctrl+N."))
	split := container.NewHSplit(left, container.NewStack(c.empty, c.detail))
	split.Offset = 0.3
	c.showDetail(false)
	return split
}

func (c *countermeasuresTab) showDetail(on bool) { swapDetail(on, c.detail, c.empty, c.deleteBtn) }

func (c *countermeasuresTab) refresh() {
	var err error
	if c.cms, err = c.s.ws.Countermeasures(); err != nil {
		c.s.showError(err)
	}
	c.places = nil
	for _, z := range c.s.ws.Zones() {
		c.places = append(c.places, assets.Ref{Kind: "zone", ID: z.ID})
	}
	for _, cd := range c.s.ws.Conduits() {
		c.places = append(c.places, assets.Ref{Kind: "conduit", ID: cd.ID})
	}
	c.list.Refresh()
	if c.cur.ID == "" {
		c.showDetail(false)
		return
	}
	stored, err := c.s.ws.Countermeasure(c.cur.ID)
	if err != nil {
		c.cur = assets.Countermeasure{}
		c.list.UnselectAll()
		c.showDetail(false)
		return
	}
	if c.ed.pending() {
		c.cur = stored
	} else {
		c.load(stored)
	}
	c.selectInList(stored.ID)
}

func (c *countermeasuresTab) placeName(r assets.Ref) string {
	switch r.Kind {
	case "zone":
		if z, ok := c.s.ws.Zone(r.ID); ok {
			return "Zone " + z.Name
		}
	case "conduit":
		if cd, ok := c.s.ws.Conduit(r.ID); ok {
			return "Conduit " + cd.Name
		}
	}
	return r.Kind + " " + r.ID
}

func (c *countermeasuresTab) load(cm assets.Countermeasure) {
	c.loading = true
	defer func() { c.loading = false }()
	c.cur = cm
	c.name.set(cm.Name)
	c.owner.set(cm.Owner)
	c.evidence.set(cm.Evidence)
	c.description.set(cm.Description)
	c.status.SetSelectedIndex(map[bool]int{false: 0, true: 1}[cm.Status == assets.CountermeasurePlanned])
	for i := range c.frs {
		c.frs[i].SetChecked(false)
	}
	for _, f := range cm.FRs {
		if int(f) >= 0 && int(f) < len(c.frs) {
			c.frs[f].SetChecked(true)
		}
	}
	c.where.RemoveAll()
	for _, p := range c.places {
		ch := widget.NewCheck(c.placeName(p), func(bool) {
			if !c.loading {
				c.ed.commit()
			}
		})
		for _, r := range cm.AppliesTo {
			if r == p {
				ch.SetChecked(true)
			}
		}
		c.where.Add(ch)
	}
	c.ed.stored()
	c.showDetail(true)
}

// edited is the countermeasure as the form shows it. Places it applies
// to that the form does not list (assets) are kept.
func (c *countermeasuresTab) edited() assets.Countermeasure {
	cm := c.cur
	cm.Name = strings.TrimSpace(c.name.Text)
	cm.Owner, cm.Evidence = strings.TrimSpace(c.owner.Text), strings.TrimSpace(c.evidence.Text)
	cm.Description = c.description.Text
	cm.Status = assets.CountermeasureImplemented
	if c.status.SelectedIndex() == 1 {
		cm.Status = assets.CountermeasurePlanned
	}
	cm.FRs = nil
	for i, ch := range c.frs {
		if ch.Checked {
			cm.FRs = append(cm.FRs, assets.FRs[i])
		}
	}
	cm.AppliesTo = nil
	for _, r := range c.cur.AppliesTo {
		if r.Kind != "zone" && r.Kind != "conduit" {
			cm.AppliesTo = append(cm.AppliesTo, r)
		}
	}
	for i, o := range c.where.Objects {
		if ch, ok := o.(*widget.Check); ok && ch.Checked && i < len(c.places) {
			cm.AppliesTo = append(cm.AppliesTo, c.places[i])
		}
	}
	if len(cm.AppliesTo) == 0 && len(c.cur.AppliesTo) == 0 {
		cm.AppliesTo = c.cur.AppliesTo
	}
	if len(cm.FRs) == 0 && len(c.cur.FRs) == 0 {
		cm.FRs = c.cur.FRs
	}
	return cm
}

func (c *countermeasuresTab) selectInList(id string) {
	for i := range c.cms {
		if c.cms[i].ID == id {
			c.selecting = true
			c.list.Select(i)
			c.selecting = false
			return
		}
	}
}

func (c *countermeasuresTab) newRecord() {
	if c.ed.pending() {
		c.ed.leave(c.newRecord, nil)
		return
	}
	c.ed.commit()
	name := fmt.Sprintf("Countermeasure %d", len(c.cms)+1)
	saved, err := c.s.ws.SaveCountermeasure(assets.Countermeasure{Name: name, Status: assets.CountermeasureImplemented})
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

func (c *countermeasuresTab) deleteSelected() {
	if c.cur.ID == "" {
		return
	}
	gone := c.cur
	if err := c.s.ws.DeleteCountermeasure(gone.ID); err != nil {
		c.s.showError(err)
		return
	}
	c.cur = assets.Countermeasure{}
	c.list.UnselectAll()
	c.s.changed()
	ws := c.s.ws
	c.s.offerUndo(fmt.Sprintf("Deleted countermeasure %q", gone.Name), func() error {
		gone.Deleted = false
		_, err := ws.SaveCountermeasure(gone)
		return err
	})
}
