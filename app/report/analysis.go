package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// programResult is a 62443-2-1 checklist as answered in this audit.
type programResult struct {
	t       *checklist.Template
	score   *checklist.ProgramScore
	answers map[string]*checklist.Answer // by item ID
}

// analysis is the records with everything the sections look up: scores,
// lookups by zone, finding numbers and where each piece of evidence goes.
type analysis struct {
	*records
	zoneByID     map[string]*assets.Zone
	assetsByZone map[string][]*assets.Asset // "" for unassigned
	zoneTmpl     *checklist.Template
	zoneScores   map[string]*checklist.ZoneScore
	zoneAnswers  map[string]map[string]*checklist.Answer // zone ID → item ID → answer
	assessed     map[string]bool                         // zones with at least one 3-3 verdict
	programs     []programResult
	unknownTmpl  []string // templates answered that Zonewalk cannot score
	findings     []checks.Finding
	findingNo    map[string]string // finding ID → "F-07"
	places       []string          // evidence places in document order
	byPlace      map[string][]*assets.Evidence
}

// Evidence places: where a piece of evidence is shown.
const (
	placeAudit    = "audit"
	placeConduits = "conduits"
	placeOther    = "other"
)

func placeZone(id string) string               { return "zone:" + id }
func placeSection(t, s string) string          { return "spe:" + t + "\x00" + s }
func placeFinding(id string) string            { return "finding:" + id }
func placeZoneUnassigned() string              { return placeZone("") }
func answerKey(tmpl, item, zone string) string { return tmpl + "\x00" + item + "\x00" + zone }

