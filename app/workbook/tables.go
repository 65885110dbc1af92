package workbook

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// source is what an export reads from the workspace.
type source struct {
	w         *app.Workspace
	audit     assets.Audit
	findings  []checks.Finding
	answers   []checklist.Answer
	templates map[string]*checklist.Template
	zones     map[string]string // zone ID to name
	conduits  map[string]string
	evidence  map[string]bool         // live evidence IDs
	owned     map[assets.Ref][]string // evidence IDs by the record they belong to
	day       time.Time               // findings judged against
	modified  time.Time               // the data date
	version   string
}

func read(ctx context.Context, w *app.Workspace, opts Options) (*source, error) {
	s := &source{w: w, day: opts.Date, version: strings.TrimSpace(opts.Version)}
	if s.day.IsZero() {
		s.day = time.Now()
	}
	var err error
	// Findings first: bringing them up to date may write, and the data
	// date read below must include that write.
	if s.findings, err = w.CurrentFindings(ctx, s.day); err != nil {
		return nil, fmt.Errorf("workbook: findings: %w", err)
	}
	s.audit = w.Audit()
	if s.answers, err = w.Answers(""); err != nil {
		return nil, fmt.Errorf("workbook: checklist answers: %w", err)
	}
	ts, err := w.Templates()
	if err != nil {
		return nil, fmt.Errorf("workbook: checklist templates: %w", err)
	}
	s.templates = map[string]*checklist.Template{}
	for _, t := range ts {
		s.templates[t.ID] = t
	}
	s.zones = map[string]string{}
	for _, z := range w.Zones() {
		s.zones[z.ID] = z.Name
	}
	s.conduits = map[string]string{}
	for _, c := range w.Conduits() {
		s.conduits[c.ID] = c.Name
	}
	ev, err := store.All[assets.Evidence](w.Store(), store.KindEvidence)
	if err != nil {
		return nil, fmt.Errorf("workbook: evidence: %w", err)
	}
	s.evidence, s.owned = map[string]bool{}, map[assets.Ref][]string{}
	for _, e := range ev {
		s.evidence[e.ID] = true
		s.owned[e.Owner] = append(s.owned[e.Owner], e.ID)
	}
	if c := w.Store().Clock(); !c.IsZero() {
		s.modified = c.Time()
	} else {
		s.modified = s.day
	}
	s.modified = s.modified.UTC().Truncate(time.Second)
	return s, ctx.Err()
}

// table is one sheet: a header and rows of cells, each a string or an int.
type table struct {
	name   string
	header []string
	rows   [][]any
	// widths caps how wide each column may grow (in characters); the
	// width itself follows the longest cell.
	widths []float64
	// about marks the About sheet: a key column and a value column, no
	// filter.
	about bool
}

// Columns of the Findings sheet, in order; docs/workbook.md explains each.
var findingColumns = []struct {
	name  string
	width float64
}{
	{"ID", 34}, {"Severity", 10}, {"Status", 10}, {"Title", 60}, {"Subject type", 12}, {"Subject", 30},
	{"Related", 30}, {"Requirements", 30}, {"Recommendation", 60}, {"Owner", 20}, {"Due", 12},
	{"First raised", 12}, {"Last changed", 12}, {"Source", 30}, {"Detail", 60}, {"Justification", 40},
	{"Resolution", 30}, {"Evidence", 9}, {"Notes", 50},
}

// Columns of the Answers sheet.
var answerColumns = []struct {
	name  string
	width float64
}{
	{"Standard", 22}, {"Checklist", 40}, {"Item", 14}, {"Item title", 50}, {"Zone", 30}, {"Status", 14},
	{"Maturity", 9}, {"Note", 60}, {"Evidence", 9}, {"Answered by", 20}, {"Answered at", 22},
}

// Programme is what the Zone column of the Answers sheet says for an
// answer to a programme template (answered once per audit).
const Programme = "Programme"

func newTable(name string, cols []struct {
	name  string
	width float64
}) *table {
	t := &table{name: name}
	for _, c := range cols {
		t.header = append(t.header, c.name)
		t.widths = append(t.widths, c.width)
	}
	return t
}

func (s *source) findingsTable() *table {
	t := newTable("Findings", findingColumns)
	t.rows = make([][]any, 0, len(s.findings))
	for i := range s.findings {
		f := &s.findings[i]
		var related []string
		for _, r := range f.Related {
			related = append(related, r.Kind+": "+s.name(r, ""))
		}
		t.rows = append(t.rows, []any{
			f.ID, f.Severity.String(), string(f.Status), f.Title, f.Subject.Kind, s.name(f.Subject, f.SubjectName),
			strings.Join(related, "; "), strings.Join(f.References, "; "), f.Recommendation, f.Owner, f.Due,
			date(firstVersion(f.Meta)), date(f.Version.Time()), raisedBy(f), f.Detail, f.Justification,
			f.Resolution, s.evidenceCount(f.Evidence, assets.Ref{Kind: "finding", ID: f.ID}), f.Notes,
		})
	}
	return t
}

