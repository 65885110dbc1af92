package app_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

var (
	fixtureMu   sync.Mutex
	fixtureDirs = map[int]string{}
)

// syntheticDir returns a closed workspace of n assets in 50 zones, made once
// per test process and shared by the benchmarks that need it.
func syntheticDir(b *testing.B, n int) string {
	fixtureMu.Lock()
	defer fixtureMu.Unlock()
	if d, ok := fixtureDirs[n]; ok {
		return d
	}
	root, err := os.MkdirTemp("", "zonewalk-bench-")
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(root, strconv.Itoa(n))
	w, err := demo.Synthetic(ctx, dir, 50, n)
	if err != nil {
		b.Fatal(err)
	}
	w.Close()
	fixtureDirs[n] = dir
	return dir
}

// openChildEnv names a workspace for this test binary, run as a child of
// BenchmarkOpen, to open and report its memory: the benchmark's own
// process built the fixture, so its RSS says little about an open audit.
const (
	openChildEnv    = "ZONEWALK_OPEN_CHILD"
	crashTrafficEnv = "ZONEWALK_CRASH_TRAFFIC" // WORKSPACE|CAPTURE: import and exit
)

func TestMain(m *testing.M) {
	if job := os.Getenv(crashTrafficEnv); job != "" {
		crashTrafficImport(job)
		return
	}
	if dir := os.Getenv(openChildEnv); dir != "" {
		w, err := app.Open(ctx, dir, app.Options{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("%d %.1f\n", w.AssetCount(), rssMiB())
		w.Close()
		os.Exit(0)
	}
	code := m.Run()
	for _, d := range fixtureDirs {
		os.RemoveAll(filepath.Dir(d))
	}
	os.Exit(code)
}

// BenchmarkAddAsset measures one durable asset write (synced before return).
func BenchmarkAddAsset(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ws")
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true}, assets.Audit{Title: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.SaveAsset(assets.Asset{Tag: fmt.Sprintf("PLC-%d", i), Type: assets.TypePLC, Vendor: "Siemens", Firmware: "V2.9"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen measures opening a workspace and loading its inventory.
func BenchmarkOpen(b *testing.B) {
	for _, n := range []int{5000, 100000} {
		b.Run(fmt.Sprintf("assets=%d", n), func(b *testing.B) {
			dir := syntheticDir(b, n)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w, err := app.Open(ctx, dir, app.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if w.AssetCount() != n {
					b.Fatalf("%d assets", w.AssetCount())
				}
				b.StopTimer()
				w.Close()
				b.StartTimer()
			}
			b.StopTimer()
			b.ReportMetric(openRSS(b, dir, n), "RSS-MiB")
		})
	}
}

// BenchmarkFilter100k measures the asset list's filter at 100,000 assets.
func BenchmarkFilter100k(b *testing.B) {
	w, err := app.Open(ctx, syntheticDir(b, 100000), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	zone := w.Zones()[7].ID
	for _, c := range []struct {
		name string
		f    app.AssetFilter
	}{
		{"zone", app.AssetFilter{Zone: zone}},
		{"text", app.AssetFilter{Text: "siemens v2.3"}},
		{"text-nomatch", app.AssetFilter{Text: "no such thing"}},
		{"zone+type+text", app.AssetFilter{Zone: zone, Type: assets.TypePLC, Text: "model 1"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for i := 0; i < b.N; i++ {
				n = len(w.FilterAssets(c.f))
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// openRSS opens the workspace in dir in a fresh child process and returns
// its resident memory with the audit open.
func openRSS(b *testing.B, dir string, n int) float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), openChildEnv+"="+dir)
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("child: %v", err)
	}
	var count int
	var rss float64
	if _, err := fmt.Sscan(string(out), &count, &rss); err != nil || count != n {
		b.Fatalf("child printed %q", out)
	}
	return rss
}

// rssMiB reads this process's resident memory.
func rssMiB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkFindingsAfterEdit100k measures what keeping findings current
// costs at 100,000 assets: one asset edited, then the findings brought up
// to date (checks, reconcile, writes of what changed).
func BenchmarkFindingsAfterEdit100k(b *testing.B) {
	src := syntheticDir(b, 100000)
	dir := filepath.Join(b.TempDir(), "ws")
	if out, err := exec.Command("cp", "-a", src, dir).CombinedOutput(); err != nil {
		b.Fatalf("%v %s", err, out)
	}
	w, err := app.Open(ctx, dir, app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	today := time.Now()
	if _, err := w.CurrentFindings(ctx, today); err != nil {
		b.Fatal(err)
	}
	a := *w.Assets()[0]
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		a.Firmware = fmt.Sprint("V", i%7)
		if a, err = w.SaveAsset(a); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		fs, err := w.CurrentFindings(ctx, today)
		if err != nil || len(fs) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreAllLevels100k scores a 100,000-asset audit in 50 zones
// at every level: per zone the SL-T the risk register suggests (20
// scenarios), SL-C over its members (a capability record for every other
// vendor and model), SL-A from the 62443-3-3 answers, and every conduit's
// SL-A. It is what the Risk screen and `capability show` compute.
func BenchmarkScoreAllLevels100k(b *testing.B) {
	w, err := app.Open(ctx, syntheticDir(b, 100_000), app.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	seen := map[string]bool{}
	for _, a := range w.Assets() {
		if k := assets.ModelKey(a.Vendor, a.Model); !seen[k] {
			seen[k] = true
			if len(seen)%2 == 1 {
				if _, err := w.SaveCapability(assets.Capability{Vendor: a.Vendor, Model: a.Model, ComponentType: "edr",
					SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}}); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	zones := w.Zones()
	for i := range 20 {
		z := zones[i%len(zones)]
		if _, err := w.SaveRisk(assets.Risk{Title: fmt.Sprintf("Scenario %d", i), Scope: assets.Ref{Kind: "zone", ID: z.ID},
			Attacker: 1 + i%4, FRs: []assets.FR{assets.FRs[i%7]}, Likelihood: 3, Impact: 4}); err != nil {
			b.Fatal(err)
		}
	}
	for _, z := range zones[:10] {
		for _, it := range []string{"SR 1.1", "SR 2.1", "SR 3.1", "SR 5.1", "SR 7.1"} {
			if _, err := w.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: it, Zone: z.ID, Status: checklist.StatusMet}); err != nil {
				b.Fatal(err)
			}
		}
	}
	for b.Loop() {
		for _, z := range zones {
			if _, _, err := w.SuggestZoneSLT(z.ID); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.ZoneCapabilities(); err != nil {
			b.Fatal(err)
		}
		if _, err := w.AchievedLevels(checklist.IEC62443_3_3_2013); err != nil {
			b.Fatal(err)
		}
		if _, err := w.ScoreConduits(checklist.IEC62443_3_3_2013); err != nil {
			b.Fatal(err)
		}
	}
}
