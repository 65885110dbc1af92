package assets

import "fmt"

// CountermeasureStatus says whether a countermeasure is in place.
type CountermeasureStatus string

const (
	CountermeasureImplemented CountermeasureStatus = "implemented"
	CountermeasurePlanned     CountermeasureStatus = "planned"
)

// Countermeasure is a security measure the audit relies on: a firewall rule
// set, a jump host, a procedure, a monitoring service. One record is linked
// wherever it helps (checklist answers met by compensation, risk scenarios,
// zones, conduits), so its evidence is kept once.
type Countermeasure struct {
	Meta
	Name        string               `json:"name"` // what
	Description string               `json:"description,omitempty"`
	AppliesTo   []Ref                `json:"applies_to,omitempty"` // where: zones, conduits, assets
	FRs         []FR                 `json:"frs,omitempty"`        // the foundational requirements it helps meet
	Owner       string               `json:"owner,omitempty"`      // who keeps it working
	Evidence    string               `json:"evidence,omitempty"`   // document or record that shows it works
	Status      CountermeasureStatus `json:"status,omitempty"`     // implemented when empty
}

// Validate checks a countermeasure on its own; the records it applies to
// are checked by the caller, who knows them.
func (cm *Countermeasure) Validate() error {
	c := checker{kind: "countermeasure", record: fmt.Sprintf("countermeasure %q", clip(cm.Name))}
	c.meta(&cm.Meta)
	c.required("name", cm.Name)
	c.text("name", cm.Name)
	c.text("description", cm.Description)
	c.text("owner", cm.Owner)
	c.text("evidence", cm.Evidence)
	c.list("applies_to", len(cm.AppliesTo))
	for i, r := range cm.AppliesTo {
		switch r.Kind {
		case "zone", "conduit", "asset":
		default:
			c.add(fmt.Sprintf("applies_to[%d].kind", i), r.Kind, "must be zone, conduit or asset")
		}
		c.text(fmt.Sprintf("applies_to[%d].id", i), r.ID)
	}
	c.list("frs", len(cm.FRs))
	seen := map[FR]bool{}
	for _, f := range cm.FRs {
		switch {
		case f < IAC || f > RA:
			c.add("frs", fmt.Sprint(int(f)), "is not a foundational requirement (0–6 for FR 1–FR 7)")
		case seen[f]:
			c.add("frs", f.String(), "is listed twice")
		}
		seen[f] = true
	}
	switch cm.Status {
	case "", CountermeasureImplemented, CountermeasurePlanned:
	default:
		c.add("status", string(cm.Status), "must be implemented or planned")
	}
	return c.err()
}
