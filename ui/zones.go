package ui

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	registerScreen(20, "Zones", theme.DefaultTheme().Icon(theme.IconNameViewRestore), func(s *session) screen { return newZonesScreen(s) })
}

// Labels of the zone form by validation field name.
var zoneLabels = map[string]string{
	"name": "Name", "description": "Description", "purdue_levels": "Purdue levels", "sl_t": "SL-T",
	"rationale.safety": "Safety rating", "rationale.environment": "Environment rating",
	"rationale.operations": "Operations rating", "rationale.finance": "Finance rating",
	"rationale.reputation": "Reputation rating", "rationale.likelihood": "Likelihood rating",
	"rationale.text": "Rationale", "rationale.approved_at": "Approved on",
}

// slEditor edits an SL vector: one number for every FR (the usual case,
// typed in one keystroke) or a level per foundational requirement.
type slEditor struct {
	all      *field
	frs      [7]*widget.Select
	summary  *widget.Label
	problem  *widget.Label
	onChange func()
	loading  bool
	content  fyne.CanvasObject
}

var slOptions = []string{"–", "1", "2", "3", "4"}

func newSLEditor(onChange func()) *slEditor {
	e := &slEditor{onChange: onChange}
	e.all = newField(e.applyAll)
	e.all.SetPlaceHolder("e.g. 2, or 2,2,3,1,3,1,2")
	e.summary = widget.NewLabel("")
	e.problem = widget.NewLabel("")
	e.problem.Importance = widget.DangerImportance
	e.problem.Hide()
	cols := make([]fyne.CanvasObject, 7)
	for i, fr := range assets.FRs {
		sel := widget.NewSelect(slOptions, func(string) {
			if !e.loading {
				e.showSummary()
				e.onChange()
			}
		})
		sel.PlaceHolder = "–"
		e.frs[i] = sel
		cols[i] = container.NewVBox(widget.NewLabelWithStyle(fmt.Sprintf("FR%d %s", fr.Number(), fr), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), sel)
	}
	allRow := container.NewBorder(nil, nil, widget.NewLabel("All FRs:"), e.summary, e.all)
	e.content = container.NewVBox(allRow, e.problem, container.NewGridWithColumns(4, cols...))
	return e
}

// applyAll reads the one-number (or seven-number) shortcut into the FRs.
func (e *slEditor) applyAll() {
	if e.loading || strings.TrimSpace(e.all.Text) == "" {
		return
	}
	v, err := assets.ParseSLVector(e.all.Text)
	if err != nil {
		e.problem.SetText(err.Error())
		e.problem.Show()
		return
	}
	e.problem.Hide()
	e.set(v)
	e.onChange()
}

func (e *slEditor) set(v assets.SLVector) {
	e.loading = true
	defer func() { e.loading = false }()
	for i, l := range v {
		if l >= 1 && l <= 4 {
			e.frs[i].SetSelected(strconv.Itoa(l))
		} else {
			e.frs[i].ClearSelected()
		}
	}
	e.all.set("")
	e.showSummary()
}

func (e *slEditor) get() assets.SLVector {
	var v assets.SLVector
	for i, s := range e.frs {
		v[i], _ = strconv.Atoi(s.Selected)
	}
	return v
}

func (e *slEditor) showSummary() { e.summary.SetText(e.get().String()) }

// ratingSelect picks a 1–5 rating; "–" is not rated.
func ratingSelect(onChange func()) *widget.Select {
	s := widget.NewSelect([]string{"–", "1", "2", "3", "4", "5"}, func(string) { onChange() })
	s.PlaceHolder = "–"
	return s
}

func setRating(s *widget.Select, v int) {
	if v >= 1 && v <= 5 {
		s.SetSelected(strconv.Itoa(v))
	} else {
		s.ClearSelected()
	}
}

func rating(s *widget.Select) int { n, _ := strconv.Atoi(s.Selected); return n }

// purdueLabels are the check labels of Purdue levels, in order.
func purdueLabels() []string {
	out := make([]string, len(assets.PurdueLevels))
	for i, p := range assets.PurdueLevels {
		out[i] = p.Label()
	}
	return out
}

