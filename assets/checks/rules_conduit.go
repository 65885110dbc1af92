package checks

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

func conduitRef(c *assets.Conduit) assets.Ref { return assets.Ref{Kind: "conduit", ID: c.ID} }

// between names both ends of a conduit for a finding title.
func (ix *index) between(c *assets.Conduit) string {
	return fmt.Sprintf("%s and %s", ix.end(c.From).name(), ix.end(c.To).name())
}

// relatedZones lists the zones a conduit joins, for Finding.Related.
func (ix *index) relatedZones(c *assets.Conduit) []assets.Ref {
	var out []assets.Ref
	for _, id := range []string{c.From, c.To} {
		if zi := ix.byID[id]; zi != nil {
			out = append(out, zi.ref())
		}
	}
	return out
}

func (ix *index) conduitIssue(c *assets.Conduit, title string) issue {
	return issue{subject: conduitRef(c), subjectName: c.Name, related: ix.relatedZones(c), title: title}
}

var ruleConduitNoControls = Rule{
	ID:         "ZW-CONDUIT-001",
	Title:      "Conduit without documented security controls",
	Severity:   Medium,
	References: []string{"62443-3-3 SR 5.2", "62443-3-2 ZCR 6.4"},
	Explanation: "A conduit with no recorded controls shows a path between zones and nothing that restricts " +
		"it. Either the controls exist and are undocumented, or the path is open.",
	Advice: "Record the controls protecting the conduit (firewall, data diode, VPN, MFA, …); where there " +
		"are none, put boundary protection in place.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			if len(c.Controls) == 0 {
				raise(ix.conduitIssue(c, fmt.Sprintf("conduit %q between %s has no documented controls", c.Name, ix.between(c))))
			}
		}
	},
}

var ruleConduitNoPolicy = Rule{
	ID:         "ZW-CONDUIT-002",
	Title:      "Conduit without a security policy",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 6.4", "62443-2-1 NET 1.2"},
	Explanation: "Each conduit needs a written policy saying which flows are allowed, in which direction and " +
		"who may change that; the boundary device is configured and audited against it.",
	Advice: "Write the conduit policy: permitted protocols and ports, direction, which side opens " +
		"connections, and how exceptions are approved.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			if strings.TrimSpace(c.Policy) == "" {
				raise(ix.conduitIssue(c, fmt.Sprintf("conduit %q between %s has no policy", c.Name, ix.between(c))))
			}
		}
	},
}

var ruleConduitSkipsDMZ = Rule{
	ID:         "ZW-CONDUIT-003",
	Title:      "Direct conduit between business and control levels",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 3.2", "62443-3-3 SR 5.1", "62443-2-1 NET 1.1"},
	Explanation: "Traffic between business or external networks (L4–L5) and control levels (L0–L2) should " +
		"end in an industrial DMZ (L3.5) where data is brokered. A direct conduit lets whatever compromises " +
		"the business side talk to controllers and HMIs. A conduit leaving the system under consideration " +
		"counts as L5; the finding is critical then.",
	Advice: "Route the flows through a DMZ: replicate historian data or place a broker there, and let no " +
		"session cross from L4–L5 to L0–L2 in one hop.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			a, b := ix.end(c.From), ix.end(c.To)
			la, lb := a.levels(), b.levels()
			dmz := la.has(assets.Purdue35) || lb.has(assets.Purdue35)
			if dmz || la == 0 || lb == 0 {
				continue
			}
			crosses := (la.any(businessLevels...) && lb.any(controlLevels...)) ||
				(lb.any(businessLevels...) && la.any(controlLevels...))
			if !crosses {
				continue
			}
			is := ix.conduitIssue(c, fmt.Sprintf("conduit %q joins %s (%s) directly to %s (%s) with no DMZ",
				c.Name, a.name(), la.labels(), b.name(), lb.labels()))
			if a.outside || b.outside {
				is.severity = Critical
			}
			raise(is)
		}
	},
}

