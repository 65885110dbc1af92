package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
)

func init() {
	registerScreen(50, "Checklists", theme.DefaultTheme().Icon(theme.IconNameList), func(s *session) screen { return newChecklistScreen(s) })
}

// checklistKeys is the on-screen help for the answer keys.
const checklistKeys = "Keys (the question has focus; click it if not): 1 or M Met · 2 or P Partially met · " +
	"3 or N Not met · 4 or A Not applicable (asks the reason) · 5 or C Met by compensating countermeasure (asks which, and why) — " +
	"each saves and moves on. → next · ← back · U next unanswered · R confirm the section's carried answers (after a revisit)."

// keyStatus maps answer keys to verdicts.
var keyStatus = map[rune]checklist.Status{
	'1': checklist.StatusMet, 'm': checklist.StatusMet, 'M': checklist.StatusMet,
	'2': checklist.StatusPartial, 'p': checklist.StatusPartial, 'P': checklist.StatusPartial,
	'3': checklist.StatusNotMet, 'n': checklist.StatusNotMet, 'N': checklist.StatusNotMet,
	'4': checklist.StatusNA, 'a': checklist.StatusNA, 'A': checklist.StatusNA,
	'5': checklist.StatusCompensated, 'c': checklist.StatusCompensated, 'C': checklist.StatusCompensated,
}

// checklistScope is what a checklist is answered for: nothing (program
// templates), a zone or a conduit (zone templates), or a component, the
// capability record assessed (component templates).
type checklistScope struct {
	label     string
	key       string // as checklist.AnswerID takes it: the zone ID, or ConduitScope / ComponentScope
	zone      string
	conduit   string
	component string
	ctype     string // component type of a component
	slt       assets.SLVector
}

// maturityNames are the 2-1:2024 maturity levels as the picker shows them.
var maturityNames = []string{"ML1 Initial", "ML2 Managed", "ML3 Defined", "ML4 Improving"}

const notRated = "Not rated"

// checklistScreen runs a checklist one item at a time: pick the template
// (and, for 62443-3-3, the zone), answer by button or key, see progress per
// section and, per zone, SL-A against SL-T with what is still missing.
type checklistScreen struct {
	s *session

	tmplSel  *typeSelect // type-ahead: "3-3" picks IEC 62443-3-3
	zoneSel  *typeSelect
	showAll  *widget.Check
	sections *widget.List
	card     *itemCard

	itemTitle  *widget.Label
	position   *widget.Label
	answerInfo *widget.Label
	question   *widget.Label
	guidance   *widget.Label
	slCells    *widget.Label
	uncertain  *widget.Label
	refs       *widget.Label
	maturity   *widget.Select
	matRow     *fyne.Container
	notes      *field        // saved when left (with the verdict, if any)
	evidence   *evidenceView // the shell's evidence panel, following the shown answer
	statusBtns []*widget.Button
	clearBtn   *widget.Button
	message    *widget.Label
	// A revisit's carried answers: confirmed one by one (the same verdict
	// again) or per section.
	carriedRow  *fyne.Container
	carriedInfo *widget.Label
	confirmSec  *widget.Button

	summary *widget.Label   // program: counts and maturity; zone: SL-A vs SL-T
	frGrid  *fyne.Container // zone templates: one row per FR
	gapList *widget.List    // zone templates: unmet items up to SL-T
	gapHead *widget.Label
	score   *fyne.Container // right-hand panel
	gaps    []checklist.GapItem

	templates []*checklist.Template
	scopes    []checklistScope // what the shown template can be answered for
	t         *checklist.Template
	scope     checklistScope
	zone      string // the scope's key (zone ID, conduit or component scope); "" for program templates
	items     []checklist.Applicability
	answers   map[string]checklist.Answer // by item ID, current template and zone
	cur       int
	rows      []sectionRow
	loading   bool // widgets are being set by code; their callbacks must not save
	noteDirty bool
	// compensating are the countermeasures picked for a Met by
	// compensation about to be saved.
	compensating []string
}

// sectionRow is one line of the progress list.
type sectionRow struct {
	id, title       string
	first           int // index in items of the section's first item
	answered, total int
}

func newChecklistScreen(s *session) *checklistScreen {
	return &checklistScreen{s: s, answers: map[string]checklist.Answer{}}
}

