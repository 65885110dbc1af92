package checks

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

// Observed is what imported captures and logs saw, matched to the
// inventory by the caller. Nil when no traffic was imported: the traffic
// rules then say nothing.
type Observed struct {
	Windows    []CaptureWindow
	Flows      []ObservedFlow
	SeenAssets []string // IDs of assets seen on the network
	Unknown    []string // addresses seen that are in no asset and not ignored
}

// CaptureWindow is when one capture or log set saw traffic.
type CaptureWindow struct {
	Name        string
	First, Last time.Time
}

// ObservedFlow is traffic from a client to one service of a server.
type ObservedFlow struct {
	Client, Server           string // addresses
	ClientAsset, ServerAsset string // asset IDs, "" when in no asset
	Transport                string // tcp, udp, icmp, ether
	Port                     int
	Protocol                 string   // modbus, https, tcp/5000, …
	Ops                      []string // what it did, by name
	Changes                  bool     // a write, program transfer, start/stop or command
	Connections              int64
	First, Last              time.Time
}

// Key names the flow in Covers: accepting a finding accepts these flows.
func (f *ObservedFlow) Key() string {
	return f.Client + " " + f.Server + " " + f.Transport + "/" + strconv.Itoa(f.Port)
}

func (f *ObservedFlow) text() string {
	s := fmt.Sprintf("%s → %s %s", f.Client, f.Server, f.Protocol)
	if !strings.Contains(f.Protocol, "/") && f.Port != 0 {
		s += fmt.Sprintf(" (%s/%d)", f.Transport, f.Port)
	}
	if len(f.Ops) > 0 {
		ops := f.Ops
		if len(ops) > 4 {
			ops = append(slices.Clip(ops[:4]), fmt.Sprintf("%d more", len(f.Ops)-4))
		}
		s += ": " + strings.Join(ops, ", ")
	}
	return s
}

// trafficIndex resolves flow ends to zones.
type trafficIndex struct {
	*index
	zoneOf map[string]*zoneInfo // asset ID → zone
}

func (ix *index) traffic() *trafficIndex {
	t := &trafficIndex{index: ix, zoneOf: map[string]*zoneInfo{}}
	for _, zi := range ix.zones {
		for _, a := range zi.members {
			t.zoneOf[a.ID] = zi
		}
	}
	return t
}

// byZone groups the observed flows by the zone of the asset that pick
// names for each ("" leaves the flow out) and calls each per zone, in zone
// order.
func (t *trafficIndex) byZone(o *Observed, pick func(f *ObservedFlow) string, each func(zi *zoneInfo, fs []*ObservedFlow)) {
	groups := map[*zoneInfo][]*ObservedFlow{}
	for i := range o.Flows {
		f := &o.Flows[i]
		if zi := t.zoneOf[pick(f)]; zi != nil {
			groups[zi] = append(groups[zi], f)
		}
	}
	for _, zi := range t.zones {
		if fs := groups[zi]; len(fs) > 0 {
			each(zi, fs)
		}
	}
}

// isPublic reports whether an address is routed on the internet: not
// private, loopback, link-local, multicast, shared (CGNAT), benchmarking
// or documentation space.
func isPublic(s string) bool {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	if ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsMulticast() || ip.IsUnspecified() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"), netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"), netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("2001:db8::/32"),
}

// crossing is the flows from one zone (or from outside the inventory) into
// another with no conduit between them.
type crossing struct {
	from, to *zoneInfo // from nil: a host in no zone of the inventory
	flows    []*ObservedFlow
	severity Severity
}

