package checks

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// Capability rules compare what a zone's components can do (SL-C, 62443-4-2)
// with what the zone must achieve (SL-T). A zone's SL-C is the per-FR
// minimum over its members with capability information, as
// assets.CapabilityIndex computes it for the capability screen too.

// frSet is a set of FRs, one bit each.
type frSet uint8

func (s frSet) has(f assets.FR) bool { return s&(1<<f) != 0 }

// compensations are the FRs that implemented countermeasures cover, per
// zone ID and per asset ID. A countermeasure that lists no FR is not
// counted: it cannot say which shortfall it makes up for.
func compensations(cms []assets.Countermeasure) (zones, assetsCM map[string]frSet) {
	zones, assetsCM = map[string]frSet{}, map[string]frSet{}
	for i := range cms {
		cm := &cms[i]
		if cm.Deleted || (cm.Status != "" && cm.Status != assets.CountermeasureImplemented) {
			continue
		}
		var frs frSet
		for _, f := range cm.FRs {
			if f >= 0 && int(f) < len(assets.FRs) {
				frs |= 1 << f
			}
		}
		for _, r := range cm.AppliesTo {
			switch r.Kind {
			case "zone":
				zones[r.ID] |= frs
			case "asset":
				assetsCM[r.ID] |= frs
			}
		}
	}
	return zones, assetsCM
}

// slcGap is one FR in which a zone's components fall short of its target
// with nothing to make up for it.
type slcGap struct {
	fr       assets.FR
	slc, slt int
	capping  []*assets.Asset // members at the zone's SL-C
	open     []*assets.Asset // members below SL-T without a countermeasure
}

var ruleCapBelowTarget = Rule{
	ID:         "ZW-CAP-001",
	Title:      "Component capability below the zone's target, not compensated",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 5.8", "62443-3-2 ZCR 5.12"},
	Explanation: "A zone cannot reach a security level its components are not capable of: per FR its " +
		"capability (SL-C) is that of its weakest member with known capability, from the component " +
		"assessment, the recorded 62443-4-2 level or a certificate. Where that falls below the SL-T, " +
		"the gap must be closed by a compensating countermeasure outside the components, and documented. " +
		"An FR counts as compensated by an implemented countermeasure that names the FR and applies to " +
		"the zone, or to every member below the target. High when any FR falls short by two levels or more.",
	Advice: "Record the countermeasure that makes up for the named FRs (e.g. boundary filtering, a jump host, " +
		"monitoring), with the FRs it covers and the zone or assets it applies to; or replace or upgrade the " +
		"capping components. If the target looks too high, revisit the risk assessment instead.",
	check: func(ix *index, raise func(issue)) {
		caps := assets.NewCapabilityIndex(ix.m.Capabilities, ix.m.ComponentSLC)
		zoneCM, assetCM := compensations(ix.m.Countermeasures)
		for _, zi := range ix.zones {
			slt := zi.z.SLT
			if slt.IsZero() || len(zi.members) == 0 {
				continue
			}
			zs := caps.Zone(zi.members)
			if zs.Known == 0 {
				continue // nothing known: ZW-CAP-002 asks for the information
			}
			var gaps []slcGap
			for i, fr := range assets.FRs {
				t := slt[i]
				if t == 0 || zs.SLC[i] >= t || zoneCM[zi.z.ID].has(fr) {
					continue
				}
				g := slcGap{fr: fr, slc: zs.SLC[i], slt: t, capping: zs.Capping[i]}
				for _, a := range zi.members {
					if s, known := zs.Of[a]; known && s.SLC[i] < t && !assetCM[a.ID].has(fr) {
						g.open = append(g.open, a)
					}
				}
				if len(g.open) > 0 {
					gaps = append(gaps, g)
				}
			}
			if len(gaps) == 0 {
				continue
			}
			raise(capGapIssue(zi, gaps))
		}
	},
}

