package diff

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// TestGoldenPair compares the golden pair with testdata/golden-pair.json,
// written by hand from the fixture and the rules (finding IDs from
// sha256sum of the rule, subject kind and ID joined by NUL bytes).
func TestGoldenPair(t *testing.T) {
	before, after := goldenPair(t)
	r, err := Compare(context.Background(), before, after, goldenDay)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	wantRaw, err := os.ReadFile("testdata/golden-pair.json")
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(wantRaw, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("report differs from testdata/golden-pair.json; got:\n%s", got)
	}
}

// edited builds the golden base twice, lets edit change either side, and
// compares them on goldenDay.
func edited(t *testing.T, edit func(before, after *app.Workspace)) *Report {
	t.Helper()
	before := goldenBase(t, filepath.Join(t.TempDir(), "before"))
	after := goldenBase(t, filepath.Join(t.TempDir(), "after"))
	t.Cleanup(func() { before.Close(); after.Close() })
	edit(before, after)
	r, err := Compare(context.Background(), before, after, goldenDay)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// wantChanges checks a record's changes against field/before/after triples
// written as JSON values.
func wantChanges(t *testing.T, what string, got []FieldChange, want ...[3]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d changes %s, want %d", what, len(got), asJSON(got), len(want))
		return
	}
	for i, w := range want {
		g := got[i]
		if g.Field != w[0] || asJSON(g.Before) != w[1] || asJSON(g.After) != w[2] {
			t.Errorf("%s change %d: %s %s → %s, want %s %s → %s", what, i, g.Field, asJSON(g.Before), asJSON(g.After), w[0], w[1], w[2])
		}
	}
}

func TestUnchanged(t *testing.T) {
	r := edited(t, func(_, _ *app.Workspace) {})
	if !r.Unchanged() {
		t.Fatalf("two builds of one audit differ: %s", asJSON(r.Counts))
	}
	// ZW-ASSET-002 (PLC-101) and ZW-ZONE-006 (Control) are raised on both.
	if n := r.Counts.Findings.StillOpen; n != 2 {
		t.Errorf("%d findings still open, want 2: %s", n, asJSON(r.Findings.StillOpen))
	}
	if len(r.Zones.Levels) != 2 || r.Zones.Levels[0].SLABefore == nil || r.Zones.Levels[1].SLABefore != nil {
		t.Errorf("levels: %s", asJSON(r.Zones.Levels))
	}
}

func TestReverse(t *testing.T) {
	before, after := goldenPair(t)
	r, err := Compare(context.Background(), after, before, goldenDay)
	if err != nil {
		t.Fatal(err)
	}
	want := Counts{Assets: AssetCounts{Added: 1, Removed: 1, Changed: 1, Recreated: 1},
		Zones: RecordCounts{Changed: 1}, Conduits: RecordCounts{Changed: 1},
		Findings: FindingCounts{New: 1, Resolved: 3, StillOpen: 1}, Answers: 1}
	if r.Counts != want {
		t.Fatalf("reverse counts %s, want %s", asJSON(r.Counts), asJSON(want))
	}
	if r.Assets.Added[0].ID != "a-plc2" || r.Assets.Removed[0].ID != "a-plc2-new" {
		t.Errorf("reverse added %s removed %s", asJSON(r.Assets.Added), asJSON(r.Assets.Removed))
	}
	wantChanges(t, "PLC-101", r.Assets.Changed[0].Changes, [3]string{"firmware", `"V1.4"`, `""`})
	if f := r.Findings.New[0]; f.Rule != "ZW-ASSET-002" || f.Before != "" || f.After != "open" {
		t.Errorf("reverse new finding %s", asJSON(f))
	}
	if a := r.Answers[0]; a.Before.Status != "not-met" || a.After.Status != "met" {
		t.Errorf("reverse answer %s", asJSON(a))
	}
}

