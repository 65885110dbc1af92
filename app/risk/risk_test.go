package risk

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func TestScore(t *testing.T) {
	m := assets.DefaultRiskMatrix()
	for _, c := range []struct{ l, i, want int }{{1, 1, 1}, {3, 4, 12}, {5, 5, 25}, {2, 5, 10}} {
		got, err := Score(m, c.l, c.i)
		if err != nil || got != c.want {
			t.Errorf("Score(%d, %d) = %d, %v; want %d", c.l, c.i, got, err, c.want)
		}
	}
	for _, c := range []struct {
		l, i int
		says string
	}{{9, 1, "likelihood 9: want 1–5"}, {0, 3, "likelihood 0"}, {2, 6, "impact 6: want 1–5"}, {2, -1, "impact -1"}} {
		_, err := Score(m, c.l, c.i)
		if !errors.Is(err, ErrOutsideMatrix) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Score(%d, %d): %v, want ErrOutsideMatrix saying %q", c.l, c.i, err, c.says)
		}
	}
	if !Tolerable(m, 4) || Tolerable(m, 5) {
		t.Error("default line is not at 4")
	}
}

func zr(id string) assets.Ref { return assets.Ref{Kind: "zone", ID: id} }
func cr(id string) assets.Ref { return assets.Ref{Kind: "conduit", ID: id} }

var suc = assets.Ref{Kind: "audit"}

// fixture: zone z1 with conduits c1 (z1–z2) and c3 (z1 to outside); c2
// (z2–z3) does not touch z1; c4 touched z1 but is deleted.
func fixture() (Scope, []assets.Risk) {
	conduits := []assets.Conduit{
		{Meta: assets.Meta{ID: "c1"}, Name: "C1", From: "z1", To: "z2"},
		{Meta: assets.Meta{ID: "c2"}, Name: "C2", From: "z2", To: "z3"},
		{Meta: assets.Meta{ID: "c3"}, Name: "C3", From: "z1"},
		{Meta: assets.Meta{ID: "c4", Deleted: true}, Name: "C4", From: "z3", To: "z1"},
	}
	risk := func(id, title string, scope assets.Ref, stage string, attacker int, frs []assets.FR, l, i, rl, ri int) assets.Risk {
		return assets.Risk{Meta: assets.Meta{ID: id}, Title: title, Scope: scope, Stage: stage, Attacker: attacker,
			FRs: frs, Likelihood: l, Impact: i, ResidualLikelihood: rl, ResidualImpact: ri}
	}
	I, D := assets.StageInitial, assets.StageDetailed
	F := func(fs ...assets.FR) []assets.FR { return fs }
	risks := []assets.Risk{
		risk("r1", "Phishing opens the site", suc, I, 2, F(assets.IAC, assets.UC), 3, 3, 0, 0),                  // 9: raises IAC, UC to 2
		risk("r2", "Stolen engineer password", zr("z1"), D, 3, F(assets.IAC, assets.SI), 4, 5, 2, 2),            // residual 4: tolerable
		risk("r3", "Worm crosses from the DMZ", cr("c1"), D, 3, F(assets.RDF), 3, 4, 0, 0),                      // 12, no residual: raises RDF to 3
		risk("r4", "State actor in the lab", cr("c2"), I, 4, F(assets.FRs[:]...), 5, 5, 0, 0),                   // c2 does not touch z1
		risk("r5", "Insider in zone 2", zr("z2"), I, 4, F(assets.IAC), 5, 5, 0, 0),                              // other zone
		risk("r6", "Data leak via a spare laptop", zr("z1"), I, 4, F(assets.DC), 1, 4, 0, 0),                    // 4: on the line, tolerable
		risk("r7", "Operator mistake on the remote link", cr("c3"), I, 1, F(assets.DC, assets.TRE), 5, 1, 0, 0), // 5: raises DC, TRE to 1
		risk("r8", "Deleted scenario", zr("z1"), I, 4, F(assets.IAC), 5, 5, 0, 0),
		risk("r9", "Via a deleted conduit", cr("c4"), I, 4, F(assets.RA), 5, 5, 0, 0),
		risk("r10", "Shared accounts misused", zr("z1"), D, 2, F(assets.UC), 5, 5, 4, 3), // residual 12: beats r1 for UC
		risk("r11", "Pump wears out", zr("z1"), I, 0, F(assets.RA), 5, 5, 0, 0),          // above the line, no attacker
	}
	risks[7].Deleted = true
	return ZoneScope("z1", conduits), risks
}

func TestZoneScope(t *testing.T) {
	s, _ := fixture()
	if s.Zone != "z1" || strings.Join(s.Conduits, ",") != "c1,c3" {
		t.Fatalf("scope %+v, want z1 with c1, c3", s)
	}
}

