package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/diagram"
)

// DiagramModel is the workspace as the zone diagrams draw it: the
// inventory, with the conduits that open findings are about marked (the
// diagrams draw them red), the traffic seen where no conduit is, each
// assessed zone's SL-A (from the 62443-3-3 checklist, as the model checks
// compare), and the auditor's pins and notes. The model is a copy; later
// edits do not change it.
func (w *Workspace) DiagramModel() (*diagram.Model, error) {
	red, err := w.ConduitsWithOpenFindings()
	if err != nil {
		return nil, fmt.Errorf("diagram: conduit findings: %w", err)
	}
	list := w.Assets()
	m := &diagram.Model{
		Title:           w.Audit().Title,
		Zones:           w.Zones(),
		Conduits:        w.Conduits(),
		Assets:          make([]assets.Asset, len(list)),
		ConduitFindings: red,
	}
	for i, a := range list {
		m.Assets[i] = *a
	}
	flows, err := w.ObservedCoverage(context.Background())
	if err != nil {
		return nil, fmt.Errorf("diagram: observed traffic: %w", err)
	}
	m.Undeclared = UndeclaredLinks(flows)
	if m.Achieved, err = w.AchievedLevels(slaTemplate); err != nil {
		return nil, fmt.Errorf("diagram: SL-A: %w", err)
	}
	if err := w.AddDiagramMarks(m); err != nil {
		return nil, err
	}
	return m, nil
}

// AddDiagramMarks puts the auditor's pins and notes into m, for every
// drawing of the model (the Diagram screen's, the report's).
func (w *Workspace) AddDiagramMarks(m *diagram.Model) error {
	pins, err := w.DiagramPins()
	if err != nil {
		return fmt.Errorf("diagram: pins: %w", err)
	}
	for id, p := range pins {
		if m.Pins == nil {
			m.Pins = map[string]diagram.Point{}
		}
		m.Pins[id] = diagram.Point{X: p.X, Y: p.Y}
	}
	notes, err := w.DiagramNotes()
	if err != nil {
		return fmt.Errorf("diagram: notes: %w", err)
	}
	for _, n := range notes {
		m.Notes = append(m.Notes, diagram.Note{On: n.Subject, Text: n.Text, Finding: n.Finding})
	}
	return nil
}

// UndeclaredLinks are the zone pairs observed flows show talking with no
// conduit, for the diagram: labelled with the protocols seen and whether
// any of it changed something.
func UndeclaredLinks(flows []CoveredFlow) []diagram.ObservedLink {
	type pair struct{ from, to string }
	protos := map[pair][]string{}
	changes := map[pair]bool{}
	var order []pair
	for _, f := range flows {
		if f.Coverage != Undeclared {
			continue
		}
		p := pair{f.ClientZoneID, f.ServerZoneID}
		if _, ok := protos[p]; !ok {
			order = append(order, p)
		}
		if !slices.Contains(protos[p], f.Protocol) {
			protos[p] = append(protos[p], f.Protocol)
		}
		changes[p] = changes[p] || f.Changes()
	}
	var out []diagram.ObservedLink
	for _, p := range order {
		label := strings.Join(protos[p], ", ")
		if changes[p] {
			label += ": writes"
		}
		out = append(out, diagram.ObservedLink{From: p.from, To: p.to, Label: label})
	}
	return out
}

// DiagramFormat is a file format WriteDiagram writes.
type DiagramFormat string

const (
	DiagramSVG DiagramFormat = "svg" // as Graphviz writes it
	DiagramDOT DiagramFormat = "dot" // the laid-out graph as Graphviz writes it
	DiagramPNG DiagramFormat = "png" // painted with the embedded Go fonts, 2 pixels per point
	DiagramPDF DiagramFormat = "pdf" // one A4 page of vectors and real text
)

// ErrDiagramFormat is returned for a file name whose extension is not a
// diagram format.
var ErrDiagramFormat = errors.New("not a diagram format")

// DiagramFormatOf picks the format from a file name's extension.
func DiagramFormatOf(path string) (DiagramFormat, error) {
	switch f := DiagramFormat(strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))); f {
	case DiagramSVG, DiagramDOT, DiagramPNG, DiagramPDF:
		return f, nil
	}
	return "", fmt.Errorf("%q: want a name ending in .svg, .png, .pdf or .dot: %w", filepath.Base(path), ErrDiagramFormat)
}

// WriteDiagram draws the zone and conduit overview, or with zone set (a
// zone's name or ID) that zone's detail, and writes it to out in format.
// Errors: diagram.ErrUnknownZone or diagram.ErrAmbiguousZone for the zone,
// ErrDiagramFormat, and the renderer's (diagram.LayoutError, context errors).
func (w *Workspace) WriteDiagram(ctx context.Context, r *diagram.Renderer, zone string, format DiagramFormat, out io.Writer) error {
	m, err := w.DiagramModel()
	if err != nil {
		return err
	}
	dot := diagram.Overview(m)
	title := m.Title
	if zone != "" {
		z, err := m.FindZone(zone)
		if err != nil {
			return err
		}
		if dot, err = diagram.ZoneDetail(m, z.ID, 0); err != nil {
			return err
		}
		title += " — " + z.Name
	}
	switch format {
	case DiagramSVG, DiagramDOT:
		b, err := r.Run(ctx, dot, string(format))
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	case DiagramPNG, DiagramPDF:
		d, err := r.Layout(ctx, dot)
		if err != nil {
			return err
		}
		if zone == "" {
			d = d.Pinned(m.Pins)
		}
		if format == DiagramPNG {
			return diagram.WritePNG(out, d, 2)
		}
		return diagram.WritePDF(out, d, title)
	}
	return fmt.Errorf("diagram format %q: %w", format, ErrDiagramFormat)
}
