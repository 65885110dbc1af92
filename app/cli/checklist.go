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
)

func init() {
	register("checklist", "list checklist templates, answer items, score the programme and zones (SL-A)", runChecklist)
}

const checklistUsage = `list [--workspace DIR] [--format table|json]
       zonewalk checklist answer --workspace DIR --template ID --item ID --status met|partial|not-met|na|not-assessed [--maturity N] [--note TEXT] [--zone NAME] [--evidence ID,…]
       zonewalk checklist score --workspace DIR [--template ID] [--zone NAME] [--format table|json]
       zonewalk checklist import FILE.yaml --workspace DIR`

func runChecklist(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "checklist", checklistUsage)
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "list and score: table or json")
	tplID := fs.String("template", "", "template ID (see checklist list) or its standard, e.g. \"IEC 62443-3-3:2013\"")
	item := fs.String("item", "", "answer: item ID as the standard numbers it, e.g. \"SR 5.2 RE 1\" or \"ORG 1.3\"")
	status := fs.String("status", "", "answer: met, partial, not-met, na or not-assessed")
	maturity := fs.Int("maturity", 0, "answer: maturity level 1–4 (IEC 62443-2-1:2024 only)")
	note := fs.String("note", "", "answer: the auditor's note")
	zone := fs.String("zone", "", "zone name (or ID): required to answer zone checklists; score only this zone")
	evidence := fs.String("evidence", "", "answer: comma-separated evidence record IDs")
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
	case "answer":
		if len(pos) != 1 {
			return usageError("answer takes no arguments")
		}
		if *tplID == "" || *item == "" || *status == "" {
			return usageError("answer needs --template, --item and --status")
		}
	case "import":
		if len(pos) != 2 {
			return usageError("import takes one template file")
		}
	default:
		return usageError("unknown subcommand %q: want list, answer, score or import", sub)
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
	case "answer":
		return answerItem(env, w, *tplID, *item, *status, *maturity, *note, *zone, *evidence)
	}
	return score(env, w, *tplID, *zone, *format)
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
		if t.Kind == checklist.KindZone {
			per = "per zone"
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

func answerItem(env *Env, w *app.Workspace, tplRef, item, statusText string, maturity int, note, zoneRef, evidence string) error {
	t, err := findTemplate(w, tplRef)
	if err != nil {
		return err
	}
	st, err := checklist.ParseStatus(statusText)
	if err != nil {
		return usageError("%v", err)
	}
	in := app.AnswerInput{Template: t.ID, Item: strings.TrimSpace(item), Status: st, Maturity: maturity, Note: note}
	where := ""
	if zoneRef != "" {
		z, err := findZone(w, zoneRef)
		if err != nil {
			return err
		}
		in.Zone, where = z.ID, fmt.Sprintf(" in zone %q", z.Name)
	}
	for _, e := range strings.Split(evidence, ",") {
		if e = strings.TrimSpace(e); e != "" {
			in.Evidence = append(in.Evidence, e)
		}
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
	fmt.Fprintf(env.Stdout, "%s %s%s: %s%s\n", term(t.Standard), term(a.Item), term(where), term(a.Status.Label()), ml)
	return nil
}

// Score output as JSON: plain values, no template text.
type (
	programJSON struct {
		Template string        `json:"template"`
		Standard string        `json:"standard"`
		Sections []sectionJSON `json:"sections"`
		Overall  sectionJSON   `json:"overall"`
	}
	sectionJSON struct {
		ID         string        `json:"id,omitempty"`
		Title      string        `json:"title"`
		Counts     countsJSON    `json:"counts"`
		Maturity   *maturityJSON `json:"maturity,omitempty"`
		Unassessed []string      `json:"unassessed"`
	}
	countsJSON struct {
		Met         int `json:"met"`
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
		Template           string    `json:"template"`
		Zone               string    `json:"zone"`
		ZoneID             string    `json:"zone_id"`
		SLT                [7]int    `json:"sl_t"`
		SLA                [7]int    `json:"sl_a"`
		DependsOnUncertain bool      `json:"depends_on_uncertain"`
		FRs                []frJSON  `json:"frs"`
		Gaps               []gapJSON `json:"gaps"`
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
	gapJSON struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		FR        string `json:"fr"`
		Level     int    `json:"level"`
		Status    string `json:"status"`
		Remaining int    `json:"remaining"`
		Uncertain bool   `json:"uncertain,omitempty"`
	}
)

func toSectionJSON(s checklist.SectionScore, maturity bool) sectionJSON {
	c := s.Counts
	out := sectionJSON{ID: s.ID, Title: s.Title, Counts: countsJSON{c.Met, c.Partial, c.NotMet, c.NA, c.NotAssessed}, Unassessed: s.Unassessed}
	if out.Unassessed == nil {
		out.Unassessed = []string{}
	}
	if maturity {
		m := s.Maturity
		out.Maturity = &maturityJSON{m.Levels, m.Rated, m.Average, m.Min}
	}
	return out
}

func toZoneJSON(zs *checklist.ZoneScore, name string) zoneJSON {
	out := zoneJSON{Template: zs.Template, Zone: name, ZoneID: zs.Zone, SLT: zs.SLT, SLA: zs.SLA,
		DependsOnUncertain: zs.DependsOnUncertain, Gaps: []gapJSON{}}
	for _, f := range zs.FRs {
		out.FRs = append(out.FRs, frJSON{f.FR.String(), f.SLT, f.SLA, f.Gap, f.SLALenient, f.DependsOnUncertain, f.Unanswered})
	}
	for _, g := range zs.Gaps {
		out.Gaps = append(out.Gaps, gapJSON{g.Item.ID, g.Item.Title, g.Item.FR.String(), g.Level, string(g.Status), g.Remaining, g.Uncertain})
	}
	return out
}

func score(env *Env, w *app.Workspace, tplRef, zoneRef, format string) error {
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
	var zones []assets.Zone
	if zoneRef != "" {
		z, err := findZone(w, zoneRef)
		if err != nil {
			return err
		}
		zones = []assets.Zone{z}
	} else {
		zones = w.Zones()
	}
	result := struct {
		Programs []programJSON `json:"programs"`
		Zones    []zoneJSON    `json:"zones"`
	}{Programs: []programJSON{}, Zones: []zoneJSON{}}
	var programs []*checklist.ProgramScore
	var zoneScores []*checklist.ZoneScore
	var zoneNames []string
	tplOf := map[string]*checklist.Template{}
	answered := map[string]bool{} // template and zone with at least one verdict
	for _, t := range ts {
		tplOf[t.ID] = t
		answers, err := w.Answers(t.ID)
		if err != nil {
			return err
		}
		for _, a := range answers {
			if a.Status != checklist.StatusNotAssessed {
				answered[a.Template+"\x00"+a.Zone] = true
			}
		}
		if t.Kind == checklist.KindProgram {
			if zoneRef != "" {
				continue // a zone was asked for; programme checklists have none
			}
			ps, err := w.ScoreProgram(t.ID)
			if err != nil {
				return err
			}
			programs = append(programs, ps)
			p := programJSON{Template: t.ID, Standard: t.Standard, Overall: toSectionJSON(ps.Overall, t.Maturity)}
			for _, s := range ps.Sections {
				p.Sections = append(p.Sections, toSectionJSON(s, t.Maturity))
			}
			result.Programs = append(result.Programs, p)
			continue
		}
		for _, z := range zones {
			zs, err := w.ScoreZone(t.ID, z.ID)
			if err != nil {
				return err
			}
			zoneScores = append(zoneScores, zs)
			zoneNames = append(zoneNames, z.Name)
			result.Zones = append(result.Zones, toZoneJSON(zs, z.Name))
		}
	}
	if format == "json" {
		return writeJSON(env.Stdout, result)
	}
	if len(programs)+len(zoneScores) == 0 {
		fmt.Fprintln(env.Stdout, "nothing to score: no checklist answers yet (see `zonewalk checklist answer`), or no zones")
		return nil
	}
	for _, ps := range programs {
		printProgram(env.Stdout, tplOf[ps.Template], ps)
	}
	for i, zs := range zoneScores {
		printZone(env.Stdout, tplOf[zs.Template], zoneNames[i], zs, zoneRef != "" || answered[zs.Template+"\x00"+zs.Zone])
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
	fmt.Fprintln(out)
}

func printZone(out io.Writer, t *checklist.Template, name string, zs *checklist.ZoneScore, assessed bool) {
	// SL-A is shown per FR: a one-number summary would hide the gaps.
	fmt.Fprintf(out, "%s — zone %q: SL-T %s, SL-A (%s)\n", term(t.Standard), name, term(zs.SLT.String()), levels(zs.SLA))
	if !assessed {
		n := 0
		for _, f := range zs.FRs {
			n += f.Unanswered
		}
		fmt.Fprintf(out, "Not assessed yet: %d items apply up to the SL-T.\n\n", n)
		return
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FR\tSL-T\tSL-A\tGAP\tUNANSWERED\tNOTE")
	for _, f := range zs.FRs {
		note := ""
		if f.DependsOnUncertain {
			note = fmt.Sprintf("depends on disputed SL cells (would be %d without them)", f.SLALenient)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\n", f.FR, f.SLT, f.SLA, f.Gap, f.Unanswered, note)
	}
	tw.Flush()
	if len(zs.Gaps) == 0 {
		fmt.Fprintln(out, "No unmet requirements up to the SL-T.")
		fmt.Fprintln(out)
		return
	}
	fmt.Fprintln(out, "Unmet up to the SL-T, cheapest path first:")
	tw = tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	for _, g := range zs.Gaps {
		flag := ""
		if g.Uncertain {
			flag = " (disputed cell)"
		}
		fmt.Fprintf(tw, "  %s\t%s\tSL%d\t%s\t%d left for %s SL%d\t%s%s\n", term(g.Item.ID), g.Item.FR, g.Level, term(g.Status.Label()),
			g.Remaining, g.Item.FR, g.Level, term(g.Item.Title), flag)
	}
	tw.Flush()
	fmt.Fprintln(out)
}
