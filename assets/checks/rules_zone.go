package checks

import (
	"fmt"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// reviewAge is how old a review may be before it counts as overdue.
func reviewOverdue(date string, today time.Time) (overdue bool, unreadable bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return true, true
	}
	return t.AddDate(1, 0, 0).Before(dateOnly(today)), false
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

var ruleAuditReview = Rule{
	ID:         "ZW-AUDIT-001",
	Title:      "Audit data not reviewed in the last 12 months",
	Severity:   Low,
	References: []string{"62443-2-1 ORG 2.4", "62443-2-1 CM 1.2"},
	Explanation: "The inventory and the zone model drift away from the plant as it changes. The security " +
		"program needs a regular, dated review showing they still describe the site; without one nobody " +
		"can tell whether they do.",
	Advice: "Go through the inventory, zones and conduits with the asset owner, correct what changed, and " +
		"record the date of the review in the audit description.",
	check: func(ix *index, raise func(issue)) {
		a := ix.m.Audit
		if a.ID == "" && a.Title == "" {
			return // no audit description yet: nothing to judge
		}
		var title string
		if a.ReviewedAt == "" {
			title = fmt.Sprintf("audit %q has no recorded review of its data", ix.auditName())
		} else if overdue, bad := reviewOverdue(a.ReviewedAt, ix.m.Today); bad {
			title = fmt.Sprintf("audit %q review date %q is not a date", ix.auditName(), a.ReviewedAt)
		} else if overdue {
			title = fmt.Sprintf("audit %q data was last reviewed on %s, more than 12 months before %s",
				ix.auditName(), a.ReviewedAt, ix.m.Today.Format(time.DateOnly))
		} else {
			return
		}
		raise(issue{subject: ix.auditRef(), subjectName: ix.auditName(), title: title})
	},
}

var ruleZoneEmpty = Rule{
	ID:         "ZW-ZONE-001",
	Title:      "Zone without assets",
	Severity:   Low,
	References: []string{"62443-3-2 ZCR 3.1", "62443-2-1 NET 1.2"},
	Explanation: "A zone groups assets under one policy. A zone with no assets is unfinished inventory work " +
		"or a leftover of an earlier design; either way the drawing shows a boundary nobody can check.",
	Advice: "Assign the assets that belong to the zone, or remove the zone and its conduits if it no longer exists.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			if len(zi.members) == 0 {
				raise(issue{subject: zi.ref(), subjectName: zi.z.Name,
					title: fmt.Sprintf("zone %q has no assets", zi.z.Name)})
			}
		}
	},
}

// unsetFRs names the FRs a vector leaves at 0.
func unsetFRs(v assets.SLVector) []string {
	var out []string
	for i, l := range v {
		if l == 0 {
			out = append(out, frLabel(assets.FRs[i]))
		}
	}
	return out
}

func frLabel(f assets.FR) string { return fmt.Sprintf("FR %d %s", f.Number(), f) }

func frRef(f assets.FR) string { return fmt.Sprintf("62443-3-3 FR %d", f.Number()) }

var ruleZoneNoSLT = Rule{
	ID:         "ZW-ZONE-002",
	Title:      "Zone without a target security level",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 5.6", "62443-3-2 ZCR 6.4"},
	Explanation: "The target security level (SL-T) says how strong the zone's defences must be for each of " +
		"the seven foundational requirements. Without it no requirement can be selected and no gap measured.",
	Advice: "Derive the SL-T from the detailed risk assessment and record a level for every FR.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			slt := zi.z.SLT
			var title string
			if slt.IsZero() {
				title = fmt.Sprintf("zone %q has no SL-T", zi.z.Name)
			} else if missing := unsetFRs(slt); len(missing) > 0 {
				title = fmt.Sprintf("zone %q has no SL-T for %s", zi.z.Name, strings.Join(missing, ", "))
			} else {
				continue
			}
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name, title: title})
		}
	},
}