func (s *source) answersTable() *table {
	t := newTable("Answers", answerColumns)
	t.rows = make([][]any, 0, len(s.answers))
	for i := range s.answers {
		a := &s.answers[i]
		standard, checklistTitle, itemTitle := "", a.Template, ""
		if tp := s.templates[a.Template]; tp != nil {
			standard, checklistTitle = tp.Standard, tp.Title
			if it := tp.Item(a.Item); it != nil {
				itemTitle = it.Title
			}
		}
		zone := Programme
		if a.Zone != "" {
			zone = s.name(assets.Ref{Kind: "zone", ID: a.Zone}, "")
		}
		maturity := ""
		if a.Maturity > 0 {
			maturity = fmt.Sprintf("ML%d", a.Maturity)
		}
		t.rows = append(t.rows, []any{
			standard, checklistTitle, a.Item, itemTitle, zone, a.Status.Label(), maturity, a.Note,
			s.evidenceCount(a.Evidence, assets.Ref{Kind: "answer", ID: a.ID}), a.AnsweredBy, a.AnsweredAt,
		})
	}
	return t
}

// aboutTable says what the workbook is, of which audit, as of when.
func (s *source) aboutTable() *table {
	a := s.audit
	var open, accepted, closed int
	bySeverity := map[checks.Severity]int{}
	for _, f := range s.findings {
		switch f.Status {
		case checks.StatusOpen:
			open++
			bySeverity[f.Severity]++
		case checks.StatusAccepted:
			accepted++
		default:
			closed++
		}
	}
	var sev []string
	for _, v := range slices.Backward(checks.Severities) {
		sev = append(sev, fmt.Sprintf("%d %s", bySeverity[v], v))
	}
	classification := a.Classification
	if strings.TrimSpace(classification) == "" {
		classification = assets.DefaultClassification
	}
	dates := a.StartDate
	if a.EndDate != "" && a.EndDate != a.StartDate {
		dates = strings.TrimSpace(dates + " to " + a.EndDate)
	}
	generator := "Zonewalk"
	if s.version != "" {
		generator += " " + s.version
	}
	t := &table{name: "About", header: []string{"Findings and checklist answers", ""}, widths: []float64{26, 100}, about: true}
	for _, kv := range [][2]string{
		{"Classification", classification},
		{"Audit", a.Title},
		{"Site", a.Site},
		{"Asset owner", a.Owner},
		{"Location", a.Location},
		{"Audit dates", dates},
		{"Auditors", strings.Join(a.Auditors, ", ")},
		{"Data as of", s.modified.Format("2006-01-02 15:04:05") + " UTC"},
		{"Findings judged on", s.day.Format(time.DateOnly)},
		{"Findings", fmt.Sprintf("%d: %d open, %d accepted, %d closed", len(s.findings), open, accepted, closed)},
		{"Open findings by severity", strings.Join(sev, ", ")},
		{"Checklist answers", fmt.Sprint(len(s.answers))},
		{"Sheets", "Findings: one row per finding, open first, most severe first. " +
			"Answers: one row per checklist answer. Every text cell is plain text, never a formula."},
		{"Generated by", generator},
	} {
		t.rows = append(t.rows, []any{kv[0], kv[1]})
	}
	return t
}

// name is what a record is called now: its current name, else the name
// the finding recorded, else its ID.
func (s *source) name(r assets.Ref, recorded string) string {
	var n string
	var ok bool
	switch r.Kind {
	case "zone":
		n, ok = s.zones[r.ID]
	case "conduit":
		n, ok = s.conduits[r.ID]
	case "asset":
		var a assets.Asset
		if a, ok = s.w.Asset(r.ID); ok {
			n = a.Title()
		}
	case "audit":
		n, ok = firstNonEmpty(s.audit.Title, s.audit.Site), r.ID == s.audit.ID
	}
	if ok && strings.TrimSpace(n) != "" {
		return n
	}
	if strings.TrimSpace(recorded) != "" {
		return recorded
	}
	if r.Kind == "zone" && !ok {
		return "deleted zone " + r.ID
	}
	return r.ID
}

// evidenceCount counts the live evidence a record lists or that belongs
// to it, each piece once.
func (s *source) evidenceCount(ids []string, owner assets.Ref) int {
	seen := map[string]bool{}
	for _, e := range slices.Concat(ids, s.owned[owner]) {
		if s.evidence[e] {
			seen[e] = true
		}
	}
	return len(seen)
}

// raisedBy names what raised a finding.
func raisedBy(f *checks.Finding) string {
	switch f.Source {
	case checks.SourceRule:
		return "model check " + f.RuleID
	case checks.SourceChecklist:
		return strings.TrimSpace("checklist " + f.Template + " " + f.Item)
	}
	return "auditor"
}

// firstVersion is when the oldest version a record remembers was written:
// the record's creation unless it changed more than assets.MaxHistory
// times since.
func firstVersion(m assets.Meta) time.Time {
	if n := len(m.Prev); n > 0 {
		return m.Prev[n-1].Time()
	}
	return m.Version.Time()
}

// date writes a day as ISO text, UTC; the zero time (never written) as "".
func date(t time.Time) string {
	if t.IsZero() || t.Unix() == 0 {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