func (c *checklistScreen) build() fyne.CanvasObject {
	c.tmplSel = newTypeSelect(func(string) { c.onTemplate() })
	c.zoneSel = newTypeSelect(func(string) { c.onZone() })
	// Enter moves on: to the zone when the template is per zone, then to
	// the question, ready for the answer keys.
	c.tmplSel.onEnter = func() {
		if c.zoneSel.Disabled() {
			c.focusCard()
		} else {
			c.s.win.Canvas().Focus(c.zoneSel)
		}
	}
	c.zoneSel.onEnter = c.focusCard
	c.showAll = widget.NewCheck("All items, not only required up to SL-T", func(bool) { c.onFilter() })

	c.sections = widget.NewList(
		func() int { return len(c.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("ORG 1 Security-related organization 00/00")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := c.rows[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%d/%d  %s %s", r.answered, r.total, r.id, r.title))
		})
	c.sections.OnSelected = func(i widget.ListItemID) {
		c.sections.UnselectAll()
		if i >= 0 && i < len(c.rows) {
			c.jumpToSection(i)
		}
	}

	bold := fyne.TextStyle{Bold: true}
	c.itemTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, bold)
	c.itemTitle.Wrapping = fyne.TextWrapWord
	c.position = widget.NewLabel("")
	c.answerInfo = widget.NewLabel("")
	c.answerInfo.Wrapping = fyne.TextWrapWord
	c.question = widget.NewLabel("")
	c.question.Wrapping = fyne.TextWrapWord
	c.guidance = widget.NewLabel("")
	c.guidance.Wrapping = fyne.TextWrapWord
	c.slCells = widget.NewLabel("")
	c.slCells.Wrapping = fyne.TextWrapWord
	c.uncertain = widget.NewLabel("")
	c.uncertain.Wrapping = fyne.TextWrapWord
	c.uncertain.Importance = widget.WarningImportance
	c.refs = widget.NewLabel("")
	c.refs.Wrapping = fyne.TextWrapWord
	c.refs.Importance = widget.LowImportance
	c.card = newItemCard(c, container.NewVBox(c.itemTitle, c.position, c.question,
		widget.NewLabelWithStyle("What to look at", fyne.TextAlignLeading, bold), c.guidance,
		c.slCells, c.uncertain, c.refs, c.answerInfo))

	for _, st := range []checklist.Status{checklist.StatusMet, checklist.StatusPartial, checklist.StatusNotMet, checklist.StatusNA, checklist.StatusCompensated} {
		label := map[checklist.Status]string{checklist.StatusMet: "Met · 1/M", checklist.StatusPartial: "Partial · 2/P",
			checklist.StatusNotMet: "Not met · 3/N", checklist.StatusNA: "N/A · 4/A", checklist.StatusCompensated: "Compensated · 5/C"}[st]
		b := widget.NewButton(label, func() { c.answer(st) })
		c.statusBtns = append(c.statusBtns, b)
	}
	c.clearBtn = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), c.clear)
	c.maturity = widget.NewSelect(append([]string{notRated}, maturityNames...), func(string) { c.onMaturity() })
	c.matRow = container.NewHBox(widget.NewLabel("Maturity"), c.maturity)
	c.notes = newLongField(c.flushNote)
	c.notes.SetPlaceHolder("Notes: what you saw, who you asked, where the evidence is (saved when you leave the field)")
	c.message = widget.NewLabel("")
	noteLimit(c.notes, assets.MaxLongText, c.message)
	c.notes.OnChanged = func(text string) {
		if !c.loading {
			c.noteDirty = true
			// Kept against a crash until saved with the item.
			if key := c.noteDraftKey(); key != "" {
				c.s.drafts.keep(key, map[string]string{"note": text})
			}
		}
	}
	c.s.onFlush(c.flushNote)
	c.evidence = newEvidenceView(c.s, assets.Ref{})
	c.message.Wrapping = fyne.TextWrapWord

	c.carriedInfo = wrapped("")
	c.carriedInfo.Importance = widget.WarningImportance
	c.confirmSec = widget.NewButton("", c.onConfirmSection)
	c.carriedRow = container.NewVBox(c.carriedInfo, container.NewHBox(c.confirmSec))
	c.carriedRow.Hide()

	// Three a row: five verdicts side by side would widen the screen in
	// the large-text theme.
	btnRow := container.NewGridWithColumns(3, objects(c.statusBtns)...)
	nav := container.NewHBox(
		widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), func() { c.move(c.cur - 1) }),
		widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), func() { c.move(c.cur + 1) }),
		widget.NewButtonWithIcon("Next unanswered", theme.MediaSkipNextIcon(), c.nextUnanswered),
		c.clearBtn,
	)
	keys := widget.NewLabel(checklistKeys)
	keys.Wrapping = fyne.TextWrapWord
	keys.Importance = widget.LowImportance
	middle := container.NewVBox(c.card, c.carriedRow, btnRow, c.matRow, widget.NewLabel("Notes"), c.notes,
		c.evidence.content, nav, keys, c.message)

	c.summary = widget.NewLabel("")
	c.summary.Wrapping = fyne.TextWrapWord
	c.frGrid = container.NewGridWithColumns(4)
	c.gapList = widget.NewList(
		func() int { return len(c.gaps) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("SR 1.1 RE 1 Not met — SL2")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(gapText(c.gaps[i])) })
	c.gapList.OnSelected = func(i widget.ListItemID) {
		c.gapList.UnselectAll()
		if i >= 0 && i < len(c.gaps) {
			c.jumpToItem(c.gaps[i].Item.ID)
		}
	}
	c.gapHead = widget.NewLabelWithStyle("Unmet up to SL-T (cheapest first; ? = only through disputed cells)", fyne.TextAlignLeading, bold)
	c.gapHead.Wrapping = fyne.TextWrapWord
	// The summary scrolls above the gap list: its wrapped labels, not yet
	// laid out, ask for a word per line, which grew the window past the
	// screen in the large-text theme (TestScreensFitTheWindow).
	scoreSplit := container.NewVSplit(container.NewVScroll(container.NewVBox(c.summary, c.frGrid, c.gapHead)), c.gapList)
	scoreSplit.Offset = 0.5
	c.score = container.NewStack(scoreSplit)

	top := container.NewBorder(nil, nil, nil, c.showAll, container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel("Checklist"), nil, c.tmplSel),
		container.NewBorder(nil, nil, widget.NewLabel("For"), nil, c.zoneSel)))
	left := container.NewBorder(widget.NewLabelWithStyle("Progress by section", fyne.TextAlignLeading, bold), nil, nil, nil, c.sections)
	split := container.NewHSplit(left, container.NewHSplit(container.NewVScroll(middle), c.score))
	split.Offset = 0.25
	split.Trailing.(*container.Split).Offset = 0.62
	return container.NewBorder(top, nil, nil, nil, split)
}

func objects[T fyne.CanvasObject](list []T) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(list))
	for i, o := range list {
		out[i] = o
	}
	return out
}

