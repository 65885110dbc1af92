package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zonewalk/zonewalk/app/traffic"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/store"
)

// Store kinds of observed traffic.
const (
	KindTrafficSource   store.Kind = "traffic-source"   // traffic.Source
	KindTrafficHost     store.Kind = "traffic-host"     // traffic.Host
	KindTrafficFlow     store.Kind = "traffic-flow"     // traffic.Flow
	KindTrafficDecision store.Kind = "traffic-decision" // traffic.Decision, ID = the host's key
)

// ErrUnknownHost: no capture or log imported saw that address.
var ErrUnknownHost = errors.New("host not seen in any imported traffic")

// TrafficImport is what importing one capture or group of logs did.
type TrafficImport struct {
	Source traffic.Source
	// Already: the same content was imported before; nothing changed.
	Already bool
}

// TrafficProgress is told, for the input being read, how far it is.
type TrafficProgress func(input string, done, total int64)

// ImportTraffic reads captures and Zeek logs (files or folders) and stores
// what they saw: one source record per capture or group of logs, with its
// hosts and flows. Everything new lands in one atomic step after all
// inputs were read; content imported before (on this laptop or another
// whose bundle arrived) changes nothing. Nothing enters the inventory:
// unknown hosts become candidates for the auditor to decide on.
func (w *Workspace) ImportTraffic(ctx context.Context, paths []string, progress TrafficProgress) ([]TrafficImport, error) {
	inputs, err := traffic.Inputs(paths)
	if err != nil {
		return nil, err
	}
	known, err := w.sourcesByHash()
	if err != nil {
		return nil, err
	}
	device := w.st.Device()
	var out []TrafficImport
	var results []*traffic.Result
	for _, in := range inputs {
		var p traffic.Progress
		if progress != nil {
			name := in.Name
			p = func(done, total int64) { progress(name, done, total) }
		}
		res, err := traffic.Read(ctx, in, func(sha string) string { return "src-" + sha[:32] + "-" + device }, p)
		if err != nil {
			return nil, err
		}
		if prev, ok := known[res.Source.SHA256]; ok {
			out = append(out, TrafficImport{Source: prev, Already: true})
			continue
		}
		res.Source.ImportedAt = time.Now().UTC().Truncate(time.Second)
		known[res.Source.SHA256] = res.Source
		results = append(results, res)
		out = append(out, TrafficImport{Source: res.Source})
	}
	if len(results) == 0 {
		return out, nil
	}
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		for _, res := range results {
			if err := tx.Put(KindTrafficSource, &res.Source); err != nil {
				return err
			}
			for i := range res.Hosts {
				if err := tx.Put(KindTrafficHost, &res.Hosts[i]); err != nil {
					return err
				}
			}
			for i := range res.Flows {
				if err := tx.Put(KindTrafficFlow, &res.Flows[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store traffic: %w", err)
	}
	w.observedImported(results)
	return out, nil
}

// sourcesByHash lists the live sources by content hash; of two laptops'
// imports of the same content the one with the lower ID stands.
func (w *Workspace) sourcesByHash() (map[string]traffic.Source, error) {
	srcs, err := store.All[traffic.Source](w.st, KindTrafficSource)
	if err != nil {
		return nil, err
	}
	out := map[string]traffic.Source{}
	for _, s := range srcs {
		if prev, ok := out[s.SHA256]; !ok || s.ID < prev.ID {
			out[s.SHA256] = s
		}
	}
	return out, nil
}

// Observed is everything imported traffic saw, merged over sources and
// matched to the inventory.
type Observed struct {
	Sources   []traffic.Source // by first packet time
	Hosts     []ObservedHost   // by address
	Flows     []ObservedFlow   // by client, server, port
	Decisions map[string]traffic.Decision
}

// ObservedHost is a host merged over the sources that saw it.
type ObservedHost struct {
	traffic.Host
	Asset    string // the matching asset's ID, "" when none
	Decision string // the auditor's decision when there is no asset: "ignore", or "" (a candidate)
}

// Candidate reports whether the auditor still has to decide on the host.
func (h *ObservedHost) Candidate() bool { return h.Asset == "" && h.Decision == "" }

// ObservedFlow is a flow merged over the sources that saw it.
type ObservedFlow struct {
	traffic.Flow
	ClientAsset, ServerAsset string // matching assets' IDs
}

// observedCache holds what the traffic records say, merged per host and
// flow: read once, extended in place by imports and decisions, dropped
// when a bundle may have brought records. Matching to assets is redone on
// every call.
type observedCache struct {
	mu      sync.Mutex
	valid   bool
	srcs    []traffic.Source
	hostsBy map[string]*traffic.Host
	flowsBy map[string]*traffic.Flow
	decs    map[string]traffic.Decision
	hosts   []traffic.Host // hostsBy sorted by address
	flows   []traffic.Flow // flowsBy sorted by client, server, transport, port
}

func (w *Workspace) observedChanged() {
	w.observed.mu.Lock()
	w.observed.valid = false
	w.observed.mu.Unlock()
}

// observedImported adds what an import stored to the cache, if it is
// loaded, so that a large capture is not read back from the store.
func (w *Workspace) observedImported(results []*traffic.Result) {
	c := &w.observed
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid {
		return
	}
	for _, res := range results {
		c.srcs = append(c.srcs, res.Source)
		for _, h := range res.Hosts {
			mergeHost(c.hostsBy, h)
		}
		for _, f := range res.Flows {
			mergeFlow(c.flowsBy, f)
		}
	}
	c.sort()
}

// observedDecided records a decision in the cache, if it is loaded.
func (w *Workspace) observedDecided(d traffic.Decision) {
	c := &w.observed
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid {
		c.decs[d.Host] = d
	}
}

// sort lays the merged hosts and flows out in address order. Addresses
// are parsed once, not on every comparison.
func (c *observedCache) sort() {
	slices.SortFunc(c.srcs, func(a, b traffic.Source) int {
		return cmp.Or(a.First.Compare(b.First), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	type hostAt struct {
		k addrKey
		h *traffic.Host
	}
	hs := make([]hostAt, 0, len(c.hostsBy))
	for k, h := range c.hostsBy {
		hs = append(hs, hostAt{parseAddrKey(k), h})
	}
	slices.SortFunc(hs, func(a, b hostAt) int { return a.k.compare(b.k) })
	c.hosts = make([]traffic.Host, len(hs))
	for i, x := range hs {
		c.hosts[i] = *x.h
	}
	type flowAt struct {
		client, server addrKey
		f              *traffic.Flow
	}
	fs := make([]flowAt, 0, len(c.flowsBy))
	for _, f := range c.flowsBy {
		fs = append(fs, flowAt{parseAddrKey(f.Client), parseAddrKey(f.Server), f})
	}
	slices.SortFunc(fs, func(a, b flowAt) int {
		return cmp.Or(a.client.compare(b.client), a.server.compare(b.server),
			cmp.Compare(a.f.Transport, b.f.Transport), cmp.Compare(a.f.Port, b.f.Port))
	})
	c.flows = make([]traffic.Flow, len(fs))
	for i, x := range fs {
		c.flows[i] = *x.f
	}
}

// addrKey sorts as assets.CompareAddress does, with the parsing done once.
type addrKey struct {
	ip netip.Addr // invalid for a MAC
	s  string
}

func parseAddrKey(s string) addrKey {
	ip, _ := netip.ParseAddr(s)
	return addrKey{ip, s}
}

func (a addrKey) compare(b addrKey) int {
	switch {
	case a.ip.IsValid() && b.ip.IsValid():
		return a.ip.Compare(b.ip)
	case a.ip.IsValid():
		return -1
	case b.ip.IsValid():
		return 1
	}
	return strings.Compare(a.s, b.s)
}

// observedRecords merges the stored traffic records.
func (w *Workspace) observedRecords() (srcs []traffic.Source, hosts []traffic.Host, flows []traffic.Flow, decs map[string]traffic.Decision, err error) {
	c := &w.observed
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.valid {
		return c.srcs, c.hosts, c.flows, c.decs, nil
	}
	byHash, err := w.sourcesByHash()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	use := map[string]bool{}
	for _, s := range byHash {
		srcs = append(srcs, s)
		use[s.ID] = true
	}
	hostsBy := map[string]*traffic.Host{}
	err = w.st.Scan(KindTrafficHost, func(raw []byte) error {
		var h traffic.Host
		if err := decodeRecord(raw, &h); err != nil || !use[h.Source] {
			return err
		}
		mergeHost(hostsBy, h)
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	flowsBy := map[string]*traffic.Flow{}
	err = w.st.Scan(KindTrafficFlow, func(raw []byte) error {
		var f traffic.Flow
		if err := decodeRecord(raw, &f); err != nil || !use[f.Source] {
			return err
		}
		mergeFlow(flowsBy, f)
		return nil
	})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	decList, err := store.All[traffic.Decision](w.st, KindTrafficDecision)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	decs = map[string]traffic.Decision{}
	for _, d := range decList {
		decs[d.Host] = d
	}
	c.srcs, c.hostsBy, c.flowsBy, c.decs = srcs, hostsBy, flowsBy, decs
	c.sort()
	c.valid = true
	return c.srcs, c.hosts, c.flows, c.decs, nil
}

func decodeRecord(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %v", store.ErrCorrupt, err)
	}
	return nil
}

func mergeHost(into map[string]*traffic.Host, h traffic.Host) {
	k := h.Key()
	m := into[k]
	if m == nil {
		h.Source, h.ID = "", ""
		into[k] = &h
		return
	}
	m.MACs = union(m.MACs, h.MACs)
	m.Roles = union(m.Roles, h.Roles)
	for _, v := range h.VLANs {
		if !slices.Contains(m.VLANs, v) {
			m.VLANs = append(m.VLANs, v)
		}
	}
	slices.Sort(m.VLANs)
	m.Vendor = cmp.Or(m.Vendor, h.Vendor)
	if !h.First.IsZero() && (m.First.IsZero() || h.First.Before(m.First)) {
		m.First = h.First
	}
	if h.Last.After(m.Last) {
		m.Last = h.Last
	}
	m.Packets += h.Packets
	m.Bytes += h.Bytes
}

func mergeFlow(into map[string]*traffic.Flow, f traffic.Flow) {
	k := f.Key()
	m := into[k]
	if m == nil {
		f.Source, f.ID = "", ""
		into[k] = &f
		return
	}
	// A protocol a dissector recognised beats "tcp/port".
	if strings.Contains(m.Protocol, "/") && !strings.Contains(f.Protocol, "/") {
		m.Protocol = f.Protocol
	}
	m.Connections += f.Connections
	m.Packets += f.Packets
	m.Bytes += f.Bytes
	if !f.First.IsZero() && (m.First.IsZero() || f.First.Before(m.First)) {
		m.First = f.First
	}
	if f.Last.After(m.Last) {
		m.Last = f.Last
	}
	for _, o := range f.Ops {
		if !slices.Contains(m.Ops, o) {
			m.Ops = append(m.Ops, o)
		}
	}
	slices.SortFunc(m.Ops, func(a, b traffic.Op) int {
		return cmp.Or(cmp.Compare(a.Protocol, b.Protocol), cmp.Compare(a.Name, b.Name))
	})
}

func union(a, b []string) []string {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// addressIndex finds the asset that owns an IP or MAC address.
type addressIndex struct {
	ips  map[netip.Addr]string
	macs map[string]string
}

func (w *Workspace) addressIndex() addressIndex {
	ix := addressIndex{ips: map[netip.Addr]string{}, macs: map[string]string{}}
	for _, a := range w.Assets() {
		for _, s := range a.IPs {
			if ip, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
				ix.ips[ip.Unmap()] = a.ID
			}
		}
		for _, s := range a.MACs {
			if hw, err := net.ParseMAC(strings.TrimSpace(s)); err == nil {
				ix.macs[hw.String()] = a.ID
			}
		}
	}
	return ix
}

// asset matches an address (IP or MAC) and, failing that, the host's MACs.
func (ix addressIndex) asset(addr string, macs []string) string {
	if ip, err := netip.ParseAddr(addr); err == nil {
		if id := ix.ips[ip.Unmap()]; id != "" {
			return id
		}
	} else if hw, err := net.ParseMAC(addr); err == nil {
		if id := ix.macs[hw.String()]; id != "" {
			return id
		}
	}
	for _, m := range macs {
		if id := ix.macs[m]; id != "" {
			return id
		}
	}
	return ""
}

// Observed returns what imported traffic saw, matched to the inventory as
// it is now.
func (w *Workspace) Observed() (*Observed, error) {
	srcs, hosts, flows, decs, err := w.observedRecords()
	if err != nil {
		return nil, err
	}
	ix := w.addressIndex()
	o := &Observed{Sources: srcs, Decisions: decs}
	macsOf := map[string][]string{}
	for _, h := range hosts {
		oh := ObservedHost{Host: h, Asset: ix.asset(h.Key(), h.MACs)}
		if oh.Asset == "" {
			if d, ok := decs[h.Key()]; ok && d.Action == traffic.DecisionIgnore {
				oh.Decision = d.Action
			}
		}
		macsOf[h.Key()] = h.MACs
		o.Hosts = append(o.Hosts, oh)
	}
	for _, f := range flows {
		o.Flows = append(o.Flows, ObservedFlow{Flow: f,
			ClientAsset: ix.asset(f.Client, macsOf[f.Client]), ServerAsset: ix.asset(f.Server, macsOf[f.Server])})
	}
	return o, nil
}

// ObservedHost finds one observed host by address.
func (w *Workspace) ObservedHost(addr string) (ObservedHost, error) {
	o, err := w.Observed()
	if err != nil {
		return ObservedHost{}, err
	}
	key := normalAddress(addr)
	for _, h := range o.Hosts {
		if h.Key() == key {
			return h, nil
		}
	}
	return ObservedHost{}, fmt.Errorf("%s: %w", addr, ErrUnknownHost)
}

func normalAddress(s string) string {
	s = strings.TrimSpace(s)
	if ip, err := netip.ParseAddr(s); err == nil {
		return ip.Unmap().String()
	}
	if hw, err := net.ParseMAC(s); err == nil {
		return hw.String()
	}
	return s
}

// AcceptHost makes an asset of an observed host, in zone zoneID (may be
// "" for none yet), of type t ("" guesses from the roles seen): its IP and
// MACs, the vendor from the MAC, a tag like "PLC-10.10.1.5" unless one is
// given, and the Purdue level the type usually has. The decision is stored
// with it, in one step.
func (w *Workspace) AcceptHost(ctx context.Context, addr, zoneID string, t assets.AssetType, tag string) (assets.Asset, error) {
	h, err := w.ObservedHost(addr)
	if err != nil {
		return assets.Asset{}, err
	}
	if h.Asset != "" {
		a, _ := w.Asset(h.Asset)
		return a, fmt.Errorf("%s is already asset %s", addr, a.Title())
	}
	if t == "" {
		t = GuessAssetType(h.Roles)
	}
	p := assets.Presets[t]
	a := assets.Asset{Type: t, Vendor: h.Vendor, Zone: zoneID, MACs: h.MACs, Purdue: p.Purdue, Criticality: p.Criticality}
	if h.IP != "" {
		a.IPs = []string{h.IP}
	}
	if len(h.Roles) > 0 {
		a.Notes = "Seen on the network as " + strings.Join(h.Roles, ", ") + "."
	}
	a.Tag = strings.TrimSpace(tag)
	if a.Tag == "" {
		a.Tag = strings.ToUpper(string(t)) + "-" + strings.ReplaceAll(h.Key(), ":", ".")
		if _, taken := w.AssetByTag(a.Tag); taken {
			a.Tag = w.nextTag(a.Tag)
		}
	}
	return w.decideWithAsset(ctx, h.Key(), traffic.DecisionAccept, &a)
}

// MergeHost records that an observed host is an existing asset: its IP and
// MACs are added to the asset where missing.
func (w *Workspace) MergeHost(ctx context.Context, addr, assetID string) (assets.Asset, error) {
	h, err := w.ObservedHost(addr)
	if err != nil {
		return assets.Asset{}, err
	}
	a, ok := w.Asset(assetID)
	if !ok {
		return a, fmt.Errorf("asset %s: %w", assetID, store.ErrNotFound)
	}
	if h.IP != "" && !slices.Contains(a.IPs, h.IP) {
		a.IPs = append(slices.Clip(a.IPs), h.IP)
	}
	for _, m := range h.MACs {
		if !slices.ContainsFunc(a.MACs, func(x string) bool { return normalAddress(x) == m }) {
			a.MACs = append(slices.Clip(a.MACs), m)
		}
	}
	return w.decideWithAsset(ctx, h.Key(), traffic.DecisionMerge, &a)
}

func (w *Workspace) decideWithAsset(ctx context.Context, key, action string, a *assets.Asset) (assets.Asset, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := a.Validate(w.zoneExists); err != nil {
		return *a, err
	}
	if err := w.checkTagFree(a); err != nil {
		return *a, err
	}
	var d traffic.Decision
	err := w.st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.Put(store.KindAsset, a); err != nil {
			return err
		}
		d = traffic.Decision{Meta: assets.Meta{ID: decisionID(key)}, Host: key, Action: action, Asset: a.ID}
		if err := d.Validate(); err != nil {
			return err
		}
		return tx.Put(KindTrafficDecision, &d)
	})
	if err != nil {
		return *a, err
	}
	w.replaceAsset(a)
	w.observedDecided(d)
	return *a, nil
}

// IgnoreHost records that an observed host is not part of the system
// under consideration; it stops being a candidate.
func (w *Workspace) IgnoreHost(ctx context.Context, addr, note string) error {
	h, err := w.ObservedHost(addr)
	if err != nil {
		return err
	}
	d := traffic.Decision{Meta: assets.Meta{ID: decisionID(h.Key())}, Host: h.Key(), Action: traffic.DecisionIgnore, Note: note}
	if err := d.Validate(); err != nil {
		return err
	}
	err = w.st.Update(ctx, func(tx *store.Tx) error { return tx.Put(KindTrafficDecision, &d) })
	if err != nil {
		return err
	}
	w.observedDecided(d)
	return nil
}

func decisionID(key string) string { return "host-" + strings.ReplaceAll(key, "/", "_") }

// observedModel is what the model checks look at of imported traffic.
func (w *Workspace) observedModel() *checks.Observed {
	o, err := w.Observed()
	if err != nil || len(o.Sources) == 0 {
		return nil
	}
	m := &checks.Observed{}
	for _, s := range o.Sources {
		m.Windows = append(m.Windows, checks.CaptureWindow{Name: s.Name, First: s.First, Last: s.Last})
	}
	for _, h := range o.Hosts {
		switch {
		case h.Asset != "":
			m.SeenAssets = append(m.SeenAssets, h.Asset)
		case h.Candidate():
			m.Unknown = append(m.Unknown, h.Key())
		}
	}
	ignored := map[string]bool{}
	for _, h := range o.Hosts {
		if h.Decision == traffic.DecisionIgnore {
			ignored[h.Key()] = true
		}
	}
	for _, f := range o.Flows {
		if ignored[f.Client] || ignored[f.Server] {
			continue
		}
		of := checks.ObservedFlow{Client: f.Client, Server: f.Server, ClientAsset: f.ClientAsset, ServerAsset: f.ServerAsset,
			Transport: f.Transport, Port: f.Port, Protocol: f.Protocol, Changes: f.Changes(),
			Connections: f.Connections, First: f.First, Last: f.Last}
		for _, op := range f.Ops {
			of.Ops = append(of.Ops, op.Name)
		}
		m.Flows = append(m.Flows, of)
	}
	return m
}

// Coverage says how the model covers an observed flow.
type Coverage string

const (
	SameZone   Coverage = "same zone"  // both ends in one zone
	Declared   Coverage = "declared"   // a conduit joins the zones and allows it
	OffPolicy  Coverage = "off-policy" // a conduit joins the zones but lists other protocols
	Undeclared Coverage = "undeclared" // no conduit joins the zones
	Unzoned    Coverage = "unzoned"    // an end is in no asset or no zone
)

// CoveredFlow is an observed flow with the zones of its ends and the
// conduit that covers it.
type CoveredFlow struct {
	ObservedFlow
	ClientZone, ServerZone     string // names
	ClientZoneID, ServerZoneID string
	Coverage                   Coverage
	ConduitName                string
}

// ObservedCoverage lists the observed flows (ignored hosts left out) with
// how the zones and conduits of the model cover each.
func (w *Workspace) ObservedCoverage(ctx context.Context) ([]CoveredFlow, error) {
	o, err := w.Observed()
	if err != nil {
		return nil, err
	}
	ignored := map[string]bool{}
	for _, h := range o.Hosts {
		if h.Decision == traffic.DecisionIgnore {
			ignored[h.Key()] = true
		}
	}
	conduits := w.Conduits()
	zoneOf := func(assetID string) (assets.Zone, bool) {
		a, ok := w.Asset(assetID)
		if !ok || a.Zone == "" {
			return assets.Zone{}, false
		}
		return w.Zone(a.Zone)
	}
	out := make([]CoveredFlow, 0, len(o.Flows))
	for _, f := range o.Flows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if ignored[f.Client] || ignored[f.Server] {
			continue
		}
		cf := CoveredFlow{ObservedFlow: f, Coverage: Unzoned}
		cz, okC := zoneOf(f.ClientAsset)
		sz, okS := zoneOf(f.ServerAsset)
		cf.ClientZone, cf.ServerZone = cz.Name, sz.Name
		cf.ClientZoneID, cf.ServerZoneID = cz.ID, sz.ID
		switch {
		case !okC || !okS:
		case cz.ID == sz.ID:
			cf.Coverage = SameZone
		default:
			cf.Coverage = Undeclared
			for i := range conduits {
				c := &conduits[i]
				if !c.Joins(cz.ID, sz.ID) {
					continue
				}
				if checks.ConduitAllows(c, f.Transport, f.Port, f.Protocol) {
					cf.Coverage, cf.ConduitName = Declared, c.Name
					break
				}
				cf.Coverage, cf.ConduitName = OffPolicy, c.Name
			}
		}
		out = append(out, cf)
	}
	return out, nil
}

// MatrixCell says, for a pair of zones, whether the model declares a
// conduit between them and whether traffic was seen between them.
type MatrixCell struct {
	Declared  bool
	Flows     int // observed flows between the zones, either way
	OffPolicy int // of those, flows the conduit does not list
}

// Seen reports whether any traffic crossed between the zones.
func (c MatrixCell) Seen() bool { return c.Flows > 0 }

// TrafficMatrix is the zone × zone picture of declared and observed
// communication: declared and seen, declared and not seen, seen and not
// declared.
type TrafficMatrix struct {
	Zones []assets.Zone
	cells map[[2]string]MatrixCell
}

// Cell is the entry for two zones, in either order.
func (m *TrafficMatrix) Cell(a, b string) MatrixCell {
	if a > b {
		a, b = b, a
	}
	return m.cells[[2]string{a, b}]
}

// ObservedMatrix builds the matrix from the conduits and the observed flows.
func (w *Workspace) ObservedMatrix(ctx context.Context) (*TrafficMatrix, error) {
	flows, err := w.ObservedCoverage(ctx)
	if err != nil {
		return nil, err
	}
	m := &TrafficMatrix{Zones: w.Zones(), cells: map[[2]string]MatrixCell{}}
	key := func(a, b string) [2]string {
		if a > b {
			a, b = b, a
		}
		return [2]string{a, b}
	}
	for _, c := range w.Conduits() {
		if c.From != "" && c.To != "" && c.From != c.To {
			k := key(c.From, c.To)
			cell := m.cells[k]
			cell.Declared = true
			m.cells[k] = cell
		}
	}
	for _, f := range flows {
		switch f.Coverage {
		case Declared, OffPolicy, Undeclared:
		default:
			continue
		}
		k := key(f.ClientZoneID, f.ServerZoneID)
		cell := m.cells[k]
		cell.Flows++
		if f.Coverage == OffPolicy {
			cell.OffPolicy++
		}
		m.cells[k] = cell
	}
	return m, nil
}

// GuessAssetType is the asset type the roles a host was seen in suggest.
func GuessAssetType(roles []string) assets.AssetType {
	return assets.AssetType(traffic.GuessType(roles))
}
