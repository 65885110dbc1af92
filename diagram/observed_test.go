package diagram

import (
	"context"
	"image/color"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// Traffic seen between zones with no conduit is drawn as a red dashed line
// with its label, and the legend says what it means; the zones stay where
// they were without it.
func TestOverviewDrawsUndeclaredTraffic(t *testing.T) {
	m := plant(t)
	r := newTestRenderer(t)
	before, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	from, to := m.Zones[0].ID, m.Zones[len(m.Zones)-1].ID
	m.Undeclared = []ObservedLink{{From: from, To: to, Label: "modbus: writes"}, {From: "gone", To: to, Label: "dropped"}}
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	red := color.NRGBA{0xdc, 0x26, 0x26, 0xff}
	var dashed int
	var texts []string
	for _, it := range d.Items {
		if it.Shape == Text {
			texts = append(texts, it.Text)
		}
		if it.Shape != Text && it.Stroke == red && len(it.Dash) > 0 {
			dashed++
		}
	}
	all := strings.Join(texts, "|")
	if dashed == 0 {
		t.Error("no red dashed line drawn")
	}
	if !strings.Contains(all, "modbus: writes") || !strings.Contains(all, "Traffic seen where no conduit is declared") {
		t.Errorf("label or legend missing: %s", all)
	}
	if strings.Contains(all, "dropped") {
		t.Error("a link to a zone not in the model was drawn")
	}
	for _, z := range m.Zones {
		a, _ := before.Region(assets.Ref{Kind: KindZone, ID: z.ID})
		b, _ := d.Region(assets.Ref{Kind: KindZone, ID: z.ID})
		if a.Box.Max.Y-a.Box.Min.Y != b.Box.Max.Y-b.Box.Min.Y {
			t.Errorf("zone %s changed size with the overlay: %v → %v", z.ID, a.Box, b.Box)
		}
	}
}
