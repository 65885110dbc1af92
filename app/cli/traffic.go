package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	register("traffic", "import captures and Zeek logs; list observed hosts and flows; accept or ignore unknown hosts", runTraffic)
}

const trafficUsage = `import --workspace DIR FILE|FOLDER...   pcap, pcapng (also .gz) or Zeek logs
  hosts  --workspace DIR [--unmatched] [--format table|json|csv]
  flows  --workspace DIR [--undeclared] [--format table|json|csv]
  accept --workspace DIR --host IP --zone NAME [--type T] [--tag TAG]
  merge  --workspace DIR --host IP --asset TAG
  ignore --workspace DIR --host IP [--note TEXT]`

func runTraffic(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "traffic", trafficUsage)
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "hosts, flows: table, json or csv")
	unmatched := fs.Bool("unmatched", false, "hosts: only those in no asset and not ignored (the candidates)")
	undeclared := fs.Bool("undeclared", false, "flows: only those between zones no conduit joins, or whose conduit does not list them")
	host := fs.String("host", "", "accept, merge, ignore: the host's IP (or MAC)")
	zone := fs.String("zone", "", "accept: the zone to put the new asset in")
	typ := fs.String("type", "", "accept: asset type (default: guessed from what the host was seen doing)")
	tag := fs.String("tag", "", "accept: tag of the new asset (default: TYPE-ADDRESS)")
	assetTag := fs.String("asset", "", "merge: tag of the asset the host is")
	note := fs.String("note", "", "ignore: why the host is not part of the system")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: import, hosts, flows, accept, merge or ignore")
	}
	sub, rest := pos[0], pos[1:]
	if sub != "import" && len(rest) > 0 {
		return usageError("unexpected argument %q", rest[0])
	}
	switch sub {
	case "import":
		if len(rest) == 0 {
			return usageError("traffic import needs FILE or FOLDER arguments")
		}
		w, err := wf.open(ctx, env)
		if err != nil {
			return err
		}
		defer env.closeWorkspace(w, closeTimeout)
		return trafficImport(ctx, env, w, rest)
	case "hosts", "flows":
		if err := checkFormat(*format, "table", "json", "csv"); err != nil {
			return err
		}
		w, err := wf.openToRead(ctx, env)
		if err != nil {
			return err
		}
		defer env.closeWorkspace(w, closeTimeout)
		if sub == "hosts" {
			return trafficHosts(env, w, *format, *unmatched)
		}
		return trafficFlows(ctx, env, w, *format, *undeclared)
	case "accept", "merge", "ignore":
		if *host == "" {
			return usageError("--host IP is required")
		}
		w, err := wf.open(ctx, env)
		if err != nil {
			return err
		}
		defer env.closeWorkspace(w, closeTimeout)
		switch sub {
		case "accept":
			return trafficAccept(ctx, env, w, *host, *zone, *typ, *tag)
		case "merge":
			if *assetTag == "" {
				return usageError("--asset TAG is required")
			}
			a, ok := w.AssetByTag(*assetTag)
			if !ok {
				return fmt.Errorf("no asset has the tag %q", *assetTag)
			}
			a, err = w.MergeHost(ctx, *host, a.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s is asset %s: IPs %s, MACs %s\n", term(*host), term(a.Title()),
				term(strings.Join(a.IPs, " ")), term(strings.Join(a.MACs, " ")))
			return nil
		default:
			if err := w.IgnoreHost(ctx, *host, *note); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s ignored: not part of the system under consideration\n", term(*host))
			return nil
		}
	}
	return usageError("unknown subcommand %q: want import, hosts, flows, accept, merge or ignore", sub)
}

