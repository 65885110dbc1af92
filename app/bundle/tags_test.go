package bundle

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

// TestSameTagOnTwoLaptops: both laptops capture PLC-9 offline. The merge
// keeps both records (nothing typed is lost) and the clash is raised for
// the auditor to rename or merge.
func TestSameTagOnTwoLaptops(t *testing.T) {
	tm := newTeam(t)
	dir := t.TempDir()
	a := newAudit(t, filepath.Join(dir, "a"))
	defer a.Close()
	b := clone(t, exportTo(t, a, dir, "base.zwb", tm, false), filepath.Join(dir, "b"), tm)
	defer b.Close()
	trustEachOther(t, a, b)
	zone := a.Zones()[0].ID
	if _, err := a.SaveAsset(assets.Asset{Tag: "PLC-9", Name: "Filter PLC", Type: assets.TypePLC, Zone: zone}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.SaveAsset(assets.Asset{Tag: "plc-9", Name: "Backwash PLC", Type: assets.TypePLC, Zone: zone}); err != nil {
		t.Fatal(err)
	}
	res := importInto(t, a, exportTo(t, b, dir, "b.zwb", tm, true), tm)
	if len(res.SharedTags) != 1 || res.SharedTags[0] != "PLC-9" {
		t.Errorf("import result names shared tags %v, want [PLC-9]", res.SharedTags)
	}
	if got := a.FilterAssets(app.AssetFilter{Text: "plc-9"}); len(got) != 2 {
		t.Fatalf("after the merge %d assets tagged PLC-9, want both kept", len(got))
	}
	if shared := a.SharedTags(); len(shared) != 1 || shared[0] != "PLC-9" {
		t.Errorf("shared tags %v, want [PLC-9]", shared)
	}
	fs, err := a.CurrentFindings(ctx, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var raised bool
	for _, f := range fs {
		raised = raised || (f.RuleID == "ZW-ASSET-005" && f.Status == checks.StatusOpen && len(f.Covers) == 2)
	}
	if !raised {
		t.Error("the clash is not raised as a finding")
	}
}
