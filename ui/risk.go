package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	registerScreen(95, "Risk", theme.DefaultTheme().Icon(theme.IconNameInfo), func(s *session) screen { return newRiskScreen(s) })
}

// riskScreen is the 62443-3-2 side of the audit: per zone the levels
// (SL-T with its basis, SL-C, SL-A), the risk register with its matrix,
// and the countermeasures the audit relies on.
type riskScreen struct {
	s        *session
	tabs     *container.AppTabs
	levels   *levelsTab
	register *registerTab
	cms      *countermeasuresTab
}

func newRiskScreen(s *session) *riskScreen {
	return &riskScreen{s: s, levels: &levelsTab{s: s}, register: &registerTab{s: s}, cms: &countermeasuresTab{s: s}}
}

func (r *riskScreen) build() fyne.CanvasObject {
	r.tabs = container.NewAppTabs(
		container.NewTabItem("Levels per zone", r.levels.build()),
		container.NewTabItem("Risk register", r.register.build()),
		container.NewTabItem("Countermeasures", r.cms.build()))
	return r.tabs
}

func (r *riskScreen) refresh() {
	r.levels.refresh()
	r.register.refresh()
	r.cms.refresh()
}

// newRecord is Ctrl+N: a scenario on the register, a countermeasure on
// its tab.
func (r *riskScreen) newRecord() {
	switch r.tabs.SelectedIndex() {
	case 1:
		r.register.newRecord()
	case 2:
		r.cms.newRecord()
	}
}

// restoreDraft puts a scenario's or countermeasure's unsaved input back
// after a crash, on its tab.
func (r *riskScreen) restoreDraft(key string, fields map[string]string) bool {
	if id, ok := strings.CutPrefix(key, "risk:"); ok {
		k, err := r.s.ws.Risk(id)
		if err != nil {
			return false
		}
		r.tabs.SelectIndex(1)
		r.register.load(k)
		r.register.ed.restore(fields)
		r.register.selectInList(id)
		return true
	}
	if id, ok := strings.CutPrefix(key, "countermeasure:"); ok {
		cm, err := r.s.ws.Countermeasure(id)
		if err != nil {
			return false
		}
		r.tabs.SelectIndex(2)
		r.cms.load(cm)
		r.cms.ed.restore(fields)
		r.cms.selectInList(id)
		return true
	}
	return false
}

// registerTab is the risk register: threat scenarios with their ratings
// on the audit's matrix.
type registerTab struct {
	s *session

	list      *widget.List
	matrix    *fyne.Container
	deleteBtn *widget.Button
	detail    fyne.CanvasObject
	empty     fyne.CanvasObject
	errs      *errorBox

	title, source, vector, weakness, consequence *field
	description                                  *field
	scope, stage, attacker                       *widget.Select
	likelihood, impact, resLikelihood, resImpact *widget.Select
	frs                                          [7]*widget.Check
	cmChecks                                     *fyne.Container
	score                                        *widget.Label

	ed       *editor[assets.Risk]
	cur      assets.Risk
	risks    []assets.Risk
	m        assets.RiskMatrix
	scopes   []assets.Ref
	cms      []assets.Countermeasure
	loading  bool
	selecing bool
}

var riskLabels = map[string]string{
	"title": "Title", "threat_source": "Threat source", "vector": "Vector", "weakness": "Weakness",
	"consequence": "Consequence", "description": "Description", "likelihood": "Likelihood", "impact": "Impact",
	"residual_likelihood": "Residual likelihood", "residual_impact": "Residual impact", "attacker": "Attacker",
	"scope": "Applies to", "stage": "Stage", "countermeasures": "Countermeasures",
}

var stageLabels = []string{"Initial (worst case, before countermeasures)", "Detailed (with countermeasures)"}

