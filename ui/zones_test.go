package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// TestCreateZoneThroughWidgets adds a zone with the Add button, names it,
// sets its SL-T with the one-number shortcut and finds it on disk.
func TestCreateZoneThroughWidgets(t *testing.T) {
	sh, dir := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	before := len(z.s.ws.Zones())
	test.Tap(z.addBtn)
	if got := len(z.s.ws.Zones()); got != before+1 {
		t.Fatalf("%d zones after Add, want %d", got, before+1)
	}
	if sh.win.Canvas().Focused() != z.name {
		t.Fatal("the new zone's name field does not have the cursor")
	}
	test.Type(z.name, "Pump house")
	enter(z.name)
	typeInto(sh, z.slt.all, "3")
	sh.win.Canvas().Focus(z.desc) // leaving the field commits it
	test.Type(z.desc, "Booster pumps and their RTU")
	sh.win.Canvas().Unfocus() // leaving the description commits it
	test.Tap(z.levels[1])     // L1
	test.Tap(z.levels[2])     // L2

	ws := reopen(t, sh, dir)
	zn, ok := ws.ZoneByName("Pump house")
	if !ok {
		t.Fatalf("zone not stored; zones: %v", zoneNames(ws.Zones()))
	}
	if zn.SLT != assets.UniformSL(3) {
		t.Errorf("SL-T %v, want SL 3 on every FR", zn.SLT)
	}
	if zn.Description != "Booster pumps and their RTU" {
		t.Errorf("description %q", zn.Description)
	}
	if len(zn.PurdueLevels) != 2 || zn.TopLevel() != assets.Purdue2 {
		t.Errorf("Purdue levels %v", zn.PurdueLevels)
	}
}

func zoneNames(zs []assets.Zone) []string {
	var out []string
	for _, z := range zs {
		out = append(out, z.Name)
	}
	return out
}

// TestZoneValidationShownAndNotSaved: a bad date is explained next to the
// form and the stored zone keeps its good value.
func TestZoneValidationShownAndNotSaved(t *testing.T) {
	sh, dir := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	if !z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ}) {
		t.Fatal("reveal failed")
	}
	typeInto(sh, z.approvedAt, "12/03/2026")
	enter(z.approvedAt)
	if !z.errs.box.Visible() {
		t.Fatal("no error shown")
	}
	msg := z.errs.label.Text
	if !strings.Contains(msg, "Approved on") || !strings.Contains(msg, "12/03/2026") || !strings.Contains(msg, "YYYY-MM-DD") {
		t.Errorf("error %q does not say which field, which value and why", msg)
	}
	typeInto(sh, z.approvedAt, "2026-03-13")
	enter(z.approvedAt)
	if z.errs.box.Visible() {
		t.Errorf("error still shown after correcting: %q", z.errs.label.Text)
	}
	// A single SL shortcut that is out of range is refused in place.
	typeInto(sh, z.slt.all, "7")
	enter(z.slt.all)
	if !z.slt.problem.Visible() {
		t.Error("SL-T 7 accepted")
	}
	ws := reopen(t, sh, dir)
	zn, _ := ws.Zone(demo.ZoneDMZ)
	if zn.Rationale.ApprovedAt != "2026-03-13" {
		t.Errorf("approved on %q, want the corrected date", zn.Rationale.ApprovedAt)
	}
}

// TestDeleteZoneAndUndo deletes a zone with assets and undoes it with
// Ctrl+Z: the zone and its assets' membership come back.
func TestDeleteZoneAndUndo(t *testing.T) {
	sh, dir := newDemoShell(t)
	z := screenOf[*zonesScreen](t, sh, "Zones")
	// Conduits join the DMZ, so deleting it is refused with a reason.
	z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ})
	test.Tap(z.deleteBtn)
	if _, ok := z.s.ws.Zone(demo.ZoneDMZ); !ok {
		t.Fatal("a zone joined by conduits was deleted")
	}
	if top := sh.win.Canvas().Overlays().Top(); top == nil {
		t.Error("refusal not explained")
	} else {
		top.Hide()
	}
	// The transient zone: delete the conduits joining it first.
	for _, c := range z.s.ws.Conduits() {
		if c.From == demo.ZoneTransient || c.To == demo.ZoneTransient {
			if err := z.s.ws.DeleteConduit(c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	members := len(z.s.ws.FilterAssets(app.AssetFilter{Zone: demo.ZoneTransient}))
	if members == 0 {
		t.Fatal("demo transient zone has no assets")
	}
	z.reveal(assets.Ref{Kind: "zone", ID: demo.ZoneTransient})
	test.Tap(z.deleteBtn)
	if _, ok := z.s.ws.Zone(demo.ZoneTransient); ok {
		t.Fatal("zone not deleted")
	}
	if !sh.undoBar.Visible() || !strings.Contains(sh.undoText.Text, "Transient Devices") {
		t.Fatalf("undo bar %v %q", sh.undoBar.Visible(), sh.undoText.Text)
	}
	sh.win.Canvas().Unfocus()
	sh.editUndo() // Ctrl+Z outside a text field
	if sh.undoBar.Visible() {
		t.Error("undo bar still shown")
	}
	ws := reopen(t, sh, dir)
	if _, ok := ws.Zone(demo.ZoneTransient); !ok {
		t.Fatal("zone not restored")
	}
	if got := len(ws.FilterAssets(app.AssetFilter{Zone: demo.ZoneTransient})); got != members {
		t.Errorf("%d assets back in the zone, want %d", got, members)
	}
}
