package assets

import (
	"cmp"
	"fmt"
	"strings"
	"unicode"
)

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

// Component type codes of IEC 62443-4-2 (clauses 12–15), the same codes
// the component checklist uses.
const (
	ComponentSoftwareApplication = "sar"
	ComponentEmbeddedDevice      = "edr"
	ComponentHostDevice          = "hdr"
	ComponentNetworkDevice       = "ndr"
)

// ComponentTypes lists the component types with their names, in the
// standard's order.
var ComponentTypes = []struct {
	Code  string
	Label string
}{
	{ComponentSoftwareApplication, "software application"},
	{ComponentEmbeddedDevice, "embedded device"},
	{ComponentHostDevice, "host device"},
	{ComponentNetworkDevice, "network device"},
}

// ComponentTypeLabel is the name of a component type code, or "" for an
// unknown code.
func ComponentTypeLabel(code string) string {
	for _, c := range ComponentTypes {
		if c.Code == code {
			return c.Label
		}
	}
	return ""
}

// ParseComponentType accepts a code ("edr") or a name ("Embedded device").
func ParseComponentType(s string) (string, bool) {
	for _, c := range ComponentTypes {
		if equalFold(s, c.Code) || equalFold(s, c.Label) {
			return c.Code, true
		}
	}
	return "", false
}

// ByModel reports whether the capability is for a vendor and model rather
// than for one asset.
func (cp *Capability) ByModel() bool { return cp.Asset == "" }

// Subject names what the capability is for, for messages: `asset ID` or
// `model "Vendor Model"`. The asset's tag is the caller's to add.
func (cp *Capability) Subject() string {
	if cp.Asset != "" {
		return "asset " + clip(cp.Asset)
	}
	return fmt.Sprintf("model %q", clip(strings.TrimSpace(cp.Vendor+" "+cp.Model)))
}

// Validate checks a capability on its own: it is for exactly one asset or
// for one vendor and model, of a known component type, with levels 0–4 per
// FR and a certificate, if any, that states a level 1–4. Whether the asset
// exists and whether another record is for the same subject is the
// caller's to check.
func (cp *Capability) Validate() error {
	c := checker{kind: "capability", record: "capability for " + cp.Subject()}
	c.meta(&cp.Meta)
	c.text("asset", cp.Asset)
	c.text("vendor", cp.Vendor)
	c.text("model", cp.Model)
	hasVendor, hasModel := strings.TrimSpace(cp.Vendor) != "", strings.TrimSpace(cp.Model) != ""
	switch {
	case strings.TrimSpace(cp.Asset) != "" && (hasVendor || hasModel):
		c.add("asset", cp.Asset, "is for one asset, so vendor and model must be empty (a capability is for an asset or for a model, not both)")
	case cp.Asset != "" && strings.TrimSpace(cp.Asset) == "":
		c.add("asset", "", "is blank")
	case cp.Asset == "" && !hasVendor && !hasModel:
		c.add("asset", "", "an asset, or a vendor and model, is required")
	case cp.Asset == "" && !hasModel:
		c.add("model", "", "is required with vendor")
	case cp.Asset == "" && !hasVendor:
		c.add("vendor", "", "is required with model")
	}
	if ComponentTypeLabel(cp.ComponentType) == "" {
		c.add("component_type", cp.ComponentType, "must be sar (software application), edr (embedded device), hdr (host device) or ndr (network device)")
	}
	for i, l := range cp.SLC {
		if l < 0 || l > 4 {
			c.add("sl_c."+FRs[i].String(), fmt.Sprint(l), fmt.Sprintf("capability level in FR %d must be 0–4", FRs[i].Number()))
		}
	}
	if ct := cp.Certificate; ct != nil {
		c.text("certificate.scheme", ct.Scheme)
		c.text("certificate.issuer", ct.Issuer)
		c.text("certificate.number", ct.Number)
		c.text("certificate.evidence", ct.Evidence)
		if ct.Level < 1 || ct.Level > 4 {
			c.add("certificate.level", fmt.Sprint(ct.Level), "a certificate states a capability level 1–4")
		}
		c.date("certificate.date", ct.Date)
	}
	c.text("notes", cp.Notes)
	return c.err()
}

// ModelKey is the key two spellings of one vendor and model share: case and
// white space are ignored ("Siemens", "S7-1500" matches " siemens ",
// "S7 -1500"). It is "" when either part is empty.
func ModelKey(vendor, model string) string {
	v, m := squash(vendor), squash(model)
	if v == "" || m == "" {
		return ""
	}
	return v + "\x00" + m
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
}

// SLCSource says where an asset's SL-C comes from. Sources are tried in
// the order of the constants; the first that has a level gives it.
type SLCSource string

const (
	SLCNone SLCSource = "" // no capability information
	// SLCAssessed: the answers to the 4-2 component checklist for the
	// capability record.
	SLCAssessed SLCSource = "assessed"
	// SLCRecorded: the vector recorded on the capability record.
	SLCRecorded SLCSource = "recorded"
	// SLCCertificate: the certificate's level, for every FR.
	SLCCertificate SLCSource = "certificate"
	// SLCAssetLevel: the single SL-C recorded on the asset itself (older
	// workspaces), for every FR.
	SLCAssetLevel SLCSource = "asset-level"
)

// Label says the source in words.
func (s SLCSource) Label() string {
	switch s {
	case SLCAssessed:
		return "assessed by checklist"
	case SLCRecorded:
		return "recorded"
	case SLCCertificate:
		return "certificate"
	case SLCAssetLevel:
		return "asset's single SL-C"
	}
	return "no information"
}

