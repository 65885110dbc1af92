package assets

import (
	"fmt"
	"strings"
)

// Risk is one threat scenario of the 62443-3-2 risk assessment (ZCR 2 for
// the initial, ZCR 5 for the detailed assessment), scoped to the system
// under consideration, a zone or a conduit.
type Risk struct {
	Meta
	Title string `json:"title"`
	// Scope is kind "audit" (the whole system under consideration; the ID
	// is not used), "zone" or "conduit" with the record's ID.
	Scope        Ref    `json:"scope"`
	Stage        string `json:"stage,omitempty"` // StageInitial (also when empty) or StageDetailed
	ThreatSource string `json:"threat_source,omitempty"`
	Vector       string `json:"vector,omitempty"`
	Weakness     string `json:"weakness,omitempty"`
	Consequence  string `json:"consequence,omitempty"`
	Description  string `json:"description,omitempty"`
	// Attacker is the SL attacker profile the scenario assumes (1–4; 0
	// for a scenario that assumes no attacker, such as a mistake with no
	// security bearing).
	Attacker int `json:"attacker,omitempty"`
	// FRs are the foundational requirements whose failure the scenario exploits.
	FRs []FR `json:"frs,omitempty"`
	// Unmitigated likelihood and impact on the audit's risk matrix (1 is
	// the first label of each scale).
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
	// Countermeasures already in place (IDs) and the risk left with them
	// (detailed stage only; both 0 when not rated yet).
	Countermeasures    []string `json:"countermeasures,omitempty"`
	ResidualLikelihood int      `json:"residual_likelihood,omitempty"`
	ResidualImpact     int      `json:"residual_impact,omitempty"`
}

// Stages of the risk assessment a scenario belongs to.
const (
	StageInitial  = "initial"  // 62443-3-2 ZCR 2: worst case, before countermeasures
	StageDetailed = "detailed" // 62443-3-2 ZCR 5: per zone and conduit, with countermeasures
)

// Sources of a zone's SL-T (SLTBasis.Source).
const (
	BasisRisk     = "risk"     // the risk assessment's suggestion, accepted
	BasisOverride = "override" // set against the suggestion, with a reason
)

// MaxRiskScale is the longest likelihood or impact scale a matrix may
// have; it also bounds a risk's ratings where the matrix is not known
// (a record arriving in a bundle).
const MaxRiskScale = 10

// Detailed reports whether the scenario belongs to the detailed assessment.
func (r *Risk) Detailed() bool { return r.Stage == StageDetailed }

// HasResidual reports whether a residual risk is rated.
func (r *Risk) HasResidual() bool { return r.ResidualLikelihood != 0 || r.ResidualImpact != 0 }

// Rating is the likelihood and impact that count for the scenario: the
// unmitigated ones in the initial assessment, the residual ones in the
// detailed assessment when rated, else the unmitigated ones.
func (r *Risk) Rating() (likelihood, impact int, residual bool) {
	if r.Detailed() && r.HasResidual() {
		return r.ResidualLikelihood, r.ResidualImpact, true
	}
	return r.Likelihood, r.Impact, false
}

// Validate checks a risk where the audit's matrix is not at hand (a
// bundle record): ratings are bounded by MaxRiskScale only. Saving a risk
// uses ValidateIn.
func (r *Risk) Validate() error {
	return r.validate(nil)
}

// ValidateIn checks a risk against the audit's risk matrix m: every rating
// must be a cell of it. m itself is assumed valid (RiskMatrix.Validate).
func (r *Risk) ValidateIn(m RiskMatrix) error {
	return r.validate(&m)
}

