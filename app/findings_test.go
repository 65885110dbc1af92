package app_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// auditDay is the last day of the demo audit's site visit: the demo's
// review dates are judged against it, so the result does not age.
var auditDay = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func demoWorkspace(t *testing.T) (*app.Workspace, string) {
	t.Helper()
	dir := t.TempDir()
	w, err := demo.Create(context.Background(), dir, "tester")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, dir
}

func findingOf(t *testing.T, w *app.Workspace, rule string, subject assets.Ref) checks.Finding {
	t.Helper()
	fs, err := w.Findings()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.RuleID == rule && f.Subject == subject {
			return f
		}
	}
	t.Fatalf("no %s finding on %s %s", rule, subject.Kind, subject.ID)
	return checks.Finding{}
}

var (
	legacyHistorian = assets.Ref{Kind: "conduit", ID: "conduit-legacy-historian"}
	vendorRemote    = assets.Ref{Kind: "conduit", ID: "conduit-vendor-remote"}
	scadaDosing     = assets.Ref{Kind: "conduit", ID: "conduit-scada-dosing"}
	filtration      = assets.Ref{Kind: "zone", ID: demo.ZoneFiltration}
)

// The demo audit raises a believable handful: its planted weaknesses and
// not much more.
func TestRunChecksOnDemo(t *testing.T) {
	ctx := context.Background()
	w, _ := demoWorkspace(t)
	run, err := w.RunChecks(ctx, auditDay)
	if err != nil {
		t.Fatal(err)
	}
	if run.Added != run.Raised || run.Updated != 0 || run.Closed != 0 || !run.Scored {
		t.Fatalf("first run on the demo: %+v; want all new, SL-A scored", run)
	}
	fs, err := w.Findings()
	if err != nil || len(fs) != run.Raised {
		t.Fatalf("stored %d findings (%v), run raised %d", len(fs), err, run.Raised)
	}
	bySource := map[checks.Source]int{}
	for _, f := range fs {
		bySource[f.Source]++
	}
	// One finding per planted weakness (aggregated per zone), plus one per
	// Not met or Partial answer of the demo assessment.
	if n := bySource[checks.SourceRule]; n < 15 || n > 55 {
		t.Errorf("%d rule findings on the demo, want a believable 15–55", n)
	}
	if n := bySource[checks.SourceChecklist]; n < 10 {
		t.Errorf("%d checklist findings on the demo, want its Not met and Partial answers", n)
	}
	for _, want := range []struct {
		rule    string
		subject assets.Ref
		title   string
	}{
		{"ZW-CONDUIT-003", legacyHistorian, `conduit "C9 Legacy historian query" joins zone "Enterprise IT"`},
		{"ZW-CONDUIT-001", legacyHistorian, "has no documented controls"},
		{"ZW-CONDUIT-002", scadaDosing, `conduit "C4 SCADA – Dosing"`},
		{"ZW-CONDUIT-005", vendorRemote, "lacks per-session approval, session termination"},
		{"ZW-ASSET-001", assets.Ref{Kind: "audit", ID: demo.Audit.ID}, `asset "SW-UNMANAGED-?" has no zone`},
		{"ZW-ASSET-003", filtration, `asset "PLC-104"`},
		{"ZW-ZONE-004", assets.Ref{Kind: "zone", ID: demo.ZoneRemote}, "no record of asset-owner approval"},
		{"ZW-ZONE-008", assets.Ref{Kind: "zone", ID: demo.ZoneSCADA}, "1 wireless device"},
		{"ZW-ZONE-006", assets.Ref{Kind: "zone", ID: demo.ZoneDosing}, `zone "Chemical Dosing Control" SL-A is below its SL-T`},
	} {
		f := findingOf(t, w, want.rule, want.subject)
		if !strings.Contains(f.Title, want.title) || f.Status != checks.StatusOpen {
			t.Errorf("%s: %q (%s), want %q open", want.rule, f.Title, f.Status, want.title)
		}
	}
	// The SIS is in a zone of its own behind a data diode: nothing to say.
	for _, f := range fs {
		if f.RuleID == "ZW-ZONE-007" || f.RuleID == "ZW-CONDUIT-007" || f.RuleID == "ZW-AUDIT-001" {
			t.Errorf("unexpected on the demo: %s %s", f.RuleID, f.Title)
		}
	}

	again, err := w.RunChecks(ctx, auditDay)
	if err != nil || again.Added+again.Updated+again.Closed != 0 || again.Raised != run.Raised {
		t.Fatalf("unchanged rerun: %+v, %v; want no writes", again, err)
	}
}

