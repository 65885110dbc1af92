package app

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
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
		{Item: "SR 1.1 RE 1", Status: checklist.StatusNA, Note: "Single operator account by design; see the shift log."},
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

// countAnswers is the number of live answers stored, to show that a
// rejected answer left nothing behind.
func countAnswers(t *testing.T, w *Workspace) int {
	t.Helper()
	all, err := w.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	return len(all)
}

func saveCountermeasure(t *testing.T, w *Workspace, cm assets.Countermeasure) assets.Countermeasure {
	t.Helper()
	cm, err := w.SaveCountermeasure(cm)
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// TestAnswerJustified: compensated answers name existing, implemented
// countermeasures and a reason; N/A needs a reason; a bad answer stores
// nothing.
func TestAnswerJustified(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	z, err := w.SaveZone(assets.Zone{Name: "Dosing", SLT: assets.UniformSL(1)})
	if err != nil {
		t.Fatal(err)
	}
	jump := saveCountermeasure(t, w, assets.Countermeasure{Name: "Jump host with MFA", Owner: "OT security", Evidence: "Jump host hardening record JH-7"})
	planned := saveCountermeasure(t, w, assets.Countermeasure{Name: "Allow-list firewall", Status: assets.CountermeasurePlanned})
	tpl := checklist.IEC62443_3_3_2013
	a, err := w.AnswerItem(AnswerInput{Template: tpl, Item: "SR 1.1", Zone: z.ID, Status: checklist.StatusCompensated,
		Countermeasures: []string{jump.ID}, Note: "The HMI has one shared login; every session passes the jump host, which identifies the user."})
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != checklist.StatusCompensated || !slices.Equal(a.Countermeasures, []string{jump.ID}) {
		t.Errorf("stored %+v", a)
	}
	if _, err := w.AnswerItem(AnswerInput{Template: tpl, Item: "SR 1.6", Zone: z.ID, Status: checklist.StatusNA, Note: "No wireless anywhere in the zone (walked down)."}); err != nil {
		t.Fatal(err)
	}
	stored := countAnswers(t, w)

	bad := []struct {
		name  string
		in    AnswerInput
		is    error
		field string // of the ValidationError, "" when not one
		msg   string
	}{
		{"unknown countermeasure", AnswerInput{Item: "SR 1.3", Status: checklist.StatusCompensated, Countermeasures: []string{jump.ID, "cm-gone"}, Note: "x"},
			store.ErrNotFound, "", "cm-gone"},
		{"planned countermeasure", AnswerInput{Item: "SR 1.3", Status: checklist.StatusCompensated, Countermeasures: []string{planned.ID}, Note: "x"},
			assets.ErrInvalid, "countermeasures", "Allow-list firewall"},
		{"compensated without countermeasure", AnswerInput{Item: "SR 1.3", Status: checklist.StatusCompensated, Note: "x"},
			assets.ErrInvalid, "countermeasures", `"SR 1.3"`},
		{"compensated without reason", AnswerInput{Item: "SR 1.3", Status: checklist.StatusCompensated, Countermeasures: []string{jump.ID}},
			assets.ErrInvalid, "note", "reason"},
		{"N/A without reason", AnswerInput{Item: "SR 1.4", Status: checklist.StatusNA},
			assets.ErrInvalid, "note", "Not applicable"},
		{"N/A with a blank reason", AnswerInput{Item: "SR 1.4", Status: checklist.StatusNA, Note: "   "},
			assets.ErrInvalid, "note", "say why"},
		{"countermeasure on Met", AnswerInput{Item: "SR 1.4", Status: checklist.StatusMet, Countermeasures: []string{jump.ID}},
			assets.ErrInvalid, "countermeasures", "compensating"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Template, tc.in.Zone = tpl, z.ID
			_, err := w.AnswerItem(tc.in)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v, want %v mentioning %q", err, tc.is, tc.msg)
			}
			var ve *assets.ValidationError
			if tc.field != "" && (!errors.As(err, &ve) || ve.Fields[0].Field != tc.field) {
				t.Errorf("want a problem with field %s, got %v", tc.field, err)
			}
		})
	}
	if n := countAnswers(t, w); n != stored {
		t.Errorf("%d answers after the rejections, want %d", n, stored)
	}
	// The earlier N/A answer is untouched by the rejected one.
	if got, _ := w.Answers(tpl); got[len(got)-1].Item != "SR 1.6" && got[0].Item != "SR 1.6" {
		t.Errorf("answers %+v", got)
	}

	// Scores name the countermeasure; deleting it makes the item count as
	// not assessed (SR 1.1 is an SL1 item of IAC).
	zs, err := w.ScoreZone(tpl, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(zs.Compensated) != 1 || zs.Compensated[0].Item.ID != "SR 1.1" || !slices.Equal(zs.Compensated[0].Names, []string{"Jump host with MFA"}) || !zs.Compensated[0].Counted {
		t.Fatalf("compensated %+v", zs.Compensated)
	}
	if err := w.DeleteCountermeasure(jump.ID); err != nil {
		t.Fatal(err)
	}
	zs, _ = w.ScoreZone(tpl, z.ID)
	gap := slices.IndexFunc(zs.Gaps, func(g checklist.GapItem) bool { return g.Item.ID == "SR 1.1" })
	if c := zs.Compensated[0]; c.Counted || !slices.Equal(c.Missing, []string{jump.ID}) || gap < 0 || zs.Gaps[gap].Status != checklist.StatusNotAssessed {
		t.Errorf("after deleting the countermeasure: %+v, SR 1.1 gap at %d", c, gap)
	}
}

