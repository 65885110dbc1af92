package checklist

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func sr33(t *testing.T) *Template {
	t.Helper()
	tpl := BuiltinByID(IEC62443_3_3_2013)
	if tpl == nil {
		t.Fatal("3-3 template missing")
	}
	return tpl
}

// zoneAnswers builds answers for one zone of the 3-3 template.
type zoneAnswers struct {
	tpl  *Template
	zone string
	list []Answer
	tick int64
}

func (z *zoneAnswers) set(item string, s Status) {
	if z.tpl.Item(item) == nil {
		panic("no item " + item)
	}
	z.tick++
	z.list = append(z.list, Answer{
		Meta:     assets.Meta{ID: AnswerID(z.tpl.ID, item, z.zone), Version: assets.Stamp{Wall: z.tick, Device: "t"}},
		Template: z.tpl.ID, Item: item, Zone: z.zone, Status: s,
	})
}

// meetUpTo answers Met for every item of fr counted as required up to sl.
func (z *zoneAnswers) meetUpTo(fr assets.FR, sl int) {
	for _, it := range z.tpl.Items() {
		if it.FR == fr && it.FirstLevel() > 0 && it.FirstLevel() <= sl {
			z.set(it.ID, StatusMet)
		}
	}
}

func (z *zoneAnswers) meetAllUpTo(sl int) {
	for _, fr := range assets.FRs {
		z.meetUpTo(fr, sl)
	}
}

func gapIDs(zs *ZoneScore) []string {
	var ids []string
	for _, g := range zs.Gaps {
		ids = append(ids, g.Item.ID)
	}
	return ids
}

func TestScoreZone(t *testing.T) {
	tpl := sr33(t)
	tests := []struct {
		name   string
		slt    assets.SLVector
		answer func(z *zoneAnswers)
		sla    assets.SLVector
		// lenient SL-A where it differs from sla
		lenient map[assets.FR]int
		gaps    []string // exact gap list in order; nil means "check count only"
		nGaps   int
	}{
		{
			name: "nothing answered", slt: assets.UniformSL(1), answer: func(*zoneAnswers) {},
			// 37 SRs are required at SL1 (SR 3.4 only from SL2, Corrigendum 1:2014).
			nGaps: 37,
		},
		{
			name: "all met to SL2", slt: assets.UniformSL(2), answer: func(z *zoneAnswers) { z.meetAllUpTo(2) },
			sla: assets.UniformSL(2), gaps: []string{},
		},
		{
			name: "all met to SL4", slt: assets.UniformSL(4), answer: func(z *zoneAnswers) { z.meetAllUpTo(4) },
			sla: assets.UniformSL(4), gaps: []string{},
		},
		{
			name: "partial does not count", slt: assets.UniformSL(2),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(2); z.set("SR 5.2 RE 1", StatusPartial) },
			sla:    assets.SLVector{2, 2, 2, 2, 1, 2, 2}, gaps: []string{"SR 5.2 RE 1"},
		},
		{
			name: "not applicable counts as met", slt: assets.UniformSL(2),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(2); z.set("SR 5.2 RE 1", StatusNA); z.set("SR 7.5", StatusNA) },
			sla:    assets.UniformSL(2), gaps: []string{},
		},
		{
			name: "not met at SL1 stops everything above", slt: assets.UniformSL(3),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(3); z.set("SR 1.4", StatusNotMet) },
			// TRE and RA add nothing at SL4, so meeting SL3 there achieves SL4.
			sla: assets.SLVector{0, 3, 3, 3, 3, 4, 4}, gaps: []string{"SR 1.4"},
		},
		{
			name: "SR 3.4 counts from SL2", slt: assets.UniformSL(2),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(2); z.set("SR 3.4", StatusNotMet) },
			// Corrigendum 1:2014: SR 3.4 is not required at SL1, so SI keeps 1.
			sla: assets.SLVector{2, 2, 1, 2, 2, 2, 2}, gaps: []string{"SR 3.4"},
		},
		{
			name: "SR 6.2 unanswered", slt: assets.UniformSL(2),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(2); z.set("SR 6.2", StatusNotAssessed) },
			sla:    assets.SLVector{2, 2, 2, 2, 2, 1, 2}, gaps: []string{"SR 6.2"},
		},
		{
			name: "RE required from SL2 not met", slt: assets.UniformSL(3),
			answer: func(z *zoneAnswers) { z.meetAllUpTo(3); z.set("SR 4.1 RE 1", StatusNotMet) },
			sla:    assets.SLVector{3, 3, 3, 1, 3, 4, 4}, gaps: []string{"SR 4.1 RE 1"},
		},
		{
			name: "different SL-T per FR", slt: assets.SLVector{2, 0, 1, 0, 3, 0, 0},
			answer: func(z *zoneAnswers) { z.meetUpTo(assets.SI, 1) },
			sla:    assets.SLVector{0, 0, 1, 0, 0, 0, 0},
			// RDF has 4 items left at SL1, IAC 10: RDF first. At SL2 RDF needs 4+2, IAC 10+6.
			gaps: []string{
				"SR 5.1", "SR 5.2", "SR 5.3", "SR 5.4",
				"SR 1.1", "SR 1.3", "SR 1.4", "SR 1.5", "SR 1.6", "SR 1.7", "SR 1.10", "SR 1.11", "SR 1.12", "SR 1.13",
				"SR 5.1 RE 1", "SR 5.2 RE 1",
				"SR 1.1 RE 1", "SR 1.2", "SR 1.6 RE 1", "SR 1.8", "SR 1.9", "SR 1.13 RE 1",
				"SR 5.1 RE 2", "SR 5.2 RE 2", "SR 5.2 RE 3", "SR 5.3 RE 1",
			},
		},
		{
			name: "one item short comes first", slt: assets.SLVector{3, 3, 0, 0, 0, 0, 0},
			answer: func(z *zoneAnswers) {
				z.meetUpTo(assets.IAC, 2)
				z.meetUpTo(assets.UC, 1)
				z.set("SR 1.2", StatusNotMet)
			},
			sla: assets.SLVector{1, 1, 0, 0, 0, 0, 0},
			gaps: []string{
				"SR 1.2", // IAC is one item short of SL2
				"SR 2.1 RE 1", "SR 2.1 RE 2", "SR 2.6", "SR 2.11",
				"SR 1.1 RE 2", "SR 1.2 RE 1", "SR 1.3 RE 1", "SR 1.5 RE 1", "SR 1.7 RE 1", "SR 1.9 RE 1",
				"SR 2.1 RE 3", "SR 2.2 RE 1", "SR 2.3 RE 1", "SR 2.4 RE 1", "SR 2.7", "SR 2.8 RE 1",
				"SR 2.9 RE 1", "SR 2.11 RE 1", "SR 2.12",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z := &zoneAnswers{tpl: tpl, zone: "zone-1"}
			tc.answer(z)
			zs, err := ScoreZone(tpl, "zone-1", tc.slt, z.list)
			if err != nil {
				t.Fatal(err)
			}
			if zs.SLA != tc.sla {
				t.Errorf("SL-A %v, want %v", zs.SLA, tc.sla)
			}
			anyDep := false
			for _, fr := range assets.FRs {
				f := zs.FRs[fr]
				wantLenient, ok := tc.lenient[fr]
				if !ok {
					wantLenient = tc.sla[fr]
				}
				if f.SLALenient != wantLenient || f.DependsOnUncertain != (wantLenient != tc.sla[fr]) {
					t.Errorf("%s: lenient %d depends %v, want %d", fr, f.SLALenient, f.DependsOnUncertain, wantLenient)
				}
				anyDep = anyDep || f.DependsOnUncertain
				if f.Gap != max(0, tc.slt[fr]-tc.sla[fr]) || f.SLT != tc.slt[fr] || f.SLA != zs.SLA[fr] {
					t.Errorf("%s: %+v", fr, f)
				}
			}
			if zs.DependsOnUncertain != anyDep {
				t.Error("zone DependsOnUncertain disagrees with its FRs")
			}
			if tc.gaps != nil && !slices.Equal(gapIDs(zs), tc.gaps) {
				t.Errorf("gaps\n got %q\nwant %q", gapIDs(zs), tc.gaps)
			}
			if tc.gaps == nil && len(zs.Gaps) != tc.nGaps {
				t.Errorf("%d gaps, want %d", len(zs.Gaps), tc.nGaps)
			}
			checkGapInvariants(t, zs)
		})
	}
}