func TestAssetFields(t *testing.T) {
	r := edited(t, func(before, after *app.Workspace) {
		must := saved(t)
		// The same address list in another order is no change.
		b, _ := before.Asset("a-hmi")
		b.IPs = []string{"10.0.2.21", "10.0.2.22"}
		must(before.SaveAsset(b))
		a, _ := after.Asset("a-hmi")
		a.IPs = []string{"10.0.2.22", "10.0.2.21"}
		a.Location.Room, a.EndOfLife, a.SLC, a.Notes = "R 2.14", true, 2, "Panel replaced in March"
		a.Zone = "z-ctl"
		must(after.SaveAsset(a))
		p, _ := after.Asset("a-plc1")
		p.Tag, p.MACs, p.Wireless, p.Criticality = "PLC-101A", []string{"00:1b:1b:00:00:02", "00:1b:1b:00:00:01"}, true, assets.CriticalityHigh
		must(after.SaveAsset(p))
		// A renamed zone changes the zone, not its assets.
		z, _ := after.Zone("z-sup")
		z.Name = "SCADA"
		must(after.SaveZone(z))
	})
	if r.Counts.Assets != (AssetCounts{Changed: 2}) {
		t.Fatalf("counts %s", asJSON(r.Counts.Assets))
	}
	// Sorted by tag: HMI-201, then PLC-101A; fields in the documented order.
	hmi, plc := r.Assets.Changed[0], r.Assets.Changed[1]
	if hmi.ID != "a-hmi" || plc.ID != "a-plc1" || plc.Tag != "PLC-101A" {
		t.Fatalf("changed %s", asJSON(r.Assets.Changed))
	}
	wantChanges(t, "HMI-201", hmi.Changes,
		[3]string{"zone", `"Supervisory"`, `"Control"`},
		[3]string{"location.room", `""`, `"R 2.14"`},
		[3]string{"end_of_life", "false", "true"},
		[3]string{"sl_c", "0", "2"},
		[3]string{"notes", `""`, `"Panel replaced in March"`})
	wantChanges(t, "PLC-101", plc.Changes,
		[3]string{"tag", `"PLC-101"`, `"PLC-101A"`},
		[3]string{"macs", `[]`, `["00:1b:1b:00:00:01","00:1b:1b:00:00:02"]`},
		[3]string{"criticality", `""`, `"high"`},
		[3]string{"wireless", "false", "true"})
	if len(r.Zones.Changed) != 1 {
		t.Fatalf("zones changed %s", asJSON(r.Zones.Changed))
	}
	wantChanges(t, "zone", r.Zones.Changed[0].Changes, [3]string{"name", `"Supervisory"`, `"SCADA"`})
}

func TestZoneRecreatedByName(t *testing.T) {
	// The conduit and an asset move from Supervisory to a new zone record
	// of the same name: by name nothing moved; the zone is removed and added.
	r := edited(t, func(_, after *app.Workspace) {
		must := saved(t)
		old, _ := after.Zone("z-sup")
		must(after.SaveZone(assets.Zone{Meta: assets.Meta{ID: "z-sup-2"}, Name: "Supervisory (new)",
			PurdueLevels: old.PurdueLevels, SLT: old.SLT}))
		c, _ := after.Conduit("c-sc")
		c.From = "z-sup-2"
		must(after.SaveConduit(c))
		a, _ := after.Asset("a-hmi")
		a.Zone = "z-sup-2"
		must(after.SaveAsset(a))
		if err := after.DeleteZone(context.Background(), "z-sup"); err != nil {
			t.Fatal(err)
		}
		z, _ := after.Zone("z-sup-2")
		z.Name = "supervisory" // same name, ignoring case
		must(after.SaveZone(z))
	})
	if r.Counts.Assets.Changed != 0 || r.Counts.Conduits.Changed != 0 {
		t.Errorf("a zone re-created under its name moved assets %s or conduits %s", asJSON(r.Assets.Changed), asJSON(r.Conduits.Changed))
	}
	if r.Counts.Zones != (RecordCounts{Added: 1, Removed: 1}) || r.Zones.Added[0].ID != "z-sup-2" || r.Zones.Removed[0].ID != "z-sup" {
		t.Errorf("zones %s", asJSON(r.Zones))
	}
	// Levels by name ignoring case, then exactly: Control, Supervisory
	// (removed), supervisory (added).
	lv := r.Zones.Levels
	if len(lv) != 3 || lv[2].ID != "z-sup-2" || lv[2].SLTBefore != nil || lv[2].SLTAfter == nil ||
		lv[1].ID != "z-sup" || lv[1].SLTAfter != nil || lv[1].SLTBefore == nil {
		t.Errorf("levels %s", asJSON(lv))
	}
}

