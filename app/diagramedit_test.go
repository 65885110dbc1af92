package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// twoZones is a workspace with zones "Control" and "SCADA" and two assets
// in Control.
func twoZones(t *testing.T) (w *app.Workspace, ctl, scada assets.Zone, plc, hmi assets.Asset) {
	t.Helper()
	w, _ = newWorkspace(t)
	var err error
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ctl, err = w.SaveZone(assets.Zone{Name: "Control", SLT: assets.UniformSL(2)})
	must(err)
	scada, err = w.SaveZone(assets.Zone{Name: "SCADA", SLT: assets.UniformSL(2)})
	must(err)
	plc, err = w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Zone: ctl.ID})
	must(err)
	hmi, err = w.SaveAsset(assets.Asset{Tag: "HMI-1", Type: assets.TypeHMI, Zone: ctl.ID})
	must(err)
	return
}

func TestConnectZones(t *testing.T) {
	w, ctl, scada, _, _ := twoZones(t)
	head := w.Store().ChangeHead().Seq
	c, err := w.ConnectZones(ctl.ID, scada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Control – SCADA" || c.From != ctl.ID || c.To != scada.ID || c.Direction != assets.Bidirectional || c.ID == "" {
		t.Fatalf("drawn conduit %+v", c)
	}
	if got, ok := w.Conduit(c.ID); !ok || got.Name != c.Name {
		t.Fatal("the drawn conduit is not in the workspace")
	}
	if seq := w.Store().ChangeHead().Seq; seq != head+1 {
		t.Errorf("change log went from %d to %d entries, want one more", head, seq)
	}
	// A second one between the same zones gets a name of its own.
	c2, err := w.ConnectZones(ctl.ID, scada.ID)
	if err != nil || c2.Name != "Control – SCADA (2)" {
		t.Fatalf("second conduit: %q, %v", c2.Name, err)
	}
	if _, err := w.ConnectZones(ctl.ID, ctl.ID); !errors.Is(err, app.ErrSameZone) {
		t.Errorf("conduit to itself: %v", err)
	}
	if _, err := w.ConnectZones(ctl.ID, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("conduit to an unknown zone: %v", err)
	}
	// Undo is a delete.
	if err := w.DeleteConduit(c.ID); err != nil {
		t.Fatal(err)
	}
	if len(w.Conduits()) != 1 {
		t.Errorf("%d conduits after undoing one of two", len(w.Conduits()))
	}
	// Two names of 200 characters still make a valid name.
	long1, err := w.SaveZone(assets.Zone{Name: strings.Repeat("a", assets.MaxShortText)})
	if err != nil {
		t.Fatal(err)
	}
	long2, err := w.SaveZone(assets.Zone{Name: strings.Repeat("b", assets.MaxShortText)})
	if err != nil {
		t.Fatal(err)
	}
	c3, err := w.ConnectZones(long1.ID, long2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := utf8.RuneCountInString(c3.Name); n != 90+3+90 || !strings.Contains(c3.Name, "a… – b") {
		t.Errorf("long names make %q (%d characters)", c3.Name, n)
	}
}

func TestMoveAssets(t *testing.T) {
	w, ctl, scada, plc, hmi := twoZones(t)
	undo, err := w.MoveAssets(ctx, []app.AssetMove{{Asset: plc.ID, Zone: scada.ID}, {Asset: hmi.ID, Zone: ctl.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := w.Asset(plc.ID); a.Zone != scada.ID {
		t.Fatalf("PLC in zone %q, want SCADA", a.Zone)
	}
	// The HMI was in Control already: nothing to undo for it.
	if len(undo) != 1 || undo[0] != (app.AssetMove{Asset: plc.ID, Zone: ctl.ID}) {
		t.Fatalf("undo %+v", undo)
	}
	if n := len(w.FilterAssets(app.AssetFilter{Zone: scada.ID})); n != 1 {
		t.Errorf("%d assets listed in SCADA, want 1", n)
	}
	if _, err := w.MoveAssets(ctx, undo); err != nil {
		t.Fatal(err)
	}
	if a, _ := w.Asset(plc.ID); a.Zone != ctl.ID {
		t.Fatalf("after undo the PLC is in %q", a.Zone)
	}
	// All or nothing: one bad zone moves no asset.
	_, err = w.MoveAssets(ctx, []app.AssetMove{{Asset: plc.ID, Zone: scada.ID}, {Asset: hmi.ID, Zone: "nope"}})
	if !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("move into an unknown zone: %v", err)
	}
	if a, _ := w.Asset(plc.ID); a.Zone != ctl.ID {
		t.Error("a failed move moved an asset")
	}
	if _, err := w.MoveAssets(ctx, []app.AssetMove{{Asset: "nope", Zone: scada.ID}}); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("moving an unknown asset: %v", err)
	}
	// Moving out of every zone is allowed.
	if _, err := w.MoveAssets(ctx, []app.AssetMove{{Asset: hmi.ID}}); err != nil {
		t.Fatal(err)
	}
	if n := len(w.FilterAssets(app.AssetFilter{Zone: app.Unassigned})); n != 1 {
		t.Errorf("%d unassigned assets, want 1", n)
	}
}

func TestPinsAndReset(t *testing.T) {
	w, ctl, scada, _, _ := twoZones(t)
	old, err := w.PinZone(ctl.ID, 120.5, 80)
	if err != nil || old != nil {
		t.Fatalf("first pin: %v, replaced %v", err, old)
	}
	old, err = w.PinZone(ctl.ID, 300, -5) // y below 0 counts as 0
	if err != nil || old == nil || old.X != 120.5 || old.Y != 80 {
		t.Fatalf("second pin: %v, replaced %+v", err, old)
	}
	if _, err := w.PinZone(scada.ID, 10, 20); err != nil {
		t.Fatal(err)
	}
	if _, err := w.PinZone("nope", 1, 1); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("pin of an unknown zone: %v", err)
	}
	if _, err := w.PinZone(ctl.ID, 1, assets.MaxPinCoord*2); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("pin far off the page: %v", err)
	}
	pins, err := w.DiagramPins()
	if err != nil {
		t.Fatal(err)
	}
	if p := pins[ctl.ID]; len(pins) != 2 || p.X != 300 || p.Y != 0 || p.ID != ctl.ID {
		t.Fatalf("pins %+v", pins)
	}
	m, err := w.DiagramModel()
	if err != nil {
		t.Fatal(err)
	}
	if p := m.Pins[scada.ID]; len(m.Pins) != 2 || p.X != 10 || p.Y != 20 {
		t.Errorf("model pins %+v", m.Pins)
	}
	removed, err := w.ResetLayout(ctx)
	if err != nil || len(removed) != 2 {
		t.Fatalf("reset: %v, removed %d", err, len(removed))
	}
	if pins, _ := w.DiagramPins(); len(pins) != 0 {
		t.Fatalf("%d pins after reset", len(pins))
	}
	// Undo of the reset, and of the first pin (unpin scada).
	if err := w.RestorePins(ctx, removed, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.RestorePins(ctx, nil, []string{scada.ID}); err != nil {
		t.Fatal(err)
	}
	pins, _ = w.DiagramPins()
	if p, ok := pins[ctl.ID]; len(pins) != 1 || !ok || p.X != 300 {
		t.Fatalf("pins after undo %+v", pins)
	}
	// A deleted zone's pin is not drawn.
	if err := w.DeleteZone(ctx, ctl.ID); err != nil {
		t.Fatal(err)
	}
	if pins, _ := w.DiagramPins(); len(pins) != 0 {
		t.Errorf("pin of a deleted zone listed: %+v", pins)
	}
	if err := w.UnpinZone(scada.ID); err != nil {
		t.Errorf("unpinning a zone not pinned: %v", err)
	}
}

func TestDiagramNotes(t *testing.T) {
	w, ctl, scada, _, _ := twoZones(t)
	c, err := w.ConnectZones(ctl.ID, scada.ID)
	if err != nil {
		t.Fatal(err)
	}
	n1, err := w.AddDiagramNote(assets.Ref{Kind: "zone", ID: ctl.ID}, "  cabinet door open ", false)
	if err != nil || n1.Text != "cabinet door open" {
		t.Fatalf("note: %q, %v", n1.Text, err)
	}
	n2, err := w.AddDiagramNote(assets.Ref{Kind: "conduit", ID: c.ID}, "any-any rule", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddDiagramNote(assets.Ref{Kind: "zone", ID: "nope"}, "x", false); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("note on an unknown zone: %v", err)
	}
	if _, err := w.AddDiagramNote(assets.Ref{Kind: "zone", ID: ctl.ID}, "", false); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("empty note: %v", err)
	}
	m, err := w.DiagramModel()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Notes) != 2 || m.Notes[0].Text != "cabinet door open" || m.Notes[0].On.ID != ctl.ID ||
		!m.Notes[1].Finding || m.Notes[1].On != (assets.Ref{Kind: "conduit", ID: c.ID}) {
		t.Fatalf("model notes %+v", m.Notes)
	}
	if err := w.DeleteDiagramNote(n1.ID); err != nil {
		t.Fatal(err)
	}
	if notes, _ := w.DiagramNotes(); len(notes) != 1 || notes[0].ID != n2.ID {
		t.Fatalf("notes after delete %+v", notes)
	}
	if err := w.RestoreDiagramNote(n1.ID); err != nil {
		t.Fatal(err)
	}
	// A note on a conduit that went is not drawn.
	if err := w.DeleteConduit(c.ID); err != nil {
		t.Fatal(err)
	}
	if notes, _ := w.DiagramNotes(); len(notes) != 1 || notes[0].ID != n1.ID {
		t.Fatalf("notes after the conduit went %+v", notes)
	}
}

