package diagram

import (
	"bytes"
	"context"
	"testing"
)

func TestScratch(t *testing.T) {
	m := plant(t)
	r := NewRenderer()
	defer r.Close()
	for name, dot := range map[string][]byte{"overview": Overview(m), "zone-ctl": must(ZoneDetail(m, "z-ctl")), "zone-sued": must(ZoneDetail(m, "z-sued"))} {
		sample(t, name+".dot", dot)
		svg, err := r.SVG(context.Background(), dot)
		if err != nil {
			t.Fatal(name, err)
		}
		sample(t, name+".svg", svg)
		d, err := r.Layout(context.Background(), dot)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WritePNG(&b, d, 1.5); err != nil {
			t.Fatal(err)
		}
		sample(t, name+".png", b.Bytes())
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestScratchJSON(t *testing.T) {
	m := plant(t)
	r := NewRenderer()
	dot := Overview(m)
	out, err := r.Run(context.Background(), dot, "json")
	if err != nil {
		t.Fatal(err)
	}
	sample(t, "overview.json", out)
	dot2 := must(ZoneDetail(m, "z-ctl"))
	out, _ = r.Run(context.Background(), dot2, "json")
	sample(t, "zone-ctl.json", out)
}

func TestScratchPDF(t *testing.T) {
	m := plant(t)
	r := NewRenderer()
	for name, dot := range map[string][]byte{"overview": Overview(m), "zone-ctl": must(ZoneDetail(m, "z-ctl"))} {
		d, err := r.Layout(context.Background(), dot)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WritePDF(&b, d, m.Title); err != nil {
			t.Fatal(err)
		}
		sample(t, name+".pdf", b.Bytes())
	}
}
