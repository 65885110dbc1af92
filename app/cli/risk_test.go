package cli

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// riskJSON runs a command that prints JSON and decodes it into v.
func riskJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	reflect.ValueOf(v).Elem().SetZero() // a reused value must not keep old fields
	code, out, stderr := checkRun(args...)
	if code != 0 {
		t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
	}
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

func wantRun(t *testing.T, code int, inStdout, inStderr string, args ...string) string {
	t.Helper()
	got, out, stderr := checkRun(args...)
	if got != code || !strings.Contains(out, inStdout) || !strings.Contains(stderr, inStderr) {
		t.Fatalf("%v: exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", args, got, code, out, inStdout, stderr, inStderr)
	}
	return out
}

// riskDemoDir is the demo audit with its risk register, countermeasures
// and SL-T bases removed, so the figures below do not follow the demo's
// content.
func riskDemoDir(t *testing.T) string {
	t.Helper()
	dir := checkDemoDir(t)
	w, err := app.Open(context.Background(), dir, app.Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	rs, err := w.Risks()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if err := w.DeleteRisk(r.ID); err != nil {
			t.Fatal(err)
		}
	}
	cms, err := w.Countermeasures()
	if err != nil {
		t.Fatal(err)
	}
	for _, cm := range cms {
		if err := w.DeleteCountermeasure(cm.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, z := range w.Zones() {
		if z.SLTBasis != (assets.SLTBasis{}) {
			z.SLTBasis = assets.SLTBasis{}
			if _, err := w.SaveZone(z); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestRiskCommands(t *testing.T) {
	dir := riskDemoDir(t)
	ws := []string{"--workspace", dir}
	cmd := func(args ...string) []string { return append(args, ws...) }

	// Countermeasures.
	var cm countermeasureRow
	riskJSON(t, &cm, cmd("countermeasure", "add", "--name", "Jump host with MFA", "--applies-to", "conduit:c7 vendor remote access",
		"--applies-to", "zone:Industrial DMZ", "--fr", "FR1,UC", "--owner", "OT team", "--evidence", "FW-2026-03 rule export",
		"--format", "json")...)
	if cm.ID == "" || cm.Name != "Jump host with MFA" || len(cm.AppliesTo) != 2 || cm.AppliesTo[0] != (assets.Ref{Kind: "conduit", ID: "conduit-vendor-remote"}) ||
		len(cm.FRs) != 2 || cm.FRs[1] != assets.UC || cm.Owner != "OT team" {
		t.Fatalf("countermeasure %+v", cm)
	}
	wantRun(t, 1, "", `no zone is named "Nowhere"`, cmd("countermeasure", "add", "--name", "X", "--applies-to", "zone:Nowhere")...)
	wantRun(t, 2, "", "--applies-to", cmd("countermeasure", "add", "--name", "X", "--applies-to", "room:1")...)
	wantRun(t, 2, "", `"FR9" is not a foundational requirement`, cmd("countermeasure", "add", "--name", "X", "--fr", "FR9")...)
	wantRun(t, 1, "", "status", cmd("countermeasure", "add", "--name", "X", "--status", "hoped-for")...)
	out := wantRun(t, 0, "Jump host with MFA", "", cmd("countermeasure", "list")...)
	for _, want := range []string{"ID", "APPLIES TO", "conduit C7 Vendor remote access; zone Industrial DMZ", "FR1,FR2", "implemented", "1 countermeasure"} {
		if !strings.Contains(out, want) {
			t.Errorf("countermeasure list lacks %q:\n%s", want, out)
		}
	}

	// A scenario on conduit C2 (DMZ – SCADA): 3 × 5 = 15, attacker 3, FR 1 and FR 5.
	out = wantRun(t, 0, "risk 15 (above tolerable), attacker SL 3, FR1,FR5", "", cmd("risk", "add",
		"--title", "Ransomware through the historian link", "--scope", "conduit:C2 DMZ – SCADA",
		"--likelihood", "possible", "--impact", "5", "--attacker", "3", "--fr", "IAC,FR 5",
		"--countermeasure", "jump host with mfa", "--threat-source", "criminal group", "--vector", "phishing, then RDP")...)
	if !strings.Contains(out, "on conduit C2 DMZ – SCADA") {
		t.Errorf("add output %q", out)
	}
	// Nothing above the line reaches the pumping stations yet.
	wantRun(t, 1, "", "suggests no SL-T", cmd("risk", "slt", "--zone", "Remote Pumping Stations", "--accept")...)

	// Bad input: clear errors, nothing stored.
	bad := []struct {
		code   int
		stderr string
		args   []string
	}{
		{1, `risk "Bad": likelihood "9": must be 1–5 on the audit's 5×5 risk matrix`, []string{"--likelihood", "9"}},
		{1, `attacker "5"`, []string{"--attacker", "5"}},
		{1, "countermeasure cm-missing", []string{"--countermeasure", "cm-missing"}},
		{1, `no conduit is named "C99"`, []string{"--scope", "conduit:C99"}},
		{2, `--scope "plant": want suc, zone:NAME or conduit:NAME`, []string{"--scope", "plant"}},
		{2, `--likelihood "often": want 1–5 or one of Rare`, []string{"--likelihood", "often"}},
		{1, "residual_likelihood", []string{"--residual-likelihood", "1", "--residual-impact", "1"}},
	}
	for _, b := range bad {
		args := cmd("risk", "add", "--title", "Bad", "--scope", "suc", "--likelihood", "2", "--impact", "2")
		args = append(args, b.args...)
		wantRun(t, b.code, "", b.stderr, args...)
	}
	wantRun(t, 2, "", "--title is required", cmd("risk", "add", "--scope", "suc", "--likelihood", "2", "--impact", "2")...)
	var rows []riskRow
	riskJSON(t, &rows, cmd("risk", "list", "--format", "json")...)
	if len(rows) != 1 || rows[0].Score != 15 || rows[0].Counts != 15 || rows[0].Tolerable || rows[0].ScopeName != "conduit C2 DMZ – SCADA" ||
		len(rows[0].Countermeasures) != 1 || rows[0].Countermeasures[0] != cm.ID {
		t.Fatalf("after refused adds: %+v", rows)
	}

	// A site-wide scenario without countermeasure: 2 × 4 = 8, attacker 2, FR 2.
	var phish riskRow
	riskJSON(t, &phish, cmd("risk", "add", "--title", "Phishing", "--scope", "suc", "--likelihood", "2", "--impact", "major",
		"--attacker", "2", "--fr", "2", "--format", "json")...)
	if phish.Score != 8 || phish.Stage != assets.StageInitial || phish.Scope.Kind != "audit" {
		t.Fatalf("phishing %+v", phish)
	}
	// A detailed one on the pumping stations, within the line after countermeasures.
	wantRun(t, 0, "risk 3 (within tolerable)", "", cmd("risk", "add", "--title", "Radio link jammed", "--scope", "zone:Remote Pumping Stations",
		"--stage", "detailed", "--likelihood", "3", "--impact", "3", "--residual-likelihood", "1", "--residual-impact", "3",
		"--attacker", "2", "--fr", "RA", "--countermeasure", cm.ID)...)

	riskJSON(t, &rows, cmd("risk", "list", "--zone", "SCADA & Operations", "--format", "json")...)
	if len(rows) != 2 || rows[0].Title != "Ransomware through the historian link" || rows[1].Title != "Phishing" {
		t.Fatalf("SCADA scenarios %+v", rows)
	}
	riskJSON(t, &rows, cmd("risk", "list", "--zone", "Remote Pumping Stations", "--format", "json")...)
	// Highest risk that counts first: phishing 8, then the radio link's residual 3.
	if len(rows) != 2 || rows[0].Title != "Phishing" || rows[1].Title != "Radio link jammed" || rows[1].Counts != 3 || !rows[1].Tolerable {
		t.Fatalf("pumping station scenarios %+v", rows)
	}
	out = wantRun(t, 0, "matrix 5×5, tolerable up to 4", "", cmd("risk", "list")...)
	for _, want := range []string{"RESIDUAL", "3×5=15 !", "1×3=3", "SuC", "zone Remote Pumping Stations", "3 scenarios"} {
		if !strings.Contains(out, want) {
			t.Errorf("risk list lacks %q:\n%s", want, out)
		}
	}

	// Scores, by hand: SCADA gets FR 1 and FR 5 at 3 from the C2 scenario and FR 2 at 2 from phishing.
	var score []scoreRow
	riskJSON(t, &score, cmd("risk", "score", "--zone", "SCADA & Operations", "--format", "json")...)
	want := assets.SLVector{3, 2, 0, 0, 3, 0, 0}
	if len(score) != 1 || score[0].Suggested != want || score[0].Current != assets.UniformSL(2) || score[0].Matches ||
		score[0].Basis.Source != "" || len(score[0].Reasons) != 7 {
		t.Fatalf("SCADA score %+v", score)
	}
	if r := score[0].Reasons[4]; r.FR != "FR 5 RDF" || r.Level != 3 || r.SetBy == nil || r.SetBy.Title != "Ransomware through the historian link" ||
		!strings.Contains(r.Text, "risk 15 above tolerable 4, attacker SL 3") {
		t.Errorf("RDF reason %+v", r)
	}
	// Pumping stations: phishing for FR 2; the radio scenario's residual 3 is within the line.
	riskJSON(t, &score, cmd("risk", "score", "--zone", "Remote Pumping Stations", "--format", "json")...)
	if score[0].Suggested != (assets.SLVector{0, 2, 0, 0, 0, 0, 0}) || len(score[0].Reasons[6].Considered) != 1 || score[0].Reasons[6].SetBy != nil {
		t.Fatalf("pumping stations score %+v", score[0])
	}
	out = wantRun(t, 0, `zone "SCADA & Operations"`, "", cmd("risk", "score")...)
	for _, want := range []string{"suggested SL-T SL 3 (3,2,0,0,3,0,0)", "current SL-T   SL 2, typed in (no risk basis)",
		`FR 2 UC: SL 2, set by "Phishing"`, `zone "Transient Devices"`} {
		if !strings.Contains(out, want) {
			t.Errorf("risk score lacks %q:\n%s", want, out)
		}
	}

	// Accept, then override.
	wantRun(t, 0, `zone "SCADA & Operations": SL-T SL 3 (3,2,0,0,3,0,0), risk assessment, accepted`, "",
		cmd("risk", "slt", "--zone", "SCADA & Operations", "--accept")...)
	riskJSON(t, &score, cmd("risk", "score", "--zone", "scada & operations", "--format", "json")...)
	if !score[0].Matches || score[0].Basis != (assets.SLTBasis{Source: assets.BasisRisk, Suggested: want}) {
		t.Fatalf("after accepting: %+v", score[0])
	}
	wantRun(t, 2, "", "--override needs --reason", cmd("risk", "slt", "--zone", "SCADA & Operations", "--override", "FR3=2")...)
	wantRun(t, 2, "", "give either --accept or --override", cmd("risk", "slt", "--zone", "SCADA & Operations")...)
	wantRun(t, 2, "", `"5" is not a level 0–4`, cmd("risk", "slt", "--zone", "SCADA & Operations", "--override", "SI=5", "--reason", "x")...)
	wantRun(t, 0, "SL-T SL 3 (3,2,2,0,3,0,0), override of SL 3 (3,2,0,0,3,0,0): operators' HMIs", "",
		cmd("risk", "slt", "--zone", "SCADA & Operations", "--override", "FR3=2", "--reason", "operators' HMIs run unpatched software")...)
	wantRun(t, 0, "SL-T SL 2, override of", "", cmd("risk", "slt", "--zone", "Transient Devices", "--override", "2", "--reason", "company standard")...)

	// The model checks see the register: phishing (8 > 4) has no countermeasure.
	var fs []checks.Finding
	riskJSON(t, &fs, cmd("check", "--date", "2026-11-25", "--format", "json")...)
	var untreated, noBasis, override int
	for _, f := range fs {
		switch f.RuleID {
		case "ZW-RISK-003":
			untreated++
			if f.SubjectName != "Phishing" || f.Subject != (assets.Ref{Kind: "risk", ID: phish.ID}) {
				t.Errorf("ZW-RISK-003 on %+v", f.Subject)
			}
		case "ZW-RISK-001":
			noBasis++ // the site-wide scenario covers every zone
		case "ZW-RISK-002":
			override++
		}
	}
	if untreated != 1 || noBasis != 0 || override != 0 {
		t.Errorf("risk findings: %d ZW-RISK-003 (want 1), %d ZW-RISK-001 (want 0), %d ZW-RISK-002 (want 0)", untreated, noBasis, override)
	}

	// A countermeasure a scenario relies on is not deleted.
	wantRun(t, 1, "", "still in use", cmd("countermeasure", "delete", "Jump host with MFA")...)
	wantRun(t, 1, "", `no countermeasure has the ID or name "nothing"`, cmd("countermeasure", "delete", "nothing")...)
	riskJSON(t, &cm, cmd("countermeasure", "add", "--name", "Spare", "--status", "planned", "--format", "json")...)
	wantRun(t, 0, "deleted countermeasure", "", cmd("countermeasure", "delete", cm.ID)...)
	var cms []countermeasureRow
	riskJSON(t, &cms, cmd("countermeasure", "list", "--format", "json")...)
	if len(cms) != 1 || cms[0].Name != "Jump host with MFA" || cms[0].AppliesToNames[0] != "conduit C7 Vendor remote access" {
		t.Fatalf("countermeasures %+v", cms)
	}

	// Usage errors.
	wantRun(t, 2, "", "want a subcommand", "risk")
	wantRun(t, 2, "", `unknown subcommand "drop"`, "risk", "drop")
	wantRun(t, 2, "", "want a subcommand", "countermeasure", "--workspace", dir)
	wantRun(t, 2, "", "--workspace DIR is required", "risk", "list")
	wantRun(t, 2, "", "--format", cmd("risk", "score", "--format", "xml")...)
}

func TestParseOverride(t *testing.T) {
	base := assets.SLVector{2, 2, 2, 2, 2, 2, 2}
	for _, c := range []struct {
		in   string
		want assets.SLVector
	}{
		{"FR1=3,FR5=4", assets.SLVector{3, 2, 2, 2, 4, 2, 2}},
		{"iac=1, RA = 3", assets.SLVector{1, 2, 2, 2, 2, 2, 3}},
		{"FR 7=0", assets.SLVector{2, 2, 2, 2, 2, 2, 0}},
		{"3", assets.UniformSL(3)},
		{"1,2,3,4,1,2,3", assets.SLVector{1, 2, 3, 4, 1, 2, 3}},
	} {
		got, err := parseOverride(c.in, base)
		if err != nil || got != c.want {
			t.Errorf("parseOverride(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"FR8=2", "FR1=5", "FR1", "FR1=2,x", "1,2", "SL9"} {
		if _, err := parseOverride(bad, base); err == nil {
			t.Errorf("parseOverride(%q): no error", bad)
		}
	}
}

// On the demo as shipped, whatever its register holds: every listed
// scenario names its scope, and score has a row with seven reasons per zone.
func TestRiskOnDemo(t *testing.T) {
	dir := checkDemoDir(t)
	var rows []riskRow
	riskJSON(t, &rows, "risk", "list", "--workspace", dir, "--format", "json")
	for _, r := range rows {
		if r.ScopeName == "" || strings.HasSuffix(r.ScopeName, "(missing)") || r.Score < 1 {
			t.Errorf("scenario %q: scope %q, score %d", r.Title, r.ScopeName, r.Score)
		}
	}
	var score []scoreRow
	riskJSON(t, &score, "risk", "score", "--workspace", dir, "--format", "json")
	if len(score) != 8 {
		t.Fatalf("%d zones scored, want the demo's 8", len(score))
	}
	for _, z := range score {
		if len(z.Reasons) != 7 {
			t.Errorf("zone %q: %d reasons", z.Zone, len(z.Reasons))
		}
		for i, r := range z.Reasons {
			if r.Level != z.Suggested[i] {
				t.Errorf("zone %q %s: reason level %d, suggestion %d", z.Zone, r.FR, r.Level, z.Suggested[i])
			}
		}
	}
}

// FuzzParseOverride: any --override text gives levels 0–4 or an error.
func FuzzParseOverride(f *testing.F) {
	for _, s := range []string{"FR1=3,FR5=2", "iac=1, RA = 3", "3", "1,2,3,4,1,2,3", "FR8=2", "=", ",,,", "FR1=-1", "SL 2", "FR 7=0,FR7=4"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseOverride(s, assets.UniformSL(2))
		if err != nil {
			return
		}
		for i, l := range v {
			if l < 0 || l > 4 {
				t.Fatalf("parseOverride(%q): FR %d level %d", s, i+1, l)
			}
		}
	})
}

func TestRiskMatrixCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := run(t, nil, "risk", "matrix", "--workspace", dir)
	if code != 0 || !strings.Contains(out, "likelihood (1–5): Rare") || !strings.Contains(out, "up to 4 of 25") {
		t.Fatalf("default: %d %q %s", code, out, errs)
	}
	// The demo rates scenarios up to likelihood 4: a 3-step scale is refused.
	code, _, errs = run(t, nil, "risk", "matrix", "--workspace", dir, "--likelihoods", "Low,Medium,High")
	if code != 1 || !strings.Contains(errs, "rated outside it") || !strings.Contains(errs, "Phishing") {
		t.Errorf("a matrix too small for the register: %d %s", code, errs)
	}
	code, out, errs = run(t, nil, "risk", "matrix", "--workspace", dir, "--tolerable", "6")
	if code != 0 || !strings.Contains(out, "up to 6 of 25") {
		t.Fatalf("tolerable 6: %d %q %s", code, out, errs)
	}
	if code, out, _ := run(t, nil, "risk", "matrix", "--workspace", dir, "--default"); code != 0 || !strings.Contains(out, "up to 4 of 25") {
		t.Errorf("--default: %d %q", code, out)
	}
}
