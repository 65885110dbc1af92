package app_test

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/diagram"
)

var updateDiagrams = flag.Bool("update-diagrams", false, "rewrite the demo diagram golden files in testdata")

func diagramDemo(t *testing.T) *app.Workspace {
	t.Helper()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

func diagramGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateDiagrams {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./app/ -run DemoDiagram -update-diagrams creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the DOT the demo audit gives now; if the demo or the diagrams changed on purpose, run with -update-diagrams", name)
	}
}

// The demo audit's diagrams as DOT, before any checks ran.
func TestDemoDiagramGolden(t *testing.T) {
	w := diagramDemo(t)
	m, err := w.DiagramModel()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Zones) != len(w.Zones()) || len(m.Conduits) != len(w.Conduits()) || len(m.Assets) != w.AssetCount() {
		t.Fatalf("model has %d zones, %d conduits, %d assets", len(m.Zones), len(m.Conduits), len(m.Assets))
	}
	diagramGolden(t, "demo-overview.golden.dot", diagram.Overview(m))
	for _, id := range []string{demo.ZoneSCADA, demo.ZoneDMZ} {
		dot, err := diagram.ZoneDetail(m, id, 0)
		if err != nil {
			t.Fatal(err)
		}
		diagramGolden(t, "demo-"+id+".golden.dot", dot)
	}
}

// After the model checks, conduits with open findings are drawn red.
func TestDiagramModelMarksConduitFindings(t *testing.T) {
	w := diagramDemo(t)
	if _, err := w.RunChecks(ctx, time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	red, err := w.ConduitsWithOpenFindings()
	if err != nil {
		t.Fatal(err)
	}
	if len(red) == 0 {
		t.Fatal("the demo audit's checks raise no conduit finding; this test needs one")
	}
	m, err := w.DiagramModel()
	if err != nil {
		t.Fatal(err)
	}
	dot := string(diagram.Overview(m))
	for id := range red {
		line := ""
		for _, l := range strings.Split(dot, "\n") {
			if strings.Contains(l, `id="conduit-`+id+`"`) {
				line = l
			}
		}
		if !strings.Contains(line, `color="#dc2626"`) || !strings.Contains(line, "FINDINGS") {
			t.Errorf("conduit %s has an open finding but is not drawn red: %s", id, line)
		}
	}
}

func TestWriteDiagramFormats(t *testing.T) {
	w := diagramDemo(t)
	r := diagram.NewRenderer()
	defer r.Close()
	for _, c := range []struct {
		file, zone string
		magic      string
	}{
		{"o.svg", "", "<?xml"},
		{"o.dot", "", "digraph overview {"},
		{"o.png", "", "\x89PNG"},
		{"z.pdf", "scada & operations", "%PDF-"},
		{"z.svg", demo.ZoneSIS, "<?xml"},
	} {
		f, err := app.DiagramFormatOf(c.file)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := w.WriteDiagram(ctx, r, c.zone, f, &buf); err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if !bytes.HasPrefix(buf.Bytes(), []byte(c.magic)) {
			t.Errorf("%s starts %q", c.file, buf.Bytes()[:min(buf.Len(), 16)])
		}
	}
	if _, err := app.DiagramFormatOf("x.jpeg"); !errors.Is(err, app.ErrDiagramFormat) {
		t.Errorf("x.jpeg: %v", err)
	}
	if err := w.WriteDiagram(ctx, r, "no such zone", app.DiagramSVG, &bytes.Buffer{}); !errors.Is(err, diagram.ErrUnknownZone) {
		t.Errorf("unknown zone: %v", err)
	}
}