func (r *registerTab) build() fyne.CanvasObject {
	r.list = widget.NewList(func() int { return len(r.risks) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("Scenario title that is long · 20 above")
			t.Truncation = fyne.TextTruncateEllipsis
			return t
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(r.line(&r.risks[i])) })
	r.list.OnSelected = func(i widget.ListItemID) {
		if !r.selecing && i < len(r.risks) {
			next := r.risks[i]
			r.ed.leave(func() { r.load(next) }, nil)
		}
	}
	add := widget.NewButtonWithIcon("Add (Ctrl+N)", theme.ContentAddIcon(), r.newRecord)
	add.Importance = widget.HighImportance
	r.deleteBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), r.deleteSelected)
	r.matrix = container.NewStack()
	left := container.NewBorder(container.NewVBox(container.NewHBox(add, r.deleteBtn), r.matrix), nil, nil, nil, r.list)

	commit := func() {
		if r.ed != nil {
			r.ed.commit()
		}
	}
	changed := func(string) {
		if !r.loading {
			commit()
		}
	}
	r.title, r.source, r.vector = newField(commit), newField(commit), newField(commit)
	r.weakness, r.consequence = newField(commit), newField(commit)
	r.description = newLongField(commit)
	r.scope = widget.NewSelect(nil, changed)
	r.stage = widget.NewSelect(stageLabels, changed)
	var attackers []string
	for l := 0; l <= 4; l++ {
		attackers = append(attackers, attackerLabel(l))
	}
	r.attacker = widget.NewSelect(attackers, changed)
	r.likelihood, r.impact = widget.NewSelect(nil, changed), widget.NewSelect(nil, changed)
	r.resLikelihood, r.resImpact = widget.NewSelect(nil, changed), widget.NewSelect(nil, changed)
	frRow := container.NewGridWithColumns(4)
	for i, fr := range assets.FRs {
		r.frs[i] = widget.NewCheck(fmt.Sprintf("FR%d %s", fr.Number(), fr), func(bool) { changed("") })
		frRow.Add(r.frs[i])
	}
	r.cmChecks = container.NewGridWithColumns(2)
	r.score = wrapped("")
	r.errs = newErrorBox()
	r.ed = &editor[assets.Risk]{s: r.s, kind: "risk", labels: riskLabels, errs: r.errs, cur: &r.cur,
		edited: r.edited, save: r.s.ws.SaveRisk, load: r.load, id: func() string { return r.cur.ID },
		title: func() string { return fmt.Sprintf("Risk %q", r.cur.Title) },
		focus: func() { r.selectInList(r.cur.ID); r.s.win.Canvas().Focus(r.title) }, loading: &r.loading,
		texts: map[string]*field{"title": r.title, "threat_source": r.source, "vector": r.vector,
			"weakness": r.weakness, "consequence": r.consequence, "description": r.description}}
	r.ed.init()
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Title"), r.title,
		widget.NewLabel("Applies to"), r.scope,
		widget.NewLabel("Stage"), r.stage,
		widget.NewLabel("Threat source"), r.source,
		widget.NewLabel("Vector"), r.vector,
		widget.NewLabel("Weakness"), r.weakness,
		widget.NewLabel("Consequence"), r.consequence,
		widget.NewLabel("Attacker"), r.attacker,
		widget.NewLabel("FRs it exploits"), frRow,
		widget.NewLabel("Likelihood"), r.likelihood,
		widget.NewLabel("Impact"), r.impact,
		widget.NewLabel("Countermeasures"), r.cmChecks,
		widget.NewLabel("Residual likelihood"), r.resLikelihood,
		widget.NewLabel("Residual impact"), r.resImpact,
		widget.NewLabel("Description"), r.description,
	)
	r.detail = container.NewVScroll(container.NewVBox(r.errs.box, r.score, form))
	r.empty = container.NewCenter(widget.NewLabel("Select a threat scenario, or add one with Ctrl+N."))
	split := container.NewHSplit(left, container.NewStack(r.empty, r.detail))
	split.Offset = 0.34
	r.showDetail(false)
	return split
}

func attackerLabel(l int) string {
	if l == 0 {
		return "0 — no attacker (mistake, failure)"
	}
	return strconv.Itoa(l) + " — " + risk.Attacker(l)
}

func (r *registerTab) line(k *assets.Risk) string {
	sc := risk.Weigh(k, r.m)
	verdict := "not rated"
	switch {
	case sc.Score > 0 && sc.Tolerable:
		verdict = fmt.Sprintf("%d tolerable", sc.Score)
	case sc.Score > 0:
		verdict = fmt.Sprintf("%d above tolerable", sc.Score)
	}
	return verdict + " · " + k.Title
}

func (r *registerTab) showDetail(on bool) { swapDetail(on, r.detail, r.empty, r.deleteBtn) }