func TestSuggestSLT(t *testing.T) {
	s, risks := fixture()
	v, reasons := SuggestSLT(s, risks, assets.DefaultRiskMatrix())
	want := assets.SLVector{2, 2, 0, 1, 3, 1, 0} // computed by hand from the fixture's comments
	if v != want {
		t.Fatalf("suggestion %v, want %v", v, want)
	}
	if len(reasons) != 7 {
		t.Fatalf("%d reasons, want 7", len(reasons))
	}
	wantSet := []string{"r1", "r10", "", "r7", "r3", "r7", ""}
	wantConsidered := []string{"r1 r2", "r10 r1", "r2", "r7 r6", "r3", "r7", "r11"}
	for i, r := range reasons {
		if r.FR != assets.FRs[i] || r.Level != want[i] || r.Tolerable != 4 {
			t.Errorf("reason %d: FR %v level %d line %d", i, r.FR, r.Level, r.Tolerable)
		}
		set := ""
		if r.SetBy != nil {
			set = r.SetBy.ID
		}
		if set != wantSet[i] {
			t.Errorf("FR %v set by %q, want %q", r.FR, set, wantSet[i])
		}
		var ids []string
		for _, sc := range r.Considered {
			ids = append(ids, sc.ID)
		}
		if got := strings.Join(ids, " "); got != wantConsidered[i] {
			t.Errorf("FR %v considered %q, want %q", r.FR, got, wantConsidered[i])
		}
	}
	// The residual risk counts in the detailed stage.
	if sc := reasons[assets.UC].SetBy; sc.Score != 12 || !sc.Residual || sc.Attacker != 2 {
		t.Errorf("UC set by %+v, want residual 12, attacker 2", sc)
	}
	if sc := reasons[assets.SI].Considered[0]; sc.Score != 4 || !sc.Residual || !sc.Tolerable || sc.Raises() {
		t.Errorf("SI considered %+v, want tolerable residual 4", sc)
	}

	texts := []struct {
		fr   assets.FR
		want []string
	}{
		{assets.IAC, []string{`FR 1 IAC: SL 2, set by "Phishing opens the site" (risk 9 above tolerable 4, attacker SL 2: deliberate, simple means)`,
			`also considered: "Stolen engineer password" (residual risk 4, within tolerable, attacker SL 3`}},
		{assets.SI, []string{"FR 3 SI: no level suggested: no scenario above the tolerable line names it", `"Stolen engineer password"`}},
		{assets.RDF, []string{`SL 3, set by "Worm crosses from the DMZ" (risk 12 above tolerable 4, attacker SL 3: deliberate, sophisticated means)`}},
		{assets.RA, []string{"no level suggested: the scenarios above the tolerable line that name it assume no attacker", `"Pump wears out" (risk 25, above tolerable, attacker SL 0`}},
	}
	for _, tc := range texts {
		got := reasons[tc.fr].String()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("FR %v reason %q lacks %q", tc.fr, got, w)
			}
		}
	}
	if got := reasons[assets.RDF].String(); strings.Contains(got, "also considered") {
		t.Errorf("RDF has one scenario, yet: %q", got)
	}
}

// The order of the register does not change the result.
func TestSuggestSLTOrder(t *testing.T) {
	s, risks := fixture()
	v1, r1 := SuggestSLT(s, risks, assets.DefaultRiskMatrix())
	for i, j := 0, len(risks)-1; i < j; i, j = i+1, j-1 {
		risks[i], risks[j] = risks[j], risks[i]
	}
	v2, r2 := SuggestSLT(s, risks, assets.DefaultRiskMatrix())
	if v1 != v2 {
		t.Fatalf("reversed register: %v, then %v", v1, v2)
	}
	for i := range r1 {
		if r1[i].String() != r2[i].String() {
			t.Errorf("reversed register changes FR %v:\n%s\n%s", r1[i].FR, r1[i], r2[i])
		}
	}
}

