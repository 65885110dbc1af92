package checklist

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// TestDefaultConduitItemsMatchReference: every SR of the default set is a
// base SR of 3-3 in the reference, and the set brings exactly the REs the
// reference's SL cells name for it.
func TestDefaultConduitItemsMatchReference(t *testing.T) {
	tpl := sr33(t)
	items, err := ConduitItems(tpl, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.ID)
	}
	eachReferenceCopy(t, referenceFiles, func(t *testing.T, data []byte) {
		r := parseReference(t, data)
		var want []string
		for _, sr := range DefaultConduitItems() {
			found := false
			for _, q := range r.sr {
				if q.id == sr && q.parent == "" {
					found = true
				}
				if q.id == sr || q.parent == sr {
					want = append(want, q.id)
				}
			}
			if !found {
				t.Errorf("%s is not a base SR of 3-3 in the reference", sr)
			}
		}
		slices.SortFunc(want, CompareIDs)
		if !slices.Equal(got, want) {
			t.Errorf("conduit items\n got %q\nwant %q", got, want)
		}
	})
	if len(got) != 24 {
		t.Errorf("%d conduit items, want 9 SRs and 15 REs", len(got))
	}
	// A fresh slice each time: a caller cannot change the default.
	d := DefaultConduitItems()
	d[0] = "SR 9.9"
	if DefaultConduitItems()[0] != "SR 1.13" {
		t.Error("DefaultConduitItems shares its slice")
	}
}

func TestConduitItemsRefused(t *testing.T) {
	tpl := sr33(t)
	_, err := ConduitItems(tpl, []string{"SR 5.2", "SR 9.9", "SR 5.2 RE 1", "SR 5.2"})
	var ve *assets.ValidationError
	if !errors.Is(err, assets.ErrInvalid) || !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("want three problems, got %v", err)
	}
	for i, want := range []string{`"SR 9.9": is not an item`, `"SR 5.2 RE 1": is a requirement enhancement: name its SR, SR 5.2`, `"SR 5.2": is listed twice`} {
		if !strings.Contains(ve.Fields[i].Error(), want) {
			t.Errorf("problem %d: %v, want %q", i, ve.Fields[i], want)
		}
	}
	if _, err := ConduitItems(BuiltinByID(IEC62443_2_1_2024), nil); !errors.Is(err, ErrWrongKind) {
		t.Errorf("programme template: %v", err)
	}
	items, err := ConduitItems(tpl, []string{"SR 2.6", "SR 1.13"})
	if err != nil || len(items) != 3 || items[0].ID != "SR 1.13" || items[1].ID != "SR 1.13 RE 1" || items[2].ID != "SR 2.6" {
		t.Errorf("own set: %v %v", items, err)
	}
	if !InConduitSet(tpl, nil, "SR 5.2 RE 3") || InConduitSet(tpl, nil, "SR 6.2") || InConduitSet(tpl, []string{"SR 2.6"}, "SR 5.2") || InConduitSet(tpl, nil, "SR 9.9") {
		t.Error("InConduitSet")
	}
}

// conduitAnswers answers items of the 3-3 template for one conduit.
func conduitAnswers(tpl *Template, conduit string, verdicts map[string]Status) []Answer {
	var list []Answer
	for _, it := range tpl.Items() {
		st, ok := verdicts[it.ID]
		if !ok {
			continue
		}
		a := Answer{Template: tpl.ID, Item: it.ID, Conduit: conduit, Status: st,
			Meta: assets.Meta{Version: assets.Stamp{Wall: int64(len(list) + 1)}}}
		if st == StatusCompensated {
			a.Countermeasures, a.Note = []string{"cm-vpn"}, "The site VPN encrypts the link end to end."
		}
		a.ID = AnswerID(a.Template, a.Item, a.Scope())
		list = append(list, a)
	}
	return list
}

