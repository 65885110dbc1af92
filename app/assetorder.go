package app

import (
	"slices"
	"strings"
	"sync"

	"github.com/zonewalk/zonewalk/assets"
)

// AssetOrder is a column the asset list can be sorted by.
type AssetOrder int

// The orders of the asset list. Text columns compare ignoring case;
// Purdue and criticality compare by level; zone by the zone's name.
// Equal values keep tag order, so every column sorts by one collation.
const (
	ByTag AssetOrder = iota
	ByName
	ByType
	ByVendor
	ByModel
	ByFirmware
	ByZone
	ByPurdue
	ByIP
	ByCriticality
)

// orderCache keeps every asset sorted by one column until the inventory
// changes: a header click sorts 100,000 assets once, and each keystroke
// after that only filters.
type orderCache struct {
	mu   sync.Mutex
	gen  uint64 // bumped by every change of assets or zones
	by   AssetOrder
	at   uint64 // gen the list was sorted at
	list []*assets.Asset
}

// changed drops the sorted list. Callers hold w.mu for writing.
func (c *orderCache) changed() {
	c.mu.Lock()
	c.gen++
	c.list = nil
	c.mu.Unlock()
}

// QueryAssets returns the live assets matching f in the order by (reversed
// when desc). The assets are shared with the workspace: read them, copy
// before changing.
func (w *Workspace) QueryAssets(f AssetFilter, by AssetOrder, desc bool) []*assets.Asset {
	if by == ByTag && !desc {
		return w.FilterAssets(f) // the workspace keeps assets in tag order
	}
	order := w.sortedBy(by)
	if strings.TrimSpace(f.Text) == "" && f == (AssetFilter{Text: f.Text}) {
		out := slices.Clone(order)
		if desc {
			slices.Reverse(out)
		}
		return out
	}
	rows := w.FilterAssets(f)
	keep := make(map[*assets.Asset]struct{}, len(rows))
	for _, r := range rows {
		keep[r] = struct{}{}
	}
	out := make([]*assets.Asset, 0, len(rows))
	for i := range order {
		r := order[i]
		if desc {
			r = order[len(order)-1-i]
		}
		if _, ok := keep[r]; ok {
			out = append(out, r)
		}
	}
	return out
}

// sortedBy is every live asset in order by, from the cache when it is current.
func (w *Workspace) sortedBy(by AssetOrder) []*assets.Asset {
	c := &w.order
	c.mu.Lock()
	if c.list != nil && c.by == by && c.at == c.gen {
		out := c.list
		c.mu.Unlock()
		return out
	}
	c.mu.Unlock()

	w.mu.RLock()
	c.mu.Lock()
	gen := c.gen // read under w.mu: no change can slip between it and the snapshot
	c.mu.Unlock()
	list := make([]*assets.Asset, len(w.sorted))
	keys := make([]string, len(w.sorted))
	for i, e := range w.sorted {
		list[i] = e.a
		keys[i] = w.orderKey(by, e)
	}
	w.mu.RUnlock()

	out := sortByKeys(list, keys)
	c.mu.Lock()
	if c.gen == gen {
		c.by, c.at, c.list = by, gen, out
	}
	c.mu.Unlock()
	return out
}

// orderKey is what an asset compares by in order by, already folded to
// lower case. Callers hold w.mu.
func (w *Workspace) orderKey(by AssetOrder, e *entry) string {
	a := e.a
	switch by {
	case ByTag:
		return e.key
	case ByName:
		return strings.ToLower(a.Name)
	case ByType:
		return strings.ToLower(a.Type.Label())
	case ByVendor:
		return strings.ToLower(a.Vendor)
	case ByModel:
		return strings.ToLower(a.Model)
	case ByFirmware:
		return strings.ToLower(a.Firmware)
	case ByZone:
		if z, ok := w.zones[a.Zone]; ok {
			return "\x01" + strings.ToLower(z.Name) // unassigned ("") first
		}
		return ""
	case ByPurdue:
		return string(rune('a' + a.Purdue.Rank() + 1))
	case ByIP:
		return strings.ToLower(strings.Join(a.IPs, " "))
	case ByCriticality:
		return string(rune('a' + slices.Index(assets.Criticalities, a.Criticality) + 1))
	}
	return ""
}

// sortByKeys orders list (given in tag order) by keys (folded already),
// keeping tag order among equal keys. Columns such as vendor, type or zone
// have few distinct values: those are bucketed, a pass instead of a sort
// of 100,000 strings; both ways give the same order.
func sortByKeys(list []*assets.Asset, keys []string) []*assets.Asset {
	out := make([]*assets.Asset, 0, len(list))
	buckets := map[string][]int32{}
	var distinct []string
	for i, k := range keys {
		b, seen := buckets[k]
		if !seen {
			distinct = append(distinct, k)
			if len(distinct) > len(keys)/8 {
				break // many distinct values: sort instead
			}
		}
		buckets[k] = append(b, int32(i))
	}
	if len(distinct) <= len(keys)/8 {
		slices.Sort(distinct)
		for _, k := range distinct {
			for _, i := range buckets[k] {
				out = append(out, list[i])
			}
		}
		return out
	}
	idx := make([]int32, len(list))
	for i := range idx {
		idx[i] = int32(i)
	}
	// The index breaks ties, so this unstable (and faster) sort keeps tag
	// order among equal keys.
	slices.SortFunc(idx, func(x, y int32) int {
		if r := strings.Compare(keys[x], keys[y]); r != 0 {
			return r
		}
		return int(x - y)
	})
	for _, j := range idx {
		out = append(out, list[j])
	}
	return out
}
