package checks

import (
	"fmt"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// riskCovered is the set of zone IDs some live scenario applies to: scoped
// to the zone, to a live conduit that touches it, or to the whole system
// under consideration (then every zone, all true).
func (ix *index) riskCovered() (zones map[string]bool, all bool) {
	zones = map[string]bool{}
	conduits := map[string]*assets.Conduit{}
	for _, c := range ix.conduits {
		conduits[c.ID] = c
	}
	for i := range ix.m.Risks {
		r := &ix.m.Risks[i]
		if r.Deleted {
			continue
		}
		switch r.Scope.Kind {
		case "audit":
			all = true
		case "zone":
			zones[r.Scope.ID] = true
		case "conduit":
			if c := conduits[r.Scope.ID]; c != nil {
				zones[c.From], zones[c.To] = true, true
			}
		}
	}
	return zones, all
}

var ruleRiskNoBasis = Rule{
	ID:         "ZW-RISK-001",
	Title:      "SL-T without a risk basis",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 5.6", "62443-3-2 ZCR 2.1", "62443-3-2 ZCR 5.1"},
	Explanation: "A target level is meant to follow from the risk assessment: the threats that reach the zone, " +
		"how likely and how harmful they are, and the attacker each assumes. This SL-T was typed in and no " +
		"threat scenario of the risk register covers the zone, so nothing shows why the level is what it is.",
	Advice: "Record the threat scenarios that reach the zone (on the zone, on its conduits or on the whole system) " +
		"and accept the suggested SL-T, or override it with a reason.",
	check: func(ix *index, raise func(issue)) {
		covered, all := ix.riskCovered()
		for _, zi := range ix.zones {
			z := zi.z
			if z.SLT.IsZero() || z.SLTBasis.Source == assets.BasisRisk || z.SLTBasis.Source == assets.BasisOverride {
				continue
			}
			if all || covered[z.ID] {
				continue
			}
			raise(issue{subject: zi.ref(), subjectName: z.Name,
				title: fmt.Sprintf("zone %q has %s typed in, and no risk scenario covers the zone", z.Name, slText(z.SLT))})
		}
	},
}

var ruleRiskOverride = Rule{
	ID:         "ZW-RISK-002",
	Title:      "SL-T override without a reason, or changed after acceptance",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 5.6", "62443-3-2 ZCR 5.13"},
	Explanation: "An SL-T that departs from what the risk assessment suggests can be right, but only the written " +
		"reason lets a reviewer or the asset owner judge it. An SL-T edited after the suggestion was accepted " +
		"still claims the risk assessment as its basis while no longer matching it.",
	Advice: "Write down why the zone needs other levels than the suggestion, or accept the suggestion again.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			z := zi.z
			b := z.SLTBasis
			var title string
			switch {
			case b.Source == assets.BasisOverride && strings.TrimSpace(b.Reason) == "":
				title = fmt.Sprintf("zone %q %s overrides the suggested %s without a reason", z.Name, slText(z.SLT), slText(b.Suggested))
			case b.Source == assets.BasisRisk && z.SLT != b.Suggested:
				title = fmt.Sprintf("zone %q %s differs from the accepted suggestion %s: changed after acceptance",
					z.Name, slText(z.SLT), slText(b.Suggested))
			default:
				continue
			}
			raise(issue{subject: zi.ref(), subjectName: z.Name, title: title})
		}
	},
}

var ruleRiskUntreated = Rule{
	ID:         "ZW-RISK-003",
	Title:      "Risk above the tolerable line with no countermeasure",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 5.7", "62443-3-2 ZCR 5.8", "62443-3-2 ZCR 5.12"},
	Explanation: "A scenario whose unmitigated risk is above what the asset owner tolerates must be brought down " +
		"by countermeasures. With none linked, the register neither shows what treats the risk nor supports " +
		"a lower residual rating.",
	Advice: "Link the countermeasures that already reduce the risk, or plan new ones and link them, then rate " +
		"the residual risk in the detailed assessment.",
	check: func(ix *index, raise func(issue)) {
		m := ix.m.Audit.Matrix()
		live := map[string]bool{}
		for _, cm := range ix.m.Countermeasures {
			if !cm.Deleted {
				live[cm.ID] = true
			}
		}
		for i := range ix.m.Risks {
			r := &ix.m.Risks[i]
			score := m.Score(r.Likelihood, r.Impact)
			if r.Deleted || score == 0 || m.Tolerates(score) {
				continue
			}
			linked := 0
			for _, id := range r.Countermeasures {
				if live[id] {
					linked++
				}
			}
			if linked > 0 {
				continue
			}
			what := "links no countermeasure"
			if len(r.Countermeasures) > 0 {
				what = "links only countermeasures that no longer exist"
			}
			scope := r.Scope
			if scope.Kind == "audit" {
				scope = ix.auditRef()
			}
			raise(issue{subject: assets.Ref{Kind: "risk", ID: r.ID}, subjectName: r.Title,
				related: []assets.Ref{scope},
				title: fmt.Sprintf("risk scenario %q has risk %d, above the tolerable line %d, and %s",
					r.Title, score, m.Tolerable, what)})
		}
	},
}