// refresh rereads templates, zones and answers, keeping the current item.
func (c *checklistScreen) refresh() {
	if c.s.ws == nil {
		return
	}
	ts, err := c.s.ws.Templates()
	if err != nil {
		// Templates that loaded are still listed; say which did not.
		c.message.SetText("Some checklist templates could not be loaded: " + err.Error())
	}
	c.templates = ts
	c.loading = true
	var names []string
	selected := ""
	for _, t := range ts {
		names = append(names, templateName(t))
		if c.t != nil && t.ID == c.t.ID {
			selected = templateName(t)
		}
	}
	c.tmplSel.Options = names
	if selected == "" && len(names) > 0 {
		selected = names[0]
	}
	c.tmplSel.SetSelected(selected)
	c.setScopes(c.zone)
	c.loading = false
	c.load()
	if cv := c.s.win.Canvas(); cv != nil && cv.Focused() == nil {
		cv.Focus(c.card) // ready for the answer keys, unless the user is typing elsewhere
	}
}

func templateName(t *checklist.Template) string { return t.Standard + " — " + t.Title }

func (c *checklistScreen) onTemplate() {
	if !c.loading {
		c.flushNote()
		c.loading = true
		c.setScopes(c.zone)
		c.loading = false
		c.load()
	}
}

// setScopes offers what the picked template is answered for and selects
// keep if it is one of them, else the first.
func (c *checklistScreen) setScopes(keep string) {
	c.scopes = nil
	var t *checklist.Template
	if i := c.tmplSel.SelectedIndex(); i >= 0 && i < len(c.templates) {
		t = c.templates[i]
	}
	switch {
	case t == nil || t.Kind == checklist.KindProgram:
	case t.Kind == checklist.KindComponent:
		caps, err := c.s.ws.Capabilities()
		if err != nil {
			c.s.showError(err)
		}
		for _, cp := range caps {
			if cp.ComponentType == "" {
				continue // no type, no items to answer
			}
			c.scopes = append(c.scopes, checklistScope{label: checklist.ComponentTypeName(cp.ComponentType) + ": " + c.s.ws.CapabilitySubject(&cp),
				key: checklist.ComponentScope(cp.ID), component: cp.ID, ctype: cp.ComponentType})
		}
	default:
		for _, z := range c.s.ws.Zones() {
			c.scopes = append(c.scopes, checklistScope{label: z.Name, key: z.ID, zone: z.ID, slt: z.SLT})
		}
		for _, cd := range c.s.ws.Conduits() {
			c.scopes = append(c.scopes, checklistScope{label: "Conduit: " + cd.Name, key: checklist.ConduitScope(cd.ID),
				conduit: cd.ID, slt: cd.SLT})
		}
	}
	names := make([]string, len(c.scopes))
	sel := ""
	for i, sc := range c.scopes {
		names[i] = sc.label
		if sc.key == keep {
			sel = sc.label
		}
	}
	c.zoneSel.Options = names
	if sel == "" && len(names) > 0 {
		sel = names[0]
	}
	if sel == "" {
		c.zoneSel.ClearSelected()
	} else {
		c.zoneSel.SetSelected(sel)
	}
}

// selectScope picks the scope with key (template already picked).
func (c *checklistScreen) selectScope(key string) {
	for i, sc := range c.scopes {
		if sc.key == key {
			c.zoneSel.SetSelectedIndex(i)
		}
	}
}

func (c *checklistScreen) onZone() {
	if !c.loading {
		c.flushNote()
		c.load()
	}
}

func (c *checklistScreen) onFilter() {
	if !c.loading {
		c.load()
	}
}

// load reads the picked template, zone and answers and shows the item the
// screen was on (by ID), or the first unanswered one.
func (c *checklistScreen) load() {
	var keep string
	if c.cur >= 0 && c.cur < len(c.items) {
		keep = c.items[c.cur].Item.ID
	}
	prevT, prevZone := c.t, c.zone
	c.t = nil
	if i := c.tmplSel.SelectedIndex(); i >= 0 && i < len(c.templates) {
		c.t = c.templates[i]
	}
	c.zone, c.scope = "", checklistScope{}
	if c.t != nil && c.t.Kind != checklist.KindProgram {
		if i := c.zoneSel.SelectedIndex(); i >= 0 && i < len(c.scopes) {
			c.scope = c.scopes[i]
			c.zone = c.scope.key
		}
		c.zoneSel.Enable()
	} else {
		c.zoneSel.Disable()
	}
	if c.t != nil && c.t.Kind == checklist.KindZone && c.scope.conduit == "" {
		c.showAll.Enable()
	} else {
		c.showAll.Disable()
	}
	if c.t != prevT || c.zone != prevZone {
		keep = ""
	}
	c.items = c.applicable()
	if err := c.loadAnswers(); err != nil {
		c.s.showError(err)
	}
	c.cur = -1
	for i, a := range c.items {
		if a.Item.ID == keep {
			c.cur = i
		}
	}
	if c.cur < 0 {
		c.cur = c.firstUnanswered(0)
	}
	c.updateProgress()
	c.updateScore()
	c.showItem()
}

// applicable lists the items to answer for the picked template and scope.
func (c *checklistScreen) applicable() []checklist.Applicability {
	switch {
	case c.t == nil:
		return nil
	case c.t.Kind == checklist.KindProgram:
		return checklist.Applicable(c.t, assets.SLVector{}, true)
	case c.zone == "":
		return nil
	case c.scope.component != "":
		var out []checklist.Applicability
		for _, it := range c.t.ItemsFor(c.scope.ctype) {
			out = append(out, checklist.Applicability{Item: it, Level: it.FirstLevel(), Required: true})
		}
		return out
	case c.scope.conduit != "":
		set, err := c.s.ws.ConduitItems(c.t.ID)
		if err != nil {
			c.s.showError(err)
			return nil
		}
		in := map[string]bool{}
		for _, it := range set {
			in[it.ID] = true
		}
		var out []checklist.Applicability
		for _, a := range checklist.Applicable(c.t, c.scope.slt, true) {
			if in[a.Item.ID] {
				out = append(out, a)
			}
		}
		return out
	}
	return checklist.Applicable(c.t, c.scope.slt, c.showAll.Checked)
}

