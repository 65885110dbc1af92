package diff

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// side is one audit as the comparison needs it, read once.
type side struct {
	w        *app.Workspace
	audit    assets.Audit
	zones    map[string]assets.Zone
	conduits map[string]assets.Conduit
	assets   map[string]*assets.Asset
	sla      map[string]assets.SLVector // zones with at least one verdict
	findings []checks.Finding
	answers  map[string]checklist.Answer
}

func load(ctx context.Context, w *app.Workspace, day time.Time) (*side, error) {
	s := &side{w: w, audit: w.Audit(), zones: map[string]assets.Zone{}, conduits: map[string]assets.Conduit{},
		assets: map[string]*assets.Asset{}, answers: map[string]checklist.Answer{}}
	for _, z := range w.Zones() {
		s.zones[z.ID] = z
	}
	for _, c := range w.Conduits() {
		s.conduits[c.ID] = c
	}
	for _, a := range w.Assets() {
		s.assets[a.ID] = a
	}
	var err error
	if s.sla, err = w.AchievedLevels(SLATemplate); err != nil {
		return nil, fmt.Errorf("SL-A: %w", err)
	}
	answers, err := w.Answers("")
	if err != nil {
		return nil, fmt.Errorf("answers: %w", err)
	}
	for _, a := range answers {
		s.answers[a.ID] = a
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.findings, err = w.CurrentFindings(ctx, day); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	return s, nil
}

func (s *side) info() Audit {
	return Audit{ID: s.audit.ID, Title: s.audit.Title, Site: s.audit.Site, StartDate: s.audit.StartDate,
		EndDate: s.audit.EndDate, Assets: len(s.assets), Zones: len(s.zones), Conduits: len(s.conduits)}
}

// zoneName names a zone of this side; a dangling ID stays an ID, so the
// reader still sees that something was there.
func (s *side) zoneName(id string) string {
	if z, ok := s.zones[id]; ok {
		return z.Name
	}
	return id
}

func (s *side) slaOf(id string) *assets.SLVector {
	if v, ok := s.sla[id]; ok {
		return &v
	}
	return nil
}

// sameZone reports whether zone reference b (baseline) and a (current) are
// the same zone: the same record, or zones of the same name (deleted and
// re-created). A renamed zone is a change of the zone, not of every asset
// and conduit in it.
func sameZone(before, after *side, b, a string) bool {
	if b == a {
		return true
	}
	zb, okb := before.zones[b]
	za, oka := after.zones[a]
	return okb && oka && sameName(zb.Name, za.Name)
}

// dropZoneFields removes changes of the named zone fields where the zones
// are the same by sameZone.
func dropZoneFields(ch []FieldChange, same map[string]bool) []FieldChange {
	return slices.DeleteFunc(ch, func(c FieldChange) bool { return same[c.Field] })
}

var assetFieldNames = []string{"tag", "name", "type", "vendor", "model", "firmware", "serial", "ips", "macs",
	"purdue", "zone", "criticality", "location.building", "location.room", "location.cabinet", "owner",
	"end_of_life", "wireless", "sl_c", "certificate", "notes"}

func assetValues(s *side, a *assets.Asset) []any {
	return []any{a.Tag, a.Name, string(a.Type), a.Vendor, a.Model, a.Firmware, a.Serial, sortedCopy(a.IPs),
		sortedCopy(a.MACs), string(a.Purdue), s.zoneName(a.Zone), string(a.Criticality), a.Location.Building,
		a.Location.Room, a.Location.Cabinet, a.Owner, a.EndOfLife, a.Wireless, a.SLC, a.Certificate, a.Notes}
}

// sameAsset is the quick test for the common case, an asset nobody
// touched: every compared field equal as stored (lists in the same order,
// the same zone ID). Anything else goes through the field by field diff.
func sameAsset(b, a *assets.Asset) bool {
	return b.Tag == a.Tag && b.Name == a.Name && b.Type == a.Type && b.Vendor == a.Vendor && b.Model == a.Model &&
		b.Firmware == a.Firmware && b.Serial == a.Serial && slices.Equal(b.IPs, a.IPs) && slices.Equal(b.MACs, a.MACs) &&
		b.Purdue == a.Purdue && b.Zone == a.Zone && b.Criticality == a.Criticality && b.Location == a.Location &&
		b.Owner == a.Owner && b.EndOfLife == a.EndOfLife && b.Wireless == a.Wireless && b.SLC == a.SLC &&
		b.Certificate == a.Certificate && b.Notes == a.Notes
}

func tagKey(tag string) string { return strings.ToLower(strings.TrimSpace(tag)) }

func assetRef(s *side, a *assets.Asset) AssetRef {
	return AssetRef{ID: a.ID, Tag: a.Tag, Name: a.Name, Type: string(a.Type), Zone: s.zoneName(a.Zone), SameTag: []string{}}
}

func compareAssets(before, after *side) AssetChanges {
	out := AssetChanges{Added: []AssetRef{}, Removed: []AssetRef{}, Changed: []AssetChange{}}
	for id, b := range before.assets {
		a, ok := after.assets[id]
		if !ok {
			out.Removed = append(out.Removed, assetRef(before, b))
			continue
		}
		if sameAsset(b, a) {
			continue
		}
		ch := fields(assetFieldNames, assetValues(before, b), assetValues(after, a))
		if sameZone(before, after, b.Zone, a.Zone) {
			ch = dropZoneFields(ch, map[string]bool{"zone": true})
		}
		if len(ch) > 0 {
			out.Changed = append(out.Changed, AssetChange{ID: id, Tag: a.Tag, Changes: ch})
		}
	}
	for id, a := range after.assets {
		if _, ok := before.assets[id]; !ok {
			out.Added = append(out.Added, assetRef(after, a))
		}
	}
	// An added and a removed asset with one tag: flag both, naming each other.
	removedByTag := map[string][]int{}
	for i, r := range out.Removed {
		if k := tagKey(r.Tag); k != "" {
			removedByTag[k] = append(removedByTag[k], i)
		}
	}
	for i := range out.Added {
		for _, j := range removedByTag[tagKey(out.Added[i].Tag)] {
			out.Added[i].Recreated, out.Removed[j].Recreated = true, true
			out.Added[i].SameTag = append(out.Added[i].SameTag, out.Removed[j].ID)
			out.Removed[j].SameTag = append(out.Removed[j].SameTag, out.Added[i].ID)
		}
	}
	byTag := func(x, y AssetRef) int { return compareText(x.Tag, y.Tag, x.ID, y.ID) }
	for _, l := range [][]AssetRef{out.Added, out.Removed} {
		slices.SortFunc(l, byTag)
		for i := range l {
			slices.Sort(l[i].SameTag)
		}
	}
	slices.SortFunc(out.Changed, func(x, y AssetChange) int { return compareText(x.Tag, y.Tag, x.ID, y.ID) })
	return out
}

var zoneFieldNames = []string{"name", "description", "purdue_levels", "sl_t", "sl_a",
	"rationale.safety", "rationale.environment", "rationale.operations", "rationale.finance",
	"rationale.reputation", "rationale.likelihood", "rationale.tolerable_risk", "rationale.text",
	"rationale.approved_by", "rationale.approved_at", "sl_t_basis.source", "sl_t_basis.suggested", "sl_t_basis.reason"}

func zoneValues(s *side, z *assets.Zone) []any {
	levels := make([]string, 0, len(z.PurdueLevels))
	for _, p := range z.PurdueLevels {
		levels = append(levels, string(p))
	}
	slices.SortFunc(levels, func(a, b string) int { return assets.Purdue(a).Rank() - assets.Purdue(b).Rank() })
	slt := z.SLT
	r := z.Rationale
	b := z.SLTBasis
	return []any{z.Name, z.Description, levels, &slt, s.slaOf(z.ID), r.Safety, r.Environment, r.Operations,
		r.Finance, r.Reputation, r.Likelihood, r.TolerableRisk, r.Text, r.ApprovedBy, r.ApprovedAt,
		b.Source, &b.Suggested, b.Reason}
}

func zoneRef(s *side, z *assets.Zone) ZoneRef {
	return ZoneRef{ID: z.ID, Name: z.Name, SLT: z.SLT, SLA: s.slaOf(z.ID)}
}

func compareZones(before, after *side) ZoneChanges {
	out := ZoneChanges{Added: []ZoneRef{}, Removed: []ZoneRef{}, Changed: []ZoneChange{}, Levels: []ZoneLevels{}}
	for id, b := range before.zones {
		lv := ZoneLevels{ID: id, Name: b.Name, SLTBefore: &b.SLT, SLABefore: before.slaOf(id)}
		a, ok := after.zones[id]
		if !ok {
			out.Removed = append(out.Removed, zoneRef(before, &b))
		} else {
			lv.Name, lv.SLTAfter, lv.SLAAfter = a.Name, &a.SLT, after.slaOf(id)
			if ch := fields(zoneFieldNames, zoneValues(before, &b), zoneValues(after, &a)); len(ch) > 0 {
				out.Changed = append(out.Changed, ZoneChange{ID: id, Name: a.Name, Changes: ch})
			}
		}
		out.Levels = append(out.Levels, lv)
	}
	for id, a := range after.zones {
		if _, ok := before.zones[id]; !ok {
			out.Added = append(out.Added, zoneRef(after, &a))
			out.Levels = append(out.Levels, ZoneLevels{ID: id, Name: a.Name, SLTAfter: &a.SLT, SLAAfter: after.slaOf(id)})
		}
	}
	slices.SortFunc(out.Added, func(x, y ZoneRef) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	slices.SortFunc(out.Removed, func(x, y ZoneRef) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	slices.SortFunc(out.Changed, func(x, y ZoneChange) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	slices.SortFunc(out.Levels, func(x, y ZoneLevels) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	return out
}

var conduitFieldNames = []string{"name", "from", "to", "flows", "direction", "controls", "remote_access",
	"temporary", "sl_t", "policy"}

func conduitValues(s *side, c *assets.Conduit) []any {
	flows := make([]string, 0, len(c.Flows))
	for _, f := range c.Flows {
		flows = append(flows, f.String())
	}
	controls := make([]string, 0, len(c.Controls))
	for _, ctl := range c.Controls {
		controls = append(controls, string(ctl))
	}
	slices.Sort(flows)
	slices.Sort(controls)
	slt := c.SLT
	return []any{c.Name, s.endName(c.From), s.endName(c.To), flows, string(c.Direction), controls, c.RemoteAccess,
		c.Temporary, &slt, c.Policy}
}

// endName names a conduit end: "" is outside the system under consideration.
func (s *side) endName(id string) string {
	if id == "" {
		return ""
	}
	return s.zoneName(id)
}

func conduitRef(s *side, c *assets.Conduit) ConduitRef {
	return ConduitRef{ID: c.ID, Name: c.Name, From: s.endName(c.From), To: s.endName(c.To)}
}

func compareConduits(before, after *side) ConduitChanges {
	out := ConduitChanges{Added: []ConduitRef{}, Removed: []ConduitRef{}, Changed: []ConduitChange{}}
	for id, b := range before.conduits {
		a, ok := after.conduits[id]
		if !ok {
			out.Removed = append(out.Removed, conduitRef(before, &b))
			continue
		}
		ch := fields(conduitFieldNames, conduitValues(before, &b), conduitValues(after, &a))
		ch = dropZoneFields(ch, map[string]bool{
			"from": sameZone(before, after, b.From, a.From),
			"to":   sameZone(before, after, b.To, a.To),
		})
		if len(ch) > 0 {
			out.Changed = append(out.Changed, ConduitChange{ID: id, Name: a.Name, Changes: ch})
		}
	}
	for id, a := range after.conduits {
		if _, ok := before.conduits[id]; !ok {
			out.Added = append(out.Added, conduitRef(after, &a))
		}
	}
	slices.SortFunc(out.Added, func(x, y ConduitRef) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	slices.SortFunc(out.Removed, func(x, y ConduitRef) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	slices.SortFunc(out.Changed, func(x, y ConduitChange) int { return compareText(x.Name, y.Name, x.ID, y.ID) })
	return out
}
