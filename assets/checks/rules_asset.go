package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// Asset rules report per zone (and once for the assets outside any zone)
// rather than per asset: a zone is the unit a site plans remediation for,
// and a fourteen-line list of identical findings buries the rest. Covers
// keeps each asset's ID, so an acceptance never extends to assets added
// later (see Reconcile).

// perGroup raises one finding for each group with members matching bad.
func perGroup(ix *index, raise func(issue), bad func(g *group, a *assets.Asset) bool,
	describe func(g *group, hits []*assets.Asset) issue) {
	for gi := range ix.groups {
		g := &ix.groups[gi]
		var hits []*assets.Asset
		for _, a := range g.members {
			if bad(g, a) {
				hits = append(hits, a)
			}
		}
		if len(hits) == 0 {
			continue
		}
		is := describe(g, hits)
		is.subject, is.subjectName, is.covers = g.subject, g.name, ids(hits)
		raise(is)
	}
}

// assetsTitle says "asset "PLC-101" <what>" for one asset, or
// "N assets <where> <what-plural>" for several.
func assetsTitle(hits []*assets.Asset, where, one, many string) string {
	if len(hits) == 1 {
		return fmt.Sprintf("asset %q %s %s", hits[0].Title(), where, one)
	}
	return fmt.Sprintf("%d assets %s %s", len(hits), where, many)
}

func listDetail(hits []*assets.Asset) string {
	if len(hits) == 1 {
		return ""
	}
	return fmt.Sprintf("Assets: %s.", quoteList(titles(hits), listLimit))
}

var ruleAssetNoZone = Rule{
	ID:         "ZW-ASSET-001",
	Title:      "Asset without a zone",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 3.1", "62443-2-1 NET 1.2"},
	Explanation: "Every asset of the system under consideration belongs to exactly one zone; that decides " +
		"which policy and target level apply to it. An asset without a zone is outside the model and " +
		"escapes every zone check.",
	Advice: "Assign each listed asset to the zone whose policy it follows, or create a zone for it.",
	check: func(ix *index, raise func(issue)) {
		if len(ix.unzoned) == 0 {
			return
		}
		var unknown []string
		for _, a := range ix.unzoned {
			if a.Zone != "" {
				unknown = append(unknown, fmt.Sprintf("asset %q names zone %s, which does not exist", a.Title(), a.Zone))
			}
		}
		var title string
		if len(ix.unzoned) == 1 {
			title = fmt.Sprintf("asset %q has no zone", ix.unzoned[0].Title())
		} else {
			title = fmt.Sprintf("%d assets have no zone", len(ix.unzoned))
		}
		detail := listDetail(ix.unzoned)
		if len(unknown) > 0 {
			if len(unknown) > listLimit {
				unknown = append(unknown[:listLimit], fmt.Sprintf("and %d more", len(unknown)-listLimit))
			}
			detail = strings.TrimSpace(detail + " " + strings.Join(unknown, "; ") + ".")
		}
		raise(issue{subject: ix.auditRef(), subjectName: ix.auditName(), title: title, detail: detail,
			covers: ids(ix.unzoned)})
	},
}

var ruleAssetNoFirmware = Rule{
	ID:         "ZW-ASSET-002",
	Title:      "Asset without firmware or software version",
	Severity:   Low,
	References: []string{"62443-2-1 CM 1.1", "62443-2-1 COMP 3.3"},
	Explanation: "Without the firmware or software version of a device nobody can tell which published " +
		"vulnerabilities affect it or whether a patch applies; the inventory baseline needs it.",
	Advice: "Read the version from each listed device (display, web page, engineering tool or nameplate) " +
		"and record it in the inventory.",
	check: func(ix *index, raise func(issue)) {
		perGroup(ix, raise,
			func(_ *group, a *assets.Asset) bool { return strings.TrimSpace(a.Firmware) == "" },
			func(g *group, hits []*assets.Asset) issue {
				return issue{
					title:  assetsTitle(hits, g.where, "has no firmware or software version", "have no firmware or software version"),
					detail: listDetail(hits)}
			})
	},
}