func (c *checklistScreen) loadAnswers() error {
	c.answers = map[string]checklist.Answer{}
	if c.t == nil {
		return nil
	}
	list, err := c.s.ws.Answers(c.t.ID)
	if err != nil {
		return err
	}
	for _, a := range list {
		if a.Scope() == c.zone {
			c.answers[a.Item] = a
		}
	}
	return nil
}

func (c *checklistScreen) answered(itemID string) bool {
	a, ok := c.answers[itemID]
	return ok && a.Status != checklist.StatusNotAssessed
}

// firstUnanswered is the index of the first unanswered item at or after
// from, wrapping round; 0 when every item is answered.
func (c *checklistScreen) firstUnanswered(from int) int {
	n := len(c.items)
	for k := range n {
		i := (from + k) % n
		if !c.answered(c.items[i].Item.ID) {
			return i
		}
	}
	return 0
}

func (c *checklistScreen) updateProgress() {
	c.rows = c.rows[:0]
	idx := map[string]int{}
	for i, a := range c.items {
		r, ok := idx[a.Item.Section]
		if !ok {
			title := ""
			if sec := c.t.Section(a.Item.Section); sec != nil {
				title = sec.Title
			}
			c.rows = append(c.rows, sectionRow{id: a.Item.Section, title: title, first: i})
			r = len(c.rows) - 1
			idx[a.Item.Section] = r
		}
		c.rows[r].total++
		if c.answered(a.Item.ID) {
			c.rows[r].answered++
		}
	}
	c.sections.Refresh()
}

// updateScore fills the right-hand panel: counts and maturity for program
// templates, SL-A against SL-T per FR and the unmet items for zones.
func (c *checklistScreen) updateScore() {
	c.gaps = nil
	c.frGrid.Objects = nil
	zone := c.t != nil && c.t.Kind == checklist.KindZone && c.zone != ""
	for _, o := range []fyne.CanvasObject{c.gapHead, c.gapList, c.frGrid} {
		if zone {
			o.Show()
		} else {
			o.Hide()
		}
	}
	switch {
	case c.t == nil:
		c.summary.SetText("")
	case c.t.Kind == checklist.KindProgram:
		ps, err := c.s.ws.ScoreProgram(c.t.ID)
		if err != nil {
			c.summary.SetText("Score: " + err.Error())
			break
		}
		c.summary.SetText(programSummary(ps, c.t.Maturity))
	case c.zone == "" && c.t.Kind == checklist.KindComponent:
		c.summary.SetText("This checklist is answered per component: record one on the Risk screen or with " +
			"`zonewalk capability set` (for one asset or a vendor and model, with its component type), then pick it above.")
	case c.zone == "":
		c.summary.SetText("This checklist is answered per zone; the audit has no zones yet.")
	case c.scope.component != "":
		slc, err := c.s.ws.ComponentSLC()
		if err != nil {
			c.summary.SetText("Score: " + err.Error())
			break
		}
		if v, ok := slc[c.scope.component]; ok {
			c.summary.SetText("SL-C from this checklist: " + v.String() + " (per FR, the highest level whose items are all met).")
		} else {
			c.summary.SetText("No SL-C from this checklist yet: answer its items.")
		}
	case c.scope.conduit != "":
		cs, err := c.s.ws.ScoreConduit(c.t.ID, c.scope.conduit)
		if err != nil {
			c.summary.SetText("Score: " + err.Error())
			break
		}
		c.summary.SetText(conduitSummary(cs))
		c.gaps = cs.Gaps
	default:
		zs, err := c.s.ws.ScoreZone(c.t.ID, c.zone)
		if err != nil {
			c.summary.SetText("Score: " + err.Error())
			break
		}
		c.summary.SetText(zoneSummary(zs))
		c.frGrid.Objects = frRows(zs)
		c.gaps = zs.Gaps
	}
	c.frGrid.Refresh()
	c.gapList.Refresh()
}

func conduitSummary(cs *checklist.ConduitScore) string {
	o := cs.Counts
	var frs []string
	for i, fr := range assets.FRs {
		if cs.Assessed(fr) {
			frs = append(frs, fmt.Sprintf("FR%d %d/%d", fr.Number(), cs.SLA[i], cs.SLT[i]))
		}
	}
	s := fmt.Sprintf("Conduit: %d of %d items answered. SL-A/SL-T where the conduit's items cover the FR: %s.",
		o.Assessed(), o.Total(), strings.Join(frs, " · "))
	if len(cs.Compensated) > 0 {
		s += fmt.Sprintf("\n%s met by compensating countermeasures.", english.Count(len(cs.Compensated), "item", "items"))
	}
	return s
}

func programSummary(ps *checklist.ProgramScore, maturity bool) string {
	o := ps.Overall.Counts
	s := fmt.Sprintf("%d of %d items answered.\nMet %d · Partially met %d · Not met %d · N/A %d · Not assessed %d",
		o.Assessed(), o.Total(), o.Met, o.Partial, o.NotMet, o.NA, o.NotAssessed)
	if m := ps.Overall.Maturity; maturity && m.Rated > 0 {
		s += fmt.Sprintf("\nMaturity: average ML %.1f over %d rated items, lowest ML%d.", m.Average, m.Rated, m.Min)
	}
	var weakest []string
	for _, sec := range ps.Sections {
		if sec.Counts.NotMet > 0 {
			weakest = append(weakest, fmt.Sprintf("%s (%d not met)", sec.ID, sec.Counts.NotMet))
		}
	}
	if len(weakest) > 0 {
		s += "\nSections with Not met items: " + strings.Join(weakest, ", ")
	}
	return s
}

