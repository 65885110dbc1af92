package checklist

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/zonewalk/zonewalk/assets"
)

// DefaultConduitItems returns the 62443-3-3 SRs answered per conduit
// unless the audit chooses its own (assets.Audit.ConduitSRs): the
// requirements a conduit's own equipment and configuration decide — who
// may come in over it, how its sessions end, whether what crosses it is
// protected, how its boundary is enforced and how it copes with a flood.
// docs/conduits.md says why each one is there. A new slice on every call.
func DefaultConduitItems() []string {
	return []string{"SR 1.13", "SR 2.6", "SR 3.1", "SR 3.8", "SR 4.1", "SR 4.3", "SR 5.1", "SR 5.2", "SR 7.1"}
}

// ConduitItems resolves a conduit item set against a zone template: srs
// names base SRs (nil or empty: DefaultConduitItems), and each brings its
// requirement enhancements, since a level is reached only with them. The
// items come in template order. Unknown IDs, RE IDs (name the base SR),
// items without an FR and repeats are refused with errors that wrap
// assets.ErrInvalid and name each ID.
func ConduitItems(t *Template, srs []string) ([]*Item, error) {
	if t.Kind != KindZone {
		return nil, fmt.Errorf("%w: %s is not answered per zone, so not per conduit either", ErrWrongKind, t.ID)
	}
	if len(srs) == 0 {
		srs = DefaultConduitItems()
	}
	var errs []*assets.FieldError
	add := func(i int, id, reason string) {
		errs = append(errs, &assets.FieldError{Record: "conduit items", Field: fmt.Sprintf("conduit_srs[%d]", i), Value: id, Reason: reason})
	}
	if len(srs) > assets.MaxListLen {
		add(assets.MaxListLen, "", fmt.Sprintf("the set has more than %d SRs", assets.MaxListLen))
		return nil, &assets.ValidationError{Fields: errs}
	}
	in := map[string]bool{}
	for i, id := range srs {
		it := t.Item(id)
		switch {
		case it == nil:
			add(i, id, "is not an item of "+t.ID)
		case it.Parent != "":
			add(i, id, "is a requirement enhancement: name its SR, "+it.Parent+", which brings its enhancements")
		case !it.HasFR:
			add(i, id, "has no foundational requirement, so it gives no level")
		case in[id]:
			add(i, id, "is listed twice")
		}
		in[id] = true
	}
	if len(errs) > 0 {
		return nil, &assets.ValidationError{Fields: errs}
	}
	var out []*Item
	for _, it := range t.Items() {
		if in[it.ID] || (it.Parent != "" && in[it.Parent]) {
			out = append(out, it)
		}
	}
	return out, nil
}

// ConduitScore compares what a conduit achieves, over its item set, with
// its target.
type ConduitScore struct {
	Template string
	Conduit  string   // conduit ID
	Items    []string // the items scored: the SRs of the set and their REs, in template order
	SLT, SLA assets.SLVector
	// FRs per FR; an FR the set has no item of is NoItems (not assessed),
	// with SLA 0.
	FRs [len(assets.FRs)]FRScore
	// Counts tallies the verdicts on every item of the set.
	Counts             Counts
	Gaps               []GapItem
	DependsOnUncertain bool
	Compensated        []CompensatedItem
	NoEvidence         []string
}

// Assessed reports whether the conduit's item set covers fr; SLA[fr] means
// a level only then.
func (cs *ConduitScore) Assessed(fr assets.FR) bool { return !cs.FRs[fr].NoItems }

// ScoreConduit computes a conduit's SL-A from its answers (the answers
// whose Conduit is conduit) over its item set srs (nil: the default set;
// see ConduitItems) and lists what keeps it below slt, as ScoreZone does
// for a zone.
//
// An FR the set has no item of is reported as not assessed (FRScore.NoItems,
// SLA 0, no gap), not as level 0 nor as level 4: the conduit answers say
// nothing about it, and the zones at either end carry it (FR 6 TRE, with
// the default set). A report shows it as "–".
func ScoreConduit(t *Template, conduit string, slt assets.SLVector, srs []string, answers []Answer, opts ScoreOptions) (*ConduitScore, error) {
	items, err := ConduitItems(t, srs)
	if err != nil {
		return nil, err
	}
	if err := checkSLT(slt); err != nil {
		return nil, err
	}
	got := latest(t, answers)
	status, comp, noEvidence := opts.judge(items, got, func(it *Item) answerKey { return answerKey{it.ID, conduit, scopeConduit} })
	cs := &ConduitScore{Template: t.ID, Conduit: conduit, SLT: slt, Compensated: comp, NoEvidence: noEvidence}
	cs.FRs, cs.Gaps, cs.DependsOnUncertain = scoreLevels(items, slt, status)
	var covered [len(assets.FRs)]bool
	for i, it := range items {
		cs.Items = append(cs.Items, it.ID)
		cs.Counts.add(status[i])
		covered[it.FR] = true
	}
	for _, fr := range assets.FRs {
		if !covered[fr] {
			cs.FRs[fr] = FRScore{FR: fr, SLT: slt[fr], NoItems: true}
		}
		cs.SLA[fr] = cs.FRs[fr].SLA
	}
	return cs, nil
}

// InConduitSet reports whether item belongs to the conduit set srs (nil:
// the default): it is one of its SRs or an enhancement of one.
func InConduitSet(t *Template, srs []string, item string) bool {
	it := t.Item(item)
	if it == nil {
		return false
	}
	if len(srs) == 0 {
		srs = DefaultConduitItems()
	}
	return slices.Contains(srs, cmp.Or(it.Parent, it.ID))
}
