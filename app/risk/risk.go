// Package risk derives a zone's target security level (SL-T) from the
// threat scenarios of the IEC 62443-3-2 risk register.
//
// The rule, for each foundational requirement (FR): the suggested level
// is the highest attacker profile among the scenarios that apply to the
// zone, name the FR, and whose risk is above the audit's tolerable line.
// A scenario applies when it is scoped to the zone, to a conduit that
// touches the zone, or to the whole system under consideration. Its risk
// is the unmitigated one in the initial assessment (62443-3-2 ZCR 2) and
// the residual one in the detailed assessment (ZCR 5.10) when rated.
// Scenarios at or below the line raise nothing but are reported as
// considered, so the auditor sees the whole basis (docs/risk.md).
//
// The package is pure: it reads the records it is given and stores nothing.
package risk

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// ErrOutsideMatrix is wrapped when a rating is not a cell of the matrix.
var ErrOutsideMatrix = errors.New("outside the risk matrix")

// Score is likelihood × impact on matrix m, or an error wrapping
// ErrOutsideMatrix that says which rating is out of range.
func Score(m assets.RiskMatrix, likelihood, impact int) (int, error) {
	if likelihood < 1 || likelihood > len(m.Likelihoods) {
		return 0, fmt.Errorf("likelihood %d: want 1–%d: %w", likelihood, len(m.Likelihoods), ErrOutsideMatrix)
	}
	if impact < 1 || impact > len(m.Impacts) {
		return 0, fmt.Errorf("impact %d: want 1–%d: %w", impact, len(m.Impacts), ErrOutsideMatrix)
	}
	return m.Score(likelihood, impact), nil
}

// Tolerable reports whether a score is at or below m's tolerable line.
func Tolerable(m assets.RiskMatrix, score int) bool { return m.Tolerates(score) }

// Attacker describes an SL attacker profile in a few words (level 0–4).
func Attacker(level int) string {
	switch level {
	case 0:
		return "no attacker assumed"
	case 1:
		return "chance or accidental violation"
	case 2:
		return "deliberate, simple means"
	case 3:
		return "deliberate, sophisticated means"
	case 4:
		return "deliberate, sophisticated means, extended resources"
	}
	return fmt.Sprintf("attacker level %d", level)
}

// Scope is what a zone's suggestion looks at: the zone and the conduits
// that touch it.
type Scope struct {
	Zone     string   // zone ID
	Conduits []string // IDs of the live conduits with the zone at one end
}

// ZoneScope is the scope of zone zoneID among conduits.
func ZoneScope(zoneID string, conduits []assets.Conduit) Scope {
	s := Scope{Zone: zoneID}
	for _, c := range conduits {
		if !c.Deleted && c.ID != "" && (c.From == zoneID || c.To == zoneID) {
			s.Conduits = append(s.Conduits, c.ID)
		}
	}
	return s
}

// Applies reports whether scenario r applies to the scope: scoped to the
// zone, to one of its conduits, or to the whole system under consideration.
func (s Scope) Applies(r *assets.Risk) bool {
	switch r.Scope.Kind {
	case "audit":
		return true
	case "zone":
		return r.Scope.ID == s.Zone
	case "conduit":
		return slices.Contains(s.Conduits, r.Scope.ID)
	}
	return false
}

// Scenario is one risk scenario as a suggestion weighed it.
type Scenario struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Scope    assets.Ref `json:"scope"`
	Attacker int        `json:"attacker"`
	// Score is the risk that counts (Residual says which); 0 when the
	// ratings are not a cell of the matrix, which raises nothing.
	Score     int  `json:"score"`
	Residual  bool `json:"residual,omitempty"`
	Tolerable bool `json:"tolerable"`
}

// Raises reports whether the scenario can raise a level: its risk is
// above the tolerable line.
func (sc Scenario) Raises() bool { return sc.Score > 0 && !sc.Tolerable }

// sets reports whether the scenario can set a level: it raises and
// assumes an attacker profile (1–4; a bundle may carry other values).
func (sc Scenario) sets() bool { return sc.Raises() && sc.Attacker >= 1 && sc.Attacker <= 4 }