func zoneSummary(zs *checklist.ZoneScore) string {
	var s string
	below := 0
	for _, f := range zs.FRs {
		if f.Gap > 0 {
			below++
		}
	}
	switch {
	case zs.SLT.IsZero():
		s = "The zone has no SL-T; set it on the Zones screen to see what is required."
	case below == 0:
		s = "SL-A meets SL-T in every FR."
	default:
		s = fmt.Sprintf("SL-A is below SL-T in %d of 7 FRs; %d items are unmet up to SL-T.", below, len(zs.Gaps))
	}
	if zs.DependsOnUncertain {
		s += "\nSome levels depend on SL cells that public sources dispute (marked ?); they are counted as required."
	}
	return s
}

// frRows is the FR table: FR, SL-T, SL-A, unanswered.
func frRows(zs *checklist.ZoneScore) []fyne.CanvasObject {
	bold := fyne.TextStyle{Bold: true}
	out := []fyne.CanvasObject{
		widget.NewLabelWithStyle("FR", fyne.TextAlignLeading, bold),
		widget.NewLabelWithStyle("SL-T", fyne.TextAlignLeading, bold),
		widget.NewLabelWithStyle("SL-A", fyne.TextAlignLeading, bold),
		widget.NewLabelWithStyle("Unanswered", fyne.TextAlignLeading, bold),
	}
	for _, f := range zs.FRs {
		sla := widget.NewLabel(slaText(f))
		if f.Gap > 0 {
			sla.Importance = widget.DangerImportance
		} else if f.SLT > 0 {
			sla.Importance = widget.SuccessImportance
		}
		out = append(out,
			widget.NewLabel(fmt.Sprintf("FR %d %s", f.FR.Number(), f.FR)),
			widget.NewLabel(levelText(f.SLT)),
			sla,
			widget.NewLabel(fmt.Sprint(f.Unanswered)))
	}
	return out
}

func levelText(l int) string {
	if l == 0 {
		return "–"
	}
	return fmt.Sprint(l)
}

// slaText shows a level that depends on disputed cells as "1 (? 2)": 1 with
// them counted as required, 2 without.
func slaText(f checklist.FRScore) string {
	if f.DependsOnUncertain {
		return fmt.Sprintf("%d (? %d)", f.SLA, f.SLALenient)
	}
	return fmt.Sprint(f.SLA)
}

func gapText(g checklist.GapItem) string {
	s := fmt.Sprintf("SL%d  %s  %s — %s", g.Level, g.Item.ID, g.Status.Label(), g.Item.Title)
	if g.Uncertain {
		s = "? " + s
	}
	return s
}

// showItem puts the current item on the card.
func (c *checklistScreen) showItem() {
	c.loading = true
	defer func() { c.loading = false }()
	c.noteDirty = false
	enable := c.cur >= 0 && c.cur < len(c.items)
	for _, b := range c.statusBtns {
		setEnabled(b, enable)
	}
	setEnabled(c.clearBtn, enable)
	if c.t != nil && c.t.Maturity {
		c.matRow.Show()
	} else {
		c.matRow.Hide()
	}
	if !enable {
		c.carriedRow.Hide()
		c.itemTitle.SetText("No item to answer")
		for _, l := range []*widget.Label{c.position, c.question, c.guidance, c.slCells, c.uncertain, c.refs, c.answerInfo} {
			l.SetText("")
		}
		c.notes.setText("")
		c.evidence.setOwner(assets.Ref{})
		return
	}
	ap := c.items[c.cur]
	it := ap.Item
	c.itemTitle.SetText(it.ID + " — " + it.Title)
	answered := 0
	for _, a := range c.items {
		if c.answered(a.Item.ID) {
			answered++
		}
	}
	c.position.SetText(fmt.Sprintf("Item %d of %d · section %s · %d answered", c.cur+1, len(c.items), it.Section, answered))
	c.question.SetText(it.Question)
	c.guidance.SetText(it.Guidance)
	setOrHide(c.slCells, slCellsText(c.t, ap))
	setOrHide(c.uncertain, uncertainText(it))
	setOrHide(c.refs, refsText(it))
	a, ok := c.answers[it.ID]
	c.showCarried(it, ok && a.Carried)
	if ok {
		c.answerInfo.SetText(answerText(a))
		c.notes.setText(a.Note)
	} else {
		c.answerInfo.SetText("Not answered yet.")
		c.notes.setText("")
	}
	if ok && a.Maturity >= 1 && a.Maturity <= len(maturityNames) {
		c.maturity.SetSelected(maturityNames[a.Maturity-1])
	} else {
		c.maturity.SetSelected(notRated)
	}
	c.evidence.setOwner(c.answerRef()) // rereads: an import may have brought files
}

// carriedIn counts the carried answers of a section on screen.
func (c *checklistScreen) carriedIn(section string) int {
	n := 0
	for _, ap := range c.items {
		if a, ok := c.answers[ap.Item.ID]; ok && a.Carried && ap.Item.Section == section {
			n++
		}
	}
	return n
}

// showCarried explains a carried answer and offers to confirm its section.
func (c *checklistScreen) showCarried(it *checklist.Item, carried bool) {
	if !carried {
		c.carriedRow.Hide()
		return
	}
	c.carriedInfo.SetText("Carried over from the previous audit: not counted until confirmed. " +
		"Give the same verdict again to confirm this item, or confirm the whole section if nothing in it changed.")
	c.confirmSec.SetText(fmt.Sprintf("Confirm %s of section %s · R", english.Count(c.carriedIn(it.Section), "carried answer", "carried answers"), it.Section))
	c.carriedRow.Show()
}

// onConfirmSection confirms the carried answers of the shown item's
// section, in this zone, after asking.
func (c *checklistScreen) onConfirmSection() {
	if c.t == nil || c.cur < 0 || c.cur >= len(c.items) {
		return
	}
	sec := c.items[c.cur].Item.Section
	n := c.carriedIn(sec)
	if n == 0 {
		return
	}
	where := ""
	if c.scope.label != "" {
		where = " for " + c.scope.label
	}
	dialog.ShowConfirm("Confirm section "+sec,
		fmt.Sprintf("Mark %s of section %s%s as confirmed for this audit? They count again toward the results. "+
			"Confirm only if they still hold.", english.Count(n, "carried answer", "carried answers"), sec, where),
		func(ok bool) {
			if ok {
				c.confirmSection(sec, nil)
			}
		}, c.s.win)
}