// AssetSLC is an asset's capability and where it comes from.
type AssetSLC struct {
	SLC    SLVector
	Source SLCSource
	// Capability is the record that gave the level; nil when the level is
	// the asset's own or there is none.
	Capability *Capability
}

// Known reports whether there is capability information.
func (s AssetSLC) Known() bool { return s.Source != SLCNone }

// CapabilityIndex finds the capability that applies to an asset. Build it
// once per computation: lookups are two map reads.
type CapabilityIndex struct {
	byAsset map[string]*Capability
	byModel map[string]*Capability
	scores  map[string]SLVector
}

// NewCapabilityIndex indexes live capability records. scores holds the
// SL-C assessed by the component checklist, by capability ID, for the
// records that were assessed; it may be nil. Should two records be for the
// same asset or model (two laptops merged), the newer version stands, so
// the choice does not depend on the order records arrive in.
func NewCapabilityIndex(caps []Capability, scores map[string]SLVector) *CapabilityIndex {
	x := &CapabilityIndex{byAsset: map[string]*Capability{}, byModel: map[string]*Capability{}, scores: scores}
	keep := func(m map[string]*Capability, key string, cp *Capability) {
		if old := m[key]; old == nil || cmp.Or(old.Version.Compare(cp.Version), strings.Compare(old.ID, cp.ID)) < 0 {
			m[key] = cp
		}
	}
	for i := range caps {
		cp := &caps[i]
		switch {
		case cp.Deleted:
		case cp.Asset != "":
			keep(x.byAsset, cp.Asset, cp)
		default:
			if k := ModelKey(cp.Vendor, cp.Model); k != "" {
				keep(x.byModel, k, cp)
			}
		}
	}
	return x
}

// Record is the capability record that applies to an asset: its own, else
// its vendor and model's; nil when neither exists.
func (x *CapabilityIndex) Record(a *Asset) *Capability {
	return x.record(a, nil)
}

// spelling is a vendor and model as an asset writes them.
type spelling struct{ vendor, model string }

// record is Record; memo, when not nil, remembers the model record of
// each spelling, so a zone of 2,000 identical PLCs folds case and space
// once rather than 2,000 times.
func (x *CapabilityIndex) record(a *Asset, memo map[spelling]*Capability) *Capability {
	if cp := x.byAsset[a.ID]; cp != nil {
		return cp
	}
	if len(x.byModel) == 0 {
		return nil
	}
	sp := spelling{a.Vendor, a.Model}
	if cp, ok := memo[sp]; ok {
		return cp
	}
	var cp *Capability
	if k := ModelKey(a.Vendor, a.Model); k != "" {
		cp = x.byModel[k]
	}
	if memo != nil {
		memo[sp] = cp
	}
	return cp
}

// Of is an asset's SL-C. From the record that applies (Record): the level
// assessed by checklist, else the recorded vector (when any FR is set),
// else the certificate's level for every FR. Without any of these, the
// asset's own single SL-C (when above 0) for every FR. A 0 in an assessed
// or recorded vector is a level: the component does not even reach SL 1
// in that FR.
func (x *CapabilityIndex) Of(a *Asset) AssetSLC { return x.of(a, nil) }

func (x *CapabilityIndex) of(a *Asset, memo map[spelling]*Capability) AssetSLC {
	if cp := x.record(a, memo); cp != nil {
		if v, ok := x.scores[cp.ID]; ok {
			return AssetSLC{SLC: v, Source: SLCAssessed, Capability: cp}
		}
		if !cp.SLC.IsZero() {
			return AssetSLC{SLC: cp.SLC, Source: SLCRecorded, Capability: cp}
		}
		if ct := cp.Certificate; ct != nil && ct.Level >= 1 && ct.Level <= 4 {
			return AssetSLC{SLC: UniformSL(ct.Level), Source: SLCCertificate, Capability: cp}
		}
	}
	if a.SLC > 0 && a.SLC <= 4 {
		return AssetSLC{SLC: UniformSL(a.SLC), Source: SLCAssetLevel}
	}
	return AssetSLC{}
}

// ZoneSLC is the capability of a zone's members taken together.
type ZoneSLC struct {
	// SLC is, per FR, the lowest SL-C of the members with capability
	// information: a zone is no more capable than its weakest component.
	// Meaningless when Known is 0.
	SLC SLVector
	// Capping are, per FR, the members at that lowest level.
	Capping [len(FRs)][]*Asset
	// Known counts the members with capability information; Unknown lists
	// those without.
	Known   int
	Unknown []*Asset
	// Of holds the SL-C of each member with capability information, so
	// that callers need not look it up again.
	Of map[*Asset]AssetSLC
}

// Zone computes the SL-C of a zone from its live members (nil and deleted
// assets are skipped). Capping and Unknown keep the order of members.
func (x *CapabilityIndex) Zone(members []*Asset) ZoneSLC {
	z := ZoneSLC{Of: map[*Asset]AssetSLC{}}
	memo := map[spelling]*Capability{}
	for _, a := range members {
		if a == nil || a.Deleted {
			continue
		}
		s := x.of(a, memo)
		if !s.Known() {
			z.Unknown = append(z.Unknown, a)
			continue
		}
		z.Of[a] = s
		z.Known++
		for i, l := range s.SLC {
			switch {
			case z.Known == 1 || l < z.SLC[i]:
				z.SLC[i] = l
				z.Capping[i] = append(z.Capping[i][:0], a)
			case l == z.SLC[i]:
				z.Capping[i] = append(z.Capping[i], a)
			}
		}
	}
	return z
}
