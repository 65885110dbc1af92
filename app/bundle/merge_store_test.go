package bundle

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// pair is two laptops on one audit that trust each other.
func pair(t *testing.T) (dir string, tm team, a, b *app.Workspace) {
	t.Helper()
	dir, tm = t.TempDir(), newTeam(t)
	a = newAudit(t, filepath.Join(dir, "a"))
	t.Cleanup(func() { a.Close() })
	b = clone(t, exportTo(t, a, dir, "base.zwb", tm, false), filepath.Join(dir, "b"), tm)
	t.Cleanup(func() { b.Close() })
	trustEachOther(t, a, b)
	return dir, tm, a, b
}

func exchange(t *testing.T, dir string, tm team, a, b *app.Workspace) {
	t.Helper()
	fa := exportTo(t, a, dir, "x-a.zwb", tm, true)
	fb := exportTo(t, b, dir, "x-b.zwb", tm, true)
	importInto(t, b, fa, tm)
	importInto(t, a, fb, tm)
}

func mustAsset(t *testing.T, w *app.Workspace, tag string) assets.Asset {
	t.Helper()
	list := w.FilterAssets(app.AssetFilter{Text: tag})
	if len(list) != 1 {
		t.Fatalf("%d assets %q", len(list), tag)
	}
	return *list[0]
}

func TestConcurrentEditsBecomeOneConflict(t *testing.T) {
	dir, tm, a, b := pair(t)
	pa := mustAsset(t, a, "PLC-1")
	pa.Firmware = "from a"
	if _, err := a.SaveAsset(pa); err != nil {
		t.Fatal(err)
	}
	pb := mustAsset(t, b, "PLC-1")
	pb.Firmware = "from b"
	if _, err := b.SaveAsset(pb); err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	if state(t, a.Store()) != state(t, b.Store()) {
		t.Fatal("laptops differ after exchanging concurrent edits")
	}
	ca, err := Conflicts(ctx, a)
	if err != nil || len(ca) != 1 {
		t.Fatalf("conflicts on a: %v %d", err, len(ca))
	}
	c := ca[0]
	// b edited last, so its stamp is higher: b's version stands.
	if got := mustAsset(t, a, "PLC-1").Firmware; got != "from b" || !strings.Contains(string(c.Other), `"firmware":"from a"`) {
		t.Fatalf("current %q, other %s", got, c.Other)
	}
	if c.Kind != store.KindAsset || c.RecordID != pa.ID || c.CurrentMeta.Version.Compare(c.OtherMeta.Version) <= 0 {
		t.Fatalf("conflict %+v", c)
	}
	if err := Resolve(ctx, a, c.ID, RestoreOther); err != nil {
		t.Fatal(err)
	}
	if err := Resolve(ctx, a, c.ID, RestoreOther); !errors.Is(err, ErrNoConflict) {
		t.Fatalf("resolving twice: %v", err)
	}
	if got := mustAsset(t, a, "PLC-1").Firmware; got != "from a" {
		t.Fatalf("restored firmware %q", got)
	}
	exchange(t, dir, tm, a, b)
	for _, w := range []*app.Workspace{a, b} {
		if cs, _ := Conflicts(ctx, w); len(cs) != 0 {
			t.Fatalf("conflicts left after the resolution travelled: %+v", cs)
		}
		if got := mustAsset(t, w, "PLC-1").Firmware; got != "from a" {
			t.Fatalf("firmware %q after resolution", got)
		}
	}
	if state(t, a.Store()) != state(t, b.Store()) {
		t.Fatal("laptops differ after the resolution travelled")
	}
}

func TestDeleteVersusEdit(t *testing.T) {
	dir, tm, a, b := pair(t)
	h := mustAsset(t, a, "HMI-1")
	if err := a.DeleteAsset(h.ID); err != nil {
		t.Fatal(err)
	}
	hb := mustAsset(t, b, "HMI-1")
	hb.Notes = "replaced screen"
	if _, err := b.SaveAsset(hb); err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	// The edit came later and stands; the delete is a conflict to review.
	for _, w := range []*app.Workspace{a, b} {
		if got := mustAsset(t, w, "HMI-1").Notes; got != "replaced screen" {
			t.Fatalf("notes %q", got)
		}
		cs, _ := Conflicts(ctx, w)
		if len(cs) != 1 || !cs[0].OtherMeta.Deleted {
			t.Fatalf("want the delete as conflict, got %+v", cs)
		}
	}
	cs, _ := Conflicts(ctx, b)
	if err := Resolve(ctx, b, cs[0].ID, RestoreOther); err != nil {
		t.Fatal(err)
	}
	if b.AssetCount() != 1 {
		t.Fatalf("after restoring the delete: %d assets", b.AssetCount())
	}
	exchange(t, dir, tm, a, b)
	if a.AssetCount() != 1 || state(t, a.Store()) != state(t, b.Store()) {
		t.Fatalf("delete did not travel: %d assets", a.AssetCount())
	}
	// Keep-current also travels and closes the conflict everywhere.
	p := mustAsset(t, a, "PLC-1")
	p.Model = "a"
	a.SaveAsset(p)
	p = mustAsset(t, b, "PLC-1")
	p.Model = "b"
	b.SaveAsset(p)
	exchange(t, dir, tm, a, b)
	cs, _ = Conflicts(ctx, a)
	if len(cs) != 1 {
		t.Fatalf("%d conflicts", len(cs))
	}
	if err := Resolve(ctx, a, cs[0].ID, KeepCurrent); err != nil {
		t.Fatal(err)
	}
	exchange(t, dir, tm, a, b)
	if cs, _ := Conflicts(ctx, b); len(cs) != 0 || mustAsset(t, b, "PLC-1").Model != "b" {
		t.Fatalf("keep-current: %d conflicts, model %q", len(cs), mustAsset(t, b, "PLC-1").Model)
	}
}

