package assets

import (
	"errors"
	"strings"
	"testing"
)

func validRisk() Risk {
	return Risk{
		Title: "Ransomware reaches the SCADA servers", Scope: Ref{Kind: "zone", ID: "z1"},
		Stage: StageDetailed, ThreatSource: "criminal group", Vector: "phishing, then the historian link",
		Weakness: "shared domain accounts", Consequence: "loss of view and control",
		Attacker: 3, FRs: []FR{IAC, RDF}, Likelihood: 4, Impact: 5,
		Countermeasures: []string{"cm1"}, ResidualLikelihood: 2, ResidualImpact: 5,
	}
}

// fieldError returns the error on field, or nil.
func fieldError(err error, field string) *FieldError {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return f
		}
	}
	return nil
}

func TestRiskValid(t *testing.T) {
	r := validRisk()
	if err := r.ValidateIn(DefaultRiskMatrix()); err != nil {
		t.Fatalf("valid risk refused: %v", err)
	}
	if err := r.Validate(); err != nil {
		t.Fatalf("valid risk refused without a matrix: %v", err)
	}
	sucInitial := Risk{Title: "Worst case", Scope: Ref{Kind: "audit"}, Likelihood: 1, Impact: 1}
	if err := sucInitial.ValidateIn(DefaultRiskMatrix()); err != nil {
		t.Fatalf("minimal SuC risk refused: %v", err)
	}
}

// The example: likelihood 9 on the default 5×5 matrix.
func TestRiskLikelihoodNine(t *testing.T) {
	r := validRisk()
	r.Likelihood = 9
	err := r.ValidateIn(DefaultRiskMatrix())
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("likelihood 9: %v, want ErrInvalid", err)
	}
	fe := fieldError(err, "likelihood")
	if fe == nil {
		t.Fatalf("likelihood 9: no error on likelihood: %v", err)
	}
	if fe.Record != `risk "Ransomware reaches the SCADA servers"` || fe.Value != "9" ||
		!strings.Contains(fe.Reason, "1–5") || !strings.Contains(fe.Reason, "5×5") || !strings.Contains(fe.Reason, "Rare … Almost certain") {
		t.Errorf("likelihood 9: %+v", fe)
	}
	// 9 is within MaxRiskScale: without the matrix it passes.
	if err := r.Validate(); err != nil {
		t.Errorf("likelihood 9 without a matrix: %v", err)
	}
	// A 3×3 matrix refuses the valid risk's impact 5.
	small := RiskMatrix{Likelihoods: []string{"L", "M", "H"}, Impacts: []string{"L", "M", "H"}, Tolerable: 3}
	big := validRisk()
	if err := big.ValidateIn(small); fieldError(err, "impact") == nil || fieldError(err, "likelihood") == nil || fieldError(err, "residual_impact") == nil {
		t.Errorf("likelihood 4, impact 5, residual impact 5 on 3×3: %v", err)
	}
}

