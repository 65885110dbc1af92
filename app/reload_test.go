package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// A reload that fails (here: cancelled) leaves the workspace as it was and
// open: the caller still holds it and closes it when it is done.
func TestFailedReloadKeepsWorkspaceOpen(t *testing.T) {
	w, _ := newWorkspace(t)
	if _, err := w.SaveZone(assets.Zone{Name: "Control"}); err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	cancel()
	if err := w.ReloadInventory(c); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled reload: %v", err)
	}
	if len(w.Zones()) != 1 {
		t.Fatalf("inventory lost: %d zones", len(w.Zones()))
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC}); err != nil {
		t.Fatalf("workspace unusable after a failed reload: %v", err)
	}
	if err := w.ReloadInventory(ctx); err != nil || w.AssetCount() != 1 {
		t.Fatalf("reload: %v, %d assets", err, w.AssetCount())
	}
}