// boundaryControls are the controls that enforce a conduit policy at the
// zone boundary.
var boundaryControls = []assets.Control{assets.ControlFirewall, assets.ControlDataDiode, assets.ControlAppProxy}

var ruleConduitSLGap = Rule{
	ID:         "ZW-CONDUIT-004",
	Title:      "Conduit between zones whose SL-T differ by 2+ without boundary protection",
	Severity:   High,
	References: []string{"62443-3-3 SR 5.2", "62443-3-3 SR 5.1"},
	Explanation: "Where a conduit joins zones whose targets differ by two levels or more for some FR, the " +
		"weaker zone is a stepping stone into the stronger one. Only a device enforcing the conduit " +
		"policy — firewall, data diode or application proxy — keeps the stronger zone's level. Outside " +
		"the system under consideration counts as level 0.",
	Advice: "Put a firewall, data diode or application proxy on the conduit, configured to its policy, and " +
		"record it in the conduit's controls.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			if slices.ContainsFunc(boundaryControls, c.Has) {
				continue
			}
			a, b := ix.end(c.From), ix.end(c.To)
			if a.zone == nil && !a.outside || b.zone == nil && !b.outside {
				continue
			}
			var sa, sb assets.SLVector
			if a.zone != nil {
				sa = a.zone.z.SLT
			}
			if b.zone != nil {
				sb = b.zone.z.SLT
			}
			var gaps []string
			for i := range sa {
				// An unset level on a zone is unknown, not 0: skip it.
				if (a.zone != nil && sa[i] == 0) || (b.zone != nil && sb[i] == 0) {
					continue
				}
				if d := sa[i] - sb[i]; d >= 2 || d <= -2 {
					gaps = append(gaps, fmt.Sprintf("%s %d vs %d", frLabel(assets.FRs[i]), sa[i], sb[i]))
				}
			}
			if len(gaps) == 0 {
				continue
			}
			label := func(e end, v assets.SLVector) string {
				if e.outside {
					return e.name() + " (untrusted, SL 0)"
				}
				return fmt.Sprintf("%s (%s)", e.name(), slText(v))
			}
			is := ix.conduitIssue(c, fmt.Sprintf("conduit %q joins %s and %s without firewall, data diode or application proxy",
				c.Name, label(a, sa), label(b, sb)))
			if len(gaps) == len(sa) {
				is.detail = "SL-T differs by 2 or more for every FR."
			} else {
				is.detail = "SL-T differs by 2 or more for " + strings.Join(gaps, "; ") + "."
			}
			raise(is)
		}
	},
}

var ruleConduitRemoteAccess = Rule{
	ID:       "ZW-CONDUIT-005",
	Title:    "Remote access without authentication, approval or session termination",
	Severity: High,
	References: []string{"62443-3-3 SR 1.13", "62443-3-3 SR 2.6", "62443-3-3 SR 1.1",
		"62443-2-1 NET 3.2", "62443-2-1 NET 3.3"},
	Explanation: "Remote access brings people in from untrusted networks. Each session must be tied to an " +
		"authenticated person (multi-factor, or through a jump host), allowed by the asset owner for that " +
		"occasion, and ended when idle or on demand; without these it is a standing door. Critical when " +
		"authentication is missing.",
	Advice: "Route remote sessions through a jump host with MFA, require the asset owner's approval per " +
		"session, and configure idle timeout and forced disconnection; record these controls on the conduit.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			if !c.RemoteAccess {
				continue
			}
			var missing []string
			auth := c.Has(assets.ControlMFA) || c.Has(assets.ControlJumpHost)
			if !auth {
				missing = append(missing, "authentication (mfa or jump-host)")
			}
			if !c.Has(assets.ControlApproval) {
				missing = append(missing, "per-session approval")
			}
			if !c.Has(assets.ControlSessionTermination) {
				missing = append(missing, "session termination")
			}
			if len(missing) == 0 {
				continue
			}
			is := ix.conduitIssue(c, fmt.Sprintf("remote-access conduit %q into %s lacks %s",
				c.Name, ix.remoteTarget(c), strings.Join(missing, ", ")))
			if !auth {
				is.severity = Critical
			}
			raise(is)
		}
	},
}

