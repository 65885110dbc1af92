package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// dialogShown reports whether a dialog with a button labelled text is up.
func dialogShown(sh *shell, text string) bool {
	if top := sh.win.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return true
			}
		}
	}
	return false
}

// badIPAndNewFirmware selects the first PLC and types an invalid IP and a
// valid firmware into its form: the save is refused for the IP.
func badIPAndNewFirmware(t *testing.T, sh *shell) (a *assetsScreen, orig assets.Asset) {
	t.Helper()
	a = assetsOf(t, sh)
	test.Type(a.search, "PLC")
	a.filterNow()
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	orig = a.cur
	if orig.ID == "" || len(a.rows) < 2 {
		t.Fatal("no PLCs in the demo")
	}
	typeInto(sh, a.ips, "300.1.1.1")
	sh.win.Canvas().Unfocus()
	if !a.errs.box.Visible() {
		t.Fatal("invalid IP not explained")
	}
	typeInto(sh, a.firmware, "V9.9.9-field")
	sh.win.Canvas().Unfocus()
	return a, orig
}

// TestLeavingInvalidFormAsksAndSavesWhatIsValid: a firmware change typed
// next to an invalid IP survived selecting another asset only by luck
// before (it was dropped without a word). Now the auditor is asked, and
// "Save what is valid" stores the firmware and keeps the stored IP.
func TestLeavingInvalidFormAsksAndSavesWhatIsValid(t *testing.T) {
	sh, dir := newDemoShell(t)
	a, orig := badIPAndNewFirmware(t, sh)
	other := *a.rows[1]
	a.table.Select(widget.TableCellID{Row: 1, Col: 1})
	if !dialogShown(sh, "Save what is valid") || !dialogShown(sh, "Keep editing") || !dialogShown(sh, "Discard") {
		t.Fatal("selecting another asset with an invalid IP on screen did not ask")
	}
	if a.cur.ID != orig.ID || a.ips.Text != "300.1.1.1" {
		t.Fatalf("the form changed before the answer: %s, IP %q", a.cur.Tag, a.ips.Text)
	}
	test.Tap(dialogButton(t, sh.win, "Save what is valid"))
	if a.cur.ID != other.ID {
		t.Errorf("after saving, %s is shown, want %s", a.cur.Tag, other.Tag)
	}
	ws := reopen(t, sh, dir)
	got, _ := ws.Asset(orig.ID)
	if got.Firmware != "V9.9.9-field" {
		t.Errorf("firmware %q, want the valid edit stored", got.Firmware)
	}
	if strings.Join(got.IPs, " ") != strings.Join(orig.IPs, " ") {
		t.Errorf("IPs %v, want the stored %v kept", got.IPs, orig.IPs)
	}
}

// TestLeavingInvalidFormKeepEditingAndDiscard: Keep editing stays on the
// record with the input; Discard shows the record as stored and moves on.
func TestLeavingInvalidFormKeepEditingAndDiscard(t *testing.T) {
	sh, dir := newDemoShell(t)
	a, orig := badIPAndNewFirmware(t, sh)
	a.table.Select(widget.TableCellID{Row: 1, Col: 1})
	test.Tap(dialogButton(t, sh.win, "Keep editing"))
	if a.cur.ID != orig.ID || a.ips.Text != "300.1.1.1" || a.firmware.Text != "V9.9.9-field" {
		t.Fatalf("keep editing lost the input: %s, %q, %q", a.cur.Tag, a.ips.Text, a.firmware.Text)
	}
	// Switching screens asks too.
	sh.navigate("Zones")
	if sh.specs[sh.current].title != "Assets" || !dialogShown(sh, "Discard") {
		t.Fatalf("switching to Zones with unsaved input: on %s, asked %v", sh.specs[sh.current].title, dialogShown(sh, "Discard"))
	}
	test.Tap(dialogButton(t, sh.win, "Discard"))
	if sh.specs[sh.current].title != "Zones" {
		t.Errorf("Discard did not go on to Zones")
	}
	ws := reopen(t, sh, dir)
	got, _ := ws.Asset(orig.ID)
	if got.Firmware != orig.Firmware || strings.Join(got.IPs, " ") != strings.Join(orig.IPs, " ") {
		t.Errorf("discarded input stored: %+v", got)
	}
}

