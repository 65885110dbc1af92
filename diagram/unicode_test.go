package diagram

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"strings"
	"testing"
)

// textImage paints one line of text, as a node label is painted.
func textImage(t *testing.T, text string) *image.RGBA {
	t.Helper()
	d := &Drawing{Width: 120, Height: 40, Background: color.NRGBA{255, 255, 255, 255}, Items: []Item{{
		Shape: Text, Text: text, Pos: Point{60, 28}, Align: AlignCenter, FontSize: 20, Stroke: color.NRGBA{A: 255},
	}}}
	img, err := Image(d, 2)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func ink(img *image.RGBA) int {
	n := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if luma(img.At(x, y)) < 128 {
				n++
			}
		}
	}
	return n
}

// TestPNGDrawsCJK: in a painted label, 泵 and 站 are two different glyphs
// with ink, neither drawn as the Go font's empty box; an emoji, which no
// embedded font has, is drawn as "�" rather than as nothing.
func TestPNGDrawsCJK(t *testing.T) {
	pump, station := textImage(t, "泵"), textImage(t, "站")
	box, repl := textImage(t, "\U0010FFFD"), textImage(t, "\uFFFD") // a private-use rune: no font has it
	if bytes.Equal(pump.Pix, station.Pix) {
		t.Error("泵 and 站 are painted alike")
	}
	if bytes.Equal(pump.Pix, box.Pix) || ink(pump) < 200 {
		t.Errorf("泵 is painted as a missing glyph (%d dark pixels)", ink(pump))
	}
	if !bytes.Equal(box.Pix, repl.Pix) {
		t.Error("a rune no font has is not painted as U+FFFD")
	}
	if !bytes.Equal(textImage(t, "😀").Pix, repl.Pix) {
		t.Error("an emoji is not painted as U+FFFD")
	}
	// A variation selector or joiner inside an emoji sequence adds nothing.
	if !bytes.Equal(textImage(t, "A\u200dB").Pix, textImage(t, "AB").Pix) {
		t.Error("a zero-width joiner is painted")
	}
	if w, w1 := measure("泵站", false, 10), measure("泵", false, 10); w < 15 || w > 2*w1+0.01 {
		t.Errorf("泵站 measures %.1f pt at 10 pt (泵: %.1f)", w, w1)
	}
}

// TestCJKZoneNameInDiagram: a zone named in Chinese, laid out by Graphviz
// and written as PNG and PDF, keeps every character: the PDF's text layer
// has them, the emoji as "�".
func TestCJKZoneNameInDiagram(t *testing.T) {
	m := plant(t)
	m.Zones[0].Name = "泵站 Pumpe Süd – Ωmega 😀"
	r := newTestRenderer(t)
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePDF(&buf, d, m.Title); err != nil {
		t.Fatal(err)
	}
	sample(t, "cjk.pdf", buf.Bytes())
	text := strings.Join(strings.Fields(pdftotext(t, buf.Bytes())), " ")
	for _, want := range []string{"泵站", "Ωmega", "\uFFFD"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	var png bytes.Buffer
	if err := WritePNG(&png, d, 2); err != nil {
		t.Fatal(err)
	}
	sample(t, "cjk.png", png.Bytes())
}
