package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

func openRisk(t *testing.T) (*session, *riskScreen) {
	t.Helper()
	s := demoSession(t)
	r := newRiskScreen(s)
	s.win.SetContent(r.build())
	r.refresh()
	return s, r
}

// A scenario added and typed on the register is stored, counted in its
// matrix cell, and makes the zone's levels tab suggest an SL-T that one
// tap accepts, with the basis said.
func TestRiskRegisterToAcceptedSLT(t *testing.T) {
	s, r := openRisk(t)
	r.tabs.SelectIndex(1)
	reg := r.register
	before := len(reg.risks)
	r.newRecord()
	r.refresh() // as the shell does after every change
	if reg.cur.ID == "" || len(reg.risks) != before+1 {
		t.Fatalf("Ctrl+N added no scenario: %d listed", len(reg.risks))
	}
	zone := s.ws.Zones()[0]
	test.Type(reg.title, "Ransomware through the vendor VPN")
	reg.scope.SetSelected("Zone: " + zone.Name)
	reg.attacker.SetSelectedIndex(3)
	reg.frs[0].SetChecked(true)
	reg.frs[4].SetChecked(true)
	reg.likelihood.SetSelectedIndex(4)
	reg.impact.SetSelectedIndex(5)
	reg.ed.commit()

	stored, err := s.ws.Risk(reg.cur.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(stored.Title, "Ransomware through the vendor VPN") || stored.Scope != (assets.Ref{Kind: "zone", ID: zone.ID}) ||
		stored.Attacker != 3 || stored.Likelihood != 4 || stored.Impact != 5 || len(stored.FRs) != 2 {
		t.Fatalf("stored %+v", stored)
	}
	s.changed()
	r.refresh()
	if !strings.HasPrefix(reg.line(&stored), "20 above tolerable · ") {
		t.Errorf("list line %q, want the risk 4×5 = 20 above the tolerable line", reg.line(&stored))
	}

	// Levels: the zone's suggestion is 3 in FR 1 and FR 5.
	r.tabs.SelectIndex(0)
	lv := r.levels
	lv.show(zone.ID)
	want, _, err := s.ws.SuggestZoneSLT(zone.ID)
	if err != nil || want[0] != 3 || want[4] != 3 || want[1] != 0 {
		t.Fatalf("suggestion %v %v, want 3 in FR 1 and FR 5 only", want, err)
	}
	if lv.accept.Disabled() {
		t.Fatal("Accept is disabled for a zone whose SL-T differs from the suggestion")
	}
	test.Tap(lv.accept)
	z, _ := s.ws.Zone(zone.ID)
	if z.SLT != want || z.SLTBasis.Source != assets.BasisRisk {
		t.Fatalf("after Accept: SL-T %v basis %+v, want %v from risk", z.SLT, z.SLTBasis, want)
	}
	lv.refresh()
	if !strings.Contains(lv.basis.Text, "accepted from the risk assessment") || !lv.accept.Disabled() {
		t.Errorf("basis %q, accept disabled %v", lv.basis.Text, lv.accept.Disabled())
	}
	if got := lv.chart.Objects[0].(*frChart).target; got == nil || *got != want {
		t.Errorf("chart SL-T mark %v, want %v", got, want)
	}
}

// A deleted countermeasure comes back with the undo the shell offers.
func TestRiskDeleteUndo(t *testing.T) {
	s, r := openRisk(t)
	r.tabs.SelectIndex(2)
	r.newRecord()
	cm := r.cms.cur
	if cm.ID == "" {
		t.Fatal("no countermeasure added")
	}
	var undo func() error
	s.undo = func(_ string, fn func() error) { undo = fn }
	r.cms.deleteSelected()
	if _, err := s.ws.Countermeasure(cm.ID); err == nil {
		t.Fatal("deleted countermeasure still there")
	}
	if undo == nil {
		t.Fatal("delete offered no undo")
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	back, err := s.ws.Countermeasure(cm.ID)
	if err != nil || back.Name != cm.Name {
		t.Fatalf("undo: %+v %v", back, err)
	}
}

// "A Met answer needs evidence" on the Overview is the audit's setting:
// ticked, Met answers without evidence stop counting toward SL-A.
func TestMetNeedsEvidenceSetting(t *testing.T) {
	s := demoSession(t)
	o := openOverview(s)
	before, err := s.ws.AchievedLevels(checklist.IEC62443_3_3_2013)
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(o.metNeedsEvidence)
	if !s.ws.Audit().MetNeedsEvidence {
		t.Fatal("ticking the box did not store the setting")
	}
	after, err := s.ws.AchievedLevels(checklist.IEC62443_3_3_2013)
	if err != nil {
		t.Fatal(err)
	}
	lower := false
	for z, v := range before {
		for i := range v {
			if after[z][i] > v[i] {
				t.Errorf("zone %s FR %d rose from %d to %d", z, i+1, v[i], after[z][i])
			}
			if after[z][i] < v[i] {
				lower = true
			}
		}
	}
	if !lower {
		t.Error("no SL-A fell although the demo's Met answers carry no evidence")
	}
}