func trafficImport(ctx context.Context, env *Env, w *app.Workspace, paths []string) error {
	before, err := w.CurrentFindings(ctx, time.Now())
	if err != nil {
		return err
	}
	last := time.Now()
	progress := func(name string, done, total int64) {
		if time.Since(last) < 2*time.Second || total == 0 {
			return
		}
		last = time.Now()
		fmt.Fprintf(env.Stderr, "reading %s: %d%%\n", term(name), done*100/total)
	}
	imports, err := w.ImportTraffic(ctx, paths, progress)
	if err != nil {
		return err
	}
	for _, im := range imports {
		s := im.Source
		if im.Already {
			fmt.Fprintf(env.Stdout, "%s: imported before (SHA-256 %s…), nothing changed\n", term(s.Name), s.SHA256[:16])
			continue
		}
		what := english.Count(int(s.Packets), "packet", "packets")
		if s.Format == "zeek" {
			what = english.Count(len(s.Files), "log", "logs")
		}
		fmt.Fprintf(env.Stdout, "%s: %s, %s, %s, %s, %s", term(s.Name), s.Format, what,
			english.Count(int(s.Connections), "connection", "connections"),
			english.Count(s.Hosts, "host", "hosts"), english.Count(s.Flows, "flow", "flows"))
		if !s.First.IsZero() {
			fmt.Fprintf(env.Stdout, ", %s to %s", s.First.Format(time.DateTime), s.Last.Format(time.DateTime+" MST"))
		}
		fmt.Fprintln(env.Stdout)
		if s.Damage != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", term(s.Damage))
		}
		for _, sk := range s.Skipped {
			fmt.Fprintf(env.Stdout, "  skipped %s\n", term(sk))
		}
	}
	o, err := w.Observed()
	if err != nil {
		return err
	}
	candidates := 0
	for _, h := range o.Hosts {
		if h.Candidate() {
			candidates++
		}
	}
	after, err := w.CurrentFindings(ctx, time.Now())
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, f := range before {
		known[f.ID+f.Title] = true
	}
	var fresh []string
	for _, f := range after {
		if strings.HasPrefix(f.RuleID, "ZW-TRAFFIC-") && !known[f.ID+f.Title] {
			fresh = append(fresh, fmt.Sprintf("  %-8s %s", f.Severity, f.Title))
		}
	}
	fmt.Fprintf(env.Stdout, "observed in all: %s (%d not in the inventory, undecided), %s; %s from traffic:\n",
		english.Count(len(o.Hosts), "host", "hosts"), candidates, english.Count(len(o.Flows), "flow", "flows"),
		english.Count(len(fresh), "new or changed finding", "new or changed findings"))
	for _, line := range fresh {
		fmt.Fprintln(env.Stdout, term(line))
	}
	return nil
}

