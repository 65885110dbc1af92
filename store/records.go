package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/zonewalk/zonewalk/assets"
)

// Kind names a type of record. Packages above store choose their own kinds.
type Kind string

// The kinds of the inventory domain.
const (
	KindAudit    Kind = "audit"
	KindZone     Kind = "zone"
	KindConduit  Kind = "conduit"
	KindAsset    Kind = "asset"
	KindEvidence Kind = "evidence"
)

// Key layout. Records: r/<kind>/<id>. Indexes: x/<index>/<value>/<id>.
// Blobs: b/<sha256>. Local, never-synced settings: m/<name>. Internal
// state: s/<name>. Redo journal: j/<txid>/…
const (
	prefixRecord  = "r/"
	prefixIndex   = "x/"
	prefixBlob    = "b/"
	prefixSetting = "m/"
	keyDevice     = "s/device"
	keyClock      = "s/clock"
)

// metaTombstone is Badger's per-entry user byte marking a deleted record, so
// listings skip tombstones without reading their values.
const metaTombstone byte = 1

func recordKey(kind Kind, id string) []byte { return []byte(prefixRecord + string(kind) + "/" + id) }

func recordPrefix(kind Kind) []byte { return []byte(prefixRecord + string(kind) + "/") }

func validKind(kind Kind) error {
	if kind == "" || strings.ContainsAny(string(kind), "/\x00") {
		return fmt.Errorf("store: bad record kind %q", kind)
	}
	return nil
}

func validID(id string) error {
	if id == "" || len(id) > 200 || strings.ContainsAny(id, "/\x00") {
		return fmt.Errorf("store: bad record ID %q", id)
	}
	return nil
}

// index names a secondary index: which kind it covers and how to read the
// indexed value from a record's JSON.
type index struct {
	name  string
	kind  Kind
	value func(raw []byte) string
}

var indexes = []index{
	{name: "zone", kind: KindAsset, value: func(raw []byte) string {
		var v struct {
			Zone string `json:"zone"`
		}
		_ = json.Unmarshal(raw, &v)
		return v.Zone
	}},
	{name: "owner", kind: KindEvidence, value: func(raw []byte) string {
		var v struct {
			Owner assets.Ref `json:"owner"`
		}
		_ = json.Unmarshal(raw, &v)
		if v.Owner.ID == "" {
			return ""
		}
		return v.Owner.Kind + ":" + v.Owner.ID
	}},
}

// indexKeys lists the index entries a live record should have.
func indexKeys(kind Kind, id string, raw []byte, deleted bool) []string {
	if deleted || raw == nil {
		return nil
	}
	var keys []string
	for _, ix := range indexes {
		if ix.kind != kind {
			continue
		}
		if v := ix.value(raw); v != "" && !strings.Contains(v, "/") {
			keys = append(keys, prefixIndex+ix.name+"/"+v+"/"+id)
		}
	}
	return keys
}

// decodeMeta reads only the Meta fields of a record's JSON.
func decodeMeta(raw []byte) (assets.Meta, error) {
	var m assets.Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%w: record does not decode: %v", ErrCorrupt, err)
	}
	return m, nil
}

