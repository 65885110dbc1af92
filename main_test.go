package main

import (
	"bytes"
	"image/png"
	"testing"
)

func TestMetadataFromFyneAppTOML(t *testing.T) {
	m := metadata()
	if m.ID != "io.zonewalk.app" || m.Name != "Zonewalk" || m.Version == "" || m.Build < 1 {
		t.Errorf("metadata = ID %q, Name %q, Version %q, Build %d", m.ID, m.Name, m.Version, m.Build)
	}
	// Without the migration Fyne runs its pre-fyne.Do thread checks.
	if !m.Migrations["fyneDo"] {
		t.Errorf("migrations = %v, want fyneDo", m.Migrations)
	}
	if m.Release {
		t.Error("a test binary (no -X version) calls itself a release")
	}
	img, err := png.Decode(bytes.NewReader(m.Icon.Content()))
	if err != nil || img.Bounds().Dx() < 256 {
		t.Fatalf("icon: %v", err)
	}
}
