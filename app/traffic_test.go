package app_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/internal/synth"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// plant is an inventory for synth's "small" scenario: every host but
// 10.4.1.51 is an asset; the enterprise reaches control with no conduit.
func plant(t *testing.T) *app.Workspace {
	t.Helper()
	w, _ := newWorkspace(t)
	zone := func(name string, levels ...assets.Purdue) string {
		z, err := w.SaveZone(assets.Zone{Name: name, PurdueLevels: levels, SLT: assets.UniformSL(2)})
		if err != nil {
			t.Fatal(err)
		}
		return z.ID
	}
	ctl := zone("Control", assets.Purdue1)
	sup := zone("Supervisory", assets.Purdue2)
	site := zone("Site", assets.Purdue3)
	ent := zone("Enterprise", assets.Purdue4)
	for _, a := range []assets.Asset{
		{Tag: "PLC-1", Type: assets.TypePLC, Zone: ctl, IPs: []string{"10.1.1.10"}},
		{Tag: "PLC-2", Type: assets.TypePLC, Zone: ctl, IPs: []string{"10.1.1.20"}},
		{Tag: "RTU-1", Type: assets.TypeRTU, Zone: ctl, IPs: []string{"10.1.1.30"}},
		{Tag: "HMI-1", Type: assets.TypeHMI, Zone: sup, IPs: []string{"10.2.1.10"}},
		{Tag: "EWS-1", Type: assets.TypeEWS, Zone: sup, IPs: []string{"10.2.1.20"}},
		{Tag: "SRV-DNS", Type: assets.TypeServer, Zone: site, IPs: []string{"10.3.1.5"}},
		{Tag: "SRV-WEB", Type: assets.TypeServer, Zone: site, IPs: []string{"10.3.1.6"}},
		{Tag: "SRV-FILE", Type: assets.TypeServer, Zone: site, IPs: []string{"10.3.1.7"}},
		{Tag: "JUMP-1", Type: assets.TypeServer, Zone: site, IPs: []string{"10.3.1.8"}},
		{Tag: "PC-1", Type: assets.TypeWorkstation, Zone: ent, IPs: []string{"10.4.1.50"}},
	} {
		if _, err := w.SaveAsset(a); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []assets.Conduit{
		{Name: "Supervisory to control", From: sup, To: ctl, Flows: []assets.Flow{{Protocol: "Modbus/TCP"}, {Protocol: "S7"}, {Protocol: "DNP3", Ports: "20000"}}},
		{Name: "Enterprise to site", From: ent, To: site, Flows: []assets.Flow{{Protocol: "HTTPS", Ports: "tcp/443"}}},
	} {
		if _, err := w.SaveConduit(c); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func smallCapture(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "span.pcap")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := synth.WritePcap(f, synth.Options{Scenario: "small"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return path
}

func trafficFindings(t *testing.T, w *app.Workspace) map[string][]checks.Finding {
	t.Helper()
	fs, err := w.CurrentFindings(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]checks.Finding{}
	for _, f := range fs {
		if strings.HasPrefix(f.RuleID, "ZW-TRAFFIC-") {
			out[f.RuleID] = append(out[f.RuleID], f)
		}
	}
	return out
}

func TestTrafficImportMatchesTheModel(t *testing.T) {
	w := plant(t)
	capture := smallCapture(t)
	if got := trafficFindings(t, w); len(got) != 0 {
		t.Fatalf("traffic findings before any import: %v", got)
	}
	ims, err := w.ImportTraffic(ctx, []string{capture}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ims) != 1 || ims[0].Already || ims[0].Source.Hosts != 11 || ims[0].Source.Format != "pcap" {
		t.Fatalf("import: %+v", ims)
	}
	o, err := w.Observed()
	if err != nil {
		t.Fatal(err)
	}
	var candidates []string
	for _, h := range o.Hosts {
		if h.Candidate() {
			candidates = append(candidates, h.Key())
		}
	}
	if !slices.Equal(candidates, []string{"10.4.1.51"}) {
		t.Errorf("candidates %v, want only 10.4.1.51", candidates)
	}
	cov, err := w.ObservedCoverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byFlow := map[string]app.Coverage{}
	for _, f := range cov {
		byFlow[f.Client+">"+f.Server+":"+f.Protocol] = f.Coverage
	}
	for flow, want := range map[string]app.Coverage{
		"10.2.1.10>10.1.1.10:modbus": app.Declared,
		"10.2.1.20>10.1.1.20:s7comm": app.Declared,
		"10.2.1.10>10.1.1.30:dnp3":   app.Declared,
		"10.4.1.50>10.1.1.10:modbus": app.Undeclared,
		"10.4.1.50>10.3.1.5:dns":     app.OffPolicy,
		"10.4.1.51>10.3.1.6:https":   app.Unzoned,
		"10.2.1.20>10.3.1.8:rdp":     app.Undeclared,
	} {
		if byFlow[flow] != want {
			t.Errorf("%s: coverage %q, want %q", flow, byFlow[flow], want)
		}
	}

	got := trafficFindings(t, w)
	if n := len(got["ZW-TRAFFIC-001"]); n != 2 {
		t.Errorf("ZW-TRAFFIC-001: %d findings, want enterprise→control and supervisory→site: %v", n, got["ZW-TRAFFIC-001"])
	}
	for _, f := range got["ZW-TRAFFIC-001"] {
		if strings.Contains(f.Title, `zone "Enterprise" into zone "Control"`) && f.Severity != checks.High {
			t.Errorf("an L4 host reading an L1 PLC: %s, want high", f.Severity)
		}
	}
	if f := got["ZW-TRAFFIC-005"]; len(f) != 1 || !slices.Equal(f[0].Covers, []string{"10.4.1.51"}) {
		t.Errorf("ZW-TRAFFIC-005: %+v", f)
	}
	if len(got["ZW-TRAFFIC-003"]) != 1 {
		t.Errorf("ZW-TRAFFIC-003 (DNS and NTP over the HTTPS-only conduit): %+v", got["ZW-TRAFFIC-003"])
	}

	// The overview diagram draws the undeclared pairs.
	dm, err := w.DiagramModel()
	if err != nil {
		t.Fatal(err)
	}
	ctl, _ := w.ZoneByName("Control")
	ent, _ := w.ZoneByName("Enterprise")
	var links []string
	for _, l := range dm.Undeclared {
		links = append(links, l.From+">"+l.To+" "+l.Label)
	}
	if !slices.Contains(links, ent.ID+">"+ctl.ID+" modbus") || len(links) != 2 {
		t.Errorf("undeclared links %v, want enterprise>control modbus and supervisory>site rdp", links)
	}

	// The same file again: nothing is written.
	clock := w.Store().Clock()
	ims, err = w.ImportTraffic(ctx, []string{capture}, nil)
	if err != nil || len(ims) != 1 || !ims[0].Already {
		t.Fatalf("second import: %+v %v", ims, err)
	}
	if w.Store().Clock() != clock {
		t.Error("importing the same capture again wrote to the store")
	}
}

func TestAcceptMergeAndIgnoreHosts(t *testing.T) {
	w := plant(t)
	if _, err := w.ImportTraffic(ctx, []string{smallCapture(t)}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AcceptHost(ctx, "10.9.9.9", "", "", ""); err == nil || !strings.Contains(err.Error(), "not seen") {
		t.Fatalf("accepting a host never seen: %v", err)
	}
	ent, _ := w.ZoneByName("Enterprise")
	a, err := w.AcceptHost(ctx, "10.4.1.51", ent.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Tag == "" || a.Zone != ent.ID || !slices.Equal(a.IPs, []string{"10.4.1.51"}) || len(a.MACs) != 1 || a.Vendor == "" {
		t.Errorf("accepted asset %+v", a)
	}
	if _, err := w.AcceptHost(ctx, "10.4.1.51", ent.ID, "", ""); err == nil {
		t.Error("the same host accepted twice")
	}
	if got := trafficFindings(t, w)["ZW-TRAFFIC-005"]; len(got) != 0 {
		t.Errorf("unknown-host finding after every host was decided: %+v", got)
	}

	// Merging gives an existing asset the host's MAC.
	hmi, _ := w.AssetByTag("HMI-1")
	h, err := w.ObservedHost("10.2.1.10")
	if err != nil || h.Asset != hmi.ID {
		t.Fatalf("10.2.1.10 matched %q (%v), want HMI-1", h.Asset, err)
	}
	merged, err := w.MergeHost(ctx, "10.2.1.10", hmi.ID)
	if err != nil || !slices.Equal(merged.MACs, h.MACs) {
		t.Fatalf("merge: %+v %v", merged, err)
	}

	// Ignoring takes a host out of every traffic finding.
	if err := w.DeleteAsset(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.IgnoreHost(ctx, "10.4.1.51", "guest laptop"); err != nil {
		t.Fatal(err)
	}
	h, _ = w.ObservedHost("10.4.1.51")
	if h.Candidate() || h.Decision != "ignore" {
		t.Errorf("ignored host: %+v", h)
	}
	for _, fs := range trafficFindings(t, w) {
		for _, f := range fs {
			if strings.Contains(f.Detail, "10.4.1.51") || slices.Contains(f.Covers, "10.4.1.51") {
				t.Errorf("ignored host still in %s: %s", f.RuleID, f.Title)
			}
		}
	}
}

func TestTrafficImportRefusesWhatIsNotTraffic(t *testing.T) {
	w := plant(t)
	p := filepath.Join(t.TempDir(), "report.pdf")
	os.WriteFile(p, []byte("%PDF-1.7\n"), 0o600)
	clock := w.Store().Clock()
	if _, err := w.ImportTraffic(ctx, []string{smallCapture(t), p}, nil); err == nil || !strings.Contains(err.Error(), "report.pdf") {
		t.Fatalf("import with a PDF among the files: %v", err)
	}
	if w.Store().Clock() != clock {
		t.Error("a refused import wrote to the store")
	}
	o, _ := w.Observed()
	if len(o.Sources) != 0 {
		t.Errorf("sources after a refused import: %+v", o.Sources)
	}
}

// crashTrafficImport imports a capture into a workspace: WORKSPACE|CAPTURE.
func crashTrafficImport(job string) {
	dir, capture, _ := strings.Cut(job, "|")
	w, err := app.Open(ctx, dir, app.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(2)
	}
	if _, err := w.ImportTraffic(ctx, []string{capture}, nil); err != nil {
		fmt.Println("import:", err)
		os.Exit(2)
	}
	fmt.Println("imported")
	w.Close()
	os.Exit(0)
}

// TestKilledTrafficImportIsAllOrNothing kills an importing process at
// random moments: the workspace then holds the capture's source with all
// its hosts and flows, or nothing of it, and importing again completes.
func TestKilledTrafficImportIsAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs child processes")
	}
	dir := t.TempDir()
	capture := filepath.Join(dir, "big.pcap")
	f, _ := os.Create(capture)
	if _, err := synth.WritePcap(f, synth.Options{Seed: 5, Hosts: 3000, Bytes: 24 << 20}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fresh := func(name string) string {
		d := filepath.Join(dir, name)
		w, err := app.Create(ctx, d, app.Options{Unencrypted: true}, assets.Audit{Title: "Crash"})
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
		return d
	}
	run := func(target string, kill time.Duration) bool {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashTrafficEnv+"="+target+"|"+capture)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("importer failed: %v\n%s", err, out.String())
			}
		case <-time.After(kill):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
		}
		return strings.Contains(out.String(), "imported")
	}
	t0 := time.Now()
	if !run(fresh("timing"), 2*time.Minute) {
		t.Fatal("import did not finish")
	}
	span := time.Since(t0)
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("ZONEWALK_CRASH_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("kill times drawn from seed %d (replay with ZONEWALK_CRASH_SEED=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(3, seed))
	var none, all int
	for i := range 8 {
		target := fresh(fmt.Sprint("t", i))
		// Reading comes first and the commit last: kill in the second half.
		kill := span/2 + time.Duration(rng.Int64N(int64(span*2/3)))
		finished := run(target, kill)
		w, err := app.Open(ctx, target, app.Options{})
		if err != nil {
			t.Fatalf("open after kill at %v: %v", kill, err)
		}
		o, err := w.Observed()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case len(o.Sources) == 0 && !finished:
			none++
		case len(o.Sources) == 1 && len(o.Hosts) == o.Sources[0].Hosts && len(o.Flows) == o.Sources[0].Flows:
			all++
		default:
			t.Fatalf("killed at %v (finished %v): %d sources, %d hosts, %d flows", kill, finished, len(o.Sources), len(o.Hosts), len(o.Flows))
		}
		ims, err := w.ImportTraffic(ctx, []string{capture}, nil)
		if err != nil || len(ims) != 1 {
			t.Fatalf("import after a killed one: %v", err)
		}
		if o, _ := w.Observed(); len(o.Sources) != 1 || len(o.Hosts) != o.Sources[0].Hosts {
			t.Fatalf("after importing again: %+v", o.Sources)
		}
		w.Close()
	}
	t.Logf("import takes %v; 8 kills: %d left nothing, %d left everything", span.Round(time.Millisecond), none, all)
}
