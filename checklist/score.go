package checklist

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/zonewalk/zonewalk/assets"
)

// ErrWrongKind is returned when a program template is scored per zone or
// a zone template per audit.
var ErrWrongKind = errors.New("checklist: wrong kind of template for this score")

// Counts tallies items by status; items without an answer count as not
// assessed.
type Counts struct {
	Met, Partial, NotMet, NA, NotAssessed int
	// Compensated counts the items met by compensating countermeasures.
	// They are counted in Met as well, so Total and the other counts
	// read as before compensation existed.
	Compensated int
}

// Total is the number of items counted.
func (c Counts) Total() int { return c.Met + c.Partial + c.NotMet + c.NA + c.NotAssessed }

// Assessed is the number of items with a verdict (N/A included).
func (c Counts) Assessed() int { return c.Total() - c.NotAssessed }

func (c *Counts) add(s Status) {
	switch s {
	case StatusMet:
		c.Met++
	case StatusCompensated:
		c.Met++
		c.Compensated++
	case StatusPartial:
		c.Partial++
	case StatusNotMet:
		c.NotMet++
	case StatusNA:
		c.NA++
	default:
		c.NotAssessed++
	}
}

// MaturityProfile describes the maturity ratings given in a group of items.
// Only assessed, applicable items are rated; N/A and not assessed are left
// out.
type MaturityProfile struct {
	// Levels[n] counts items rated MLn (1–4); Levels[0] counts assessed
	// items the auditor did not rate.
	Levels  [MaxMaturity + 1]int
	Rated   int
	Average float64 // mean ML of the rated items, 0 when none
	Min     int     // lowest ML given, 0 when none
}

func (p *MaturityProfile) add(ml int) {
	p.Levels[ml]++
	if ml == 0 {
		return
	}
	if p.Rated == 0 || ml < p.Min {
		p.Min = ml
	}
	p.Average = (p.Average*float64(p.Rated) + float64(ml)) / float64(p.Rated+1)
	p.Rated++
}

// ScoreOptions change how answers count. The zero value counts every
// answer as given.
type ScoreOptions struct {
	// MetNeedsEvidence (the audit setting "Met needs evidence") makes a Met
	// answer without evidence count as not assessed: it names no evidence
	// record and Attached does not report any. Other verdicts are not
	// affected; an item met by compensation rests on its countermeasures,
	// whose records carry their own evidence.
	MetNeedsEvidence bool
	// Attached reports whether evidence is attached to the answer with
	// that record ID (evidence records whose owner is the answer), for
	// evidence the answer's own Evidence list does not name. nil: only
	// Answer.Evidence counts.
	Attached func(answerID string) bool
	// Countermeasures are the audit's live countermeasures by ID. When
	// non-nil, an item met by compensation counts as met only while every
	// countermeasure it names is here and not merely planned; otherwise it
	// counts as not assessed, since the verdict rested on something that
	// is gone or not there yet. It also gives CompensatedItem its names.
	// nil: the links are taken as given.
	Countermeasures map[string]assets.Countermeasure
}

// CompensatedItem is an item met by compensating countermeasures, for the
// report to list with what compensates and why.
type CompensatedItem struct {
	Item            *Item
	Countermeasures []string // IDs, as the answer names them
	// Names are the countermeasures' names in the same order, "" for one
	// not found; nil when ScoreOptions.Countermeasures was not given.
	Names  []string
	Reason string // the answer's note
	// Counted: the item counts as met. It does not when a countermeasure
	// it names is Missing (deleted) or only Planned (see
	// ScoreOptions.Countermeasures); it then counts as not assessed.
	Counted          bool
	Missing, Planned []string
}

// judge settles how each item of one scope counts, under the options:
// the status of items[i] in status[i] (StatusNotAssessed when unanswered),
// the items met by compensation and the IDs of the Met items left without
// evidence, both in the order of items.
func (o *ScoreOptions) judge(items []*Item, got map[answerKey]*Answer, key func(*Item) answerKey) (status []Status, comp []CompensatedItem, noEvidence []string) {
	status = make([]Status, len(items))
	for i, it := range items {
		a := got[key(it)]
		st := StatusNotAssessed
		if a != nil && a.Status.Valid() {
			st = a.Status
		}
		switch st {
		case StatusMet:
			if o.MetNeedsEvidence && len(a.Evidence) == 0 && (o.Attached == nil || !o.Attached(a.ID)) {
				st = StatusNotAssessed
				noEvidence = append(noEvidence, it.ID)
			}
		case StatusCompensated:
			c := o.compensation(it, a)
			if !c.Counted {
				st = StatusNotAssessed
			}
			comp = append(comp, c)
		}
		status[i] = st
	}
	return status, comp, noEvidence
}