// checkGapInvariants holds for every score: gaps are unmet, within the
// zone's SL-T, above its SL-A, and ordered by level then remaining count.
func checkGapInvariants(t *testing.T, zs *ZoneScore) {
	t.Helper()
	for i, g := range zs.Gaps {
		fr := g.Item.FR
		if g.Status.Satisfies() {
			t.Errorf("%s is %s but listed as a gap", g.Item.ID, g.Status)
		}
		if g.Level > zs.SLT[fr] || g.Level <= zs.SLA[fr] {
			t.Errorf("%s at SL%d outside (SL-A %d, SL-T %d]", g.Item.ID, g.Level, zs.SLA[fr], zs.SLT[fr])
		}
		if g.Remaining < 1 {
			t.Errorf("%s: remaining %d", g.Item.ID, g.Remaining)
		}
		if i > 0 {
			p := zs.Gaps[i-1]
			if p.Level > g.Level || (p.Level == g.Level && p.Remaining > g.Remaining) {
				t.Errorf("gap order: %s (L%d, %d) before %s (L%d, %d)", p.Item.ID, p.Level, p.Remaining, g.Item.ID, g.Level, g.Remaining)
			}
		}
	}
}

func TestScoreZoneGapDetails(t *testing.T) {
	tpl := sr33(t)
	z := &zoneAnswers{tpl: tpl, zone: "z"}
	z.meetAllUpTo(1)
	z.set("SR 2.6", StatusPartial)
	zs, err := ScoreZone(tpl, "z", assets.SLVector{1, 2, 1, 1, 1, 2, 1}, z.list)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]GapItem{}
	for _, g := range zs.Gaps {
		byID[g.Item.ID] = g
	}
	g := byID["SR 2.6"]
	// UC at SL2 needs SR 2.1 RE 1, RE 2, 2.6 and 2.11.
	if g.Status != StatusPartial || g.Level != 2 || g.Remaining != 4 || g.Uncertain {
		t.Errorf("SR 2.6: %+v", g)
	}
	if g := byID["SR 6.2"]; g.Uncertain || g.Status != StatusNotAssessed || g.Remaining != 1 {
		t.Errorf("SR 6.2: %+v", g)
	}
	if g := byID["SR 6.1 RE 1"]; g.Item != nil {
		t.Error("SR 6.1 RE 1 (SL3) listed for an SL-T of 2")
	}
	if zs.FRs[assets.UC].Unanswered != 3 || zs.FRs[assets.IAC].Unanswered != 0 {
		t.Errorf("unanswered UC %d IAC %d", zs.FRs[assets.UC].Unanswered, zs.FRs[assets.IAC].Unanswered)
	}
	// No 3-3 cell is disputed any more: no gap may say so.
	zs, _ = ScoreZone(tpl, "z", assets.UniformSL(4), nil)
	for _, g := range zs.Gaps {
		if g.Uncertain {
			t.Errorf("%s: uncertain", g.Item.ID)
		}
	}
	if zs.DependsOnUncertain {
		t.Error("3-3 score depends on disputed cells")
	}
}