// Another matrix moves the line: on a 3×3 matrix with line 2 the 5-point
// ratings are not cells and raise nothing.
func TestSuggestSLTOtherMatrix(t *testing.T) {
	m := assets.RiskMatrix{Likelihoods: []string{"low", "mid", "high"}, Impacts: []string{"low", "mid", "high"}, Tolerable: 2}
	risks := []assets.Risk{
		{Meta: assets.Meta{ID: "a"}, Title: "A", Scope: suc, Attacker: 3, FRs: []assets.FR{assets.SI}, Likelihood: 1, Impact: 3}, // 3 > 2
		{Meta: assets.Meta{ID: "b"}, Title: "B", Scope: suc, Attacker: 4, FRs: []assets.FR{assets.SI}, Likelihood: 5, Impact: 5}, // not a cell
		{Meta: assets.Meta{ID: "c"}, Title: "C", Scope: suc, Attacker: 4, FRs: []assets.FR{assets.DC}, Likelihood: 2, Impact: 1}, // 2: tolerable
	}
	v, reasons := SuggestSLT(Scope{Zone: "z"}, risks, m)
	if v != (assets.SLVector{0, 0, 3, 0, 0, 0, 0}) {
		t.Fatalf("suggestion %v, want SI 3 only", v)
	}
	if got := reasons[assets.SI].String(); !strings.Contains(got, `"B" (not rated on the audit's matrix`) {
		t.Errorf("SI reason: %q", got)
	}
	// With the default matrix B counts and, at attacker 4, sets SI.
	v, _ = SuggestSLT(Scope{Zone: "z"}, risks, assets.DefaultRiskMatrix())
	if v[assets.SI] != 4 || v[assets.DC] != 0 {
		t.Errorf("default matrix: %v, want SI 4, DC 0", v)
	}
}

func TestSuggestSLTNothing(t *testing.T) {
	v, reasons := SuggestSLT(Scope{Zone: "z"}, nil, assets.DefaultRiskMatrix())
	if !v.IsZero() || len(reasons) != 7 {
		t.Fatalf("empty register: %v, %d reasons", v, len(reasons))
	}
	for _, r := range reasons {
		if r.SetBy != nil || r.Considered == nil || len(r.Considered) != 0 {
			t.Errorf("empty register, FR %v: %+v", r.FR, r)
		}
	}
	// Bad FRs in a record from elsewhere are skipped, not a panic.
	bad := []assets.Risk{{Title: "x", Scope: suc, Attacker: 2, FRs: []assets.FR{-1, 9, assets.UC, assets.UC}, Likelihood: 5, Impact: 5}}
	v, reasons = SuggestSLT(Scope{Zone: "z"}, bad, assets.DefaultRiskMatrix())
	if v != (assets.SLVector{0, 2, 0, 0, 0, 0, 0}) || len(reasons[assets.UC].Considered) != 1 {
		t.Errorf("bad FRs: %v, UC considered %d", v, len(reasons[assets.UC].Considered))
	}
	// An attacker outside 0–4 sets nothing; a valid one beside it still does.
	bad = []assets.Risk{
		{Meta: assets.Meta{ID: "x"}, Title: "x", Scope: suc, Attacker: 9, FRs: []assets.FR{assets.SI}, Likelihood: 5, Impact: 5},
		{Meta: assets.Meta{ID: "y"}, Title: "y", Scope: suc, Attacker: 2, FRs: []assets.FR{assets.SI}, Likelihood: 2, Impact: 3},
	}
	v, reasons = SuggestSLT(Scope{Zone: "z"}, bad, assets.DefaultRiskMatrix())
	if v[assets.SI] != 2 || reasons[assets.SI].SetBy.ID != "y" {
		t.Errorf("attacker 9 beside attacker 2: %v, set by %+v", v, reasons[assets.SI].SetBy)
	}
}

func TestAttacker(t *testing.T) {
	seen := map[string]bool{}
	for l := 0; l <= 5; l++ {
		a := Attacker(l)
		if a == "" || seen[a] {
			t.Errorf("Attacker(%d) = %q", l, a)
		}
		seen[a] = true
	}
}

// BenchmarkSuggestSLT: a register of 2,000 scenarios (a large site) over
// 200 zones, each joined to the next; one op suggests every zone's SL-T.
func BenchmarkSuggestSLT(b *testing.B) {
	const zones, risks = 200, 2000
	var conduits []assets.Conduit
	for i := range zones - 1 {
		conduits = append(conduits, assets.Conduit{Meta: assets.Meta{ID: fmt.Sprint("c", i)}, From: fmt.Sprint("z", i), To: fmt.Sprint("z", i+1)})
	}
	rs := make([]assets.Risk, risks)
	for i := range rs {
		scope := zr(fmt.Sprint("z", i%zones))
		switch i % 3 {
		case 1:
			scope = cr(fmt.Sprint("c", i%(zones-1)))
		case 2:
			if i%100 == 2 {
				scope = suc
			}
		}
		rs[i] = assets.Risk{Meta: assets.Meta{ID: fmt.Sprint("r", i)}, Title: fmt.Sprint("scenario ", i), Scope: scope,
			Attacker: i%4 + 1, FRs: []assets.FR{assets.FR(i % 7), assets.FR((i + 3) % 7)}, Likelihood: i%5 + 1, Impact: (i/5)%5 + 1}
	}
	m := assets.DefaultRiskMatrix()
	scopes := make([]Scope, zones)
	for z := range scopes {
		scopes[z] = ZoneScope(fmt.Sprint("z", z), conduits)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range scopes {
			SuggestSLT(s, rs, m)
		}
	}
}