func trafficHosts(env *Env, w *app.Workspace, format string, unmatched bool) error {
	o, err := w.Observed()
	if err != nil {
		return err
	}
	type row struct {
		Address  string   `json:"address"`
		MACs     []string `json:"macs,omitempty"`
		Vendor   string   `json:"vendor,omitempty"`
		VLANs    []int    `json:"vlans,omitempty"`
		Roles    []string `json:"roles,omitempty"`
		Asset    string   `json:"asset,omitempty"` // tag
		Zone     string   `json:"zone,omitempty"`
		Decision string   `json:"decision,omitempty"`
		First    string   `json:"first_seen,omitempty"`
		Last     string   `json:"last_seen,omitempty"`
		Packets  int64    `json:"packets"`
		Bytes    int64    `json:"bytes"`
	}
	var rows []row
	for _, h := range o.Hosts {
		if unmatched && !h.Candidate() {
			continue
		}
		r := row{Address: h.Key(), MACs: h.MACs, Vendor: h.Vendor, VLANs: h.VLANs, Roles: h.Roles,
			Decision: h.Decision, First: stamp(h.First), Last: stamp(h.Last), Packets: h.Packets, Bytes: h.Bytes}
		if a, ok := w.Asset(h.Asset); ok {
			r.Asset = a.Title()
			if z, ok := w.Zone(a.Zone); ok {
				r.Zone = z.Name
			}
		}
		if h.Candidate() {
			r.Decision = "candidate"
		}
		rows = append(rows, r)
	}
	if format != "table" {
		return writeRows(env, format, rows, []string{"address", "macs", "vendor", "vlans", "roles", "asset", "zone", "decision",
			"first_seen", "last_seen", "packets", "bytes"}, func(r row) []string {
			return []string{r.Address, strings.Join(r.MACs, " "), r.Vendor, ints(r.VLANs), strings.Join(r.Roles, "; "),
				r.Asset, r.Zone, r.Decision, r.First, r.Last, strconv.FormatInt(r.Packets, 10), strconv.FormatInt(r.Bytes, 10)}
		})
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tMAC\tVENDOR\tROLES\tASSET\tZONE\tPACKETS")
	for _, r := range rows {
		asset := r.Asset
		if asset == "" {
			asset = "(" + r.Decision + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", term(r.Address), term(first(r.MACs)), term(clipText(r.Vendor, 28)),
			term(strings.Join(r.Roles, ", ")), term(asset), term(r.Zone), r.Packets)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%s\n", english.Count(len(rows), "host", "hosts"))
	return nil
}

func trafficFlows(ctx context.Context, env *Env, w *app.Workspace, format string, undeclared bool) error {
	flows, err := w.ObservedCoverage(ctx)
	if err != nil {
		return err
	}
	type row struct {
		Client      string   `json:"client"`
		ClientAsset string   `json:"client_asset,omitempty"`
		ClientZone  string   `json:"client_zone,omitempty"`
		Server      string   `json:"server"`
		ServerAsset string   `json:"server_asset,omitempty"`
		ServerZone  string   `json:"server_zone,omitempty"`
		Transport   string   `json:"transport"`
		Port        int      `json:"port"`
		Protocol    string   `json:"protocol"`
		Ops         []string `json:"operations,omitempty"`
		Coverage    string   `json:"coverage"`
		Conduit     string   `json:"conduit,omitempty"`
		Connections int64    `json:"connections"`
		Packets     int64    `json:"packets"`
		Bytes       int64    `json:"bytes"`
		First       string   `json:"first_seen,omitempty"`
		Last        string   `json:"last_seen,omitempty"`
	}
	var rows []row
	for _, f := range flows {
		if undeclared && f.Coverage != app.Undeclared && f.Coverage != app.OffPolicy {
			continue
		}
		r := row{Client: f.Client, Server: f.Server, Transport: f.Transport, Port: f.Port, Protocol: f.Protocol,
			Coverage: string(f.Coverage), Conduit: f.ConduitName, Connections: f.Connections, Packets: f.Packets, Bytes: f.Bytes,
			First: stamp(f.First), Last: stamp(f.Last), ClientZone: f.ClientZone, ServerZone: f.ServerZone}
		if a, ok := w.Asset(f.ClientAsset); ok {
			r.ClientAsset = a.Title()
		}
		if a, ok := w.Asset(f.ServerAsset); ok {
			r.ServerAsset = a.Title()
		}
		for _, op := range f.Ops {
			r.Ops = append(r.Ops, op.Name)
		}
		rows = append(rows, r)
	}
	if format != "table" {
		return writeRows(env, format, rows, []string{"client", "client_asset", "client_zone", "server", "server_asset", "server_zone",
			"transport", "port", "protocol", "operations", "coverage", "conduit", "connections", "packets", "bytes",
			"first_seen", "last_seen"}, func(r row) []string {
			return []string{r.Client, r.ClientAsset, r.ClientZone, r.Server, r.ServerAsset, r.ServerZone, r.Transport,
				strconv.Itoa(r.Port), r.Protocol, strings.Join(r.Ops, "; "), r.Coverage, r.Conduit,
				strconv.FormatInt(r.Connections, 10), strconv.FormatInt(r.Packets, 10), strconv.FormatInt(r.Bytes, 10), r.First, r.Last}
		})
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIENT\tSERVER\tPROTOCOL\tOPERATIONS\tZONES\tCOVERAGE\tCONNS")
	for _, r := range rows {
		zones := ""
		if r.ClientZone != "" || r.ServerZone != "" {
			zones = orDash(r.ClientZone) + " → " + orDash(r.ServerZone)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", term(withTag(r.Client, r.ClientAsset)), term(withTag(r.Server, r.ServerAsset)),
			term(r.Protocol), term(clipText(strings.Join(r.Ops, ", "), 40)), term(zones), term(r.Coverage), r.Connections)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "%s\n", english.Count(len(rows), "flow", "flows"))
	return nil
}

func trafficAccept(ctx context.Context, env *Env, w *app.Workspace, host, zoneName, typ, tag string) error {
	zoneID := ""
	if zoneName != "" {
		z, ok := w.ZoneByName(zoneName)
		if !ok {
			return fmt.Errorf("no zone is named %q", zoneName)
		}
		zoneID = z.ID
	}
	var t assets.AssetType
	if typ != "" {
		var ok bool
		if t, ok = assets.ParseAssetType(typ); !ok {
			return usageError("--type %q is not an asset type", typ)
		}
	}
	a, err := w.AcceptHost(ctx, host, zoneID, t, tag)
	if err != nil {
		return err
	}
	where := "in no zone yet"
	if zoneName != "" {
		where = "in zone " + zoneName
	}
	fmt.Fprintf(env.Stdout, "added asset %s (%s, %s) for %s %s\n", term(a.Title()), term(a.Type.Label()), term(orDash(a.Vendor)), term(host), term(where))
	return nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func withTag(addr, tag string) string {
	if tag == "" {
		return addr
	}
	return addr + " (" + tag + ")"
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// writeRows writes a listing as JSON (an empty list, never null) or as CSV
// with header and one record per row, each cell guarded against formula
// injection in spreadsheets as the asset export does.
func writeRows[R any](env *Env, format string, rows []R, header []string, cells func(R) []string) error {
	if format == "json" {
		if rows == nil {
			rows = []R{}
		}
		return writeJSON(env.Stdout, rows)
	}
	cw := csv.NewWriter(env.Stdout)
	cw.Write(header)
	for _, r := range rows {
		c := cells(r)
		for i := range c {
			c[i] = assets.CSVSafe(c[i])
		}
		cw.Write(c)
	}
	cw.Flush()
	return cw.Error()
}