func (r *registerTab) refresh() {
	var err error
	if r.risks, err = r.s.ws.Risks(); err != nil {
		r.s.showError(err)
	}
	if r.cms, err = r.s.ws.Countermeasures(); err != nil {
		r.s.showError(err)
	}
	r.m = r.s.ws.RiskMatrix()
	r.loading = true
	r.scopes = []assets.Ref{{Kind: "audit"}}
	names := []string{"The whole system under consideration"}
	for _, z := range r.s.ws.Zones() {
		r.scopes = append(r.scopes, assets.Ref{Kind: "zone", ID: z.ID})
		names = append(names, "Zone: "+z.Name)
	}
	for _, c := range r.s.ws.Conduits() {
		r.scopes = append(r.scopes, assets.Ref{Kind: "conduit", ID: c.ID})
		names = append(names, "Conduit: "+c.Name)
	}
	r.scope.SetOptions(names)
	scale := func(labels []string) []string {
		out := []string{"–"}
		for i, l := range labels {
			out = append(out, fmt.Sprintf("%d %s", i+1, l))
		}
		return out
	}
	r.likelihood.SetOptions(scale(r.m.Likelihoods))
	r.resLikelihood.SetOptions(scale(r.m.Likelihoods))
	r.impact.SetOptions(scale(r.m.Impacts))
	r.resImpact.SetOptions(scale(r.m.Impacts))
	r.loading = false
	r.matrix.Objects = []fyne.CanvasObject{r.heatMap()}
	r.matrix.Refresh()
	r.list.Refresh()
	if r.cur.ID == "" {
		r.showDetail(false)
		return
	}
	stored, err := r.s.ws.Risk(r.cur.ID)
	if err != nil {
		r.cur = assets.Risk{}
		r.list.UnselectAll()
		r.showDetail(false)
		return
	}
	if r.ed.pending() {
		r.cur = stored
	} else {
		r.load(stored)
	}
	r.selectInList(stored.ID)
}

