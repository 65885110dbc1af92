package diff

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/store"
)

// syntheticPair makes two 5,000-asset synthetic audits (50 zones) with
// the same records, then changes 500 assets of the second: firmware on
// every tenth asset, and every twentieth of those also moves zone. The
// baseline is reopened read-only, as the command opens it.
func syntheticPair(b *testing.B) (before, after *app.Workspace) {
	b.Helper()
	ctx := context.Background()
	const zones, n, changed = 50, 5000, 500
	w, err := demo.Synthetic(ctx, filepath.Join(b.TempDir(), "before"), zones, n)
	if err != nil {
		b.Fatal(err)
	}
	before = readOnly(b, w)
	after, err = demo.Synthetic(ctx, filepath.Join(b.TempDir(), "after"), zones, n)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { after.Close() })
	err = after.Store().Update(ctx, func(tx *store.Tx) error {
		for i := 0; i < n; i += n / changed {
			a, ok := after.Asset(fmt.Sprintf("asset-%07d", i))
			if !ok {
				return fmt.Errorf("asset %d missing", i)
			}
			a.Firmware += "-patched"
			if i%(20*n/changed) == 0 {
				a.Zone = fmt.Sprintf("zone-%03d", (i+1)%zones)
			}
			if err := tx.Put(store.KindAsset, &a); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil {
		err = after.ReloadInventory(ctx)
	}
	if err != nil {
		b.Fatal(err)
	}
	return before, after
}

// BenchmarkCompare5000 diffs two 5,000-asset audits with 500 changed
// assets. Each run recomputes the baseline's findings in memory (it is
// read-only); the current audit's are computed and stored by the first
// run and read back after, as with a second `zonewalk diff` on an
// unchanged workspace. BenchmarkCompare5000Cold measures the first.
func BenchmarkCompare5000(b *testing.B) {
	before, after := syntheticPair(b)
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if r := benchOnce(b, before, after, day); r.Counts.Assets.Changed != 500 {
		b.Fatalf("%d assets changed, want 500", r.Counts.Assets.Changed)
	}
	b.ResetTimer()
	for b.Loop() {
		benchOnce(b, before, after, day)
	}
	b.ReportMetric(float64(5000*b.N)/b.Elapsed().Seconds(), "assets/s")
}

// BenchmarkCompare5000Cold is the first diff after the current audit
// changed: its checks run and their findings are stored.
func BenchmarkCompare5000Cold(b *testing.B) {
	before, after := syntheticPair(b)
	day := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		b.StopTimer()
		// Any write makes the stored findings stale.
		a := after.Audit()
		a.Scope = fmt.Sprint("run ", i)
		i++
		if _, err := after.SaveAudit(a); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		benchOnce(b, before, after, day)
	}
}

func benchOnce(b *testing.B, before, after *app.Workspace, day time.Time) *Report {
	r, err := Compare(context.Background(), before, after, day)
	if err != nil {
		b.Fatal(err)
	}
	return r
}