func TestRiskInvalid(t *testing.T) {
	m := DefaultRiskMatrix()
	cases := []struct {
		name   string
		mutate func(r *Risk)
		field  string
	}{
		{"no title", func(r *Risk) { r.Title = " " }, "title"},
		{"scope asset", func(r *Risk) { r.Scope = Ref{Kind: "asset", ID: "a1"} }, "scope.kind"},
		{"scope unset", func(r *Risk) { r.Scope = Ref{} }, "scope.kind"},
		{"zone scope without ID", func(r *Risk) { r.Scope = Ref{Kind: "zone"} }, "scope.id"},
		{"unknown stage", func(r *Risk) { r.Stage = "final" }, "stage"},
		{"attacker 5", func(r *Risk) { r.Attacker = 5 }, "attacker"},
		{"attacker -1", func(r *Risk) { r.Attacker = -1 }, "attacker"},
		{"FR 8", func(r *Risk) { r.FRs = []FR{IAC, 7} }, "frs"},
		{"FR -1", func(r *Risk) { r.FRs = []FR{-1} }, "frs"},
		{"FR twice", func(r *Risk) { r.FRs = []FR{SI, SI} }, "frs"},
		{"impact 0", func(r *Risk) { r.Impact = 0 }, "impact"},
		{"likelihood 0", func(r *Risk) { r.Likelihood = 0 }, "likelihood"},
		{"impact 11 (beyond any matrix)", func(r *Risk) { r.Impact = 11 }, "impact"},
		{"residual likelihood above unmitigated", func(r *Risk) { r.ResidualLikelihood = 5 }, "residual_likelihood"},
		{"residual impact above unmitigated", func(r *Risk) { r.Impact, r.ResidualImpact = 3, 4 }, "residual_impact"},
		{"residual impact missing", func(r *Risk) { r.ResidualImpact = 0 }, "residual_impact"},
		{"residual likelihood missing", func(r *Risk) { r.ResidualLikelihood = 0 }, "residual_likelihood"},
		{"residual on the initial stage", func(r *Risk) { r.Stage = StageInitial }, "residual_likelihood"},
		{"residual on the default stage", func(r *Risk) { r.Stage = "" }, "residual_likelihood"},
		{"empty countermeasure ID", func(r *Risk) { r.Countermeasures = []string{"cm1", " "} }, "countermeasures"},
		{"countermeasure twice", func(r *Risk) { r.Countermeasures = []string{"cm1", "cm1"} }, "countermeasures"},
		{"too many FR entries", func(r *Risk) { r.FRs = make([]FR, MaxListLen+1) }, "frs"},
	}
	for _, tc := range cases {
		r := validRisk()
		tc.mutate(&r)
		err := r.ValidateIn(m)
		if !errors.Is(err, ErrInvalid) || fieldError(err, tc.field) == nil {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
			continue
		}
		if err := r.Validate(); tc.name != "impact 11 (beyond any matrix)" && fieldError(err, tc.field) == nil {
			t.Errorf("%s: Validate without a matrix: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
}

func TestRiskTextFields(t *testing.T) {
	set := map[string]func(r *Risk, v string){
		"title":           func(r *Risk, v string) { r.Title = "T" + v },
		"scope.id":        func(r *Risk, v string) { r.Scope.ID = "z" + v },
		"threat_source":   func(r *Risk, v string) { r.ThreatSource = v },
		"vector":          func(r *Risk, v string) { r.Vector = v },
		"weakness":        func(r *Risk, v string) { r.Weakness = v },
		"consequence":     func(r *Risk, v string) { r.Consequence = v },
		"description":     func(r *Risk, v string) { r.Description = v },
		"countermeasures": func(r *Risk, v string) { r.Countermeasures = []string{"c" + v} },
	}
	for field, f := range set {
		ml := field == "description"
		if Multiline("risk", field) != ml {
			t.Errorf("risk.%s: Multiline = %v, want %v", field, !ml, ml)
		}
		check := func(v string) error { r := validRisk(); f(&r, v); return r.ValidateIn(DefaultRiskMatrix()) }
		if err := check("Ordinary text, é ü 中"); err != nil {
			t.Errorf("risk.%s: good text refused: %v", field, err)
		}
		bad := []string{"Stra\xdfe", "a\x00b", "a\x1b[31mb", "a\u0085b", strings.Repeat("é", MaxLen("risk", field)+1)}
		if ml {
			if err := check("line 1\n\tline 2\r\n"); err != nil {
				t.Errorf("risk.%s: multi-line text refused: %v", field, err)
			}
		} else {
			bad = append(bad, "a\nb")
		}
		for _, v := range bad {
			if err := check(v); fieldError(err, field) == nil {
				t.Errorf("risk.%s = %q: want an error on the field, got %v", field, clip(v), err)
			}
		}
	}
}

func TestRiskRating(t *testing.T) {
	r := validRisk() // detailed, 4×5 unmitigated, 2×5 residual
	if l, i, res := r.Rating(); l != 2 || i != 5 || !res {
		t.Errorf("detailed with residual: %d, %d, %v; want 2, 5, true", l, i, res)
	}
	r.ResidualLikelihood, r.ResidualImpact = 0, 0
	if l, i, res := r.Rating(); l != 4 || i != 5 || res {
		t.Errorf("detailed without residual: %d, %d, %v; want 4, 5, false", l, i, res)
	}
	r = validRisk()
	r.Stage = StageInitial // invalid with a residual, but Rating must still ignore it
	if l, i, res := r.Rating(); l != 4 || i != 5 || res {
		t.Errorf("initial: %d, %d, %v; want 4, 5, false", l, i, res)
	}
}

func TestRiskMatrix(t *testing.T) {
	m := DefaultRiskMatrix()
	if err := m.Validate(); err != nil {
		t.Fatalf("default matrix: %v", err)
	}
	if len(m.Likelihoods) != 5 || len(m.Impacts) != 5 || m.MaxScore() != 25 || m.Tolerable != 4 {
		t.Fatalf("default matrix is not 5×5 with line 4: %+v", m)
	}
	// Hand-computed cells.
	for _, c := range []struct{ l, i, score int }{{1, 1, 1}, {2, 2, 4}, {1, 5, 5}, {3, 2, 6}, {5, 5, 25}, {0, 3, 0}, {6, 1, 0}, {3, 6, 0}} {
		if got := m.Score(c.l, c.i); got != c.score {
			t.Errorf("Score(%d, %d) = %d, want %d", c.l, c.i, got, c.score)
		}
	}
	for score, want := range map[int]bool{1: true, 4: true, 5: false, 25: false} {
		if m.Tolerates(score) != want {
			t.Errorf("Tolerates(%d) = %v", score, !want)
		}
	}
	// The default tolerates 8 of the 25 cells: (1,1..4), (2,1..2), (3,1), (4,1).
	n := 0
	for l := 1; l <= 5; l++ {
		for i := 1; i <= 5; i++ {
			if m.Tolerates(m.Score(l, i)) {
				n++
			}
		}
	}
	if n != 8 {
		t.Errorf("default tolerates %d cells, want 8", n)
	}
	// DefaultRiskMatrix hands out a fresh copy each time.
	m.Likelihoods[0] = "changed"
	if DefaultRiskMatrix().Likelihoods[0] != "Rare" {
		t.Error("DefaultRiskMatrix shares its labels")
	}

	var a Audit
	if got := a.Matrix(); got.Tolerable != DefaultTolerable || len(got.Impacts) != 5 {
		t.Errorf("audit without a matrix: %+v", got)
	}
	own := RiskMatrix{Likelihoods: []string{"low", "high"}, Impacts: []string{"low", "mid", "high"}, Tolerable: 2}
	a.RiskMatrix = &own
	if got := a.Matrix(); got.MaxScore() != 6 || got.Tolerable != 2 {
		t.Errorf("audit with a 2×3 matrix: %+v", got)
	}
}

func TestRiskMatrixInvalid(t *testing.T) {
	labels := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('A' + i))
		}
		return out
	}
	cases := []struct {
		name  string
		m     RiskMatrix
		field string
	}{
		{"one likelihood", RiskMatrix{Likelihoods: labels(1), Impacts: labels(3), Tolerable: 1}, "risk_matrix.likelihoods"},
		{"eleven impacts", RiskMatrix{Likelihoods: labels(3), Impacts: labels(11), Tolerable: 3}, "risk_matrix.impacts"},
		{"empty label", RiskMatrix{Likelihoods: []string{"a", " "}, Impacts: labels(2), Tolerable: 1}, "risk_matrix.likelihoods[1]"},
		{"label twice", RiskMatrix{Likelihoods: labels(2), Impacts: []string{"Low", "low "}, Tolerable: 1}, "risk_matrix.impacts[1]"},
		{"label with a newline", RiskMatrix{Likelihoods: []string{"a", "b\nc"}, Impacts: labels(2), Tolerable: 1}, "risk_matrix.likelihoods[1]"},
		{"nothing tolerable", RiskMatrix{Likelihoods: labels(5), Impacts: labels(5), Tolerable: 0}, "risk_matrix.tolerable"},
		{"everything tolerable", RiskMatrix{Likelihoods: labels(5), Impacts: labels(5), Tolerable: 25}, "risk_matrix.tolerable"},
	}
	for _, tc := range cases {
		err := tc.m.Validate()
		if !errors.Is(err, ErrInvalid) || fieldError(err, tc.field) == nil {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.field, err)
		}
	}
	edge := RiskMatrix{Likelihoods: labels(10), Impacts: labels(2), Tolerable: 19}
	if err := edge.Validate(); err != nil {
		t.Errorf("10×2 with line 19: %v", err)
	}
}

