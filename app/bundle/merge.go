package bundle

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// version is one version of a record: its Meta and its whole JSON.
type version struct {
	meta assets.Meta
	raw  []byte
}

// mergeHeads adds version x to heads, the versions of one record of which
// none descends from another (the current record and its open conflicts),
// and reports whether the heads changed. The result depends only on the set
// of versions seen, not on their order (see docs/bundle-format.md, Merge).
func mergeHeads(heads []version, x version) ([]version, bool) {
	for _, h := range heads {
		if h.meta.Version == x.meta.Version {
			return heads, false
		}
	}
	old := false
	for _, h := range heads {
		if h.meta.Descends(x.meta.Version) {
			old = true
			break
		}
	}
	keep := make([]version, 0, len(heads)+1)
	changed := false
	for _, h := range heads {
		if x.meta.Descends(h.meta.Version) {
			changed = true // x, or a head after x, supersedes h
			continue
		}
		keep = append(keep, h)
	}
	// A history that loops (x and a head each listing the other) would
	// drop every head; x then stands.
	if !old || len(keep) == 0 {
		keep = append(keep, x)
		changed = true
	}
	return keep, changed
}

// winner is the index of the head with the highest version stamp.
func winner(heads []version) int {
	w := 0
	for i := range heads {
		if heads[i].meta.Version.Compare(heads[w].meta.Version) > 0 {
			w = i
		}
	}
	return w
}

func hasStamp(vs []version, s assets.Stamp) bool {
	for _, v := range vs {
		if v.meta.Version == s {
			return true
		}
	}
	return false
}

// MergeStats counts what an import did to the workspace's records.
type MergeStats struct {
	Added     int `json:"added"`     // records new to this workspace
	Updated   int `json:"updated"`   // records replaced by a newer version
	Unchanged int `json:"unchanged"` // versions already known or older than what is here
	Conflicts int `json:"conflicts"` // concurrent versions kept as new conflicts
	Resolved  int `json:"resolved"`  // conflicts closed by a version that supersedes them
	// Log counts change-log entries and checkpoints new to this workspace
	// (their chains were checked before; they are never merged or edited).
	Log int `json:"log_entries"`
}

// merger applies incoming versions to a store transaction.
type merger struct {
	tx        *store.Tx
	conflicts map[string][]version // kind\x00id → open conflicts
	low       *assets.Stamp        // lowest version written
	stats     MergeStats
}

func conflictKey(kind, id string) string { return kind + "\x00" + id }

// loadConflicts reads the open conflicts of a store by the record they
// belong to.
func loadConflicts(st *store.Store) (map[string][]version, error) {
	out := map[string][]version{}
	err := st.Scan(KindConflict, func(raw []byte) error {
		var c conflictRecord
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("%w: conflict record: %v", store.ErrCorrupt, err)
		}
		var m assets.Meta
		if err := json.Unmarshal(c.Record, &m); err != nil {
			return fmt.Errorf("%w: conflict %s: %v", store.ErrCorrupt, c.ID, err)
		}
		k := conflictKey(c.RecordKind, c.RecordID)
		out[k] = append(out[k], version{meta: m, raw: append([]byte(nil), c.Record...)})
		return nil
	})
	return out, err
}

func (m *merger) wrote(s assets.Stamp) {
	if m.low == nil || s.Compare(*m.low) < 0 {
		m.low = &s
	}
}

// add merges one incoming version of record kind/id.
func (m *merger) add(kind, id string, x version) error {
	k := store.Kind(kind)
	if k == store.KindChange || k == store.KindChangeCheckpoint {
		if _, _, err := m.tx.GetRaw(k, id); err == nil {
			return nil // checked byte-identical with the chains
		}
		m.stats.Log++
		m.wrote(x.meta.Version)
		return m.tx.PutRaw(k, x.raw)
	}
	var heads []version
	var local *version
	raw, _, err := m.tx.GetRaw(k, id)
	switch {
	case err == nil:
		meta, err := decodeMeta(raw)
		if err != nil {
			return fmt.Errorf("%s %s: %w", kind, id, err)
		}
		local = &version{meta: meta, raw: raw}
		heads = append(heads, *local)
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	key := conflictKey(kind, id)
	open := m.conflicts[key]
	heads = append(heads, open...)
	if len(heads) == 0 {
		m.stats.Added++
		m.wrote(x.meta.Version)
		return m.tx.PutRaw(k, x.raw)
	}
	next, changed := mergeHeads(heads, x)
	if !changed {
		m.stats.Unchanged++
		return nil
	}
	wi := winner(next)
	w := next[wi]
	if local == nil || w.meta.Version != local.meta.Version {
		if local == nil {
			m.stats.Added++
		} else {
			m.stats.Updated++
		}
		m.wrote(w.meta.Version)
		if err := m.tx.PutRaw(k, w.raw); err != nil {
			return err
		}
	} else {
		m.stats.Unchanged++
	}
	losers := make([]version, 0, len(next)-1)
	losers = append(losers, next[:wi]...)
	losers = append(losers, next[wi+1:]...)
	for _, c := range losers {
		if hasStamp(open, c.meta.Version) {
			continue
		}
		b, v := newConflict(kind, id, c, false)
		m.wrote(v)
		m.stats.Conflicts++
		if err := m.tx.PutRaw(KindConflict, b); err != nil {
			return err
		}
	}
	for _, c := range open {
		if hasStamp(losers, c.meta.Version) {
			continue
		}
		b, _ := newConflict(kind, id, c, true)
		m.stats.Resolved++
		if err := m.tx.PutRaw(KindConflict, b); err != nil {
			return err
		}
	}
	if len(losers) == 0 {
		delete(m.conflicts, key)
	} else {
		m.conflicts[key] = losers
	}
	return nil
}

// addRecord merges a checked record line from a bundle.
func (m *merger) addRecord(r record) error {
	if r.target != nil {
		if r.meta.Deleted {
			return nil // a closed conflict: what closed it travels too
		}
		inner, err := decodeMeta(r.target.Record)
		if err != nil {
			return err
		}
		return m.add(r.target.RecordKind, r.target.RecordID, version{meta: inner, raw: r.target.Record})
	}
	return m.add(r.kind, r.meta.ID, version{meta: r.meta, raw: r.raw})
}

func decodeMeta(raw []byte) (assets.Meta, error) {
	var m assets.Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%w: %v", store.ErrCorrupt, err)
	}
	return m, nil
}

// lowerFloor stages the export floor down to s, so the next incremental
// export includes what an import wrote with older stamps.
func lowerFloor(tx *store.Tx, s *assets.Stamp) error {
	if s == nil {
		return nil
	}
	b, err := tx.Setting(settingFloor)
	if errors.Is(err, store.ErrNotFound) {
		return nil // no export yet: the next one is whole anyway
	}
	if err != nil {
		return err
	}
	var floor assets.Stamp
	if err := json.Unmarshal(b, &floor); err != nil {
		return fmt.Errorf("%w: export floor setting: %v", store.ErrCorrupt, err)
	}
	// Just below s: same time, no device sorts before every device.
	below := assets.Stamp{Wall: s.Wall, Logical: s.Logical}
	if below.Compare(floor) < 0 {
		nb, _ := json.Marshal(below)
		tx.PutSetting(settingFloor, nb)
	}
	return nil
}
