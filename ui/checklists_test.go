package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

func openChecklists(t *testing.T) (*session, *checklistScreen) {
	t.Helper()
	s := demoSession(t)
	c := newChecklistScreen(s)
	s.win.SetContent(c.build())
	c.refresh()
	return s, c
}

// stored returns the stored answer to item of template in zone.
func stored(t *testing.T, s *session, template, item, zone string) (checklist.Answer, bool) {
	t.Helper()
	list, err := s.ws.Answers(template)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.Item == item && a.Zone == zone {
			return a, true
		}
	}
	return checklist.Answer{}, false
}

func selectTemplate(t *testing.T, c *checklistScreen, id string) {
	t.Helper()
	for i, tm := range c.templates {
		if tm.ID == id {
			c.tmplSel.SetSelectedIndex(i)
			if c.t == nil || c.t.ID != id {
				t.Fatalf("selecting %s shows %v", id, c.t)
			}
			return
		}
	}
	t.Fatalf("template %s is not offered; have %v", id, c.tmplSel.Options)
}

func TestChecklistAnswerByKeyIsStored(t *testing.T) {
	s, c := openChecklists(t)
	if c.t == nil || c.t.ID != checklist.IEC62443_2_1_2024 {
		t.Fatalf("screen opened on %v, want the 2-1:2024 checklist first", c.t)
	}
	// The demo assessment is half done: the screen starts on an unanswered item.
	first := c.items[c.cur].Item.ID
	if _, ok := stored(t, s, c.t.ID, first, ""); ok {
		t.Fatalf("screen opened on %s, which is already answered", first)
	}
	before := c.unansweredCount()

	test.Type(c.notes, "Asked the OT lead; no document.")
	c.maturity.SetSelected("ML2 Managed")
	test.Type(c.card, "3") // Not met, then on to the next item
	a, ok := stored(t, s, c.t.ID, first, "")
	if !ok {
		t.Fatalf("no answer stored for %s after key 3", first)
	}
	if a.Status != checklist.StatusNotMet || a.Maturity != 2 || a.Note != "Asked the OT lead; no document." {
		t.Errorf("stored %s = %s ML%d %q, want not-met ML2 with the note", first, a.Status, a.Maturity, a.Note)
	}
	if a.AnsweredBy != "tester" {
		t.Errorf("answered by %q, want the workspace author", a.AnsweredBy)
	}
	second := c.items[c.cur].Item.ID
	if second == first {
		t.Fatal("the screen did not move on after answering")
	}
	// Letter keys work too; N/A clears the maturity rating, and needs a
	// reason: with an empty note it asks, and stores nothing yet.
	secondWasOpen := !c.answered(second)
	prevSecond, _ := stored(t, s, c.t.ID, second, "")
	c.notes.setText("")
	test.Type(c.card, "a")
	if a, _ := stored(t, s, c.t.ID, second, ""); a.Status != prevSecond.Status || c.items[c.cur].Item.ID != second {
		t.Fatalf("N/A without a reason stored %s or moved on", a.Status)
	}
	if s.win.Canvas().Overlays().Top() == nil {
		t.Fatal("N/A without a reason asked nothing")
	}
	s.win.Canvas().Overlays().Remove(s.win.Canvas().Overlays().Top())
	c.maturity.SetSelected("ML4 Improving")
	c.notes.setText("No wireless at this site.")
	test.Type(c.card, "a")
	if a, ok := stored(t, s, c.t.ID, second, ""); !ok || a.Status != checklist.StatusNA || a.Maturity != 0 || a.Note != "No wireless at this site." {
		t.Errorf("after key a, %s stored as %+v (found %v), want na without maturity, with the reason", second, a, ok)
	}
	want := before - 1
	if secondWasOpen {
		want--
	}
	if got := c.unansweredCount(); got != want {
		t.Errorf("%d unanswered after two answers, want %d (had %d)", got, want, before)
	}
	// The progress list counts the answers.
	total := 0
	for _, r := range c.rows {
		total += r.answered
	}
	if want := len(c.items) - c.unansweredCount(); total != want {
		t.Errorf("progress rows count %d answered, want %d", total, want)
	}
	// Keys that mean nothing change nothing.
	list, _ := s.ws.Answers(c.t.ID)
	at := c.cur
	test.Type(c.card, "z")
	after, _ := s.ws.Answers(c.t.ID)
	if len(after) != len(list) || c.cur != at {
		t.Errorf("key z changed the answers (%d → %d) or the item (%d → %d)", len(list), len(after), at, c.cur)
	}
}

