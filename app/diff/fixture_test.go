package diff

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// goldenDay is the day findings of the golden pair are judged on: within
// a year of every review and approval date, so no review-age rule fires.
var goldenDay = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// saved fails the test when a save (any Workspace method returning a
// record and an error) failed.
func saved(t testing.TB) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

// goldenBase writes the previous audit of the golden pair: two zones at
// SL-T 2, one conduit, three assets (PLC-101 without firmware), and one
// 62443-3-3 answer (SR 1.1 met in Control). Fixed IDs everywhere, so that
// building it twice gives two audits of the same records.
func goldenBase(t testing.TB, dir string) *app.Workspace { return base(t, dir, "audit-g") }

// base is goldenBase with another audit record ID.
func base(t testing.TB, dir, auditID string) *app.Workspace {
	t.Helper()
	ctx := context.Background()
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "tester"}, assets.Audit{
		Meta: assets.Meta{ID: auditID}, Title: "Golden plant 2025", Site: "Golden",
		StartDate: "2025-06-02", EndDate: "2025-06-06", ReviewedAt: "2026-01-10"})
	if err != nil {
		t.Fatal(err)
	}
	must := saved(t)
	approved := assets.Rationale{Text: "Loss of filtration stops the supply.", ApprovedBy: "Plant manager", ApprovedAt: "2026-01-10"}
	must(w.SaveZone(assets.Zone{Meta: assets.Meta{ID: "z-ctl"}, Name: "Control",
		PurdueLevels: []assets.Purdue{assets.Purdue1}, SLT: assets.UniformSL(2), Rationale: approved}))
	must(w.SaveZone(assets.Zone{Meta: assets.Meta{ID: "z-sup"}, Name: "Supervisory",
		PurdueLevels: []assets.Purdue{assets.Purdue2}, SLT: assets.UniformSL(2), Rationale: approved}))
	must(w.SaveConduit(assets.Conduit{Meta: assets.Meta{ID: "c-sc"}, Name: "SC link", From: "z-sup", To: "z-ctl",
		Flows: []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}}, Direction: assets.FromToTo,
		Controls: []assets.Control{assets.ControlFirewall}, SLT: assets.UniformSL(2), Policy: "Modbus reads from SCADA only"}))
	// A site-wide risk scenario with a countermeasure: both SL-Ts have a
	// risk basis, so the ZW-RISK rules raise nothing in the golden pair.
	must(w.SaveCountermeasure(assets.Countermeasure{Meta: assets.Meta{ID: "cm-fw"}, Name: "Perimeter firewall"}))
	must(w.SaveRisk(assets.Risk{Meta: assets.Meta{ID: "r-site"}, Title: "Intrusion from the office network",
		Scope: assets.Ref{Kind: "audit"}, Attacker: 2, FRs: []assets.FR{assets.RDF}, Likelihood: 3, Impact: 3,
		Countermeasures: []string{"cm-fw"}}))
	for _, a := range []assets.Asset{
		{Meta: assets.Meta{ID: "a-plc1"}, Tag: "PLC-101", Name: "Filter PLC 1", Type: assets.TypePLC, Zone: "z-ctl",
			Purdue: assets.Purdue1, IPs: []string{"10.0.1.11"}},
		{Meta: assets.Meta{ID: "a-plc2"}, Tag: "PLC-102", Name: "Filter PLC 2", Type: assets.TypePLC, Zone: "z-ctl",
			Purdue: assets.Purdue1, IPs: []string{"10.0.1.12"}, Firmware: "V2.1"},
		{Meta: assets.Meta{ID: "a-hmi"}, Tag: "HMI-201", Name: "Operator panel", Type: assets.TypeHMI, Zone: "z-sup",
			Purdue: assets.Purdue2, IPs: []string{"10.0.2.21"}, Firmware: "7.0"},
	} {
		must(w.SaveAsset(a))
	}
	must(w.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 1.1", Zone: "z-ctl",
		Status: checklist.StatusMet}))
	return w
}

// readOnly closes w and opens it again read-only, as the command opens a
// baseline; it is closed at the end of the test.
func readOnly(t testing.TB, w *app.Workspace) *app.Workspace {
	t.Helper()
	dir := w.Dir()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := app.Open(context.Background(), dir, app.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// goldenPair builds the golden pair: the base twice, the second edited
// the way a re-audit finds the plant a year on.
func goldenPair(t testing.TB) (before, after *app.Workspace) {
	t.Helper()
	before = readOnly(t, goldenBase(t, filepath.Join(t.TempDir(), "2025")))
	after = goldenBase(t, filepath.Join(t.TempDir(), "2026"))
	t.Cleanup(func() { after.Close() })
	must := saved(t)
	a := after.Audit()
	a.Title, a.StartDate, a.EndDate = "Golden plant 2026", "2026-05-25", "2026-05-29"
	must(after.SaveAudit(a))

	// Firmware read from PLC-101: a field change, and ZW-ASSET-002 resolved.
	plc1, _ := after.Asset("a-plc1")
	plc1.Firmware = "V1.4"
	must(after.SaveAsset(plc1))

	// PLC-102 deleted and captured again: same tag, new record.
	if err := after.DeleteAsset("a-plc2"); err != nil {
		t.Fatal(err)
	}
	must(after.SaveAsset(assets.Asset{Meta: assets.Meta{ID: "a-plc2-new"}, Tag: "PLC-102", Name: "Filter PLC 2",
		Type: assets.TypePLC, Zone: "z-ctl", Purdue: assets.Purdue1, IPs: []string{"10.0.1.12"}, Firmware: "V2.2"}))

	// SL-T of Control raised on FR 3 (SI): its PLCs now lack SL-C 3
	// evidence (ZW-ASSET-004, new) and any capability information (ZW-CAP-002, new).
	z, _ := after.Zone("z-ctl")
	z.SLT[assets.SI] = 3
	must(after.SaveZone(z))

	// An IDS added on the conduit.
	c, _ := after.Conduit("c-sc")
	c.Controls = append(c.Controls, assets.ControlIDS)
	must(after.SaveConduit(c))

	// SR 1.1 now not met: the answer changed and a checklist finding is new.
	must(after.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 1.1", Zone: "z-ctl",
		Status: checklist.StatusNotMet, Note: "Shared operator login on both HMIs"}))
	return before, after
}
