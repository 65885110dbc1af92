package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	register("risk", "the 62443-3-2 risk register: list, add and score threat scenarios; accept or override a zone's SL-T", runRisk)
	register("countermeasure", "list, add or delete countermeasures (what, where, owner, evidence)", runCountermeasure)
}

const riskUsage = `list  --workspace DIR [--zone NAME] [--format table|json]
  add   --workspace DIR --title TEXT --scope suc|zone:NAME|conduit:NAME --likelihood N --impact N
        [--stage initial|detailed] [--attacker 0-4] [--fr FR1,FR3] [--countermeasure ID|NAME]...
        [--residual-likelihood N --residual-impact N] [--threat-source T] [--vector T] [--weakness T]
        [--consequence T] [--description T] [--format table|json]
  score --workspace DIR [--zone NAME] [--format table|json]
  slt   --workspace DIR --zone NAME (--accept | --override "FR1=3,FR5=2" --reason TEXT)
  matrix --workspace DIR [--likelihoods "Rare,…,Almost certain" --impacts "Negligible,…,Severe" --tolerable N | --default]
Likelihood and impact are steps of the audit's risk matrix, 1 = lowest (or the step's label).
The SL-T suggestion is explained in docs/risk.md.`

// subcommand splits off the first argument when it is not a flag.
func subcommand(args []string) (string, []string) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", args
	}
	return args[0], args[1:]
}

func runRisk(ctx context.Context, env *Env, args []string) error {
	sub, rest := subcommand(args)
	switch sub {
	case "list":
		return riskList(ctx, env, rest)
	case "add":
		return riskAdd(ctx, env, rest)
	case "score":
		return riskScore(ctx, env, rest)
	case "slt":
		return riskSLT(ctx, env, rest)
	case "matrix":
		return riskMatrix(ctx, env, rest)
	case "":
		return noSubcommand(env, "risk", riskUsage, args, "list, add, score, slt or matrix")
	}
	return usageError("unknown subcommand %q: want list, add, score, slt or matrix", sub)
}

// noSubcommand answers a call whose first argument is a flag: -h prints
// the usage, anything else asks for the subcommand first.
func noSubcommand(env *Env, name, usage string, args []string, subs string) error {
	fs := newFlags(env, name, usage)
	addWorkspaceFlags(fs)
	fs.String("format", "table", "table or json (list, score, add)")
	if _, err := parse(fs, args); errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError("want a subcommand first: %s", subs)
}

// noArgs parses flags and refuses positional arguments.
func noArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	return nil
}

// zoneFlag finds the zone --zone names; the empty name is no zone.
func zoneFlag(w *app.Workspace, name string) (assets.Zone, error) {
	if name == "" {
		return assets.Zone{}, nil
	}
	z, ok := w.ZoneByName(name)
	if !ok {
		if z, ok = w.Zone(name); !ok {
			return z, fmt.Errorf("no zone is named %q", name)
		}
	}
	return z, nil
}

// conduitByName finds a live conduit by name (ignoring case) or ID.
func conduitByName(w *app.Workspace, name string) (assets.Conduit, bool) {
	for _, c := range w.Conduits() {
		if strings.EqualFold(strings.TrimSpace(c.Name), strings.TrimSpace(name)) {
			return c, true
		}
	}
	return w.Conduit(name)
}