func (o *ScoreOptions) compensation(it *Item, a *Answer) CompensatedItem {
	c := CompensatedItem{Item: it, Countermeasures: a.Countermeasures, Reason: a.Note, Counted: len(a.Countermeasures) > 0}
	if o.Countermeasures == nil {
		return c
	}
	c.Names = make([]string, len(a.Countermeasures))
	for i, id := range a.Countermeasures {
		cm, ok := o.Countermeasures[id]
		switch {
		case !ok:
			c.Missing = append(c.Missing, id)
		case cm.Status == assets.CountermeasurePlanned:
			c.Names[i] = cm.Name
			c.Planned = append(c.Planned, id)
		default:
			c.Names[i] = cm.Name
		}
	}
	c.Counted = c.Counted && len(c.Missing) == 0 && len(c.Planned) == 0
	return c
}

// SectionScore is the state of one section (or, as Overall, the whole
// template).
type SectionScore struct {
	ID, Title  string
	Counts     Counts
	Maturity   MaturityProfile // empty unless the template has maturity levels
	Unassessed []string        // IDs of items not answered or marked not assessed, in template order
}

// ProgramScore is the state of a program template in one audit.
type ProgramScore struct {
	Template string
	// Groups scores the template's declared groups (the SPEs of 2-1:2024),
	// in template order; empty when it declares none.
	Groups   []SectionScore
	Sections []SectionScore
	Overall  SectionScore
	// Compensated lists the items met by compensating countermeasures and
	// NoEvidence the Met items counted as not assessed for want of
	// evidence (ScoreOptions.MetNeedsEvidence), in template order.
	Compensated []CompensatedItem
	NoEvidence  []string
}

// ScoreProgram scores a program template (62443-2-1) from the audit's
// answers. Answers to other templates, tombstones and older versions of
// an answer are ignored.
func ScoreProgram(t *Template, answers []Answer) (*ProgramScore, error) {
	return ScoreProgramWith(t, answers, ScoreOptions{})
}

// ScoreProgramWith is ScoreProgram under the given options.
func ScoreProgramWith(t *Template, answers []Answer, opts ScoreOptions) (*ProgramScore, error) {
	if t.Kind != KindProgram {
		return nil, fmt.Errorf("%w: %s is not answered once per audit; use ScoreZone", ErrWrongKind, t.ID)
	}
	got := latest(t, answers)
	verdicts, comp, noEvidence := opts.judge(t.Items(), got, func(it *Item) answerKey { return answerKey{item: it.ID} })
	status := make(map[*Item]Status, len(verdicts))
	for i, it := range t.Items() {
		status[it] = verdicts[i]
	}
	ps := &ProgramScore{Template: t.ID, Overall: SectionScore{Title: "Overall"}, Compensated: comp, NoEvidence: noEvidence}
	groups := map[string]int{}
	for _, g := range t.Groups {
		groups[g.ID] = len(ps.Groups)
		ps.Groups = append(ps.Groups, SectionScore{ID: g.ID, Title: g.Title})
	}
	for _, s := range t.Sections {
		ss := SectionScore{ID: s.ID, Title: s.Title}
		into := []*SectionScore{&ss, &ps.Overall}
		if i, ok := groups[s.Group]; ok {
			into = append(into, &ps.Groups[i])
		}
		for _, it := range s.Items {
			st, ml := status[it], 0
			if st != StatusNotAssessed {
				ml = got[answerKey{item: it.ID}].Maturity
			}
			for _, sc := range into {
				sc.Counts.add(st)
				if st == StatusNotAssessed {
					sc.Unassessed = append(sc.Unassessed, it.ID)
				} else if t.Maturity && st != StatusNA && ml >= 0 && ml <= MaxMaturity {
					sc.Maturity.add(ml)
				}
			}
		}
		ps.Sections = append(ps.Sections, ss)
	}
	return ps, nil
}

// FRScore is the achieved level of one foundational requirement in a zone.
type FRScore struct {
	FR  assets.FR
	SLT int // target, 0 when not set
	SLA int // achieved, with disputed cells counted as required
	Gap int // SLT − SLA when positive
	// SLALenient is what SLA would be if disputed cells were not required.
	// When it differs from SLA the result depends on the disputed cells.
	SLALenient         int
	DependsOnUncertain bool
	Unanswered         int // items required up to SLT without a verdict
	// NoItems (ScoreConduit only): the conduit's item set has no item of
	// this FR, so the FR is not assessed on the conduit. SLA, Gap and
	// Unanswered are then 0 and mean "not assessed", not level 0.
	NoItems bool
}