func (r *Risk) validate(m *RiskMatrix) error {
	c := checker{kind: "risk", record: fmt.Sprintf("risk %q", clip(r.Title))}
	c.meta(&r.Meta)
	c.required("title", r.Title)
	c.text("title", r.Title)
	switch r.Scope.Kind {
	case "audit":
	case "zone", "conduit":
		c.required("scope.id", r.Scope.ID)
	default:
		c.add("scope.kind", r.Scope.Kind, "must be audit (the whole system under consideration), zone or conduit")
	}
	c.text("scope.id", r.Scope.ID)
	switch r.Stage {
	case "", StageInitial, StageDetailed:
	default:
		c.add("stage", r.Stage, "must be initial (ZCR 2) or detailed (ZCR 5)")
	}
	c.text("threat_source", r.ThreatSource)
	c.text("vector", r.Vector)
	c.text("weakness", r.Weakness)
	c.text("consequence", r.Consequence)
	c.text("description", r.Description)
	if r.Attacker < 0 || r.Attacker > 4 {
		c.add("attacker", fmt.Sprint(r.Attacker), "attacker profile must be SL 1–4 (0 for none)")
	}
	c.list("frs", len(r.FRs))
	seen := map[FR]bool{}
	for _, f := range r.FRs {
		switch {
		case f < IAC || f > RA:
			c.add("frs", fmt.Sprint(int(f)), "is not a foundational requirement (0–6 for FR 1–FR 7)")
		case seen[f]:
			c.add("frs", f.String(), "is listed twice")
		}
		seen[f] = true
	}

	nl, ni, where := MaxRiskScale, MaxRiskScale, ""
	if m != nil {
		nl, ni = len(m.Likelihoods), len(m.Impacts)
		where = fmt.Sprintf(" on the audit's %d×%d risk matrix", nl, ni)
	}
	rate := func(field string, v, n int, labels []string) {
		if v < 1 || v > n {
			reason := fmt.Sprintf("must be 1–%d%s", n, where)
			if len(labels) > 0 {
				reason += fmt.Sprintf(" (%s … %s)", labels[0], labels[len(labels)-1])
			}
			c.add(field, fmt.Sprint(v), reason)
		}
	}
	var ll, il []string
	if m != nil {
		ll, il = m.Likelihoods, m.Impacts
	}
	rate("likelihood", r.Likelihood, nl, ll)
	rate("impact", r.Impact, ni, il)
	if r.HasResidual() {
		if !r.Detailed() {
			c.add("residual_likelihood", "", "a residual risk belongs to the detailed assessment (ZCR 5.10): set stage detailed")
		}
		rate("residual_likelihood", r.ResidualLikelihood, nl, ll)
		rate("residual_impact", r.ResidualImpact, ni, il)
		// Countermeasures lower a rating; they never raise it.
		if r.ResidualLikelihood > r.Likelihood {
			c.add("residual_likelihood", fmt.Sprint(r.ResidualLikelihood), fmt.Sprintf("is above the unmitigated likelihood %d", r.Likelihood))
		}
		if r.ResidualImpact > r.Impact {
			c.add("residual_impact", fmt.Sprint(r.ResidualImpact), fmt.Sprintf("is above the unmitigated impact %d", r.Impact))
		}
	}

	c.list("countermeasures", len(r.Countermeasures))
	ids := map[string]bool{}
	for _, id := range r.Countermeasures {
		switch {
		case strings.TrimSpace(id) == "":
			c.add("countermeasures", "", "has an empty entry")
		case ids[id]:
			c.add("countermeasures", id, "is listed twice")
		default:
			c.text("countermeasures", id)
		}
		ids[id] = true
	}
	return c.err()
}

// SLTBasis says where a zone's SL-T came from.
type SLTBasis struct {
	// Source is "" (typed in, no risk basis), BasisRisk (the suggestion of
	// the risk assessment, accepted) or BasisOverride (set against it,
	// with Reason).
	Source string `json:"source,omitempty"`
	// Suggested is the suggestion when it was accepted or overridden.
	Suggested SLVector `json:"suggested,omitzero"`
	Reason    string   `json:"reason,omitempty"`
}

// ValidateBasis checks the zone's SL-T basis: a known source, a reason
// for an override, levels in range.
func (z *Zone) ValidateBasis() error {
	c := checker{kind: "zone", record: fmt.Sprintf("zone %q", clip(z.Name))}
	b := z.SLTBasis
	switch b.Source {
	case "", BasisRisk:
	case BasisOverride:
		c.required("sl_t_basis.reason", b.Reason)
	default:
		c.add("sl_t_basis.source", b.Source, "must be risk or override (empty when typed in)")
	}
	c.sl("sl_t_basis.suggested", b.Suggested)
	c.text("sl_t_basis.reason", b.Reason)
	return c.err()
}