// remoteTarget names the zone a remote-access conduit reaches into: the end
// that is a zone (when the other is outside), else both.
func (ix *index) remoteTarget(c *assets.Conduit) string {
	a, b := ix.end(c.From), ix.end(c.To)
	switch {
	case b.outside:
		return a.name()
	case a.outside:
		return b.name()
	}
	return ix.between(c)
}

var ruleConduitTemporary = Rule{
	ID:         "ZW-CONDUIT-006",
	Title:      "Temporary conduit without approval or media scanning",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 3.4", "62443-3-3 SR 2.3", "62443-2-1 COMP 1.2"},
	Explanation: "Temporary connections — a vendor laptop, a USB transfer — bring in devices last used " +
		"elsewhere. Without approval of each use and a malware scan of media and visiting devices before " +
		"they connect, they bypass the zone's defences.",
	Advice: "Require approval for every temporary connection and scan media and visiting devices at a " +
		"kiosk before they connect; record both controls on the conduit.",
	check: func(ix *index, raise func(issue)) {
		for _, c := range ix.conduits {
			if !c.Temporary {
				continue
			}
			var missing []string
			if !c.Has(assets.ControlApproval) {
				missing = append(missing, "approval")
			}
			if !c.Has(assets.ControlMediaScanning) {
				missing = append(missing, "media scanning")
			}
			if len(missing) > 0 {
				raise(ix.conduitIssue(c, fmt.Sprintf("temporary conduit %q between %s has no %s",
					c.Name, ix.between(c), strings.Join(missing, " or "))))
			}
		}
	},
}

// Undeclared paths. We have no traffic captures, only addresses, so
// "talking" is read from them: assets of two zones with addresses in one
// IPv4 /24 or IPv6 /64 are almost always on one segment and reach each
// other without crossing a boundary. Firewalls are left out, since their
// interfaces sit in each segment they separate by design; every other
// multi-homed asset counts, because it bridges the zones it sits in.

// subnetOf returns the /24 or /64 an address string (optionally in CIDR
// form) belongs to, or false for addresses that say nothing about a
// segment (unparsable, loopback, link-local, unspecified).
func subnetOf(s string) (netip.Prefix, bool) {
	addr, err := netip.ParseAddr(s)
	if err != nil {
		p, perr := netip.ParsePrefix(s)
		if perr != nil {
			return netip.Prefix{}, false
		}
		addr = p.Addr()
	}
	addr = addr.Unmap().WithZone("")
	if addr.IsLoopback() || addr.IsLinkLocalUnicast() || addr.IsUnspecified() || addr.IsMulticast() {
		return netip.Prefix{}, false
	}
	bits := 24
	if addr.Is6() {
		bits = 64
	}
	p, err := addr.Prefix(bits)
	return p, err == nil
}

// subnetZones records, for one subnet, the zones with assets in it.
type subnetZones struct {
	zones   []*zoneInfo
	members [][]*assets.Asset // per zone, the assets with an address here
}

func (s *subnetZones) add(zi *zoneInfo, a *assets.Asset) {
	for i, z := range s.zones {
		if z == zi {
			if m := s.members[i]; m[len(m)-1] != a {
				s.members[i] = append(m, a)
			}
			return
		}
	}
	s.zones = append(s.zones, zi)
	s.members = append(s.members, []*assets.Asset{a})
}

// sharedPair collects what two zones share without a conduit.
type sharedPair struct {
	a, b     *zoneInfo
	subnets  []netip.Prefix
	examples []string // "10.1.2.0/24: "PLC-1" (A), "HMI-2" (B)"
	covers   []string
}

