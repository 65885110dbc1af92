package report

import (
	"fmt"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// addDrawingMarks puts into m what the auditor drew on the diagram, so
// the report's drawings are the ones the Diagram screen shows: the pins
// (which diagram.Renderer.LayoutOverview applies), the notes and finding
// markers (written into the labels), and the SL-A of each assessed zone
// (the overview fills zones by their worst gap), from the report's own
// scores.
func addDrawingMarks(w *app.Workspace, a *analysis, m *diagram.Model) error {
	if err := w.AddDiagramMarks(m); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for id, s := range a.zoneScores {
		if a.assessed[id] && s != nil {
			if m.Achieved == nil {
				m.Achieved = map[string]assets.SLVector{}
			}
			m.Achieved[id] = s.SLA
		}
	}
	return nil
}