// refFlag reads zone:NAME, conduit:NAME or asset:TAG (and, for a risk's
// scope, suc) into a reference.
func refFlag(w *app.Workspace, flagName, v string, suc bool) (assets.Ref, error) {
	if suc && (strings.EqualFold(v, "suc") || strings.EqualFold(v, "audit")) {
		return assets.Ref{Kind: "audit"}, nil
	}
	kind, name, ok := strings.Cut(v, ":")
	want := "zone:NAME, conduit:NAME or asset:TAG"
	if suc {
		want = "suc, zone:NAME or conduit:NAME"
	}
	if !ok || name == "" {
		return assets.Ref{}, usageError("--%s %q: want %s", flagName, v, want)
	}
	switch strings.ToLower(kind) {
	case "zone":
		z, err := zoneFlag(w, name)
		return assets.Ref{Kind: "zone", ID: z.ID}, err
	case "conduit":
		c, ok := conduitByName(w, name)
		if !ok {
			return assets.Ref{}, fmt.Errorf("no conduit is named %q", name)
		}
		return assets.Ref{Kind: "conduit", ID: c.ID}, nil
	case "asset":
		if !suc {
			a, ok := w.AssetByTag(name)
			if !ok {
				if a, ok = w.Asset(name); !ok {
					return assets.Ref{}, fmt.Errorf("no asset has the tag %q", name)
				}
			}
			return assets.Ref{Kind: "asset", ID: a.ID}, nil
		}
	}
	return assets.Ref{}, usageError("--%s %q: want %s", flagName, v, want)
}

// refName writes a reference as people read it.
func refName(w *app.Workspace, r assets.Ref) string {
	switch r.Kind {
	case "audit":
		return "SuC"
	case "zone":
		if z, ok := w.Zone(r.ID); ok {
			return "zone " + z.Name
		}
	case "conduit":
		if c, ok := w.Conduit(r.ID); ok {
			return "conduit " + c.Name
		}
	case "asset":
		if a, ok := w.Asset(r.ID); ok {
			return "asset " + a.Title()
		}
	}
	return r.Kind + " " + r.ID + " (missing)"
}

