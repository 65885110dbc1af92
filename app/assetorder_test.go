package app_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// TestAssetOrderOneCollation: sorted by a column, assets compare by the
// column ignoring case, then in tag order — whether the column has few
// distinct values (bucketed) or many (sorted). Before, few values put all
// "Siemens" before all "siemens" while many values interleaved them.
func TestAssetOrderOneCollation(t *testing.T) {
	ctx := context.Background()
	for _, distinct := range []int{3, 400} {
		t.Run(fmt.Sprint(distinct, "vendors"), func(t *testing.T) {
			w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true}, assets.Audit{Title: "Order"})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			var batch strings.Builder
			batch.WriteString("tag,type,vendor\n")
			for i := 0; i < 1200; i++ {
				v := fmt.Sprintf("Vendor%03d", (i*7919)%distinct)
				if i%2 == 1 {
					v = strings.ToLower(v) // the same vendor typed in another case
				}
				fmt.Fprintf(&batch, "T%04d,plc,%s\n", (i*31)%1200, v)
			}
			if _, err := w.ImportCSV(ctx, strings.NewReader(batch.String())); err != nil {
				t.Fatal(err)
			}
			for _, desc := range []bool{false, true} {
				got := w.QueryAssets(app.AssetFilter{}, app.ByVendor, desc)
				if len(got) != 1200 {
					t.Fatalf("%d rows", len(got))
				}
				for i := 1; i < len(got); i++ {
					a, b := got[i-1], got[i]
					if desc {
						a, b = b, a
					}
					ka, kb := strings.ToLower(a.Vendor), strings.ToLower(b.Vendor)
					if ka > kb || (ka == kb && strings.ToLower(a.Tag) > strings.ToLower(b.Tag)) {
						t.Fatalf("desc=%v: %s (%s) before %s (%s)", desc, got[i-1].Tag, got[i-1].Vendor, got[i].Tag, got[i].Vendor)
					}
				}
			}
			// A filter keeps the order; an edit is seen by the next query.
			some := w.QueryAssets(app.AssetFilter{Text: "t00"}, app.ByVendor, false)
			if len(some) != 100 {
				t.Fatalf("filtered %d rows, want 100", len(some))
			}
			first := w.QueryAssets(app.AssetFilter{}, app.ByVendor, false)[0]
			edited := *first
			edited.Vendor = "zzz last"
			if _, err := w.SaveAsset(edited); err != nil {
				t.Fatal(err)
			}
			all := w.QueryAssets(app.AssetFilter{}, app.ByVendor, false)
			if all[len(all)-1].ID != first.ID {
				t.Fatalf("after an edit the old order was served: last is %s", all[len(all)-1].Tag)
			}
		})
	}
}

// TestAssetOrderSpecialColumns: Purdue and criticality sort by level, not
// by their text; zone sorts by zone name, unassigned first.
func TestAssetOrderSpecialColumns(t *testing.T) {
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true}, assets.Audit{Title: "Order"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	zb, _ := w.SaveZone(assets.Zone{Name: "b zone"})
	za, _ := w.SaveZone(assets.Zone{Name: "A zone"})
	for _, a := range []assets.Asset{
		{Tag: "X1", Type: assets.TypePLC, Purdue: "3.5", Criticality: assets.CriticalityLow, Zone: zb.ID},
		{Tag: "X2", Type: assets.TypePLC, Purdue: "0", Criticality: assets.CriticalityCrit, Zone: za.ID},
		{Tag: "X3", Type: assets.TypePLC, Purdue: "4", Criticality: assets.CriticalityMed},
	} {
		if _, err := w.SaveAsset(a); err != nil {
			t.Fatal(err)
		}
	}
	tags := func(by app.AssetOrder) string {
		var s []string
		for _, a := range w.QueryAssets(app.AssetFilter{}, by, false) {
			s = append(s, a.Tag)
		}
		return strings.Join(s, " ")
	}
	for by, want := range map[app.AssetOrder]string{
		app.ByPurdue: "X2 X1 X3", app.ByCriticality: "X1 X3 X2", app.ByZone: "X3 X2 X1", app.ByTag: "X1 X2 X3",
	} {
		if got := tags(by); got != want {
			t.Errorf("order %v: %s, want %s", by, got, want)
		}
	}
}