var ruleZoneNoRationale = Rule{
	ID:         "ZW-ZONE-003",
	Title:      "SL-T without documented risk rationale",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 5.6", "62443-3-2 ZCR 5.13"},
	Explanation: "A target level can only be defended when the risk reasoning behind it is written down: how " +
		"bad the worst consequences are and how likely an attack is. Without it the level looks arbitrary " +
		"and cannot be revisited when the plant changes.",
	Advice: "Rate the consequences (safety, environment, operations, finance, reputation) and the likelihood, " +
		"and write a short rationale for the chosen SL-T in the zone's risk section.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			r := zi.z.Rationale
			if zi.z.SLT.IsZero() {
				continue // ZW-ZONE-002 covers it
			}
			rated := max(r.Safety, r.Environment, r.Operations, r.Finance, r.Reputation) > 0
			if strings.TrimSpace(r.Text) != "" || (rated && r.Likelihood > 0) {
				continue
			}
			var missing []string
			if !rated {
				missing = append(missing, "no consequence rating")
			}
			if r.Likelihood == 0 {
				missing = append(missing, "no likelihood rating")
			}
			missing = append(missing, "no rationale text")
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name,
				title: fmt.Sprintf("zone %q has %s but no risk rationale (%s)",
					zi.z.Name, slText(zi.z.SLT), strings.Join(missing, ", "))})
		}
	},
}

var ruleZoneNotApproved = Rule{
	ID:         "ZW-ZONE-004",
	Title:      "SL-T not approved by the asset owner",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 7"},
	Explanation: "The asset owner carries the remaining risk, so the owner must approve each zone's target " +
		"level and its reasoning. Until then the SL-T is the auditor's proposal, not the site's commitment.",
	Advice: "Have the asset owner's accountable person approve the SL-T and record who approved it and when.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			r := zi.z.Rationale
			if zi.z.SLT.IsZero() || (strings.TrimSpace(r.ApprovedBy) != "" && r.ApprovedAt != "") {
				continue
			}
			what := "has no record of asset-owner approval"
			switch {
			case strings.TrimSpace(r.ApprovedBy) == "" && r.ApprovedAt != "":
				what = "approval has a date but no approver"
			case r.ApprovedAt == "" && strings.TrimSpace(r.ApprovedBy) != "":
				what = fmt.Sprintf("approval by %q has no date", r.ApprovedBy)
			}
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name,
				title: fmt.Sprintf("zone %q %s %s", zi.z.Name, slText(zi.z.SLT), what)})
		}
	},
}

var ruleZoneStaleApproval = Rule{
	ID:         "ZW-ZONE-005",
	Title:      "Zone risk rationale not reviewed in the last 12 months",
	Severity:   Low,
	References: []string{"62443-2-1 ORG 2.4", "62443-3-2 ZCR 7"},
	Explanation: "Risk changes with threats and with the plant. An SL-T approval older than a year has not " +
		"been checked against today's conditions.",
	Advice: "Review the zone's risk assessment and rationale with the asset owner and record the new approval date.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			at := zi.z.Rationale.ApprovedAt
			if at == "" {
				continue // ZW-ZONE-004 covers it
			}
			overdue, bad := reviewOverdue(at, ix.m.Today)
			if !overdue {
				continue
			}
			title := fmt.Sprintf("zone %q rationale was last approved on %s, more than 12 months before %s",
				zi.z.Name, at, ix.m.Today.Format(time.DateOnly))
			if bad {
				title = fmt.Sprintf("zone %q rationale approval date %q is not a date", zi.z.Name, at)
			}
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name, title: title})
		}
	},
}