// RiskMatrix rates risk as likelihood × impact, each on a scale of its own
// length (labels lowest first): a risk's score is the product of its two
// ratings, from 1 to len(Likelihoods) × len(Impacts). Scores up to and
// including Tolerable are tolerable; scores above it are not.
type RiskMatrix struct {
	Likelihoods []string `json:"likelihoods"`
	Impacts     []string `json:"impacts"`
	Tolerable   int      `json:"tolerable"`
}

// DefaultTolerable is the tolerable line of DefaultRiskMatrix: a score of
// 4 or less. It tolerates what is at most unlikely and minor, or rare and
// major, or negligible and likely; anything possible and minor (6), or
// rare and severe (5), is above it. An asset owner who carries more risk
// sets a matrix of their own.
const DefaultTolerable = 4

// DefaultRiskMatrix is the 5×5 matrix an audit uses until it sets its own.
func DefaultRiskMatrix() RiskMatrix {
	return RiskMatrix{
		Likelihoods: []string{"Rare", "Unlikely", "Possible", "Likely", "Almost certain"},
		Impacts:     []string{"Negligible", "Minor", "Moderate", "Major", "Severe"},
		Tolerable:   DefaultTolerable,
	}
}

// Matrix is the audit's risk matrix, or DefaultRiskMatrix when it sets none.
func (a *Audit) Matrix() RiskMatrix {
	if a.RiskMatrix != nil {
		return *a.RiskMatrix
	}
	return DefaultRiskMatrix()
}

// MaxScore is the highest score on the matrix.
func (m RiskMatrix) MaxScore() int { return len(m.Likelihoods) * len(m.Impacts) }

// Contains reports whether likelihood and impact are a cell of the matrix.
func (m RiskMatrix) Contains(likelihood, impact int) bool {
	return likelihood >= 1 && likelihood <= len(m.Likelihoods) && impact >= 1 && impact <= len(m.Impacts)
}

// Score is likelihood × impact, or 0 when they are not a cell of the matrix.
func (m RiskMatrix) Score(likelihood, impact int) int {
	if !m.Contains(likelihood, impact) {
		return 0
	}
	return likelihood * impact
}

// Tolerates reports whether a score is at or below the tolerable line.
func (m RiskMatrix) Tolerates(score int) bool { return score <= m.Tolerable }

// Validate checks the matrix: two to MaxRiskScale distinct labels per
// scale, and a tolerable line that tolerates the lowest cell but not the
// highest (else the risk assessment could not tell scenarios apart).
func (m RiskMatrix) Validate() error {
	c := checker{kind: "audit", record: "risk matrix"}
	scale := func(field string, labels []string) {
		if len(labels) < 2 || len(labels) > MaxRiskScale {
			c.add(field, "", fmt.Sprintf("has %d labels, want 2–%d", len(labels), MaxRiskScale))
		}
		seen := map[string]bool{}
		for i, l := range labels {
			f := fmt.Sprintf("%s[%d]", field, i)
			key := strings.ToLower(strings.TrimSpace(l))
			switch {
			case key == "":
				c.add(f, "", "is required")
			case seen[key]:
				c.add(f, l, "is used twice")
			}
			seen[key] = true
			c.text(f, l)
		}
	}
	scale("risk_matrix.likelihoods", m.Likelihoods)
	scale("risk_matrix.impacts", m.Impacts)
	scalesOK := len(m.Likelihoods) >= 2 && len(m.Impacts) >= 2
	if top := m.MaxScore(); m.Tolerable < 1 || scalesOK && m.Tolerable >= top {
		c.add("risk_matrix.tolerable", fmt.Sprint(m.Tolerable), fmt.Sprintf("must be 1–%d: the lowest cell is tolerable, the highest is not", max(top-1, 1)))
	}
	return c.err()
}
