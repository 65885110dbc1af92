package checks

import (
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func init() { ruleCases = append(ruleCases, riskCases...) }

var rref = func(id string) assets.Ref { return assets.Ref{Kind: "risk", ID: id} }

// scenario is a risk above the default line (3 × 4 = 12) with a
// countermeasure, so only ZW-RISK-001 and -002 look at it.
func scenario(id string, scope assets.Ref) assets.Risk {
	return assets.Risk{Meta: assets.Meta{ID: id}, Title: id, Scope: scope, Stage: assets.StageInitial, Attacker: 3,
		FRs: []assets.FR{assets.RDF}, Likelihood: 3, Impact: 4, Countermeasures: []string{"cm-mail"}}
}

// conduitScenarios replaces the site-wide scenario with scenarios on the
// Enterprise–DMZ and Control–Safety conduits: every zone but Transient
// is covered.
func conduitScenarios(m *Model) {
	m.Risks = []assets.Risk{scenario("r-ent-dmz", cref("c-ent-dmz")), scenario("r-ctl-sis", cref("c-ctl-sis"))}
}

// acceptAll gives every zone the basis of an accepted suggestion.
func acceptAll(m *Model) {
	for i := range m.Zones {
		m.Zones[i].SLTBasis = assets.SLTBasis{Source: assets.BasisRisk, Suggested: m.Zones[i].SLT}
	}
}

var riskCases = []ruleCase{
	// ZW-RISK-001
	{rule: "ZW-RISK-001", name: "only conduit scenarios, none on the transient zone's", raise: true, subject: zref("tr"),
		severity: Medium, mutate: conduitScenarios,
		title: []string{`zone "Transient" has SL-T 2 typed in, and no risk scenario covers the zone`}},
	{rule: "ZW-RISK-001", name: "a scenario on a deleted conduit covers nothing", raise: true, subject: zref("tr"),
		mutate: func(m *Model) {
			conduitScenarios(m)
			m.Risks = append(m.Risks, scenario("r-laptop", cref("c-laptop")))
			m.conduit("c-laptop").Deleted = true
		}, title: []string{`zone "Transient"`}},
	{rule: "ZW-RISK-001", name: "a deleted scenario on the zone covers nothing", raise: true, subject: zref("tr"),
		mutate: func(m *Model) {
			conduitScenarios(m)
			r := scenario("r-tr", zref("tr"))
			r.Deleted = true
			m.Risks = append(m.Risks, r)
		}},
	{rule: "ZW-RISK-001", name: "a scenario on a conduit of the zone covers it",
		mutate: func(m *Model) {
			conduitScenarios(m)
			m.Risks = append(m.Risks, scenario("r-laptop", cref("c-laptop")))
		}},
	{rule: "ZW-RISK-001", name: "a scenario on the zone covers it",
		mutate: func(m *Model) {
			conduitScenarios(m)
			m.Risks = append(m.Risks, scenario("r-tr", zref("tr")))
		}},
	{rule: "ZW-RISK-001", name: "no scenarios, every SL-T accepted from a suggestion",
		mutate: func(m *Model) { m.Risks = nil; acceptAll(m) }},
	{rule: "ZW-RISK-001", name: "no scenarios, the one zone without a basis has no SL-T either",
		mutate: func(m *Model) {
			m.Risks = nil
			acceptAll(m)
			m.zone("tr").SLT, m.zone("tr").SLTBasis = assets.SLVector{}, assets.SLTBasis{}
		}},
	{rule: "ZW-RISK-001", name: "no scenarios, overrides with reasons",
		mutate: func(m *Model) {
			m.Risks = nil
			for i := range m.Zones {
				m.Zones[i].SLTBasis = assets.SLTBasis{Source: assets.BasisOverride, Reason: "the owner's decision of 2025-01-10"}
			}
		}},

	// ZW-RISK-002
	{rule: "ZW-RISK-002", name: "override without a reason", raise: true, subject: zref("ctl"), severity: Medium,
		mutate: func(m *Model) {
			m.zone("ctl").SLTBasis = assets.SLTBasis{Source: assets.BasisOverride, Suggested: assets.UniformSL(1), Reason: " \n"}
		}, title: []string{`zone "Control" SL-T 2 overrides the suggested SL-T 1 without a reason`}},
	{rule: "ZW-RISK-002", name: "SL-T edited after the suggestion was accepted", raise: true, subject: zref("sis"),
		mutate: func(m *Model) {
			m.zone("sis").SLTBasis = assets.SLTBasis{Source: assets.BasisRisk, Suggested: assets.SLVector{3, 3, 3, 3, 2, 3, 3}}
		}, title: []string{`zone "Safety" SL-T 3 differs from the accepted suggestion SL-T 3,3,3,3,2,3,3: changed after acceptance`}},
	{rule: "ZW-RISK-002", name: "accepted and unchanged, override with a reason",
		mutate: func(m *Model) {
			acceptAll(m)
			m.zone("ctl").SLTBasis = assets.SLTBasis{Source: assets.BasisOverride, Suggested: assets.UniformSL(1), Reason: "treatment control"}
		}},
	{rule: "ZW-RISK-002", name: "typed in: ZW-RISK-001's business",
		mutate: func(m *Model) { m.Risks = nil }},

	// ZW-RISK-003
	{rule: "ZW-RISK-003", name: "no countermeasure linked", raise: true, subject: rref("r-phish"), severity: High,
		mutate: func(m *Model) { m.Risks[0].Countermeasures = nil },
		title:  []string{`risk scenario "Phishing reaches the plant" has risk 12, above the tolerable line 4, and links no countermeasure`},
		refs:   []string{"62443-3-2 ZCR 5.8"}},
	{rule: "ZW-RISK-003", name: "the linked countermeasure was deleted", raise: true, subject: rref("r-phish"),
		mutate: func(m *Model) { m.Countermeasures[0].Deleted = true },
		title:  []string{"links only countermeasures that no longer exist"}},
	{rule: "ZW-RISK-003", name: "the linked countermeasure does not exist", raise: true, subject: rref("r-phish"),
		mutate: func(m *Model) { m.Risks[0].Countermeasures = []string{"cm-gone"} },
		title:  []string{"links only countermeasures that no longer exist"}},
	{rule: "ZW-RISK-003", name: "a low residual does not excuse the unmitigated risk", raise: true, subject: rref("r-phish"),
		mutate: func(m *Model) {
			r := &m.Risks[0]
			r.Stage, r.ResidualLikelihood, r.ResidualImpact, r.Countermeasures = assets.StageDetailed, 1, 1, nil
		}, title: []string{"has risk 12"}},
	{rule: "ZW-RISK-003", name: "the audit's own line: 2 × 3 = 6 above 5", raise: true, subject: rref("r-phish"),
		mutate: func(m *Model) {
			own := assets.DefaultRiskMatrix()
			own.Tolerable = 5
			m.Audit.RiskMatrix = &own
			m.Risks[0].Likelihood, m.Risks[0].Impact, m.Risks[0].Countermeasures = 2, 3, nil
		}, title: []string{"has risk 6, above the tolerable line 5"}},
	{rule: "ZW-RISK-003", name: "the audit's own line: 2 × 3 = 6 on it",
		mutate: func(m *Model) {
			own := assets.DefaultRiskMatrix()
			own.Tolerable = 6
			m.Audit.RiskMatrix = &own
			m.Risks[0].Likelihood, m.Risks[0].Impact, m.Risks[0].Countermeasures = 2, 3, nil
		}},
	{rule: "ZW-RISK-003", name: "within the default line (2 × 2) without countermeasure",
		mutate: func(m *Model) { m.Risks[0].Likelihood, m.Risks[0].Impact, m.Risks[0].Countermeasures = 2, 2, nil }},
	{rule: "ZW-RISK-003", name: "deleted scenario",
		mutate: func(m *Model) { m.Risks[0].Deleted, m.Risks[0].Countermeasures = true, nil }},
	{rule: "ZW-RISK-003", name: "ratings outside the matrix are not judged",
		mutate: func(m *Model) { m.Risks[0].Likelihood, m.Risks[0].Countermeasures = 9, nil }},
}

// The finding on a scenario points at what the scenario is scoped to.
func TestRiskFindingRelated(t *testing.T) {
	m := cleanModel()
	m.Risks[0].Countermeasures = nil
	m.Risks = append(m.Risks, scenario("r-link", cref("c-dmz-ctl")))
	m.Risks[1].Countermeasures = nil
	got := byRule(run(t, m), "ZW-RISK-003")
	if len(got) != 2 {
		t.Fatalf("%d findings, want 2", len(got))
	}
	want := map[string]assets.Ref{"r-phish": auditRef, "r-link": cref("c-dmz-ctl")}
	for _, f := range got {
		if len(f.Related) != 1 || f.Related[0] != want[f.Subject.ID] || f.SubjectName != map[string]string{"r-phish": "Phishing reaches the plant", "r-link": "r-link"}[f.Subject.ID] {
			t.Errorf("finding on %s: related %v, name %q", f.Subject.ID, f.Related, f.SubjectName)
		}
	}
}