func analyse(r *records) (*analysis, error) {
	a := &analysis{records: r, zoneByID: map[string]*assets.Zone{}, assetsByZone: map[string][]*assets.Asset{},
		zoneScores: map[string]*checklist.ZoneScore{}, zoneAnswers: map[string]map[string]*checklist.Answer{}, assessed: map[string]bool{},
		findingNo: map[string]string{}, byPlace: map[string][]*assets.Evidence{}}
	for i := range r.zones {
		a.zoneByID[r.zones[i].ID] = &r.zones[i]
	}
	for _, as := range r.assets {
		z := as.Zone
		if _, ok := a.zoneByID[z]; !ok {
			z = ""
		}
		a.assetsByZone[z] = append(a.assetsByZone[z], as)
	}

	// Newest answer per (template, item, zone): answer IDs are derived from
	// those three, so there is normally one record each; versions break ties.
	latest := map[string]*checklist.Answer{}
	for i := range r.answers {
		an := &r.answers[i]
		k := answerKey(an.Template, an.Item, an.Zone)
		if prev, ok := latest[k]; ok && prev.Version.Compare(an.Version) >= 0 {
			continue
		}
		latest[k] = an
	}
	answered := map[string]bool{}
	for _, an := range latest {
		answered[an.Template] = true
	}
	a.zoneTmpl = checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	if a.zoneTmpl == nil {
		return nil, fmt.Errorf("report: built-in template %s missing", checklist.IEC62443_3_3_2013)
	}
	for _, an := range latest {
		if an.Template == a.zoneTmpl.ID && an.Zone != "" {
			if an.Status != checklist.StatusNotAssessed {
				a.assessed[an.Zone] = true
			}
			if a.zoneAnswers[an.Zone] == nil {
				a.zoneAnswers[an.Zone] = map[string]*checklist.Answer{}
			}
			a.zoneAnswers[an.Zone][an.Item] = an
		}
	}
	for _, z := range r.zones {
		s, err := checklist.ScoreZoneWith(a.zoneTmpl, z.ID, z.SLT, r.answers, r.scoreOpts)
		if err != nil {
			return nil, fmt.Errorf("report: score zone %q: %w", z.Name, err)
		}
		a.zoneScores[z.ID] = s
	}

	// Program checklists answered in this audit, built-in ones first; when
	// none is, the current edition of 62443-2-1 is shown as not assessed.
	var programs []*checklist.Template
	for _, t := range checklist.Builtin() {
		if t.Kind == checklist.KindProgram && answered[t.ID] {
			programs = append(programs, t)
		}
	}
	var ids []string
	for id, t := range r.templates {
		switch {
		case t == nil:
			a.unknownTmpl = append(a.unknownTmpl, id)
		case checklist.BuiltinByID(id) == nil && t.Kind == checklist.KindProgram && answered[id]:
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	slices.Sort(a.unknownTmpl)
	for _, id := range ids {
		programs = append(programs, r.templates[id])
	}
	if len(programs) == 0 {
		programs = append(programs, checklist.BuiltinByID(checklist.IEC62443_2_1_2024))
	}
	for _, t := range programs {
		s, err := checklist.ScoreProgramWith(t, r.answers, r.scoreOpts)
		if err != nil {
			return nil, fmt.Errorf("report: score %s: %w", t.ID, err)
		}
		pr := programResult{t: t, score: s, answers: map[string]*checklist.Answer{}}
		for _, an := range latest {
			if an.Template == t.ID && an.Zone == "" {
				pr.answers[an.Item] = an
			}
		}
		a.programs = append(a.programs, pr)
	}
	a.findings = slices.Clone(r.findings)
	checks.SortFindings(a.findings)
	for i, f := range a.findings {
		a.findingNo[f.ID] = fmt.Sprintf("F-%02d", i+1)
	}
	a.placeEvidence()
	return a, nil
}

// placeEvidence decides where each piece of evidence is shown: with the
// finding, checklist section, zone (its own, or its asset's) or conduit
// list it is attached to; anything else in the appendix.
func (a *analysis) placeEvidence() {
	assetZone := map[string]string{}
	for _, as := range a.assets {
		z := as.Zone
		if _, ok := a.zoneByID[z]; !ok {
			z = ""
		}
		assetZone[as.ID] = z
	}
	conduitIDs := map[string]bool{}
	for _, c := range a.conduits {
		conduitIDs[c.ID] = true
	}
	answerByID := map[string]*checklist.Answer{}
	for i := range a.answers {
		answerByID[a.answers[i].ID] = &a.answers[i]
	}
	live := map[string]bool{}
	for _, f := range a.findings {
		live[f.ID] = true
	}
	for i := range a.evidence {
		ev := &a.evidence[i]
		p := placeOther
		switch ev.Owner.Kind {
		case "audit":
			p = placeAudit
		case "zone":
			if _, ok := a.zoneByID[ev.Owner.ID]; ok {
				p = placeZone(ev.Owner.ID)
			}
		case "asset":
			if z, ok := assetZone[ev.Owner.ID]; ok {
				p = placeZone(z)
			}
		case "conduit":
			if conduitIDs[ev.Owner.ID] {
				p = placeConduits
			}
		case "answer":
			if an := answerByID[ev.Owner.ID]; an != nil {
				if an.Zone != "" {
					if _, ok := a.zoneByID[an.Zone]; ok {
						p = placeZone(an.Zone)
					}
				} else if t := a.template(an.Template); t != nil {
					if it := t.Item(an.Item); it != nil {
						p = placeSection(t.ID, it.Section)
					}
				}
			}
		case "finding":
			if live[ev.Owner.ID] {
				p = placeFinding(ev.Owner.ID)
			}
		}
		a.byPlace[p] = append(a.byPlace[p], ev)
	}
	// Document order, the order photos are prepared in.
	a.places = append(a.places, placeAudit, placeConduits)
	for _, z := range a.zones {
		a.places = append(a.places, placeZone(z.ID))
	}
	a.places = append(a.places, placeZoneUnassigned())
	for _, pr := range a.programs {
		for _, s := range pr.t.Sections {
			a.places = append(a.places, placeSection(pr.t.ID, s.ID))
		}
	}
	for _, f := range a.findings {
		a.places = append(a.places, placeFinding(f.ID))
	}
	a.places = append(a.places, placeOther)
	// A section not printed (a template not shown) sends its evidence to
	// the appendix rather than dropping it.
	known := map[string]bool{}
	for _, p := range a.places {
		known[p] = true
	}
	for p, evs := range a.byPlace {
		if !known[p] {
			a.byPlace[placeOther] = append(a.byPlace[placeOther], evs...)
			delete(a.byPlace, p)
		}
	}
	slices.SortFunc(a.byPlace[placeOther], func(x, y *assets.Evidence) int {
		return cmp.Or(cmp.Compare(x.Name, y.Name), cmp.Compare(x.ID, y.ID))
	})
}

// openFindings are the findings still to act on (open or accepted).
func (a *analysis) openFindings() []checks.Finding {
	var out []checks.Finding
	for _, f := range a.findings {
		if f.Status != checks.StatusClosed {
			out = append(out, f)
		}
	}
	return out
}

// zoneName names a zone ID for tables; conduits may lead outside the
// system under consideration (an empty end).
func (a *analysis) zoneName(id string) string {
	if id == "" {
		return "(outside)"
	}
	if z, ok := a.zoneByID[id]; ok {
		return z.Name
	}
	return "(deleted zone)"
}

// subject says what a finding is about.
func (a *analysis) subject(f *checks.Finding) string {
	name := strings.TrimSpace(f.SubjectName)
	if name == "" {
		switch f.Subject.Kind {
		case "zone":
			name = a.zoneName(f.Subject.ID)
		case "audit":
			name = "the audit"
		default:
			name = f.Subject.ID
		}
	}
	if f.Subject.Kind == "" || f.Subject.Kind == "audit" {
		return name
	}
	return f.Subject.Kind + " " + name
}

// template returns a template answered in this audit, or a built-in one.
func (a *analysis) template(id string) *checklist.Template {
	if t := a.templates[id]; t != nil {
		return t
	}
	return checklist.BuiltinByID(id)
}