var ruleZoneSLAGap = Rule{
	ID:         "ZW-ZONE-006",
	Title:      "Achieved security level below target",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 5.6"},
	Explanation: "The achieved level (SL-A), scored from the checklist answers for the zone, falls short of " +
		"the target for some foundational requirements: the zone's defences are weaker than its risk " +
		"assessment demands. High when any FR falls short by two levels or more.",
	Advice: "Close the unmet requirements of the named FRs (see the zone's checklist findings) or document " +
		"compensating controls. If the target itself looks too high, revisit the risk assessment rather " +
		"than lowering the SL-T without reasons.",
	check: func(ix *index, raise func(issue)) {
		if len(ix.m.SLA) == 0 {
			return
		}
		for _, zi := range ix.zones {
			sla, scored := ix.m.SLA[zi.z.ID]
			if !scored {
				continue
			}
			var gaps, refs []string
			sev := Medium
			for i, t := range zi.z.SLT {
				if t == 0 || sla[i] >= t {
					continue
				}
				fr := assets.FRs[i]
				gaps = append(gaps, fmt.Sprintf("%s: SL-A %d, SL-T %d", frLabel(fr), sla[i], t))
				refs = append(refs, frRef(fr))
				if t-sla[i] >= 2 {
					sev = High
				}
			}
			if len(gaps) == 0 {
				continue
			}
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name, severity: sev, refs: refs,
				title:  fmt.Sprintf("zone %q SL-A is below its SL-T for %s", zi.z.Name, english.Count(len(gaps), "FR", "FRs")),
				detail: strings.Join(gaps, "; ") + "."})
		}
	},
}

// mixed reports zones holding members of a special kind together with
// other members; other says which members count as "other". With
// minorityOnly, zones where the special kind outnumbers the others are
// taken to be zones for that kind and pass. Covers lists the misplaced
// side: the special members, or with coverOther the others.
func mixed(ix *index, raise func(issue), special, other func(*assets.Asset) bool, minorityOnly, coverOther bool,
	describe func(zone string, special, other []*assets.Asset) (title, detail string)) {
	for _, zi := range ix.zones {
		var sp, ot []*assets.Asset
		for _, a := range zi.members {
			switch {
			case special(a):
				sp = append(sp, a)
			case other(a):
				ot = append(ot, a)
			}
		}
		if len(sp) == 0 || len(ot) == 0 || (minorityOnly && len(sp) > len(ot)) {
			continue
		}
		title, detail := describe(zi.z.Name, sp, ot)
		covers := ids(sp)
		if coverOther {
			covers = ids(ot)
		}
		raise(issue{subject: zi.ref(), subjectName: zi.z.Name, title: title, detail: detail, covers: covers})
	}
}

func always(*assets.Asset) bool { return true }

var ruleZoneSafetyMixed = Rule{
	ID:         "ZW-ZONE-007",
	Title:      "Safety system shares a zone with non-safety assets",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 3.3", "62443-2-1 NET 1.3"},
	Explanation: "Safety instrumented systems are the last layer protecting people and plant. In a zone with " +
		"control or IT equipment, a compromise of any of those reaches the safety controller without " +
		"crossing a boundary. Field devices, network equipment, engineering stations and operator panels " +
		"are not counted against the SIS: a safety zone normally has its own, and the inventory cannot " +
		"tell them from those of the basic process control.",
	Advice: "Give the safety controllers, their field devices and dedicated network equipment a zone of their " +
		"own, joined to the control zone by a conduit that carries only what the safety function needs.",
	check: func(ix *index, raise func(issue)) {
		mixed(ix, raise,
			func(a *assets.Asset) bool { return a.Type == assets.TypeSIS },
			func(a *assets.Asset) bool {
				switch a.Type {
				case assets.TypeSensor, assets.TypeNetwork, assets.TypeFirewall, assets.TypeEWS, assets.TypeHMI:
					return false
				}
				return true
			}, false, true,
			func(zone string, sis, other []*assets.Asset) (string, string) {
				return fmt.Sprintf("zone %q holds %s %s together with %s",
						zone, pick(len(sis), "safety controller", "safety controllers"), quoteList(titles(sis), listLimit),
						english.Count(len(other), "non-safety asset", "non-safety assets")),
					fmt.Sprintf("Non-safety assets: %s.", quoteList(titles(other), listLimit))
			})
	},
}