// parseFRs reads "FR1,FR3", "1,3", "IAC,SI" or "FR 1".
func parseFRs(v string) ([]assets.FR, error) {
	var out []assets.FR
	for _, part := range strings.Split(v, ",") {
		f, err := parseFR(part)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out, nil
}

func parseFR(s string) (assets.FR, error) {
	t := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	for _, f := range assets.FRs {
		if t == f.String() || t == "FR"+strconv.Itoa(f.Number()) || t == strconv.Itoa(f.Number()) {
			return f, nil
		}
	}
	return 0, usageError("%q is not a foundational requirement: want FR1–FR7 or IAC, UC, SI, DC, RDF, TRE, RA", strings.TrimSpace(s))
}

func frList(frs []assets.FR) string {
	parts := make([]string, len(frs))
	for i, f := range frs {
		parts[i] = fmt.Sprintf("FR%d", f.Number())
	}
	return strings.Join(parts, ",")
}

// rating reads a likelihood or impact: a step number or the step's label.
func rating(flagName, v string, labels []string) (int, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(v); err == nil {
		return n, nil // range checked by validation, which names the risk
	}
	for i, l := range labels {
		if strings.EqualFold(strings.TrimSpace(l), strings.TrimSpace(v)) {
			return i + 1, nil
		}
	}
	return 0, usageError("--%s %q: want 1–%d or one of %s", flagName, v, len(labels), strings.Join(labels, ", "))
}

// riskRow is a scenario as list prints it in JSON: the record and what
// the register makes of it.
type riskRow struct {
	assets.Risk
	ScopeName string `json:"scope_name"`
	// Score is unmitigated likelihood × impact; ResidualScore the residual
	// one when rated; Counts the score the SL-T suggestion uses.
	Score         int  `json:"score"`
	ResidualScore int  `json:"residual_score,omitempty"`
	Counts        int  `json:"counts"`
	Tolerable     bool `json:"tolerable"`
}

func riskRows(w *app.Workspace, rs []assets.Risk) []riskRow {
	m := w.RiskMatrix()
	out := make([]riskRow, 0, len(rs))
	for _, r := range rs {
		sc := risk.Weigh(&r, m)
		row := riskRow{Risk: r, ScopeName: refName(w, r.Scope), Score: m.Score(r.Likelihood, r.Impact),
			Counts: sc.Score, Tolerable: sc.Tolerable}
		if r.HasResidual() {
			row.ResidualScore = m.Score(r.ResidualLikelihood, r.ResidualImpact)
		}
		out = append(out, row)
	}
	return out
}

func riskList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "risk list", "--workspace DIR [--zone NAME] [--format table|json]\n"+
		"Lists the risk scenarios, highest risk first; with --zone, those that apply to the zone\n"+
		"(scoped to it, to a conduit with it at one end, or to the whole system under consideration).")
	wf := addWorkspaceFlags(fs)
	zone := fs.String("zone", "", "only the scenarios that apply to this zone")
	format := fs.String("format", "table", "table or json")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	z, err := zoneFlag(w, *zone)
	if err != nil {
		return err
	}
	rs, err := w.Risks()
	if err != nil {
		return err
	}
	if z.ID != "" {
		scope := risk.ZoneScope(z.ID, w.Conduits())
		rs = slices.DeleteFunc(rs, func(r assets.Risk) bool { return !scope.Applies(&r) })
	}
	rows := riskRows(w, rs)
	if *format == "json" {
		return writeJSON(env.Stdout, rows)
	}
	m := w.RiskMatrix()
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tRISK\tRESIDUAL\tSTAGE\tATTACKER\tFRS\tSCOPE\tTITLE")
	for _, r := range rows {
		res := "-"
		if r.HasResidual() {
			res = fmt.Sprintf("%d×%d=%d", r.ResidualLikelihood, r.ResidualImpact, r.ResidualScore)
		}
		mark := ""
		if !r.Tolerable && r.Counts > 0 {
			mark = " !"
		}
		fmt.Fprintf(tw, "%s\t%d×%d=%d%s\t%s\t%s\t%d\t%s\t%s\t%s\n", term(r.ID), r.Likelihood, r.Impact, r.Score, mark, res,
			term(r.Stage), r.Attacker, frList(r.FRs), term(r.ScopeName), term(oneLine(r.Title)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d %s; matrix %d×%d, tolerable up to %d (! above it)\n", len(rows),
		map[bool]string{true: "scenario", false: "scenarios"}[len(rows) == 1], len(m.Likelihoods), len(m.Impacts), m.Tolerable)
	return nil
}

func riskAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "risk add", "--workspace DIR --title TEXT --scope suc|zone:NAME|conduit:NAME --likelihood N --impact N [flags]\n"+
		"Adds a threat scenario. Likelihood and impact are steps of the audit's matrix (1 = lowest) or their labels.")
	wf := addWorkspaceFlags(fs)
	title := fs.String("title", "", "what happens, in a line (required)")
	scope := fs.String("scope", "", "suc (the whole system under consideration), zone:NAME or conduit:NAME (required)")
	stage := fs.String("stage", assets.StageInitial, "initial (62443-3-2 ZCR 2) or detailed (ZCR 5)")
	source := fs.String("threat-source", "", "who or what threatens")
	vector := fs.String("vector", "", "the way in")
	weakness := fs.String("weakness", "", "the weakness exploited")
	consequence := fs.String("consequence", "", "what it leads to")
	description := fs.String("description", "", "free description")
	attacker := fs.Int("attacker", 0, "the SL attacker profile the scenario assumes: 1 chance, 2 simple means, 3 sophisticated, 4 extended resources (0 none)")
	frs := fs.String("fr", "", "the foundational requirements it exploits, e.g. FR1,FR5 or IAC,RDF")
	likelihood := fs.String("likelihood", "", "unmitigated likelihood (required)")
	impact := fs.String("impact", "", "unmitigated impact (required)")
	resL := fs.String("residual-likelihood", "", "residual likelihood with the countermeasures (detailed stage)")
	resI := fs.String("residual-impact", "", "residual impact with the countermeasures (detailed stage)")
	var cms listFlag
	fs.Var(&cms, "countermeasure", "ID or name of a countermeasure in place; repeatable")
	format := fs.String("format", "table", "table or json (the stored scenario)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	switch {
	case *title == "":
		return usageError("--title is required")
	case *scope == "":
		return usageError("--scope suc|zone:NAME|conduit:NAME is required")
	case *likelihood == "" || *impact == "":
		return usageError("--likelihood and --impact are required")
	}
	r := assets.Risk{Title: *title, Stage: *stage, ThreatSource: *source, Vector: *vector, Weakness: *weakness,
		Consequence: *consequence, Description: *description, Attacker: *attacker}
	if *frs != "" {
		var err error
		if r.FRs, err = parseFRs(*frs); err != nil {
			return err
		}
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if r.Scope, err = refFlag(w, "scope", *scope, true); err != nil {
		return err
	}
	m := w.RiskMatrix()
	for _, f := range []struct {
		name, v string
		to      *int
		labels  []string
	}{{"likelihood", *likelihood, &r.Likelihood, m.Likelihoods}, {"impact", *impact, &r.Impact, m.Impacts},
		{"residual-likelihood", *resL, &r.ResidualLikelihood, m.Likelihoods}, {"residual-impact", *resI, &r.ResidualImpact, m.Impacts}} {
		if *f.to, err = rating(f.name, f.v, f.labels); err != nil {
			return err
		}
	}
	for _, c := range cms {
		id, err := countermeasureID(w, c)
		if err != nil {
			return err
		}
		r.Countermeasures = append(r.Countermeasures, id)
	}
	r, err = w.SaveRisk(r)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(env.Stdout, riskRows(w, []assets.Risk{r})[0])
	}
	sc := risk.Weigh(&r, m)
	verdict := "within tolerable"
	if !sc.Tolerable {
		verdict = "above tolerable"
	}
	fmt.Fprintf(env.Stdout, "added risk %s %q on %s: risk %d (%s), attacker SL %d, %s\n", term(r.ID), term(r.Title),
		term(refName(w, r.Scope)), sc.Score, verdict, r.Attacker, frList(r.FRs))
	return nil
}