// GapItem is one requirement that keeps a zone below its SL-T.
type GapItem struct {
	Item   *Item
	Status Status // current verdict, StatusNotAssessed when unanswered
	// Level is the lowest SL at which the item is counted as required.
	Level int
	// Remaining is how many unmet items (this one included) the FR still
	// needs to reach Level: 1 means meeting this item alone raises SL-A.
	Remaining int
	// Uncertain means the item is required up to the SL-T only through
	// cells that sources dispute.
	Uncertain bool
}

// ZoneScore compares what a zone achieves with its target.
type ZoneScore struct {
	Template string
	Zone     string
	SLT, SLA assets.SLVector
	FRs      [len(assets.FRs)]FRScore
	// Gaps lists every unmet requirement between SL-A and SL-T, cheapest
	// path first (see ScoreZone).
	Gaps               []GapItem
	DependsOnUncertain bool
	// Compensated lists the items met by compensating countermeasures and
	// NoEvidence the Met items counted as not assessed for want of
	// evidence (ScoreOptions.MetNeedsEvidence), in template order.
	Compensated []CompensatedItem
	NoEvidence  []string
}

// ScoreZone computes a zone's SL-A from its answers and lists what keeps
// it below slt.
//
// For each FR, SL-A is the highest level L such that every item of that FR
// counted as required at any level up to L is Met, Met by compensating
// countermeasure or Not applicable; Partially met does not count. Disputed cells are counted as required;
// SLALenient shows the level without them.
//
// Gaps are ordered cheapest path first: by the level at which the item is
// first required (lower levels must be closed before higher ones count),
// then by how few unmet items the FR has left at that level (an FR one item
// short of its next level comes first), then by FR and by ID in numeric
// order (a base SR before its REs).
func ScoreZone(t *Template, zone string, slt assets.SLVector, answers []Answer) (*ZoneScore, error) {
	return ScoreZoneWith(t, zone, slt, answers, ScoreOptions{})
}

// ScoreZoneWith is ScoreZone under the given options.
func ScoreZoneWith(t *Template, zone string, slt assets.SLVector, answers []Answer, opts ScoreOptions) (*ZoneScore, error) {
	if t.Kind != KindZone {
		return nil, fmt.Errorf("%w: %s is not answered per zone; use ScoreProgram", ErrWrongKind, t.ID)
	}
	if err := checkSLT(slt); err != nil {
		return nil, err
	}
	got := latest(t, answers)
	status, comp, noEvidence := opts.judge(t.Items(), got, func(it *Item) answerKey { return answerKey{it.ID, zone, scopeZone} })
	zs := &ZoneScore{Template: t.ID, Zone: zone, SLT: slt, Compensated: comp, NoEvidence: noEvidence}
	zs.FRs, zs.Gaps, zs.DependsOnUncertain = scoreLevels(t.Items(), slt, status)
	for _, fr := range assets.FRs {
		zs.SLA[fr] = zs.FRs[fr].SLA
	}
	return zs, nil
}

func checkSLT(slt assets.SLVector) error {
	for i, l := range slt {
		if l < 0 || l > 4 {
			return fmt.Errorf("%w: SL-T of %s is %d, want 0–4", assets.ErrInvalid, assets.FRs[i], l)
		}
	}
	return nil
}

