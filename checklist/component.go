package checklist

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// ItemVerdict is one item with the verdict a component's answers give it.
type ItemVerdict struct {
	Item   *Item
	Status Status // StatusNotAssessed when unanswered
	// Uncertain (blocking items only): the item holds the FR back only
	// through a disputed cell at the next level.
	Uncertain bool
}

// ComponentFR is the capability of one foundational requirement.
type ComponentFR struct {
	FR  assets.FR
	SLC int // achieved capability, disputed cells counted as required
	// SLCLenient is what SLC would be if disputed cells were not required.
	SLCLenient         int
	DependsOnUncertain bool
	// Counts tallies the verdicts on the FR's items that apply to the
	// component type and are required at some level.
	Counts Counts
	// Blocking lists the items counted as required at SLC+1 without a
	// verdict that satisfies them, by ID: what stands between the
	// component and the next level. Empty when SLC is 4.
	Blocking []ItemVerdict
}

// ComponentScore is the capability (SL-C) a component shows in its answers
// to a component template.
type ComponentScore struct {
	Template string
	Type     string // component type code the items were chosen for
	// SLC is the achieved capability per FR, SLCLenient the same without
	// the disputed cells.
	SLC, SLCLenient    assets.SLVector
	FRs                [len(assets.FRs)]ComponentFR
	DependsOnUncertain bool
	// Constraints are the items without FR that apply to the type (the
	// CCSC of 4-2) with their verdicts. They never change SLC: a report
	// shows them beside it.
	Constraints []ItemVerdict
}

// ScoreComponent computes the capability vector (SL-C) of one component
// of the given type (TypeSoftwareApplication … TypeNetworkDevice) from
// answers that are already filtered for that component. Answers to other
// templates, tombstones, carried answers and older versions are ignored.
//
// Per FR, SL-C is the highest level n such that every item of that FR that
// applies to the type and is counted as required at n or below is Met or
// Not applicable (Status.Satisfies), as for SL-A in ScoreZone: generic
// items count for every type, type-specific ones only for theirs.
// Disputed cells are counted as required; SLCLenient shows the level
// without them. A product that is several types (4-2 takes the union of
// their requirements) is scored once per type: its SL-C per FR is the
// lowest of those scores.
func ScoreComponent(t *Template, componentType string, answers []Answer) (*ComponentScore, error) {
	if t.Kind != KindComponent {
		return nil, fmt.Errorf("%w: %s is not answered per component", ErrWrongKind, t.ID)
	}
	if !slices.Contains(ComponentTypes, componentType) {
		return nil, fmt.Errorf("%w: component type %q: want one of %s", assets.ErrInvalid, componentType, strings.Join(ComponentTypes, ", "))
	}
	// The caller has kept one component's answers, so each item has at most
	// one record; should it pass several, the newest stands.
	byItem := map[string]*Answer{}
	for _, a := range latest(t, answers) {
		if prev := byItem[a.Item]; prev == nil || prev.Version.Compare(a.Version) < 0 {
			byItem[a.Item] = a
		}
	}
	status := func(it *Item) Status {
		if a := byItem[it.ID]; a != nil && a.Status.Valid() {
			return a.Status
		}
		return StatusNotAssessed
	}
	cs := &ComponentScore{Template: t.ID, Type: componentType}
	perFR := make([][]*Item, len(assets.FRs))
	for _, it := range t.ItemsFor(componentType) {
		switch {
		case !it.HasFR:
			cs.Constraints = append(cs.Constraints, ItemVerdict{Item: it, Status: status(it)})
		case it.FirstLevel() > 0:
			perFR[it.FR] = append(perFR[it.FR], it)
		}
	}
	for _, fr := range assets.FRs {
		items := perFR[fr]
		f := ComponentFR{FR: fr}
		f.SLC = achieved(items, status, (*Item).CountsAt)
		f.SLCLenient = achieved(items, status, func(it *Item, sl int) bool {
			return it.RequiredAt(sl) && !it.UncertainAt(sl)
		})
		f.DependsOnUncertain = f.SLC != f.SLCLenient
		next := f.SLC + 1
		for _, it := range items {
			st := status(it)
			f.Counts.add(st)
			if next <= 4 && it.CountsAt(next) && !st.Satisfies() {
				// Lower cells are all satisfied, so this cell alone blocks.
				f.Blocking = append(f.Blocking, ItemVerdict{Item: it, Status: st, Uncertain: it.UncertainAt(next)})
			}
		}
		slices.SortStableFunc(f.Blocking, func(a, b ItemVerdict) int { return CompareIDs(a.Item.ID, b.Item.ID) })
		cs.SLC[fr], cs.SLCLenient[fr] = f.SLC, f.SLCLenient
		cs.DependsOnUncertain = cs.DependsOnUncertain || f.DependsOnUncertain
		cs.FRs[fr] = f
	}
	return cs, nil
}