var ruleTrafficUndeclared = Rule{
	ID:         "ZW-TRAFFIC-001",
	Title:      "Traffic between zones that no conduit joins",
	Severity:   High,
	References: []string{"62443-3-2 ZCR 3.1", "62443-3-2 ZCR 6.3", "62443-2-1 NET 1.2", "62443-3-3 SR 5.1"},
	Explanation: "A capture shows hosts of two zones talking to each other, yet the model has no conduit " +
		"between the zones. Either the zones are not separated where the model says they are, or a real path " +
		"is missing from the model and from its controls. It is critical when something that writes, programs, " +
		"starts, stops or commands reaches the process and basic control levels (L0–L2) from business or " +
		"enterprise levels (L4–L5) or from a host outside the inventory; high when levels more than one apart " +
		"or zones with SL-T 3 or above are involved; medium otherwise.",
	Advice: "Find the path the traffic takes (routing, a dual-homed host, a flat VLAN). If it is needed, " +
		"declare the conduit with its flows and controls; if not, block it at the zone boundary.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil {
			return
		}
		t := ix.traffic()
		pairs := map[[2]string]*crossing{}
		for i := range o.Flows {
			f := &o.Flows[i]
			to := t.zoneOf[f.ServerAsset]
			if to == nil {
				continue
			}
			from := t.zoneOf[f.ClientAsset]
			if from == to {
				continue
			}
			if from != nil && ix.joined[pairKey(from.z.ID, to.z.ID)] {
				continue
			}
			if from == nil && (f.ClientAsset != "" || !f.Changes) {
				// A zoned asset reached from an asset in no zone is the
				// asset rules' business; a host outside the inventory that
				// only reads is a candidate finding.
				continue
			}
			key := [2]string{"", to.z.ID}
			if from != nil {
				key[0] = from.z.ID
			}
			c := pairs[key]
			if c == nil {
				c = &crossing{from: from, to: to}
				pairs[key] = c
			}
			c.flows = append(c.flows, f)
			c.severity = max(c.severity, crossingSeverity(from, to, f))
		}
		keys := make([][2]string, 0, len(pairs))
		for k := range pairs {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
		for _, k := range keys {
			c := pairs[k]
			fromName := "hosts outside the inventory"
			var related []assets.Ref
			if c.from != nil {
				fromName = fmt.Sprintf("zone %q", c.from.z.Name)
				related = append(related, c.from.ref())
			}
			raise(issue{
				subject: c.to.ref(), subjectName: c.to.z.Name, key: "from:" + k[0], related: related,
				covers:   flowKeys(c.flows),
				title:    fmt.Sprintf("traffic from %s into zone %q with no conduit (%s)", fromName, c.to.z.Name, english.Count(len(c.flows), "flow", "flows")),
				detail:   "Seen: " + flowList(c.flows),
				severity: c.severity,
			})
		}
	},
}

func crossingSeverity(from, to *zoneInfo, f *ObservedFlow) Severity {
	intoControl := to.levels.any(controlLevels...)
	fromHigh := from == nil || from.levels.any(businessLevels...)
	if f.Changes && intoControl && fromHigh {
		return Critical
	}
	if from == nil {
		return High
	}
	if to.z.SLT.Summary() >= 3 || from.z.SLT.Summary() >= 3 || levelDistance(from.levels, to.levels) > 1 {
		return High
	}
	return Medium
}

// levelDistance is how many Purdue ranks lie between the nearest levels
// of two zones (0 when they share one or either has none).
func levelDistance(a, b levelSet) int {
	best := -1
	for _, p := range assets.PurdueLevels {
		if !a.has(p) {
			continue
		}
		for _, q := range assets.PurdueLevels {
			if b.has(q) {
				d := p.Rank() - q.Rank()
				if d < 0 {
					d = -d
				}
				if best < 0 || d < best {
					best = d
				}
			}
		}
	}
	return max(best, 0)
}

func flowKeys(fs []*ObservedFlow) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Key()
	}
	slices.Sort(out)
	return out
}

// flowList writes the flows, those that change something first.
func flowList(fs []*ObservedFlow) string {
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, func(a, b *ObservedFlow) int {
		if a.Changes != b.Changes {
			if a.Changes {
				return -1
			}
			return 1
		}
		return 0
	})
	var parts []string
	for i, f := range sorted {
		if i == listLimit {
			parts = append(parts, fmt.Sprintf("and %d more", len(sorted)-listLimit))
			break
		}
		parts = append(parts, f.text())
	}
	return strings.Join(parts, "; ") + "."
}