func isWireless(a *assets.Asset) bool { return a.Wireless || a.Type == assets.TypeWireless }

var ruleZoneWirelessMixed = Rule{
	ID:         "ZW-ZONE-008",
	Title:      "Wireless devices in a zone of wired equipment",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 3.5", "62443-2-1 NET 2.2"},
	Explanation: "A radio interface reaches past fences and cabinets. Wireless devices in a zone of wired " +
		"equipment give anyone in radio range a way into that zone that no cable boundary controls.",
	Advice: "Move access points, radio links and devices with active radios into a wireless zone joined to " +
		"the wired zone by a conduit with boundary protection; switch off radios that are not needed.",
	check: func(ix *index, raise func(issue)) {
		mixed(ix, raise, isWireless, always, false, false,
			func(zone string, wl, wired []*assets.Asset) (string, string) {
				return fmt.Sprintf("zone %q mixes %s with %s",
						zone, english.Count(len(wl), "wireless device", "wireless devices"), english.Count(len(wired), "wired asset", "wired assets")),
					fmt.Sprintf("Wireless: %s.", quoteList(titles(wl), listLimit))
			})
	},
}

var ruleZoneTransientMixed = Rule{
	ID:         "ZW-ZONE-009",
	Title:      "Transient devices recorded in a permanent zone",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 3.4", "62443-2-1 COMP 1.2", "62443-3-3 SR 2.3"},
	Explanation: "Maintenance laptops, USB media and other transient devices visit other networks and come " +
		"back. Listing them as members of a permanent zone hides that they cross its boundary; they need " +
		"a zone of their own and controlled temporary conduits. A zone where transient devices are the " +
		"majority is taken to be such a zone, its media kiosk or docking station included.",
	Advice: "Put transient devices in a dedicated zone and model each way they connect as a temporary " +
		"conduit with approval and media scanning.",
	check: func(ix *index, raise func(issue)) {
		mixed(ix, raise,
			func(a *assets.Asset) bool { return a.Type == assets.TypeTransient }, always, true, false,
			func(zone string, tr, perm []*assets.Asset) (string, string) {
				return fmt.Sprintf("zone %q holds %s %s among %s",
						zone, pick(len(tr), "transient device", "transient devices"), quoteList(titles(tr), listLimit),
						english.Count(len(perm), "permanent asset", "permanent assets")),
					""
			})
	},
}

var (
	businessLevels = []assets.Purdue{assets.Purdue4, assets.Purdue5}
	controlLevels  = []assets.Purdue{assets.Purdue0, assets.Purdue1, assets.Purdue2}
)

var ruleZoneBusinessControl = Rule{
	ID:         "ZW-ZONE-010",
	Title:      "Zone spans business and control levels",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 3.2", "62443-3-3 SR 5.1", "62443-2-1 NET 1.1"},
	Explanation: "Business systems talk to the office network and the internet; control systems must not be " +
		"reachable from there. One zone covering both business (L4–L5) and control (L0–L2) levels puts " +
		"them under one policy with no boundary in between. The levels are the zone's own, or its assets' " +
		"when the zone declares none.",
	Advice: "Split the zone so business and control assets sit in different zones, with an industrial DMZ between them.",
	check: func(ix *index, raise func(issue)) {
		for _, zi := range ix.zones {
			if zi.levels.any(businessLevels...) && zi.levels.any(controlLevels...) {
				raise(issue{subject: zi.ref(), subjectName: zi.z.Name,
					title: fmt.Sprintf("zone %q spans Purdue levels %s, business and control in one zone",
						zi.z.Name, zi.levels.labels())})
			}
		}
	},
}
