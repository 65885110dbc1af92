package diagram

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// Model is everything a diagram shows. It is plain data: the caller fills it
// from its workspace; this package reads no store.
type Model struct {
	Title    string           `json:"title"` // the audit's title, printed above the drawing
	Zones    []assets.Zone    `json:"zones"`
	Conduits []assets.Conduit `json:"conduits"`
	Assets   []assets.Asset   `json:"assets"`
	// ConduitFindings holds the IDs of conduits that have findings (filled by
	// the model checks); those conduits are drawn red.
	ConduitFindings map[string]bool `json:"conduit_findings,omitempty"`
	// Undeclared are pairs of zones that imported traffic shows talking
	// with no conduit between them; the overview draws them as red dashed
	// lines that do not move the layout.
	Undeclared []ObservedLink `json:"undeclared,omitempty"`
	// Achieved is the SL-A of each assessed zone, by zone ID: the overview
	// fills those zones by their worst gap (see Gap). Zones not in it are
	// drawn white, as not assessed.
	Achieved map[string]assets.SLVector `json:"achieved,omitempty"`
	// Pins put zones of the overview where the auditor wants them: zone ID
	// → the middle of its box, in points from the top-left corner. DOT
	// leaves them out; LayoutOverview and Drawing.Pinned apply them.
	Pins map[string]Point `json:"pins,omitempty"`
	// Notes are written into the label of their zone or conduit, in every
	// diagram that draws it.
	Notes []Note `json:"notes,omitempty"`
}

// Note is the auditor's note on a zone or conduit; a Finding note marks
// "finding here" and is drawn red.
type Note struct {
	On      assets.Ref `json:"on"`
	Text    string     `json:"text"`
	Finding bool       `json:"finding,omitempty"`
}

// Gap is a zone's worst SL gap: the most any FR's SL-T exceeds its SL-A
// (0 when every FR meets its target; FRs without a target do not count).
func Gap(target, achieved assets.SLVector) int {
	worst := 0
	for i, t := range target {
		if t > 0 {
			worst = max(worst, t-achieved[i])
		}
	}
	return worst
}

// ObservedLink is traffic seen from one zone to another.
type ObservedLink struct {
	From, To string // zone IDs: client side, server side
	Label    string // what was seen, e.g. "modbus: writes"
}

// Ref kinds used in hit regions and DOT ids.
const (
	KindZone     = "zone"
	KindAsset    = "asset"
	KindConduit  = "conduit"
	KindExternal = "external" // the outside of the system under consideration
)

// ErrUnknownZone is returned for a zone that is not in the model.
var ErrUnknownZone = errors.New("no such zone")

// ErrAmbiguousZone is returned when a name matches several zones.
var ErrAmbiguousZone = errors.New("zone name is ambiguous")

// FindZone resolves a zone by ID or, failing that, by name (case-insensitive).
func (m *Model) FindZone(nameOrID string) (*assets.Zone, error) {
	for i := range m.Zones {
		if z := &m.Zones[i]; !z.Deleted && z.ID == nameOrID {
			return z, nil
		}
	}
	var found []*assets.Zone
	for i := range m.Zones {
		if z := &m.Zones[i]; !z.Deleted && strings.EqualFold(strings.TrimSpace(z.Name), strings.TrimSpace(nameOrID)) {
			found = append(found, z)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("zone %q: %w", nameOrID, ErrUnknownZone)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, z := range found {
		ids[i] = z.ID
	}
	return nil, fmt.Errorf("zone %q matches %d zones (IDs %s): %w", nameOrID, len(found), strings.Join(ids, ", "), ErrAmbiguousZone)
}

// view is the model sorted and indexed once, so both diagrams emit the same
// order whatever order the caller's slices were in.
type view struct {
	m        *Model
	zones    []*assets.Zone // sorted: highest Purdue level first, then name, then ID
	zoneByID map[string]*assets.Zone
	conduits []*assets.Conduit // sorted by name, then ID
	assets   map[string][]*assets.Asset
	count    map[string]int // live assets per zone ID
	noZone   int            // live assets without a (known) zone
	notes    map[assets.Ref][]Note
}

func newView(m *Model) *view {
	v := &view{m: m, zoneByID: map[string]*assets.Zone{}, assets: map[string][]*assets.Asset{}, count: map[string]int{}}
	for i := range m.Zones {
		z := &m.Zones[i]
		if z.Deleted {
			continue
		}
		v.zones = append(v.zones, z)
		v.zoneByID[z.ID] = z
	}
	slices.SortFunc(v.zones, func(a, b *assets.Zone) int {
		return cmp.Or(
			cmp.Compare(b.TopLevel().Rank(), a.TopLevel().Rank()),
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.ID, b.ID))
	})
	for i := range m.Conduits {
		c := &m.Conduits[i]
		if !c.Deleted {
			v.conduits = append(v.conduits, c)
		}
	}
	slices.SortFunc(v.conduits, func(a, b *assets.Conduit) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)),
			cmp.Compare(a.Name, b.Name),
			cmp.Compare(a.ID, b.ID))
	})
	for i := range m.Assets {
		a := &m.Assets[i]
		if a.Deleted {
			continue
		}
		if _, ok := v.zoneByID[a.Zone]; !ok {
			v.noZone++
			continue
		}
		v.assets[a.Zone] = append(v.assets[a.Zone], a)
		v.count[a.Zone]++
	}
	for _, list := range v.assets {
		slices.SortFunc(list, compareAssets)
	}
	for _, n := range m.Notes {
		if v.notes == nil {
			v.notes = map[assets.Ref][]Note{}
		}
		v.notes[n.On] = append(v.notes[n.On], n)
	}
	return v
}

// compareAssets orders assets by Purdue level (highest first), type, title, ID.
func compareAssets(a, b *assets.Asset) int {
	return cmp.Or(
		cmp.Compare(b.Purdue.Rank(), a.Purdue.Rank()),
		cmp.Compare(typeOrder(a.Type), typeOrder(b.Type)),
		cmp.Compare(strings.ToLower(a.Title()), strings.ToLower(b.Title())),
		cmp.Compare(a.Title(), b.Title()),
		cmp.Compare(a.ID, b.ID))
}

func typeOrder(t assets.AssetType) int {
	for i, e := range assets.AssetTypes {
		if e.Type == t {
			return i
		}
	}
	return len(assets.AssetTypes)
}

// levelKey is the row a zone is drawn in: its top Purdue level.
func levelKey(z *assets.Zone) assets.Purdue { return z.TopLevel() }

// levelSpan is "L1–L2", "L3", or "" for a zone's levels.
func levelSpan(z *assets.Zone) string {
	top, bottom := z.TopLevel(), z.BottomLevel()
	if top == bottom {
		return top.Label()
	}
	return bottom.Label() + "–" + top.Label()
}

func zoneRef(id string) assets.Ref    { return assets.Ref{Kind: KindZone, ID: id} }
func conduitRef(id string) assets.Ref { return assets.Ref{Kind: KindConduit, ID: id} }