// countermeasureID finds a countermeasure by ID or by name.
func countermeasureID(w *app.Workspace, v string) (string, error) {
	if cm, err := w.Countermeasure(v); err == nil {
		return cm.ID, nil
	}
	all, err := w.Countermeasures()
	if err != nil {
		return "", err
	}
	for _, cm := range all {
		if strings.EqualFold(strings.TrimSpace(cm.Name), strings.TrimSpace(v)) {
			return cm.ID, nil
		}
	}
	// Passed on as given: saving names it and wraps ErrNotFound.
	return v, nil
}

// scoreRow is one zone as score prints it in JSON.
type scoreRow struct {
	Zone      string          `json:"zone"`
	ZoneID    string          `json:"zone_id"`
	Suggested assets.SLVector `json:"suggested"`
	Current   assets.SLVector `json:"current"`
	Basis     assets.SLTBasis `json:"basis"`
	// Matches says whether the current SL-T equals the suggestion.
	Matches bool         `json:"matches"`
	Reasons []reasonJSON `json:"reasons"`
}

type reasonJSON struct {
	FR         string          `json:"fr"` // "FR 1 IAC"
	Level      int             `json:"level"`
	SetBy      *risk.Scenario  `json:"set_by,omitempty"`
	Considered []risk.Scenario `json:"considered"`
	Text       string          `json:"text"`
}

func basisText(b assets.SLTBasis) string {
	switch b.Source {
	case "":
		return "typed in (no risk basis)"
	case assets.BasisRisk:
		return "risk assessment, accepted (" + b.Suggested.String() + ")"
	case assets.BasisOverride:
		return fmt.Sprintf("override of %s: %s", b.Suggested, oneLine(b.Reason))
	}
	return b.Source
}

