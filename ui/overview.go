package ui

import (
	"fmt"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
)

func init() {
	registerScreen(10, "Overview", theme.DefaultTheme().Icon(theme.IconNameHome), func(s *session) screen { return newOverviewScreen(s) })
}

var auditLabels = map[string]string{
	"title": "Title", "site": "Site", "owner": "Asset owner", "scope": "Scope", "start_date": "Start date",
	"end_date": "End date", "reviewed_at": "Reviewed on",
}

// overviewScreen is the audit at a glance: its description (editable),
// the inventory counts, SL-T (and SL-A) per zone and the open findings.
type overviewScreen struct {
	s       *session
	cur     assets.Audit
	loading bool

	title, site, owner, location, start, end, classification, reviewed *field
	auditors, scope, standards                                         *field
	errs                                                               *errorBox
	ed                                                                 *editor[assets.Audit]
	metNeedsEvidence                                                   *widget.Check

	counts   *widget.Label
	findings *widget.Label
	levels   *fyne.Container
	changes  changesPanel
}

func newOverviewScreen(s *session) *overviewScreen {
	o := &overviewScreen{s: s}
	o.changes.s = s
	s.onFlush(o.commit)
	return o
}

func (o *overviewScreen) build() fyne.CanvasObject {
	c := o.commit
	o.title, o.site, o.owner, o.location = newField(c), newField(c), newField(c), newField(c)
	o.start, o.end, o.reviewed, o.classification = newField(c), newField(c), newField(c), newField(c)
	for _, f := range []*field{o.start, o.end, o.reviewed} {
		f.SetPlaceHolder("YYYY-MM-DD")
	}
	o.auditors, o.scope, o.standards = newLongField(c), newLongField(c), newLongField(c)
	o.auditors.SetPlaceHolder("one auditor per line")
	o.standards.SetPlaceHolder("one per line, e.g. IEC 62443-3-3:2013")
	o.classification.SetPlaceHolder(assets.DefaultClassification)
	o.metNeedsEvidence = widget.NewCheck("Met needs evidence", func(bool) {
		if !o.loading {
			o.commit()
		}
	})
	o.errs = newErrorBox()
	o.ed = &editor[assets.Audit]{s: o.s, kind: "audit", labels: auditLabels, errs: o.errs, cur: &o.cur,
		edited: o.edited, save: o.s.ws.SaveAudit, load: o.load, id: func() string { return "audit" },
		title: func() string { return "The audit description" },
		focus: func() { o.s.win.Canvas().Focus(o.title) }, loading: &o.loading,
		texts: map[string]*field{"title": o.title, "site": o.site, "owner": o.owner, "location": o.location,
			"start_date": o.start, "end_date": o.end, "classification": o.classification, "reviewed_at": o.reviewed,
			"auditors": o.auditors, "scope": o.scope, "standards": o.standards}}
	o.ed.init()
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Title"), o.title,
		widget.NewLabel("Site"), o.site,
		widget.NewLabel("Asset owner"), o.owner,
		widget.NewLabel("Location"), o.location,
		widget.NewLabel("Dates"), container.NewGridWithColumns(2, o.start, o.end),
		widget.NewLabel("Auditors"), o.auditors,
		widget.NewLabel("Scope"), o.scope,
		widget.NewLabel("Standards"), o.standards,
		widget.NewLabel("Classification"), o.classification,
		widget.NewLabel("Reviewed on"), o.reviewed,
		widget.NewLabel("Checklists"), o.metNeedsEvidence,
	)
	left := container.NewVBox(heading("Audit"), o.errs.box, form)

	o.counts = widget.NewLabel("")
	o.counts.Wrapping = fyne.TextWrapWord
	o.findings = widget.NewLabel("")
	o.levels = container.New(layout.NewFormLayout())
	goFindings := widget.NewButton("Open findings…", func() { o.s.navigate("Findings") })
	right := container.NewVBox(
		heading("Inventory"), o.counts,
		heading("Findings"), container.NewHBox(o.findings, goFindings),
		heading("Security levels per zone"), o.levels, note("SL-A is scored from the IEC 62443-3-3 checklist answers of each zone."),
		o.changes.build())
	split := container.NewHSplit(container.NewVScroll(container.NewPadded(left)), container.NewVScroll(container.NewPadded(right)))
	split.Offset = 0.55
	return split
}

