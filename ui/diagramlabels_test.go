package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/zonewalk/zonewalk/diagram"
)

// labelSlack absorbs float32 rounding between the test's and the
// painter's arithmetic; it is far below a pixel.
const labelSlack = 0.05

// checkLabels measures every text painted on the board with the size and
// style it is painted in: none may be wider than the width Graphviz
// reserved for it, and a node's or zone's texts stay inside its box. It
// returns how many texts it checked and how many were shortened.
func checkLabels(t *testing.T, d *diagramScreen, where string) (checked, cut int) {
	t.Helper()
	var texts []*canvas.Text
	for _, o := range d.board.content.Objects {
		if tx, ok := o.(*canvas.Text); ok {
			texts = append(texts, tx)
		}
	}
	var items []*diagram.Item
	for i := range d.drawing.Items {
		if d.drawing.Items[i].Shape == diagram.Text {
			items = append(items, &d.drawing.Items[i])
		}
	}
	if len(texts) != len(items) {
		t.Fatalf("%s: %d texts painted for %d text items", where, len(texts), len(items))
	}
	s := d.scale
	cuts := map[string]bool{}
	for _, c := range d.board.cuts {
		cuts[c.full] = true
	}
	for i, it := range items {
		tx := texts[i]
		w := fyne.MeasureText(tx.Text, tx.TextSize, tx.TextStyle).Width
		if it.Width <= 0 {
			t.Errorf("%s: %q has no width reserved", where, it.Text)
			continue
		}
		checked++
		if limit := float32(it.Width) * s; w > limit+labelSlack {
			t.Errorf("%s: %q is %.1f wide in %.2f px text (bold %v), wider than its %.1f (laid out at %.2f)",
				where, tx.Text, w, tx.TextSize, tx.TextStyle.Bold, limit, it.FontSize*float64(s))
		}
		if tx.Text != it.Text {
			cut++
			t.Logf("%s: %q shortened to %q", where, it.Text, tx.Text)
			if !strings.HasSuffix(tx.Text, "…") || !strings.HasPrefix(it.Text, strings.TrimSuffix(tx.Text, "…")) {
				t.Errorf("%s: %q painted as %q", where, it.Text, tx.Text)
			}
			if !cuts[it.Text] {
				t.Errorf("%s: %q is shortened but the board cannot show it whole", where, it.Text)
			}
		}
		if k := it.Ref.Kind; k != diagram.KindAsset && k != diagram.KindZone && k != diagram.KindExternal {
			continue
		}
		box, ok := nodeBox(d.drawing, it)
		if !ok {
			t.Errorf("%s: no box holds %q of %v", where, it.Text, it.Ref)
			continue
		}
		if x := tx.Position().X; x < float32(box.Min.X)*s-labelSlack || x+w > float32(box.Max.X)*s+labelSlack {
			t.Errorf("%s: %q spans x %.1f–%.1f, out of its box %.1f–%.1f", where, tx.Text, x, x+w,
				float32(box.Min.X)*s, float32(box.Max.X)*s)
		}
	}
	return checked, cut
}

// nodeBox is the smallest box of the text's record that holds its anchor.
func nodeBox(d *diagram.Drawing, it *diagram.Item) (diagram.Rect, bool) {
	var best diagram.Rect
	found := false
	for _, r := range d.Regions {
		if r.Ref != it.Ref || r.Box.Empty() || !r.Box.Contains(it.Pos) {
			continue
		}
		area := (r.Box.Max.X - r.Box.Min.X) * (r.Box.Max.Y - r.Box.Min.Y)
		if !found || area < (best.Max.X-best.Min.X)*(best.Max.Y-best.Min.Y) {
			best, found = r.Box, true
		}
	}
	return best, found
}

