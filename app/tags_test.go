package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func newTagAudit(t *testing.T) *app.Workspace {
	t.Helper()
	w, err := app.Create(context.Background(), filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true}, assets.Audit{Title: "Tags"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	for _, tag := range []string{"PLC-303", "HMI-1"} {
		if _, err := w.SaveAsset(assets.Asset{Tag: tag, Type: assets.TypePLC}); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// TestTagsAreUnique: a new asset, or a renamed one, cannot take a tag
// another live asset has, ignoring case and surrounding spaces; the error
// says which field and which asset.
func TestTagsAreUnique(t *testing.T) {
	w := newTagAudit(t)
	for _, tag := range []string{"PLC-303", "plc-303", "  Plc-303 "} {
		_, err := w.SaveAsset(assets.Asset{Tag: tag, Type: assets.TypePLC})
		var ve *assets.ValidationError
		if !errors.Is(err, app.ErrDuplicateTag) || !errors.As(err, &ve) || ve.Fields[0].Field != "tag" {
			t.Errorf("new asset tagged %q: %v, want a duplicate-tag error on the tag field", tag, err)
		}
	}
	hmi := w.FilterAssets(app.AssetFilter{Text: "HMI-1"})[0]
	renamed := *hmi
	renamed.Tag = "plc-303"
	if _, err := w.SaveAsset(renamed); !errors.Is(err, app.ErrDuplicateTag) || !strings.Contains(err.Error(), "PLC-303") {
		t.Errorf("renaming to an existing tag: %v", err)
	}
	if n := w.AssetCount(); n != 2 {
		t.Fatalf("%d assets after refused saves, want 2", n)
	}
	// Saving an asset with its own tag, or a tag freed by a delete, works.
	if _, err := w.SaveAsset(*hmi); err != nil {
		t.Errorf("saving an asset unchanged: %v", err)
	}
	plc := w.FilterAssets(app.AssetFilter{Text: "PLC-303"})[0]
	if err := w.DeleteAsset(plc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "PLC-303", Type: assets.TypePLC}); err != nil {
		t.Errorf("tag of a deleted asset: %v", err)
	}
	// Untagged assets (a name only) do not clash with each other.
	for i := 0; i < 2; i++ {
		if _, err := w.SaveAsset(assets.Asset{Name: "Unlabelled switch", Type: assets.TypeNetwork}); err != nil {
			t.Errorf("second untagged asset: %v", err)
		}
	}
}

// TestDuplicateProposesAFreeTag: Duplicate and the quick-capture proposal
// skip tags already taken, in any case.
func TestDuplicateProposesAFreeTag(t *testing.T) {
	w := newTagAudit(t)
	if _, err := w.SaveAsset(assets.Asset{Tag: "plc-304", Type: assets.TypePLC}); err != nil {
		t.Fatal(err)
	}
	if got := w.NextFreeTag("PLC-302"); got != "PLC-305" {
		t.Errorf("NextFreeTag(PLC-302) = %q, want PLC-305 (303 and 304 are taken)", got)
	}
	if got := w.NextFreeTag("Pump"); got != "" {
		t.Errorf("NextFreeTag of a tag without a number = %q, want none", got)
	}
	src := w.FilterAssets(app.AssetFilter{Text: "PLC-303"})[0]
	dup, err := w.DuplicateAsset(src.ID)
	if err != nil || dup.Tag != "PLC-305" {
		t.Errorf("duplicate of PLC-303 = %q, %v; want PLC-305", dup.Tag, err)
	}
}

// TestCSVImportRefusesDuplicateTags: a row whose tag another asset has, or
// another row of the file has, refuses the whole import and names every
// clashing row; swapping two tags in one file is fine.
func TestCSVImportRefusesDuplicateTags(t *testing.T) {
	w := newTagAudit(t)
	ctx := context.Background()
	_, err := w.ImportCSV(ctx, strings.NewReader("tag,type\nPLC-900,plc\nplc-303,plc\nNEW-1,plc\nnew-1 ,plc\n"))
	var ce *assets.CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("import with duplicate tags: %v", err)
	}
	lines := map[int]bool{}
	for _, r := range ce.Rows {
		if r.Column == "tag" {
			lines[r.Line] = true
		}
	}
	if !lines[3] || !lines[4] || !lines[5] || lines[2] {
		t.Errorf("clashing rows named: %v (want lines 3, 4 and 5; error %v)", lines, err)
	}
	if n := w.AssetCount(); n != 2 {
		t.Fatalf("%d assets after a refused import, want 2", n)
	}
	plc := w.FilterAssets(app.AssetFilter{Text: "PLC-303"})[0]
	hmi := w.FilterAssets(app.AssetFilter{Text: "HMI-1"})[0]
	swap := "id,tag,type\n" + plc.ID + ",HMI-1,plc\n" + hmi.ID + ",PLC-303,hmi\n"
	if _, err := w.ImportCSV(ctx, strings.NewReader(swap)); err != nil {
		t.Errorf("swapping two tags in one import: %v", err)
	}
}

// TestRestoreRefusesATakenTag: undoing the delete of an asset whose tag
// was given to another asset meanwhile would make two; it is refused.
func TestRestoreRefusesATakenTag(t *testing.T) {
	w := newTagAudit(t)
	old := w.FilterAssets(app.AssetFilter{Text: "PLC-303"})[0]
	if err := w.DeleteAsset(old.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "plc-303", Type: assets.TypePLC}); err != nil {
		t.Fatal(err)
	}
	if err := w.Restore(app.KindAsset, old.ID); !errors.Is(err, app.ErrDuplicateTag) {
		t.Fatalf("restore onto a taken tag: %v", err)
	}
	if n := len(w.FilterAssets(app.AssetFilter{Text: "plc-303"})); n != 1 {
		t.Fatalf("%d assets tagged PLC-303 after a refused restore", n)
	}
}
