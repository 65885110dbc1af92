package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// changesPanel is the Overview's "Changes since the previous audit": for
// an audit started with revisit, a comparison with its baseline on demand
// and the bulk confirmation of the answers carried over.
type changesPanel struct {
	s *session

	box     *fyne.Container // hidden when the audit has no baseline
	compare *widget.Button
	counts  *widget.Label
	details *widget.Label
	charts  *fyne.Container // SL-A per FR before and after, for the zones whose levels changed
	carried *widget.Label
	confirm *widget.Button
	status  *widget.Label

	last *diff.Report // the last comparison shown
}

// changesPerSection is how many changes of each kind the panel lists.
const changesPerSection = 3

// baselinePasses holds, per session, the passphrase of an encrypted
// baseline the user typed: in memory only, never written, so that the
// report can include the changes without asking again.
var baselinePasses sync.Map // *session → []byte

// forgetBaselinePass wipes and drops a session's baseline passphrase when
// the session ends.
func forgetBaselinePass(s *session) {
	if v, ok := baselinePasses.LoadAndDelete(s); ok {
		clear(v.([]byte))
	}
}

func (c *changesPanel) build() fyne.CanvasObject {
	c.compare = widget.NewButton("Compare", func() { c.onCompare(nil) })
	c.counts = wrapped("")
	c.details = wrapped("")
	c.charts = container.NewVBox()
	c.carried = wrapped("")
	c.confirm = widget.NewButton("Confirm all carried answers…", c.askConfirm)
	c.status = wrapped("")
	c.box = container.NewVBox(heading("Changes since the previous audit"), c.compare, c.counts, c.details,
		c.charts, c.carried, c.confirm, c.status)
	c.box.Hide()
	return c.box
}

// refresh shows the panel only for a revisit, and the carried answers.
func (c *changesPanel) refresh() {
	base := c.s.ws.Baseline()
	if base == "" {
		c.box.Hide()
		return
	}
	c.compare.SetText("Compare with " + shortName(filepath.Base(base), 40))
	n := c.carriedCount()
	if n > 0 {
		c.carried.SetText(english.Count(n, "answer", "answers") + " carried over from the previous audit " +
			map[bool]string{true: "is", false: "are"}[n == 1] + " not counted until confirmed.")
		c.carried.Show()
		c.confirm.Show()
	} else {
		c.carried.Hide()
		c.confirm.Hide()
	}
	c.box.Show()
}

