package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/checklist"
)

func init() {
	register("capability", "component capability (62443-4-2 SL-C): per zone SL-T, SL-C and SL-A with the capping assets; record, list, delete", runCapability)
}

const capabilityUsage = `show --workspace DIR [--zone NAME] [--format table|json]
       zonewalk capability set --workspace DIR (--asset TAG | --vendor V --model M) [--type sar|edr|hdr|ndr] [--sl-c "2,2,1,2,2,2,2"]
             [--cert-scheme S --cert-issuer I --cert-number N --cert-level 1-4 --cert-date YYYY-MM-DD --cert-evidence E | --no-cert] [--notes TEXT]
       zonewalk capability list --workspace DIR [--format table|json]
       zonewalk capability delete --workspace DIR (ID | --asset TAG | --vendor V --model M)
A zone's SL-C is, per FR, the lowest SL-C of its assets with capability information. An asset's SL-C comes from the
first of: its own record or else its vendor and model's (assessed with the 4-2 checklist, else the recorded vector,
else the certificate's level), else the asset's single SL-C. set changes only what its flags give.`

// capArgs are the flags of capability set and delete.
type capArgs struct {
	asset, vendor, model, typ, slc, notes string
	certScheme, certIssuer, certNumber    string
	certDate, certEvidence                string
	certLevel                             int
	noCert                                bool
	given                                 map[string]bool // flags on the command line
}

func runCapability(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "capability", capabilityUsage)
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "show and list: table or json")
	zone := fs.String("zone", "", "show: only this zone (name or ID)")
	var a capArgs
	fs.StringVar(&a.asset, "asset", "", "set, delete: the record for this asset (tag)")
	fs.StringVar(&a.vendor, "vendor", "", "set, delete: with --model, the record for every asset of this vendor and model")
	fs.StringVar(&a.model, "model", "", "set, delete: the model, with --vendor")
	fs.StringVar(&a.typ, "type", "", "set: component type: sar (software application), edr (embedded device), hdr (host device), ndr (network device)")
	fs.StringVar(&a.slc, "sl-c", "", `set: SL-C per FR, "2" for every FR or seven levels "2,2,1,2,2,2,2"; "-" clears it`)
	fs.StringVar(&a.certScheme, "cert-scheme", "", `set: certificate scheme, e.g. "ISASecure CSA", "IEC 62443-4-2"`)
	fs.StringVar(&a.certIssuer, "cert-issuer", "", "set: certification body")
	fs.StringVar(&a.certNumber, "cert-number", "", "set: certificate number")
	fs.IntVar(&a.certLevel, "cert-level", 0, "set: the SL-C the certificate states, 1–4")
	fs.StringVar(&a.certDate, "cert-date", "", "set: date of issue, YYYY-MM-DD")
	fs.StringVar(&a.certEvidence, "cert-evidence", "", "set: where the certificate is kept (document, evidence ID)")
	fs.BoolVar(&a.noCert, "no-cert", false, "set: remove the recorded certificate")
	fs.StringVar(&a.notes, "notes", "", "set: notes")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	a.given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { a.given[f.Name] = true })
	if len(pos) == 0 {
		return usageError("want a subcommand: show, set, list or delete")
	}
	sub := pos[0]
	switch sub {
	case "show", "list", "set":
		if len(pos) != 1 {
			return usageError("%s takes no arguments", sub)
		}
	case "delete":
		if len(pos) > 2 {
			return usageError("delete takes at most one record ID")
		}
	default:
		return usageError("unknown subcommand %q: want show, set, list or delete", sub)
	}
	if sub == "show" || sub == "list" {
		if err := checkFormat(*format, "table", "json"); err != nil {
			return err
		}
	}
	if sub == "set" || (sub == "delete" && len(pos) == 1) {
		if err := a.checkSubject(); err != nil {
			return err
		}
	}
	open := wf.open
	if sub == "show" || sub == "list" {
		open = wf.openToRead
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	switch sub {
	case "show":
		return showCapability(env.Stdout, w, *zone, *format)
	case "list":
		return listCapabilities(env.Stdout, w, *format)
	case "set":
		return setCapability(env.Stdout, w, &a)
	}
	id := ""
	if len(pos) == 2 {
		id = pos[1]
	}
	return deleteCapability(env.Stdout, w, &a, id)
}

