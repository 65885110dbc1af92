package app_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// riskSite is two zones joined by a conduit, a third zone apart, and a
// countermeasure.
type riskSite struct {
	w               *app.Workspace
	dir             string
	ctl, dmz, other assets.Zone
	link            assets.Conduit
	fw              assets.Countermeasure
}

func newRiskSite(t *testing.T) riskSite {
	t.Helper()
	w, dir := newWorkspace(t)
	s := riskSite{w: w, dir: dir}
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	s.ctl, err = w.SaveZone(assets.Zone{Name: "Control"})
	must(err)
	s.dmz, err = w.SaveZone(assets.Zone{Name: "DMZ"})
	must(err)
	s.other, err = w.SaveZone(assets.Zone{Name: "Lab"})
	must(err)
	s.link, err = w.SaveConduit(assets.Conduit{Name: "DMZ to Control", From: s.dmz.ID, To: s.ctl.ID})
	must(err)
	s.fw, err = w.SaveCountermeasure(assets.Countermeasure{Name: "Firewall rule set FW-1", FRs: []assets.FR{assets.RDF}})
	must(err)
	return s
}

func countRisks(t *testing.T, w *app.Workspace) int {
	t.Helper()
	rs, err := w.Risks()
	if err != nil {
		t.Fatal(err)
	}
	return len(rs)
}