var ruleConduitUndeclared = Rule{
	ID:         "ZW-CONDUIT-007",
	Title:      "Zones share a subnet but no conduit joins them",
	Severity:   High,
	References: []string{"62443-3-3 SR 5.1", "62443-3-2 ZCR 6.3", "62443-2-1 NET 1.2"},
	Explanation: "Assets of two zones have addresses in the same IPv4 /24 or IPv6 /64, so they almost " +
		"certainly share a network segment and can reach each other directly, yet no conduit joins their " +
		"zones. Either the zones are not separated on the network, or a real path is missing from the " +
		"model. Firewall assets are not counted: their interfaces belong in the segments they separate.",
	Advice: "Re-address or re-segment so each zone has its own subnets behind a boundary device; if the " +
		"path is intended, declare the conduit with its flows and controls.",
	check: func(ix *index, raise func(issue)) {
		nets := map[netip.Prefix]*subnetZones{}
		for _, zi := range ix.zones {
			for _, a := range zi.members {
				if a.Type == assets.TypeFirewall {
					continue
				}
				for _, ip := range a.IPs {
					p, ok := subnetOf(ip)
					if !ok {
						continue
					}
					s := nets[p]
					if s == nil {
						s = &subnetZones{}
						nets[p] = s
					}
					s.add(zi, a)
				}
			}
		}
		pairs := map[[2]string]*sharedPair{}
		for p, s := range nets {
			for i := 0; i < len(s.zones); i++ {
				for j := i + 1; j < len(s.zones); j++ {
					za, zb, ma, mb := s.zones[i], s.zones[j], s.members[i], s.members[j]
					if ix.joined[pairKey(za.z.ID, zb.z.ID)] {
						continue
					}
					if za.z.ID > zb.z.ID {
						za, zb, ma, mb = zb, za, mb, ma
					}
					k := [2]string{za.z.ID, zb.z.ID}
					sp := pairs[k]
					if sp == nil {
						sp = &sharedPair{a: za, b: zb}
						pairs[k] = sp
					}
					sp.subnets = append(sp.subnets, p)
					sp.examples = append(sp.examples, fmt.Sprintf("%s: %q (%s), %q (%s)",
						p, ma[0].Title(), za.z.Name, mb[0].Title(), zb.z.Name))
					sp.covers = append(append(sp.covers, ids(ma)...), ids(mb)...)
				}
			}
		}
		keys := make([][2]string, 0, len(pairs))
		for k := range pairs {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(x, y [2]string) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
		for _, k := range keys {
			sp := pairs[k]
			// Map order is random: sort the subnets and examples together.
			order := make([]int, len(sp.subnets))
			for i := range order {
				order[i] = i
			}
			slices.SortFunc(order, func(x, y int) int { return sp.subnets[x].Addr().Compare(sp.subnets[y].Addr()) })
			var subnets []netip.Prefix
			var examples []string
			for _, i := range order {
				subnets = append(subnets, sp.subnets[i])
				examples = append(examples, sp.examples[i])
			}
			slices.Sort(sp.covers)
			if len(examples) > listLimit {
				examples = append(examples[:listLimit], fmt.Sprintf("and %d more subnets", len(examples)-listLimit))
			}
			subnetText := subnets[0].String()
			if len(subnets) > 1 {
				subnetText = fmt.Sprintf("%d subnets", len(subnets))
			}
			raise(issue{
				subject: sp.a.ref(), subjectName: sp.a.z.Name, key: sp.b.z.ID,
				related: []assets.Ref{sp.b.ref()},
				covers:  slices.Compact(sp.covers),
				title: fmt.Sprintf("zones %q and %q share %s but no conduit joins them",
					sp.a.z.Name, sp.b.z.Name, subnetText),
				detail: strings.Join(examples, "; ") + ".",
			})
		}
	},
}