func (sc Scenario) String() string {
	which := "risk"
	if sc.Residual {
		which = "residual risk"
	}
	var verdict string
	switch {
	case sc.Score == 0:
		verdict = "not rated on the audit's matrix"
	case sc.Tolerable:
		verdict = fmt.Sprintf("%s %d, within tolerable", which, sc.Score)
	default:
		verdict = fmt.Sprintf("%s %d, above tolerable", which, sc.Score)
	}
	return fmt.Sprintf("%q (%s, attacker SL %d: %s)", sc.Title, verdict, sc.Attacker, Attacker(sc.Attacker))
}

// Reason explains the suggestion for one FR.
type Reason struct {
	FR    assets.FR `json:"fr"`
	Level int       `json:"level"`
	// SetBy is the scenario that set Level: of those that raise and assume
	// an attacker, the one with the highest attacker, then the highest
	// risk, then by title and ID. Nil when there is none.
	SetBy *Scenario `json:"set_by,omitempty"`
	// Considered are all the scenarios that apply and name the FR, SetBy
	// included: those that raise first, each by attacker and by risk,
	// highest first.
	Considered []Scenario `json:"considered"`
	// Tolerable is the matrix's line, for the text.
	Tolerable int `json:"tolerable"`
}

func (r Reason) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "FR %d %s: ", r.FR.Number(), r.FR)
	switch {
	case r.SetBy == nil && len(r.Considered) > 0 && r.Considered[0].Raises():
		b.WriteString("no level suggested: the scenarios above the tolerable line that name it assume no attacker")
	case r.SetBy == nil:
		b.WriteString("no level suggested: no scenario above the tolerable line names it")
	default:
		which := "risk"
		if r.SetBy.Residual {
			which = "residual risk"
		}
		fmt.Fprintf(&b, "SL %d, set by %q (%s %d above tolerable %d, attacker SL %d: %s)", r.Level, r.SetBy.Title,
			which, r.SetBy.Score, r.Tolerable, r.SetBy.Attacker, Attacker(r.SetBy.Attacker))
	}
	var others []string
	for _, sc := range r.Considered {
		if r.SetBy == nil || sc.ID != r.SetBy.ID {
			others = append(others, sc.String())
		}
	}
	if len(others) > 0 {
		b.WriteString("; also considered: ")
		b.WriteString(strings.Join(others, "; "))
	}
	return b.String()
}

// Weigh rates scenario r on matrix m.
func Weigh(r *assets.Risk, m assets.RiskMatrix) Scenario {
	l, i, residual := r.Rating()
	score := m.Score(l, i)
	return Scenario{ID: r.ID, Title: r.Title, Scope: r.Scope, Attacker: r.Attacker,
		Score: score, Residual: residual, Tolerable: score > 0 && m.Tolerates(score)}
}

// SuggestSLT suggests the SL-T of the zone in scope s from the risk
// register on matrix m, with one Reason per FR in FR order. Deleted
// scenarios and those that do not apply are ignored; an FR no scenario
// above the tolerable line names gets level 0 (no suggestion).
func SuggestSLT(s Scope, risks []assets.Risk, m assets.RiskMatrix) (assets.SLVector, []Reason) {
	reasons := make([]Reason, len(assets.FRs))
	for i, f := range assets.FRs {
		reasons[i] = Reason{FR: f, Considered: []Scenario{}, Tolerable: m.Tolerable}
	}
	for i := range risks {
		r := &risks[i]
		if r.Deleted || !s.Applies(r) {
			continue
		}
		sc := Weigh(r, m)
		seen := [len(assets.FRs)]bool{}
		for _, f := range r.FRs {
			if f < 0 || int(f) >= len(reasons) || seen[f] {
				continue // Validate refuses these; a bundle record may still carry them
			}
			seen[f] = true
			reasons[f].Considered = append(reasons[f].Considered, sc)
		}
	}
	var v assets.SLVector
	for i := range reasons {
		rs := &reasons[i]
		slices.SortFunc(rs.Considered, func(a, b Scenario) int {
			return cmp.Or(-compareBool(a.sets(), b.sets()), -compareBool(a.Raises(), b.Raises()), cmp.Compare(b.Attacker, a.Attacker),
				cmp.Compare(b.Score, a.Score), strings.Compare(a.Title, b.Title), strings.Compare(a.ID, b.ID))
		})
		if len(rs.Considered) > 0 && rs.Considered[0].sets() {
			top := rs.Considered[0]
			rs.SetBy, rs.Level = &top, top.Attacker
		}
		v[i] = rs.Level
	}
	return v, reasons
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}