func riskScore(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "risk score", "--workspace DIR [--zone NAME] [--format table|json]\n"+
		"Prints per zone the SL-T the risk register suggests, FR by FR with the scenario that set it, and the\n"+
		"zone's current SL-T and where it came from.")
	wf := addWorkspaceFlags(fs)
	zone := fs.String("zone", "", "only this zone")
	format := fs.String("format", "table", "table or json")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	zones := w.Zones()
	if *zone != "" {
		z, err := zoneFlag(w, *zone)
		if err != nil {
			return err
		}
		zones = []assets.Zone{z}
	}
	rows := make([]scoreRow, 0, len(zones))
	for _, z := range zones {
		v, reasons, err := w.SuggestZoneSLT(z.ID)
		if err != nil {
			return err
		}
		row := scoreRow{Zone: z.Name, ZoneID: z.ID, Suggested: v, Current: z.SLT, Basis: z.SLTBasis, Matches: v == z.SLT}
		for _, r := range reasons {
			row.Reasons = append(row.Reasons, reasonJSON{FR: fmt.Sprintf("FR %d %s", r.FR.Number(), r.FR), Level: r.Level,
				SetBy: r.SetBy, Considered: r.Considered, Text: r.String()})
		}
		rows = append(rows, row)
	}
	if *format == "json" {
		return writeJSON(env.Stdout, rows)
	}
	m := w.RiskMatrix()
	fmt.Fprintf(env.Stdout, "risk matrix %d×%d, tolerable up to %d; per FR the highest attacker among the scenarios above it\n",
		len(m.Likelihoods), len(m.Impacts), m.Tolerable)
	for _, r := range rows {
		fmt.Fprintf(env.Stdout, "\nzone %q\n  suggested SL-T %s\n  current SL-T   %s, %s\n", term(r.Zone), r.Suggested, r.Current, term(basisText(r.Basis)))
		for _, rs := range r.Reasons {
			fmt.Fprintf(env.Stdout, "  %s\n", term(rs.Text))
		}
	}
	return nil
}

// parseOverride reads "FR1=3,FR5=2" onto base, or a whole vector ("3" or
// seven comma-separated levels).
func parseOverride(v string, base assets.SLVector) (assets.SLVector, error) {
	if !strings.Contains(v, "=") {
		out, err := assets.ParseSLVector(v)
		if err != nil {
			return out, usageError("--override: %v", err)
		}
		return out, nil
	}
	out := base
	for _, part := range strings.Split(v, ",") {
		k, lv, ok := strings.Cut(part, "=")
		if !ok {
			return out, usageError("--override %q: %q is not FR=LEVEL", v, strings.TrimSpace(part))
		}
		f, err := parseFR(k)
		if err != nil {
			return out, err
		}
		n, err := strconv.Atoi(strings.TrimSpace(lv))
		if err != nil || n < 0 || n > 4 {
			return out, usageError("--override %q: %q is not a level 0–4", v, strings.TrimSpace(lv))
		}
		out[f] = n
	}
	return out, nil
}

func riskSLT(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "risk slt", "--workspace DIR --zone NAME (--accept | --override \"FR1=3,FR5=2\" --reason TEXT)\n"+
		"--accept sets the zone's SL-T to the risk register's suggestion. --override sets the FRs it names\n"+
		"(starting from the current SL-T, or the suggestion when there is none; or give one level or seven)\n"+
		"and records the reason, which is required.")
	wf := addWorkspaceFlags(fs)
	zone := fs.String("zone", "", "the zone (required)")
	accept := fs.Bool("accept", false, "accept the suggested SL-T")
	override := fs.String("override", "", `levels to set against the suggestion: "FR1=3,FR5=2", "3" or "3,2,2,1,3,1,2"`)
	reason := fs.String("reason", "", "why the override (required with --override)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	switch {
	case *zone == "":
		return usageError("--zone NAME is required")
	case *accept == (*override != ""):
		return usageError("give either --accept or --override")
	case *accept && *reason != "":
		return usageError("--reason goes with --override")
	case *override != "" && strings.TrimSpace(*reason) == "":
		return usageError("--override needs --reason TEXT: an SL-T set against the risk assessment must say why")
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	z, err := zoneFlag(w, *zone)
	if err != nil {
		return err
	}
	if *accept {
		z, err = w.AcceptSLT(z.ID)
	} else {
		base := z.SLT
		if base.IsZero() {
			if base, _, err = w.SuggestZoneSLT(z.ID); err != nil {
				return err
			}
		}
		var v assets.SLVector
		if v, err = parseOverride(*override, base); err != nil {
			return err
		}
		z, err = w.OverrideSLT(z.ID, v, *reason)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "zone %q: SL-T %s, %s\n", term(z.Name), z.SLT, term(basisText(z.SLTBasis)))
	return nil
}