func TestChecklistMaturityChangeAndClear(t *testing.T) {
	s, c := openChecklists(t)
	c.move(0)
	id := c.items[0].Item.ID
	test.Tap(c.statusBtns[0]) // Met
	c.move(0)
	c.maturity.SetSelected("ML3 Defined")
	if a, _ := stored(t, s, c.t.ID, id, ""); a.Status != checklist.StatusMet || a.Maturity != 3 {
		t.Fatalf("after choosing ML3 on an answered item, stored %s ML%d", a.Status, a.Maturity)
	}
	test.Tap(c.clearBtn)
	if _, ok := stored(t, s, c.t.ID, id, ""); ok {
		t.Errorf("%s still answered after Clear", id)
	}
	if c.answerInfo.Text != "Not answered yet." {
		t.Errorf("card says %q after Clear", c.answerInfo.Text)
	}
}

func TestChecklistEvidenceIsLinkedToTheAnswer(t *testing.T) {
	s, c := openChecklists(t)
	id := c.items[c.cur].Item.ID
	ref := c.answerRef()
	if c.evidence.owner != ref {
		t.Fatalf("evidence panel shows %v, want the answer %v", c.evidence.owner, ref)
	}
	c.evidence.attachData(ref, "policy.txt", []byte("OT security policy, signed 2025-03-01"))
	if len(c.evidence.items) != 1 {
		t.Fatalf("panel lists %d files after attaching one", len(c.evidence.items))
	}
	evID := c.evidence.items[0].ID
	test.Type(c.card, "2")
	a, ok := stored(t, s, c.t.ID, id, "")
	if !ok || a.Status != checklist.StatusPartial || len(a.Evidence) != 1 || a.Evidence[0] != evID {
		t.Fatalf("stored %+v, want partial with the attached file", a)
	}
	// The next item has its own, empty evidence.
	if c.evidence.owner == ref || len(c.evidence.items) != 0 {
		t.Errorf("after moving on the panel shows %v with %d files", c.evidence.owner, len(c.evidence.items))
	}
}

func TestChecklistNextUnanswered(t *testing.T) {
	_, c := openChecklists(t)
	c.move(0)
	for range 3 {
		test.Type(c.card, "u")
		if id := c.items[c.cur].Item.ID; c.answered(id) {
			t.Fatalf("next unanswered showed %s, which is answered", id)
		}
		c.move(c.cur + 1)
	}
	// Arrow keys step.
	at := c.cur
	c.card.TypedKey(&fyneKeyLeft)
	if c.cur != at-1 {
		t.Errorf("left arrow moved from %d to %d", at, c.cur)
	}
}

var fyneKeyLeft = fyne.KeyEvent{Name: fyne.KeyLeft}

