package report

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// The report's overview carries the auditor's pins, notes and gap fills
// once addDrawingMarks is called where startDiagrams builds its model.
func TestDrawingMarks(t *testing.T) {
	w := demoWorkspace(t)
	z := w.Zones()[0]
	if _, err := w.PinZone(z.ID, 900, 70); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AddDiagramNote(assets.Ref{Kind: "zone", ID: z.ID}, "cabinet door open", true); err != nil {
		t.Fatal(err)
	}
	recs, err := readRecords(context.Background(), w, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := analyse(recs)
	if err != nil {
		t.Fatal(err)
	}
	m := &diagram.Model{Title: "t", Zones: a.zones, Conduits: a.conduits}
	if err := addDrawingMarks(w, a, m); err != nil {
		t.Fatal(err)
	}
	if p := m.Pins[z.ID]; p.X != 900 || p.Y != 70 {
		t.Errorf("pins %+v", m.Pins)
	}
	if len(m.Notes) != 1 || !m.Notes[0].Finding || m.Notes[0].On.ID != z.ID {
		t.Errorf("notes %+v", m.Notes)
	}
	for id := range m.Achieved {
		if !a.assessed[id] {
			t.Errorf("zone %s not assessed has an SL-A", id)
		}
	}
	if len(m.Achieved) == 0 {
		t.Error("no assessed zone's SL-A (the demo assesses some)")
	}
	if dot := string(diagram.Overview(m)); !strings.Contains(dot, "cabinet door open") {
		t.Error("the note is not in the overview")
	}
}
