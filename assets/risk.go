package assets

import "fmt"

// Risk is one threat scenario of the 62443-3-2 risk assessment (ZCR 2 for
// the initial, ZCR 5 for the detailed assessment), scoped to the system
// under consideration, a zone or a conduit.
type Risk struct {
	Meta
	Title        string `json:"title"`
	Scope        Ref    `json:"scope"`           // kind "audit" (the SuC), "zone" or "conduit"
	Stage        string `json:"stage,omitempty"` // "initial" (ZCR 2) or "detailed" (ZCR 5)
	ThreatSource string `json:"threat_source,omitempty"`
	Vector       string `json:"vector,omitempty"`
	Weakness     string `json:"weakness,omitempty"`
	Consequence  string `json:"consequence,omitempty"`
	Description  string `json:"description,omitempty"`
	// Attacker is the SL attacker profile the scenario assumes (1–4).
	Attacker int `json:"attacker,omitempty"`
	// FRs are the foundational requirements whose failure the scenario exploits.
	FRs []FR `json:"frs,omitempty"`
	// Unmitigated likelihood and impact on the audit's risk matrix.
	Likelihood int `json:"likelihood,omitempty"`
	Impact     int `json:"impact,omitempty"`
	// Countermeasures already in place (IDs) and the risk left with them.
	Countermeasures    []string `json:"countermeasures,omitempty"`
	ResidualLikelihood int      `json:"residual_likelihood,omitempty"`
	ResidualImpact     int      `json:"residual_impact,omitempty"`
}

// Validate checks a risk on its own; the helper that builds the risk
// register owns the full rules.
func (r *Risk) Validate() error {
	c := checker{kind: "risk", record: fmt.Sprintf("risk %q", clip(r.Title))}
	c.meta(&r.Meta)
	c.required("title", r.Title)
	c.text("title", r.Title)
	c.text("description", r.Description)
	return c.err()
}

// SLTBasis says where a zone's SL-T came from.
type SLTBasis struct {
	// Source is "" (typed in, no risk basis), "risk" (the suggestion of the
	// risk assessment, accepted) or "override" (set against it, with Reason).
	Source    string   `json:"source,omitempty"`
	Suggested SLVector `json:"suggested,omitzero"`
	Reason    string   `json:"reason,omitempty"`
}

// RiskMatrix rates risk as likelihood × impact, each on a scale of its own
// length (labels lowest first). Risk scores above Tolerable are not
// tolerable.
type RiskMatrix struct {
	Likelihoods []string `json:"likelihoods"`
	Impacts     []string `json:"impacts"`
	Tolerable   int      `json:"tolerable"`
}