// TestQuitWithInvalidInputAsks: Ctrl+Q with an invalid IP on screen quit
// without a word; now it asks, and only quits after an answer.
func TestQuitWithInvalidInputAsks(t *testing.T) {
	sh, _ := newDemoShell(t)
	quit := 0
	sh.exit = func() { quit++ }
	a := assetsOf(t, sh)
	test.Type(a.search, "PLC")
	a.filterNow()
	a.table.Select(widget.TableCellID{Row: 0, Col: 1})
	typeInto(sh, a.ips, "300.1.1.1") // still in the field: Ctrl+Q commits it
	sh.quit()
	if quit != 0 || !dialogShown(sh, "Keep editing") {
		t.Fatalf("quit with an invalid IP: quit %d times, asked %v", quit, dialogShown(sh, "Keep editing"))
	}
	test.Tap(dialogButton(t, sh.win, "Keep editing"))
	if quit != 0 || a.ips.Text != "300.1.1.1" {
		t.Fatalf("keep editing: quit %d, IP %q", quit, a.ips.Text)
	}
	sh.quit()
	test.Tap(dialogButton(t, sh.win, "Save what is valid"))
	if quit != 1 {
		t.Errorf("quit %d times after saving what is valid, want 1", quit)
	}
	// A form with nothing unsaved quits at once.
	sh.quit()
	if quit != 2 || dialogShown(sh, "Discard") {
		t.Errorf("quit with nothing unsaved: quit %d, asked %v", quit, dialogShown(sh, "Discard"))
	}
}

// TestZoneFormInvalidDateAsksBeforeAnotherZone covers a second form: the
// zones' rationale, with a valid description next to a bad date.
func TestZoneFormInvalidDateAsksBeforeAnotherZone(t *testing.T) {
	sh, dir := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	if !z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ}) {
		t.Fatal("reveal failed")
	}
	orig := z.cur
	typeInto(sh, z.desc, "Checked on site")
	typeInto(sh, z.approvedAt, "13/03/2026")
	enter(z.approvedAt)
	for i, zn := range z.zones {
		if zn.ID != demo.ZoneDMZ {
			z.list.Select(i)
			break
		}
	}
	test.Tap(dialogButton(t, sh.win, "Save what is valid"))
	ws := reopen(t, sh, dir)
	got, _ := ws.Zone(demo.ZoneDMZ)
	if got.Description != "Checked on site" || got.Rationale.ApprovedAt != orig.Rationale.ApprovedAt {
		t.Errorf("zone stored with description %q, approved on %q", got.Description, got.Rationale.ApprovedAt)
	}
}

func TestRevertFieldsByValidationName(t *testing.T) {
	cur := assets.Zone{Name: "Z", Rationale: assets.Rationale{ApprovedAt: "2026-01-01", Text: "old"}}
	cur.Version.Wall = 1_771_000_000_123_456_789 // does not survive a float64
	ed := cur
	ed.Name, ed.Rationale.ApprovedAt, ed.Rationale.Text, ed.SLT[2] = "Z2", "bad", "new", 9
	got, changed, err := revertFields(cur, ed, []string{"rationale.approved_at", "sl_t.SI"})
	if err != nil || !changed {
		t.Fatal(changed, err)
	}
	if got.Name != "Z2" || got.Rationale.ApprovedAt != "2026-01-01" || got.Rationale.Text != "new" || got.SLT != cur.SLT || got.Version != cur.Version {
		t.Errorf("reverted %+v", got)
	}
}
