package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

func init() {
	registerScreen(60, "Findings", theme.DefaultTheme().Icon(theme.IconNameWarning), func(s *session) screen { return newFindingsScreen(s) })
}

const filterAll = "All"

// findingsScreen lists the findings of the model checks, the checklists and
// the auditor, and lets the auditor decide on each: status (accepting needs
// a justification), owner, due date and notes.
type findingsScreen struct {
	s *session

	sevSel    *widget.Select
	statusSel *widget.Select
	sourceSel *widget.Select
	search    *widget.Entry
	count     *widget.Label
	list      *widget.List
	message   *widget.Label

	detail        *fyne.Container
	title         *widget.Label
	meta          *widget.Label
	body          *widget.Label
	advice        *widget.Label
	why           *widget.Label
	refs          *widget.Label
	history       *widget.Label
	openSubject   *widget.Button
	openItem      *widget.Button // checklist findings: the answer behind it
	status        *widget.RadioGroup
	justification *field
	applyStatus   *widget.Button
	owner         *field // owner, due and notes save when left
	due           *field
	notes         *field
	editError     *widget.Label

	all      []checks.Finding
	shown    []checks.Finding
	selected string // finding ID
}

func newFindingsScreen(s *session) *findingsScreen { return &findingsScreen{s: s} }

func (f *findingsScreen) build() fyne.CanvasObject {
	sevs := []string{filterAll}
	for i := len(checks.Severities) - 1; i >= 0; i-- {
		sevs = append(sevs, severityLabel(checks.Severities[i]))
	}
	f.sevSel = widget.NewSelect(sevs, func(string) { f.applyFilter() })
	f.sevSel.SetSelected(filterAll)
	sts := []string{filterAll}
	for _, st := range checks.Statuses {
		sts = append(sts, statusLabel(st))
	}
	f.statusSel = widget.NewSelect(sts, func(string) { f.applyFilter() })
	f.statusSel.SetSelected(filterAll)
	f.sourceSel = widget.NewSelect([]string{filterAll, "Model checks", "Checklists", "Observations"}, func(string) { f.applyFilter() })
	f.sourceSel.SetSelected(filterAll)
	f.search = widget.NewEntry()
	f.search.SetPlaceHolder("Search title, subject, rule or item")
	f.search.OnChanged = func(string) { f.applyFilter() }
	f.count = widget.NewLabel("")
	f.message = widget.NewLabel("")
	f.message.Wrapping = fyne.TextWrapWord

	f.list = widget.NewList(
		func() int { return len(f.shown) },
		func() fyne.CanvasObject {
			sev := widget.NewLabelWithStyle("critical", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			st := widget.NewLabel("accepted")
			text := widget.NewLabel("subject — title")
			text.Truncation = fyne.TextTruncateEllipsis
			rule := widget.NewLabel("ZW-CONDUIT-000")
			rule.Importance = widget.LowImportance
			// Fixed-width columns, so severities and statuses line up.
			return container.NewBorder(nil, nil, container.NewHBox(fixedWidth(sev, severityNames(), true), fixedWidth(st, statusNames(), false)), rule, text)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			fd := f.shown[i]
			row := o.(*fyne.Container)
			text := row.Objects[0].(*widget.Label)
			left := row.Objects[1].(*fyne.Container)
			rule := row.Objects[2].(*widget.Label)
			sev := left.Objects[0].(*fyne.Container).Objects[1].(*widget.Label)
			sev.SetText(severityLabel(fd.Severity))
			sev.Importance = severityImportance(fd.Severity)
			sev.Refresh()
			left.Objects[1].(*fyne.Container).Objects[1].(*widget.Label).SetText(statusLabel(fd.Status))
			text.SetText(findingLine(fd))
			rule.SetText(findingRule(fd))
		})
	f.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(f.shown) {
			f.show(f.shown[i].ID)
		}
	}

	bold := fyne.TextStyle{Bold: true}
	wrap := func(l *widget.Label) *widget.Label { l.Wrapping = fyne.TextWrapWord; return l }
	f.title = wrap(widget.NewLabelWithStyle("", fyne.TextAlignLeading, bold))
	f.meta = wrap(widget.NewLabel(""))
	f.body = wrap(widget.NewLabel(""))
	f.advice = wrap(widget.NewLabel(""))
	f.why = wrap(widget.NewLabel(""))
	f.refs = wrap(widget.NewLabel(""))
	f.history = wrap(widget.NewLabel(""))
	f.history.Importance = widget.LowImportance
	f.openSubject = widget.NewButtonWithIcon("Open subject", theme.NavigateNextIcon(), f.onOpenSubject)
	f.openItem = widget.NewButtonWithIcon("Open checklist item", theme.ListIcon(), f.onOpenItem)
	f.status = widget.NewRadioGroup([]string{statusLabel(checks.StatusOpen), statusLabel(checks.StatusAccepted), statusLabel(checks.StatusClosed)}, nil)
	f.status.Horizontal = true
	f.status.Required = true
	f.justification = newLongField(nil)
	f.justification.max = assets.MaxLen("finding", "justification")
	f.justification.SetPlaceHolder("Why the asset owner accepts the risk (required to accept)")
	f.justification.SetMinRowsVisible(2)
	f.applyStatus = widget.NewButtonWithIcon("Set status", theme.ConfirmIcon(), f.onSetStatus)
	f.owner = newField(f.commitEdits)
	f.owner.SetPlaceHolder("Who acts on it")
	f.due = newField(f.commitEdits)
	f.due.SetPlaceHolder("YYYY-MM-DD")
	f.notes = newLongField(f.commitEdits)
	f.s.onFlush(f.commitEdits)
	f.editError = wrap(widget.NewLabel(""))
	f.editError.Importance = widget.DangerImportance

	heading := func(s string) *widget.Label { return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, bold) }
	f.detail = container.NewVBox(f.title, f.meta, container.NewGridWithColumns(2, f.openSubject, f.openItem), f.body,
		heading("Recommendation"), f.advice, f.why, f.refs, f.history,
		widget.NewSeparator(),
		heading("Decision"), f.status, f.justification, f.applyStatus,
		widget.NewForm(widget.NewFormItem("Owner", f.owner), widget.NewFormItem("Due", f.due), widget.NewFormItem("Notes", f.notes)),
		f.editError)
	f.detail.Hide()

	filters := container.NewGridWithColumns(3,
		container.NewBorder(nil, nil, widget.NewLabel("Severity"), nil, f.sevSel),
		container.NewBorder(nil, nil, widget.NewLabel("Status"), nil, f.statusSel),
		container.NewBorder(nil, nil, widget.NewLabel("Source"), nil, f.sourceSel))
	actions := container.NewBorder(nil, nil, container.NewHBox(
		widget.NewButtonWithIcon("Run checks", theme.MediaPlayIcon(), func() { f.runChecks(nil) }),
		widget.NewButtonWithIcon("Add observation…", theme.ContentAddIcon(), f.onAddObservation)), nil, f.search)
	split := container.NewHSplit(f.list, container.NewVScroll(f.detail))
	split.Offset = 0.5
	return container.NewBorder(container.NewVBox(actions, filters), container.NewVBox(f.count, f.message), nil, nil, split)
}

