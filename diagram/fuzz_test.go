package diagram

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

var (
	fuzzOnce     sync.Once
	fuzzRenderer *Renderer
)

// inProcess is one shared in-process renderer for fuzzing (no process per input).
func inProcess() *Renderer {
	fuzzOnce.Do(func() { fuzzRenderer = NewRenderer(InProcess(), Timeout(5*time.Second)) })
	return fuzzRenderer
}

// The Graphviz JSON reader must reject, never panic on, whatever it gets.
func FuzzParseDrawing(f *testing.F) {
	// Small seeds: Go's fuzzer crawls on inputs of hundreds of kilobytes.
	for _, dot := range [][]byte{
		[]byte(`digraph { subgraph cluster_z { id="zone-z"; label=<<B>Zone</B>>; style="rounded,filled"; fillcolor="#eeeeee"; a [id="asset-a"; shape=box3d]; }
			a -> b [id="conduit-c"; label=<<TABLE BGCOLOR="white"><TR><TD>c</TD></TR></TABLE>>; style=dashed; dir=both; penwidth=2]; b [shape=ellipse; style=filled] }`),
		[]byte("digraph { a -> b [label=x]; c [shape=cylinder]; d [shape=note] }"),
	} {
		out, err := inProcess().Run(context.Background(), dot, "json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(out)
	}
	f.Add([]byte(`{"bb":"0,0,10,10","objects":[],"edges":[]}`))
	f.Add([]byte(`{"bb":"0,0,10,10","_subgraph_cnt":5,"objects":[]}`))
	f.Add([]byte(`{"bb":"0,0,1e300,10"}`))
	f.Add([]byte(`{"bb":"0,0,10,10","_draw_":[{"op":"b","points":[[0,0],[1,1]]}]}`))
	f.Add([]byte(`{"bb":"0,0,10,10","_draw_":[{"op":"E","rect":[1,2]}]}`))
	f.Add([]byte(`{"bb":"0,0,10,10","_draw_":[{"op":"c","color":"#zzzzzz"},{"op":"S","style":"setlinewidth(x)"},{"op":"T","pt":[1,1],"text":"t"}]}`))
	f.Add([]byte(`[nan,1]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseDrawing(data)
		if err != nil {
			return
		}
		if d.Width < 0 || d.Height < 0 {
			t.Fatalf("negative size %v×%v", d.Width, d.Height)
		}
		for _, it := range d.Items {
			switch it.Shape {
			case Polygon, Polyline:
				if len(it.Points) < 2 {
					t.Fatalf("%v with %d points", it.Shape, len(it.Points))
				}
			case Bezier:
				if len(it.Points) < 4 || (len(it.Points)-1)%3 != 0 {
					t.Fatalf("B-spline with %d points", len(it.Points))
				}
			}
		}
		d.HitTest(Point{d.Width / 2, d.Height / 2}, 2)
		if d.Width*d.Height < 1e6 {
			if _, err := Image(d, 0.5); err != nil && d.Width > 0 && d.Height > 0 {
				t.Fatalf("painting a parsed drawing: %v", err)
			}
		}
	})
}

// Whatever users type as names, the DOT stays valid for Graphviz and the
// text arrives intact.
func FuzzDOTUserText(f *testing.F) {
	f.Add("Zone Ü – Süd", "Radio link", "Modbus/TCP", "502")
	f.Add(`R&D <Lab> "Pilot"`, `back\slash \N \G`, "]]>", "<!--")
	f.Add("<B>bold</B>", "&amp;", "\x00\x01\n\t", "\xff\xfe")
	f.Add(strings.Repeat("Long name ", 30), "}", "{", "digraph")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, zoneName, conduitName, protocol, ports string) {
		m := &Model{
			Title: zoneName + " audit",
			Zones: []assets.Zone{
				{Meta: assets.Meta{ID: "a"}, Name: zoneName, Description: conduitName, PurdueLevels: []assets.Purdue{assets.Purdue2}},
				{Meta: assets.Meta{ID: "b\"\\" + zoneName}, Name: "Other", PurdueLevels: []assets.Purdue{assets.Purdue3}},
			},
			Conduits: []assets.Conduit{{Meta: assets.Meta{ID: "c"}, Name: conduitName, From: "a", To: "b\"\\" + zoneName,
				Flows: []assets.Flow{{Protocol: protocol, Ports: ports}}, Direction: assets.FromToTo}},
			Assets: []assets.Asset{{Meta: assets.Meta{ID: "x"}, Tag: conduitName, Vendor: protocol, Model: ports, Firmware: zoneName, Type: assets.TypePLC, Zone: "a"}},
		}
		for _, dot := range [][]byte{Overview(m), mustDOT(t, m, "a")} {
			d, err := inProcess().Layout(context.Background(), dot)
			if err != nil {
				t.Fatalf("Graphviz rejected generated DOT: %v\n%s", err, dot)
			}
			want := clean(zoneName, 26)
			if want == "" || strings.ContainsRune(want, '\uFFFD') || len([]rune(want)) > 20 {
				continue // wrapped, truncated or replaced: compared elsewhere
			}
			found := false
			for _, it := range d.Items {
				found = found || it.Shape == Text && strings.Contains(it.Text, strings.TrimSpace(want))
			}
			if !found {
				t.Fatalf("zone name %q not among the drawing's texts", want)
			}
			if _, ok := d.Region(zoneRef("a")); !ok {
				t.Fatal("zone a has no region")
			}
		}
	})
}

func mustDOT(t *testing.T, m *Model, id string) []byte {
	t.Helper()
	dot, err := ZoneDetail(m, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	return dot
}