func TestZoneValidateBasis(t *testing.T) {
	good := []SLTBasis{{}, {Source: BasisRisk, Suggested: UniformSL(2)},
		{Source: BasisOverride, Suggested: UniformSL(2), Reason: "the owner asks for SL 3:\nsafety function"}}
	for _, b := range good {
		z := Zone{Name: "Z", SLTBasis: b}
		if err := z.ValidateBasis(); err != nil {
			t.Errorf("%+v refused: %v", b, err)
		}
	}
	bad := []struct {
		b     SLTBasis
		field string
	}{
		{SLTBasis{Source: BasisOverride, Reason: "  "}, "sl_t_basis.reason"},
		{SLTBasis{Source: "guess"}, "sl_t_basis.source"},
		{SLTBasis{Source: BasisRisk, Suggested: SLVector{5}}, "sl_t_basis.suggested.IAC"},
		{SLTBasis{Source: BasisOverride, Reason: "a\x00b"}, "sl_t_basis.reason"},
	}
	for _, c := range bad {
		z := Zone{Name: "Z", SLTBasis: c.b}
		if err := z.ValidateBasis(); fieldError(err, c.field) == nil {
			t.Errorf("%+v: want an error on %s, got %v", c.b, c.field, err)
		}
	}
}

func TestCountermeasureFRs(t *testing.T) {
	cm := Countermeasure{Name: "Jump host", FRs: []FR{IAC, UC}}
	if err := cm.Validate(); err != nil {
		t.Fatalf("valid countermeasure: %v", err)
	}
	for _, frs := range [][]FR{{IAC, IAC}, {7}, {-1}} {
		cm.FRs = frs
		if err := cm.Validate(); fieldError(err, "frs") == nil {
			t.Errorf("FRs %v: want an error on frs, got %v", frs, err)
		}
	}
}
