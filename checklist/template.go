package checklist

import (
	"slices"

	"github.com/zonewalk/zonewalk/assets"
)

// FormatVersion is the template file format this package reads. It changes
// only when a file written for the old format would be misread.
const FormatVersion = 1

// Kind says how often a template is answered in one audit.
type Kind string

const (
	// KindProgram templates are answered once per audit (the asset owner's
	// security programme, IEC 62443-2-1).
	KindProgram Kind = "program"
	// KindZone templates are answered once per zone and scored against the
	// zone's SL-T (IEC 62443-3-3).
	KindZone Kind = "zone"
	// KindComponent templates are answered once per component under
	// assessment (one asset, or one vendor and model standing for all its
	// assets) and scored as the capability vector SL-C (IEC 62443-4-2).
	KindComponent Kind = "component"
)

// Component type codes of IEC 62443-4-2 (clauses 12–15). An item that
// names no type applies to every type.
const (
	TypeSoftwareApplication = "sar"
	TypeEmbeddedDevice      = "edr"
	TypeHostDevice          = "hdr"
	TypeNetworkDevice       = "ndr"
)

// ComponentTypes lists the component type codes in the standard's order.
var ComponentTypes = []string{TypeSoftwareApplication, TypeEmbeddedDevice, TypeHostDevice, TypeNetworkDevice}

// ComponentTypeName is the display name of a component type code, or ""
// for an unknown code.
func ComponentTypeName(code string) string {
	switch code {
	case TypeSoftwareApplication:
		return "Software application"
	case TypeEmbeddedDevice:
		return "Embedded device"
	case TypeHostDevice:
		return "Host device"
	case TypeNetworkDevice:
		return "Network device"
	}
	return ""
}

// Template is one checklist: a standard edition's requirements as questions.
type Template struct {
	ID          string // e.g. "iec62443-3-3-2013"; stable, used in answers
	Title       string
	Standard    string // e.g. "IEC 62443-3-3:2013"
	Format      int    // file format version, FormatVersion
	Revision    int    // revision of our content; bumped when wording or mapping changes
	Kind        Kind
	Maturity    bool   // items are rated ML1–ML4 as well as met / not met
	Description string // what the template covers and how to use it
	// Groups is the optional layer above the sections (the SPEs of
	// 2-1:2024, the clauses 4.2–4.4 of 2-1:2010). When a file declares
	// groups, every section belongs to one; when it does not, Groups is
	// empty and Section.Group is a free-text heading (older files).
	Groups   []*Group
	Sections []*Section

	items map[string]*Item
	order []*Item
}

// Group is a heading above sections, scored as a whole too: an SPE of
// 2-1:2024 ("SPE 1" over ORG 1–3), a clause of 2-1:2010 ("4.2").
type Group struct {
	ID       string // e.g. "SPE 1", "4.2"
	Title    string
	Sections []*Section
}

// Section groups items: a requirement group of 2-1:2024 (ORG 1), an
// element or element group of 2-1:2010, an FR of 3-3, a functional area of
// 2-4.
type Section struct {
	ID    string // e.g. "ORG 1", "4.2.3", "FR 1"
	Title string
	Group string // ID of its Group; free text when the file declares no groups
	// Description is optional: what the section covers beyond its items
	// (for 4-2, the requirements of the FR that are not items of their own).
	Description string
	Items       []*Item
}

// Tiers an item may name, for standards whose checklist mixes levels of
// its hierarchy (2-1:2010 lists whole elements and, for 4.2.3, the
// element's requirements).
const (
	TierElement     = "element"
	TierRequirement = "requirement"
)

// Ref points at a requirement of another framework. Official says whether
// the mapping is published by a standards body or government (otherwise it
// is Zonewalk's own reading and must be shown as such).
type Ref struct {
	Source   string // e.g. "NIST CSF 1.1", "NIS2 Art. 21(2)"
	ID       string // e.g. "PR.AC-5", "(d)"
	Official bool
}

// Item is one requirement to assess.
type Item struct {
	ID       string // the standard's ID: "ORG 1.3", "4.3.3.4", "SR 5.2", "SR 5.2 RE 1"
	Title    string
	Question string // what the auditor asks, in our words
	Guidance string // what to look at on site and what counts as evidence
	Section  string // ID of the section holding the item
	Group    string // its section's Group (e.g. "SPE 6" for USER 1.9)
	Tier     string // optional: TierElement or TierRequirement
	Parent   string // for requirement enhancements: the base requirement's ID
	Related  []string
	Refs     []Ref

	// Zone and component templates only. A component template's item
	// without FR and levels is a constraint (the CCSC of 4-2): answered,
	// but not scored as a level.
	FR     assets.FR // meaningful when HasFR
	HasFR  bool
	Levels []int // SLs at which the item is required, ascending

	// Types are the component types the item applies to (component
	// templates only; codes as in ComponentTypes). Empty means every type.
	Types []string

	// Uncertain marks items whose ID or SL mapping public sources disagree
	// on. UncertainLevels names the disputed SL cells (zone templates);
	// UncertainNote says what disagrees.
	Uncertain       bool
	UncertainLevels []int
	UncertainNote   string
}

// Item returns the item with the given ID, or nil.
func (t *Template) Item(id string) *Item { return t.items[id] }

// Items lists every item in file order.
func (t *Template) Items() []*Item { return t.order }

// Group returns the declared group with the given ID, or nil.
func (t *Template) Group(id string) *Group {
	for _, g := range t.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// Section returns the section with the given ID, or nil.
func (t *Template) Section(id string) *Section {
	for _, s := range t.Sections {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// AppliesTo reports whether the item applies to a component of the given
// type: it names that type, or names none.
func (it *Item) AppliesTo(componentType string) bool {
	return len(it.Types) == 0 || slices.Contains(it.Types, componentType)
}

// ItemsFor lists, in file order, the items that apply to a component of
// the given type.
func (t *Template) ItemsFor(componentType string) []*Item {
	var out []*Item
	for _, it := range t.order {
		if it.AppliesTo(componentType) {
			out = append(out, it)
		}
	}
	return out
}

// RequiredAt reports whether the item is required at security level sl
// according to the mapping as given (disputed cells included only when
// they are listed in Levels).
func (it *Item) RequiredAt(sl int) bool { return slices.Contains(it.Levels, sl) }

// UncertainAt reports whether the SL cell at sl is disputed.
func (it *Item) UncertainAt(sl int) bool { return slices.Contains(it.UncertainLevels, sl) }

// CountsAt reports whether scoring treats the item as required at sl:
// required by the mapping, or a disputed cell, which we count as required
// so that a doubtful mapping never makes a zone look better than it is.
func (it *Item) CountsAt(sl int) bool { return it.RequiredAt(sl) || it.UncertainAt(sl) }

// FirstLevel is the lowest SL at which scoring counts the item as required,
// 0 when never.
func (it *Item) FirstLevel() int {
	for sl := 1; sl <= 4; sl++ {
		if it.CountsAt(sl) {
			return sl
		}
	}
	return 0
}