var ruleTrafficInternet = Rule{
	ID:         "ZW-TRAFFIC-002",
	Title:      "Zone talks to public internet addresses",
	Severity:   High,
	References: []string{"62443-3-3 SR 5.1 RE 2", "62443-3-3 SR 5.2", "62443-2-1 NET 1.2"},
	Explanation: "Hosts of a zone exchanged traffic with addresses routed on the internet. Control systems " +
		"should reach the internet, if at all, only through a DMZ and named services; direct traffic means a " +
		"path an attacker can use in both directions and data leaving the plant.",
	Advice: "Find what the host reaches (update services, cloud telemetry, a vendor's remote access) and " +
		"route it through the DMZ with an explicit, documented conduit, or block it.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil {
			return
		}
		ix.traffic().byZone(o, func(f *ObservedFlow) string {
			switch {
			case isPublic(f.Server):
				return f.ClientAsset
			case isPublic(f.Client):
				return f.ServerAsset
			}
			return ""
		}, func(zi *zoneInfo, fs []*ObservedFlow) {
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name, covers: flowKeys(fs),
				title:  fmt.Sprintf("zone %q exchanged traffic with public internet addresses (%s)", zi.z.Name, english.Count(len(fs), "flow", "flows")),
				detail: "Seen: " + flowList(fs)})
		})
	},
}

var ruleTrafficOffPolicy = Rule{
	ID:         "ZW-TRAFFIC-003",
	Title:      "Conduit carries a protocol it does not list",
	Severity:   Medium,
	References: []string{"62443-3-2 ZCR 6.4", "62443-3-3 SR 5.2", "62443-2-1 NET 1.2"},
	Explanation: "The conduit lists the protocols and ports it is for, and a capture shows others crossing " +
		"it. Either the list is incomplete or the boundary lets through more than the policy allows.",
	Advice: "Add the protocols that are needed to the conduit (with their justification) and block the others " +
		"at the boundary device.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil {
			return
		}
		t := ix.traffic()
		off := map[*assets.Conduit][]*ObservedFlow{}
		for i := range o.Flows {
			f := &o.Flows[i]
			from, to := t.zoneOf[f.ClientAsset], t.zoneOf[f.ServerAsset]
			if from == nil || to == nil || from == to {
				continue
			}
			var joining []*assets.Conduit
			for _, c := range ix.conduits {
				if c.Joins(from.z.ID, to.z.ID) {
					joining = append(joining, c)
				}
			}
			if len(joining) == 0 {
				continue // ZW-TRAFFIC-001
			}
			allowed := false
			for _, c := range joining {
				if ConduitAllows(c, f.Transport, f.Port, f.Protocol) {
					allowed = true
					break
				}
			}
			if !allowed {
				off[joining[0]] = append(off[joining[0]], f)
			}
		}
		for _, c := range ix.conduits {
			fs := off[c]
			if len(fs) == 0 {
				continue
			}
			is := ix.conduitIssue(c, fmt.Sprintf("conduit %q carries traffic it does not list (%s)", c.Name, english.Count(len(fs), "flow", "flows")))
			is.covers = flowKeys(fs)
			is.detail = "Listed: " + flowNames(c.Flows) + ". Seen besides: " + flowList(fs)
			raise(is)
		}
	},
}

func flowNames(fs []assets.Flow) string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return strings.Join(out, ", ")
}