// checkSubject wants --asset, or --vendor with --model.
func (a *capArgs) checkSubject() error {
	switch {
	case a.asset != "" && (a.vendor != "" || a.model != ""):
		return usageError("--asset and --vendor/--model contradict each other: a record is for one asset or for a model")
	case a.asset == "" && (strings.TrimSpace(a.vendor) == "" || strings.TrimSpace(a.model) == ""):
		return usageError("want --asset TAG, or --vendor V and --model M")
	}
	return nil
}

// find returns the record for the subject the flags name (nil when there is
// none) and, for --asset, the asset's ID.
func (a *capArgs) find(w *app.Workspace) (*assets.Capability, string, error) {
	assetID := ""
	if a.asset != "" {
		as, ok := w.AssetByTag(a.asset)
		if !ok {
			return nil, "", fmt.Errorf("no asset tagged %q", a.asset)
		}
		assetID = as.ID
	}
	all, err := w.Capabilities()
	if err != nil {
		return nil, "", err
	}
	key := assets.ModelKey(a.vendor, a.model)
	for i := range all {
		cp := &all[i]
		if assetID != "" && cp.Asset == assetID || assetID == "" && cp.Asset == "" && assets.ModelKey(cp.Vendor, cp.Model) == key {
			return cp, assetID, nil
		}
	}
	return nil, assetID, nil
}

// parseSLC reads "2", "SL2" or seven comma-separated whole numbers. Range
// is left to validation, which names the record and the FR.
func parseSLC(s string) (assets.SLVector, error) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "SL"))
	if t == "-" {
		return assets.SLVector{}, nil
	}
	fields := strings.Split(t, ",")
	if len(fields) != 1 && len(fields) != len(assets.FRs) {
		return assets.SLVector{}, usageError("--sl-c %q: want one level or seven comma-separated levels (FR 1 … FR 7)", s)
	}
	var v assets.SLVector
	for i, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return assets.SLVector{}, usageError("--sl-c %q: %q is not a number", s, strings.TrimSpace(f))
		}
		v[i] = n
	}
	if len(fields) == 1 {
		return assets.UniformSL(v[0]), nil
	}
	return v, nil
}

func setCapability(out io.Writer, w *app.Workspace, a *capArgs) error {
	old, assetID, err := a.find(w)
	if err != nil {
		return err
	}
	var cp assets.Capability
	if old != nil {
		cp = *old
	} else {
		cp = assets.Capability{Asset: assetID, Vendor: strings.TrimSpace(a.vendor), Model: strings.TrimSpace(a.model)}
		if !a.given["type"] {
			return usageError("a new record needs --type (sar, edr, hdr or ndr)")
		}
	}
	if a.given["type"] {
		code, ok := assets.ParseComponentType(a.typ)
		if !ok {
			return usageError("--type %q: want sar (software application), edr (embedded device), hdr (host device) or ndr (network device)", a.typ)
		}
		cp.ComponentType = code
	}
	if a.given["sl-c"] {
		if cp.SLC, err = parseSLC(a.slc); err != nil {
			return err
		}
	}
	certFlags := []string{"cert-scheme", "cert-issuer", "cert-number", "cert-level", "cert-date", "cert-evidence"}
	anyCert := false
	for _, f := range certFlags {
		anyCert = anyCert || a.given[f]
	}
	switch {
	case a.noCert && anyCert:
		return usageError("--no-cert and --cert-… flags contradict each other")
	case a.noCert:
		cp.Certificate = nil
	case anyCert:
		ct := assets.Certificate{}
		if cp.Certificate != nil {
			ct = *cp.Certificate
		}
		set := func(flag string, dst *string, v string) {
			if a.given[flag] {
				*dst = v
			}
		}
		set("cert-scheme", &ct.Scheme, a.certScheme)
		set("cert-issuer", &ct.Issuer, a.certIssuer)
		set("cert-number", &ct.Number, a.certNumber)
		set("cert-date", &ct.Date, a.certDate)
		set("cert-evidence", &ct.Evidence, a.certEvidence)
		if a.given["cert-level"] {
			ct.Level = a.certLevel
		}
		cp.Certificate = &ct
	}
	if a.given["notes"] {
		cp.Notes = a.notes
	}
	saved, err := w.SaveCapability(cp)
	if err != nil {
		return err
	}
	verb := "recorded"
	if old != nil {
		verb = "updated"
	}
	covered := capCovered(w, saved.ID)
	fmt.Fprintf(out, "%s capability %s for %s: %s, %s; applies to %s\n", verb, term(saved.ID), term(w.CapabilitySubject(&saved)),
		assets.ComponentTypeLabel(saved.ComponentType), term(capLevelsText(&saved)), english.Count(covered, "asset", "assets"))
	return nil
}

