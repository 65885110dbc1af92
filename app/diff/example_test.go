package diff_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
)

// Two audits of one plant a year apart: the PLC's firmware was read at
// the second visit, which resolves the finding about the missing version.
func ExampleCompare() {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "zonewalk-diff-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	audit := func(dir, firmware string) *app.Workspace {
		w, err := app.Create(ctx, filepath.Join(tmp, dir), app.Options{Unencrypted: true},
			assets.Audit{Meta: assets.Meta{ID: "plant"}, Title: "Plant " + dir, ReviewedAt: "2026-01-10"})
		if err != nil {
			log.Fatal(err)
		}
		if _, err := w.SaveAsset(assets.Asset{Meta: assets.Meta{ID: "plc-1"}, Tag: "PLC-1", Type: assets.TypePLC,
			Firmware: firmware}); err != nil {
			log.Fatal(err)
		}
		return w
	}
	before, after := audit("2025", ""), audit("2026", "V3.2")
	defer before.Close()
	defer after.Close()

	r, err := diff.Compare(ctx, before, after, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range r.Assets.Changed {
		for _, c := range a.Changes {
			fmt.Printf("%s %s: %q → %q\n", a.Tag, c.Field, c.Before, c.After)
		}
	}
	for _, f := range r.Findings.Resolved {
		fmt.Printf("resolved %s: %s\n", f.Rule, f.Title)
	}
	fmt.Printf("still open: %d\n", r.Counts.Findings.StillOpen)
	// Output:
	// PLC-1 firmware: "" → "V3.2"
	// resolved ZW-ASSET-002: asset "PLC-1" outside any zone has no firmware or software version
	// still open: 1
}
