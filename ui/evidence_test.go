package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.NRGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestEvidencePanel attaches a photo and a file to a zone, shows a scaled
// thumbnail for the photo and opens it full size in its own window.
func TestEvidencePanel(t *testing.T) {
	sh, _ := newDemoShell(t)
	owner := assets.Ref{Kind: "zone", ID: demo.ZoneSIS}
	v := newEvidenceView(sh.s, owner)
	photo := pngOf(t, 1600, 1200)
	v.attachData(owner, "cabinet.png", photo)
	v.attachData(owner, "firewall-rules.txt", []byte("allow 502 from SCADA\n"))
	if len(v.grid.Objects) != 2 || v.heading.Text != "Evidence (2)" {
		t.Fatalf("%d tiles, heading %q", len(v.grid.Objects), v.heading.Text)
	}
	list, err := sh.s.ws.Evidence(owner)
	if err != nil || len(list) != 2 {
		t.Fatalf("stored evidence %v %v", list, err)
	}
	// Tiles come in store order; find the photo's by its label.
	var tile fyne.CanvasObject
	for _, g := range v.grid.Objects {
		for _, o := range test.LaidOutObjects(g) {
			if l, ok := o.(*widget.Label); ok && l.Text == "cabinet.png" {
				tile = g
			}
		}
	}
	if tile == nil {
		t.Fatal("no tile labelled cabinet.png")
	}
	var thumb *canvas.Image
	for _, o := range test.LaidOutObjects(tile) {
		if ci, ok := o.(*canvas.Image); ok && ci.Image != nil {
			thumb = ci
		}
	}
	if thumb == nil || thumb.Image == nil {
		t.Fatal("photo has no thumbnail")
	}
	if b := thumb.Image.Bounds(); b.Dx() != thumbSize || b.Dy() != thumbSize*3/4 {
		t.Errorf("thumbnail %v, want %dx%d", b, thumbSize, thumbSize*3/4)
	}
	windows := len(sh.app.Driver().AllWindows())
	var open *widget.Button
	for _, o := range test.LaidOutObjects(tile) {
		if b, ok := o.(*widget.Button); ok {
			open = b
		}
	}
	test.Tap(open)
	all := sh.app.Driver().AllWindows()
	if len(all) != windows+1 {
		t.Fatalf("%d windows, want a new one", len(all))
	}
	full := all[len(all)-1]
	var big *canvas.Image
	for _, o := range test.LaidOutObjects(full.Content()) {
		if ci, ok := o.(*canvas.Image); ok {
			big = ci
		}
	}
	if big == nil {
		t.Fatal("full-size window shows no image")
	}
	full.Close()
	// The panel for another record is empty; the screens' panels follow selection.
	v.setOwner(assets.Ref{Kind: "zone", ID: demo.ZoneDMZ})
	if len(v.grid.Objects) != 0 {
		t.Errorf("%d tiles for a zone without evidence", len(v.grid.Objects))
	}
	if newEvidencePanel(sh.s, owner) == nil {
		t.Fatal("no panel")
	}
}