// TestConduitAnswers: the conduit items of a zone template are answered
// per conduit and scored against the conduit's SL-T, apart from the zones.
func TestConduitAnswers(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	scada, _ := w.SaveZone(assets.Zone{Name: "SCADA", SLT: assets.UniformSL(2)})
	dmz, _ := w.SaveZone(assets.Zone{Name: "DMZ", SLT: assets.UniformSL(2)})
	c, err := w.SaveConduit(assets.Conduit{Name: "DMZ – SCADA", From: dmz.ID, To: scada.ID, SLT: assets.SLVector{2, 2, 2, 2, 2, 2, 1}})
	if err != nil {
		t.Fatal(err)
	}
	vpn := saveCountermeasure(t, w, assets.Countermeasure{Name: "IPsec tunnel", AppliesTo: []assets.Ref{{Kind: "conduit", ID: c.ID}}})
	tpl := checklist.IEC62443_3_3_2013
	for _, in := range []AnswerInput{
		{Item: "SR 5.1", Status: checklist.StatusMet},
		{Item: "SR 5.1 RE 1", Status: checklist.StatusMet},
		{Item: "SR 5.2", Status: checklist.StatusMet},
		{Item: "SR 5.2 RE 1", Status: checklist.StatusCompensated, Countermeasures: []string{vpn.ID}, Note: "Only the tunnel endpoints talk; the firewall denies the rest."},
		{Item: "SR 7.1", Status: checklist.StatusNotMet, Note: "No rate limit on the DMZ switch."},
	} {
		in.Template, in.Conduit = tpl, c.ID
		if _, err := w.AnswerItem(in); err != nil {
			t.Fatalf("%s: %v", in.Item, err)
		}
	}
	// The same item for the zone is another record.
	if _, err := w.AnswerItem(AnswerInput{Template: tpl, Item: "SR 5.1", Zone: scada.ID, Status: checklist.StatusNotMet}); err != nil {
		t.Fatal(err)
	}
	n := countAnswers(t, w)
	for _, tc := range []struct {
		name, msg string
		in        AnswerInput
	}{
		{"outside the set", "not one of the audit's conduit items", AnswerInput{Item: "SR 6.2", Conduit: c.ID, Status: checklist.StatusMet}},
		{"unknown conduit", "is not a conduit of this audit", AnswerInput{Item: "SR 5.2", Conduit: "nope", Status: checklist.StatusMet}},
		{"zone and conduit", "one zone or one conduit", AnswerInput{Item: "SR 5.2", Zone: scada.ID, Conduit: c.ID, Status: checklist.StatusMet}},
		{"programme item", "once per audit", AnswerInput{Template: checklist.IEC62443_2_1_2024, Item: "NET 3.1", Conduit: c.ID, Status: checklist.StatusMet}},
	} {
		if tc.in.Template == "" {
			tc.in.Template = tpl
		}
		if _, err := w.AnswerItem(tc.in); !errors.Is(err, assets.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
	if got := countAnswers(t, w); got != n {
		t.Errorf("%d answers after rejections, want %d", got, n)
	}

	w = reopen(t, w)
	cs, err := w.ScoreConduit(tpl, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// By hand: IAC SR 1.13 open → 0; UC SR 2.6 from SL2 → 1; SI SR 3.1 open
	// → 0; DC SR 4.1 open → 0; RDF 5.1 + RE 1, 5.2 + RE 1 (compensated)
	// → 2 (SL3 needs RE 2 of both); TRE not assessed; RA 7.1 not met → 0.
	if want := (assets.SLVector{0, 1, 0, 0, 2, 0, 0}); cs.SLA != want || cs.Assessed(assets.TRE) || cs.SLT != c.SLT {
		t.Errorf("conduit SL-A %v (TRE assessed %v), want %v", cs.SLA, cs.Assessed(assets.TRE), want)
	}
	if len(cs.Compensated) != 1 || cs.Compensated[0].Names[0] != "IPsec tunnel" {
		t.Errorf("compensated %+v", cs.Compensated)
	}
	// The zone's score does not see the conduit's answers.
	zs, err := w.ScoreZone(tpl, scada.ID)
	if err != nil || zs.SLA[assets.RDF] != 0 || len(zs.Compensated) != 0 {
		t.Errorf("zone RDF %d, compensated %v, %v", zs.SLA[assets.RDF], zs.Compensated, err)
	}
	levels, _ := w.AchievedLevels(tpl)
	if _, ok := levels[dmz.ID]; ok || len(levels) != 1 {
		t.Errorf("conduit answers made a zone count as assessed: %v", levels)
	}
	all, err := w.ScoreConduits(tpl)
	if err != nil || len(all) != 1 || all[0].Conduit != c.ID {
		t.Fatalf("ScoreConduits %v %v", all, err)
	}
	if _, err := w.ScoreConduit(tpl, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown conduit: %v", err)
	}

	// Clearing goes by the conduit's scope.
	if err := w.ClearAnswer(tpl, "SR 7.1", checklist.ConduitScope(c.ID)); err != nil {
		t.Fatal(err)
	}
	if cs, _ := w.ScoreConduit(tpl, c.ID); cs.Counts.NotMet != 0 {
		t.Errorf("cleared conduit answer still counted: %+v", cs.Counts)
	}

	// The audit's own set: RDF only. Other FRs are then not assessed, and
	// SR 7.1 can no longer be answered per conduit.
	if _, err := w.SetConduitItems([]string{" SR 5.1", "SR 5.2"}); err != nil {
		t.Fatal(err)
	}
	items, err := w.ConduitItems(tpl)
	if err != nil || len(items) != 8 {
		t.Fatalf("%d conduit items, %v", len(items), err)
	}
	cs, _ = w.ScoreConduit(tpl, c.ID)
	if cs.SLA != (assets.SLVector{0, 0, 0, 0, 2, 0, 0}) || cs.Assessed(assets.UC) || !cs.Assessed(assets.RDF) {
		t.Errorf("own set: SL-A %v", cs.SLA)
	}
	if _, err := w.AnswerItem(AnswerInput{Template: tpl, Item: "SR 7.1", Conduit: c.ID, Status: checklist.StatusMet}); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("SR 7.1 outside the own set: %v", err)
	}
	if _, err := w.SetConduitItems([]string{"SR 5.2", "SR 99.1"}); !errors.Is(err, assets.ErrInvalid) || !strings.Contains(err.Error(), "SR 99.1") {
		t.Errorf("unknown SR in the set: %v", err)
	}
	if got := w.Audit().ConduitSRs; !slices.Equal(got, []string{"SR 5.1", "SR 5.2"}) {
		t.Errorf("audit conduit SRs %q after a refused change", got)
	}
	if _, err := w.SetConduitItems(nil); err != nil || w.Audit().ConduitSRs != nil {
		t.Errorf("back to the default: %v %q", err, w.Audit().ConduitSRs)
	}
}

// TestMetNeedsEvidenceSetting: with the audit setting on, a Met answer
// counts only with evidence, named by the answer or attached to it.
func TestMetNeedsEvidenceSetting(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	z, _ := w.SaveZone(assets.Zone{Name: "SCADA", SLT: assets.UniformSL(1)})
	tpl := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	// TRE at SL1 is SR 6.1 alone; RA is SR 7.1–7.7.
	for _, it := range tpl.Items() {
		if it.FirstLevel() == 1 && (it.FR == assets.TRE || it.FR == assets.RA) {
			if _, err := w.AnswerItem(AnswerInput{Template: tpl.ID, Item: it.ID, Zone: z.ID, Status: checklist.StatusMet}); err != nil {
				t.Fatal(err)
			}
		}
	}
	sla := func() assets.SLVector {
		t.Helper()
		zs, err := w.ScoreZone(tpl.ID, z.ID)
		if err != nil {
			t.Fatal(err)
		}
		return zs.SLA
	}
	if got := sla(); got != (assets.SLVector{0, 0, 0, 0, 0, 1, 1}) {
		t.Fatalf("setting off: %v", got)
	}
	audit := w.Audit()
	audit.MetNeedsEvidence = true
	if _, err := w.SaveAudit(audit); err != nil {
		t.Fatal(err)
	}
	if got := sla(); got != (assets.SLVector{}) {
		t.Errorf("setting on, no evidence: %v", got)
	}
	// Evidence attached to the SR 6.1 answer (as the GUI does it) counts.
	if _, err := w.AttachEvidence(assets.Ref{Kind: "answer", ID: checklist.AnswerID(tpl.ID, "SR 6.1", z.ID)}, "siem.png", []byte("screenshot"), ""); err != nil {
		t.Fatal(err)
	}
	if got := sla(); got != (assets.SLVector{0, 0, 0, 0, 0, 1, 0}) {
		t.Errorf("with SR 6.1's evidence attached: %v", got)
	}
	// Evidence named by the answers counts too.
	ev, err := w.AttachEvidence(assets.Ref{Kind: "zone", ID: z.ID}, "backup.log", []byte("restore test ok"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"SR 7.1", "SR 7.2", "SR 7.3", "SR 7.4", "SR 7.5", "SR 7.6", "SR 7.7"} {
		if _, err := w.AnswerItem(AnswerInput{Template: tpl.ID, Item: id, Zone: z.ID, Status: checklist.StatusMet, Evidence: []string{ev.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if got := sla(); got != (assets.SLVector{0, 0, 0, 0, 0, 1, 1}) {
		t.Errorf("with the RA answers' evidence: %v", got)
	}
	w = reopen(t, w)
	if !w.Audit().MetNeedsEvidence || sla() != (assets.SLVector{0, 0, 0, 0, 0, 1, 1}) {
		t.Errorf("after reopening: setting %v, SL-A %v", w.Audit().MetNeedsEvidence, sla())
	}
}

// TestAnswersOfEarlierVersionsScoreUnchanged: answers stored before N/A
// needed a reason (written here straight to the store, as the earlier
// version did) load, score as before and travel; only a new write must
// give the reason.
func TestAnswersOfEarlierVersionsScoreUnchanged(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	z, _ := w.SaveZone(assets.Zone{Meta: assets.Meta{ID: "10689c49d1edbe71418fbbfbfd379c99"}, Name: "Filtration", SLT: assets.UniformSL(1)})
	tpl := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	// As v1 wrote them: no reason on the N/A answers.
	records := []string{
		`{"template":"iec62443-3-3-2013","item":"SR 5.1","zone":"10689c49d1edbe71418fbbfbfd379c99","status":"met","answered_by":"Vera Vector","answered_at":"2026-11-29T05:44:34Z"}`,
		`{"template":"iec62443-3-3-2013","item":"SR 5.2","zone":"10689c49d1edbe71418fbbfbfd379c99","status":"met","note":"Firewall rules reviewed"}`,
		`{"template":"iec62443-3-3-2013","item":"SR 5.3","zone":"10689c49d1edbe71418fbbfbfd379c99","status":"na"}`,
		`{"template":"iec62443-3-3-2013","item":"SR 5.4","zone":"10689c49d1edbe71418fbbfbfd379c99","status":"na"}`,
		`{"template":"iec62443-3-3-2013","item":"SR 6.1","zone":"10689c49d1edbe71418fbbfbfd379c99","status":"partial"}`,
		`{"template":"iec62443-2-1-2024","item":"ORG 1.3","status":"na"}`,
	}
	for _, raw := range records {
		var a checklist.Answer
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			t.Fatal(err)
		}
		a.ID = checklist.AnswerID(a.Template, a.Item, a.Zone)
		if err := a.Validate(checklist.BuiltinByID(a.Template), nil); err != nil {
			t.Fatalf("an earlier version's answer fails Validate: %v", err)
		}
		if err := w.st.Put(KindAnswer, &a); err != nil {
			t.Fatal(err)
		}
	}
	w = reopen(t, w)
	zs, err := w.ScoreZone(tpl.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	// RDF at SL1 is SR 5.1–5.4: two met, two N/A → 1. TRE: SR 6.1 partial → 0.
	if zs.SLA != (assets.SLVector{0, 0, 0, 0, 1, 0, 0}) || len(zs.NoEvidence) != 0 || len(zs.Compensated) != 0 {
		t.Errorf("SL-A %v", zs.SLA)
	}
	ps, err := w.ScoreProgram(checklist.IEC62443_2_1_2024)
	if err != nil || ps.Overall.Counts.NA != 1 {
		t.Errorf("programme: %+v %v", ps.Overall.Counts, err)
	}
	// Editing one of them now needs the reason.
	if _, err := w.AnswerItem(AnswerInput{Template: tpl.ID, Item: "SR 5.3", Zone: z.ID, Status: checklist.StatusNA}); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("a new N/A without a reason: %v", err)
	}
	if zs2, _ := w.ScoreZone(tpl.ID, z.ID); zs2.SLA != zs.SLA {
		t.Errorf("a refused edit changed the score: %v", zs2.SLA)
	}
}

// TestV1WorkspaceScores opens the workspace Zonewalk v1 wrote (see
// vector_test.go) and scores its zones and its conduit; it has one answer,
// SR 5.2 Met in Filtration Control, and no conduit answers.
func TestV1WorkspaceScores(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "v1")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "v1", "v1-workspace"))); err != nil {
		t.Fatal(err)
	}
	w, err := Open(context.Background(), dir, Options{Passphrase: []byte("vector passphrase v1"), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tpl := checklist.IEC62443_3_3_2013
	zones, err := w.ScoreZones(tpl)
	if err != nil || len(zones) != 2 {
		t.Fatalf("zones %v %v", zones, err)
	}
	for _, zs := range zones {
		// SR 5.2 alone leaves RDF at 0 (SR 5.1, 5.3, 5.4 are SL1 items too).
		if zs.SLA != (assets.SLVector{}) {
			t.Errorf("zone %s SL-A %v", zs.Zone, zs.SLA)
		}
	}
	cs, err := w.ScoreConduits(tpl)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conduits %v %v", cs, err)
	}
	// Nothing answered: only UC reaches 1, as SR 2.6 starts at SL2.
	if cs[0].SLA != (assets.SLVector{0, 1, 0, 0, 0, 0, 0}) || cs[0].Assessed(assets.TRE) || cs[0].Counts.NotAssessed != 24 {
		t.Errorf("conduit SL-A %v, counts %+v", cs[0].SLA, cs[0].Counts)
	}
}

// TestComponentAnswers: a 62443-4-2 item is answered for a capability
// record, if it applies to the record's component type.
func TestComponentAnswers(t *testing.T) {
	w := newChecklistWorkspace(t, t.TempDir(), "a.morgan")
	cp, err := w.SaveCapability(assets.Capability{Vendor: "Siemens", Model: "S7-1500", ComponentType: checklist.TypeEmbeddedDevice})
	if err != nil {
		t.Fatal(err)
	}
	tpl := checklist.IEC62443_4_2_2019
	a, err := w.AnswerItem(AnswerInput{Template: tpl, Item: "EDR 2.4", Component: cp.ID, Status: checklist.StatusMet})
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != checklist.AnswerID(tpl, "EDR 2.4", checklist.ComponentScope(cp.ID)) || a.Component != cp.ID {
		t.Errorf("stored %+v", a)
	}
	n := countAnswers(t, w)
	for _, tc := range []struct {
		in  AnswerInput
		msg string
	}{
		{AnswerInput{Item: "SAR 2.4", Component: cp.ID, Status: checklist.StatusMet}, `does not apply to a component of type "edr"`},
		{AnswerInput{Item: "CR 1.1", Component: "nope", Status: checklist.StatusMet}, "is not a capability record of this audit"},
		{AnswerInput{Item: "CR 1.1", Status: checklist.StatusMet}, "component: is required"},
	} {
		tc.in.Template = tpl
		if _, err := w.AnswerItem(tc.in); !errors.Is(err, assets.ErrInvalid) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.in.Item, err, tc.msg)
		}
	}
	if got := countAnswers(t, w); got != n {
		t.Errorf("%d answers after rejections, want %d", got, n)
	}
}
