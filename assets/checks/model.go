package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// Model is everything the rules look at. Tombstoned records are ignored.
type Model struct {
	Audit    assets.Audit
	Zones    []assets.Zone
	Conduits []assets.Conduit
	// Assets are pointers, as app.Workspace hands them out: a 100,000-asset
	// inventory is not copied for a check run. Run only reads them.
	Assets []*assets.Asset
	// SLA holds the achieved level per zone ID, scored by the caller from
	// checklist answers. A zone missing from the map has not been scored and
	// is not judged; a 0 in a scored vector means not even SL 1 is achieved.
	SLA map[string]assets.SLVector
	// Today is the date reviews are judged against. Rules never read the
	// clock, so a rerun on the same data and date gives the same findings.
	Today time.Time
	// Observed is the traffic captures and logs saw; nil when none.
	Observed *Observed
	// The risk register, the countermeasures and the component
	// capabilities (62443-3-2 and 4-2); live records only.
	Risks           []assets.Risk
	Countermeasures []assets.Countermeasure
	Capabilities    []assets.Capability
	// ComponentSLC is the SL-C each capability record (by ID) achieves by
	// its 62443-4-2 checklist answers; nil when none is assessed.
	ComponentSLC map[string]assets.SLVector
}

// levelSet is a set of Purdue levels, one bit per rank.
type levelSet uint8

func (s levelSet) has(p assets.Purdue) bool {
	r := p.Rank()
	return r >= 0 && s&(1<<r) != 0
}

func (s levelSet) any(ps ...assets.Purdue) bool {
	for _, p := range ps {
		if s.has(p) {
			return true
		}
	}
	return false
}

func (s levelSet) labels() string {
	var out []string
	for _, p := range assets.PurdueLevels {
		if s.has(p) {
			out = append(out, p.Label())
		}
	}
	return strings.Join(out, ", ")
}

func levelsOf(ps ...assets.Purdue) levelSet {
	var s levelSet
	for _, p := range ps {
		if r := p.Rank(); r >= 0 {
			s |= 1 << r
		}
	}
	return s
}

// zoneInfo is what the rules need about one zone, gathered in one pass.
type zoneInfo struct {
	z       *assets.Zone
	members []*assets.Asset
	// levels are the declared Purdue levels, or those of the members when
	// the zone declares none.
	levels levelSet
}

func (zi *zoneInfo) ref() assets.Ref { return assets.Ref{Kind: "zone", ID: zi.z.ID} }

// group is a set of assets that asset rules report together: the members
// of one zone, or the assets outside any zone (reported on the audit).
type group struct {
	subject assets.Ref
	name    string // subject name
	where   string // `in zone "Process control"` or `outside any zone`
	zone    *zoneInfo
	members []*assets.Asset
}