// fixedWidth gives a label the width of the widest text it may show.
func fixedWidth(l *widget.Label, texts []string, bold bool) fyne.CanvasObject {
	var w float32
	for _, t := range texts {
		w = max(w, fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{Bold: bold}).Width)
	}
	w += 2 * theme.InnerPadding()
	space := canvas.NewRectangle(color.Transparent)
	space.SetMinSize(fyne.NewSize(w, 0))
	return container.NewStack(space, l)
}

func severityLabel(s checks.Severity) string { return s.String() }

func severityNames() []string {
	var out []string
	for _, s := range checks.Severities {
		out = append(out, severityLabel(s))
	}
	return out
}

func statusNames() []string {
	var out []string
	for _, s := range checks.Statuses {
		out = append(out, statusLabel(s))
	}
	return out
}

func statusLabel(s checks.Status) string {
	switch s {
	case checks.StatusOpen:
		return "Open"
	case checks.StatusAccepted:
		return "Accepted"
	case checks.StatusClosed:
		return "Closed"
	}
	return string(s)
}

func severityImportance(s checks.Severity) widget.Importance {
	switch s {
	case checks.Critical, checks.High:
		return widget.DangerImportance
	case checks.Medium:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

// findingLine is the list text: subject and title.
func findingLine(fd checks.Finding) string {
	if fd.SubjectName == "" {
		return fd.Title
	}
	return fd.SubjectName + " — " + fd.Title
}

// findingRule names what raised the finding: a rule, a checklist item or
// the auditor.
func findingRule(fd checks.Finding) string {
	switch fd.Source {
	case checks.SourceRule:
		return fd.RuleID
	case checks.SourceChecklist:
		return fd.Item
	}
	return "observation"
}

// refresh rereads the findings and keeps the selection.
func (f *findingsScreen) refresh() {
	if f.s.ws == nil {
		return
	}
	all, err := f.s.ws.Findings()
	if err != nil {
		f.message.SetText("Findings could not be read: " + err.Error())
		return
	}
	f.all = all
	f.applyFilter()
}

// applyFilter narrows the list to the filters and keeps the shown finding.
func (f *findingsScreen) applyFilter() {
	if f.list == nil {
		return
	}
	words := strings.Fields(strings.ToLower(f.search.Text))
	f.shown = f.shown[:0]
next:
	for _, fd := range f.all {
		if v := f.sevSel.Selected; v != "" && v != filterAll && severityLabel(fd.Severity) != v {
			continue
		}
		if v := f.statusSel.Selected; v != "" && v != filterAll && statusLabel(fd.Status) != v {
			continue
		}
		switch f.sourceSel.Selected {
		case "Model checks":
			if fd.Source != checks.SourceRule {
				continue
			}
		case "Checklists":
			if fd.Source != checks.SourceChecklist {
				continue
			}
		case "Observations":
			if fd.Source != checks.SourceManual {
				continue
			}
		}
		hay := strings.ToLower(strings.Join([]string{fd.Title, fd.SubjectName, fd.RuleID, fd.Item, fd.Owner}, "\x00"))
		for _, w := range words {
			if !strings.Contains(hay, w) {
				continue next
			}
		}
		f.shown = append(f.shown, fd)
	}
	open := 0
	for _, fd := range f.all {
		if fd.Status == checks.StatusOpen {
			open++
		}
	}
	f.count.SetText(fmt.Sprintf("%d shown of %d findings · %d open", len(f.shown), len(f.all), open))
	f.list.UnselectAll()
	f.list.Refresh()
	idx := -1
	for i, fd := range f.shown {
		if fd.ID == f.selected {
			idx = i
		}
	}
	if idx >= 0 {
		f.list.Select(idx)
		f.show(f.selected)
	} else {
		f.selected = ""
		f.detail.Hide()
	}
}

// current is the shown finding.
func (f *findingsScreen) current() (checks.Finding, bool) {
	for _, fd := range f.all {
		if fd.ID == f.selected {
			return fd, true
		}
	}
	return checks.Finding{}, false
}

// show fills the detail pane with one finding.
func (f *findingsScreen) show(id string) {
	if id != f.selected {
		f.commitEdits() // the fields still hold the previous finding
		f.selected = id
		// Saving refreshed the list, which selected the previous one again.
		for i, fd := range f.shown {
			if fd.ID == id {
				f.list.Select(i)
			}
		}
	}
	fd, ok := f.current()
	if !ok {
		f.detail.Hide()
		return
	}
	f.title.SetText(fd.Title)
	meta := fmt.Sprintf("Severity %s · %s · %s", severityLabel(fd.Severity), statusLabel(fd.Status), sourceText(fd))
	if fd.SubjectName != "" {
		meta += fmt.Sprintf(" · about %s %q", fd.Subject.Kind, fd.SubjectName)
	}
	if n := len(fd.Covers); n > 1 {
		meta += fmt.Sprintf(" · covers %d records", n)
	}
	f.meta.SetText(meta)
	setEnabled(f.openSubject, fd.Subject.Kind != "" && fd.Subject.Kind != "audit")
	if fd.Source == checks.SourceChecklist {
		f.openItem.Show()
	} else {
		f.openItem.Hide()
	}
	setOrHide(f.body, fd.Detail)
	setOrHide(f.advice, fd.Recommendation)
	why := ""
	if r, ok := checks.RuleByID(fd.RuleID); ok && fd.Source == checks.SourceRule {
		why = "Why it matters: " + r.Explanation
	}
	setOrHide(f.why, why)
	refs := ""
	if len(fd.References) > 0 {
		refs = "References: " + strings.Join(fd.References, " · ")
	}
	setOrHide(f.refs, refs)
	var hist []string
	if fd.Justification != "" {
		hist = append(hist, "Justification: "+fd.Justification)
	}
	if fd.Resolution != "" {
		hist = append(hist, "Resolution: "+fd.Resolution)
	}
	setOrHide(f.history, strings.Join(hist, "\n"))
	f.status.SetSelected(statusLabel(fd.Status))
	f.justification.SetText(fd.Justification)
	f.owner.set(fd.Owner)
	f.due.set(fd.Due)
	f.notes.set(fd.Notes)
	f.editError.SetText("")
	f.detail.Show()
}

func sourceText(fd checks.Finding) string {
	switch fd.Source {
	case checks.SourceRule:
		return "model check " + fd.RuleID
	case checks.SourceChecklist:
		return "checklist item " + fd.Item
	}
	return "auditor's observation"
}

func (f *findingsScreen) onOpenSubject() {
	if fd, ok := f.current(); ok && f.s.reveal != nil {
		f.s.reveal(fd.Subject)
	}
}

// answerRef is the checklist answer a checklist finding comes from: per
// zone for zone templates, once per audit otherwise.
func answerRef(fd checks.Finding) assets.Ref {
	zone := ""
	if fd.Subject.Kind == "zone" {
		zone = fd.Subject.ID
	}
	return assets.Ref{Kind: "answer", ID: checklist.AnswerID(fd.Template, fd.Item, zone)}
}

func (f *findingsScreen) onOpenItem() {
	if fd, ok := f.current(); ok && fd.Source == checks.SourceChecklist && f.s.reveal != nil {
		f.s.reveal(answerRef(fd))
	}
}

// statusFromLabel maps the radio's label back to a status.
func statusFromLabel(l string) (checks.Status, bool) {
	for _, st := range checks.Statuses {
		if statusLabel(st) == l {
			return st, true
		}
	}
	return "", false
}

// onSetStatus applies the chosen status; accepting without a justification
// is refused with the reason shown next to the fields.
func (f *findingsScreen) onSetStatus() {
	fd, ok := f.current()
	if !ok {
		return
	}
	st, ok := statusFromLabel(f.status.Selected)
	if !ok {
		f.editError.SetText("Choose open, accepted or closed.")
		return
	}
	_, err := f.s.ws.SetFindingStatus(context.Background(), fd.ID, st, f.justification.Text)
	if err != nil {
		if errors.Is(err, checks.ErrJustificationRequired) {
			f.editError.SetText("Accepting a risk needs a justification: say why the asset owner accepts it.")
		} else {
			f.editError.SetText(err.Error())
		}
		return
	}
	f.message.SetText(fmt.Sprintf("%q is now %s.", fd.Title, statusLabel(st)))
	f.afterWrite()
}

// commitEdits stores owner, due date and notes where they changed. A due
// date that is not a date is refused and left in its field to correct.
func (f *findingsScreen) commitEdits() {
	fd, ok := f.current()
	if !ok || f.detail == nil || !f.detail.Visible() {
		return
	}
	ctx := context.Background()
	owner, due := strings.TrimSpace(f.owner.Text), strings.TrimSpace(f.due.Text)
	badDue := ""
	if due != fd.Due && due != "" {
		if _, err := time.Parse(time.DateOnly, due); err != nil {
			badDue = due
		}
	}
	var err error
	wrote := false
	if owner != fd.Owner {
		_, err = f.s.ws.SetFindingOwner(ctx, fd.ID, owner)
		wrote = true
	}
	if err == nil && f.notes.Text != fd.Notes {
		_, err = f.s.ws.SetFindingNotes(ctx, fd.ID, f.notes.Text)
		wrote = true
	}
	if err == nil && due != fd.Due && badDue == "" {
		_, err = f.s.ws.SetFindingDue(ctx, fd.ID, due)
		wrote = true
	}
	if wrote {
		f.message.SetText(fmt.Sprintf("Saved %q.", fd.Title))
		f.afterWrite() // shows the finding as stored
	}
	switch {
	case err != nil:
		f.editError.SetText("Not saved: " + err.Error())
	case badDue != "":
		f.due.set(badDue)
		f.editError.SetText(fmt.Sprintf("Due date %q not saved: write it as YYYY-MM-DD.", badDue))
	}
}

func (f *findingsScreen) afterWrite() {
	f.refresh()
	f.s.changed()
}

// runChecks reruns the model checks in the background; then (if set) runs
// on the UI goroutine afterwards.
func (f *findingsScreen) runChecks(then func(error)) {
	ws := f.s.ws
	var run app.CheckRun
	f.s.background("Running model checks", func(ctx context.Context, report progress) error {
		report(0, 0, "Checking zones, conduits, assets and checklist answers…")
		var err error
		run, err = ws.RunChecks(ctx, time.Now())
		return err
	}, func(err error) {
		switch {
		case err == nil:
			f.message.SetText(checkRunText(run))
			f.afterWrite()
		case errors.Is(err, context.Canceled):
			f.message.SetText("Checks cancelled; findings are as they were.")
		default:
			f.s.showError(err)
		}
		if then != nil {
			then(err)
		}
	})
}

func checkRunText(r app.CheckRun) string {
	s := fmt.Sprintf("Checks raise %d findings: %d new, %d updated, %d closed as resolved.", r.Raised, r.Added, r.Updated, r.Closed)
	if !r.Scored {
		s += " No zone has checklist answers yet, so SL-A was not judged."
	}
	return s
}

// observationForm is the form for a manual finding.
type observationForm struct {
	subject        *widget.Select
	subjects       []assets.Ref
	title          *field
	severity       *widget.Select
	detail         *field
	recommendation *field
	references     *field
	owner          *field
	due            *field
}

func (f *findingsScreen) newObservationForm() *observationForm {
	o := &observationForm{}
	names := []string{"The audit as a whole"}
	o.subjects = []assets.Ref{{Kind: "audit"}}
	for _, z := range f.s.ws.Zones() {
		names = append(names, "Zone: "+z.Name)
		o.subjects = append(o.subjects, assets.Ref{Kind: "zone", ID: z.ID})
	}
	for _, c := range f.s.ws.Conduits() {
		names = append(names, "Conduit: "+c.Name)
		o.subjects = append(o.subjects, assets.Ref{Kind: "conduit", ID: c.ID})
	}
	if sel, ok := f.current(); ok && sel.Subject.Kind == "asset" {
		names = append(names, "Asset: "+sel.SubjectName)
		o.subjects = append(o.subjects, sel.Subject)
	}
	o.subject = widget.NewSelect(names, nil)
	o.subject.SetSelectedIndex(0)
	// Each field stops at the limit its validation applies (issue 15).
	capped := func(f *field, name string) *field { f.max = assets.MaxLen("finding", name); return f }
	o.title = capped(newField(nil), "title")
	var sevs []string
	for _, s := range checks.Severities {
		sevs = append(sevs, severityLabel(s))
	}
	o.severity = widget.NewSelect(sevs, nil)
	o.severity.SetSelected(severityLabel(checks.Medium))
	o.detail = capped(newLongField(nil), "detail")
	o.recommendation = capped(newLongField(nil), "recommendation")
	o.references = newField(nil) // a list: each entry is checked on its own
	o.references.max = assets.MaxListLen * (assets.MaxShortText + 2)
	o.references.SetPlaceHolder("e.g. 62443-3-3 SR 1.13, 62443-2-1 NET 3.1")
	o.owner = capped(newField(nil), "owner")
	o.due = capped(newField(nil), "due")
	o.due.SetPlaceHolder("YYYY-MM-DD")
	return o
}

func (o *observationForm) items() []*widget.FormItem {
	return []*widget.FormItem{
		widget.NewFormItem("About", o.subject), widget.NewFormItem("Title", o.title),
		widget.NewFormItem("Severity", o.severity), widget.NewFormItem("Detail", o.detail),
		widget.NewFormItem("Recommendation", o.recommendation), widget.NewFormItem("References", o.references),
		widget.NewFormItem("Owner", o.owner), widget.NewFormItem("Due", o.due),
	}
}

// observation reads the form.
func (o *observationForm) observation() checks.Observation {
	obs := checks.Observation{Title: o.title.Text, Detail: o.detail.Text, Recommendation: o.recommendation.Text,
		Owner: strings.TrimSpace(o.owner.Text), Due: strings.TrimSpace(o.due.Text)}
	if i := o.subject.SelectedIndex(); i >= 0 && i < len(o.subjects) {
		obs.Subject = o.subjects[i]
	}
	for _, s := range checks.Severities {
		if severityLabel(s) == o.severity.Selected {
			obs.Severity = s
		}
	}
	for _, r := range strings.Split(o.references.Text, ",") {
		if r = strings.TrimSpace(r); r != "" {
			obs.References = append(obs.References, r)
		}
	}
	return obs
}

func (f *findingsScreen) onAddObservation() {
	form := f.newObservationForm()
	d := dialog.NewForm("Add observation", "Add", "Cancel", form.items(), func(ok bool) {
		if ok {
			f.addObservation(form.observation())
		}
	}, f.s.win)
	d.Resize(fyne.NewSize(640, 560))
	d.Show()
}

// addObservation stores a manual finding and shows it.
func (f *findingsScreen) addObservation(o checks.Observation) error {
	fd, err := f.s.ws.AddObservation(context.Background(), o)
	if err != nil {
		f.s.showError(err)
		return err
	}
	f.selected = fd.ID
	f.message.SetText(fmt.Sprintf("Added observation %q.", fd.Title))
	f.afterWrite()
	return nil
}

// reveal shows a finding when asked to.
func (f *findingsScreen) reveal(ref assets.Ref) bool {
	if ref.Kind != checks.Kind {
		return false
	}
	f.sevSel.SetSelected(filterAll)
	f.statusSel.SetSelected(filterAll)
	f.sourceSel.SetSelected(filterAll)
	f.search.SetText("")
	f.selected = ref.ID
	f.refresh()
	return f.selected == ref.ID
}