func TestFindingWorkflowSurvivesReopenAndModelChange(t *testing.T) {
	ctx := context.Background()
	w, dir := demoWorkspace(t)
	if _, err := w.RunChecks(ctx, auditDay); err != nil {
		t.Fatal(err)
	}
	eol := findingOf(t, w, "ZW-ASSET-003", filtration)
	_, err := w.SetFindingStatus(ctx, eol.ID, checks.StatusAccepted, " ")
	if !errors.Is(err, checks.ErrJustificationRequired) {
		t.Fatalf("accept without justification: %v", err)
	}
	if got, _ := w.Finding(eol.ID); got.Status != checks.StatusOpen {
		t.Fatalf("failed accept changed the stored finding: %s", got.Status)
	}
	if _, err := w.SetFindingStatus(ctx, eol.ID, checks.StatusAccepted, "S7-300 replacement in the 2027 capital programme"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingOwner(ctx, eol.ID, " P. Novak "); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingDue(ctx, eol.ID, "2027-06-30"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingDue(ctx, eol.ID, "mid 2027"); !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("bad due date: %v", err)
	}
	if _, err := w.SetFindingNotes(ctx, eol.ID, "quote attached"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingOwner(ctx, "no-such-finding", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown finding: %v", err)
	}
	obs, err := w.AddObservation(ctx, checks.Observation{Subject: assets.Ref{Kind: "asset", ID: "asset-plc104"},
		Title: "Key switch of PLC-104 left in REMOTE/PROGRAM", Severity: checks.High})
	if err != nil || obs.SubjectName != "PLC-104" {
		t.Fatalf("observation: %+v, %v", obs, err)
	}
	if _, err := w.AddObservation(ctx, checks.Observation{Subject: assets.Ref{Kind: "asset", ID: "nope"},
		Title: "x", Severity: checks.Low}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("observation on a missing asset: %v", err)
	}

	// Reopen the workspace: everything above was stored.
	w.Close()
	w, err = app.Open(ctx, dir, app.Options{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	got, err := w.Finding(eol.ID)
	if err != nil || got.Status != checks.StatusAccepted || got.Owner != "P. Novak" || got.Due != "2027-06-30" ||
		got.Notes != "quote attached" || !strings.Contains(got.Justification, "2027") {
		t.Fatalf("after reopen: %+v, %v", got, err)
	}

	// Change the model: write C4's policy, add an unsupported drive to the
	// filtration zone, fix C9 by deleting it.
	c4, _ := w.Conduit(scadaDosing.ID)
	c4.Policy = "EtherNet/IP from SCADA servers to dosing PLCs only."
	if _, err := w.SaveConduit(c4); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteConduit(legacyHistorian.ID); err != nil {
		t.Fatal(err)
	}
	vfd, _ := w.Asset("asset-vfd3")
	vfd.EndOfLife = true
	if _, err := w.SaveAsset(vfd); err != nil {
		t.Fatal(err)
	}
	run, err := w.RunChecks(ctx, auditDay)
	if err != nil {
		t.Fatal(err)
	}
	if run.Closed != 4 || run.Added != 0 || run.Updated != 1 {
		t.Errorf("after the change: %+v; want C4 policy and three C9 findings closed, the EOL finding updated", run)
	}
	for _, f := range []checks.Finding{findingOf(t, w, "ZW-CONDUIT-002", scadaDosing), findingOf(t, w, "ZW-CONDUIT-003", legacyHistorian)} {
		if f.Status != checks.StatusClosed || f.Resolution != checks.ResolvedByModel {
			t.Errorf("%s: %s %q, want closed by model change", f.RuleID, f.Status, f.Resolution)
		}
	}
	// The acceptance covered PLC-104 only; VFD-CW-01 reopens it.
	eol = findingOf(t, w, "ZW-ASSET-003", filtration)
	if eol.Status != checks.StatusOpen || eol.Owner != "P. Novak" || eol.Notes != "quote attached" ||
		!strings.Contains(eol.Title, "2 assets") || !strings.Contains(eol.Resolution, "reopened") {
		t.Errorf("EOL finding after a new EOL asset: %+v", eol)
	}
	if o, err := w.Finding(obs.ID); err != nil || o.Status != checks.StatusOpen {
		t.Errorf("manual observation after a check run: %+v, %v", o, err)
	}
}

func TestConduitsWithOpenFindings(t *testing.T) {
	ctx := context.Background()
	w, _ := demoWorkspace(t)
	red, err := w.ConduitsWithOpenFindings()
	if err != nil || len(red) != 0 {
		t.Fatalf("before any check: %v, %v", red, err)
	}
	if _, err := w.RunChecks(ctx, auditDay); err != nil {
		t.Fatal(err)
	}
	red, err = w.ConduitsWithOpenFindings()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for id := range red {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	want := []string{legacyHistorian.ID, scadaDosing.ID, vendorRemote.ID}
	if !slices.Equal(ids, want) {
		t.Fatalf("red conduits %v, want %v", ids, want)
	}
	// Accepting the only finding on C4 takes it off the red list.
	f := findingOf(t, w, "ZW-CONDUIT-002", scadaDosing)
	if _, err := w.SetFindingStatus(ctx, f.ID, checks.StatusAccepted, "policy is in the site firewall standard"); err != nil {
		t.Fatal(err)
	}
	if red, _ = w.ConduitsWithOpenFindings(); red[scadaDosing.ID] || !red[vendorRemote.ID] {
		t.Fatalf("after accepting C4's finding: %v", red)
	}
}

// Closing an automatic finding by hand while the model still raises it
// does not hide it: the next run reopens it.
func TestClosedByHandIsReopened(t *testing.T) {
	ctx := context.Background()
	w, _ := demoWorkspace(t)
	if _, err := w.RunChecks(ctx, auditDay); err != nil {
		t.Fatal(err)
	}
	f := findingOf(t, w, "ZW-CONDUIT-005", vendorRemote)
	closed, err := w.SetFindingStatus(ctx, f.ID, checks.StatusClosed, "")
	if err != nil || closed.Status != checks.StatusClosed {
		t.Fatalf("close: %+v, %v", closed, err)
	}
	run, err := w.RunChecks(ctx, auditDay)
	if err != nil || run.Updated != 1 {
		t.Fatalf("rerun: %+v, %v", run, err)
	}
	if f = findingOf(t, w, "ZW-CONDUIT-005", vendorRemote); f.Status != checks.StatusOpen || f.Resolution != checks.ReopenedRaisedAgain {
		t.Fatalf("after rerun: %s %q", f.Status, f.Resolution)
	}
}

// A checklist answer of Not met raises a finding; answering Met later
// closes it, and the model rules are untouched by either.
func TestChecklistAnswersBecomeFindings(t *testing.T) {
	ctx := context.Background()
	w, _ := demoWorkspace(t)
	if _, err := w.RunChecks(ctx, auditDay); err != nil {
		t.Fatal(err)
	}
	in := app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 2.6", Zone: demo.ZoneDosing,
		Status: checklist.StatusNotMet, Note: "dosing HMI sessions never time out"}
	if _, err := w.AnswerItem(in); err != nil {
		t.Fatal(err)
	}
	run, err := w.RunChecks(ctx, auditDay)
	if err != nil || run.Added != 1 {
		t.Fatalf("after a Not met answer: %+v, %v; want one new finding", run, err)
	}
	id := checks.ChecklistFindingID(checklist.IEC62443_3_3_2013, "SR 2.6", demo.ZoneDosing)
	f, err := w.Finding(id)
	if err != nil || f.Source != checks.SourceChecklist || f.Severity != checks.Medium ||
		!strings.HasPrefix(f.Title, "Not met: SR 2.6 ") || !strings.Contains(f.Title, `"Chemical Dosing Control"`) ||
		!strings.Contains(f.Detail, "never time out") || !slices.Contains(f.References, "IEC 62443-3-3:2013 SR 2.6") {
		t.Fatalf("checklist finding: %+v, %v", f, err)
	}
	if _, err := w.SetFindingOwner(ctx, id, "Shift supervisor"); err != nil {
		t.Fatal(err)
	}
	in.Status = checklist.StatusPartial
	if _, err := w.AnswerItem(in); err != nil {
		t.Fatal(err)
	}
	if run, err = w.RunChecks(ctx, auditDay); err != nil || run.Updated != 1 {
		t.Fatalf("after Partial: %+v, %v", run, err)
	}
	if f, _ = w.Finding(id); f.Severity != checks.Low || f.Owner != "Shift supervisor" || f.Status != checks.StatusOpen {
		t.Fatalf("after Partial: %+v", f)
	}
	in.Status = checklist.StatusMet
	if _, err := w.AnswerItem(in); err != nil {
		t.Fatal(err)
	}
	if run, err = w.RunChecks(ctx, auditDay); err != nil || run.Closed != 1 {
		t.Fatalf("after Met: %+v, %v", run, err)
	}
	if f, _ = w.Finding(id); f.Status != checks.StatusClosed || f.Resolution != checks.ResolvedByChecklist {
		t.Fatalf("after Met: %s %q", f.Status, f.Resolution)
	}
}

// A check run on a 100,000-asset workspace, rerun after the first: builds
// the model from the in-memory inventory, runs the rules, reads the stored
// findings and writes nothing.
func BenchmarkRunChecks100k(b *testing.B) {
	ctx := context.Background()
	w, err := demo.Synthetic(ctx, b.TempDir(), 50, 100_000)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	first, err := w.RunChecks(ctx, auditDay)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		run, err := w.RunChecks(ctx, auditDay)
		if err != nil || run.Added+run.Updated+run.Closed != 0 {
			b.Fatalf("rerun: %+v, %v", run, err)
		}
	}
	b.ReportMetric(float64(first.Raised), "findings")
}

// A zone checklist item not met on a conduit raises a finding about the
// conduit, one per conduit; a 62443-4-2 answer raises none (it feeds SL-C).
func TestConduitAnswerRaisesConduitFinding(t *testing.T) {
	w, _ := demoWorkspace(t)
	cds := w.Conduits()
	for _, cd := range cds[:2] {
		if _, err := w.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 1.13", Conduit: cd.ID,
			Status: checklist.StatusNotMet, Note: "no approval step"}); err != nil {
			t.Fatal(err)
		}
	}
	fs, err := w.CurrentFindings(context.Background(), auditDay)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range fs {
		if f.Item == "SR 1.13" && f.Subject.Kind == "conduit" {
			got[f.Subject.ID] = true
		}
		if f.Item == "SR 1.13" && f.Subject.Kind == "audit" {
			t.Errorf("conduit answer raised an audit finding: %s", f.Title)
		}
	}
	if !got[cds[0].ID] || !got[cds[1].ID] {
		t.Errorf("conduit findings for %v, want both conduits", got)
	}
}

// ZW-CAP-001 judges the SL-C the 62443-4-2 answers give, as the Risk
// screen and the report show it, not the recorded vector they outrank.
func TestCapabilityRuleUsesAssessedLevels(t *testing.T) {
	ctx := context.Background()
	w, _ := newWorkspace(t)
	z, err := w.SaveZone(assets.Zone{Name: "Cell", SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	plc, err := w.SaveAsset(assets.Asset{Tag: "PLC-9", Type: assets.TypePLC, Zone: z.ID})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := w.SaveCapability(assets.Capability{Asset: plc.ID, ComponentType: checklist.TypeEmbeddedDevice, SLC: assets.UniformSL(3)})
	if err != nil {
		t.Fatal(err)
	}
	capFinding := func() bool {
		fs, err := w.CurrentFindings(ctx, auditDay)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.RuleID == "ZW-CAP-001" && f.Subject.ID == z.ID && f.Status == checks.StatusOpen {
				return true
			}
		}
		return false
	}
	if capFinding() {
		t.Fatal("ZW-CAP-001 raised for a recorded SL-C 3 against SL-T 2")
	}
	// One 4-2 item not met: the assessed SL-C drops below SL-T.
	tm := checklist.BuiltinByID(checklist.IEC62443_4_2_2019)
	item := tm.ItemsFor(checklist.TypeEmbeddedDevice)[0]
	for _, it := range tm.ItemsFor(checklist.TypeEmbeddedDevice) {
		if it.HasFR {
			item = it
			break
		}
	}
	if _, err := w.AnswerItem(app.AnswerInput{Template: tm.ID, Item: item.ID, Component: cp.ID, Status: checklist.StatusNotMet}); err != nil {
		t.Fatal(err)
	}
	if !capFinding() {
		t.Error("ZW-CAP-001 ignores the SL-C the 4-2 answers give")
	}
}