// protocolAliases are the names auditors write on conduits for each
// protocol the dissectors name.
var protocolAliases = map[string][]string{
	"modbus":       {"modbus", "modbustcp", "mbap"},
	"s7comm":       {"s7", "s7comm", "isotsap", "siemenss7", "step7"},
	"s7comm-plus":  {"s7", "s7comm", "s7commplus", "isotsap", "siemenss7"},
	"enip":         {"enip", "ethernetip", "cip"},
	"cip":          {"enip", "ethernetip", "cip"},
	"dnp3":         {"dnp3", "dnp"},
	"iec104":       {"iec104", "iec608705104", "iec60870104", "104"},
	"bacnet":       {"bacnet", "bacnetip"},
	"opcua":        {"opcua", "opcuabinary", "opcuatcp"},
	"profinet-dcp": {"profinet", "profinetdcp", "pndcp"},
	"profinet-rt":  {"profinet", "profinetrt", "pnrt", "profinetio"},
	"https":        {"https", "tls", "ssl", "httpstls"},
	"http":         {"http", "web"},
	"rdp":          {"rdp", "remotedesktop", "msrdp"},
	"smb":          {"smb", "cifs", "windowsfilesharing"},
	"ssh":          {"ssh", "sftp", "scp"},
	"ftp":          {"ftp"},
	"telnet":       {"telnet"},
	"vnc":          {"vnc", "rfb"},
	"dns":          {"dns"},
	"ntp":          {"ntp", "time"},
	"snmp":         {"snmp"},
	"syslog":       {"syslog"},
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, s)
}

// ConduitAllows reports whether a conduit lets an observed flow through:
// it lists no flows at all, or one of them names the flow's protocol (as
// auditors write it: "Modbus/TCP", "OPC UA", …) or covers its server port.
func ConduitAllows(c *assets.Conduit, transport string, port int, protocol string) bool {
	if len(c.Flows) == 0 {
		return true
	}
	for _, cf := range c.Flows {
		if cf.Ports != "" && portsMatch(cf.Ports, transport, port) {
			return true
		}
		p := squash(cf.Protocol)
		if p == "" {
			continue
		}
		if p == squash(protocol) || slices.Contains(protocolAliases[protocol], p) {
			return true
		}
	}
	return false
}

// portsMatch reads a conduit's ports ("502", "tcp/443", "5900-5909",
// "502, udp/47808") and reports whether one covers the flow's port.
func portsMatch(ports, transport string, port int) bool {
	for _, tok := range strings.FieldsFunc(ports, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		tok = strings.ToLower(tok)
		if tr, rest, ok := strings.Cut(tok, "/"); ok {
			if tr != transport {
				continue
			}
			tok = rest
		}
		lo, hi, isRange := strings.Cut(tok, "-")
		a, errA := strconv.Atoi(lo)
		b := a
		var errB error
		if isRange {
			b, errB = strconv.Atoi(hi)
		}
		if errA == nil && errB == nil && port >= a && port <= b {
			return true
		}
	}
	return false
}

var cleartextAdmin = map[string]bool{"telnet": true, "ftp": true, "vnc": true, "http": true}

var ruleTrafficCleartextAdmin = Rule{
	ID:         "ZW-TRAFFIC-004",
	Title:      "Cleartext remote administration into a control zone",
	Severity:   High,
	References: []string{"62443-3-3 SR 4.1", "62443-3-3 SR 1.1", "62443-3-3 SR 3.1", "62443-4-2 CR 4.1"},
	Explanation: "Telnet, FTP, VNC and plain HTTP carry passwords and commands readable by anyone on the path, " +
		"and can be changed in transit. Into zones of the process and basic control levels (L0–L3) they hand " +
		"an attacker on the network the credentials of the people who administer the plant.",
	Advice: "Switch to the encrypted variant (SSH, SFTP, VNC over TLS or a jump host, HTTPS) where the device " +
		"supports it; where it does not, confine the protocol to a jump host inside the zone and record the " +
		"compensating measure.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil {
			return
		}
		t := ix.traffic()
		t.byZone(o, func(f *ObservedFlow) string {
			zi := t.zoneOf[f.ServerAsset]
			if zi == nil || !cleartextAdmin[f.Protocol] || !zi.levels.any(assets.Purdue0, assets.Purdue1, assets.Purdue2, assets.Purdue3) {
				return ""
			}
			return f.ServerAsset
		}, func(zi *zoneInfo, fs []*ObservedFlow) {
			var protos []string
			for _, f := range fs {
				if !slices.Contains(protos, f.Protocol) {
					protos = append(protos, f.Protocol)
				}
			}
			slices.Sort(protos)
			raise(issue{subject: zi.ref(), subjectName: zi.z.Name, covers: flowKeys(fs),
				title:  fmt.Sprintf("cleartext administration (%s) into zone %q", strings.Join(protos, ", "), zi.z.Name),
				detail: "Seen: " + flowList(fs)})
		})
	},
}

