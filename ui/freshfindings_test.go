package ui

import (
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// TestFindingsAreCurrentWithoutRunningChecks: on a fresh demo the
// Findings screen fills by itself, and an asset added afterwards appears
// in the findings a moment later, with nobody pressing "Run checks".
func TestFindingsAreCurrentWithoutRunningChecks(t *testing.T) {
	sh, _ := newDemoShell(t)
	sh.s.keepFindingsCurrent(10 * time.Millisecond) // as ui.Run's shell does at open
	f := screenOf[*findingsScreen](t, sh, "Findings")
	waitUntil(t, "findings of the fresh demo", func() bool { return len(f.all) >= 50 })

	z := sh.s.ws.Zones()[0]
	a, err := sh.s.ws.SaveAsset(assets.Asset{Tag: "NEW-PLC-1", Type: assets.TypePLC, Zone: z.ID})
	if err != nil {
		t.Fatal(err)
	}
	sh.s.changed()
	waitUntil(t, "a finding on the new asset", func() bool {
		for _, fd := range f.all {
			for _, c := range fd.Covers {
				if c == a.ID {
					return true
				}
			}
		}
		return false
	})
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