// capLevelsText says what a record states: its vector and certificate.
func capLevelsText(cp *assets.Capability) string {
	var parts []string
	if !cp.SLC.IsZero() {
		parts = append(parts, "SL-C "+capVectorText(cp.SLC))
	}
	if ct := cp.Certificate; ct != nil {
		c := fmt.Sprintf("certificate level %d", ct.Level)
		if s := strings.TrimSpace(strings.Join([]string{ct.Scheme, ct.Number}, " ")); s != "" {
			c += " (" + s + ")"
		}
		parts = append(parts, c)
	}
	if len(parts) == 0 {
		return "no level yet (assess it with the 4-2 checklist)"
	}
	return strings.Join(parts, ", ")
}

// capVectorText writes "2" when every FR has that level, else "2,2,1,2,2,2,2".
func capVectorText(v assets.SLVector) string {
	parts := make([]string, len(v))
	same := true
	for i, l := range v {
		parts[i] = strconv.Itoa(l)
		same = same && l == v[0]
	}
	if same {
		return parts[0]
	}
	return strings.Join(parts, ",")
}

// capCovered counts the live assets whose capability the record gives.
func capCovered(w *app.Workspace, id string) int {
	caps, err := w.Capabilities()
	if err != nil {
		return 0
	}
	x := assets.NewCapabilityIndex(caps, nil)
	n := 0
	for _, a := range w.Assets() {
		if cp := x.Record(a); cp != nil && cp.ID == id {
			n++
		}
	}
	return n
}

func deleteCapability(out io.Writer, w *app.Workspace, a *capArgs, id string) error {
	if id == "" {
		cp, _, err := a.find(w)
		if err != nil {
			return err
		}
		if cp == nil {
			subject := fmt.Sprintf("asset %q", a.asset)
			if a.asset == "" {
				subject = fmt.Sprintf("model %q", strings.TrimSpace(a.vendor)+" "+strings.TrimSpace(a.model))
			}
			return fmt.Errorf("no capability recorded for %s: %w", subject, app.ErrNotFound)
		}
		id = cp.ID
	} else if a.asset != "" || a.vendor != "" || a.model != "" {
		return usageError("give the record ID or --asset/--vendor/--model, not both")
	}
	cp, err := w.Capability(id)
	if err != nil {
		return err
	}
	if err := w.DeleteCapability(id); err != nil {
		return err
	}
	fmt.Fprintf(out, "deleted capability %s for %s\n", term(id), term(w.CapabilitySubject(&cp)))
	return nil
}

// capabilityJSON is one record as list --format json writes it.
type capabilityJSON struct {
	assets.Capability
	For       string `json:"for"`
	TypeLabel string `json:"component_type_label"`
	Assets    int    `json:"assets"` // live assets it applies to
}