// note is a wrapping line of explanation.
func note(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func heading(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func (o *overviewScreen) refresh() {
	ws := o.s.ws
	a := ws.Audit()
	switch {
	case !reflect.DeepEqual(a, o.cur) && o.ed.pending():
		o.cur = a // changed elsewhere; the input on screen stays, unsaved
	case !reflect.DeepEqual(a, o.cur):
		o.load(a)
	}
	zones := ws.Zones()
	unassigned := len(ws.FilterAssets(app.AssetFilter{Zone: app.Unassigned}))
	o.counts.SetText(fmt.Sprintf("%s · %s · %s · %s not in a zone", english.Count(len(zones), "zone", "zones"),
		english.Count(len(ws.Conduits()), "conduit", "conduits"), english.Count(ws.AssetCount(), "asset", "assets"),
		english.Count(unassigned, "asset", "assets")))

	if fs, err := ws.Findings(); err != nil {
		o.findings.SetText("Findings unavailable: " + err.Error())
	} else {
		open := 0
		for _, f := range fs {
			if f.Status == checks.StatusOpen {
				open++
			}
		}
		o.findings.SetText(fmt.Sprintf("%d open of %d", open, len(fs)))
	}

	// SL-A comes from the 62443-3-3 zone checklist, for zones assessed.
	sla, err := ws.AchievedLevels(checklist.IEC62443_3_3_2013)
	if err != nil {
		sla = nil
	}
	objs := []fyne.CanvasObject{heading("Zone"), heading("SL-T · SL-A")}
	for _, z := range zones {
		ref := assets.Ref{Kind: "zone", ID: z.ID}
		b := widget.NewButton(z.Name, func() { o.s.reveal(ref) })
		b.Alignment = widget.ButtonAlignLeading
		b.Importance = widget.LowImportance
		text := "SL-T " + z.SLT.String()
		if v, ok := sla[z.ID]; ok {
			text += "  ·  SL-A " + v.String()
			if short := shortfall(z.SLT, v); short != "" {
				text += "  ·  below target in " + short
			}
		} else {
			text += "  ·  SL-A not assessed"
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		objs = append(objs, b, l)
	}
	o.levels.Objects = objs
	o.levels.Refresh()
	o.changes.refresh()
}

// shortfall names the FRs whose achieved level is below the target.
func shortfall(target, achieved assets.SLVector) string {
	var out []string
	for i, fr := range assets.FRs {
		if achieved[i] < target[i] {
			out = append(out, fr.String())
		}
	}
	return strings.Join(out, ", ")
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func (o *overviewScreen) load(a assets.Audit) {
	o.loading = true
	defer func() { o.loading = false }()
	o.cur = a
	o.title.set(a.Title)
	o.site.set(a.Site)
	o.owner.set(a.Owner)
	o.location.set(a.Location)
	o.start.set(a.StartDate)
	o.end.set(a.EndDate)
	o.auditors.set(strings.Join(a.Auditors, "\n"))
	o.scope.set(a.Scope)
	o.standards.set(strings.Join(a.Standards, "\n"))
	o.classification.set(a.Classification)
	o.reviewed.set(a.ReviewedAt)
	o.metNeedsEvidence.SetChecked(a.MetNeedsEvidence)
}

func (o *overviewScreen) commit() {
	if o.ed != nil {
		o.ed.commit()
	}
}

// restoreDraft puts the audit description's unsaved input back.
func (o *overviewScreen) restoreDraft(key string, fields map[string]string) bool {
	if key != "audit" {
		return false
	}
	o.load(o.s.ws.Audit())
	o.ed.restore(fields)
	return true
}

// edited is the audit description as the form shows it.
func (o *overviewScreen) edited() assets.Audit {
	a := o.cur
	a.Title = strings.TrimSpace(o.title.Text)
	a.Site = strings.TrimSpace(o.site.Text)
	a.Owner = strings.TrimSpace(o.owner.Text)
	a.Location = strings.TrimSpace(o.location.Text)
	a.StartDate = strings.TrimSpace(o.start.Text)
	a.EndDate = strings.TrimSpace(o.end.Text)
	a.Auditors = lines(o.auditors.Text)
	a.Scope = o.scope.Text
	a.Standards = lines(o.standards.Text)
	a.Classification = strings.TrimSpace(o.classification.Text)
	a.ReviewedAt = strings.TrimSpace(o.reviewed.Text)
	a.MetNeedsEvidence = o.metNeedsEvidence.Checked
	if len(a.Auditors) == 0 && len(o.cur.Auditors) == 0 {
		a.Auditors = o.cur.Auditors
	}
	if len(a.Standards) == 0 && len(o.cur.Standards) == 0 {
		a.Standards = o.cur.Standards
	}
	return a
}