// TestMergeOrderFreeOnWorkspaces runs random edit histories on three real
// workspaces (edits, deletes, restores, resolutions, exchanges of full and
// incremental bundles; at most MaxHistory versions per record), then
// checks on fresh clones that importing two laptops' bundles gives the
// same workspace in either order, that a repeated import changes nothing,
// and that all laptops converge once every bundle reached every laptop.
func TestMergeOrderFreeOnWorkspaces(t *testing.T) {
	seeds := 8
	if testing.Short() {
		seeds = 2
	}
	for seed := range uint64(seeds) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { mergeScenario(t, seed) })
	}
}

func mergeScenario(t *testing.T, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 4711))
	dir, tm := t.TempDir(), newTeam(t)
	a := newAudit(t, filepath.Join(dir, "a"))
	defer a.Close()
	for i := 0; i < 4; i++ {
		if _, err := a.SaveAsset(assets.Asset{Tag: fmt.Sprintf("IED-%d", i), Type: assets.TypeIED}); err != nil {
			t.Fatal(err)
		}
	}
	base := exportTo(t, a, dir, "base.zwb", tm, false)
	b := clone(t, base, filepath.Join(dir, "b"), tm)
	defer b.Close()
	c := clone(t, base, filepath.Join(dir, "c"), tm)
	defer c.Close()
	laptops := []*app.Workspace{a, b, c}
	trustEachOther(t, laptops...)
	var ids []string
	for _, x := range a.Assets() {
		ids = append(ids, x.ID)
	}
	versions := map[string]int{} // versions made per asset since the base
	n := 0
	bundle := func(w *app.Workspace, since bool) string {
		n++
		return exportTo(t, w, dir, fmt.Sprintf("b%03d.zwb", n), tm, since)
	}
	for step := 0; step < 40; step++ {
		w := laptops[rng.IntN(len(laptops))]
		id := ids[rng.IntN(len(ids))]
		if versions[id] >= assets.MaxHistory-2 {
			continue
		}
		switch op := rng.IntN(10); {
		case op < 4:
			x, ok := w.Asset(id)
			if !ok {
				if err := w.Restore(store.KindAsset, id); err != nil {
					t.Fatal(err)
				}
			} else {
				x.Notes = fmt.Sprintf("step %d on %s", step, w.Dir())
				if _, err := w.SaveAsset(x); err != nil {
					t.Fatal(err)
				}
			}
			versions[id]++
		case op < 6:
			if _, ok := w.Asset(id); ok {
				if err := w.DeleteAsset(id); err != nil {
					t.Fatal(err)
				}
				versions[id]++
			}
		case op < 7:
			cs, err := Conflicts(ctx, w)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) > 0 {
				cf := cs[rng.IntN(len(cs))]
				if versions[cf.RecordID] >= assets.MaxHistory-2 {
					continue
				}
				how := []Resolution{KeepCurrent, RestoreOther}[rng.IntN(2)]
				if err := Resolve(ctx, w, cf.ID, how); err != nil {
					t.Fatal(err)
				}
				versions[cf.RecordID]++
			}
		default:
			to := laptops[rng.IntN(len(laptops))]
			if to != w {
				importInto(t, to, bundle(w, rng.IntN(2) == 0), tm)
			}
		}
	}
	finals := []string{bundle(a, false), bundle(b, false), bundle(c, true)}
	// Two fresh laptops from the base, the finals in opposite orders.
	x := clone(t, base, filepath.Join(dir, "x"), tm)
	defer x.Close()
	y := clone(t, base, filepath.Join(dir, "y"), tm)
	defer y.Close()
	trustEachOther(t, append(laptops, x, y)...)
	for _, f := range finals {
		importInto(t, x, f, tm)
	}
	for _, f := range slices.Backward(finals) {
		importInto(t, y, f, tm)
	}
	sx := state(t, x.Store())
	if sy := state(t, y.Store()); sx != sy {
		t.Fatalf("import order matters:\n%s\n---\n%s", sx, sy)
	}
	again := importInto(t, x, finals[1], tm)
	if again.Added+again.Updated+again.Conflicts+again.Resolved != 0 || state(t, x.Store()) != sx {
		t.Fatalf("repeated import changed the workspace: %+v", again.MergeStats)
	}
	// Every laptop gets every final bundle: all agree with x.
	for i, w := range laptops {
		for j, f := range finals {
			if i != j {
				importInto(t, w, f, tm)
			}
		}
		if s := state(t, w.Store()); s != sx {
			t.Fatalf("laptop %d did not converge:\n%s\n---\n%s", i, s, sx)
		}
	}
	cs, _ := Conflicts(ctx, x)
	t.Logf("seed %d: %d bundles, %d open conflicts at the end", seed, n, len(cs))
}