// init loads the device ID and clock, creating the device ID on first
// open, and finishes or drops any journal a crash left behind.
func (s *Store) init() error {
	if err := s.recoverJournal(); err != nil {
		return err
	}
	run := s.db.Update
	if s.readOnly {
		run = s.db.View // nothing to stamp read-only: the device ID may stay unset
	}
	return run(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keyDevice))
		switch {
		case errors.Is(err, badger.ErrKeyNotFound) && s.readOnly:
		case errors.Is(err, badger.ErrKeyNotFound):
			s.device = assets.NewID()[:16]
			if err := txn.Set([]byte(keyDevice), []byte(s.device)); err != nil {
				return err
			}
		case err != nil:
			return translate(err)
		default:
			v, err := item.ValueCopy(nil)
			if err != nil {
				return translate(err)
			}
			s.device = string(v)
		}
		s.changeHead = Head{Device: s.device}
		legacy := true // no state yet: the first write marks keyChangeHead
		item, err = txn.Get([]byte(keyClock))
		if err == nil {
			v, err := item.ValueCopy(nil)
			if err != nil {
				return translate(err)
			}
			if s.clock, s.changeHead, legacy, err = decodeState(s.device, v); err != nil {
				return fmt.Errorf("%w: clock and change log head: %v", ErrCorrupt, err)
			}
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return translate(err)
		}
		s.clock.Device = s.device
		s.markHeadMoved = legacy
		if !legacy {
			return nil
		}
		return s.loadLegacyHead(func(key []byte) ([]byte, error) {
			item, err := txn.Get(key)
			if err != nil {
				return nil, translate(err)
			}
			return item.ValueCopy(nil)
		})
	})
}

// MaxClockOffset is how far ahead of this laptop's real time a stamp seen
// from another device may pull the clock, as production HLCs bound it. A
// stamp further ahead comes from a wrong clock; adopting it would stamp
// every later local edit in that future, winning every merge for good.
// Bundle imports refuse such stamps; the clock ignores them regardless.
const MaxClockOffset = 24 * time.Hour

// tick issues the next version stamp. Callers hold s.mu.
func (s *Store) tick() assets.Stamp {
	now := time.Now().UnixNano()
	if now > s.clock.Wall {
		s.clock = assets.Stamp{Wall: now, Device: s.device}
	} else {
		// Next saturates rather than wrap below the last stamp.
		s.clock = assets.Stamp{Wall: s.clock.Wall, Logical: s.clock.Logical, Device: s.device}.Next()
	}
	return s.clock
}

// observe advances the clock past a stamp seen from another device, so that
// edits made here after a merge sort after what was merged. A stamp more
// than MaxClockOffset ahead of real time is not adopted (a descendant still
// supersedes it by its history, not its stamp). Callers hold s.mu.
func (s *Store) observe(st assets.Stamp) {
	if limit := time.Now().Add(MaxClockOffset).UnixNano(); st.Wall > limit {
		return
	}
	if st.Wall > s.clock.Wall || (st.Wall == s.clock.Wall && st.Logical > s.clock.Logical) {
		s.clock = assets.Stamp{Wall: st.Wall, Logical: st.Logical, Device: s.device}
	}
}

// Clock is the newest version stamp this workspace has issued or seen.
func (s *Store) Clock() assets.Stamp {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock
}

// Put writes a record: it gets an ID if it has none, a new version stamp,
// the current author, and its previous version in its history. The record
// is durable when Put returns.
func (s *Store) Put(kind Kind, r assets.Record) error {
	return s.Update(context.Background(), func(tx *Tx) error { return tx.Put(kind, r) })
}

// Delete marks a record deleted (a tombstone that keeps its last content,
// so the deletion can be undone and merged).
func (s *Store) Delete(kind Kind, id string) error {
	return s.Update(context.Background(), func(tx *Tx) error { return tx.Delete(kind, id) })
}