// disputedZone keeps the disputed-cell rules tested now that the built-in
// 3-3 template has no disputed cell: A is certain from SL1, B disputed at
// SL1 and certain from SL2 (as SR 3.4 once was), C a disputed row.
const disputedZone = `format: 1
id: disputed
revision: 1
title: Disputed cells
standard: TEST
kind: zone
sections:
  - id: FR 3
    title: SI
    fr: 3
    items:
      - {id: A, title: A, question: q, levels: [1, 2, 3, 4]}
      - {id: B, title: B, question: q, levels: [2, 3, 4], uncertain: true, uncertain_levels: [1], uncertain_note: n}
      - {id: C, title: C, question: q, levels: [3, 4], uncertain: true, uncertain_levels: [3, 4], uncertain_note: n}
`

func TestScoreZoneDisputedCells(t *testing.T) {
	tpl, err := Load("disputed.yaml", []byte(disputedZone))
	if err != nil {
		t.Fatal(err)
	}
	si := func(slt int, st map[string]Status) (FRScore, map[string]GapItem) {
		t.Helper()
		z := &zoneAnswers{tpl: tpl, zone: "z"}
		for id, s := range st {
			z.set(id, s)
		}
		zs, err := ScoreZone(tpl, "z", assets.SLVector{0, 0, slt}, z.list)
		if err != nil {
			t.Fatal(err)
		}
		gaps := map[string]GapItem{}
		for _, g := range zs.Gaps {
			gaps[g.Item.ID] = g
		}
		if zs.DependsOnUncertain != zs.FRs[assets.SI].DependsOnUncertain {
			t.Error("zone DependsOnUncertain disagrees with SI")
		}
		checkGapInvariants(t, zs)
		return zs.FRs[assets.SI], gaps
	}
	// B not met: its disputed SL1 cell takes SI to 0; without it SI is 1.
	f, gaps := si(3, map[string]Status{"A": StatusMet, "B": StatusNotMet, "C": StatusMet})
	if f.SLA != 0 || f.SLALenient != 1 || !f.DependsOnUncertain {
		t.Errorf("B not met: %+v", f)
	}
	// Up to SL-T 3, B is certainly required at SL2: not an uncertain gap.
	if g := gaps["B"]; g.Level != 1 || g.Uncertain {
		t.Errorf("B gap at SL-T 3: %+v", g)
	}
	// At SL-T 1 B is required only through its disputed cell.
	if _, gaps = si(1, map[string]Status{"A": StatusMet}); !gaps["B"].Uncertain {
		t.Errorf("B gap at SL-T 1: %+v", gaps["B"])
	}
	// C unanswered: SL-A stops at 2; without the disputed row it would be 4.
	f, gaps = si(3, map[string]Status{"A": StatusMet, "B": StatusMet})
	if f.SLA != 2 || f.SLALenient != 4 || !f.DependsOnUncertain || f.Unanswered != 1 {
		t.Errorf("C unanswered: %+v", f)
	}
	if g := gaps["C"]; g.Level != 3 || !g.Uncertain || g.Status != StatusNotAssessed {
		t.Errorf("C gap: %+v", g)
	}
	// Everything met: nothing depends on the disputed cells.
	if f, _ = si(4, map[string]Status{"A": StatusMet, "B": StatusMet, "C": StatusMet}); f.SLA != 4 || f.DependsOnUncertain {
		t.Errorf("all met: %+v", f)
	}
	got := map[string]Applicability{}
	for _, a := range Applicable(tpl, assets.SLVector{0, 0, 1}, true) {
		got[a.Item.ID] = a
	}
	if a := got["A"]; !a.Required || a.Uncertain || a.Level != 1 {
		t.Errorf("A at SL-T 1: %+v", a)
	}
	if a := got["B"]; !a.Required || !a.Uncertain || a.Level != 1 {
		t.Errorf("B at SL-T 1: %+v", a)
	}
	if a := got["C"]; a.Required || a.Level != 3 {
		t.Errorf("C at SL-T 1: %+v", a)
	}
}

