package cli

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
)

// diffDemoPair makes two demo audits and edits the second: HMI-LAB-01
// gets its firmware and a note with a bidi override and a line break, HMI-CR-03 is
// deleted and captured again, and SCADA's SL-T rises on FR 3.
func diffDemoPair(t *testing.T) (oldDir, newDir string) {
	t.Helper()
	ctx := context.Background()
	oldDir, newDir = filepath.Join(t.TempDir(), "2025"), filepath.Join(t.TempDir(), "2026")
	old, err := demo.Create(ctx, oldDir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	w, err := demo.Create(ctx, newDir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	hmi, _ := w.Asset("asset-hmi4")
	hmi.Firmware, hmi.Notes = "2014 R2 SP1", "label \u202efaded\nsecond line"
	if _, err := w.SaveAsset(hmi); err != nil {
		t.Fatal(err)
	}
	again, _ := w.Asset("asset-hmi3")
	if err := w.DeleteAsset("asset-hmi3"); err != nil {
		t.Fatal(err)
	}
	again.Meta = assets.Meta{ID: "asset-hmi3-again"}
	if _, err := w.SaveAsset(again); err != nil {
		t.Fatal(err)
	}
	z, _ := w.Zone(demo.ZoneSCADA)
	z.SLT[assets.SI] = min(z.SLT[assets.SI]+1, 4)
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	return oldDir, newDir
}

func wantDemoCounts(t *testing.T, out string) *diff.Report {
	t.Helper()
	var r diff.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("json output: %v\n%s", err, out)
	}
	want := diff.AssetCounts{Added: 1, Removed: 1, Changed: 1, Recreated: 1}
	if r.Counts.Assets != want || r.Counts.Zones != (diff.RecordCounts{Changed: 1}) || r.Day != "2026-11-25" {
		t.Errorf("counts %+v, day %s", r.Counts, r.Day)
	}
	if r.Counts.Findings.StillOpen < 10 {
		t.Errorf("%d findings still open in the demo", r.Counts.Findings.StillOpen)
	}
	return &r
}

func TestDiffCommand(t *testing.T) {
	oldDir, newDir := diffDemoPair(t)
	code, out, stderr := run(t, nil, "diff", "--workspace", newDir, "--baseline", oldDir, "--date", "2026-11-25")
	if code != 0 {
		t.Fatalf("diff: exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"findings of both judged on 2026-11-25",
		"1 added (1 re-created with the same tag), 1 removed, 1 changed",
		"ASSETS ADDED", "ASSETS REMOVED", "re-created (same tag)", "HMI-CR-03",
		"ASSETS CHANGED", "HMI-LAB-01", "firmware", "2014 R2 SP1",
		`label \u202efaded second line`, // the bidi override escaped, one line
		"ZONES CHANGED", "SL-T FR 3 SI", "ZONE LEVELS", "FINDINGS STILL OPEN",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\u202e") {
		t.Errorf("table carries a raw right-to-left override")
	}
	code, out, stderr = run(t, nil, "diff", "--workspace", newDir, "--baseline", oldDir, "--date", "2026-11-25", "--format", "json")
	if code != 0 {
		t.Fatalf("diff json: exit %d, stderr %q", code, stderr)
	}
	r := wantDemoCounts(t, out)
	if ch := r.Assets.Changed[0].Changes; len(ch) != 2 || ch[0].Field != "firmware" || ch[1].After != "label \u202efaded\nsecond line" {
		t.Errorf("HMI-LAB-01 changes %+v", ch)
	}

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"diff", "--workspace", newDir}, 2, "--baseline OLD is required"},
		{[]string{"diff", "--workspace", newDir, "--baseline", newDir + "/."}, 2, "same workspace"},
		{[]string{"diff", "--workspace", newDir, "--baseline", oldDir, "--format", "csv"}, 2, "--format"},
		{[]string{"diff", "--workspace", newDir, "--baseline", filepath.Join(oldDir, "missing")}, 1, "baseline"},
		{[]string{"diff", "--workspace", newDir, "--baseline", t.TempDir()}, 1, "not a Zonewalk workspace"},
	} {
		code, _, stderr := run(t, nil, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

func TestDiffBundleBaseline(t *testing.T) {
	ctx := context.Background()
	oldDir, newDir := diffDemoPair(t)
	old, err := app.Open(ctx, oldDir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	key, err := bundle.DeviceKey(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "2025.zwb")
	if _, err := bundle.Export(ctx, old, file, bundle.ExportOptions{Passphrase: []byte("bundle pass"), ScryptWorkFactor: 10}); err != nil {
		t.Fatal(err)
	}
	old.Close()
	env := map[string]string{bundlePassEnv: "bundle pass"}

	// The demo laptops have different keys: the signer must be trusted.
	code, _, stderr := run(t, env, "diff", "--workspace", newDir, "--baseline", file, "--date", "2026-11-25")
	if code != 1 || !strings.Contains(stderr, "does not trust") || !strings.Contains(stderr, "--trust") {
		t.Fatalf("untrusted baseline bundle: exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = run(t, nil, "diff", "--workspace", newDir, "--baseline", file, "--trust", key.PublicKey)
	if code != 1 || !strings.Contains(stderr, "--identity") {
		t.Fatalf("baseline bundle without its passphrase: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := run(t, env, "diff", "--workspace", newDir, "--baseline", file, "--trust", key.PublicKey,
		"--date", "2026-11-25", "--format", "json")
	if code != 0 {
		t.Fatalf("diff against a bundle: exit %d, stderr %q", code, stderr)
	}
	wantDemoCounts(t, out)

	// Trusted by the workspace: no --trust needed.
	w, err := app.Open(ctx, newDir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Trust(ctx, w, key.PublicKey, "last year's laptop"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if code, _, stderr = run(t, env, "diff", "--workspace", newDir, "--baseline", file); code != 0 {
		t.Fatalf("diff against a bundle of a trusted signer: exit %d, stderr %q", code, stderr)
	}
}

func TestDiffEncryptedBaseline(t *testing.T) {
	ctx := context.Background()
	oldDir, newDir := filepath.Join(t.TempDir(), "old"), filepath.Join(t.TempDir(), "new")
	const pass = "old audit passphrase"
	for _, c := range []struct {
		dir  string
		opts app.Options
	}{{oldDir, app.Options{Passphrase: []byte(pass)}}, {newDir, app.Options{Unencrypted: true}}} {
		w, err := app.Create(ctx, c.dir, c.opts, assets.Audit{Title: "Site"})
		if err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	code, _, stderr := run(t, nil, "diff", "--workspace", newDir, "--baseline", oldDir)
	if code != 2 || !strings.Contains(stderr, baselinePassEnv) {
		t.Fatalf("encrypted baseline without passphrase: exit %d, stderr %q", code, stderr)
	}
	code, out, stderr := run(t, map[string]string{baselinePassEnv: pass}, "diff", "--workspace", newDir, "--baseline", oldDir)
	if code != 0 || !strings.Contains(out, "No changes.") {
		t.Fatalf("encrypted baseline: exit %d, stderr %q\n%s", code, stderr, out)
	}
	if code, _, stderr = run(t, map[string]string{baselinePassEnv: "wrong passphrase!"}, "diff", "--workspace", newDir, "--baseline", oldDir); code != 1 {
		t.Fatalf("wrong baseline passphrase: exit %d, stderr %q", code, stderr)
	}
}

func TestReportWithBaseline(t *testing.T) {
	oldDir, newDir := diffDemoPair(t)
	out := filepath.Join(t.TempDir(), "report.pdf")
	code, _, stderr := run(t, nil, "report", "--workspace", newDir, "--out", out, "--baseline", oldDir,
		"--date", "2026-11-25", "--no-zone-diagrams", "--quiet")
	if code != 0 {
		t.Fatalf("report --baseline: exit %d, stderr %q", code, stderr)
	}
	needPdftotext(t)
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	for _, want := range []string{"Changes since the previous audit", "HMI-LAB-01 firmware – 2014 R2 SP1", "removed (re-created, same tag)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	code, _, stderr = run(t, nil, "report", "--workspace", newDir, "--out", out, "--baseline", oldDir, "--redact", "vendor")
	if code != 2 || !strings.Contains(stderr, "--redact") {
		t.Errorf("report --baseline --redact: exit %d, stderr %q", code, stderr)
	}
}