// scoreLevels computes SL-A per FR over all against slt, the verdict of
// all[i] being verdicts[i], and the gaps cheapest path first (see
// ScoreZone). Items without an FR are skipped.
func scoreLevels(all []*Item, slt assets.SLVector, verdicts []Status) (frs [len(assets.FRs)]FRScore, gaps []GapItem, depends bool) {
	var perFR [len(assets.FRs)][]int
	for i, it := range all {
		if it.HasFR && it.FR >= 0 && int(it.FR) < len(perFR) {
			perFR[it.FR] = append(perFR[it.FR], i)
		}
	}
	for _, fr := range assets.FRs {
		idx := perFR[fr]
		f := FRScore{FR: fr, SLT: slt[fr]}
		f.SLA = achievedAt(all, idx, verdicts, (*Item).CountsAt)
		f.SLALenient = achievedAt(all, idx, verdicts, func(it *Item, sl int) bool {
			return it.RequiredAt(sl) && !it.UncertainAt(sl)
		})
		f.DependsOnUncertain = f.SLA != f.SLALenient
		f.Gap = max(0, f.SLT-f.SLA)
		var frGaps []GapItem
		for _, i := range idx {
			it := all[i]
			lvl := it.FirstLevel()
			if lvl == 0 || lvl > f.SLT {
				continue
			}
			st := verdicts[i]
			if st == StatusNotAssessed {
				f.Unanswered++
			}
			if !st.Satisfies() {
				frGaps = append(frGaps, GapItem{Item: it, Status: st, Level: lvl, Uncertain: !certainWithin(it, f.SLT)})
			}
		}
		for i := range frGaps {
			for _, g := range frGaps {
				if g.Level <= frGaps[i].Level {
					frGaps[i].Remaining++
				}
			}
		}
		gaps = append(gaps, frGaps...)
		frs[fr] = f
		depends = depends || f.DependsOnUncertain
	}
	slices.SortStableFunc(gaps, func(a, b GapItem) int {
		return cmp.Or(
			cmp.Compare(a.Level, b.Level),
			cmp.Compare(a.Remaining, b.Remaining),
			cmp.Compare(a.Item.FR, b.Item.FR),
			CompareIDs(a.Item.ID, b.Item.ID),
		)
	})
	return frs, gaps, depends
}

// achievedAt is achieved over the items all[i] for i in idx, with their
// verdicts.
func achievedAt(all []*Item, idx []int, verdicts []Status, counts func(*Item, int) bool) int {
	for sl := 1; sl <= 4; sl++ {
		for _, i := range idx {
			if counts(all[i], sl) && !verdicts[i].Satisfies() {
				return sl - 1
			}
		}
	}
	return 4
}

// achieved is the highest level whose counted requirements, and all lower
// ones, are satisfied.
func achieved(items []*Item, status func(*Item) Status, counts func(*Item, int) bool) int {
	for sl := 1; sl <= 4; sl++ {
		for _, it := range items {
			if counts(it, sl) && !status(it).Satisfies() {
				return sl - 1
			}
		}
	}
	return 4
}

// certainWithin reports whether some undisputed cell up to maxSL requires it.
func certainWithin(it *Item, maxSL int) bool {
	for sl := 1; sl <= maxSL; sl++ {
		if it.RequiredAt(sl) && !it.UncertainAt(sl) {
			return true
		}
	}
	return false
}

// Applicability says whether an item applies to a zone with a given SL-T.
type Applicability struct {
	Item     *Item
	Level    int  // lowest SL at which the item is counted as required (0 for program items)
	Required bool // required up to the zone's SL-T for the item's FR
	// Uncertain means required only through disputed cells.
	Uncertain bool
}

// Applicable lists the items of t required for a zone with SL-T slt, in
// template order; with showAll, items above the SL-T are listed too (with
// Required false). Every item of a program template applies.
func Applicable(t *Template, slt assets.SLVector, showAll bool) []Applicability {
	var out []Applicability
	for _, it := range t.Items() {
		if t.Kind != KindZone {
			out = append(out, Applicability{Item: it, Required: true})
			continue
		}
		a := Applicability{Item: it, Level: it.FirstLevel()}
		if it.HasFR {
			target := slt[it.FR]
			a.Required = a.Level > 0 && a.Level <= target
			a.Uncertain = a.Required && !certainWithin(it, target)
		}
		if a.Required || showAll {
			out = append(out, a)
		}
	}
	return out
}

// CompareIDs orders requirement IDs as people read them: runs of digits
// compare as numbers, so "SR 1.2" < "SR 1.10" and "SR 1.1" < "SR 1.1 RE 1".
func CompareIDs(a, b string) int {
	for a != "" && b != "" {
		ra, restA := idRun(a)
		rb, restB := idRun(b)
		na, errA := strconv.Atoi(ra)
		nb, errB := strconv.Atoi(rb)
		var c int
		if errA == nil && errB == nil {
			c = cmp.Or(cmp.Compare(na, nb), cmp.Compare(len(ra), len(rb)))
		} else {
			c = cmp.Compare(ra, rb)
		}
		if c != 0 {
			return c
		}
		a, b = restA, restB
	}
	return cmp.Compare(len(a), len(b))
}

// idRun splits off a leading run of digits, or of anything else.
func idRun(s string) (run, rest string) {
	digit := s[0] >= '0' && s[0] <= '9'
	i := 1
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') == digit {
		i++
	}
	return s[:i], s[i:]
}
