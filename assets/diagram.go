package assets

import (
	"fmt"
	"math"
	"strconv"
)

// DiagramPin is where the auditor put a zone on the overview diagram: the
// middle of its box, in points (1/72 inch) from the drawing's top-left
// corner, y growing downwards. Its ID is the zone's ID: a zone has one
// pin, and two laptops that pin the same zone merge into one record (the
// later position wins) instead of drawing the zone twice.
type DiagramPin struct {
	Meta
	Zone string  `json:"zone"`
	X    float64 `json:"x"`
	Y    float64 `json:"y"`
}

// MaxPinCoord bounds a pin's coordinates, in points: a 400-zone overview
// is about 8,000 points wide, so this is room to spare, and a drawing
// grown to hold a pin stays small enough to paint.
const MaxPinCoord = 50_000

// Validate checks a pin: it names a zone (its own ID) and lies on a page.
func (p *DiagramPin) Validate() error {
	c := checker{kind: "diagram-pin", record: fmt.Sprintf("diagram pin %q", clip(p.ID))}
	c.meta(&p.Meta)
	c.required("zone", p.Zone)
	c.text("zone", p.Zone)
	if p.ID != "" && p.ID != p.Zone {
		c.add("id", p.ID, "must be the ID of the zone pinned")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"x", p.X}, {"y", p.Y}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > MaxPinCoord {
			c.add(f.name, strconv.FormatFloat(f.v, 'g', 6, 64), fmt.Sprintf("must be between 0 and %d points", MaxPinCoord))
		}
	}
	return c.err()
}

// DiagramNote is a note the auditor put on a zone or a conduit of the
// diagram; a Finding note is a "finding here" marker, drawn in red.
type DiagramNote struct {
	Meta
	Subject Ref    `json:"subject"` // kind "zone" or "conduit"
	Text    string `json:"text"`
	Finding bool   `json:"finding,omitempty"`
	// FindingID is the manual finding a "finding here" marker raised, so
	// the marker is listed with the findings too.
	FindingID string `json:"finding_id,omitempty"`
}

// Validate checks a note: on a zone or conduit, with one line of text.
func (n *DiagramNote) Validate() error {
	c := checker{kind: "diagram-note", record: fmt.Sprintf("diagram note %q", clip(n.Text))}
	c.meta(&n.Meta)
	switch n.Subject.Kind {
	case "zone", "conduit":
	default:
		c.add("subject.kind", n.Subject.Kind, "must be zone or conduit")
	}
	c.required("subject.id", n.Subject.ID)
	c.text("subject.id", n.Subject.ID)
	c.required("text", n.Text)
	c.text("text", n.Text)
	c.text("finding_id", n.FindingID)
	return c.err()
}