// index is the model with the lookups every rule shares, built once per Run
// in O(n) so that each rule can be O(n) too.
type index struct {
	m        *Model
	zones    []*zoneInfo // live zones, in name order
	byID     map[string]*zoneInfo
	conduits []*assets.Conduit // live conduits, in name order
	joined   map[[2]string]bool
	unzoned  []*assets.Asset // no zone, or a zone that does not exist
	groups   []group
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

func newIndex(m *Model) *index {
	ix := &index{m: m, byID: make(map[string]*zoneInfo, len(m.Zones)), joined: map[[2]string]bool{}}
	for i := range m.Zones {
		z := &m.Zones[i]
		if z.Deleted || z.ID == "" {
			continue
		}
		zi := &zoneInfo{z: z, levels: levelsOf(z.PurdueLevels...)}
		ix.zones = append(ix.zones, zi)
		ix.byID[z.ID] = zi
	}
	slices.SortFunc(ix.zones, func(a, b *zoneInfo) int {
		return cmp.Or(cmp.Compare(a.z.Name, b.z.Name), cmp.Compare(a.z.ID, b.z.ID))
	})
	for _, a := range m.Assets {
		if a == nil || a.Deleted {
			continue
		}
		if zi := ix.byID[a.Zone]; zi != nil {
			zi.members = append(zi.members, a)
		} else {
			ix.unzoned = append(ix.unzoned, a)
		}
	}
	// Members in tag order, so texts and Covers do not depend on the order
	// records came from the store.
	byTitle := func(a, b *assets.Asset) int {
		return cmp.Or(cmp.Compare(a.Title(), b.Title()), cmp.Compare(a.ID, b.ID))
	}
	slices.SortFunc(ix.unzoned, byTitle)
	for _, zi := range ix.zones {
		slices.SortFunc(zi.members, byTitle)
		if len(zi.z.PurdueLevels) == 0 {
			for _, a := range zi.members {
				zi.levels |= levelsOf(a.Purdue)
			}
		}
	}
	for i := range m.Conduits {
		c := &m.Conduits[i]
		if c.Deleted {
			continue
		}
		ix.conduits = append(ix.conduits, c)
		if c.From != "" && c.To != "" {
			ix.joined[pairKey(c.From, c.To)] = true
		}
	}
	slices.SortFunc(ix.conduits, func(a, b *assets.Conduit) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	for _, zi := range ix.zones {
		ix.groups = append(ix.groups, group{
			subject: zi.ref(), name: zi.z.Name, where: fmt.Sprintf("in zone %q", zi.z.Name),
			zone: zi, members: zi.members,
		})
	}
	if len(ix.unzoned) > 0 {
		ix.groups = append(ix.groups, group{
			subject: ix.auditRef(), name: ix.auditName(), where: "outside any zone", members: ix.unzoned,
		})
	}
	return ix
}

func (ix *index) auditRef() assets.Ref { return assets.Ref{Kind: "audit", ID: ix.m.Audit.ID} }

func (ix *index) auditName() string {
	if ix.m.Audit.Title != "" {
		return ix.m.Audit.Title
	}
	return "audit"
}

// end is one side of a conduit: a zone of the model, or outside the
// system under consideration.
type end struct {
	zone    *zoneInfo // nil when outside or unknown
	outside bool
	missing string // ID of a zone that does not exist
}

func (ix *index) end(id string) end {
	if id == "" {
		return end{outside: true}
	}
	if zi := ix.byID[id]; zi != nil {
		return end{zone: zi}
	}
	return end{missing: id}
}

func (e end) name() string {
	switch {
	case e.zone != nil:
		return fmt.Sprintf("zone %q", e.zone.z.Name)
	case e.outside:
		return "outside the system under consideration"
	}
	return fmt.Sprintf("unknown zone %s", e.missing)
}

// levels treats outside as enterprise and external networks (L5).
func (e end) levels() levelSet {
	switch {
	case e.zone != nil:
		return e.zone.levels
	case e.outside:
		return levelsOf(assets.Purdue5)
	}
	return 0
}

// quoteList writes up to limit names quoted, then how many more there are.
func quoteList(names []string, limit int) string {
	var b strings.Builder
	for i, n := range names {
		if i == limit {
			fmt.Fprintf(&b, " and %d more", len(names)-limit)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", n)
	}
	return b.String()
}

// listLimit bounds how many names a finding's text lists; Covers holds all.
const listLimit = 12

func titles(as []*assets.Asset) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Title()
	}
	return out
}

func ids(as []*assets.Asset) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// slText writes a target vector for a title: "SL-T 2", or
// "SL-T 2,2,3,1,2,1,3" when the FRs differ, or "no SL-T".
func slText(v assets.SLVector) string {
	if v.IsZero() {
		return "no SL-T"
	}
	parts := make([]string, len(v))
	same := true
	for i, l := range v {
		parts[i] = fmt.Sprint(l)
		same = same && l == v[0]
	}
	if same {
		return "SL-T " + parts[0]
	}
	return "SL-T " + strings.Join(parts, ",")
}

// pick chooses the singular or plural form without a count.
func pick(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