// Get reads a live record into r; ErrNotFound if missing or deleted.
func (s *Store) Get(kind Kind, id string, r assets.Record) error {
	raw, deleted, err := s.GetRaw(kind, id)
	if err != nil {
		return err
	}
	if deleted {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return decodeInto(raw, r)
}

// GetAny reads a record into r even when it is a tombstone, and reports
// whether it is one (undo of a delete starts here).
func (s *Store) GetAny(kind Kind, id string, r assets.Record) (deleted bool, err error) {
	raw, deleted, err := s.GetRaw(kind, id)
	if err != nil {
		return false, err
	}
	return deleted, decodeInto(raw, r)
}

// GetRaw returns a record's JSON, tombstone or not.
func (s *Store) GetRaw(kind Kind, id string) (raw []byte, deleted bool, err error) {
	err = s.db.View(func(txn *badger.Txn) error {
		raw, deleted, err = getRaw(txn, recordKey(kind, id))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return raw, deleted, err
}

func getRaw(txn *badger.Txn, key []byte) ([]byte, bool, error) {
	item, err := txn.Get(key)
	if err != nil {
		return nil, false, translate(err)
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return nil, false, translate(err)
	}
	return v, item.UserMeta()&metaTombstone != 0, nil
}

func decodeInto(raw []byte, r assets.Record) error {
	if err := json.Unmarshal(raw, r); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// Scan calls fn with the JSON of every live record of a kind, in key
// order. The slice is only valid during the call.
func (s *Store) Scan(kind Kind, fn func(raw []byte) error) error {
	return s.scan(recordPrefix(kind), false, func(_ []byte, raw []byte, _ bool) error { return fn(raw) })
}

// ScanAll calls fn for every record of every kind, tombstones included:
// what an export of the whole audit needs.
func (s *Store) ScanAll(fn func(kind Kind, raw []byte, deleted bool) error) error {
	return s.scan([]byte(prefixRecord), true, func(key, raw []byte, deleted bool) error {
		rest := strings.TrimPrefix(string(key), prefixRecord)
		kind, _, _ := strings.Cut(rest, "/")
		return fn(Kind(kind), raw, deleted)
	})
}

func (s *Store) scan(prefix []byte, withTombstones bool, fn func(key, raw []byte, deleted bool) error) error {
	return s.db.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchSize = 256
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			deleted := item.UserMeta()&metaTombstone != 0
			if deleted && !withTombstones {
				continue
			}
			var err error
			if err = item.Value(func(v []byte) error { return fn(item.Key(), v, deleted) }); err != nil {
				return translate(err)
			}
		}
		return nil
	})
}

// All decodes every live record of a kind. Values are copied out first and
// decoded on all cores into a slice of the exact size: at 100,000 assets,
// growing the slice and decoding on one core cost most of opening an audit.
func All[T any, P interface {
	*T
	assets.Record
}](s *Store, kind Kind) ([]T, error) {
	var raws [][]byte
	err := s.Scan(kind, func(raw []byte) error {
		raws = append(raws, append([]byte(nil), raw...))
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]T, len(raws))
	workers := min(runtime.GOMAXPROCS(0), 1+len(raws)/1000)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(raws); i += workers {
				if err := json.Unmarshal(raws[i], P(&out[i])); err != nil {
					errs[w] = fmt.Errorf("%w: %s: %v", ErrCorrupt, kind, err)
					return
				}
			}
		}(w)
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// AssetIDsInZone lists the live assets of a zone from the index, without
// reading any other asset.
func (s *Store) AssetIDsInZone(zoneID string) ([]string, error) {
	return s.indexed("zone", zoneID)
}

// EvidenceIDsOf lists the live evidence records attached to a record.
func (s *Store) EvidenceIDsOf(owner assets.Ref) ([]string, error) {
	return s.indexed("owner", owner.Kind+":"+owner.ID)
}

func (s *Store) indexed(name, value string) ([]string, error) {
	prefix := prefixIndex + name + "/" + value + "/"
	keys, err := s.keysWithPrefix([]byte(prefix))
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = string(k[len(prefix):])
	}
	return ids, err
}

// Setting reads a local setting: state of this laptop's copy that never
// travels in a bundle (signing key, trusted signers, last export).
func (s *Store) Setting(name string) ([]byte, error) {
	var v []byte
	err := s.db.View(func(txn *badger.Txn) error {
		var err error
		v, _, err = getRaw(txn, []byte(prefixSetting+name))
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("setting %s: %w", name, ErrNotFound)
	}
	return v, err
}

// PutSetting writes a local setting durably.
func (s *Store) PutSetting(name string, value []byte) error {
	return s.Update(context.Background(), func(tx *Tx) error { tx.PutSetting(name, value); return nil })
}
