package app_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// A revisit copies the model with its record IDs, carries answers over
// unconfirmed (they count again only once confirmed or answered anew) and
// keeps the findings still open, about the new audit.
func TestRevisit(t *testing.T) {
	old, err := demo.Create(ctx, filepath.Join(t.TempDir(), "2025"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	today := time.Now()
	oldFindings, err := old.CurrentFindings(ctx, today)
	if err != nil {
		t.Fatal(err)
	}
	fixed := oldFindings[len(oldFindings)-1]
	if _, err := old.SetFindingStatus(ctx, fixed.ID, checks.StatusClosed, "fixed on site"); err != nil {
		t.Fatal(err)
	}
	oldSLA, _ := old.AchievedLevels(checklist.IEC62443_3_3_2013)
	answers, _ := old.Answers("")

	w, res, err := app.Revisit(ctx, old, filepath.Join(t.TempDir(), "2026"), app.Options{Unencrypted: true, Author: "tester"}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if res.Assets != old.AssetCount() || res.Answers != len(answers) || res.Zones != len(old.Zones()) {
		t.Errorf("revisit took over %+v", res)
	}
	if w.Audit().ID == old.Audit().ID || !strings.Contains(w.Audit().Title, "revisit") || w.Audit().StartDate != today.Format(time.DateOnly) {
		t.Errorf("new audit %+v", w.Audit())
	}
	if abs, _ := filepath.Abs(old.Dir()); w.Baseline() != abs {
		t.Errorf("baseline %q, want %q", w.Baseline(), abs)
	}
	for _, a := range old.Assets() {
		if b, ok := w.Asset(a.ID); !ok || b.Tag != a.Tag || b.Firmware != a.Firmware {
			t.Fatalf("asset %s not carried with its ID", a.Tag)
		}
	}
	// Carried answers do not count until confirmed.
	sla, _ := w.AchievedLevels(checklist.IEC62443_3_3_2013)
	if len(sla) != 0 {
		t.Errorf("SL-A from unconfirmed answers: %v", sla)
	}
	carried, _ := w.CarriedAnswers()
	if carried[checklist.IEC62443_3_3_2013] == 0 {
		t.Fatal("no 3-3 answers carried")
	}
	scada, _ := w.ZoneByName("SCADA & Operations")
	n, err := w.ConfirmCarried(ctx, checklist.IEC62443_3_3_2013, scada.ID, "SR 1.")
	if err != nil || n == 0 {
		t.Fatalf("confirm FR 1 of SCADA: %d %v", n, err)
	}
	// By section ID: FR 2 of SCADA, and nothing outside it.
	before, _ := w.CarriedAnswers()
	n2, err := w.ConfirmCarried(ctx, checklist.IEC62443_3_3_2013, scada.ID, "FR 2")
	if err != nil || n2 == 0 {
		t.Fatalf("confirm section FR 2 of SCADA: %d %v", n2, err)
	}
	after, _ := w.CarriedAnswers()
	if got := before[checklist.IEC62443_3_3_2013] - after[checklist.IEC62443_3_3_2013]; got != n2 {
		t.Errorf("confirming FR 2 took %d answers off the carried count, said %d", got, n2)
	}
	all, _ := w.Answers(checklist.IEC62443_3_3_2013)
	for _, a := range all {
		if a.Zone == scada.ID && strings.HasPrefix(a.Item, "SR 2.") && a.Carried {
			t.Errorf("%s of SCADA still carried after confirming FR 2", a.Item)
		}
		if a.Zone == scada.ID && strings.HasPrefix(a.Item, "SR 3.") && !a.Carried && a.Status != "" {
			t.Errorf("%s of SCADA confirmed with FR 2", a.Item)
		}
	}
	if _, err := w.ConfirmCarried(ctx, checklist.IEC62443_3_3_2013, "", ""); err != nil {
		t.Fatal(err)
	}
	sla, _ = w.AchievedLevels(checklist.IEC62443_3_3_2013)
	for z, v := range oldSLA {
		if sla[z] != v {
			t.Errorf("zone %s SL-A %v after confirming all, was %v", z, sla[z], v)
		}
	}
	// Open findings kept with a note; the fixed one is not carried, and
	// findings about the audit are about the new one.
	fs, _ := w.Findings()
	byID := map[string]checks.Finding{}
	for _, f := range fs {
		byID[f.ID] = f
		if f.Subject.Kind == "audit" && f.Subject.ID != w.Audit().ID {
			t.Errorf("finding %q is about the old audit", f.Title)
		}
	}
	if _, ok := byID[fixed.ID]; ok {
		t.Errorf("the closed finding %q was carried over", fixed.Title)
	}
	kept := 0
	for _, f := range oldFindings[:len(oldFindings)-1] {
		if g, ok := byID[f.ID]; ok && strings.Contains(g.Notes, "Carried over from") {
			kept++
		}
	}
	if kept == 0 {
		t.Error("no open finding carried over with its note")
	}
}