func TestScoreZoneAnswerSelection(t *testing.T) {
	tpl := sr33(t)
	slt := assets.SLVector{1, 0, 0, 0, 0, 0, 0}
	z := &zoneAnswers{tpl: tpl, zone: "a"}
	z.meetUpTo(assets.IAC, 1)
	base := slices.Clone(z.list)

	score := func(list []Answer) int {
		zs, err := ScoreZone(tpl, "a", slt, list)
		if err != nil {
			t.Fatal(err)
		}
		return zs.SLA[assets.IAC]
	}
	if got := score(base); got != 1 {
		t.Fatalf("baseline SL-A %d", got)
	}
	// A newer version saying not met wins, in whatever order versions come.
	newer := base[0]
	newer.Version.Wall += 1000
	newer.Status = StatusNotMet
	if got := score(append(slices.Clone(base), newer)); got != 0 {
		t.Errorf("newer not-met ignored: SL-A %d", got)
	}
	if got := score(append([]Answer{newer}, base...)); got != 0 {
		t.Errorf("newer not-met ignored when listed first: SL-A %d", got)
	}
	// A tombstone as newest version removes the answer.
	gone := base[0]
	gone.Version.Wall += 1000
	gone.Deleted = true
	if got := score(append(slices.Clone(base), gone)); got != 0 {
		t.Errorf("deleted answer still counted: SL-A %d", got)
	}
	// Answers for another zone or template do not count.
	other := slices.Clone(base)
	for i := range other {
		other[i].Zone = "b"
	}
	if got := score(other); got != 0 {
		t.Errorf("other zone's answers counted: SL-A %d", got)
	}
	foreign := slices.Clone(base)
	for i := range foreign {
		foreign[i].Template = IEC62443_2_1_2024
	}
	if got := score(foreign); got != 0 {
		t.Errorf("other template's answers counted: SL-A %d", got)
	}
}

func TestScoreKindAndInput(t *testing.T) {
	if _, err := ScoreZone(BuiltinByID(IEC62443_2_1_2024), "z", assets.UniformSL(1), nil); !errors.Is(err, ErrWrongKind) {
		t.Errorf("ScoreZone on a program template: %v", err)
	}
	if _, err := ScoreProgram(sr33(t), nil); !errors.Is(err, ErrWrongKind) {
		t.Errorf("ScoreProgram on a zone template: %v", err)
	}
	if _, err := ScoreZone(sr33(t), "z", assets.SLVector{5}, nil); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("SL-T 5 accepted: %v", err)
	}
}

func TestScoreProgram(t *testing.T) {
	tpl := BuiltinByID(IEC62443_2_1_2024)
	var list []Answer
	add := func(item string, s Status, ml int) {
		list = append(list, Answer{Template: tpl.ID, Item: item, Status: s, Maturity: ml,
			Meta: assets.Meta{ID: AnswerID(tpl.ID, item, ""), Version: assets.Stamp{Wall: int64(len(list) + 1)}}})
	}
	add("ORG 1.1", StatusMet, 3)
	add("ORG 1.2", StatusPartial, 2)
	add("ORG 1.3", StatusNotMet, 1)
	add("ORG 1.4", StatusNA, 0)
	add("ORG 1.5", StatusNotAssessed, 0)
	add("CM 1.1", StatusMet, 4)
	add("CM 1.2", StatusMet, 0) // assessed, not rated
	ps, err := ScoreProgram(tpl, list)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Sections) != len(tpl.Sections) {
		t.Fatalf("%d sections", len(ps.Sections))
	}
	org := ps.Sections[0]
	if org.ID != "ORG 1" || org.Counts != (Counts{Met: 1, Partial: 1, NotMet: 1, NA: 1, NotAssessed: 2}) {
		t.Errorf("ORG 1: %+v", org.Counts)
	}
	if !slices.Equal(org.Unassessed, []string{"ORG 1.5", "ORG 1.6"}) {
		t.Errorf("ORG 1 unassessed %v", org.Unassessed)
	}
	if org.Maturity.Levels != [5]int{0, 1, 1, 1, 0} || org.Maturity.Rated != 3 || org.Maturity.Min != 1 || org.Maturity.Average != 2 {
		t.Errorf("ORG 1 maturity %+v", org.Maturity)
	}
	cm := ps.Sections[3]
	if cm.ID != "CM 1" || cm.Maturity.Levels != [5]int{1, 0, 0, 0, 1} || cm.Maturity.Min != 4 || cm.Counts.Met != 2 {
		t.Errorf("CM 1: %+v", cm)
	}
	all := ps.Overall
	total := len(tpl.Items())
	if all.Counts.Total() != total || all.Counts.Assessed() != 6 || all.Counts.NotAssessed != total-6 || len(all.Unassessed) != total-6 {
		t.Errorf("overall counts %+v (of %d)", all.Counts, total)
	}
	if all.Maturity.Rated != 4 || all.Maturity.Min != 1 || math.Abs(all.Maturity.Average-2.5) > 1e-9 {
		t.Errorf("overall maturity %+v", all.Maturity)
	}
	// Nothing answered: everything unassessed, no maturity.
	ps, _ = ScoreProgram(tpl, nil)
	if ps.Overall.Counts.NotAssessed != total || ps.Overall.Maturity.Rated != 0 || ps.Overall.Maturity.Average != 0 {
		t.Errorf("empty score %+v", ps.Overall)
	}
	// 2010 has no maturity levels: ratings are not profiled.
	ed1 := BuiltinByID(IEC62443_2_1_2010)
	ps, _ = ScoreProgram(ed1, []Answer{{Template: ed1.ID, Item: "4.3.3.4", Status: StatusMet, Maturity: 3}})
	if ps.Overall.Counts.Met != 1 || ps.Overall.Maturity.Rated != 0 {
		t.Errorf("2010 score %+v", ps.Overall)
	}
}

