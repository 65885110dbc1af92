package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	register("assets", "list, import or export assets (CSV columns: docs/csv.md)", runAssets)
	register("zones", "list zones with their SL-T", runZones)
	register("conduits", "list conduits", runConduits)
}

func runAssets(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "assets", "list|import FILE.csv|export --workspace DIR [--zone NAME] [--format csv|json|table]")
	wf := addWorkspaceFlags(fs)
	zone := fs.String("zone", "", "only assets of this zone (by name; \"-\" for unassigned)")
	format := fs.String("format", "", "output format: table (list default), csv (export default) or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: list, import FILE.csv or export")
	}
	switch pos[0] {
	case "list", "export":
		if len(pos) != 1 {
			return usageError("%s takes no arguments", pos[0])
		}
		if *format == "" {
			*format = map[string]string{"list": "table", "export": "csv"}[pos[0]]
		}
		if err := checkFormat(*format, "table", "csv", "json"); err != nil {
			return err
		}
	case "import":
		if len(pos) != 2 {
			return usageError("import takes one CSV file")
		}
	default:
		return usageError("unknown subcommand %q: want list, import or export", pos[0])
	}
	open := wf.openToRead
	if pos[0] == "import" {
		open = wf.open
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if pos[0] == "import" {
		f, err := os.Open(pos[1])
		if err != nil {
			return err
		}
		defer f.Close()
		res, err := w.ImportCSV(ctx, f)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[1], err)
		}
		fmt.Fprintf(env.Stdout, "imported %s: %d created, %d updated\n", term(pos[1]), res.Created, res.Updated)
		return nil
	}
	filter := app.AssetFilter{}
	if *zone == "-" {
		filter.Zone = app.Unassigned
	} else if *zone != "" {
		z, ok := w.ZoneByName(*zone)
		if !ok {
			return fmt.Errorf("no zone named %q", *zone)
		}
		filter.Zone = z.ID
	}
	switch *format {
	case "csv":
		return w.ExportCSV(env.Stdout, filter)
	case "json":
		list := w.FilterAssets(filter)
		if list == nil {
			list = []*assets.Asset{}
		}
		return writeJSON(env.Stdout, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tTYPE\tVENDOR\tMODEL\tFIRMWARE\tZONE\tLEVEL\tIP")
	for _, a := range w.FilterAssets(filter) {
		zn := "-"
		if z, ok := w.Zone(a.Zone); ok {
			zn = z.Name
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", term(a.Title()), term(a.Type.Label()), term(a.Vendor), term(a.Model), term(dash(a.Firmware)), term(zn), term(dash(a.Purdue.Label())), term(dash(strings.Join(a.IPs, " "))))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func runZones(ctx context.Context, env *Env, args []string) error {
	w, format, err := openForList(ctx, env, "zones", args)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	counts := map[string]int{}
	for _, a := range w.Assets() {
		counts[a.Zone]++
	}
	zones := w.Zones()
	if format == "json" {
		type row struct {
			assets.Zone
			AssetCount int `json:"asset_count"`
		}
		out := make([]row, len(zones))
		for i, z := range zones {
			out[i] = row{z, counts[z.ID]}
		}
		return writeJSON(env.Stdout, out)
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ZONE\tLEVELS\tSL-T\tASSETS\tAPPROVED")
	for _, z := range zones {
		var lv []string
		for _, p := range z.PurdueLevels {
			lv = append(lv, p.Label())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", term(z.Name), term(dash(strings.Join(lv, ","))), term(z.SLT.String()), counts[z.ID], term(dash(z.Rationale.ApprovedAt)))
	}
	return tw.Flush()
}

func runConduits(ctx context.Context, env *Env, args []string) error {
	w, format, err := openForList(ctx, env, "conduits", args)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	list := w.Conduits()
	if format == "json" {
		return writeJSON(env.Stdout, list)
	}
	name := func(id string) string {
		if id == "" {
			return "(external)"
		}
		if z, ok := w.Zone(id); ok {
			return z.Name
		}
		return id
	}
	tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CONDUIT\tFROM\tTO\tPROTOCOLS\tCONTROLS\tFLAGS")
	for _, c := range list {
		var flows, ctls, flags []string
		for _, f := range c.Flows {
			flows = append(flows, f.String())
		}
		for _, x := range c.Controls {
			ctls = append(ctls, string(x))
		}
		if c.RemoteAccess {
			flags = append(flags, "remote")
		}
		if c.Temporary {
			flags = append(flags, "temporary")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", term(c.Name), term(name(c.From)), term(name(c.To)), term(dash(strings.Join(flows, ", "))), term(dash(strings.Join(ctls, ","))), dash(strings.Join(flags, ",")))
	}
	return tw.Flush()
}

// openForList parses `NAME list --workspace DIR [--format table|json]`
// and opens the workspace.
func openForList(ctx context.Context, env *Env, name string, args []string) (*app.Workspace, string, error) {
	fs := newFlags(env, name, "list --workspace DIR [--format table|json]")
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "table or json")
	pos, err := parse(fs, args)
	if err != nil {
		return nil, "", err
	}
	if len(pos) != 1 || pos[0] != "list" {
		return nil, "", usageError("want: %s list", name)
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return nil, "", err
	}
	w, err := wf.openToRead(ctx, env)
	return w, *format, err
}
