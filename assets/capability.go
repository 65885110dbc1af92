package assets

import "fmt"

// Certificate is a recorded product certification (e.g. ISASecure CSA or
// SSA, an IEC 62443-4-2 certificate) that states an SL-C.
type Certificate struct {
	Scheme   string `json:"scheme,omitempty"` // e.g. "ISASecure CSA", "IEC 62443-4-2"
	Issuer   string `json:"issuer,omitempty"`
	Number   string `json:"number,omitempty"`
	Level    int    `json:"level,omitempty"` // SL-C the certificate states, 1–4
	Date     string `json:"date,omitempty"`  // YYYY-MM-DD
	Evidence string `json:"evidence,omitempty"`
}

// Capability is the 62443-4-2 capability (SL-C) of one asset, or of every
// asset of one vendor and model (20 identical PLCs are assessed once).
type Capability struct {
	Meta
	Asset         string       `json:"asset,omitempty"`  // asset ID, when for one asset
	Vendor        string       `json:"vendor,omitempty"` // with Model, when for a model
	Model         string       `json:"model,omitempty"`
	ComponentType string       `json:"component_type,omitempty"` // "sar", "edr", "hdr", "ndr"
	SLC           SLVector     `json:"sl_c"`
	Certificate   *Certificate `json:"certificate,omitempty"`
	Notes         string       `json:"notes,omitempty"`
}

// Validate checks a capability on its own; the helper that builds
// capability owns the full rules.
func (cp *Capability) Validate() error {
	c := checker{kind: "capability", record: fmt.Sprintf("capability %q", clip(cp.ID))}
	c.meta(&cp.Meta)
	c.sl("sl_c", cp.SLC)
	c.text("notes", cp.Notes)
	return c.err()
}
