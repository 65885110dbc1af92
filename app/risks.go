package app

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/app/risk"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// Errors of the SL-T decisions.
var (
	// ErrReasonRequired: an SL-T override needs a reason.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrNoSuggestion: no scenario above the tolerable line applies to the
	// zone, so there is nothing to accept.
	ErrNoSuggestion = errors.New("the risk register suggests no SL-T")
)

// RiskMatrix is the audit's risk matrix (the default when it sets none).
func (w *Workspace) RiskMatrix() assets.RiskMatrix {
	a := w.Audit()
	return a.Matrix()
}

// Risks lists the live risk scenarios, highest score that counts first,
// then by title.
func (w *Workspace) Risks() ([]assets.Risk, error) {
	all, err := store.All[assets.Risk](w.st, KindRisk)
	if err != nil {
		return nil, err
	}
	m := w.RiskMatrix()
	slices.SortFunc(all, func(a, b assets.Risk) int {
		return cmp.Or(cmp.Compare(risk.Weigh(&b, m).Score, risk.Weigh(&a, m).Score),
			strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.ID, b.ID))
	})
	return all, nil
}

// Risk returns a live risk scenario by ID.
func (w *Workspace) Risk(id string) (assets.Risk, error) {
	var r assets.Risk
	if err := w.st.Get(KindRisk, id, &r); err != nil {
		return r, fmt.Errorf("risk %s: %w", id, err)
	}
	return r, nil
}

// SaveRisk validates and stores a risk scenario (new when its ID is
// empty): its ratings are cells of the audit's matrix, the zone or conduit
// it is scoped to and the countermeasures it links exist. An empty stage
// becomes initial. On error nothing is stored.
func (w *Workspace) SaveRisk(r assets.Risk) (assets.Risk, error) {
	if r.Stage == "" {
		r.Stage = assets.StageInitial
	}
	if r.Scope.Kind == "audit" {
		r.Scope.ID = "" // one SuC per workspace: the ID would only go stale in a revisit
	}
	if err := r.ValidateIn(w.RiskMatrix()); err != nil {
		return r, err
	}
	if r.Scope.Kind != "audit" && !w.exists(r.Scope) {
		return r, fmt.Errorf("risk %q: scope %s %s: %w", r.Title, r.Scope.Kind, r.Scope.ID, store.ErrNotFound)
	}
	for _, id := range r.Countermeasures {
		if _, err := w.Countermeasure(id); err != nil {
			return r, fmt.Errorf("risk %q: %w", r.Title, err)
		}
	}
	if err := w.st.Put(KindRisk, &r); err != nil {
		return r, err
	}
	return r, nil
}

// DeleteRisk deletes a risk scenario.
func (w *Workspace) DeleteRisk(id string) error {
	if _, err := w.Risk(id); err != nil {
		return err
	}
	return w.st.Delete(KindRisk, id)
}

// SetRiskMatrix validates m and makes it the audit's matrix. It refuses,
// naming them, while live scenarios are rated outside it (wrapping
// risk.ErrOutsideMatrix): they would have no score.
func (w *Workspace) SetRiskMatrix(m assets.RiskMatrix) (assets.Audit, error) {
	a := w.Audit()
	if err := m.Validate(); err != nil {
		return a, err
	}
	all, err := w.Risks()
	if err != nil {
		return a, err
	}
	var outside []string
	for _, r := range all {
		if !m.Contains(r.Likelihood, r.Impact) || r.HasResidual() && !m.Contains(r.ResidualLikelihood, r.ResidualImpact) {
			outside = append(outside, fmt.Sprintf("%q", r.Title))
		}
	}
	if len(outside) > 0 {
		return a, fmt.Errorf("a %d×%d risk matrix: %d %s rated outside it (%s); re-rate %s first: %w",
			len(m.Likelihoods), len(m.Impacts), len(outside), plural(len(outside), "scenario is", "scenarios are"),
			strings.Join(outside, ", "), plural(len(outside), "it", "them"), risk.ErrOutsideMatrix)
	}
	m.Likelihoods, m.Impacts = slices.Clone(m.Likelihoods), slices.Clone(m.Impacts)
	a.RiskMatrix = &m
	return w.SaveAudit(a)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SuggestZoneSLT suggests the zone's SL-T from the risk register
// (risk.SuggestSLT), with one reason per FR.
func (w *Workspace) SuggestZoneSLT(zoneID string) (assets.SLVector, []risk.Reason, error) {
	if _, ok := w.Zone(zoneID); !ok {
		return assets.SLVector{}, nil, fmt.Errorf("zone %s: %w", zoneID, store.ErrNotFound)
	}
	all, err := store.All[assets.Risk](w.st, KindRisk)
	if err != nil {
		return assets.SLVector{}, nil, err
	}
	v, reasons := risk.SuggestSLT(risk.ZoneScope(zoneID, w.Conduits()), all, w.RiskMatrix())
	return v, reasons, nil
}

// AcceptSLT sets the zone's SL-T to the risk register's suggestion and
// records that basis. It refuses an empty suggestion (ErrNoSuggestion).
func (w *Workspace) AcceptSLT(zoneID string) (assets.Zone, error) {
	v, _, err := w.SuggestZoneSLT(zoneID)
	if err != nil {
		return assets.Zone{}, err
	}
	z, _ := w.Zone(zoneID)
	if v.IsZero() {
		return z, fmt.Errorf("zone %q: no scenario above the tolerable line applies to it; add scenarios or override with a reason: %w", z.Name, ErrNoSuggestion)
	}
	z.SLT = v
	z.SLTBasis = assets.SLTBasis{Source: assets.BasisRisk, Suggested: v}
	return w.SaveZone(z) // the GUI's path: validation (basis included) and the change log
}

// OverrideSLT sets the zone's SL-T to v against the suggestion, for the
// reason given (required: ErrReasonRequired), and records the suggestion
// it departs from.
func (w *Workspace) OverrideSLT(zoneID string, v assets.SLVector, reason string) (assets.Zone, error) {
	suggested, _, err := w.SuggestZoneSLT(zoneID)
	if err != nil {
		return assets.Zone{}, err
	}
	z, _ := w.Zone(zoneID)
	if strings.TrimSpace(reason) == "" {
		return z, fmt.Errorf("zone %q: overriding the suggested SL-T: %w", z.Name, ErrReasonRequired)
	}
	if v.IsZero() {
		return z, fmt.Errorf("zone %q: an override sets at least one level (to clear the SL-T, edit the zone): %w", z.Name, assets.ErrInvalid)
	}
	z.SLT = v
	z.SLTBasis = assets.SLTBasis{Source: assets.BasisOverride, Suggested: suggested, Reason: reason}
	return w.SaveZone(z) // the GUI's path: validation (basis included) and the change log
}