func (c *changesPanel) carriedCount() int {
	m, err := c.s.ws.CarriedAnswers()
	if err != nil {
		return 0
	}
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// shortName cuts a name to at most n characters, so a long folder name
// does not widen the screen.
func shortName(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// onCompare opens the baseline read-only and compares it with the audit
// in the background, asking for its passphrase when it is encrypted; then
// (if set) runs on the UI goroutine with the outcome.
func (c *changesPanel) onCompare(then func(error)) {
	pass, _ := baselinePasses.Load(c.s)
	p, _ := pass.([]byte)
	c.compareWith(p, then)
}

func (c *changesPanel) compareWith(pass []byte, then func(error)) {
	ws := c.s.ws
	var r *diff.Report
	c.compare.Disable()
	c.s.background("Comparing with the previous audit", func(ctx context.Context, report progress) error {
		report(0, 0, "Opening the previous audit read-only and comparing")
		var err error
		r, err = compareBaseline(ctx, ws, pass, time.Now())
		return err
	}, func(err error) {
		c.compare.Enable()
		switch {
		case err == nil:
			if pass != nil {
				baselinePasses.Store(c.s, pass)
			}
			c.show(r)
		case errors.Is(err, app.ErrPassphraseRequired) || errors.Is(err, app.ErrWrongPassphrase):
			baselinePasses.Delete(c.s)
			problem := ""
			if pass != nil {
				problem = "That passphrase does not open it. Try again."
			}
			c.askPassphrase(problem, then)
			return
		case errors.Is(err, context.Canceled):
			c.status.SetText("Comparison cancelled.")
		default:
			c.status.SetText("The previous audit could not be compared: " + err.Error())
		}
		if then != nil {
			then(err)
		}
	})
}

// compareBaseline opens ws's baseline read-only with pass (nil: none),
// compares it with ws as of day (today when zero) and closes it. Called
// off the UI goroutine.
func compareBaseline(ctx context.Context, ws *app.Workspace, pass []byte, day time.Time) (*diff.Report, error) {
	dir := ws.Baseline()
	if dir == "" {
		return nil, errors.New("this audit was not started from a previous one")
	}
	old, err := app.Open(ctx, dir, app.Options{Passphrase: pass, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("previous audit %s: %w", dir, err)
	}
	defer old.Close()
	return diff.Compare(ctx, old, ws, day)
}

// reportChanges is the report's "Changes since the previous audit" for
// s's audit ws: nil without a baseline, or with a note saying why the
// section is left out when the baseline cannot be opened. It uses the
// passphrase typed on the Overview, if any. Called off the UI goroutine.
func reportChanges(ctx context.Context, s *session, ws *app.Workspace, day time.Time) (*diff.Report, string) {
	if ws.Baseline() == "" {
		return nil, ""
	}
	pass, _ := baselinePasses.Load(s)
	p, _ := pass.([]byte)
	r, err := compareBaseline(ctx, ws, p, day)
	switch {
	case err == nil:
		return r, ""
	case errors.Is(err, app.ErrPassphraseRequired) || errors.Is(err, app.ErrWrongPassphrase):
		return nil, "The section \"Changes since the previous audit\" is left out: the previous audit is encrypted. " +
			"Compare with it on the Overview first to give its passphrase."
	}
	return nil, "The section \"Changes since the previous audit\" is left out: " + err.Error()
}

// askPassphrase asks for the baseline's passphrase and compares with it.
func (c *changesPanel) askPassphrase(problem string, then func(error)) {
	pass := widget.NewPasswordEntry()
	pass.SetPlaceHolder("Passphrase of the previous audit")
	msg := wrapped(problem)
	msg.Importance = widget.DangerImportance
	if problem == "" {
		msg.Hide()
	}
	content := container.NewVBox(wrapped("The previous audit in "+c.s.ws.Baseline()+" is encrypted. "+
		"Its passphrase is kept only while this audit is open."), pass, msg)
	d := dialog.NewCustomConfirm("Open the previous audit", "Compare", "Cancel", content, func(ok bool) {
		if !ok {
			c.status.SetText("Not compared: the previous audit is encrypted.")
			if then != nil {
				then(app.ErrPassphraseRequired)
			}
			return
		}
		c.compareWith([]byte(pass.Text), then)
	}, c.s.win)
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
	c.s.win.Canvas().Focus(pass)
}

// show fills the counts and the first changes of each section.
func (c *changesPanel) show(r *diff.Report) {
	c.last = r
	n := r.Counts
	zonesLevels := 0
	for _, z := range r.Zones.Changed {
		for _, f := range z.Changes {
			if f.Field == "sl_t" || f.Field == "sl_a" {
				zonesLevels++
				break
			}
		}
	}
	c.counts.SetText(fmt.Sprintf("Assets: %d added, %d removed, %d changed.\n"+
		"Zones: %d added, %d removed, %s with SL-T or SL-A changed.\n"+
		"Conduits: %d added, %d removed, %d changed.\n"+
		"Findings: %d new, %d resolved, %d still open.\n"+
		"Answers: %d changed.",
		n.Assets.Added, n.Assets.Removed, n.Assets.Changed,
		n.Zones.Added, n.Zones.Removed, english.Count(zonesLevels, "zone", "zones"),
		n.Conduits.Added, n.Conduits.Removed, n.Conduits.Changed,
		n.Findings.New, n.Findings.Resolved, n.Findings.StillOpen, n.Answers))
	c.details.SetText(changeLines(r))
	c.showCharts(r.Zones.Levels)
	c.status.SetText("Compared on " + r.Day + " with “" + r.Baseline.Title + "”.")
}

// chartsShown is how many zones' level charts the panel draws; the report
// has them all.
const chartsShown = 6

// showCharts draws SL-A per FR before and after, with SL-T now, for the
// zones whose SL-A or SL-T changed.
func (c *changesPanel) showCharts(levels []diff.ZoneLevels) {
	c.charts.RemoveAll()
	var changed []diff.ZoneLevels
	for _, z := range levels {
		if !sameLevels(z.SLABefore, z.SLAAfter) || !sameLevels(z.SLTBefore, z.SLTAfter) {
			changed = append(changed, z)
		}
	}
	if len(changed) == 0 {
		return
	}
	legend := wrapped("Achieved level (SL-A) per FR: left bar the previous audit, right bar this one, 0–4; " +
		"red mark: SL-T now. Numbers: before → after (– not assessed).")
	legend.Importance = widget.LowImportance
	c.charts.Add(legend)
	for i, z := range changed {
		if i == chartsShown {
			c.charts.Add(wrapped(fmt.Sprintf("%s more in the report.", english.Count(len(changed)-chartsShown, "zone", "zones"))))
			break
		}
		c.charts.Add(newFRChart(z.Name, z.SLTAfter,
			frSeries{name: "before", v: z.SLABefore, fill: theme.ColorNameDisabled},
			frSeries{name: "after", v: z.SLAAfter, fill: theme.ColorNamePrimary}))
	}
}

func sameLevels(a, b *assets.SLVector) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// changeLines lists the first changes of each section, one per line.
func changeLines(r *diff.Report) string {
	var out []string
	add := func(what string, items []string) {
		for i, it := range items {
			if i == changesPerSection {
				out = append(out, fmt.Sprintf("… and %d more %s", len(items)-i, what))
				break
			}
			out = append(out, it)
		}
	}
	var a []string
	for _, x := range r.Assets.Added {
		a = append(a, "Asset added: "+orID(x.Tag, x.Name, x.ID))
	}
	for _, x := range r.Assets.Removed {
		a = append(a, "Asset removed: "+orID(x.Tag, x.Name, x.ID))
	}
	for _, x := range r.Assets.Changed {
		a = append(a, "Asset changed: "+orID(x.Tag, "", x.ID)+" ("+fieldNames(x.Changes)+")")
	}
	add("asset changes", a)
	var z []string
	for _, x := range r.Zones.Added {
		z = append(z, "Zone added: "+x.Name)
	}
	for _, x := range r.Zones.Removed {
		z = append(z, "Zone removed: "+x.Name)
	}
	for _, x := range r.Zones.Changed {
		z = append(z, "Zone changed: "+x.Name+" ("+fieldNames(x.Changes)+")")
	}
	add("zone changes", z)
	var cd []string
	for _, x := range r.Conduits.Added {
		cd = append(cd, "Conduit added: "+x.Name)
	}
	for _, x := range r.Conduits.Removed {
		cd = append(cd, "Conduit removed: "+x.Name)
	}
	for _, x := range r.Conduits.Changed {
		cd = append(cd, "Conduit changed: "+x.Name+" ("+fieldNames(x.Changes)+")")
	}
	add("conduit changes", cd)
	var f []string
	for _, x := range r.Findings.New {
		f = append(f, "New finding: "+x.Title)
	}
	for _, x := range r.Findings.Resolved {
		f = append(f, "Resolved: "+x.Title)
	}
	add("finding changes", f)
	var an []string
	for _, x := range r.Answers {
		where := x.Item
		if x.Zone != "" {
			where += " in " + x.Zone
		}
		an = append(an, "Answer changed: "+where+" ("+answerState(x.Before)+" → "+answerState(x.After)+")")
	}
	add("answer changes", an)
	if len(out) == 0 {
		return "Nothing changed since the previous audit."
	}
	return strings.Join(out, "\n")
}

func orID(tag, name, id string) string {
	switch {
	case tag != "" && name != "":
		return tag + " " + name
	case tag != "":
		return tag
	case name != "":
		return name
	}
	return id
}

func fieldNames(fs []diff.FieldChange) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = strings.ReplaceAll(f.Field, "_", " ")
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func answerState(a *diff.AnswerState) string {
	if a == nil {
		return "not answered"
	}
	return a.Status
}

// askConfirm explains the bulk confirmation, then confirms.
func (c *changesPanel) askConfirm() {
	n := c.carriedCount()
	dialog.ShowCustomConfirm("Confirm all carried answers", "Confirm all", "Cancel",
		wrapped(fmt.Sprintf("This marks all %s carried over from the previous audit as confirmed for this audit, "+
			"in every checklist and zone: they count again toward SL-A and the checklist results. "+
			"Confirm them only if they still hold; otherwise review them one by one on the Checklists screen.",
			english.Count(n, "answer", "answers"))), func(ok bool) {
			if ok {
				c.confirmAll(nil)
			}
		}, c.s.win)
}

// confirmAll confirms every carried answer in the background; then (if
// set) runs on the UI goroutine with the outcome.
func (c *changesPanel) confirmAll(then func(error)) {
	ws := c.s.ws
	total := 0
	c.confirm.Disable()
	c.s.background("Confirming carried answers", func(ctx context.Context, report progress) error {
		m, err := ws.CarriedAnswers()
		if err != nil {
			return err
		}
		templates := make([]string, 0, len(m))
		for t := range m {
			templates = append(templates, t)
		}
		sort.Strings(templates)
		for i, t := range templates {
			report(i, len(templates), "Confirming "+t)
			n, err := ws.ConfirmCarried(ctx, t, "", "")
			total += n
			if err != nil {
				return err
			}
		}
		return nil
	}, func(err error) {
		c.confirm.Enable()
		if err != nil {
			c.status.SetText(fmt.Sprintf("Confirmed %s, then: %v", english.Count(total, "answer", "answers"), err))
		} else {
			c.status.SetText("Confirmed " + english.Count(total, "carried answer", "carried answers") + ".")
		}
		if total > 0 {
			c.s.changed()
		}
		c.refresh()
		if then != nil {
			then(err)
		}
	})
}