// zonesScreen lists the zones with the selected zone's form beside them.
type zonesScreen struct {
	s       *session
	zones   []assets.Zone
	cur     assets.Zone // the selected zone as stored; ID "" when none
	loading bool

	list                                    *widget.List
	name, desc, tolerable, text, approvedBy *field
	approvedAt                              *field
	levels                                  []*widget.Check // one per assets.PurdueLevels
	slt                                     *slEditor
	ratings                                 [6]*widget.Select
	errs                                    *errorBox
	evidence                                *evidenceView
	members                                 *widget.Label
	detail                                  *fyne.Container
	empty                                   fyne.CanvasObject
	addBtn, deleteBtn                       *widget.Button
	selecting                               bool
	ed                                      *editor[assets.Zone]
}

func newZonesScreen(s *session) *zonesScreen {
	z := &zonesScreen{s: s}
	s.onFlush(z.commit)
	return z
}

var ratingNames = [6]string{"Safety", "Environment", "Operations", "Finance", "Reputation", "Likelihood"}

func (z *zonesScreen) build() fyne.CanvasObject {
	z.list = widget.NewList(func() int { return len(z.zones) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("Zone", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, nil, widget.NewLabel("L0–L5 · SL 4"), name)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container).Objects
			zn := z.zones[i]
			c[0].(*widget.Label).SetText(zn.Name)
			sl := "SL-T –"
			if !zn.SLT.IsZero() {
				sl = fmt.Sprintf("SL-T %d", zn.SLT.Summary())
			}
			c[1].(*widget.Label).SetText(strings.TrimPrefix(levelSpan(&zn)+" · "+sl, " · "))
		})
	z.list.OnSelected = func(i widget.ListItemID) {
		if !z.selecting && i < len(z.zones) {
			next := z.zones[i]
			z.ed.leave(func() { z.load(next) }, nil) // asks about input not saved
		}
	}
	add := widget.NewButtonWithIcon("Add (Ctrl+N)", theme.ContentAddIcon(), z.newRecord)
	add.Importance = widget.HighImportance
	z.addBtn = add
	z.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), z.deleteSelected)
	left := container.NewBorder(container.NewHBox(add, z.deleteBtn), nil, nil, nil, z.list)

	c := z.commit
	z.name, z.desc = newField(c), newLongField(c)
	// Checks in a grid rather than a horizontal group: narrower in the
	// large-text theme.
	levelGrid := container.NewGridWithColumns(4)
	for _, l := range purdueLabels() {
		ch := widget.NewCheck(l, func(bool) {
			if !z.loading {
				c()
			}
		})
		z.levels = append(z.levels, ch)
		levelGrid.Add(ch)
	}
	z.slt = newSLEditor(func() {
		if !z.loading {
			c()
		}
	})
	for i := range z.ratings {
		z.ratings[i] = ratingSelect(func() {
			if !z.loading {
				c()
			}
		})
	}
	z.tolerable, z.text = newField(c), newLongField(c)
	z.approvedBy, z.approvedAt = newField(c), newField(c)
	z.approvedAt.SetPlaceHolder("YYYY-MM-DD")
	today := widget.NewButton("Today", func() {
		z.approvedAt.SetText(time.Now().Format(time.DateOnly))
		c()
	})
	z.errs = newErrorBox()
	z.ed = &editor[assets.Zone]{s: z.s, kind: "zone", labels: zoneLabels, errs: z.errs, cur: &z.cur,
		edited: z.edited, save: z.s.ws.SaveZone, load: z.load, id: func() string { return z.cur.ID },
		idFields: []string{"name"}, title: func() string { return fmt.Sprintf("Zone %q", z.cur.Name) },
		focus: z.keepEditing, loading: &z.loading,
		texts: map[string]*field{"name": z.name, "description": z.desc, "rationale.tolerable_risk": z.tolerable,
			"rationale.text": z.text, "rationale.approved_by": z.approvedBy, "rationale.approved_at": z.approvedAt}}
	z.ed.init()
	noteLimit(z.slt.all, slShortcutMax, z.slt.problem)
	z.members = widget.NewLabel("")
	rateCells := make([]fyne.CanvasObject, 0, 12)
	for i, r := range z.ratings {
		rateCells = append(rateCells, container.NewBorder(nil, nil, widget.NewLabel(ratingNames[i]), nil, r))
	}
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Name"), z.name,
		widget.NewLabel("Description"), z.desc,
		widget.NewLabel("Purdue levels"), levelGrid,
		widget.NewLabel("SL-T"), z.slt.content,
		widget.NewLabel("Risk ratings (1–5)"), container.NewGridWithColumns(2, rateCells...),
		widget.NewLabel("Tolerable risk"), z.tolerable,
		widget.NewLabel("Rationale"), z.text,
		widget.NewLabel("Approved by"), z.approvedBy,
		widget.NewLabel("Approved on"), container.NewBorder(nil, nil, nil, today, z.approvedAt),
	)
	z.evidence = newEvidenceView(z.s, assets.Ref{})
	z.detail = container.NewStack(withEvidenceTab("Zone",
		container.NewVBox(z.errs.box, form, z.members), z.evidence))
	z.empty = container.NewCenter(widget.NewLabel("Select a zone, or add one with Ctrl+N."))
	right := container.NewStack(z.empty, z.detail)
	z.showDetail(false)
	split := container.NewHSplit(left, right)
	split.Offset = 0.3
	return split
}