var ruleAssetEOL = Rule{
	ID:         "ZW-ASSET-003",
	Title:      "Unsupported (end-of-life) assets",
	Severity:   Medium,
	References: []string{"62443-2-1 COMP 3.3", "62443-2-1 COMP 3.5"},
	Explanation: "A device its vendor no longer supports gets no security fixes: its weaknesses stay open " +
		"for good, so it needs compensating controls and a replacement plan. High when any listed asset " +
		"has high or critical criticality.",
	Advice: "Plan the replacement of the listed devices. Until then, document compensating controls " +
		"(tighter conduit rules, monitoring, disabled services) as patch mitigation.",
	check: func(ix *index, raise func(issue)) {
		perGroup(ix, raise,
			func(_ *group, a *assets.Asset) bool { return a.EndOfLife },
			func(g *group, hits []*assets.Asset) issue {
				sev := Medium
				for _, a := range hits {
					if a.Criticality == assets.CriticalityHigh || a.Criticality == assets.CriticalityCrit {
						sev = High
					}
				}
				return issue{severity: sev,
					title:  assetsTitle(hits, g.where, "is no longer supported by its vendor", "are no longer supported by their vendors"),
					detail: listDetail(hits)}
			})
	},
}

var ruleAssetNoSLC = Rule{
	ID:         "ZW-ASSET-004",
	Title:      "Components without SL-C evidence in a zone at SL-T 3 or above",
	Severity:   Medium,
	References: []string{"62443-2-1 ORG 1.6", "62443-3-2 ZCR 6.1"},
	Explanation: "From SL-T 3 up a zone reaches its target only if its components are capable of it. A " +
		"component counts as evidenced when it has a recorded capability level (SL-C) at least the " +
		"zone's highest target, or a 62443-4-2 certificate. Field devices without a network address " +
		"are left out: they are reached only through the controller they are wired to.",
	Advice: "Ask the vendors for the SL-C or 4-2 certificates of the listed components and record them. " +
		"Where a component cannot reach the level, add compensating controls at the zone boundary or plan " +
		"its replacement.",
	check: func(ix *index, raise func(issue)) {
		perGroup(ix, raise,
			func(g *group, a *assets.Asset) bool {
				if g.zone == nil {
					return false
				}
				need := g.zone.z.SLT.Summary()
				if a.Type == assets.TypeSensor && len(a.IPs) == 0 {
					return false
				}
				return need >= 3 && a.SLC < need && strings.TrimSpace(a.Certificate) == ""
			},
			func(g *group, hits []*assets.Asset) issue {
				slt := g.zone.z.SLT
				need := slt.Summary()
				var frs []string
				for i, l := range slt {
					if l == need {
						frs = append(frs, frLabel(assets.FRs[i]))
					}
				}
				why := "for every FR"
				if len(frs) < len(slt) {
					why = "for " + strings.Join(frs, ", ")
				}
				return issue{
					title: assetsTitle(hits, g.where,
						fmt.Sprintf("has no SL-C %d or 4-2 certificate (zone SL-T %d %s)", need, need, why),
						fmt.Sprintf("have no SL-C %d or 4-2 certificate (zone SL-T %d %s)", need, need, why)),
					detail: listDetail(hits)}
			})
	},
}

var ruleAssetDuplicateTag = Rule{
	ID:         "ZW-ASSET-005",
	Title:      "Tag used by more than one asset",
	Severity:   Medium,
	References: []string{"62443-2-1 CM 1.1", "62443-3-3 SR 7.8"},
	Explanation: "A tag names one device on site, in the report and in every finding. Two records with " +
		"one tag (compared ignoring case and spaces) are either two devices an auditor cannot tell " +
		"apart, or one device captured twice, for instance on two laptops before their bundles merged.",
	Advice: "If they are different devices, rename one to the tag on its label. If they are the same " +
		"device, keep the fuller record, move the other's photos to it and delete the other.",
	check: func(ix *index, raise func(issue)) {
		byTag := map[string][]*assets.Asset{}
		var keys []string
		for i := range ix.m.Assets {
			a := ix.m.Assets[i]
			k := strings.ToLower(strings.TrimSpace(a.Tag))
			if a.Deleted || k == "" {
				continue
			}
			if len(byTag[k]) == 1 {
				keys = append(keys, k)
			}
			byTag[k] = append(byTag[k], a)
		}
		slices.Sort(keys)
		for _, k := range keys {
			hits := byTag[k]
			raise(issue{subject: ix.auditRef(), subjectName: ix.auditName(), key: k, covers: ids(hits),
				title:  fmt.Sprintf("tag %q is used by %d assets", strings.TrimSpace(hits[0].Tag), len(hits)),
				detail: fmt.Sprintf("Records: %s.", quoteList(describeAll(hits), listLimit))})
		}
	},
}

// describeAll names each asset by tag, name and zone, so that two records
// with one tag can be told apart.
func describeAll(list []*assets.Asset) []string {
	out := make([]string, len(list))
	for i, a := range list {
		d := a.Tag
		if a.Name != "" {
			d += " (" + a.Name + ")"
		}
		if a.Zone != "" {
			d += " in zone " + a.Zone
		}
		out[i] = d
	}
	return out
}
