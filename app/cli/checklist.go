package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

func init() {
	register("checklist", "list checklist templates, answer items, score the programme and zones (SL-A)", runChecklist)
}

const checklistUsage = `list [--workspace DIR] [--format table|json]
       zonewalk checklist answer --workspace DIR --template ID --item ID --status met|compensated|partial|not-met|na|not-assessed [--maturity N] [--note TEXT] [--zone NAME | --conduit NAME | --component ID|TAG] [--evidence ID,…] [--countermeasure ID]…
       zonewalk checklist score --workspace DIR [--template ID] [--zone NAME | --conduit NAME] [--format table|json]
       zonewalk checklist import FILE.yaml --workspace DIR
       zonewalk checklist settings --workspace DIR [--met-needs-evidence on|off] [--conduit-items "SR 1.13,SR 5.1,…" | --conduit-items default]`

func runChecklist(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "checklist", checklistUsage)
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "list and score: table or json")
	tplID := fs.String("template", "", "template ID (see checklist list) or its standard, e.g. \"IEC 62443-3-3:2013\"")
	item := fs.String("item", "", "answer: item ID as the standard numbers it, e.g. \"SR 5.2 RE 1\" or \"ORG 1.3\"")
	status := fs.String("status", "", "answer: met, compensated (met by compensating countermeasure), partial, not-met, na or not-assessed")
	maturity := fs.Int("maturity", 0, "answer: maturity level 1–4 (IEC 62443-2-1:2024 only)")
	note := fs.String("note", "", "answer: the auditor's note; the reason, required, for na and compensated")
	zone := fs.String("zone", "", "zone name (or ID): required to answer zone checklists; score only this zone")
	conduit := fs.String("conduit", "", "conduit name (or ID): answer a conduit item of a zone checklist for this conduit; score only this conduit")
	component := fs.String("component", "", "answer a 62443-4-2 item for this capability record: its ID, its asset's tag, or its vendor and model")
	evidence := fs.String("evidence", "", "answer: comma-separated evidence record IDs")
	metEvidence := fs.String("met-needs-evidence", "", "settings: on makes a Met answer without evidence count as not assessed; off (the default) does not")
	conduitItems := fs.String("conduit-items", "", `settings: the 3-3 SRs answered per conduit, comma-separated, or "default"`)
	var countermeasures listFlag
	fs.Var(&countermeasures, "countermeasure", "answer with --status compensated: countermeasure ID (or name) that compensates; repeatable, or comma-separated")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: list, answer, score or import FILE.yaml")
	}
	sub := pos[0]
	switch sub {
	case "list", "score":
		if len(pos) != 1 {
			return usageError("%s takes no arguments", sub)
		}
		if err := checkFormat(*format, "table", "json"); err != nil {
			return err
		}
		if sub == "score" && *zone != "" && *conduit != "" {
			return usageError("score one zone or one conduit: give --zone or --conduit, not both")
		}
	case "answer":
		if len(pos) != 1 {
			return usageError("answer takes no arguments")
		}
		if *tplID == "" || *item == "" || *status == "" {
			return usageError("answer needs --template, --item and --status")
		}
		if *zone != "" && *conduit != "" {
			return usageError("answer is for one zone or one conduit: give --zone or --conduit, not both")
		}
	case "import":
		if len(pos) != 2 {
			return usageError("import takes one template file")
		}
	case "settings":
		if len(pos) != 1 {
			return usageError("settings takes no arguments")
		}
		if *metEvidence != "" && *metEvidence != "on" && *metEvidence != "off" {
			return usageError("--met-needs-evidence: want on or off, not %q", *metEvidence)
		}
	default:
		return usageError("unknown subcommand %q: want list, answer, score, settings or import", sub)
	}
	if sub == "list" && wf.dir == "" {
		return listTemplates(env.Stdout, checklist.Builtin(), *format)
	}
	open := wf.open
	if sub == "list" || sub == "score" {
		open = wf.openToRead
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	switch sub {
	case "list":
		ts, err := w.Templates()
		if err != nil {
			fmt.Fprintf(env.Stderr, "warning: %s\n", term(err.Error()))
		}
		return listTemplates(env.Stdout, ts, *format)
	case "import":
		data, err := os.ReadFile(pos[1])
		if err != nil {
			return err
		}
		t, err := w.AddTemplate(pos[1], data)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "imported template %s revision %d: %q, %d items\n", term(t.ID), t.Revision, t.Title, len(t.Items()))
		return nil
	case "settings":
		return checklistSettings(env.Stdout, w, *metEvidence, *conduitItems)
	case "answer":
		return answerItem(env, w, answerArgs{tpl: *tplID, item: *item, status: *status, maturity: *maturity, note: *note,
			zone: *zone, conduit: *conduit, component: *component, evidence: *evidence, countermeasures: countermeasures})
	}
	return score(env, w, *tplID, *zone, *conduit, *format)
}