func TestZoneLevelsAndSLA(t *testing.T) {
	// Every FR 7 (RA) item of 62443-3-3 met in Supervisory, never assessed
	// before: its SL-A goes from not assessed to 4 for RA, 0 elsewhere.
	// Control's SR 1.1 answer is withdrawn: no verdict left, not assessed.
	r := edited(t, func(_, after *app.Workspace) {
		tpl, err := after.Template(SLATemplate)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range tpl.Items() {
			if it.HasFR && it.FR == assets.RA {
				saved(t)(after.AnswerItem(app.AnswerInput{Template: SLATemplate, Item: it.ID, Zone: "z-sup", Status: checklist.StatusMet}))
			}
		}
		if err := after.ClearAnswer(SLATemplate, "SR 1.1", "z-ctl"); err != nil {
			t.Fatal(err)
		}
		z, _ := after.Zone("z-sup")
		z.PurdueLevels = []assets.Purdue{assets.Purdue3, assets.Purdue2}
		z.SLT = assets.SLVector{2, 2, 2, 2, 2, 2, 3}
		z.Rationale.ApprovedAt = "2026-05-28"
		saved(t)(after.SaveZone(z))
	})
	if len(r.Zones.Changed) != 2 {
		t.Fatalf("zones changed %s", asJSON(r.Zones.Changed))
	}
	wantChanges(t, "Control", r.Zones.Changed[0].Changes, [3]string{"sl_a", "[0,0,0,0,0,0,0]", "null"})
	wantChanges(t, "Supervisory", r.Zones.Changed[1].Changes,
		[3]string{"purdue_levels", `["2"]`, `["2","3"]`},
		[3]string{"sl_t", "[2,2,2,2,2,2,2]", "[2,2,2,2,2,2,3]"},
		[3]string{"sl_a", "null", "[0,0,0,0,0,0,4]"},
		[3]string{"rationale.approved_at", `"2026-01-10"`, `"2026-05-28"`})
	if l := r.Zones.Levels[1]; asJSON(l.SLAAfter) != "[0,0,0,0,0,0,4]" || l.SLABefore != nil {
		t.Errorf("Supervisory levels %s", asJSON(l))
	}
	// Answers: SR 1.1 withdrawn in Control first (zone name order), then
	// the RA items given in Supervisory, in item order.
	if a := r.Answers[0]; a.Item != "SR 1.1" || a.Zone != "Control" || a.Before == nil || a.After != nil {
		t.Errorf("first answer change %s", asJSON(a))
	}
	if a := r.Answers[1]; a.Item != "SR 7.1" || a.Zone != "Supervisory" || a.Before != nil || a.After.Status != "met" {
		t.Errorf("second answer change %s", asJSON(a))
	}
}

func TestConduits(t *testing.T) {
	r := edited(t, func(before, after *app.Workspace) {
		must := saved(t)
		c, _ := after.Conduit("c-sc")
		c.Flows = append([]assets.Flow{{Protocol: "HTTPS", Ports: "443"}}, c.Flows...)
		c.From, c.To = "z-ctl", "z-sup" // ends swapped: both change
		c.Direction, c.RemoteAccess, c.Temporary = assets.Bidirectional, true, true
		c.SLT[assets.RDF] = 3
		c.Policy = "Reads and HTTPS diagnostics"
		must(after.SaveConduit(c))
		must(after.SaveConduit(assets.Conduit{Meta: assets.Meta{ID: "c-new"}, Name: "Vendor VPN", From: "z-sup",
			Controls: []assets.Control{assets.ControlVPN}}))
		must(before.SaveConduit(assets.Conduit{Meta: assets.Meta{ID: "c-old"}, Name: "Old modem", From: "z-ctl"}))
	})
	if r.Counts.Conduits != (RecordCounts{Added: 1, Removed: 1, Changed: 1}) {
		t.Fatalf("conduit counts %s", asJSON(r.Counts.Conduits))
	}
	if a := r.Conduits.Added[0]; a != (ConduitRef{ID: "c-new", Name: "Vendor VPN", From: "Supervisory", To: ""}) {
		t.Errorf("added %s", asJSON(a))
	}
	if a := r.Conduits.Removed[0]; a != (ConduitRef{ID: "c-old", Name: "Old modem", From: "Control", To: ""}) {
		t.Errorf("removed %s", asJSON(a))
	}
	wantChanges(t, "SC link", r.Conduits.Changed[0].Changes,
		[3]string{"from", `"Supervisory"`, `"Control"`},
		[3]string{"to", `"Control"`, `"Supervisory"`},
		[3]string{"flows", `["Modbus/TCP 502"]`, `["HTTPS 443","Modbus/TCP 502"]`},
		[3]string{"direction", `"a-to-b"`, `"both"`},
		[3]string{"remote_access", "false", "true"},
		[3]string{"temporary", "false", "true"},
		[3]string{"sl_t", "[2,2,2,2,2,2,2]", "[2,2,2,2,3,2,2]"},
		[3]string{"policy", `"Modbus reads from SCADA only"`, `"Reads and HTTPS diagnostics"`})
	// New: SC link's remote access without MFA, approval or termination
	// (critical) and its temporary use without approval or scanning; the
	// VPN to outside, which counts as L5 (a direct conduit to control
	// levels: critical) and as SL-T 0 (a gap of 2 without a firewall), and
	// has no policy. Resolved: the same for the old modem, which also had
	// no controls.
	var newRules, resolvedRules []string
	for _, f := range r.Findings.New {
		newRules = append(newRules, f.Severity+" "+f.Rule+" "+f.SubjectName)
	}
	for _, f := range r.Findings.Resolved {
		resolvedRules = append(resolvedRules, f.Severity+" "+f.Rule+" "+f.SubjectName)
	}
	wantNew := []string{"critical ZW-CONDUIT-003 Vendor VPN", "critical ZW-CONDUIT-005 SC link",
		"high ZW-CONDUIT-004 Vendor VPN", "medium ZW-CONDUIT-002 Vendor VPN", "medium ZW-CONDUIT-006 SC link"}
	wantResolved := []string{"critical ZW-CONDUIT-003 Old modem", "high ZW-CONDUIT-004 Old modem",
		"medium ZW-CONDUIT-001 Old modem", "medium ZW-CONDUIT-002 Old modem"}
	if !slices.Equal(newRules, wantNew) || !slices.Equal(resolvedRules, wantResolved) {
		t.Errorf("new %q, want %q\nresolved %q, want %q", newRules, wantNew, resolvedRules, wantResolved)
	}
}

