package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func ruleFinding(rule, zone string, sev Severity, covers ...string) Finding {
	subj := assets.Ref{Kind: "zone", ID: zone}
	return Finding{Meta: assets.Meta{ID: RuleFindingID(rule, subj, "")}, Source: SourceRule, RuleID: rule,
		Subject: subj, SubjectName: zone, Title: rule + " on " + zone, Severity: sev, Status: StatusOpen, Covers: covers}
}

func find(fs []Finding, id string) (Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

func TestReconcileAddsNew(t *testing.T) {
	fresh := []Finding{ruleFinding("ZW-ZONE-002", "a", High), ruleFinding("ZW-ZONE-001", "b", Low)}
	got := Reconcile(nil, fresh)
	if len(got) != 2 {
		t.Fatalf("wrote %d, want 2", len(got))
	}
	if got[0].ID > got[1].ID {
		t.Errorf("writes not in ID order")
	}
	for _, f := range got {
		if f.Status != StatusOpen {
			t.Errorf("new finding %s is %s", f.Title, f.Status)
		}
	}
}

func TestReconcileRerunWritesNothing(t *testing.T) {
	fresh := []Finding{ruleFinding("ZW-ZONE-002", "a", High), ruleFinding("ZW-ZONE-001", "b", Low)}
	stored := Reconcile(nil, fresh)
	if got := Reconcile(stored, fresh); len(got) != 0 {
		t.Fatalf("unchanged rerun wrote %d findings: %+v", len(got), got)
	}
}

func TestReconcileKeepsAuditorFields(t *testing.T) {
	e := ruleFinding("ZW-ZONE-002", "a", High)
	e.Version = assets.Stamp{Wall: 42, Device: "laptop-1"}
	if err := e.SetStatus(StatusAccepted, "replacement planned for the 2026 outage"); err != nil {
		t.Fatal(err)
	}
	e.Owner, e.Due, e.Notes, e.Evidence = "O. Ops", "2026-03-01", "see minutes", []string{"ev1"}
	f := ruleFinding("ZW-ZONE-002", "a", High)
	f.Detail = "new wording"
	got := Reconcile([]Finding{e}, []Finding{f})
	if len(got) != 1 {
		t.Fatalf("wrote %d, want 1", len(got))
	}
	g := got[0]
	if g.Status != StatusAccepted || g.Justification != e.Justification || g.Owner != e.Owner ||
		g.Due != e.Due || g.Notes != e.Notes || !slices.Equal(g.Evidence, e.Evidence) {
		t.Errorf("auditor fields lost: %+v", g)
	}
	if g.Detail != "new wording" {
		t.Errorf("detail not refreshed: %q", g.Detail)
	}
	if g.Version != e.Version {
		t.Errorf("version %v replaced; the store needs the old one to build history", g.Version)
	}
}

func TestReconcileClosesWhatIsNoLongerRaised(t *testing.T) {
	rule := ruleFinding("ZW-ZONE-002", "a", High)
	accepted := ruleFinding("ZW-ZONE-001", "b", Low)
	accepted.Status, accepted.Justification = StatusAccepted, "spare zone"
	list, _ := FromChecklist(ChecklistGap{TemplateID: "3-3", ItemID: "SR 1.1", Title: "Users identified", ZoneID: "a", Status: NotMet})
	done := ruleFinding("ZW-ZONE-003", "c", Medium)
	done.Status, done.Resolution = StatusClosed, ResolvedByModel
	manual, err := NewObservation(Observation{Title: "Cabinet unlocked", Severity: Medium})
	if err != nil {
		t.Fatal(err)
	}
	gone := ruleFinding("ZW-ZONE-009", "d", Medium)
	gone.Deleted = true

	got := Reconcile([]Finding{rule, accepted, list, done, manual, gone}, nil)
	if len(got) != 3 {
		t.Fatalf("wrote %d, want the 3 live automatic, not closed findings: %+v", len(got), got)
	}
	for _, want := range []struct {
		id  string
		why string
	}{{rule.ID, ResolvedByModel}, {accepted.ID, ResolvedByModel}, {list.ID, ResolvedByChecklist}} {
		g, ok := find(got, want.id)
		if !ok || g.Status != StatusClosed || g.Resolution != want.why || g.Deleted {
			t.Errorf("finding %s: %+v, want closed %q", want.id, g, want.why)
		}
	}
	if g, _ := find(got, accepted.ID); g.Justification != "spare zone" {
		t.Errorf("justification lost on close: %q", g.Justification)
	}
	if _, ok := find(got, manual.ID); ok {
		t.Error("manual finding touched")
	}
}

func TestReconcileReopensClosedRaisedAgain(t *testing.T) {
	e := ruleFinding("ZW-ZONE-002", "a", High)
	e.Status, e.Resolution = StatusClosed, ResolvedByModel
	got := Reconcile([]Finding{e}, []Finding{ruleFinding("ZW-ZONE-002", "a", High)})
	if len(got) != 1 || got[0].Status != StatusOpen || got[0].Resolution != ReopenedRaisedAgain {
		t.Fatalf("got %+v, want reopened", got)
	}
}

func TestReconcileAcceptedScope(t *testing.T) {
	accept := func(f Finding) Finding {
		f.Status, f.Justification = StatusAccepted, "compensated by conduit rules"
		return f
	}
	e := accept(ruleFinding("ZW-ASSET-003", "ctl", Medium, "plc1", "plc2"))

	// One of the accepted assets was replaced: still accepted, text refreshed.
	got := Reconcile([]Finding{e}, []Finding{ruleFinding("ZW-ASSET-003", "ctl", Medium, "plc1")})
	if len(got) != 1 || got[0].Status != StatusAccepted || !slices.Equal(got[0].Covers, []string{"plc1"}) {
		t.Errorf("shrunk scope: %+v, want still accepted covering plc1", got)
	}
	// A new EOL asset joined the zone: the acceptance did not cover it.
	got = Reconcile([]Finding{e}, []Finding{ruleFinding("ZW-ASSET-003", "ctl", Medium, "plc1", "plc2", "plc3")})
	if len(got) != 1 || got[0].Status != StatusOpen || got[0].Resolution == "" ||
		got[0].Justification != e.Justification {
		t.Errorf("grown scope: %+v, want reopened with reason, justification kept", got)
	}
	// Severity rose (an asset became critical).
	got = Reconcile([]Finding{e}, []Finding{ruleFinding("ZW-ASSET-003", "ctl", High, "plc1", "plc2")})
	if len(got) != 1 || got[0].Status != StatusOpen {
		t.Errorf("severity rise: %+v, want reopened", got)
	}
	// Severity fell: the acceptance still holds.
	got = Reconcile([]Finding{e}, []Finding{ruleFinding("ZW-ASSET-003", "ctl", Low, "plc1", "plc2")})
	if len(got) != 1 || got[0].Status != StatusAccepted || got[0].Severity != Low {
		t.Errorf("severity fall: %+v, want accepted at low", got)
	}
}

// The whole cycle on a real model: check, accept one, fix another, recheck.
func TestReconcileAfterModelChange(t *testing.T) {
	m := cleanModel()
	m.asset("a-plc").Firmware = ""
	m.asset("a-plc").EndOfLife = true
	m.conduit("c-laptop").Controls = []assets.Control{assets.ControlApproval}
	stored := Reconcile(nil, run(t, m))
	if len(stored) != 3 {
		t.Fatalf("first run stored %d findings, want 3: %+v", len(stored), stored)
	}
	eolID := RuleFindingID("ZW-ASSET-003", assets.Ref{Kind: "zone", ID: "ctl"}, "")
	fwID := RuleFindingID("ZW-ASSET-002", assets.Ref{Kind: "zone", ID: "ctl"}, "")
	for i := range stored {
		if stored[i].ID == eolID {
			if err := stored[i].SetStatus(StatusAccepted, "replacement budgeted"); err != nil {
				t.Fatal(err)
			}
			stored[i].Notes = "vendor quote attached"
		}
	}
	m.asset("a-plc").Firmware = "V2.6" // fixes ZW-ASSET-002
	m.add(asset("a-ied", "IED-1", assets.TypeIED, "ctl", assets.Purdue1, "10.2.0.40"))
	m.asset("a-ied").Firmware = "" // raises a new ZW-ASSET-002 finding … on the same zone: same ID
	writes := Reconcile(stored, run(t, m))

	eol, ok := find(writes, eolID)
	if ok {
		t.Errorf("accepted EOL finding rewritten though unchanged: %+v", eol)
	}
	fw, ok := find(writes, fwID)
	if !ok || fw.Status != StatusOpen || fw.Title != `asset "IED-1" in zone "Control" has no firmware or software version` {
		t.Errorf("firmware finding: %+v", fw)
	}
	m.asset("a-ied").Firmware = "1.2"
	m.asset("a-plc").EndOfLife = false
	stored = apply(stored, writes)
	writes = Reconcile(stored, run(t, m))
	for _, id := range []string{eolID, fwID} {
		if f, ok := find(writes, id); !ok || f.Status != StatusClosed || f.Resolution != ResolvedByModel {
			t.Errorf("finding %s after fix: %+v, want closed by model change", id, f)
		}
	}
	if f, _ := find(writes, eolID); f.Notes != "vendor quote attached" {
		t.Errorf("notes lost when closing: %q", f.Notes)
	}
}

// apply is what the store does with Reconcile's output.
func apply(stored, writes []Finding) []Finding {
	out := slices.Clone(stored)
	for _, w := range writes {
		i := slices.IndexFunc(out, func(f Finding) bool { return f.ID == w.ID })
		if i < 0 {
			out = append(out, w)
		} else {
			out[i] = w
		}
	}
	return out
}

// An accepted "wireless in a wired zone" finding covers the radios, not
// the wired assets: a new PLC leaves it accepted, a new radio reopens it.
func TestReconcileAcceptedCoversTheMisplacedSide(t *testing.T) {
	m := cleanModel()
	m.asset("a-plc").Wireless = true
	stored := Reconcile(nil, byRule(run(t, m), "ZW-ZONE-008"))
	if len(stored) != 1 {
		t.Fatalf("stored %v", stored)
	}
	if err := stored[0].SetStatus(StatusAccepted, "radio disabled in firmware, sealed"); err != nil {
		t.Fatal(err)
	}
	m.add(asset("a-plc9", "PLC-109", assets.TypePLC, "ctl", assets.Purdue1, "10.2.0.19"))
	got := Reconcile(stored, byRule(run(t, m), "ZW-ZONE-008"))
	if len(got) != 1 || got[0].Status != StatusAccepted || !strings.Contains(got[0].Title, "2 wired assets") {
		t.Fatalf("after a wired asset: %+v", got)
	}
	stored = apply(stored, got)
	m.add(asset("a-ap", "AP-9", assets.TypeWireless, "ctl", assets.Purdue2, "10.2.0.99"))
	got = Reconcile(stored, byRule(run(t, m), "ZW-ZONE-008"))
	if len(got) != 1 || got[0].Status != StatusOpen {
		t.Fatalf("after a new radio: %+v", got)
	}
}
