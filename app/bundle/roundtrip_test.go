package bundle

import (
	"path/filepath"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

func TestRoundTripBetweenTwoWorkspaces(t *testing.T) {
	dir := t.TempDir()
	tm := newTeam(t)
	a := newAudit(t, filepath.Join(dir, "a"))
	defer a.Close()
	full := exportTo(t, a, dir, "full.zwb", tm, false)
	b := clone(t, full, filepath.Join(dir, "b"), tm)
	defer b.Close()
	if got, want := state(t, b.Store()), state(t, a.Store()); got != want {
		t.Fatalf("clone differs from source:\n%s\n---\n%s", got, want)
	}
	if b.Audit().ID != a.Audit().ID || b.AssetCount() != 2 || len(b.Zones()) != 1 {
		t.Fatalf("clone inventory: audit %q assets %d zones %d", b.Audit().ID, b.AssetCount(), len(b.Zones()))
	}
	// The photo travelled, checked against its hash.
	plc := b.FilterAssets(appFilter("PLC-1"))[0]
	evs, err := b.Evidence(assets.Ref{Kind: "asset", ID: plc.ID})
	if err != nil || len(evs) != 1 {
		t.Fatalf("evidence: %v %d", err, len(evs))
	}
	if data, err := b.EvidenceData(evs[0]); err != nil || string(data) != "\xff\xd8\xff photo of the PLC cabinet" {
		t.Fatalf("evidence data: %v %q", err, data)
	}

	// Edits both ways, then exchange incremental bundles.
	trustEachOther(t, a, b)
	pa := *plc
	pa.Firmware = "V4.2"
	if _, err := a.SaveAsset(pa); err != nil {
		t.Fatal(err)
	}
	hmi := b.FilterAssets(appFilter("HMI-1"))[0]
	if err := b.DeleteAsset(hmi.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SaveAsset(assets.Asset{Tag: "EWS-1", Type: assets.TypeEWS}); err != nil {
		t.Fatal(err)
	}
	fromA := exportTo(t, a, dir, "a1.zwb", tm, true)
	fromB := exportTo(t, b, dir, "b1.zwb", tm, true)
	rb := importInto(t, b, fromA, tm)
	ra := importInto(t, a, fromB, tm)
	if rb.Updated != 1 || ra.Added != 1 || ra.Updated != 1 {
		t.Errorf("stats: into b %+v, into a %+v", rb.MergeStats, ra.MergeStats)
	}
	if got, want := state(t, b.Store()), state(t, a.Store()); got != want {
		t.Fatalf("workspaces differ after exchange:\n%s\n---\n%s", got, want)
	}
	if a.AssetCount() != 2 || b.AssetCount() != 2 {
		t.Fatalf("asset counts %d %d, want 2", a.AssetCount(), b.AssetCount())
	}
	if got, _ := a.Asset(plc.ID); got.Firmware != "V4.2" {
		t.Fatalf("firmware %q", got.Firmware)
	}
	if _, ok := a.Asset(hmi.ID); ok {
		t.Fatal("deleted HMI still live in a")
	}
	// Importing again changes nothing.
	before := state(t, a.Store())
	again := importInto(t, a, fromB, tm)
	if again.Added+again.Updated+again.Conflicts+again.Resolved+again.Blobs != 0 || state(t, a.Store()) != before {
		t.Fatalf("second import changed something: %+v", again)
	}
	_ = store.KindAsset
}