func TestChecklistZoneScoreAndGaps(t *testing.T) {
	s, c := openChecklists(t)
	selectTemplate(t, c, checklist.IEC62443_3_3_2013)
	z, ok := s.ws.ZoneByName("SCADA & Operations")
	if !ok {
		t.Fatal("demo has no SCADA zone")
	}
	c.selectScope(z.ID)
	if c.zone != z.ID {
		t.Fatalf("zone %q not selected", z.Name)
	}
	// The FR table: a header row and one row per FR with SL-T and SL-A.
	if got := len(c.frGrid.Objects); got != 4*8 {
		t.Fatalf("FR table has %d cells, want 32", got)
	}
	zs, err := s.ws.ScoreZone(c.t.ID, z.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range zs.FRs {
		row := c.frGrid.Objects[4*(i+1):]
		if got := row[1].(*widget.Label).Text; got != levelText(f.SLT) {
			t.Errorf("FR %d SL-T shown %q, zone has %d", i+1, got, f.SLT)
		}
		if got := row[2].(*widget.Label).Text; got != slaText(f) {
			t.Errorf("FR %d SL-A shown %q, score says %q", i+1, got, slaText(f))
		}
	}
	// Only items required up to SL-T are listed until "show all" is on.
	required := len(c.items)
	for _, ap := range c.items {
		if !ap.Required {
			t.Errorf("%s listed though not required up to SL-T", ap.Item.ID)
		}
	}
	c.showAll.SetChecked(true)
	if len(c.items) <= required {
		t.Errorf("show all lists %d items, the filtered view %d", len(c.items), required)
	}
	c.showAll.SetChecked(false)

	// Meeting the first gap removes it from the list of unmet items.
	if len(c.gaps) == 0 {
		t.Fatal("the demo SCADA zone has no unmet items; the test needs one")
	}
	gap := c.gaps[0].Item.ID
	c.gapList.Select(0)
	if got := c.items[c.cur].Item.ID; got != gap {
		t.Fatalf("tapping gap %s showed %s", gap, got)
	}
	test.Type(c.card, "m")
	if a, ok := stored(t, s, c.t.ID, gap, z.ID); !ok || a.Status != checklist.StatusMet {
		t.Fatalf("%s in zone %s not stored as met", gap, z.Name)
	}
	for _, g := range c.gaps {
		if g.Item.ID == gap {
			t.Errorf("%s still listed as unmet after Met", gap)
		}
	}
}

func TestChecklistShowsUncertainCells(t *testing.T) {
	s, c := openChecklists(t)
	// The built-in 3-3 template has no disputed cell since the corrected
	// reference; a user template may still have some.
	if _, err := s.ws.AddTemplate("disputed.yaml", []byte(`format: 1
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
`)); err != nil {
		t.Fatal(err)
	}
	c.refresh()
	selectTemplate(t, c, "disputed")
	c.showAll.SetChecked(true)
	var found bool
	for i, ap := range c.items {
		if len(ap.Item.UncertainLevels) == 0 {
			continue
		}
		found = true
		c.move(i)
		sl := ap.Item.UncertainLevels[0]
		if want := fmt.Sprintf("SL%d ?", sl); !strings.Contains(c.slCells.Text, want) {
			t.Errorf("%s: SL cells %q do not mark SL%d as disputed", ap.Item.ID, c.slCells.Text, sl)
		}
		if !strings.HasPrefix(c.uncertain.Text, "Uncertain") {
			t.Errorf("%s: no uncertainty note, got %q", ap.Item.ID, c.uncertain.Text)
		}
		break
	}
	if !found {
		t.Fatal("the template has no disputed SL cell; nothing to show")
	}
}

func TestChecklistNoteSavedWhenLeavingTheField(t *testing.T) {
	s, c := openChecklists(t)
	id := c.items[c.cur].Item.ID
	cv := s.win.Canvas()
	cv.Focus(c.notes)
	test.Type(c.notes, "Policy draft only, not signed.")
	cv.Unfocus()
	a, ok := stored(t, s, c.t.ID, id, "")
	if !ok || a.Note != "Policy draft only, not signed." || a.Status != checklist.StatusNotAssessed {
		t.Fatalf("after leaving the notes field %s is stored as %+v (found %v)", id, a, ok)
	}
	if c.answered(id) {
		t.Error("a note alone counts the item as answered")
	}
	// A note typed and not left is saved when the shell flushes.
	c.move(c.cur + 1)
	next := c.items[c.cur].Item.ID
	cv.Focus(c.notes)
	test.Type(c.notes, " Checked twice.")
	want := c.notes.Text
	s.flush()
	if a, _ := stored(t, s, c.t.ID, next, ""); a.Note != want {
		t.Errorf("flush stored note %q, want %q", a.Note, want)
	}
}

// BenchmarkChecklistAnswerByKey measures one key press on the checklist:
// the durable write, rescoring, progress and the next item shown.
func BenchmarkChecklistAnswerByKey(b *testing.B) {
	a := test.NewTempApp(b)
	ws, err := demo.Create(context.Background(), filepath.Join(b.TempDir(), "audit"), "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	w := a.NewWindow("bench")
	defer w.Close()
	s := &session{fyneApp: a, win: w, ws: ws}
	c := newChecklistScreen(s)
	w.SetContent(c.build())
	c.refresh()
	keys := []rune{'1', '2', '3', '4'}
	i := 0
	for b.Loop() {
		if c.cur == len(c.items)-1 {
			c.move(0)
		}
		c.onKey(keys[i%len(keys)])
		i++
	}
}

// Met by compensation asks for countermeasures and a reason; saved, it
// links them and counts as met.
func TestChecklistCompensated(t *testing.T) {
	s, c := openChecklists(t)
	cm, err := s.ws.SaveCountermeasure(assets.Countermeasure{Name: "Locked cabinet and CCTV"})
	if err != nil {
		t.Fatal(err)
	}
	item := c.items[c.cur].Item.ID
	test.Type(c.card, "c")
	if s.win.Canvas().Overlays().Top() == nil {
		t.Fatal("key c asked nothing")
	}
	if _, ok := stored(t, s, c.t.ID, item, ""); ok {
		t.Fatal("compensated stored before the countermeasure was picked")
	}
	s.win.Canvas().Overlays().Remove(s.win.Canvas().Overlays().Top())
	// What the dialog's Save does with one countermeasure picked.
	c.compensating = []string{cm.ID}
	c.notes.setText("Physical protection makes up for the missing port locks.")
	c.record(checklist.StatusCompensated)
	a, ok := stored(t, s, c.t.ID, item, "")
	if !ok || a.Status != checklist.StatusCompensated || len(a.Countermeasures) != 1 || a.Countermeasures[0] != cm.ID {
		t.Fatalf("stored %+v", a)
	}
	if !a.Status.Satisfies() {
		t.Error("met by compensation does not count as met")
	}
	// Without a reason the app refuses it, and nothing changes.
	c.move(c.cur - 1)
	c.compensating = []string{cm.ID}
	c.notes.setText("")
	if err := c.save(checklist.StatusCompensated); err == nil {
		t.Error("compensated without a reason was saved")
	}
}

// A zone checklist answered for a conduit shows only the conduit's item
// set and stores the answer for the conduit; the 4-2 checklist is
// answered per capability record, with the items of its component type.
func TestChecklistConduitAndComponentScopes(t *testing.T) {
	s, c := openChecklists(t)
	selectTemplate(t, c, checklist.IEC62443_3_3_2013)
	cd := s.ws.Conduits()[0]
	c.selectScope(checklist.ConduitScope(cd.ID))
	if c.scope.conduit != cd.ID {
		t.Fatalf("conduit %q not offered: %v", cd.Name, c.zoneSel.Options)
	}
	set, err := s.ws.ConduitItems(checklist.IEC62443_3_3_2013)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]bool{}
	for _, it := range set {
		in[it.ID] = true
	}
	if len(c.items) == 0 || len(c.items) > len(set) {
		t.Fatalf("%d items for a conduit, set has %d", len(c.items), len(set))
	}
	for _, a := range c.items {
		if !in[a.Item.ID] {
			t.Errorf("item %s is not in the conduit set", a.Item.ID)
		}
	}
	item := c.items[c.cur].Item.ID
	test.Type(c.card, "1")
	list, _ := s.ws.Answers(checklist.IEC62443_3_3_2013)
	found := false
	for _, a := range list {
		if a.Item == item && a.Conduit == cd.ID && a.Zone == "" && a.Status == checklist.StatusMet {
			found = true
		}
	}
	if !found {
		t.Fatalf("no Met answer to %s stored for conduit %s", item, cd.Name)
	}

	plc := s.ws.Assets()[0]
	cp, err := s.ws.SaveCapability(assets.Capability{Asset: plc.ID, ComponentType: checklist.TypeEmbeddedDevice})
	if err != nil {
		t.Fatal(err)
	}
	c.refresh()
	selectTemplate(t, c, checklist.IEC62443_4_2_2019)
	c.selectScope(checklist.ComponentScope(cp.ID))
	if c.scope.component != cp.ID {
		t.Fatalf("capability record not offered: %v", c.zoneSel.Options)
	}
	tm := checklist.BuiltinByID(checklist.IEC62443_4_2_2019)
	if want := len(tm.ItemsFor(checklist.TypeEmbeddedDevice)); len(c.items) != want {
		t.Errorf("%d items for an embedded device, want %d", len(c.items), want)
	}
	item = c.items[c.cur].Item.ID
	test.Type(c.card, "1")
	list, _ = s.ws.Answers(checklist.IEC62443_4_2_2019)
	if len(list) != 1 || list[0].Component != cp.ID || list[0].Item != item {
		t.Fatalf("4-2 answers %+v, want one for %s of the capability", list, item)
	}
}