// TestScoreConduit is worked by hand from the reference's cells for the
// default set, SL-T 2:
//
//	IAC SR 1.13 [B/1/1/1]: 1.13 and RE 1 met           → nothing more up to SL4: 4
//	UC  SR 2.6 [-/B/B/B]: unanswered                   → SL1 asks nothing of it: 1
//	SI  SR 3.1 [B/B/1/1] met, RE 1 partial; SR 3.8 [-/B/1,2/1,2,3] N/A → 2
//	DC  SR 4.1 [B/1/1/1,2] compensated, RE 1 open; SR 4.3 [B all] met → 1
//	RDF SR 5.1 met; SR 5.2 not met                     → 0
//	TRE no item in the set                              → not assessed
//	RA  SR 7.1 [B/1/1,2/1,2]: 7.1 and RE 1 met         → 2
func TestScoreConduit(t *testing.T) {
	tpl := sr33(t)
	answers := conduitAnswers(tpl, "c-1", map[string]Status{
		"SR 1.13": StatusMet, "SR 1.13 RE 1": StatusMet,
		"SR 3.1": StatusMet, "SR 3.1 RE 1": StatusPartial, "SR 3.8": StatusNA,
		"SR 4.1": StatusCompensated, "SR 4.3": StatusMet,
		"SR 5.1": StatusMet, "SR 5.2": StatusNotMet,
		"SR 7.1": StatusMet, "SR 7.1 RE 1": StatusMet,
	})
	// Answers for a zone whose ID is the conduit's, and for another
	// conduit, do not count.
	answers = append(answers,
		Answer{Template: tpl.ID, Item: "SR 2.6", Zone: "c-1", Status: StatusMet},
		Answer{Template: tpl.ID, Item: "SR 2.6", Conduit: "c-2", Status: StatusMet},
		Answer{Template: tpl.ID, Item: "SR 5.2", Conduit: "c-2", Status: StatusMet})
	cms := map[string]assets.Countermeasure{"cm-vpn": {Name: "Site-to-site VPN"}}
	cs, err := ScoreConduit(tpl, "c-1", assets.UniformSL(2), nil, answers, ScoreOptions{Countermeasures: cms})
	if err != nil {
		t.Fatal(err)
	}
	if want := (assets.SLVector{4, 1, 2, 1, 0, 0, 2}); cs.SLA != want {
		t.Errorf("SL-A %v, want %v", cs.SLA, want)
	}
	for _, fr := range assets.FRs {
		if cs.Assessed(fr) != (fr != assets.TRE) {
			t.Errorf("%s assessed %v", fr, cs.Assessed(fr))
		}
	}
	if f := cs.FRs[assets.TRE]; !f.NoItems || f.Gap != 0 || f.SLT != 2 || f.Unanswered != 0 {
		t.Errorf("TRE %+v", f)
	}
	if f := cs.FRs[assets.RDF]; f.Gap != 2 || f.Unanswered != 2 {
		t.Errorf("RDF %+v", f)
	}
	// Cheapest first: RDF's SL1 item, then the SL2 items of FRs one item
	// short (UC, DC), then RDF's two.
	want := []string{"SR 5.2", "SR 2.6", "SR 4.1 RE 1", "SR 5.1 RE 1", "SR 5.2 RE 1"}
	var gaps []string
	for _, g := range cs.Gaps {
		gaps = append(gaps, g.Item.ID)
	}
	if !slices.Equal(gaps, want) {
		t.Errorf("gaps %q, want %q", gaps, want)
	}
	// 24 items: 7 met and 1 compensated (Met 8), 1 partial, 1 not met,
	// 1 N/A, 13 open.
	if want := (Counts{Met: 8, Compensated: 1, Partial: 1, NotMet: 1, NA: 1, NotAssessed: 13}); cs.Counts != want || len(cs.Items) != 24 {
		t.Errorf("counts %+v over %d items, want %+v", cs.Counts, len(cs.Items), want)
	}
	if len(cs.Compensated) != 1 || cs.Compensated[0].Item.ID != "SR 4.1" || cs.Compensated[0].Names[0] != "Site-to-site VPN" {
		t.Errorf("compensated %+v", cs.Compensated)
	}

	// An own set with RDF only: every other FR is not assessed.
	cs, err = ScoreConduit(tpl, "c-2", assets.UniformSL(1), []string{"SR 5.2"}, answers, ScoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range assets.FRs {
		if cs.Assessed(fr) != (fr == assets.RDF) {
			t.Errorf("own set: %s assessed %v", fr, cs.Assessed(fr))
		}
	}
	// SR 5.2 [B/1/1,2,3/1,2,3]: met, its REs open → 1.
	if cs.SLA != (assets.SLVector{0, 0, 0, 0, 1, 0, 0}) || len(cs.Gaps) != 0 || !slices.Equal(cs.Items, []string{"SR 5.2", "SR 5.2 RE 1", "SR 5.2 RE 2", "SR 5.2 RE 3"}) {
		t.Errorf("own set: SL-A %v, gaps %d, items %q", cs.SLA, len(cs.Gaps), cs.Items)
	}

	if _, err := ScoreConduit(tpl, "c-1", assets.SLVector{5}, nil, nil, ScoreOptions{}); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("SL-T 5: %v", err)
	}
	if _, err := ScoreConduit(tpl, "c-1", assets.UniformSL(2), []string{"SR 6.2 RE 9"}, nil, ScoreOptions{}); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("bad set: %v", err)
	}
}

func BenchmarkScoreConduit(b *testing.B) {
	tpl := BuiltinByID(IEC62443_3_3_2013)
	verdicts := map[string]Status{}
	items, _ := ConduitItems(tpl, nil)
	for i, it := range items {
		verdicts[it.ID] = []Status{StatusMet, StatusCompensated, StatusNotMet}[i%3]
	}
	answers := conduitAnswers(tpl, "c", verdicts)
	for b.Loop() {
		if _, err := ScoreConduit(tpl, "c", assets.UniformSL(3), nil, answers, ScoreOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleScoreConduit() {
	tpl := BuiltinByID(IEC62443_3_3_2013)
	answers := []Answer{
		{Template: tpl.ID, Item: "SR 5.1", Conduit: "c-1", Status: StatusMet},
		{Template: tpl.ID, Item: "SR 5.2", Conduit: "c-1", Status: StatusCompensated,
			Countermeasures: []string{"cm-1"}, Note: "Host firewall on both ends while the boundary firewall is replaced."},
	}
	cs, err := ScoreConduit(tpl, "c-1", assets.UniformSL(2), nil, answers, ScoreOptions{})
	if err != nil {
		panic(err)
	}
	var levels []string
	for _, f := range cs.FRs {
		if f.NoItems {
			levels = append(levels, f.FR.String()+" –")
			continue
		}
		levels = append(levels, fmt.Sprintf("%s %d", f.FR, f.SLA))
	}
	fmt.Println(strings.Join(levels, ", "))
	fmt.Println(cs.Compensated[0].Item.ID, cs.Compensated[0].Countermeasures)
	// Output:
	// IAC 0, UC 1, SI 0, DC 0, RDF 1, TRE –, RA 0
	// SR 5.2 [cm-1]
}