const countermeasureUsage = `list   --workspace DIR [--format table|json]
  add    --workspace DIR --name TEXT [--description T] [--applies-to zone:NAME|conduit:NAME|asset:TAG]...
         [--fr FR1,FR2] [--owner T] [--evidence T] [--status implemented|planned] [--format table|json]
  delete --workspace DIR ID|NAME`

func runCountermeasure(ctx context.Context, env *Env, args []string) error {
	sub, rest := subcommand(args)
	switch sub {
	case "list":
		return countermeasureList(ctx, env, rest)
	case "add":
		return countermeasureAdd(ctx, env, rest)
	case "delete":
		return countermeasureDelete(ctx, env, rest)
	case "":
		return noSubcommand(env, "countermeasure", countermeasureUsage, args, "list, add or delete")
	}
	return usageError("unknown subcommand %q: want list, add or delete", sub)
}

type countermeasureRow struct {
	assets.Countermeasure
	AppliesToNames []string `json:"applies_to_names,omitempty"`
}

func countermeasureRows(w *app.Workspace, cms []assets.Countermeasure) []countermeasureRow {
	out := make([]countermeasureRow, 0, len(cms))
	for _, cm := range cms {
		row := countermeasureRow{Countermeasure: cm}
		for _, r := range cm.AppliesTo {
			row.AppliesToNames = append(row.AppliesToNames, refName(w, r))
		}
		out = append(out, row)
	}
	return out
}

func countermeasureList(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "countermeasure list", "--workspace DIR [--format table|json]")
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "table or json")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	cms, err := w.Countermeasures()
	if err != nil {
		return err
	}
	rows := countermeasureRows(w, cms)
	if *format == "json" {
		return writeJSON(env.Stdout, rows)
	}
	return writeCountermeasures(env.Stdout, rows)
}