func capGapIssue(zi *zoneInfo, gaps []slcGap) issue {
	var frs, refs, parts []string
	var capping, open []*assets.Asset
	seenCap, seenOpen := map[string]bool{}, map[string]bool{}
	sev := Medium
	for _, g := range gaps {
		frs = append(frs, frLabel(g.fr))
		refs = append(refs, frRef(g.fr))
		if g.slt-g.slc >= 2 {
			sev = High
		}
		part := fmt.Sprintf("%s: SL-C %d, SL-T %d, capped by %s", frLabel(g.fr), g.slc, g.slt, quoteList(titles(g.capping), listLimit))
		var others []*assets.Asset
		for _, a := range g.capping {
			if !seenCap[a.ID] {
				seenCap[a.ID] = true
				capping = append(capping, a)
			}
		}
		for _, a := range g.open {
			if !seenOpen[a.ID] {
				seenOpen[a.ID] = true
				open = append(open, a)
			}
			if !slices.Contains(g.capping, a) {
				others = append(others, a)
			}
		}
		if len(others) > 0 {
			part += fmt.Sprintf("; also below SL-T: %s", quoteList(titles(others), listLimit))
		}
		parts = append(parts, part)
	}
	// Members are in tag order per FR; so is the union.
	sortByTitle(capping)
	sortByTitle(open)
	return issue{subject: zi.ref(), subjectName: zi.z.Name, severity: sev, refs: refs, covers: ids(open),
		title: fmt.Sprintf("zone %q SL-C is below its SL-T in %s with no compensating countermeasure; capped by %s",
			zi.z.Name, strings.Join(frs, ", "), quoteList(titles(capping), listLimit)),
		detail: strings.Join(parts, ". ") + "."}
}

func sortByTitle(as []*assets.Asset) {
	slices.SortFunc(as, func(a, b *assets.Asset) int {
		return cmp.Or(cmp.Compare(a.Title(), b.Title()), cmp.Compare(a.ID, b.ID))
	})
}

var ruleCapUnknown = Rule{
	ID:         "ZW-CAP-002",
	Title:      "Asset type without capability information in a zone at SL-T 3 or above",
	Severity:   Medium,
	References: []string{"62443-2-1 ORG 1.6", "62443-3-2 ZCR 5.2"},
	Explanation: "From SL-T 3 up a zone needs components built to resist skilled attackers, and that can only " +
		"be judged from their capability: a 62443-4-2 assessment, a recorded SL-C or a certificate, for the " +
		"asset or for its vendor and model. For the listed assets there is none, so the zone's SL-C leaves " +
		"them out and may look better than it is. One finding per asset type, since one vendor question " +
		"often answers for all of a type. Field devices without a network address are left out: they are " +
		"reached only through the controller they are wired to.",
	Advice: "Ask the vendor for the product's 62443-4-2 capability or certificate, record it once for the " +
		"vendor and model, or assess the component with the 4-2 checklist.",
	check: func(ix *index, raise func(issue)) {
		caps := assets.NewCapabilityIndex(ix.m.Capabilities, ix.m.ComponentSLC)
		for _, zi := range ix.zones {
			need := zi.z.SLT.Summary()
			if need < 3 || len(zi.members) == 0 {
				continue
			}
			byType := map[assets.AssetType][]*assets.Asset{}
			var order []assets.AssetType
			for _, a := range caps.Zone(zi.members).Unknown {
				if a.Type == assets.TypeSensor && len(a.IPs) == 0 {
					continue
				}
				if byType[a.Type] == nil {
					order = append(order, a.Type)
				}
				byType[a.Type] = append(byType[a.Type], a)
			}
			for _, t := range order {
				hits := byType[t]
				var title string
				if len(hits) == 1 {
					title = fmt.Sprintf("zone %q (%s): %s %q has no capability information",
						zi.z.Name, slText(zi.z.SLT), t.Label(), hits[0].Title())
				} else {
					title = fmt.Sprintf("zone %q (%s): %s of type %s have no capability information",
						zi.z.Name, slText(zi.z.SLT), english.Count(len(hits), "asset", "assets"), t.Label())
				}
				raise(issue{subject: zi.ref(), subjectName: zi.z.Name, key: string(t), covers: ids(hits),
					title: title, detail: listDetail(hits)})
			}
		}
	},
}