func (z *zonesScreen) showDetail(on bool) {
	right := z.detail
	if on {
		z.empty.Hide()
		right.Show()
	} else {
		right.Hide()
		z.empty.Show()
	}
	z.deleteBtn.Disable()
	if on {
		z.deleteBtn.Enable()
	}
}

// levelSpan is "L1–L2", "L3.5" or "".
func levelSpan(z *assets.Zone) string {
	lo, hi := z.BottomLevel(), z.TopLevel()
	if lo == hi {
		return hi.Label()
	}
	return lo.Label() + "–" + hi.Label()
}

func (z *zonesScreen) refresh() {
	z.zones = z.s.ws.Zones()
	z.list.Refresh()
	if z.cur.ID == "" {
		z.showDetail(false)
		return
	}
	stored, ok := z.s.ws.Zone(z.cur.ID)
	if !ok {
		z.cur = assets.Zone{}
		z.list.UnselectAll()
		z.showDetail(false)
		return
	}
	switch {
	case !reflect.DeepEqual(stored, z.cur) && z.ed.pending():
		z.cur = stored // changed elsewhere; the input on screen stays, unsaved
	case !reflect.DeepEqual(stored, z.cur):
		z.load(stored) // changed elsewhere: an undo, a merge
	}
	z.selectInList(stored.ID)
	z.showMembers()
}

func (z *zonesScreen) selectInList(id string) {
	for i := range z.zones {
		if z.zones[i].ID == id {
			z.selecting = true
			z.list.Select(i)
			z.selecting = false
			return
		}
	}
}

func (z *zonesScreen) load(zn assets.Zone) {
	z.loading = true
	defer func() { z.loading = false }()
	z.cur = zn
	z.name.set(zn.Name)
	z.desc.set(zn.Description)
	for i, p := range assets.PurdueLevels {
		z.levels[i].SetChecked(slices.Contains(zn.PurdueLevels, p))
	}
	z.slt.set(zn.SLT)
	r := zn.Rationale
	for i, v := range []int{r.Safety, r.Environment, r.Operations, r.Finance, r.Reputation, r.Likelihood} {
		setRating(z.ratings[i], v)
	}
	z.tolerable.set(r.TolerableRisk)
	z.text.set(r.Text)
	z.approvedBy.set(r.ApprovedBy)
	z.approvedAt.set(r.ApprovedAt)
	z.errs.show(nil, nil)
	z.evidence.setOwner(assets.Ref{Kind: "zone", ID: zn.ID})
	z.showMembers()
	z.showDetail(true)
}

func (z *zonesScreen) showMembers() {
	n := len(z.s.ws.FilterAssets(app.AssetFilter{Zone: z.cur.ID}))
	z.members.SetText(fmt.Sprintf("%d assets in this zone (assign them on the Assets screen).", n))
}