// The SPE layer: each SPE of 2-1:2024 is scored over all the items of its
// sections; hand-counted sizes from the reference (87 IDs in all).
func TestScoreProgramGroups(t *testing.T) {
	tpl := BuiltinByID(IEC62443_2_1_2024)
	var list []Answer
	add := func(item string, s Status, ml int) {
		list = append(list, Answer{Template: tpl.ID, Item: item, Status: s, Maturity: ml,
			Meta: assets.Meta{ID: AnswerID(tpl.ID, item, ""), Version: assets.Stamp{Wall: int64(len(list) + 1)}}})
	}
	add("ORG 1.1", StatusMet, 3)     // SPE 1, section ORG 1
	add("ORG 2.1", StatusPartial, 1) // SPE 1, section ORG 2
	add("ORG 3.1", StatusNotMet, 2)  // SPE 1, section ORG 3
	add("USER 2.4", StatusMet, 4)    // SPE 6
	add("AVAIL 2.5", StatusNA, 0)    // SPE 8
	ps, err := ScoreProgram(tpl, list)
	if err != nil {
		t.Fatal(err)
	}
	wantSize := []int{11, 4, 15, 10, 7, 23, 9, 8}
	if len(ps.Groups) != len(wantSize) {
		t.Fatalf("%d groups, want 8 SPEs", len(ps.Groups))
	}
	sum := 0
	for i, g := range ps.Groups {
		if g.ID != fmt.Sprintf("SPE %d", i+1) || g.Title != tpl.Groups[i].Title || g.Counts.Total() != wantSize[i] {
			t.Errorf("group %d: %s %q, %d items, want %d", i, g.ID, g.Title, g.Counts.Total(), wantSize[i])
		}
		sum += g.Counts.Total()
	}
	if sum != ps.Overall.Counts.Total() || sum != 87 {
		t.Errorf("SPEs hold %d items, overall %d, want 87", sum, ps.Overall.Counts.Total())
	}
	spe1 := ps.Groups[0]
	if spe1.Counts != (Counts{Met: 1, Partial: 1, NotMet: 1, NotAssessed: 8}) || len(spe1.Unassessed) != 8 {
		t.Errorf("SPE 1: %+v", spe1.Counts)
	}
	if spe1.Maturity.Rated != 3 || spe1.Maturity.Min != 1 || spe1.Maturity.Average != 2 || spe1.Maturity.Levels != [5]int{0, 1, 1, 1, 0} {
		t.Errorf("SPE 1 maturity %+v", spe1.Maturity)
	}
	if spe6 := ps.Groups[5]; spe6.Counts.Met != 1 || spe6.Maturity.Min != 4 || spe6.Counts.NotAssessed != 22 {
		t.Errorf("SPE 6: %+v", spe6)
	}
	if spe8 := ps.Groups[7]; spe8.Counts.NA != 1 || spe8.Maturity.Rated != 0 || spe8.Unassessed[0] != "AVAIL 1.1" {
		t.Errorf("SPE 8: %+v", spe8)
	}
	if g := ps.Groups[1]; g.Counts.NotAssessed != 4 || g.Maturity.Rated != 0 {
		t.Errorf("SPE 2 untouched: %+v", g)
	}
	// Every item knows its SPE, through its section.
	if it := tpl.Item("USER 1.9"); it.Group != "SPE 6" || tpl.Group(it.Group).Title != "User access control" {
		t.Errorf("USER 1.9 in %q", it.Group)
	}
	// 2-1:2010 is grouped by clause: 4.2 holds 4.2.2 and the 14 requirements of 4.2.3.
	ed1 := BuiltinByID(IEC62443_2_1_2010)
	ps, _ = ScoreProgram(ed1, nil)
	if len(ps.Groups) != 3 || ps.Groups[0].Counts.Total() != 15 || ps.Groups[1].Counts.Total() != 15 || ps.Groups[2].Counts.Total() != 2 {
		t.Errorf("2010 groups: %+v", ps.Groups)
	}
	// A template without groups scores none.
	if ps, _ := ScoreProgram(mustLoad(t, groupedFree()), nil); len(ps.Groups) != 0 {
		t.Errorf("ungrouped template scored %d groups", len(ps.Groups))
	}
}