// TestDiagramLabelsFitTheirBoxes renders the Diagram screen of the demo
// audit in a 1280×800 window, the overview and every zone, at 100% and
// zoomed out, and measures every label as painted: each fits the width
// Graphviz laid it out in, inside its box. The screen font (Noto Sans)
// runs wider than the Helvetica widths Graphviz reserves, and shrinking
// by a fraction of a size did nothing (Fyne sets text in whole sizes):
// "networks and parties outside" measured 109.4 for 101.8.
func TestDiagramLabelsFitTheirBoxes(t *testing.T) {
	for _, high := range []bool{false, true} {
		t.Run(themeName(high), func(t *testing.T) {
			sh := newThemedShell(t, high, fyne.NewSize(1280, 800))
			d := screenOf[*diagramScreen](t, sh, "Diagram")
			if err := await(t, d.reload); err != nil {
				t.Fatal(err)
			}
			views := append([]string{""}, d.zoneIDs...)
			var checked, cut int
			for _, v := range views {
				if err := await(t, func(then func(error)) { d.showView(v, then) }); err != nil {
					t.Fatal(err)
				}
				for _, zoom := range []float32{1, 0.6, 1.6} {
					d.setZoom(zoom)
					n, c := checkLabels(t, d, fmt.Sprintf("view %q at %.0f%%", v, zoom*100))
					checked += n
					cut += c
				}
			}
			if checked < 500 {
				t.Errorf("only %d labels checked", checked)
			}
			t.Logf("%d labels checked in %d views, %d shortened", checked, len(views), cut)
		})
	}
}

// TestDiagramShortenedLabelShownWhole: a label too long for its box even
// at the smallest readable size is cut short with "…" and shown whole in
// the status line while the pointer is on it.
func TestDiagramShortenedLabelShownWhole(t *testing.T) {
	s := demoSession(t)
	d := newDiagramScreen(s)
	s.win.SetContent(d.build())
	const full = "Rockwell Automation Studio 5000 on Dell Latitude 5430"
	d.drawing = &diagram.Drawing{Width: 300, Height: 100, Items: []diagram.Item{
		{Shape: diagram.Text, Text: full, Pos: diagram.Point{X: 150, Y: 50}, Align: diagram.AlignCenter,
			Width: 90, FontSize: 10},
		{Shape: diagram.Text, Text: "PLC-101", Pos: diagram.Point{X: 150, Y: 80}, Align: diagram.AlignCenter,
			Width: 60, FontSize: 10},
	}}
	d.paint()
	var texts []*canvas.Text
	for _, o := range d.board.content.Objects {
		if tx, ok := o.(*canvas.Text); ok {
			texts = append(texts, tx)
		}
	}
	if len(texts) != 2 {
		t.Fatalf("%d texts painted, want 2", len(texts))
	}
	long, short := texts[0], texts[1]
	if !strings.HasSuffix(long.Text, "…") || len(long.Text) >= len(full) {
		t.Errorf("long label painted as %q", long.Text)
	}
	if w := fyne.MeasureText(long.Text, long.TextSize, long.TextStyle).Width; w > 90 {
		t.Errorf("shortened label %q is %.1f wide, want ≤ 90", long.Text, w)
	}
	if long.TextSize < 10*minLabelScale {
		t.Errorf("shortened label set in %.2f, below the readable %.2f", long.TextSize, 10*minLabelScale)
	}
	if short.Text != "PLC-101" || short.TextSize != 10 {
		t.Errorf("a label that fits was changed: %q at %.2f", short.Text, short.TextSize)
	}
	if len(d.board.cuts) != 1 || d.board.cuts[0].full != full {
		t.Fatalf("shortened labels %+v", d.board.cuts)
	}
	on := long.Position().Add(fyne.NewPos(long.Size().Width/2, long.Size().Height/2))
	d.board.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: on}})
	if d.status.Text != full {
		t.Errorf("status with the pointer on the label: %q, want %q", d.status.Text, full)
	}
	d.board.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(5, 5)}})
	if d.status.Text != d.describe() {
		t.Errorf("status after the pointer left: %q, want %q", d.status.Text, d.describe())
	}
}