// heatMap is the matrix: likelihood rows (highest on top) by impact
// columns, each cell the number of scenarios rated there, tolerable cells
// pale and the others red-edged.
func (r *registerTab) heatMap() fyne.CanvasObject {
	count := map[[2]int]int{}
	for i := range r.risks {
		l, im, _ := r.risks[i].Rating()
		count[[2]int{l, im}]++
	}
	nl, ni := len(r.m.Likelihoods), len(r.m.Impacts)
	grid := container.NewGridWithColumns(ni + 1)
	for l := nl; l >= 1; l-- {
		grid.Add(widget.NewLabel("L" + strconv.Itoa(l)))
		for i := 1; i <= ni; i++ {
			n := count[[2]int{l, i}]
			text := ""
			if n > 0 {
				text = strconv.Itoa(n)
			}
			fill := theme.Color(theme.ColorNameSuccess)
			if !r.m.Tolerates(r.m.Score(l, i)) {
				fill = theme.Color(theme.ColorNameError)
			}
			bg := canvas.NewRectangle(withAlpha(fill, 0x40))
			bg.StrokeColor, bg.StrokeWidth = fill, 1
			t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
			t.Alignment = fyne.TextAlignCenter
			t.TextStyle.Bold = true
			grid.Add(container.NewStack(bg, container.NewCenter(t)))
		}
	}
	grid.Add(widget.NewLabel(""))
	for i := 1; i <= ni; i++ {
		grid.Add(widget.NewLabel("I" + strconv.Itoa(i)))
	}
	caption := wrapped(fmt.Sprintf("Scenarios per cell: likelihood (L) by impact (I); red cells are above the tolerable risk %d.", r.m.Tolerable))
	caption.Importance = widget.LowImportance
	return container.NewVBox(grid, caption)
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

func (r *registerTab) load(k assets.Risk) {
	r.loading = true
	defer func() { r.loading = false }()
	r.cur = k
	r.title.set(k.Title)
	r.source.set(k.ThreatSource)
	r.vector.set(k.Vector)
	r.weakness.set(k.Weakness)
	r.consequence.set(k.Consequence)
	r.description.set(k.Description)
	r.scope.ClearSelected()
	for i, s := range r.scopes {
		if s.Kind == k.Scope.Kind && (s.Kind == "audit" || s.ID == k.Scope.ID) {
			r.scope.SetSelectedIndex(i)
		}
	}
	r.stage.SetSelectedIndex(map[bool]int{false: 0, true: 1}[k.Detailed()])
	r.attacker.SetSelectedIndex(max(0, min(k.Attacker, 4)))
	selectRating(r.likelihood, k.Likelihood)
	selectRating(r.impact, k.Impact)
	selectRating(r.resLikelihood, k.ResidualLikelihood)
	selectRating(r.resImpact, k.ResidualImpact)
	for i := range r.frs {
		r.frs[i].SetChecked(false)
	}
	for _, f := range k.FRs {
		if int(f) >= 0 && int(f) < len(r.frs) {
			r.frs[f].SetChecked(true)
		}
	}
	r.cmChecks.RemoveAll()
	for _, cm := range r.cms {
		ch := widget.NewCheck(cm.Name, func(bool) {
			if !r.loading {
				r.ed.commit()
			}
		})
		ch.SetChecked(slices.Contains(k.Countermeasures, cm.ID))
		r.cmChecks.Add(ch)
	}
	if len(r.cms) == 0 {
		r.cmChecks.Add(widget.NewLabel("None recorded yet (Countermeasures tab)."))
	}
	r.score.SetText(scoreText(k, r.m))
	r.ed.stored()
	r.showDetail(true)
}

func selectRating(s *widget.Select, v int) {
	if v >= 1 && v < len(s.Options) {
		s.SetSelectedIndex(v)
	} else {
		s.SetSelectedIndex(0)
	}
}

func riskRating(s *widget.Select) int {
	if i := s.SelectedIndex(); i > 0 {
		return i
	}
	return 0
}

func scoreText(k assets.Risk, m assets.RiskMatrix) string {
	sc := risk.Weigh(&k, m)
	if sc.Score == 0 {
		return "Not rated yet: choose likelihood and impact."
	}
	return "Risk that counts: " + sc.String()
}

// edited is the scenario as the form shows it.
func (r *registerTab) edited() assets.Risk {
	k := r.cur
	k.Title = strings.TrimSpace(r.title.Text)
	k.ThreatSource, k.Vector = strings.TrimSpace(r.source.Text), strings.TrimSpace(r.vector.Text)
	k.Weakness, k.Consequence = strings.TrimSpace(r.weakness.Text), strings.TrimSpace(r.consequence.Text)
	k.Description = r.description.Text
	if i := r.scope.SelectedIndex(); i >= 0 && i < len(r.scopes) {
		k.Scope = r.scopes[i]
	}
	k.Stage = assets.StageInitial
	if r.stage.SelectedIndex() == 1 {
		k.Stage = assets.StageDetailed
	}
	k.Attacker = max(0, r.attacker.SelectedIndex())
	k.FRs = nil
	for i, ch := range r.frs {
		if ch.Checked {
			k.FRs = append(k.FRs, assets.FRs[i])
		}
	}
	k.Likelihood, k.Impact = riskRating(r.likelihood), riskRating(r.impact)
	k.ResidualLikelihood, k.ResidualImpact = riskRating(r.resLikelihood), riskRating(r.resImpact)
	k.Countermeasures = nil
	for i, o := range r.cmChecks.Objects {
		if ch, ok := o.(*widget.Check); ok && ch.Checked && i < len(r.cms) {
			k.Countermeasures = append(k.Countermeasures, r.cms[i].ID)
		}
	}
	return k
}

func (r *registerTab) selectInList(id string) {
	for i := range r.risks {
		if r.risks[i].ID == id {
			r.selecing = true
			r.list.Select(i)
			r.selecing = false
			return
		}
	}
}

// newRecord adds a scenario for the whole system, rated in the middle of
// the matrix, ready to be named.
func (r *registerTab) newRecord() {
	if r.ed.pending() {
		r.ed.leave(r.newRecord, nil)
		return
	}
	r.ed.commit()
	saved, err := r.s.ws.SaveRisk(assets.Risk{Title: fmt.Sprintf("Scenario %d", len(r.risks)+1),
		Scope: assets.Ref{Kind: "audit"}, Stage: assets.StageInitial, Attacker: 2,
		Likelihood: (len(r.m.Likelihoods) + 1) / 2, Impact: (len(r.m.Impacts) + 1) / 2})
	if err != nil {
		r.s.showError(err)
		return
	}
	r.s.changed()
	r.load(saved)
	r.selectInList(saved.ID)
	r.s.win.Canvas().Focus(r.title)
	r.title.TypedShortcut(&fyne.ShortcutSelectAll{})
}

func (r *registerTab) deleteSelected() {
	if r.cur.ID == "" {
		return
	}
	gone := r.cur
	if err := r.s.ws.DeleteRisk(gone.ID); err != nil {
		r.s.showError(err)
		return
	}
	r.cur = assets.Risk{}
	r.list.UnselectAll()
	r.s.changed()
	ws := r.s.ws
	r.s.offerUndo(fmt.Sprintf("Deleted risk %q", gone.Title), func() error {
		gone.Deleted = false
		_, err := ws.SaveRisk(gone)
		return err
	})
}
