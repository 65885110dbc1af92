package app

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

func newChecklistWorkspace(t *testing.T, dir, author string) *Workspace {
	t.Helper()
	w, err := Create(context.Background(), dir, Options{Unencrypted: true, Author: author}, assets.Audit{Title: "Checklist test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func reopen(t *testing.T, w *Workspace) *Workspace {
	t.Helper()
	dir := w.Dir()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w2, err := Open(context.Background(), dir, Options{Author: "reopened"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w2.Close() })
	return w2
}

const userTemplate = `format: 1
id: site-house-rules
revision: 1
title: House rules
standard: Greywater internal standard 7
kind: program
sections:
  - id: HR
    title: House rules
    items:
      - id: HR-1
        title: Vendor laptops
        question: Are vendor laptops scanned at the gatehouse kiosk?
`

func TestTemplatesBuiltinAndUser(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "auditor")
	ts, err := w.Templates()
	if err != nil || len(ts) != len(checklist.Builtin()) {
		t.Fatalf("%d templates, %v", len(ts), err)
	}
	if _, err := w.Template("nope"); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("unknown template: %v", err)
	}
	tpl, err := w.AddTemplate("house.yaml", []byte(userTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ID != "site-house-rules" || tpl.Item("HR-1") == nil {
		t.Fatalf("added %+v", tpl)
	}
	// Same revision again, or a built-in ID: refused.
	if _, err := w.AddTemplate("house.yaml", []byte(userTemplate)); !errors.Is(err, ErrTemplateExists) {
		t.Errorf("same revision replaced: %v", err)
	}
	builtinClash := strings.Replace(userTemplate, "id: site-house-rules", "id: "+checklist.IEC62443_3_3_2013, 1)
	if _, err := w.AddTemplate("clash.yaml", []byte(builtinClash)); !errors.Is(err, ErrTemplateExists) {
		t.Errorf("built-in ID taken: %v", err)
	}
	// A broken file is reported with its name and line and stores nothing.
	broken := strings.Replace(userTemplate, "kind: program", "kind: plant", 1)
	_, err = w.AddTemplate("broken.yaml", []byte(broken))
	var le *checklist.LoadError
	if !errors.Is(err, checklist.ErrInvalidTemplate) || !errors.As(err, &le) || le.File != "broken.yaml" || le.Line != 6 {
		t.Errorf("broken template: %v", err)
	}
	// Persisted: reopen and find it; a higher revision replaces it.
	w = reopen(t, w)
	ts, err = w.Templates()
	if err != nil || len(ts) != len(checklist.Builtin())+1 || ts[len(ts)-1].ID != "site-house-rules" {
		t.Fatalf("after reopen: %d templates, %v", len(ts), err)
	}
	rev2 := strings.Replace(userTemplate, "revision: 1", "revision: 2", 1) +
		"      - id: HR-2\n        title: Keys\n        question: Is the cabinet key register kept?\n"
	if _, err := w.AddTemplate("house-v2.yaml", []byte(rev2)); err != nil {
		t.Fatal(err)
	}
	got, err := w.Template("site-house-rules")
	if err != nil || got.Revision != 2 || got.Item("HR-2") == nil {
		t.Fatalf("revision 2 not stored: %+v %v", got, err)
	}
	// User templates are answered and scored like built-in ones.
	if _, err := w.AnswerItem(AnswerInput{Template: "site-house-rules", Item: "HR-2", Status: checklist.StatusMet}); err != nil {
		t.Fatal(err)
	}
	ps, err := w.ScoreProgram("site-house-rules")
	if err != nil || ps.Overall.Counts.Met != 1 || ps.Overall.Counts.NotAssessed != 1 {
		t.Fatalf("score %+v %v", ps, err)
	}
}

func TestAnswerItem(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "k.osei")
	zone, err := w.SaveZone(assets.Zone{Name: "Dosing", SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	a, err := w.AnswerItem(AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 1.3", Status: checklist.StatusPartial, Maturity: 2, Note: "RACI drafted, not signed"})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != checklist.AnswerID(checklist.IEC62443_2_1_2024, "ORG 1.3", "") || a.AnsweredBy != "k.osei" || a.AnsweredAt == "" || a.Version.IsZero() {
		t.Errorf("stored answer %+v", a)
	}
	// Answering again replaces the record and keeps its history.
	b, err := w.AnswerItem(AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 1.3", Status: checklist.StatusMet, Maturity: 3})
	if err != nil {
		t.Fatal(err)
	}
	if b.ID != a.ID || !b.Descends(a.Version) || b.Version.Compare(a.Version) <= 0 {
		t.Errorf("second answer %+v does not succeed %+v", b.Meta, a.Meta)
	}
	list, err := w.Answers(checklist.IEC62443_2_1_2024)
	if err != nil || len(list) != 1 || list[0].Status != checklist.StatusMet || list[0].Maturity != 3 {
		t.Fatalf("answers %+v %v", list, err)
	}

	ev, err := w.AttachEvidence(assets.Ref{Kind: "zone", ID: zone.ID}, "fw.txt", []byte("rules"), "rule export")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AnswerItem(AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 5.2", Zone: zone.ID, Status: checklist.StatusMet, Evidence: []string{ev.ID}}); err != nil {
		t.Fatal(err)
	}

	bad := []struct {
		name  string
		in    AnswerInput
		is    error
		field string
	}{
		{"unknown template", AnswerInput{Template: "x", Item: "ORG 1.3", Status: checklist.StatusMet}, ErrUnknownTemplate, ""},
		{"unknown item", AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 7.7", Status: checklist.StatusMet}, assets.ErrInvalid, "item"},
		{"zone missing", AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 5.2", Status: checklist.StatusMet}, assets.ErrInvalid, "zone"},
		{"unknown zone", AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 5.2", Zone: "nope", Status: checklist.StatusMet}, assets.ErrInvalid, "zone"},
		{"bad status", AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 1.3", Status: "yes"}, assets.ErrInvalid, "status"},
		{"maturity on 2010", AnswerInput{Template: checklist.IEC62443_2_1_2010, Item: "4.4.2", Status: checklist.StatusMet, Maturity: 2}, assets.ErrInvalid, "maturity"},
		{"maturity 5", AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "ORG 1.3", Status: checklist.StatusMet, Maturity: 5}, assets.ErrInvalid, "maturity"},
		{"unknown evidence", AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 5.1", Zone: zone.ID, Status: checklist.StatusMet, Evidence: []string{"ev-missing"}}, assets.ErrInvalid, "evidence"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := w.AnswerItem(tc.in)
			if !errors.Is(err, tc.is) {
				t.Fatalf("got %v, want %v", err, tc.is)
			}
			var ve *assets.ValidationError
			if tc.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != tc.field) {
				t.Errorf("want a problem with field %s, got %v", tc.field, err)
			}
		})
	}
	// Rejected answers stored nothing.
	all, err := w.Answers("")
	if err != nil || len(all) != 2 {
		t.Errorf("%d answers stored after rejections, want 2 (%v)", len(all), err)
	}
}

func TestScoreZoneOnWorkspace(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	z, err := w.SaveZone(assets.Zone{Name: "Filtration", SLT: assets.SLVector{2, 1, 1, 1, 2, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := w.SaveZone(assets.Zone{Name: "Unassessed", SLT: assets.UniformSL(1)})
	if err != nil {
		t.Fatal(err)
	}
	tpl := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	// Everything required at SL1 is met; of RDF's SL2 items only SR 5.1 RE 1.
	for _, it := range tpl.Items() {
		if it.FirstLevel() == 1 {
			if _, err := w.AnswerItem(AnswerInput{Template: tpl.ID, Item: it.ID, Zone: z.ID, Status: checklist.StatusMet}); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, in := range []AnswerInput{
		{Item: "SR 5.1 RE 1", Status: checklist.StatusMet},
		{Item: "SR 5.2 RE 1", Status: checklist.StatusPartial, Note: "two any-any rules left"},
		{Item: "SR 1.1 RE 1", Status: checklist.StatusNA},
	} {
		in.Template, in.Zone = tpl.ID, z.ID
		if _, err := w.AnswerItem(in); err != nil {
			t.Fatal(err)
		}
	}
	w = reopen(t, w)
	zs, err := w.ScoreZone(tpl.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := (assets.SLVector{1, 1, 1, 1, 1, 1, 1}); zs.SLA != want || zs.SLT != z.SLT {
		t.Errorf("SL-A %v SL-T %v, want %v and %v", zs.SLA, zs.SLT, want, z.SLT)
	}
	var gaps []string
	for _, g := range zs.Gaps {
		gaps = append(gaps, g.Item.ID)
	}
	// RDF is one item short of SL2 and comes first; IAC still needs five.
	want := []string{"SR 5.2 RE 1", "SR 1.2", "SR 1.6 RE 1", "SR 1.8", "SR 1.9", "SR 1.13 RE 1"}
	if !slices.Equal(gaps, want) {
		t.Errorf("gaps %q, want %q", gaps, want)
	}
	if zs.Gaps[0].Status != checklist.StatusPartial || zs.Gaps[0].Remaining != 1 {
		t.Errorf("first gap %+v", zs.Gaps[0])
	}

	all, err := w.ScoreZones(tpl.ID)
	if err != nil || len(all) != 2 {
		t.Fatalf("%d zone scores, %v", len(all), err)
	}
	levels, err := w.AchievedLevels(tpl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := levels[other.ID]; ok || levels[z.ID] != zs.SLA || len(levels) != 1 {
		t.Errorf("achieved levels %v", levels)
	}

	// Clearing an answer makes the item unanswered again; RestoreAnswer undoes it.
	if err := w.ClearAnswer(tpl.ID, "SR 5.1 RE 1", z.ID); err != nil {
		t.Fatal(err)
	}
	zs, _ = w.ScoreZone(tpl.ID, z.ID)
	if zs.Gaps[0].Item.ID != "SR 5.1 RE 1" && zs.Gaps[1].Item.ID != "SR 5.1 RE 1" {
		t.Errorf("cleared answer still counted: %v", zs.Gaps[:2])
	}
	if err := w.RestoreAnswer(tpl.ID, "SR 5.1 RE 1", z.ID); err != nil {
		t.Fatal(err)
	}
	zs, _ = w.ScoreZone(tpl.ID, z.ID)
	if len(zs.Gaps) != len(want) {
		t.Errorf("restored answer not counted: %d gaps", len(zs.Gaps))
	}

	if _, err := w.ScoreZone(tpl.ID, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown zone: %v", err)
	}
	if _, err := w.ScoreZone(checklist.IEC62443_2_1_2024, z.ID); !errors.Is(err, checklist.ErrWrongKind) {
		t.Errorf("program template scored per zone: %v", err)
	}
}

// Two auditors answering the same item on their own laptops write the
// same record, so a merge keeps one answer (the newer) instead of two.
func TestAnswersFromTwoLaptopsShareIDs(t *testing.T) {
	in := AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "NET 3.2", Status: checklist.StatusNotMet}
	var ids []string
	for _, who := range []string{"a.morgan", "k.osei"} {
		w := newChecklistWorkspace(t, t.TempDir(), who)
		a, err := w.AnswerItem(in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	if ids[0] != ids[1] {
		t.Errorf("IDs differ: %v", ids)
	}
}

func TestScoreProgramOnWorkspace(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	for _, in := range []AnswerInput{
		{Item: "NET 3.1", Status: checklist.StatusMet, Maturity: 3},
		{Item: "NET 3.2", Status: checklist.StatusPartial, Maturity: 2},
		{Item: "NET 3.3", Status: checklist.StatusNotMet, Maturity: 1},
	} {
		in.Template = checklist.IEC62443_2_1_2024
		if _, err := w.AnswerItem(in); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := w.ScoreProgram(checklist.IEC62443_2_1_2024)
	if err != nil {
		t.Fatal(err)
	}
	var net3 checklist.SectionScore
	for _, s := range ps.Sections {
		if s.ID == "NET 3" {
			net3 = s
		}
	}
	if net3.Counts != (checklist.Counts{Met: 1, Partial: 1, NotMet: 1}) || net3.Maturity.Average != 2 || net3.Maturity.Min != 1 || len(net3.Unassessed) != 0 {
		t.Errorf("NET 3: %+v", net3)
	}
	if _, err := w.ScoreProgram(checklist.IEC62443_3_3_2013); !errors.Is(err, checklist.ErrWrongKind) {
		t.Errorf("zone template scored as program: %v", err)
	}
}
