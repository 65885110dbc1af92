package ui

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// demoSession opens a fresh copy of the demo audit in a temporary
// directory behind a headless Fyne app and window.
func demoSession(t *testing.T) *session {
	t.Helper()
	a := test.NewTempApp(t)
	ws, err := demo.Create(context.Background(), filepath.Join(t.TempDir(), "audit"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(w.Close)
	return &session{fyneApp: a, win: w, ws: ws}
}

// await starts work that reports through then, and waits for it.
func await(t *testing.T, start func(then func(error))) error {
	t.Helper()
	ch := make(chan error, 1)
	start(func(err error) { ch <- err })
	select {
	case err := <-ch:
		return err
	case <-time.After(2 * time.Minute):
		t.Fatal("timed out waiting for background work")
		return nil
	}
}

// texts collects the strings of every canvas.Text in objs.
func texts(objs []fyne.CanvasObject) map[string]bool {
	out := map[string]bool{}
	for _, o := range objs {
		if t, ok := o.(*canvas.Text); ok {
			out[t.Text] = true
		}
	}
	return out
}

func TestDiagramOverviewPaintsZoneNames(t *testing.T) {
	s := demoSession(t)
	d := newDiagramScreen(s)
	s.win.SetContent(d.build())
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	objs := d.board.content.Objects
	got := texts(objs)
	for _, z := range s.ws.Zones() {
		if !got[z.Name] {
			t.Errorf("zone %q is not drawn as a canvas.Text; texts: %v", z.Name, keys(got))
		}
	}
	var lines, rects int
	for _, o := range objs {
		switch o.(type) {
		case *canvas.Line:
			lines++
		case *canvas.Rectangle:
			rects++
		}
	}
	// Nine conduits are drawn as flattened curves, each of several lines.
	if n := len(s.ws.Conduits()); lines < 2*n || rects < len(s.ws.Zones()) {
		t.Errorf("%d lines and %d rectangles for %d conduits and %d zones", lines, rects, n, len(s.ws.Zones()))
	}
	want := fyne.NewSize(float32(d.drawing.Width), float32(d.drawing.Height))
	if d.board.MinSize() != want {
		t.Errorf("board min size %v, want the drawing's %v at 100%%", d.board.MinSize(), want)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDiagramTapZoneOpensDetailAndZoomScales(t *testing.T) {
	s := demoSession(t)
	var revealed []assets.Ref
	s.reveal = func(r assets.Ref) { revealed = append(revealed, r) }
	d := newDiagramScreen(s)
	s.win.SetContent(d.build())
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	z := s.ws.Zones()[0]
	reg, ok := d.drawing.Region(assets.Ref{Kind: diagram.KindZone, ID: z.ID})
	if !ok {
		t.Fatalf("zone %q has no hit region", z.Name)
	}
	mid := fyne.NewPos(float32(reg.Box.Min.X+reg.Box.Max.X)/2, float32(reg.Box.Min.Y+reg.Box.Max.Y)/2)

	// Zoom in twice by key, then tap the zone's middle at the new scale.
	d.board.TypedShortcut(&desktopShortcutCtrlEqual)
	d.board.TypedRune('+')
	if want := float32(zoomStep * zoomStep); abs32(d.scale-want) > 1e-4 {
		t.Fatalf("scale %v after two zoom steps, want %v", d.scale, want)
	}
	if got, want := d.board.MinSize().Width, float32(d.drawing.Width)*d.scale; abs32(got-want) > 0.5 {
		t.Errorf("board width %v at zoom %v, want %v", got, d.scale, want)
	}
	err := await(t, func(then func(error)) { d.tapAt(fyne.NewPos(mid.X*d.scale, mid.Y*d.scale), then) })
	if err != nil {
		t.Fatal(err)
	}
	if d.view != z.ID {
		t.Fatalf("tapping zone %q at %v showed view %q", z.Name, mid, d.view)
	}
	got := texts(d.board.content.Objects)
	if !strings.Contains(strings.Join(keys(got), "\n"), z.Name) {
		t.Errorf("detail of %q does not name the zone; texts: %v", z.Name, keys(got))
	}
	// In the detail, tapping the open button reveals the zone.
	test.Tap(d.openBtn)
	if len(revealed) != 1 || revealed[0] != (assets.Ref{Kind: "zone", ID: z.ID}) {
		t.Errorf("revealed %v, want zone %s", revealed, z.ID)
	}
}

var desktopShortcutCtrlEqual = desktop.CustomShortcut{KeyName: fyne.KeyEqual, Modifier: fyne.KeyModifierControl}

func TestDiagramExportFormats(t *testing.T) {
	s := demoSession(t)
	d := newDiagramScreen(s)
	s.win.SetContent(d.build())
	if err := await(t, d.reload); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	magic := map[string]string{"SVG": "<svg", "PNG": "\x89PNG", "PDF": "%PDF-", "DOT": "digraph"}
	for format, want := range magic {
		path := filepath.Join(dir, d.exportName(format))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := await(t, func(then func(error)) { d.export(format, f, path, then) }); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data[:min(len(data), 512)], []byte(want)) {
			t.Errorf("%s export starts %q, want %q in it", format, data[:min(len(data), 40)], want)
		}
	}
}

// BenchmarkDiagramPaint measures turning a laid-out overview into canvas
// objects, which a zoom step repeats: the demo, and 50 zones.
func BenchmarkDiagramPaint(b *testing.B) {
	test.NewTempApp(b)
	for _, n := range []int{0, 50} {
		var ws interface {
			Close() error
		}
		var d *diagram.Drawing
		ctx := context.Background()
		r := diagram.NewRenderer()
		name := "demo"
		if n == 0 {
			w, err := demo.Create(ctx, filepath.Join(b.TempDir(), "a"), "bench")
			if err != nil {
				b.Fatal(err)
			}
			ws = w
			m, _ := w.DiagramModel()
			d, err = r.Layout(ctx, diagram.Overview(m))
			if err != nil {
				b.Fatal(err)
			}
		} else {
			name = "50zones"
			w, err := demo.Synthetic(ctx, filepath.Join(b.TempDir(), "s"), n, 2000)
			if err != nil {
				b.Fatal(err)
			}
			ws = w
			m, _ := w.DiagramModel()
			d, err = r.Layout(ctx, diagram.Overview(m))
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Run(name, func(b *testing.B) {
			var objs int
			for b.Loop() {
				objs = len(paintDrawing(d, 1.25))
			}
			b.ReportMetric(float64(objs), "objects")
		})
		r.Close()
		ws.Close()
	}
}

// TestSupersededLayoutIsCancelled: a layout still running when a newer one
// starts is cancelled, not run to its end while the newer one waits.
func TestSupersededLayoutIsCancelled(t *testing.T) {
	a := test.NewTempApp(t)
	ws, err := demo.Synthetic(context.Background(), filepath.Join(t.TempDir(), "big"), 400, 2000)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	w := a.NewWindow("test")
	t.Cleanup(w.Close)
	s := &session{fyneApp: a, win: w, ws: ws}
	d := newDiagramScreen(s)
	w.SetContent(d.build())
	first := make(chan error, 1)
	d.layout(func(err error) { first <- err }) // a 400-zone overview takes seconds
	second := await(t, func(then func(error)) {
		d.view = ws.Zones()[0].ID // a small zone drawing
		d.layout(then)
	})
	if second != nil {
		t.Fatalf("the newer layout: %v", second)
	}
	select {
	case err := <-first:
		if !errors.Is(err, errSuperseded) || !errors.Is(err, context.Canceled) {
			t.Fatalf("superseded layout ended with %v, want it cancelled", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("superseded layout never reported")
	}
}
