// Package capability answers how capable the components of an audit are
// (IEC 62443-4-2 SL-C): per asset, from which source, and per zone, as the
// per-FR minimum over its members with the members that cap it named.
//
// It is pure: it computes from records handed to it and keeps nothing.
// The choice of source and the minimum are assets.CapabilityIndex's, which
// the model checks use too, so a finding and the capability screen never
// disagree; this package adds the names and grouping people read.
package capability

import (
	"cmp"
	"slices"

	"github.com/zonewalk/zonewalk/assets"
)

// Effective is the SL-C that holds for one asset and where it comes from.
type Effective struct {
	SLC    assets.SLVector
	Source assets.SLCSource
	// Capability is the record that gave the level: the asset's own, or
	// with ByModel its vendor and model's. Nil for the asset's single
	// legacy SL-C.
	Capability *assets.Capability
	ByModel    bool
}

// Describe says where the level comes from, e.g. "recorded for model
// "Siemens S7-1500"" or "certificate (ISASecure CSA, level 2)".
func (e Effective) Describe() string {
	what := e.Source.Label()
	if ct := e.certificate(); e.Source == assets.SLCCertificate && ct != nil && ct.Scheme != "" {
		what = "certificate (" + ct.Scheme + ")"
	}
	if e.Capability == nil {
		return what
	}
	if e.ByModel {
		return what + " for " + e.Capability.Subject()
	}
	return what + " for this asset"
}

func (e Effective) certificate() *assets.Certificate {
	if e.Capability == nil {
		return nil
	}
	return e.Capability.Certificate
}

func effective(s assets.AssetSLC) Effective {
	return Effective{SLC: s.SLC, Source: s.Source, Capability: s.Capability,
		ByModel: s.Capability != nil && s.Capability.ByModel()}
}

// ForAsset is the SL-C of one asset, and false when nothing is known of
// it. Sources, first that has a level wins: a capability record for this
// asset, else for its vendor and model (ignoring case and white space);
// within that record the SL-C assessed by checklist (scores, by capability
// ID), else the recorded vector, else the certificate's level for every
// FR; without any, the asset's own single SL-C for every FR. caps are the
// live capability records; scores may be nil.
func ForAsset(a *assets.Asset, caps []assets.Capability, scores map[string]assets.SLVector) (Effective, bool) {
	return New(caps, scores).ForAsset(a)
}

// Member is an asset as capability results name it.
type Member struct {
	ID     string           `json:"id"`
	Tag    string           `json:"tag"` // tag, or name when there is none
	Source assets.SLCSource `json:"source,omitempty"`
}

// FR is a zone's capability in one foundational requirement.
type FR struct {
	FR  assets.FR
	SLC int
	// Capping are the members at the zone's SL-C in this FR, by tag.
	Capping []Member
}

// TypeGroup is the members of one asset type without capability
// information.
type TypeGroup struct {
	Type    assets.AssetType `json:"type"`
	Label   string           `json:"label"`
	Members []Member         `json:"members"` // by tag
}

// ZoneCapability is the capability of a zone's members taken together.
type ZoneCapability struct {
	// SLC is, per FR, the lowest SL-C of the members with information;
	// meaningless when Known is 0 (no member has any).
	SLC     assets.SLVector
	FRs     [len(assets.FRs)]FR
	Members int // live members
	Known   int // members with capability information
	// Unknown are the members without information, by asset type in
	// picker order.
	Unknown []TypeGroup
}

// Index answers for many assets and zones from one set of records: build
// it once per screen or report.
type Index struct{ x *assets.CapabilityIndex }

// New indexes the live capability records and the assessed levels
// (scores, by capability ID; may be nil).
func New(caps []assets.Capability, scores map[string]assets.SLVector) *Index {
	return &Index{x: assets.NewCapabilityIndex(caps, scores)}
}

// ForAsset is as the package function ForAsset.
func (ix *Index) ForAsset(a *assets.Asset) (Effective, bool) {
	s := ix.x.Of(a)
	return effective(s), s.Known()
}

// Zone is as the package function Zone.
func (ix *Index) Zone(members []*assets.Asset) ZoneCapability {
	// In tag order first: the lists below then come out in that order,
	// with one sort per zone rather than one per FR.
	if !slices.IsSortedFunc(members, byTitle) {
		members = slices.Clone(members)
		slices.SortFunc(members, byTitle)
	}
	z := ix.x.Zone(members)
	out := ZoneCapability{SLC: z.SLC, Known: z.Known, Members: z.Known + len(z.Unknown)}
	for i, fr := range assets.FRs {
		f := FR{FR: fr, SLC: z.SLC[i], Capping: make([]Member, 0, len(z.Capping[i]))}
		for _, a := range z.Capping[i] {
			f.Capping = append(f.Capping, Member{ID: a.ID, Tag: a.Title(), Source: z.Of[a].Source})
		}
		out.FRs[i] = f
	}
	byType := map[assets.AssetType][]Member{}
	for _, a := range z.Unknown {
		byType[a.Type] = append(byType[a.Type], Member{ID: a.ID, Tag: a.Title()})
	}
	out.Unknown = []TypeGroup{}
	for _, t := range assets.AssetTypes {
		if ms := byType[t.Type]; len(ms) > 0 {
			out.Unknown = append(out.Unknown, TypeGroup{Type: t.Type, Label: t.Label, Members: ms})
			delete(byType, t.Type)
		}
	}
	// Types this version does not know (from a newer one) come last.
	rest := make([]assets.AssetType, 0, len(byType))
	for t := range byType {
		rest = append(rest, t)
	}
	slices.Sort(rest)
	for _, t := range rest {
		out.Unknown = append(out.Unknown, TypeGroup{Type: t, Label: t.Label(), Members: byType[t]})
	}
	return out
}

// Zone is the capability of a zone: per FR the lowest SL-C of the members
// with information, the members at that level, and the members without
// information grouped by asset type. Deleted and nil members are skipped.
func Zone(members []*assets.Asset, caps []assets.Capability, scores map[string]assets.SLVector) ZoneCapability {
	return New(caps, scores).Zone(members)
}

// byTitle orders assets by tag (or name), then ID.
func byTitle(a, b *assets.Asset) int {
	if a == nil || b == nil {
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	return cmp.Or(cmp.Compare(a.Title(), b.Title()), cmp.Compare(a.ID, b.ID))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