var ruleTrafficUnknownHosts = Rule{
	ID:         "ZW-TRAFFIC-005",
	Title:      "Hosts on the network that are not in the inventory",
	Severity:   Medium,
	References: []string{"62443-2-1 CM 1.1", "62443-3-3 SR 7.8", "62443-3-2 ZCR 3.1"},
	Explanation: "Captures show addresses that no asset of the inventory has and that nobody has marked as " +
		"outside the system under consideration. An inventory that misses devices cannot be zoned or " +
		"protected, and an unknown host may be a rogue one.",
	Advice: "On the Traffic screen (or with `zonewalk traffic accept|ignore`), accept each host into a zone " +
		"as an asset, merge it with the asset it belongs to, or mark it as not part of the system.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil || len(o.Unknown) == 0 {
			return
		}
		hosts := slices.Clone(o.Unknown)
		slices.SortFunc(hosts, assets.CompareAddress)
		raise(issue{subject: ix.auditRef(), subjectName: ix.auditName(), covers: hosts,
			title:  fmt.Sprintf("%s seen on the network %s in no asset of the inventory", english.Count(len(o.Unknown), "host", "hosts"), isAre(len(o.Unknown))),
			detail: "Not in the inventory: " + addressList(hosts) + "."})
	},
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func addressList(as []string) string {
	if len(as) <= listLimit*2 {
		return strings.Join(as, ", ")
	}
	return strings.Join(as[:listLimit*2], ", ") + fmt.Sprintf(" and %d more", len(as)-listLimit*2)
}

var ruleTrafficConduitUnused = Rule{
	ID:         "ZW-TRAFFIC-006",
	Title:      "Declared conduit with no traffic seen",
	Severity:   Info,
	References: []string{"62443-3-2 ZCR 3.1", "62443-2-1 NET 1.2"},
	Explanation: "Captures saw hosts of both zones the conduit joins, but no traffic between them. The " +
		"conduit may be used only at times the captures did not cover (backups, maintenance), or it may no " +
		"longer be needed: an open path nobody uses is a path only an attacker will.",
	Advice: "Confirm with the asset owner when the conduit is used; if it is not, close it and remove it " +
		"from the model.",
	check: func(ix *index, raise func(issue)) {
		o := ix.m.Observed
		if o == nil {
			return
		}
		t := ix.traffic()
		seenZone := map[*zoneInfo]bool{}
		for _, id := range o.SeenAssets {
			if zi := t.zoneOf[id]; zi != nil {
				seenZone[zi] = true
			}
		}
		used := map[[2]string]bool{}
		for i := range o.Flows {
			f := &o.Flows[i]
			a, b := t.zoneOf[f.ClientAsset], t.zoneOf[f.ServerAsset]
			if a != nil && b != nil {
				used[pairKey(a.z.ID, b.z.ID)] = true
			}
		}
		from, to := window(o.Windows)
		for _, c := range ix.conduits {
			za, zb := ix.byID[c.From], ix.byID[c.To]
			if za == nil || zb == nil || !seenZone[za] || !seenZone[zb] || used[pairKey(za.z.ID, zb.z.ID)] {
				continue
			}
			raise(ix.conduitIssue(c, fmt.Sprintf("conduit %q between %s is declared, but not observed between %s and %s",
				c.Name, ix.between(c), from, to)))
		}
	},
}

func window(ws []CaptureWindow) (string, string) {
	var first, last time.Time
	for _, w := range ws {
		if !w.First.IsZero() && (first.IsZero() || w.First.Before(first)) {
			first = w.First
		}
		if w.Last.After(last) {
			last = w.Last
		}
	}
	const layout = "2006-01-02 15:04 MST"
	return first.UTC().Format(layout), last.UTC().Format(layout)
}