func writeCountermeasures(out io.Writer, rows []countermeasureRow) error {
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tFRS\tAPPLIES TO\tOWNER\tNAME")
	for _, r := range rows {
		status := string(r.Status)
		if status == "" {
			status = string(assets.CountermeasureImplemented)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", term(r.ID), term(status), frList(r.FRs),
			term(strings.Join(r.AppliesToNames, "; ")), term(oneLine(r.Owner)), term(oneLine(r.Name)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "%d %s\n", len(rows), map[bool]string{true: "countermeasure", false: "countermeasures"}[len(rows) == 1])
	return nil
}

func countermeasureAdd(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "countermeasure add", "--workspace DIR --name TEXT [flags]")
	wf := addWorkspaceFlags(fs)
	name := fs.String("name", "", "what it is, e.g. \"Jump host with MFA\" (required)")
	description := fs.String("description", "", "how it works")
	var applies listFlag
	fs.Var(&applies, "applies-to", "zone:NAME, conduit:NAME or asset:TAG it protects; repeatable")
	frs := fs.String("fr", "", "the foundational requirements it helps meet, e.g. FR1,FR2")
	owner := fs.String("owner", "", "who keeps it working")
	evidence := fs.String("evidence", "", "the document or record that shows it works")
	status := fs.String("status", string(assets.CountermeasureImplemented), "implemented or planned")
	format := fs.String("format", "table", "table or json (the stored record)")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	if *name == "" {
		return usageError("--name is required")
	}
	cm := assets.Countermeasure{Name: *name, Description: *description, Owner: *owner, Evidence: *evidence,
		Status: assets.CountermeasureStatus(*status)}
	if *frs != "" {
		var err error
		if cm.FRs, err = parseFRs(*frs); err != nil {
			return err
		}
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	for _, a := range applies {
		ref, err := refFlag(w, "applies-to", a, false)
		if err != nil {
			return err
		}
		cm.AppliesTo = append(cm.AppliesTo, ref)
	}
	cm, err = w.SaveCountermeasure(cm)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(env.Stdout, countermeasureRows(w, []assets.Countermeasure{cm})[0])
	}
	fmt.Fprintf(env.Stdout, "added countermeasure %s %q\n", term(cm.ID), term(cm.Name))
	return nil
}

func countermeasureDelete(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "countermeasure delete", "--workspace DIR ID|NAME")
	wf := addWorkspaceFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one countermeasure ID or name")
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	id, err := countermeasureID(w, pos[0])
	if err != nil {
		return err
	}
	cm, err := w.Countermeasure(id)
	if errors.Is(err, app.ErrNotFound) {
		return fmt.Errorf("no countermeasure has the ID or name %q", pos[0])
	}
	if err != nil {
		return err
	}
	if err := w.DeleteCountermeasure(id); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "deleted countermeasure %s %q\n", term(cm.ID), term(cm.Name))
	return nil
}

// riskMatrix shows the audit's risk matrix, or sets it: the scales' labels
// lowest first and the tolerable line (the highest score still tolerable).
func riskMatrix(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "risk matrix", `--workspace DIR [--likelihoods "A,B,…" --impacts "A,B,…" --tolerable N | --default]`+"\n"+
		"Shows the audit's likelihood × impact matrix, or sets it; a matrix that would leave existing scenarios'\n"+
		"ratings outside it is refused, naming them.")
	wf := addWorkspaceFlags(fs)
	likelihoods := fs.String("likelihoods", "", "likelihood labels, lowest first, comma-separated")
	impacts := fs.String("impacts", "", "impact labels, lowest first, comma-separated")
	tolerable := fs.Int("tolerable", 0, "the highest risk score (likelihood × impact) that is tolerable")
	def := fs.Bool("default", false, "go back to the default 5×5 matrix")
	if err := noArgs(fs, args); err != nil {
		return err
	}
	set := *likelihoods != "" || *impacts != "" || *tolerable != 0
	if set && *def {
		return usageError("give a matrix or --default, not both")
	}
	open := wf.openToRead
	if set || *def {
		open = wf.open
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if set || *def {
		m := assets.DefaultRiskMatrix()
		if set {
			m = w.RiskMatrix()
			if *likelihoods != "" {
				m.Likelihoods = splitList(*likelihoods)
			}
			if *impacts != "" {
				m.Impacts = splitList(*impacts)
			}
			if *tolerable != 0 {
				m.Tolerable = *tolerable
			}
		}
		if _, err := w.SetRiskMatrix(m); err != nil {
			return err
		}
	}
	m := w.RiskMatrix()
	fmt.Fprintf(env.Stdout, "likelihood (1–%d): %s\n", len(m.Likelihoods), term(strings.Join(m.Likelihoods, ", ")))
	fmt.Fprintf(env.Stdout, "impact (1–%d): %s\n", len(m.Impacts), term(strings.Join(m.Impacts, ", ")))
	fmt.Fprintf(env.Stdout, "tolerable: a risk (likelihood × impact) up to %d of %d\n", m.Tolerable, m.MaxScore())
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(x))
	}
	return out
}
