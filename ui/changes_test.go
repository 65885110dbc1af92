package ui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/checklist"
)

// revisitSession is a session on a revisit of the demo audit, in which one
// asset was deleted and one zone's SL-T raised.
func revisitSession(t *testing.T) *session {
	t.Helper()
	ctx := context.Background()
	a := test.NewTempApp(t)
	dir := t.TempDir()
	old, err := demo.Create(ctx, filepath.Join(dir, "old"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	ws, _, err := app.Revisit(ctx, old, filepath.Join(dir, "new"), app.Options{Unencrypted: true, Author: "tester"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	if err := ws.DeleteAsset(ws.Assets()[0].ID); err != nil {
		t.Fatal(err)
	}
	z := ws.Zones()[0]
	z.SLT[0] = 4
	if _, err := ws.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Close)
	return &session{fyneApp: a, win: w, ws: ws}
}

func openOverview(s *session) *overviewScreen {
	o := newOverviewScreen(s)
	s.win.SetContent(o.build())
	o.refresh()
	return o
}

func TestChangesPanelCompareAndConfirm(t *testing.T) {
	s := revisitSession(t)
	o := openOverview(s)
	c := &o.changes
	if !c.box.Visible() {
		t.Fatal("a revisit shows no Changes panel")
	}
	if want := "Compare with old"; c.compare.Text != want {
		t.Errorf("button says %q, want %q", c.compare.Text, want)
	}
	carried := c.carriedCount()
	if carried == 0 || !c.carried.Visible() || !strings.HasPrefix(c.carried.Text, answersText(carried)) {
		t.Fatalf("carried answers: %d, shown %v %q", carried, c.carried.Visible(), c.carried.Text)
	}

	// Confirmed answers count again, so only the zone edited here
	// changes its levels.
	if err := await(t, c.confirmAll); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("Confirmed %d carried answers", carried); !strings.HasPrefix(c.status.Text, want) {
		t.Errorf("status %q, want it to start with %q", c.status.Text, want)
	}
	if n := c.carriedCount(); n != 0 || c.carried.Visible() || c.confirm.Visible() {
		t.Errorf("after confirming: %d carried, label shown %v, button shown %v", n, c.carried.Visible(), c.confirm.Visible())
	}

	if err := await(t, c.onCompare); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Assets: 0 added, 1 removed, 0 changed.", "1 zone with SL-T or SL-A changed",
		"Conduits: 0 added, 0 removed, 0 changed."} {
		if !strings.Contains(c.counts.Text, want) {
			t.Errorf("counts %q lack %q", c.counts.Text, want)
		}
	}
	z := s.ws.Zones()[0]
	if !strings.Contains(c.details.Text, "Asset removed: ") || !strings.Contains(c.details.Text, "Zone changed: "+z.Name+" (") {
		t.Errorf("details lack the removed asset or the zone %q:\n%s", z.Name, c.details.Text)
	}
	// One chart: the zone whose SL-T was raised, its FR 1 mark at 4.
	var charts []*frChart
	for _, o := range c.charts.Objects {
		if ch, ok := o.(*frChart); ok {
			charts = append(charts, ch)
		}
	}
	if len(charts) != 1 || charts[0].title != shortName(z.Name, 22) || charts[0].target == nil || charts[0].target[0] != 4 {
		t.Fatalf("level charts %+v, want one for %q with SL-T FR 1 = 4", charts, z.Name)
	}
	before, after := charts[0].series[0].v, charts[0].series[1].v
	if !sameLevels(before, after) {
		t.Errorf("SL-A before %v and after %v should be equal once every answer is confirmed", before, after)
	}
	want := "– → –" // the zone has no 3-3 answers in the demo
	if before != nil {
		want = fmt.Sprintf("%d → %d", before[0], after[0])
	}
	if got := charts[0].numbers(0); got != want {
		t.Errorf("FR 1 reads %q, want %q", got, want)
	}
	if c.last.Counts.Findings.StillOpen == 0 {
		t.Error("no finding still open after a revisit of the demo")
	}
	// The filled panel scrolls with the rest of the column: the screen
	// still fits the smallest window supported.
	if m := s.win.Content().MinSize(); m.Width > 1280 || m.Height > 768 {
		t.Errorf("the Overview with the changes shown needs %v×%v", m.Width, m.Height)
	}
}

// answersText is how the panel counts answers.
func answersText(n int) string {
	if n == 1 {
		return "1 answer"
	}
	return fmt.Sprintf("%d answers", n)
}

func TestChangesPanelHiddenWithoutBaseline(t *testing.T) {
	o := openOverview(demoSession(t))
	if o.changes.box.Visible() {
		t.Error("an audit that revisits nothing shows the Changes panel")
	}
}

// The PDF of a revisit has the changes since the previous audit; when the
// previous audit is gone the report is written without them and says so.
func TestReportOfARevisitHasTheChanges(t *testing.T) {
	needPdftotext(t)
	s := revisitSession(t)
	r := newReportScreen(s)
	s.win.SetContent(r.build())
	r.refresh()
	r.noZones.SetChecked(true)
	const section = "Changes since the previous audit"
	write := func(name string) string {
		t.Helper()
		pdf := filepath.Join(t.TempDir(), name)
		r.path.SetText(pdf)
		if err := await(t, r.onGenerate); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("pdftotext", pdf, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	if text := write("with.pdf"); !strings.Contains(text, section) {
		t.Errorf("the report of a revisit lacks %q", section)
	}
	if strings.Contains(r.result.Text, "left out") {
		t.Errorf("result says %q", r.result.Text)
	}
	if err := os.Rename(s.ws.Baseline(), s.ws.Baseline()+".moved"); err != nil {
		t.Fatal(err)
	}
	if text := write("without.pdf"); strings.Contains(text, section) {
		t.Errorf("the report has %q without its baseline", section)
	}
	if !strings.Contains(r.result.Text, "Wrote ") || !strings.Contains(r.result.Text, `"`+section+`" is left out`) {
		t.Errorf("result says %q", r.result.Text)
	}
}

// On the Checklists screen of a revisit, a carried answer says so, and C
// confirms the carried answers of its section in this zone, and no more.
func TestChecklistConfirmCarriedSection(t *testing.T) {
	s := revisitSession(t)
	c := newChecklistScreen(s)
	s.win.SetContent(c.build())
	c.refresh()
	selectTemplate(t, c, checklist.IEC62443_3_3_2013)
	// The first zone with carried answers in FR 2 and FR 3.
	found := false
	for i := range c.scopes {
		c.zoneSel.SetSelectedIndex(i)
		if c.carriedIn("FR 2") > 0 && c.carriedIn("FR 3") > 0 {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("no zone of the revisit has carried answers in FR 2 and FR 3")
	}
	for _, ap := range c.items {
		if a := c.answers[ap.Item.ID]; a.Carried && ap.Item.Section == "FR 2" {
			c.jumpToItem(ap.Item.ID)
			break
		}
	}
	if it := c.items[c.cur].Item; it.Section != "FR 2" || !c.carriedRow.Visible() {
		t.Fatalf("carried answer %s (section %s) shows no carried notice", it.ID, it.Section)
	}
	want := c.carriedIn("FR 2")
	if want == 0 || !strings.Contains(c.confirmSec.Text, fmt.Sprintf("Confirm %d carried answers of section FR 2", want)) {
		t.Fatalf("button %q for %d carried answers", c.confirmSec.Text, want)
	}
	others := c.carriedIn("FR 3")
	if err := await(t, func(then func(error)) { c.confirmSection("FR 2", then) }); err != nil {
		t.Fatal(err)
	}
	for _, a := range c.answers {
		if a.Carried && strings.HasPrefix(a.Item, "SR 2.") {
			t.Errorf("%s still carried after confirming FR 2", a.Item)
		}
	}
	if got := c.carriedIn("FR 3"); got != others {
		t.Errorf("FR 3 carried answers went from %d to %d", others, got)
	}
	// Stored, not only on screen, and only in this zone.
	list, _ := s.ws.Answers(checklist.IEC62443_3_3_2013)
	otherZone := 0
	for _, a := range list {
		if a.Zone == c.zone && strings.HasPrefix(a.Item, "SR 2.") && a.Carried {
			t.Errorf("stored %s still carried", a.Item)
		}
		if a.Zone != c.zone && strings.HasPrefix(a.Item, "SR 2.") && a.Carried {
			otherZone++
		}
	}
	if otherZone == 0 {
		t.Error("confirming one zone's section confirmed other zones' answers too")
	}
	if c.carriedRow.Visible() {
		t.Error("the carried notice is still shown after confirming")
	}
}

func TestBaselinePassForgottenWhenTheSessionEnds(t *testing.T) {
	s := revisitSession(t)
	s.quit = make(chan struct{})
	s.drafts = newDrafter(s.ws, draftDelay)
	pass := []byte("correct horse")
	baselinePasses.Store(s, pass)
	if err := s.end(); err != nil {
		t.Fatal(err)
	}
	if _, ok := baselinePasses.Load(s); ok {
		t.Error("the baseline passphrase outlives its session")
	}
	if string(pass) != strings.Repeat("\x00", len(pass)) {
		t.Errorf("the passphrase was not wiped: %q", pass)
	}
}