func TestFindingStatuses(t *testing.T) {
	obs := checks.Finding{Meta: assets.Meta{ID: "obs-1"}, Source: checks.SourceManual,
		Subject: assets.Ref{Kind: "zone", ID: "z-sup"}, SubjectName: "Supervisory",
		Title: "Cabinet door unlocked", Severity: checks.Low, Status: checks.StatusOpen}
	obs2 := obs
	obs2.ID, obs2.Title = "obs-2", "Password on a sticky note"
	r := edited(t, func(before, after *app.Workspace) {
		ctx := context.Background()
		for _, w := range []*app.Workspace{before, after} {
			for _, f := range []checks.Finding{obs, obs2} {
				if err := w.Store().Put(app.KindFinding, &f); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Before: obs-2 already closed. After: obs-1 closed (resolved),
		// obs-2 reopened (new again), the SL gap accepted (still open).
		saved(t)(before.SetFindingStatus(ctx, "obs-2", checks.StatusClosed, ""))
		saved(t)(after.SetFindingStatus(ctx, "obs-1", checks.StatusClosed, ""))
		fs, err := after.CurrentFindings(ctx, goldenDay)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleID == "ZW-ZONE-006" {
				saved(t)(after.SetFindingStatus(ctx, f.ID, checks.StatusAccepted, "Compensated by the plant firewall"))
			}
		}
	})
	got := map[string]string{}
	for name, l := range map[string][]Finding{"new": r.Findings.New, "resolved": r.Findings.Resolved, "still open": r.Findings.StillOpen} {
		for _, f := range l {
			got[f.Rule+" "+f.Title] = name + " " + f.Before + "→" + f.After
		}
	}
	want := map[string]string{
		"manual Cabinet door unlocked":                                                       "resolved open→closed",
		"manual Password on a sticky note":                                                   "new closed→open",
		`ZW-ZONE-006 zone "Control" SL-A is below its SL-T for 7 FRs`:                        "still open open→accepted",
		`ZW-ASSET-002 asset "PLC-101" in zone "Control" has no firmware or software version`: "still open open→open",
	}
	if !maps.Equal(got, want) {
		t.Errorf("findings\n got %q\nwant %q", got, want)
	}
}

func TestAuditRecordReplaced(t *testing.T) {
	// A re-audit under a new audit record: the audit-level finding (no
	// review recorded) is the same gap, not one resolved and one new.
	before := base(t, filepath.Join(t.TempDir(), "before"), "audit-2025")
	after := base(t, filepath.Join(t.TempDir(), "after"), "audit-2026")
	t.Cleanup(func() { before.Close(); after.Close() })
	for _, w := range []*app.Workspace{before, after} {
		a := w.Audit()
		a.ReviewedAt = ""
		saved(t)(w.SaveAudit(a))
	}
	r, err := Compare(context.Background(), before, after, goldenDay)
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Findings != (FindingCounts{StillOpen: 3}) {
		t.Fatalf("findings %s", asJSON(r.Findings))
	}
	if f := r.Findings.StillOpen[2]; f.Rule != "ZW-AUDIT-001" || f.SubjectID != "audit-2026" {
		t.Errorf("audit finding %s", asJSON(f))
	}
}

func TestCompareErrors(t *testing.T) {
	if _, err := Compare(context.Background(), nil, nil, goldenDay); !errors.Is(err, ErrNoWorkspace) {
		t.Errorf("nil workspaces: %v", err)
	}
	before, after := goldenPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Compare(ctx, before, after, goldenDay); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