func mustLoad(t *testing.T, src string) *Template {
	t.Helper()
	tpl, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

func TestApplicable(t *testing.T) {
	tpl := sr33(t)
	count := func(slt assets.SLVector, all bool) (n, required, unsure int) {
		for _, a := range Applicable(tpl, slt, all) {
			n++
			if a.Required {
				required++
			}
			if a.Uncertain {
				unsure++
			}
		}
		return
	}
	if n, req, uns := count(assets.UniformSL(1), false); n != 37 || req != 37 || uns != 0 {
		t.Errorf("SL1: %d listed, %d required, %d uncertain; want 37, 37, 0", n, req, uns)
	}
	if n, req, _ := count(assets.UniformSL(1), true); n != len(tpl.Items()) || req != 37 {
		t.Errorf("SL1 show all: %d listed, %d required", n, req)
	}
	// SR 3.4 and SR 6.2 start at SL2.
	got := map[string]Applicability{}
	for _, a := range Applicable(tpl, assets.SLVector{0, 0, 2, 0, 0, 2, 0}, false) {
		got[a.Item.ID] = a
	}
	if a := got["SR 3.4"]; !a.Required || a.Uncertain || a.Level != 2 {
		t.Errorf("SR 3.4 at SI 2: %+v", a)
	}
	if a := got["SR 6.2"]; !a.Required || a.Uncertain || a.Level != 2 {
		t.Errorf("SR 6.2 at TRE 2: %+v", a)
	}
	for _, a := range Applicable(tpl, assets.SLVector{0, 0, 1, 0, 0, 1, 0}, false) {
		if a.Item.ID == "SR 3.4" || a.Item.ID == "SR 6.2" {
			t.Errorf("%s listed at SL-T 1", a.Item.ID)
		}
	}
	if _, ok := got["SR 1.1"]; ok {
		t.Error("IAC item listed with IAC SL-T 0")
	}
	if n, _, _ := count(assets.SLVector{}, false); n != 0 {
		t.Errorf("%d items for a zone without SL-T", n)
	}
	if n, req, _ := count(assets.UniformSL(4), false); n != len(tpl.Items()) || req != n {
		t.Errorf("SL4: %d of %d", n, len(tpl.Items()))
	}
	prog := BuiltinByID(IEC62443_2_1_2024)
	for _, a := range Applicable(prog, assets.SLVector{}, false) {
		if !a.Required {
			t.Fatalf("program item %s not required", a.Item.ID)
		}
	}
	if got := len(Applicable(prog, assets.SLVector{}, false)); got != len(prog.Items()) {
		t.Errorf("program: %d of %d items", got, len(prog.Items()))
	}
}

func TestCompareIDs(t *testing.T) {
	ordered := []string{"4.2.3.1", "4.2.3.4", "4.2.3.10", "4.3.2.2", "ORG 1.1", "ORG 1.2", "ORG 1.10",
		"SR 1.1", "SR 1.1 RE 1", "SR 1.1 RE 2", "SR 1.1 RE 10", "SR 1.2", "SR 1.10", "SR 2.1"}
	for i := range ordered {
		for j := range ordered {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := CompareIDs(ordered[i], ordered[j]); got != want {
				t.Errorf("CompareIDs(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}

func ExampleScoreZone() {
	tpl := BuiltinByID(IEC62443_3_3_2013)
	zone := "basin-control"
	var answers []Answer
	for _, it := range tpl.Items() {
		if it.FirstLevel() == 1 { // everything required at SL1 is in place …
			answers = append(answers, Answer{Template: tpl.ID, Item: it.ID, Zone: zone, Status: StatusMet})
		}
	}
	// … except one firewall rule base still allows too much.
	answers = append(answers, Answer{Template: tpl.ID, Item: "SR 5.2 RE 1", Zone: zone, Status: StatusPartial})
	zs, _ := ScoreZone(tpl, zone, assets.SLVector{1, 1, 1, 1, 2, 1, 1}, answers)
	fmt.Println("SL-A:", zs.SLA)
	for _, g := range zs.Gaps {
		fmt.Printf("%s (SL%d, %s)\n", g.Item.ID, g.Level, g.Status.Label())
	}
	// Output:
	// SL-A: SL 1
	// SR 5.1 RE 1 (SL2, Not assessed)
	// SR 5.2 RE 1 (SL2, Partially met)
}

// The staged 2-4 and 3-2 templates score like any program template: an RE
// is an item of its own, rated for maturity where the template has it.
func TestScoreServiceProviderAndRiskTemplates(t *testing.T) {
	sp := BuiltinByID(IEC62443_2_4_2023)
	list := []Answer{
		{Template: sp.ID, Item: "SP.11.02 BR", Status: StatusMet, Maturity: 2},
		{Template: sp.ID, Item: "SP.11.02 RE(2)", Status: StatusNotMet, Maturity: 1},
		{Template: sp.ID, Item: "SP.05.01 BR", Status: StatusNA},
	}
	ps, err := ScoreProgram(sp, list)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps.Sections) != 12 || ps.Overall.Counts.Total() != 123 || len(ps.Groups) != 0 {
		t.Fatalf("2-4: %d sections, %d items, %d groups", len(ps.Sections), ps.Overall.Counts.Total(), len(ps.Groups))
	}
	if s := ps.Sections[10]; s.ID != "SP.11" || s.Counts.Total() != 12 || s.Counts.Met != 1 || s.Counts.NotMet != 1 || s.Maturity.Average != 1.5 {
		t.Errorf("SP.11: %+v", s)
	}
	if s := ps.Sections[4]; s.ID != "SP.05" || s.Counts.NA != 1 || s.Maturity.Rated != 0 {
		t.Errorf("SP.05: %+v", s)
	}
	zcr := BuiltinByID(IEC62443_3_2_2020)
	ps, err = ScoreProgram(zcr, []Answer{{Template: zcr.ID, Item: "ZCR 5.6", Status: StatusPartial}})
	if err != nil {
		t.Fatal(err)
	}
	if ps.Overall.Counts.Total() != 32 || ps.Sections[4].Counts.Total() != 13 || ps.Sections[4].Counts.Partial != 1 {
		t.Errorf("3-2: %+v", ps.Overall.Counts)
	}
}

// with answers item and then changes the new answer (countermeasures,
// evidence, scope); the ID follows the scope.
func (z *zoneAnswers) with(item string, s Status, edit func(a *Answer)) {
	z.set(item, s)
	a := &z.list[len(z.list)-1]
	edit(a)
	a.ID = AnswerID(a.Template, a.Item, a.Scope())
}

func compensatedBy(ids ...string) func(a *Answer) {
	return func(a *Answer) { a.Countermeasures, a.Note = ids, "Compensated: see the countermeasures." }
}

// TestScoreZoneCompensatedAndNA: items met by compensation and N/A count
// as met for SL-A; cells from the reference (SR 5.1 [B/1/1,2/1,2,3],
// SR 5.2 [B/1/1,2,3/1,2,3], SR 5.3 [B/B/1/1], SR 5.4 [B all]).
func TestScoreZoneCompensatedAndNA(t *testing.T) {
	tpl := sr33(t)
	z := &zoneAnswers{tpl: tpl, zone: "zone-1"}
	z.meetAllUpTo(3)
	z.with("SR 5.1 RE 2", StatusCompensated, compensatedBy("cm-diode"))
	z.set("SR 5.2 RE 3", StatusNA)
	z.set("SR 5.2 RE 2", StatusPartial)
	cms := map[string]assets.Countermeasure{
		"cm-diode": {Meta: assets.Meta{ID: "cm-diode"}, Name: "Data diode to the historian"},
		"cm-jump":  {Meta: assets.Meta{ID: "cm-jump"}, Name: "Jump host", Status: assets.CountermeasureImplemented},
		"cm-plan":  {Meta: assets.Meta{ID: "cm-plan"}, Name: "Allow-list firewall", Status: assets.CountermeasurePlanned},
	}
	score := func(opts ScoreOptions) *ZoneScore {
		t.Helper()
		zs, err := ScoreZoneWith(tpl, "zone-1", assets.UniformSL(3), z.list, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkGapInvariants(t, zs)
		return zs
	}
	// SR 5.2 RE 2 (SL3) is only partly met: RDF stays at 2.
	zs := score(ScoreOptions{Countermeasures: cms})
	if want := (assets.SLVector{3, 3, 3, 3, 2, 4, 4}); zs.SLA != want {
		t.Errorf("SL-A %v, want %v", zs.SLA, want)
	}
	if !slices.Equal(gapIDs(zs), []string{"SR 5.2 RE 2"}) {
		t.Errorf("gaps %q", gapIDs(zs))
	}
	// Met by compensation: RDF reaches 3; SL4 would need SR 5.1 RE 3,
	// unanswered.
	z.with("SR 5.2 RE 2", StatusCompensated, compensatedBy("cm-jump", "cm-diode"))
	zs = score(ScoreOptions{Countermeasures: cms})
	if zs.SLA[assets.RDF] != 3 || len(zs.Gaps) != 0 {
		t.Errorf("RDF %d with gaps %q, want 3 and none", zs.SLA[assets.RDF], gapIDs(zs))
	}
	if len(zs.Compensated) != 2 {
		t.Fatalf("compensated %+v", zs.Compensated)
	}
	c0, c1 := zs.Compensated[0], zs.Compensated[1]
	if c0.Item.ID != "SR 5.1 RE 2" || !slices.Equal(c0.Names, []string{"Data diode to the historian"}) || !c0.Counted ||
		c1.Item.ID != "SR 5.2 RE 2" || !slices.Equal(c1.Names, []string{"Jump host", "Data diode to the historian"}) ||
		c1.Reason != "Compensated: see the countermeasures." {
		t.Errorf("compensated items %+v", zs.Compensated)
	}
	// A deleted countermeasure or a planned one does not compensate: the
	// item counts as not assessed and RDF falls back to 2.
	delete(cms, "cm-diode")
	zs = score(ScoreOptions{Countermeasures: cms})
	// Both are SL3 cells, so RDF is 2 and both are gaps.
	if !slices.Equal(zs.Compensated[0].Missing, []string{"cm-diode"}) || zs.Compensated[0].Counted || zs.Compensated[1].Counted {
		t.Errorf("missing countermeasure: %+v", zs.Compensated)
	}
	if zs.SLA[assets.RDF] != 2 || !slices.Equal(gapIDs(zs), []string{"SR 5.1 RE 2", "SR 5.2 RE 2"}) || zs.Gaps[0].Status != StatusNotAssessed {
		t.Errorf("with the diode deleted: RDF %d, gaps %+v", zs.SLA[assets.RDF], zs.Gaps)
	}
	z.with("SR 5.1 RE 2", StatusCompensated, compensatedBy("cm-plan"))
	cms["cm-diode"] = assets.Countermeasure{Name: "Data diode to the historian"}
	zs = score(ScoreOptions{Countermeasures: cms})
	if zs.SLA[assets.RDF] != 2 || !slices.Equal(zs.Compensated[0].Planned, []string{"cm-plan"}) || zs.Compensated[0].Counted || !zs.Compensated[1].Counted {
		t.Errorf("planned countermeasure: RDF %d, %+v", zs.SLA[assets.RDF], zs.Compensated)
	}
	// Without the countermeasure records the links are taken as given.
	zs = score(ScoreOptions{})
	if zs.SLA[assets.RDF] != 3 || zs.Compensated[0].Names != nil || !zs.Compensated[0].Counted {
		t.Errorf("unchecked links: RDF %d, %+v", zs.SLA[assets.RDF], zs.Compensated[0])
	}
	// ScoreZone is ScoreZoneWith without options.
	plain, err := ScoreZone(tpl, "zone-1", assets.UniformSL(3), z.list)
	if err != nil || plain.SLA != zs.SLA || len(plain.Compensated) != 2 {
		t.Errorf("ScoreZone %v, %v", plain.SLA, err)
	}
}

// TestMetNeedsEvidence: under the audit setting, a Met answer without
// evidence counts as not assessed; evidence named by the answer or
// attached to it counts. SL1 cells: TRE needs SR 6.1 only (SR 6.2 from
// SL2); RA needs SR 7.1–7.7 (SR 7.8 from SL2).
func TestMetNeedsEvidence(t *testing.T) {
	tpl := sr33(t)
	z := &zoneAnswers{tpl: tpl, zone: "zone-1"}
	z.meetAllUpTo(1)
	z.with("SR 6.1", StatusMet, func(a *Answer) { a.Evidence = []string{"ev-siem-export"} })
	attached := map[string]bool{}
	for _, id := range []string{"SR 7.1", "SR 7.2", "SR 7.3", "SR 7.4", "SR 7.5", "SR 7.6", "SR 7.7"} {
		attached[AnswerID(tpl.ID, id, "zone-1")] = true
	}
	z.with("SR 1.1", StatusCompensated, compensatedBy("cm-1"))
	z.set("SR 2.1", StatusNA)
	opts := ScoreOptions{MetNeedsEvidence: true, Attached: func(id string) bool { return attached[id] }}
	zs, err := ScoreZoneWith(tpl, "zone-1", assets.UniformSL(1), z.list, opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := (assets.SLVector{0, 0, 0, 0, 0, 1, 1}); zs.SLA != want {
		t.Errorf("SL-A %v, want %v", zs.SLA, want)
	}
	// 37 SL1 items: 1 with evidence, 7 attached, 1 compensated, 1 N/A.
	if len(zs.NoEvidence) != 27 || zs.NoEvidence[0] != "SR 1.3" || slices.Contains(zs.NoEvidence, "SR 6.1") || slices.Contains(zs.NoEvidence, "SR 7.1") {
		t.Errorf("no evidence: %d %q", len(zs.NoEvidence), zs.NoEvidence)
	}
	for _, g := range zs.Gaps {
		if g.Status != StatusNotAssessed {
			t.Errorf("gap %s is %s, want not assessed", g.Item.ID, g.Status)
		}
	}
	// Off (the default): the same answers reach SL1 everywhere.
	zs, _ = ScoreZoneWith(tpl, "zone-1", assets.UniformSL(1), z.list, ScoreOptions{Attached: opts.Attached})
	if zs.SLA != assets.UniformSL(1) || zs.NoEvidence != nil {
		t.Errorf("setting off: SL-A %v, no evidence %q", zs.SLA, zs.NoEvidence)
	}
}

func TestScoreProgramCompensatedAndEvidence(t *testing.T) {
	tpl := BuiltinByID(IEC62443_2_1_2024)
	var list []Answer
	add := func(item string, st Status, ml int, edit func(a *Answer)) {
		a := Answer{Meta: assets.Meta{ID: AnswerID(tpl.ID, item, ""), Version: assets.Stamp{Wall: int64(len(list) + 1)}},
			Template: tpl.ID, Item: item, Status: st, Maturity: ml}
		if edit != nil {
			edit(&a)
		}
		list = append(list, a)
	}
	add("NET 3.1", StatusMet, 3, func(a *Answer) { a.Evidence = []string{"ev"} })
	add("NET 3.2", StatusMet, 2, nil)
	add("NET 3.3", StatusCompensated, 1, compensatedBy("cm"))
	ps, err := ScoreProgramWith(tpl, list, ScoreOptions{MetNeedsEvidence: true})
	if err != nil {
		t.Fatal(err)
	}
	var net3 SectionScore
	for _, s := range ps.Sections {
		if s.ID == "NET 3" {
			net3 = s
		}
	}
	// NET 3.2 has no evidence: not assessed, and its ML2 is not counted.
	if net3.Counts != (Counts{Met: 2, Compensated: 1, NotAssessed: 1}) || net3.Counts.Total() != 3 ||
		!slices.Equal(net3.Unassessed, []string{"NET 3.2"}) || net3.Maturity.Rated != 2 || net3.Maturity.Average != 2 {
		t.Errorf("NET 3: %+v", net3)
	}
	if !slices.Equal(ps.NoEvidence, []string{"NET 3.2"}) || len(ps.Compensated) != 1 || ps.Compensated[0].Item.ID != "NET 3.3" {
		t.Errorf("no evidence %q, compensated %+v", ps.NoEvidence, ps.Compensated)
	}
}