// commaItems splits a comma-separated flag value into its non-empty,
// trimmed items.
func commaItems(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// checklistSettings changes the audit's checklist settings that are given
// and prints them all.
func checklistSettings(out io.Writer, w *app.Workspace, metEvidence, conduitItems string) error {
	if metEvidence != "" {
		a := w.Audit()
		a.MetNeedsEvidence = metEvidence == "on"
		if _, err := w.SaveAudit(a); err != nil {
			return err
		}
	}
	if conduitItems != "" {
		var srs []string
		if conduitItems != "default" {
			srs = commaItems(conduitItems)
		}
		if _, err := w.SetConduitItems(srs); err != nil {
			return err
		}
	}
	a := w.Audit()
	fmt.Fprintf(out, "met needs evidence: %s\n", map[bool]string{true: "on", false: "off"}[a.MetNeedsEvidence])
	srs, which := a.ConduitSRs, "set for this audit"
	if len(srs) == 0 {
		srs, which = checklist.DefaultConduitItems(), "default"
	}
	fmt.Fprintf(out, "conduit items (%s): %s\n", which, term(strings.Join(srs, ", ")))
	return nil
}

// findComponent finds a capability record by ID, by its subject as
// `capability list` shows it ("vendor model"), or by its asset's tag.
func findComponent(w *app.Workspace, ref string) (assets.Capability, error) {
	caps, err := w.Capabilities()
	if err != nil {
		return assets.Capability{}, err
	}
	for _, cp := range caps {
		if cp.ID == ref || w.CapabilitySubject(&cp) == ref {
			return cp, nil
		}
		if a, ok := w.Asset(cp.Asset); ok && cp.Asset != "" && strings.EqualFold(a.Tag, ref) {
			return cp, nil
		}
	}
	return assets.Capability{}, fmt.Errorf("no capability record for %q (see zonewalk capability list): %w", ref, store.ErrNotFound)
}

func listTemplates(out io.Writer, ts []*checklist.Template, format string) error {
	if format == "json" {
		type row struct {
			ID       string `json:"id"`
			Title    string `json:"title"`
			Standard string `json:"standard"`
			Kind     string `json:"kind"`
			Maturity bool   `json:"maturity"`
			Revision int    `json:"revision"`
			Items    int    `json:"items"`
			Builtin  bool   `json:"builtin"`
		}
		rows := make([]row, len(ts))
		for i, t := range ts {
			rows[i] = row{t.ID, t.Title, t.Standard, string(t.Kind), t.Maturity, t.Revision, len(t.Items()), checklist.BuiltinByID(t.ID) == t}
		}
		return writeJSON(out, rows)
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTANDARD\tANSWERED\tITEMS\tTITLE")
	for _, t := range ts {
		per := "per audit"
		switch t.Kind {
		case checklist.KindZone:
			per = "per zone"
		case checklist.KindComponent:
			per = "per component"
		}
		if t.Maturity {
			per += ", ML1–4"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", term(t.ID), term(t.Standard), per, len(t.Items()), term(t.Title))
	}
	return tw.Flush()
}

// findTemplate accepts a template ID or its standard, ignoring case.
func findTemplate(w *app.Workspace, ref string) (*checklist.Template, error) {
	if t, err := w.Template(ref); err == nil {
		return t, nil
	}
	ts, _ := w.Templates()
	var ids []string
	for _, t := range ts {
		if strings.EqualFold(t.ID, strings.TrimSpace(ref)) || strings.EqualFold(t.Standard, strings.TrimSpace(ref)) {
			return t, nil
		}
		ids = append(ids, t.ID)
	}
	return nil, fmt.Errorf("%w: %q (known: %s)", app.ErrUnknownTemplate, ref, strings.Join(ids, ", "))
}

// findZone accepts a zone name (ignoring case) or ID.
func findZone(w *app.Workspace, ref string) (assets.Zone, error) {
	if z, ok := w.ZoneByName(ref); ok {
		return z, nil
	}
	if z, ok := w.Zone(ref); ok {
		return z, nil
	}
	return assets.Zone{}, fmt.Errorf("no zone named %q", ref)
}

// findConduit accepts a conduit name (ignoring case) or ID.
func findConduit(w *app.Workspace, ref string) (assets.Conduit, error) {
	for _, c := range w.Conduits() {
		if strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(ref)) {
			return c, nil
		}
	}
	if c, ok := w.Conduit(ref); ok {
		return c, nil
	}
	return assets.Conduit{}, fmt.Errorf("no conduit named %q", ref)
}

// countermeasureIDs turns --countermeasure values (IDs or names, repeated
// or comma-separated) into IDs. A value that names nothing is passed on as
// an ID, so the answer is refused with the value in the message.
func countermeasureIDs(w *app.Workspace, values []string) ([]string, error) {
	var refs []string
	for _, v := range values {
		refs = append(refs, commaItems(v)...)
	}
	if len(refs) == 0 {
		return nil, nil
	}
	all, err := w.Countermeasures()
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(refs))
	for _, r := range refs {
		id := r
		for _, cm := range all {
			if cm.ID == r {
				id = cm.ID
				break
			}
			if strings.EqualFold(strings.TrimSpace(cm.Name), r) {
				id = cm.ID
			}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

type answerArgs struct {
	tpl, item, status   string
	maturity            int
	note, zone, conduit string
	component           string
	evidence            string
	countermeasures     []string
}

func answerItem(env *Env, w *app.Workspace, args answerArgs) error {
	t, err := findTemplate(w, args.tpl)
	if err != nil {
		return err
	}
	st, err := checklist.ParseStatus(args.status)
	if err != nil {
		return usageError("%v", err)
	}
	in := app.AnswerInput{Template: t.ID, Item: strings.TrimSpace(args.item), Status: st, Maturity: args.maturity, Note: args.note}
	where := ""
	switch {
	case args.zone != "":
		z, err := findZone(w, args.zone)
		if err != nil {
			return err
		}
		in.Zone, where = z.ID, fmt.Sprintf(" in zone %q", z.Name)
	case args.conduit != "":
		c, err := findConduit(w, args.conduit)
		if err != nil {
			return err
		}
		in.Conduit, where = c.ID, fmt.Sprintf(" on conduit %q", c.Name)
	case args.component != "":
		cp, err := findComponent(w, args.component)
		if err != nil {
			return err
		}
		in.Component, where = cp.ID, fmt.Sprintf(" for %s", w.CapabilitySubject(&cp))
	}
	in.Evidence = commaItems(args.evidence)
	if in.Countermeasures, err = countermeasureIDs(w, args.countermeasures); err != nil {
		return err
	}
	if t.Item(in.Item) == nil {
		return fmt.Errorf("%s has no item %q (items are numbered as in the standard, e.g. %q)", t.ID, in.Item, t.Items()[0].ID)
	}
	a, err := w.AnswerItem(in)
	if err != nil {
		return err
	}
	ml := ""
	if a.Maturity > 0 {
		ml = fmt.Sprintf(", ML%d", a.Maturity)
	}
	by := ""
	if len(a.Countermeasures) > 0 {
		var names []string
		for _, id := range a.Countermeasures {
			if cm, err := w.Countermeasure(id); err == nil {
				names = append(names, cm.Name)
			}
		}
		by = " (" + strings.Join(names, ", ") + ")"
	}
	fmt.Fprintf(env.Stdout, "%s %s%s: %s%s%s\n", term(t.Standard), term(a.Item), term(where), term(a.Status.Label()), term(by), ml)
	return nil
}

// Score output as JSON: plain values, no template text.
type (
	programJSON struct {
		Template    string            `json:"template"`
		Standard    string            `json:"standard"`
		Sections    []sectionJSON     `json:"sections"`
		Overall     sectionJSON       `json:"overall"`
		Compensated []compensatedJSON `json:"compensated"`
		NoEvidence  []string          `json:"no_evidence"`
	}
	sectionJSON struct {
		ID         string        `json:"id,omitempty"`
		Title      string        `json:"title"`
		Counts     countsJSON    `json:"counts"`
		Maturity   *maturityJSON `json:"maturity,omitempty"`
		Unassessed []string      `json:"unassessed"`
	}
	countsJSON struct {
		Met         int `json:"met"` // compensated included
		Compensated int `json:"compensated"`
		Partial     int `json:"partial"`
		NotMet      int `json:"not_met"`
		NA          int `json:"na"`
		NotAssessed int `json:"not_assessed"`
	}
	maturityJSON struct {
		Levels  [checklist.MaxMaturity + 1]int `json:"levels"` // [unrated, ML1, …, ML4]
		Rated   int                            `json:"rated"`
		Average float64                        `json:"average"`
		Min     int                            `json:"min"`
	}
	zoneJSON struct {
		Template string `json:"template"`
		Zone     string `json:"zone"`
		ZoneID   string `json:"zone_id"`
		SLT      [7]int `json:"sl_t"`
		SLA      [7]int `json:"sl_a"`
		// SLC is the zone's component capability per FR (62443-4-2): the
		// lowest of its members' with information; null when none has any.
		SLC                *[7]int           `json:"sl_c"`
		DependsOnUncertain bool              `json:"depends_on_uncertain"`
		FRs                []frJSON          `json:"frs"`
		Gaps               []gapJSON         `json:"gaps"`
		Compensated        []compensatedJSON `json:"compensated"`
		NoEvidence         []string          `json:"no_evidence"`
	}
	frJSON struct {
		FR                 string `json:"fr"`
		SLT                int    `json:"sl_t"`
		SLA                int    `json:"sl_a"`
		Gap                int    `json:"gap"`
		SLALenient         int    `json:"sl_a_without_disputed_cells"`
		DependsOnUncertain bool   `json:"depends_on_uncertain"`
		Unanswered         int    `json:"unanswered"`
	}
	// conduitJSON: sl_a is null for an FR the conduit items do not cover
	// (not assessed on the conduit), never 0.
	conduitJSON struct {
		Template           string            `json:"template"`
		Conduit            string            `json:"conduit"`
		ConduitID          string            `json:"conduit_id"`
		SLT                [7]int            `json:"sl_t"`
		SLA                [7]*int           `json:"sl_a"`
		Counts             countsJSON        `json:"counts"`
		Items              []string          `json:"items"`
		DependsOnUncertain bool              `json:"depends_on_uncertain"`
		FRs                []conduitFRJSON   `json:"frs"`
		Gaps               []gapJSON         `json:"gaps"`
		Compensated        []compensatedJSON `json:"compensated"`
		NoEvidence         []string          `json:"no_evidence"`
	}
	conduitFRJSON struct {
		FR         string `json:"fr"`
		Assessed   bool   `json:"assessed"`
		SLT        int    `json:"sl_t"`
		SLA        *int   `json:"sl_a"`
		Gap        int    `json:"gap"`
		Unanswered int    `json:"unanswered"`
	}
	gapJSON struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		FR        string `json:"fr"`
		Level     int    `json:"level"`
		Status    string `json:"status"`
		Remaining int    `json:"remaining"`
		Uncertain bool   `json:"uncertain,omitempty"`
	}
	compensatedJSON struct {
		ID              string               `json:"id"`
		Title           string               `json:"title"`
		Countermeasures []countermeasureJSON `json:"countermeasures"`
		Reason          string               `json:"reason"`
		Counted         bool                 `json:"counted"`
		Missing         []string             `json:"missing,omitempty"`
		Planned         []string             `json:"planned,omitempty"`
	}
	countermeasureJSON struct {
		ID   string `json:"id"`
		Name string `json:"name"` // "" when deleted
	}
)

func toCountsJSON(c checklist.Counts) countsJSON {
	return countsJSON{Met: c.Met, Compensated: c.Compensated, Partial: c.Partial, NotMet: c.NotMet, NA: c.NA, NotAssessed: c.NotAssessed}
}

func toSectionJSON(s checklist.SectionScore, maturity bool) sectionJSON {
	out := sectionJSON{ID: s.ID, Title: s.Title, Counts: toCountsJSON(s.Counts), Unassessed: s.Unassessed}
	if out.Unassessed == nil {
		out.Unassessed = []string{}
	}
	if maturity {
		m := s.Maturity
		out.Maturity = &maturityJSON{m.Levels, m.Rated, m.Average, m.Min}
	}
	return out
}

func toCompensatedJSON(items []checklist.CompensatedItem) []compensatedJSON {
	out := []compensatedJSON{}
	for _, c := range items {
		j := compensatedJSON{ID: c.Item.ID, Title: c.Item.Title, Reason: c.Reason, Counted: c.Counted, Missing: c.Missing, Planned: c.Planned,
			Countermeasures: []countermeasureJSON{}}
		for i, id := range c.Countermeasures {
			cm := countermeasureJSON{ID: id}
			if i < len(c.Names) {
				cm.Name = c.Names[i]
			}
			j.Countermeasures = append(j.Countermeasures, cm)
		}
		out = append(out, j)
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func toGapsJSON(gaps []checklist.GapItem) []gapJSON {
	out := []gapJSON{}
	for _, g := range gaps {
		out = append(out, gapJSON{g.Item.ID, g.Item.Title, g.Item.FR.String(), g.Level, string(g.Status), g.Remaining, g.Uncertain})
	}
	return out
}

func toZoneJSON(zs *checklist.ZoneScore, name string) zoneJSON {
	out := zoneJSON{Template: zs.Template, Zone: name, ZoneID: zs.Zone, SLT: zs.SLT, SLA: zs.SLA,
		DependsOnUncertain: zs.DependsOnUncertain, Gaps: toGapsJSON(zs.Gaps),
		Compensated: toCompensatedJSON(zs.Compensated), NoEvidence: orEmpty(zs.NoEvidence)}
	for _, f := range zs.FRs {
		out.FRs = append(out.FRs, frJSON{f.FR.String(), f.SLT, f.SLA, f.Gap, f.SLALenient, f.DependsOnUncertain, f.Unanswered})
	}
	return out
}

func toConduitJSON(cs *checklist.ConduitScore, name string) conduitJSON {
	out := conduitJSON{Template: cs.Template, Conduit: name, ConduitID: cs.Conduit, SLT: cs.SLT, Counts: toCountsJSON(cs.Counts),
		Items: orEmpty(cs.Items), DependsOnUncertain: cs.DependsOnUncertain, Gaps: toGapsJSON(cs.Gaps),
		Compensated: toCompensatedJSON(cs.Compensated), NoEvidence: orEmpty(cs.NoEvidence)}
	for i, f := range cs.FRs {
		fj := conduitFRJSON{FR: f.FR.String(), Assessed: !f.NoItems, SLT: f.SLT, Gap: f.Gap, Unanswered: f.Unanswered}
		if !f.NoItems {
			sla := f.SLA
			fj.SLA, out.SLA[i] = &sla, &sla
		}
		out.FRs = append(out.FRs, fj)
	}
	return out
}

func score(env *Env, w *app.Workspace, tplRef, zoneRef, conduitRef, format string) error {
	var ts []*checklist.Template
	if tplRef != "" {
		t, err := findTemplate(w, tplRef)
		if err != nil {
			return err
		}
		ts = []*checklist.Template{t}
	} else {
		// Without --template: every template that has answers.
		all, err := w.Templates()
		if err != nil {
			fmt.Fprintf(env.Stderr, "warning: %s\n", term(err.Error()))
		}
		for _, t := range all {
			if answers, err := w.Answers(t.ID); err != nil {
				return err
			} else if len(answers) > 0 {
				ts = append(ts, t)
			}
		}
	}
	// --zone scores that zone alone, --conduit that conduit alone; neither
	// scores every zone and conduit.
	zoneCaps, err := w.ZoneCapabilities()
	if err != nil {
		return err
	}
	var zones []assets.Zone
	var conduits []assets.Conduit
	switch {
	case zoneRef != "":
		z, err := findZone(w, zoneRef)
		if err != nil {
			return err
		}
		zones = []assets.Zone{z}
	case conduitRef != "":
		c, err := findConduit(w, conduitRef)
		if err != nil {
			return err
		}
		conduits = []assets.Conduit{c}
	default:
		zones, conduits = w.Zones(), w.Conduits()
	}
	result := struct {
		Programs []programJSON `json:"programs"`
		Zones    []zoneJSON    `json:"zones"`
		Conduits []conduitJSON `json:"conduits"`
	}{Programs: []programJSON{}, Zones: []zoneJSON{}, Conduits: []conduitJSON{}}
	var programs []*checklist.ProgramScore
	var zoneScores []*checklist.ZoneScore
	var conduitScores []*checklist.ConduitScore
	var zoneNames, conduitNames []string
	tplOf := map[string]*checklist.Template{}
	answered := map[string]bool{} // template and zone or conduit scope with at least one verdict
	for _, t := range ts {
		tplOf[t.ID] = t
		answers, err := w.Answers(t.ID)
		if err != nil {
			return err
		}
		for _, a := range answers {
			if a.Status != checklist.StatusNotAssessed {
				answered[a.Template+"\x00"+a.Scope()] = true
			}
		}
		if t.Kind == checklist.KindProgram {
			if zoneRef != "" || conduitRef != "" {
				continue // a zone or conduit was asked for; programme checklists have none
			}
			ps, err := w.ScoreProgram(t.ID)
			if err != nil {
				return err
			}
			programs = append(programs, ps)
			p := programJSON{Template: t.ID, Standard: t.Standard, Overall: toSectionJSON(ps.Overall, t.Maturity),
				Compensated: toCompensatedJSON(ps.Compensated), NoEvidence: orEmpty(ps.NoEvidence)}
			for _, s := range ps.Sections {
				p.Sections = append(p.Sections, toSectionJSON(s, t.Maturity))
			}
			result.Programs = append(result.Programs, p)
			continue
		}
		if t.Kind != checklist.KindZone {
			continue // component checklists are scored as SL-C elsewhere
		}
		for _, z := range zones {
			zs, err := w.ScoreZone(t.ID, z.ID)
			if err != nil {
				return err
			}
			zoneScores = append(zoneScores, zs)
			zoneNames = append(zoneNames, z.Name)
			zj := toZoneJSON(zs, z.Name)
			if c, ok := zoneCaps[z.ID]; ok && c.Known > 0 {
				v := [7]int(c.SLC)
				zj.SLC = &v
			}
			result.Zones = append(result.Zones, zj)
		}
		if len(conduits) == 0 {
			continue
		}
		if _, err := w.ConduitItems(t.ID); err != nil {
			if conduitRef != "" {
				return err
			}
			// A user's zone template may lack the conduit SRs; a built-in
			// one only when the audit's own set is broken, which is said.
			if checklist.BuiltinByID(t.ID) == t {
				fmt.Fprintf(env.Stderr, "warning: conduits not scored: %s\n", term(err.Error()))
			}
			continue
		}
		for _, c := range conduits {
			cs, err := w.ScoreConduit(t.ID, c.ID)
			if err != nil {
				return err
			}
			conduitScores = append(conduitScores, cs)
			conduitNames = append(conduitNames, c.Name)
			result.Conduits = append(result.Conduits, toConduitJSON(cs, c.Name))
		}
	}
	if format == "json" {
		return writeJSON(env.Stdout, result)
	}
	if len(programs)+len(zoneScores)+len(conduitScores) == 0 {
		fmt.Fprintln(env.Stdout, "nothing to score: no checklist answers yet (see `zonewalk checklist answer`), or no zones")
		return nil
	}
	for _, ps := range programs {
		printProgram(env.Stdout, tplOf[ps.Template], ps)
	}
	for i, zs := range zoneScores {
		printZone(env.Stdout, tplOf[zs.Template], zoneNames[i], zs, zoneRef != "" || answered[zs.Template+"\x00"+zs.Zone])
	}
	for i, cs := range conduitScores {
		printConduit(env.Stdout, tplOf[cs.Template], conduitNames[i], cs, conduitRef != "" || answered[cs.Template+"\x00"+checklist.ConduitScope(cs.Conduit)])
	}
	return nil
}

func levels(v assets.SLVector) string {
	parts := make([]string, len(v))
	for i, l := range v {
		parts[i] = fmt.Sprint(l)
	}
	return strings.Join(parts, ",")
}

func printProgram(out io.Writer, t *checklist.Template, ps *checklist.ProgramScore) {
	fmt.Fprintf(out, "%s — %s\n", term(t.Standard), term(t.Title))
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	head := "SECTION\tMET\tPARTIAL\tNOT MET\tN/A\tOPEN"
	if t.Maturity {
		head += "\tAVG ML\tMIN ML"
	}
	fmt.Fprintln(tw, head+"\tTITLE")
	row := func(s checklist.SectionScore) {
		c := s.Counts
		id := term(s.ID)
		if id == "" {
			id = "overall"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d", id, c.Met, c.Partial, c.NotMet, c.NA, c.NotAssessed)
		if t.Maturity {
			if s.Maturity.Rated == 0 {
				fmt.Fprint(tw, "\t-\t-")
			} else {
				fmt.Fprintf(tw, "\t%.1f\t%d", s.Maturity.Average, s.Maturity.Min)
			}
		}
		fmt.Fprintf(tw, "\t%s\n", term(s.Title))
	}
	for _, s := range ps.Sections {
		row(s)
	}
	row(ps.Overall)
	tw.Flush()
	printJustifications(out, ps.Compensated, ps.NoEvidence)
	fmt.Fprintln(out)
}

func printZone(out io.Writer, t *checklist.Template, name string, zs *checklist.ZoneScore, assessed bool) {
	// SL-A is shown per FR: a one-number summary would hide the gaps.
	fmt.Fprintf(out, "%s — zone %q: SL-T %s, SL-A (%s)\n", term(t.Standard), name, term(zs.SLT.String()), levels(zs.SLA))
	if !assessed {
		fmt.Fprintf(out, "Not assessed yet: %d items apply up to the SL-T.\n\n", unanswered(zs.FRs))
		return
	}
	printFRs(out, zs.FRs)
	printGaps(out, zs.Gaps)
	printJustifications(out, zs.Compensated, zs.NoEvidence)
	fmt.Fprintln(out)
}

func unanswered(frs [len(assets.FRs)]checklist.FRScore) int {
	n := 0
	for _, f := range frs {
		n += f.Unanswered
	}
	return n
}

// printFRs is the per-FR table of a zone's or conduit's score.
func printFRs(out io.Writer, frs [len(assets.FRs)]checklist.FRScore) {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FR\tSL-T\tSL-A\tGAP\tUNANSWERED\tNOTE")
	for _, f := range frs {
		if f.NoItems {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\t-\tnot assessed on the conduit (no conduit item of this FR)\n", f.FR, f.SLT)
			continue
		}
		note := ""
		if f.DependsOnUncertain {
			note = fmt.Sprintf("depends on disputed SL cells (would be %d without them)", f.SLALenient)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\n", f.FR, f.SLT, f.SLA, f.Gap, f.Unanswered, note)
	}
	tw.Flush()
}

// conduitLevels is a conduit's SL-A with "-" for the FRs its items do not
// cover.
func conduitLevels(cs *checklist.ConduitScore) string {
	parts := make([]string, len(cs.FRs))
	for i, f := range cs.FRs {
		parts[i] = fmt.Sprint(f.SLA)
		if f.NoItems {
			parts[i] = "-"
		}
	}
	return strings.Join(parts, ",")
}

func printConduit(out io.Writer, t *checklist.Template, name string, cs *checklist.ConduitScore, assessed bool) {
	fmt.Fprintf(out, "%s — conduit %q: SL-T %s, SL-A (%s) over %d conduit items\n", term(t.Standard), name, term(cs.SLT.String()), conduitLevels(cs), len(cs.Items))
	if !assessed {
		fmt.Fprintf(out, "Not assessed yet: %d conduit items apply up to the SL-T.\n\n", unanswered(cs.FRs))
		return
	}
	printFRs(out, cs.FRs)
	printGaps(out, cs.Gaps)
	printJustifications(out, cs.Compensated, cs.NoEvidence)
	fmt.Fprintln(out)
}

func printGaps(out io.Writer, gaps []checklist.GapItem) {
	if len(gaps) == 0 {
		fmt.Fprintln(out, "No unmet requirements up to the SL-T.")
		return
	}
	fmt.Fprintln(out, "Unmet up to the SL-T, cheapest path first:")
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	for _, g := range gaps {
		flag := ""
		if g.Uncertain {
			flag = " (disputed cell)"
		}
		fmt.Fprintf(tw, "  %s\t%s\tSL%d\t%s\t%d left for %s SL%d\t%s%s\n", term(g.Item.ID), g.Item.FR, g.Level, term(g.Status.Label()),
			g.Remaining, g.Item.FR, g.Level, term(g.Item.Title), flag)
	}
	tw.Flush()
}

// printJustifications lists the items met by compensation, with what
// compensates and why, and the Met items that count as not assessed for
// want of evidence.
func printJustifications(out io.Writer, comp []checklist.CompensatedItem, noEvidence []string) {
	if len(comp) > 0 {
		fmt.Fprintln(out, "Met by compensating countermeasure:")
		for _, c := range comp {
			var names []string
			for i, id := range c.Countermeasures {
				n := id
				if i < len(c.Names) && c.Names[i] != "" {
					n = c.Names[i]
				}
				names = append(names, n)
			}
			state := ""
			switch {
			case len(c.Missing) > 0:
				state = " — NOT COUNTED: countermeasure deleted: " + strings.Join(c.Missing, ", ")
			case len(c.Planned) > 0:
				state = " — NOT COUNTED: countermeasure only planned"
			}
			fmt.Fprintf(out, "  %s by %s: %s%s\n", term(c.Item.ID), term(strings.Join(names, ", ")), term(oneLine(c.Reason)), term(state))
		}
	}
	if len(noEvidence) > 0 {
		fmt.Fprintf(out, "Met without evidence, counted as not assessed (the audit's \"Met needs evidence\" setting): %s\n", term(strings.Join(noEvidence, ", ")))
	}
}