// confirmSection confirms a section's carried answers in the background;
// then (if set) runs on the UI goroutine with the outcome.
func (c *checklistScreen) confirmSection(sec string, then func(error)) {
	ws, tmpl, zone := c.s.ws, c.t.ID, c.zone
	n := 0
	c.s.background("Confirming section "+sec, func(ctx context.Context, _ progress) error {
		var err error
		n, err = ws.ConfirmCarried(ctx, tmpl, zone, sec)
		return err
	}, func(err error) {
		if err != nil {
			c.s.showError(err)
		} else {
			c.message.SetText(fmt.Sprintf("Confirmed %s of section %s.", english.Count(n, "carried answer", "carried answers"), sec))
		}
		if err := c.loadAnswers(); err != nil {
			c.s.showError(err)
		}
		c.afterWrite()
		if then != nil {
			then(err)
		}
	})
}

// setOrHide shows text, or hides the label when there is none, so empty
// lines leave no gaps.
func setOrHide(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// slCellsText shows, for 62443-3-3 items, at which SLs the item is required,
// with disputed cells marked "?".
func slCellsText(t *checklist.Template, ap checklist.Applicability) string {
	it := ap.Item
	if t.Kind != checklist.KindZone || !it.HasFR {
		return ""
	}
	cells := make([]string, 0, 4)
	for sl := 1; sl <= 4; sl++ {
		switch {
		case it.UncertainAt(sl):
			cells = append(cells, fmt.Sprintf("SL%d ?", sl))
		case it.RequiredAt(sl):
			cells = append(cells, fmt.Sprintf("SL%d ●", sl))
		default:
			cells = append(cells, fmt.Sprintf("SL%d ○", sl))
		}
	}
	s := fmt.Sprintf("FR %d %s · required at: %s  (● required, ○ not required, ? disputed, counted as required)",
		it.FR.Number(), it.FR, strings.Join(cells, "  "))
	switch {
	case !ap.Required:
		s += "\nNot required up to this zone's SL-T."
	case ap.Uncertain:
		s += "\nRequired for this zone only through disputed cells."
	}
	return s
}

func uncertainText(it *checklist.Item) string {
	if !it.Uncertain {
		return ""
	}
	s := "Uncertain: public sources disagree on this item"
	if it.UncertainNote != "" {
		s += ": " + it.UncertainNote
	}
	return s + ". Check it against your licensed copy of the standard."
}

func refsText(it *checklist.Item) string {
	var parts []string
	for _, r := range it.Refs {
		p := r.Source + " " + r.ID
		if !r.Official {
			p += " (our mapping)"
		}
		parts = append(parts, p)
	}
	if len(it.Related) > 0 {
		parts = append(parts, "related: "+strings.Join(it.Related, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "References: " + strings.Join(parts, " · ")
}

func answerText(a checklist.Answer) string {
	s := "Answer: " + a.Status.Label()
	if n := len(a.Countermeasures); n > 0 {
		s += fmt.Sprintf(" (%s)", english.Count(n, "countermeasure", "countermeasures"))
	}
	if a.Maturity > 0 && a.Maturity <= len(maturityNames) {
		s += " · " + maturityNames[a.Maturity-1]
	}
	if a.AnsweredBy != "" {
		s += " · by " + a.AnsweredBy
	}
	if a.AnsweredAt != "" {
		s += " · " + a.AnsweredAt
	}
	return s
}

// maturityValue is the selected ML, 0 when none.
func (c *checklistScreen) maturityValue() int {
	for i, n := range maturityNames {
		if c.maturity.Selected == n {
			return i + 1
		}
	}
	return 0
}

func (c *checklistScreen) answerRef() assets.Ref {
	it := c.items[c.cur].Item
	return assets.Ref{Kind: "answer", ID: checklist.AnswerID(c.t.ID, it.ID, c.zone)}
}

// save stores the current item with status st and the maturity, note and
// evidence on screen.
func (c *checklistScreen) save(st checklist.Status) error {
	if c.cur < 0 || c.cur >= len(c.items) {
		return errors.New("no checklist item is shown")
	}
	it := c.items[c.cur].Item
	ml := 0
	if c.t.Maturity && st != checklist.StatusNA && st != checklist.StatusNotAssessed {
		ml = c.maturityValue()
	}
	ev, err := c.s.ws.Evidence(c.answerRef())
	if err != nil {
		return err
	}
	ids := make([]string, len(ev))
	for i, e := range ev {
		ids[i] = e.ID
	}
	var cms []string
	if st == checklist.StatusCompensated {
		cms = c.compensating
	}
	a, err := c.s.ws.AnswerItem(app.AnswerInput{Template: c.t.ID, Item: it.ID, Zone: c.scope.zone,
		Conduit: c.scope.conduit, Component: c.scope.component,
		Status: st, Maturity: ml, Note: c.notes.Text, Evidence: ids, Countermeasures: cms})
	if err != nil {
		return err
	}
	c.answers[it.ID] = a
	c.noteDirty = false
	c.s.drafts.clear(c.noteDraftKey())
	return nil
}

// noteDraftKey names the draft of the shown item's note: template, zone
// and item ("" when no item is shown).
func (c *checklistScreen) noteDraftKey() string {
	if c.t == nil || c.cur < 0 || c.cur >= len(c.items) {
		return ""
	}
	return "note:" + c.t.ID + "/" + c.zone + "/" + c.items[c.cur].Item.ID
}

// restoreDraft shows the item of a note that was typed but not saved and
// saves the note with it at once (the item keeps its verdict).
func (c *checklistScreen) restoreDraft(key string, fields map[string]string) bool {
	rest, ok := strings.CutPrefix(key, "note:")
	if !ok {
		return false
	}
	parts := strings.SplitN(rest, "/", 3)
	if len(parts) != 3 {
		return false
	}
	tmpl, zone, item := parts[0], parts[1], parts[2]
	c.flushNote()
	c.loading = true
	for i, t := range c.templates {
		if t.ID == tmpl {
			c.tmplSel.SetSelectedIndex(i)
		}
	}
	c.setScopes(zone)
	c.loading = false
	c.load()
	c.jumpToItem(item)
	if c.noteDraftKey() != key {
		return false // the template, zone or item is gone
	}
	c.loading = true
	c.notes.setText(fields["note"])
	c.loading = false
	c.noteDirty = true
	c.flushNote()
	c.message.SetText("Restored the note of " + item + ", typed but not saved when Zonewalk was closed; it is saved now.")
	return true
}

// answer records a verdict for the current item and moves to the next.
// N/A asks for its reason when the note is empty; Met by compensation
// asks which countermeasures, and why.
func (c *checklistScreen) answer(st checklist.Status) {
	if c.cur < 0 || c.cur >= len(c.items) {
		return
	}
	switch {
	case st == checklist.StatusCompensated:
		c.askCompensation()
		return
	case st == checklist.StatusNA && strings.TrimSpace(c.notes.Text) == "":
		c.askReason()
		return
	}
	c.record(st)
}

// askReason asks why the item does not apply, then saves it as N/A.
func (c *checklistScreen) askReason() {
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("Why the requirement does not apply here (required, kept as the note)")
	reason.SetMinRowsVisible(3)
	d := dialog.NewCustomConfirm("Not applicable: why?", "Save as N/A", "Cancel", reason, func(ok bool) {
		if !ok {
			return
		}
		if strings.TrimSpace(reason.Text) == "" {
			c.message.SetText("Not saved: N/A needs a reason.")
			return
		}
		c.notes.setText(reason.Text)
		c.record(checklist.StatusNA)
	}, c.s.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	c.s.win.Canvas().Focus(reason)
}

// askCompensation asks which implemented countermeasures meet the item
// instead, and why they are enough, then saves it as met by compensation.
func (c *checklistScreen) askCompensation() {
	all, err := c.s.ws.Countermeasures()
	if err != nil {
		c.s.showError(err)
		return
	}
	var cms []assets.Countermeasure
	for _, cm := range all {
		if cm.Status != assets.CountermeasurePlanned {
			cms = append(cms, cm)
		}
	}
	if len(cms) == 0 {
		c.s.showError(errors.New("no implemented countermeasure is recorded: add one on the Risk screen (Countermeasures tab), then answer again"))
		return
	}
	prev := c.answers[c.items[c.cur].Item.ID]
	checks := container.NewVBox()
	for _, cm := range cms {
		ch := widget.NewCheck(cm.Name, nil)
		ch.SetChecked(slices.Contains(prev.Countermeasures, cm.ID))
		checks.Add(ch)
	}
	reason := widget.NewMultiLineEntry()
	reason.SetPlaceHolder("Why these countermeasures meet the requirement's intent (required, kept as the note)")
	reason.SetMinRowsVisible(3)
	reason.SetText(c.notes.Text)
	body := container.NewVBox(widget.NewLabel("Countermeasures that compensate"), container.NewVScroll(checks),
		widget.NewLabel("Reason"), reason)
	d := dialog.NewCustomConfirm("Met by compensating countermeasure", "Save", "Cancel", body, func(ok bool) {
		if !ok {
			return
		}
		var picked []string
		for i, o := range checks.Objects {
			if o.(*widget.Check).Checked {
				picked = append(picked, cms[i].ID)
			}
		}
		if len(picked) == 0 || strings.TrimSpace(reason.Text) == "" {
			c.message.SetText("Not saved: met by compensation needs at least one countermeasure and a reason.")
			return
		}
		c.compensating = picked
		c.notes.setText(reason.Text)
		c.record(checklist.StatusCompensated)
		c.compensating = nil
	}, c.s.win)
	d.Resize(fyne.NewSize(600, 420))
	d.Show()
}

// record saves st and moves on.
func (c *checklistScreen) record(st checklist.Status) {
	if err := c.save(st); err != nil {
		c.s.showError(err)
		return
	}
	id := c.items[c.cur].Item.ID
	c.message.SetText(fmt.Sprintf("Saved %s: %s.", id, st.Label()))
	if c.cur+1 < len(c.items) {
		c.cur++
	} else {
		c.message.SetText(fmt.Sprintf("Saved %s: %s. That was the last item; %d remain unanswered.", id, st.Label(), c.unansweredCount()))
	}
	c.afterWrite()
}

// afterWrite redraws progress and score and tells the other screens.
func (c *checklistScreen) afterWrite() {
	c.redraw()
	c.focusCard()
	c.s.changed()
}

// redraw shows progress, score and the item again after a write.
func (c *checklistScreen) redraw() {
	c.updateProgress()
	c.updateScore()
	c.showItem()
}

func (c *checklistScreen) unansweredCount() int {
	n := 0
	for _, a := range c.items {
		if !c.answered(a.Item.ID) {
			n++
		}
	}
	return n
}

// onMaturity saves a changed maturity at once on an answered item; on an
// unanswered one it is kept for the verdict to come.
func (c *checklistScreen) onMaturity() {
	if c.loading || c.cur < 0 || c.cur >= len(c.items) {
		return
	}
	a, ok := c.answers[c.items[c.cur].Item.ID]
	if !ok || a.Status == checklist.StatusNotAssessed {
		return
	}
	if a.Status == checklist.StatusNA {
		c.message.SetText("Items that are not applicable are not rated for maturity.")
		return
	}
	if err := c.save(a.Status); err != nil {
		c.s.showError(err)
		return
	}
	c.afterWrite()
}

// saveNote stores the note with the item's current verdict (an unanswered
// item keeps "not assessed").
func (c *checklistScreen) saveNote() {
	if c.cur < 0 || c.cur >= len(c.items) {
		return
	}
	st := checklist.StatusNotAssessed
	if a, ok := c.answers[c.items[c.cur].Item.ID]; ok {
		st = a.Status
	}
	if err := c.save(st); err != nil {
		c.noteDirty = true // still unsaved
		c.s.showError(err)
		return
	}
	c.message.SetText("Note saved.")
	// No focus change: this runs as the notes field loses focus to
	// whatever the user went to.
	c.redraw()
	c.s.changed()
}

// flushNote saves a note typed but not yet saved before the item changes.
func (c *checklistScreen) flushNote() {
	if c.noteDirty && c.cur >= 0 && c.cur < len(c.items) && c.t != nil {
		c.noteDirty = false // saveNote redraws, which may lose focus again
		c.saveNote()
	}
}

func (c *checklistScreen) clear() {
	if c.cur < 0 || c.cur >= len(c.items) {
		return
	}
	it := c.items[c.cur].Item
	if _, ok := c.answers[it.ID]; !ok {
		return
	}
	tID, zone := c.t.ID, c.zone
	if err := c.s.ws.ClearAnswer(tID, it.ID, zone); err != nil {
		c.s.showError(err)
		return
	}
	delete(c.answers, it.ID)
	c.message.SetText("Cleared the answer to " + it.ID + ".")
	c.s.offerUndo("Cleared the answer to "+it.ID, func() error {
		if err := c.s.ws.RestoreAnswer(tID, it.ID, zone); err != nil {
			return err
		}
		c.s.changed()
		return nil
	})
	c.afterWrite()
}

// move shows item i (clamped), saving a pending note first.
func (c *checklistScreen) move(i int) {
	if len(c.items) == 0 {
		return
	}
	c.flushNote()
	c.cur = max(0, min(i, len(c.items)-1))
	c.showItem()
	c.focusCard()
}

func (c *checklistScreen) nextUnanswered() {
	if c.unansweredCount() == 0 {
		c.message.SetText("Every item is answered.")
		return
	}
	c.move(c.firstUnanswered(c.cur + 1))
}

func (c *checklistScreen) jumpToSection(row int) {
	r := c.rows[row]
	for i := r.first; i < r.first+r.total && i < len(c.items); i++ {
		if !c.answered(c.items[i].Item.ID) {
			c.move(i)
			return
		}
	}
	c.move(r.first)
}

func (c *checklistScreen) jumpToItem(id string) {
	for i, a := range c.items {
		if a.Item.ID == id {
			c.move(i)
			return
		}
	}
}

// reveal opens an answer's item when asked to reveal it.
func (c *checklistScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != "answer" || c.s.ws == nil {
		return false
	}
	list, err := c.s.ws.Answers("")
	if err != nil {
		return false
	}
	for _, a := range list {
		if a.ID != ref.ID {
			continue
		}
		c.flushNote()
		c.loading = true
		for i, t := range c.templates {
			if t.ID == a.Template {
				c.tmplSel.SetSelectedIndex(i)
			}
		}
		c.setScopes(a.Scope())
		c.loading = false
		c.load()
		c.jumpToItem(a.Item)
		return true
	}
	return false
}

func (c *checklistScreen) focusCard() {
	if cv := c.s.win.Canvas(); cv != nil {
		cv.Focus(c.card)
	}
}

// onKey handles the answer and navigation keys typed on the card.
func (c *checklistScreen) onKey(r rune) {
	if st, ok := keyStatus[r]; ok {
		if c.cur >= 0 && c.cur < len(c.items) {
			c.answer(st)
		}
		return
	}
	switch r {
	case 'u', 'U':
		c.nextUnanswered()
	case 'r', 'R':
		c.onConfirmSection()
	}
}

func (c *checklistScreen) onKeyName(k fyne.KeyName) {
	switch k {
	case fyne.KeyRight, fyne.KeyDown, fyne.KeyPageDown:
		c.move(c.cur + 1)
	case fyne.KeyLeft, fyne.KeyUp, fyne.KeyPageUp:
		c.move(c.cur - 1)
	}
}

// itemCard shows the current item and takes the answer keys while focused.
type itemCard struct {
	widget.BaseWidget
	c       *checklistScreen
	content fyne.CanvasObject
	frame   *canvas.Rectangle
	focused bool
}

func newItemCard(c *checklistScreen, content fyne.CanvasObject) *itemCard {
	k := &itemCard{c: c, content: content, frame: canvas.NewRectangle(nil)}
	k.frame.StrokeWidth = 2
	k.frame.CornerRadius = theme.InputRadiusSize()
	k.ExtendBaseWidget(k)
	return k
}

func (k *itemCard) CreateRenderer() fyne.WidgetRenderer {
	k.updateFrame()
	return widget.NewSimpleRenderer(container.NewStack(k.frame, container.NewPadded(k.content)))
}

func (k *itemCard) updateFrame() {
	if k.focused {
		k.frame.StrokeColor = theme.Color(theme.ColorNameFocus)
	} else {
		k.frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	}
	k.frame.Refresh()
}

// Tapped takes the focus, so the answer keys reach the card.
func (k *itemCard) Tapped(*fyne.PointEvent) {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(k); cv != nil {
		cv.Focus(k)
	}
}

func (k *itemCard) FocusGained() { k.focused = true; k.updateFrame() }
func (k *itemCard) FocusLost()   { k.focused = false; k.updateFrame() }

func (k *itemCard) TypedRune(r rune)           { k.c.onKey(r) }
func (k *itemCard) TypedKey(ev *fyne.KeyEvent) { k.c.onKeyName(ev.Name) }