func TestSaveRisk(t *testing.T) {
	s := newRiskSite(t)
	w := s.w
	r, err := w.SaveRisk(assets.Risk{Title: "Worm from the DMZ", Scope: assets.Ref{Kind: "conduit", ID: s.link.ID},
		Attacker: 3, FRs: []assets.FR{assets.RDF}, Likelihood: 3, Impact: 4, Countermeasures: []string{s.fw.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || r.Stage != assets.StageInitial {
		t.Fatalf("saved %+v: want an ID and stage initial", r)
	}
	suc, err := w.SaveRisk(assets.Risk{Title: "Phishing", Scope: assets.Ref{Kind: "audit", ID: "stale"}, Stage: assets.StageInitial,
		Attacker: 2, FRs: []assets.FR{assets.IAC}, Likelihood: 4, Impact: 4})
	if err != nil || suc.Scope.ID != "" {
		t.Fatalf("SuC risk: %+v, %v", suc.Scope, err)
	}
	// Listed by score, highest first: 16 before 12.
	rs, _ := w.Risks()
	if len(rs) != 2 || rs[0].ID != suc.ID || rs[1].ID != r.ID {
		t.Fatalf("risks %v", rs)
	}

	good := assets.Risk{Title: "Bad input", Scope: assets.Ref{Kind: "zone", ID: s.ctl.ID}, Attacker: 2, Likelihood: 2, Impact: 2}
	bad := []struct {
		name   string
		mutate func(r *assets.Risk)
		is     error
		says   []string
	}{
		{"likelihood 9", func(r *assets.Risk) { r.Likelihood = 9 }, assets.ErrInvalid,
			[]string{`risk "Bad input": likelihood "9": must be 1–5 on the audit's 5×5 risk matrix`}},
		{"attacker 5", func(r *assets.Risk) { r.Attacker = 5 }, assets.ErrInvalid, []string{"attacker"}},
		{"residual above unmitigated", func(r *assets.Risk) {
			r.Stage, r.ResidualLikelihood, r.ResidualImpact = assets.StageDetailed, 3, 1
		}, assets.ErrInvalid, []string{"residual_likelihood", "above the unmitigated likelihood 2"}},
		{"zone that does not exist", func(r *assets.Risk) { r.Scope.ID = "no-such-zone" }, store.ErrNotFound,
			[]string{"zone no-such-zone"}},
		{"conduit that does not exist", func(r *assets.Risk) { r.Scope = assets.Ref{Kind: "conduit", ID: s.ctl.ID} }, store.ErrNotFound,
			[]string{"conduit " + s.ctl.ID}},
		{"countermeasure that does not exist", func(r *assets.Risk) { r.Countermeasures = []string{s.fw.ID, "cm-missing"} }, store.ErrNotFound,
			[]string{"countermeasure cm-missing"}},
	}
	for _, tc := range bad {
		r := good
		tc.mutate(&r)
		_, err := w.SaveRisk(r)
		if !errors.Is(err, tc.is) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.is)
			continue
		}
		for _, want := range tc.says {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not say %q", tc.name, err, want)
			}
		}
	}
	if n := countRisks(t, w); n != 2 {
		t.Fatalf("%d risks after refused saves, want 2", n)
	}
	// Nothing stored: not even a tombstone or change entry for the refused records.
	changes, err := store.All[store.Change](w.Store(), store.KindChange)
	if err != nil {
		t.Fatal(err)
	}
	nRisk := 0
	for _, c := range changes {
		if c.Kind == string(app.KindRisk) {
			nRisk++
		}
	}
	if nRisk != 2 {
		t.Errorf("%d risk changes logged, want 2", nRisk)
	}

	// Edit, delete, read back after reopening.
	r.ResidualLikelihood, r.ResidualImpact, r.Stage = 1, 4, assets.StageDetailed
	if _, err := w.SaveRisk(r); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRisk(suc.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRisk(suc.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
	w.Close()
	w2, err := app.Open(ctx, s.dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	got, err := w2.Risk(r.ID)
	if err != nil || got.ResidualLikelihood != 1 || got.ResidualImpact != 4 || !slices.Equal(got.Countermeasures, []string{s.fw.ID}) {
		t.Fatalf("after reopening: %+v, %v", got, err)
	}
	if n := countRisks(t, w2); n != 1 {
		t.Fatalf("%d risks after reopening, want 1", n)
	}
}

func TestCountermeasureLinkedByRisk(t *testing.T) {
	s := newRiskSite(t)
	r, err := s.w.SaveRisk(assets.Risk{Title: "Worm from the DMZ", Scope: assets.Ref{Kind: "conduit", ID: s.link.ID},
		Attacker: 3, Likelihood: 3, Impact: 4, Countermeasures: []string{s.fw.ID}})
	if err != nil {
		t.Fatal(err)
	}
	err = s.w.DeleteCountermeasure(s.fw.ID)
	if !errors.Is(err, app.ErrInUse) || !strings.Contains(err.Error(), `"Worm from the DMZ"`) {
		t.Fatalf("delete a linked countermeasure: %v", err)
	}
	if _, err := s.w.Countermeasure(s.fw.ID); err != nil {
		t.Fatalf("refused delete removed it: %v", err)
	}
	if err := s.w.DeleteRisk(r.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.w.DeleteCountermeasure(s.fw.ID); err != nil {
		t.Fatalf("delete once unlinked: %v", err)
	}
}

func TestSetRiskMatrix(t *testing.T) {
	s := newRiskSite(t)
	w := s.w
	if m := w.RiskMatrix(); m.Tolerable != assets.DefaultTolerable || len(m.Likelihoods) != 5 {
		t.Fatalf("new workspace matrix %+v", m)
	}
	if _, err := w.SaveRisk(assets.Risk{Title: "Flood of requests", Scope: assets.Ref{Kind: "audit"}, Attacker: 2,
		Likelihood: 5, Impact: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveRisk(assets.Risk{Title: "Small one", Scope: assets.Ref{Kind: "audit"}, Attacker: 1,
		Likelihood: 1, Impact: 1}); err != nil {
		t.Fatal(err)
	}
	three := assets.RiskMatrix{Likelihoods: []string{"low", "medium", "high"}, Impacts: []string{"low", "medium", "high"}, Tolerable: 2}
	_, err := w.SetRiskMatrix(three)
	if !errors.Is(err, risk.ErrOutsideMatrix) || !strings.Contains(err.Error(), `1 scenario is rated outside it ("Flood of requests")`) {
		t.Fatalf("3×3 with a likelihood-5 risk: %v", err)
	}
	if a := w.Audit(); a.RiskMatrix != nil {
		t.Fatalf("refused matrix stored: %+v", a.RiskMatrix)
	}
	if _, err := w.SetRiskMatrix(assets.RiskMatrix{Likelihoods: []string{"one"}, Impacts: three.Impacts, Tolerable: 1}); !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("1×3 matrix: %v", err)
	}
	wide := assets.DefaultRiskMatrix()
	wide.Impacts = append(wide.Impacts, "Catastrophic")
	wide.Tolerable = 6
	if _, err := w.SetRiskMatrix(wide); err != nil {
		t.Fatal(err)
	}
	if m := w.RiskMatrix(); len(m.Impacts) != 6 || m.Tolerable != 6 {
		t.Fatalf("matrix after setting 5×6: %+v", m)
	}
	if _, err := w.SaveRisk(assets.Risk{Title: "Dam breach", Scope: assets.Ref{Kind: "audit"}, Attacker: 4, Likelihood: 1, Impact: 6}); err != nil {
		t.Fatalf("impact 6 on a 5×6 matrix: %v", err)
	}
	w.Close()
	w2, err := app.Open(ctx, s.dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if m := w2.RiskMatrix(); len(m.Impacts) != 6 || m.Impacts[5] != "Catastrophic" {
		t.Fatalf("matrix after reopening: %+v", m)
	}
}

// The suggestion for zone Control, by hand: the SuC phishing scenario
// (4 × 4 = 16, attacker 2, FR 1 and FR 2) and the DMZ conduit's worm
// (detailed, residual 3 × 2 = 6 > 4, attacker 3, FR 5) raise; the jump
// host scenario on Control is within the line (2 × 2 = 4); the Lab's
// scenario does not apply.
func TestSuggestAcceptOverride(t *testing.T) {
	s := newRiskSite(t)
	w := s.w
	for _, r := range []assets.Risk{
		{Title: "Phishing", Scope: assets.Ref{Kind: "audit"}, Attacker: 2, FRs: []assets.FR{assets.IAC, assets.UC}, Likelihood: 4, Impact: 4},
		{Title: "Worm from the DMZ", Scope: assets.Ref{Kind: "conduit", ID: s.link.ID}, Stage: assets.StageDetailed, Attacker: 3,
			FRs: []assets.FR{assets.RDF}, Likelihood: 4, Impact: 5, ResidualLikelihood: 3, ResidualImpact: 2, Countermeasures: []string{s.fw.ID}},
		{Title: "Jump host misuse", Scope: assets.Ref{Kind: "zone", ID: s.ctl.ID}, Attacker: 4, FRs: []assets.FR{assets.UC}, Likelihood: 2, Impact: 2},
		{Title: "Lab intruder", Scope: assets.Ref{Kind: "zone", ID: s.other.ID}, Attacker: 4, FRs: []assets.FR{assets.SI}, Likelihood: 5, Impact: 5},
	} {
		if _, err := w.SaveRisk(r); err != nil {
			t.Fatal(err)
		}
	}
	want := assets.SLVector{2, 2, 0, 0, 3, 0, 0}
	v, reasons, err := w.SuggestZoneSLT(s.ctl.ID)
	if err != nil || v != want {
		t.Fatalf("suggestion %v, %v; want %v", v, err, want)
	}
	if rdf := reasons[assets.RDF].String(); !strings.Contains(rdf, `set by "Worm from the DMZ" (residual risk 6 above tolerable 4`) {
		t.Errorf("RDF reason %q", rdf)
	}
	if uc := reasons[assets.UC].String(); !strings.Contains(uc, `"Jump host misuse" (risk 4, within tolerable`) {
		t.Errorf("UC reason %q", uc)
	}
	if _, _, err := w.SuggestZoneSLT("no-such-zone"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("suggest for a missing zone: %v", err)
	}

	z, err := w.AcceptSLT(s.ctl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if z.SLT != want || z.SLTBasis != (assets.SLTBasis{Source: assets.BasisRisk, Suggested: want}) {
		t.Fatalf("accepted zone %+v", z)
	}
	if got, _ := w.Zone(s.ctl.ID); got.SLT != want || got.SLTBasis.Source != assets.BasisRisk {
		t.Fatalf("stored zone %+v", got)
	}
	// The zone went through the ordinary save: the change log has the basis.
	if !zoneChangeLogged(t, w, s.ctl.ID, "sl_t_basis") {
		t.Error("no change-log entry for the zone's SL-T basis")
	}

	// The DMZ has only the SuC scenario and the conduit's: 2,2,0,0,3,0,0 too;
	// the Lab has the SuC scenario and its own: 2,2,4,0,0,0,0.
	if v, _, _ := w.SuggestZoneSLT(s.dmz.ID); v != want {
		t.Errorf("DMZ suggestion %v", v)
	}
	if v, _, _ := w.SuggestZoneSLT(s.other.ID); v != (assets.SLVector{2, 2, 4, 0, 0, 0, 0}) {
		t.Errorf("Lab suggestion %v", v)
	}

	// A zone no scenario above the line reaches has nothing to accept.
	lone, err := w.SaveZone(assets.Zone{Name: "Spare"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteRisk(mustRiskID(t, w, "Phishing")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AcceptSLT(lone.ID); !errors.Is(err, app.ErrNoSuggestion) || !strings.Contains(err.Error(), `zone "Spare"`) {
		t.Fatalf("accept with no suggestion: %v", err)
	}

	// Overrides need a reason and valid levels; the zone stays as it was.
	over := assets.SLVector{3, 2, 2, 2, 3, 2, 2}
	if _, err := w.OverrideSLT(s.ctl.ID, over, "  "); !errors.Is(err, app.ErrReasonRequired) {
		t.Fatalf("override without reason: %v", err)
	}
	if _, err := w.OverrideSLT(s.ctl.ID, assets.SLVector{5, 2, 2, 2, 3, 2, 2}, "owner's wish"); !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("override to SL 5: %v", err)
	}
	if _, err := w.OverrideSLT(s.ctl.ID, assets.SLVector{}, "owner's wish"); !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("override to nothing: %v", err)
	}
	if got, _ := w.Zone(s.ctl.ID); got.SLT != want || got.SLTBasis.Source != assets.BasisRisk {
		t.Fatalf("refused overrides changed the zone: %+v", got)
	}
	reason := "the owner holds the chlorine dosing to SL 3 for FR 1 after the 2024 incident"
	z, err = w.OverrideSLT(s.ctl.ID, over, reason)
	if err != nil {
		t.Fatal(err)
	}
	// Phishing is gone, so the suggestion the override departs from is RDF 3 only.
	wantBasis := assets.SLTBasis{Source: assets.BasisOverride, Suggested: assets.SLVector{0, 0, 0, 0, 3, 0, 0}, Reason: reason}
	if z.SLT != over || z.SLTBasis != wantBasis {
		t.Fatalf("overridden zone %+v", z)
	}
}

func mustRiskID(t *testing.T, w *app.Workspace, title string) string {
	t.Helper()
	rs, err := w.Risks()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if r.Title == title {
			return r.ID
		}
	}
	t.Fatalf("no risk %q", title)
	return ""
}

func zoneChangeLogged(t *testing.T, w *app.Workspace, zoneID, field string) bool {
	t.Helper()
	changes, err := store.All[store.Change](w.Store(), store.KindChange)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind == string(store.KindZone) && c.Record == zoneID {
			if _, ok := c.Fields[field]; ok {
				return true
			}
		}
	}
	return false
}
