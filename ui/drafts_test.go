package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// crash ends the shell's session as kill -9 would: no flush, no commit,
// no pending draft written; only what is on disk stays.
func crash(t *testing.T, sh *shell) {
	t.Helper()
	s := sh.s
	sh.s = nil
	s.drafts.mu.Lock()
	s.drafts.closed = true
	for _, tm := range s.drafts.timers {
		tm.Stop()
	}
	s.drafts.mu.Unlock()
	if err := s.ws.Close(); err != nil {
		t.Fatal(err)
	}
}

// reopenShell opens dir again in a new window of the same app, as the
// next start after the crash would.
func reopenShell(t *testing.T, sh *shell, dir string) *shell {
	t.Helper()
	ws, err := app.Open(context.Background(), dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sh2 := newShell(sh.app, sh.opts)
	sh2.win.Resize(fyne.NewSize(1400, 900))
	sh2.attach(ws, false)
	t.Cleanup(sh2.shutdown)
	return sh2
}

// afterDebounce waits until typed input has had time to become a draft.
func afterDebounce() { time.Sleep(draftDelay + 500*time.Millisecond) }

// TestDraftsSurviveACrash: text in the quick-capture row and in a form
// field being edited (not yet left, so not saved) is back after a crash,
// with a notice, and stays unsaved until the auditor commits it.
func TestDraftsSurviveACrash(t *testing.T) {
	sh, dir := newDemoShell(t)
	a := assetsOf(t, sh)
	typeInto(sh, a.capTag, "PLC-777")
	typeInto(sh, a.capType, "plc")
	typeInto(sh, a.capVendor, "Wago")
	test.Type(a.search, "PLC")
	a.filterNow()
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	id, firmware := a.cur.ID, a.cur.Firmware
	typeInto(sh, a.firmware, "V7.7.7-typed")
	afterDebounce()
	crash(t, sh)

	sh2 := reopenShell(t, sh, dir)
	if !strings.Contains(sh2.restoredMsg, "Restored unsaved input from "+time.Now().Format("15:")) {
		t.Errorf("notice %q", sh2.restoredMsg)
	}
	if sh2.specs[sh2.current].title != "Assets" {
		t.Errorf("restored input shown on %s", sh2.specs[sh2.current].title)
	}
	a2 := sh2.screens[sh2.screenIndex("Assets")].(*assetsScreen)
	if a2.capTag.Text != "PLC-777" || a2.capVendor.Text != "Wago" {
		t.Errorf("capture row %q %q, want PLC-777 Wago", a2.capTag.Text, a2.capVendor.Text)
	}
	if a2.cur.ID != id || a2.firmware.Text != "V7.7.7-typed" {
		t.Fatalf("form shows %s with firmware %q, want %s with the typed one", a2.cur.Tag, a2.firmware.Text, id)
	}
	if got, _ := sh2.s.ws.Asset(id); got.Firmware != firmware {
		t.Errorf("restored input was stored before the auditor saw it: %q", got.Firmware)
	}
	// Committed, the draft goes; the capture row, added, too.
	sh2.s.flush()
	enter(a2.capVendor)
	if got, _ := sh2.s.ws.Asset(id); got.Firmware != "V7.7.7-typed" {
		t.Errorf("firmware %q after commit", got.Firmware)
	}
	if n := len(sh2.s.ws.FilterAssets(app.AssetFilter{Text: "PLC-777"})); n != 1 {
		t.Errorf("restored capture row added %d times: %s", n, a2.capMsg.Text)
	}
	if ds, _ := sh2.s.ws.Drafts(); len(ds) != 0 {
		t.Errorf("drafts left after commit: %+v", ds)
	}
}

// TestDraftOfInvalidZoneInputSurvivesACrash: input a form refused stays
// on screen unsaved; it must survive a crash as well.
func TestDraftOfInvalidZoneInputSurvivesACrash(t *testing.T) {
	sh, dir := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ})
	typeInto(sh, z.approvedAt, "13/03/2026")
	enter(z.approvedAt) // refused: stays on screen, unsaved
	afterDebounce()
	crash(t, sh)
	sh2 := reopenShell(t, sh, dir)
	z2 := sh2.screens[sh2.screenIndex("Zones")].(*zonesScreen)
	if sh2.specs[sh2.current].title != "Zones" || z2.cur.ID != demo.ZoneDMZ || z2.approvedAt.Text != "13/03/2026" {
		t.Errorf("zone form: on %s, %s, approved on %q", sh2.specs[sh2.current].title, z2.cur.Name, z2.approvedAt.Text)
	}
}

// TestChecklistNoteDraftSurvivesACrash: a note typed into the checklist
// (not yet left) is back after a crash and saved with its item.
func TestChecklistNoteDraftSurvivesACrash(t *testing.T) {
	sh, dir := newDemoShell(t)
	c := screenOf[*checklistScreen](t, sh, "Checklists")
	selectTemplate(t, c, checklist.IEC62443_3_3_2013)
	item := c.items[c.cur].Item.ID
	key := c.noteDraftKey()
	typeInto(sh, c.notes, "Switch cabinet 4 unlocked")
	afterDebounce()
	crash(t, sh)
	sh2 := reopenShell(t, sh, dir)
	if sh2.restoredMsg == "" {
		t.Error("no notice")
	}
	c2 := sh2.screens[sh2.screenIndex("Checklists")].(*checklistScreen)
	if c2.noteDraftKey() != key || c2.notes.Text != "Switch cabinet 4 unlocked" {
		t.Errorf("checklist shows %s with note %q", c2.noteDraftKey(), c2.notes.Text)
	}
	a, ok := stored(t, sh2.s, checklist.IEC62443_3_3_2013, item, c2.zone)
	if !ok || a.Note != "Switch cabinet 4 unlocked" {
		t.Errorf("note not saved with %s: %+v", item, a)
	}
}

// TestRiskDraftSurvivesACrash: a scenario's title typed on the Risk
// screen (not yet left, so not saved) is back on its tab after a crash.
func TestRiskDraftSurvivesACrash(t *testing.T) {
	sh, dir := newDemoShell(t)
	r := screenOf[*riskScreen](t, sh, "Risk")
	r.tabs.SelectIndex(1)
	r.refresh()
	k := r.register.risks[0]
	r.register.load(k)
	typeInto(sh, r.register.title, " via the vendor laptop")
	afterDebounce()
	crash(t, sh)

	sh2 := reopenShell(t, sh, dir)
	r2 := sh2.screens[sh2.screenIndex("Risk")].(*riskScreen)
	if sh2.specs[sh2.current].title != "Risk" || r2.tabs.SelectedIndex() != 1 || r2.register.cur.ID != k.ID ||
		!strings.HasSuffix(r2.register.title.Text, " via the vendor laptop") {
		t.Fatalf("on %s tab %d, scenario %s titled %q", sh2.specs[sh2.current].title, r2.tabs.SelectedIndex(),
			r2.register.cur.ID, r2.register.title.Text)
	}
	if got, _ := sh2.s.ws.Risk(k.ID); got.Title != k.Title {
		t.Errorf("restored input was stored before the auditor saw it: %q", got.Title)
	}
}