// TestDiagramMarksTravelInBundles: pins and notes reach another laptop in
// a full bundle, and a pin moved there comes back in an incremental one.
func TestDiagramMarksTravelInBundles(t *testing.T) {
	dir := t.TempDir()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	recipients := []string{id.Recipient().String()}
	a, ctl, scada, _, _ := twoZones(t)
	if _, err := a.PinZone(ctl.ID, 400, 90); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddDiagramNote(assets.Ref{Kind: "zone", ID: scada.ID}, "historian here", true); err != nil {
		t.Fatal(err)
	}
	full := filepath.Join(dir, "full.zwb")
	if _, err := bundle.Export(ctx, a, full, bundle.ExportOptions{Recipients: recipients}); err != nil {
		t.Fatal(err)
	}
	info, err := bundle.Inspect(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := bundle.Clone(ctx, filepath.Join(dir, "b"), full, app.Options{Unencrypted: true, Author: "bob"},
		bundle.ImportOptions{IdentityFiles: []string{keyFile}, Trust: []string{info.PublicKey}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	pins, err := b.DiagramPins()
	if err != nil || pins[ctl.ID].X != 400 || pins[ctl.ID].Y != 90 {
		t.Fatalf("pins in the clone: %+v, %v", pins, err)
	}
	notes, err := b.DiagramNotes()
	if err != nil || len(notes) != 1 || notes[0].Text != "historian here" || !notes[0].Finding {
		t.Fatalf("notes in the clone: %+v, %v", notes, err)
	}
	// Bob moves the zone; Alice imports his changes.
	kb, err := bundle.DeviceKey(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Trust(ctx, a, kb.PublicKey, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.PinZone(ctl.ID, 50, 60); err != nil {
		t.Fatal(err)
	}
	back := filepath.Join(dir, "b1.zwb")
	if _, err := bundle.Export(ctx, b, back, bundle.ExportOptions{Recipients: recipients, SinceLast: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.Import(ctx, a, back, bundle.ImportOptions{IdentityFiles: []string{keyFile}}); err != nil {
		t.Fatal(err)
	}
	pins, err = a.DiagramPins()
	if err != nil || pins[ctl.ID].X != 50 || pins[ctl.ID].Y != 60 {
		t.Fatalf("pins after importing bob's move: %+v, %v", pins, err)
	}
}

func TestGroupIntoNewZone(t *testing.T) {
	w, ctl, _, plc, hmi := twoZones(t)
	ctx := context.Background()
	z, undo, err := w.GroupIntoNewZone(ctx, "Packing cell", []string{plc.ID, hmi.ID})
	if err != nil {
		t.Fatal(err)
	}
	if z.Name != "Packing cell" || z.SLT != ctl.SLT {
		t.Errorf("new zone %+v, want the name and the SL-T of Control", z)
	}
	for _, id := range []string{plc.ID, hmi.ID} {
		if a, _ := w.Asset(id); a.Zone != z.ID {
			t.Errorf("%s in zone %q, want the new zone", a.Tag, a.Zone)
		}
	}
	if len(undo) != 2 || undo[0].Zone != ctl.ID {
		t.Errorf("undo %+v, want both back to Control", undo)
	}
	// A name taken by another zone: nothing is made and nothing moves.
	if _, _, err := w.GroupIntoNewZone(ctx, "Control", []string{plc.ID}); err == nil {
		t.Error("a second zone named Control was made")
	}
	if a, _ := w.Asset(plc.ID); a.Zone != z.ID {
		t.Error("a refused grouping moved the asset")
	}
	if _, _, err := w.GroupIntoNewZone(ctx, "Empty", nil); err == nil {
		t.Error("a zone was grouped from no assets")
	}
	if _, ok := w.ZoneByName("Empty"); ok {
		t.Error("a refused grouping left a zone behind")
	}
}

// A "finding here" marker is listed with the findings: a manual finding
// about the same zone, gone with the marker's undo and back with a redo.
func TestFindingMarkerIsAFinding(t *testing.T) {
	w, ctl, _, _, _ := twoZones(t)
	on := assets.Ref{Kind: "zone", ID: ctl.ID}
	n, err := w.AddDiagramNote(on, "Cabinet door open, key in the lock", true)
	if err != nil {
		t.Fatal(err)
	}
	find := func() (checks.Finding, bool) {
		fs, err := w.Findings()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.ID == n.FindingID {
				return f, true
			}
		}
		return checks.Finding{}, false
	}
	f, ok := find()
	if n.FindingID == "" || !ok || f.Subject != on || f.Title != "Cabinet door open, key in the lock" || f.Source != checks.SourceManual {
		t.Fatalf("marker %+v raised %+v (found %v)", n, f, ok)
	}
	if err := w.DeleteDiagramNote(n.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := find(); ok {
		t.Error("the marker's finding outlived its undo")
	}
	if err := w.RestoreDiagramNote(n.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := find(); !ok {
		t.Error("restoring the marker did not bring its finding back")
	}
	// A plain note raises none.
	plain, err := w.AddDiagramNote(on, "Switch replaced in 2025", false)
	if err != nil || plain.FindingID != "" {
		t.Errorf("plain note %+v %v", plain, err)
	}
}