// form reads the form into a copy of the stored zone.
func (z *zonesScreen) form() assets.Zone {
	zn := z.cur
	zn.Name = strings.TrimSpace(z.name.Text)
	zn.Description = z.desc.Text
	zn.PurdueLevels = nil
	for i, p := range assets.PurdueLevels {
		if z.levels[i].Checked {
			zn.PurdueLevels = append(zn.PurdueLevels, p)
		}
	}
	zn.SLT = z.slt.get()
	r := &zn.Rationale
	r.Safety, r.Environment, r.Operations = rating(z.ratings[0]), rating(z.ratings[1]), rating(z.ratings[2])
	r.Finance, r.Reputation, r.Likelihood = rating(z.ratings[3]), rating(z.ratings[4]), rating(z.ratings[5])
	r.TolerableRisk = strings.TrimSpace(z.tolerable.Text)
	r.Text = z.text.Text
	r.ApprovedBy = strings.TrimSpace(z.approvedBy.Text)
	r.ApprovedAt = strings.TrimSpace(z.approvedAt.Text)
	return zn
}

// edited is the zone as the form shows it.
func (z *zonesScreen) edited() assets.Zone {
	zn := z.form()
	if len(z.cur.PurdueLevels) == 0 && len(zn.PurdueLevels) == 0 {
		zn.PurdueLevels = z.cur.PurdueLevels
	}
	return zn
}

// commit saves the form when it differs from the stored zone.
func (z *zonesScreen) commit() {
	if z.ed != nil {
		z.ed.commit()
	}
}

// keepEditing shows the zone whose input was not saved again.
func (z *zonesScreen) keepEditing() {
	z.selectInList(z.cur.ID)
	z.s.win.Canvas().Focus(z.name)
}

// restoreDraft puts a zone form's unsaved input back.
func (z *zonesScreen) restoreDraft(key string, fields map[string]string) bool {
	id, ok := strings.CutPrefix(key, "zone:")
	if !ok {
		return false
	}
	zn, ok := z.s.ws.Zone(id)
	if !ok {
		return false
	}
	z.load(zn)
	z.ed.restore(fields)
	z.selectInList(id)
	return true
}

// slShortcutMax caps the SL shortcut field: seven levels and separators.
const slShortcutMax = 40

// newRecord adds a zone and puts the cursor in its name.
func (z *zonesScreen) newRecord() {
	if z.ed != nil && z.ed.pending() {
		z.ed.leave(z.newRecord, nil)
		return
	}
	z.commit()
	name := "New zone"
	for i := 2; ; i++ {
		if _, taken := z.s.ws.ZoneByName(name); !taken {
			break
		}
		name = fmt.Sprintf("New zone %d", i)
	}
	saved, err := z.s.ws.SaveZone(assets.Zone{Name: name})
	if err != nil {
		z.s.showError(err)
		return
	}
	z.cur = saved
	z.load(saved)
	z.s.changed()
	z.s.win.Canvas().Focus(z.name)
	z.name.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// deleteSelected deletes the zone at once and offers to undo it. Its assets
// become unassigned; the undo puts them back.
func (z *zonesScreen) deleteSelected() {
	if z.cur.ID == "" {
		return
	}
	id, name := z.cur.ID, z.cur.Name
	var members []string
	for _, a := range z.s.ws.FilterAssets(app.AssetFilter{Zone: id}) {
		members = append(members, a.ID)
	}
	if err := z.s.ws.DeleteZone(context.Background(), id); err != nil {
		if errors.Is(err, app.ErrInUse) {
			err = fmt.Errorf("%w.\nDelete those conduits, or join them to another zone, first", err)
		}
		z.s.showError(err)
		return
	}
	ws := z.s.ws
	z.s.drafts.clear(z.ed.draftKey()) // its input went with it
	z.s.offerUndo(fmt.Sprintf("Deleted zone %q (%d assets now unassigned)", name, len(members)), func() error {
		if err := ws.Restore(app.KindZone, id); err != nil {
			return err
		}
		for _, aid := range members {
			if a, ok := ws.Asset(aid); ok && a.Zone == "" {
				a.Zone = id
				if _, err := ws.SaveAsset(a); err != nil {
					return err
				}
			}
		}
		return nil
	})
	z.cur = assets.Zone{}
	z.list.UnselectAll()
	z.s.changed()
}

// reveal selects a zone.
func (z *zonesScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != "zone" {
		return false
	}
	zn, ok := z.s.ws.Zone(ref.ID)
	if !ok {
		return false
	}
	z.ed.leave(func() {
		z.load(zn)
		z.selectInList(zn.ID)
	}, nil)
	return true
}