func listCapabilities(out io.Writer, w *app.Workspace, format string) error {
	caps, err := w.Capabilities()
	if err != nil {
		return err
	}
	x := assets.NewCapabilityIndex(caps, nil)
	count := map[string]int{}
	for _, a := range w.Assets() {
		if cp := x.Record(a); cp != nil {
			count[cp.ID]++
		}
	}
	if format == "json" {
		rows := make([]capabilityJSON, len(caps))
		for i := range caps {
			rows[i] = capabilityJSON{Capability: caps[i], For: w.CapabilitySubject(&caps[i]),
				TypeLabel: assets.ComponentTypeLabel(caps[i].ComponentType), Assets: count[caps[i].ID]}
		}
		return writeJSON(out, rows)
	}
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFOR\tTYPE\tASSETS\tLEVELS")
	for i := range caps {
		cp := &caps[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", term(cp.ID), term(w.CapabilitySubject(cp)), cp.ComponentType, count[cp.ID], term(capLevelsText(cp)))
	}
	return tw.Flush()
}

// Show output as JSON. A level that is not known (no member with
// capability information, zone not scored) is null.
type (
	zoneCapJSON struct {
		ZoneID  string                 `json:"zone_id"`
		Zone    string                 `json:"zone"`
		Members int                    `json:"members"`
		Known   int                    `json:"known"` // members with capability information
		SLT     assets.SLVector        `json:"sl_t"`
		SLC     *assets.SLVector       `json:"sl_c"`
		SLA     *assets.SLVector       `json:"sl_a"`
		FRs     []frCapJSON            `json:"frs"`
		Unknown []capability.TypeGroup `json:"unknown"` // members without capability information, by type
	}
	frCapJSON struct {
		FR      string              `json:"fr"`
		SLT     int                 `json:"sl_t"`
		SLC     *int                `json:"sl_c"`
		SLA     *int                `json:"sl_a"`
		Capping []capability.Member `json:"capping"`
	}
)

func showCapability(out io.Writer, w *app.Workspace, zoneRef, format string) error {
	zones := w.Zones()
	if zoneRef != "" {
		z, err := findZone(w, zoneRef)
		if err != nil {
			return err
		}
		zones = []assets.Zone{z}
	}
	zc, err := w.ZoneCapabilities()
	if err != nil {
		return err
	}
	sla, err := w.AchievedLevels(checklist.IEC62443_3_3_2013)
	if err != nil {
		return fmt.Errorf("SL-A: %w", err)
	}
	rows := make([]zoneCapJSON, 0, len(zones))
	for _, z := range zones {
		c := zc[z.ID]
		r := zoneCapJSON{ZoneID: z.ID, Zone: z.Name, Members: c.Members, Known: c.Known, SLT: z.SLT, Unknown: c.Unknown}
		if c.Known > 0 {
			r.SLC = &c.SLC
		}
		if v, ok := sla[z.ID]; ok {
			r.SLA = &v
		}
		for i, f := range c.FRs {
			fr := frCapJSON{FR: fmt.Sprintf("FR %d %s", f.FR.Number(), f.FR), SLT: z.SLT[i], Capping: f.Capping}
			if r.SLC != nil {
				fr.SLC = &r.SLC[i]
			}
			if r.SLA != nil {
				fr.SLA = &r.SLA[i]
			}
			r.FRs = append(r.FRs, fr)
		}
		rows = append(rows, r)
	}
	if format == "json" {
		return writeJSON(out, rows)
	}
	for i, r := range rows {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintf(out, "Zone %q: %s, %d with capability information\n", term(r.Zone), english.Count(r.Members, "asset", "assets"), r.Known)
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "FR\tSL-T\tSL-C\tSL-A\tCAPPED BY")
		for _, f := range r.FRs {
			var tags []string
			for _, m := range f.Capping {
				tags = append(tags, m.Tag)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.FR, capCell(&f.SLT, true), capCell(f.SLC, false), capCell(f.SLA, false),
				term(capNames(tags, 8)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, g := range r.Unknown {
			var tags []string
			for _, m := range g.Members {
				tags = append(tags, m.Tag)
			}
			fmt.Fprintf(out, "  no capability information: %s: %s\n", term(g.Label), term(capNames(tags, 8)))
		}
	}
	return nil
}

// capCell writes a level, "-" when unknown (or, for SL-T, unset).
func capCell(l *int, zeroUnset bool) string {
	if l == nil || zeroUnset && *l == 0 {
		return "-"
	}
	return strconv.Itoa(*l)
}

// capNames writes up to limit names, then how many more there are.
func capNames(names []string, limit int) string {
	if len(names) <= limit {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:limit], ", "), len(names)-limit)
}
