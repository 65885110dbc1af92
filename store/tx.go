package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/zonewalk/zonewalk/assets"
)

// MaxBlobSize caps one evidence file. Photos from a phone or a laptop
// camera stay far below it; the value log is sized above it.
const MaxBlobSize = 64 << 20

// op is one key-level change.
type op struct {
	key     []byte
	value   []byte
	meta    byte
	discard bool // delete the key
}

// Tx stages changes that are applied together, atomically, when the
// function given to Update returns nil. Reads see the staged changes.
type Tx struct {
	s      *Store
	txn    *badger.Txn // read snapshot
	ops    []op
	staged map[string]int // key -> index in ops
}

// Update runs fn in a transaction and applies everything it staged in one
// atomic, durable step. Writers are serialized. When ctx is
// cancelled before the commit point, nothing is written.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("store: workspace is closed")
	}
	if s.readOnly {
		return fmt.Errorf("store: %s: %w", s.dir, ErrReadOnly)
	}
	clockBefore, headBefore := s.clock, s.changeHead
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	tx := &Tx{s: s, txn: txn, staged: map[string]int{}}
	if err := fn(tx); err != nil {
		s.clock, s.changeHead = clockBefore, headBefore
		return err
	}
	if len(tx.ops) == 0 {
		return nil
	}
	tx.set([]byte(keyClock), encodeState(s.clock, s.changeHead), 0)
	if s.markHeadMoved {
		tx.set([]byte(keyChangeHead), []byte(headMoved), 0)
	}
	if err := s.commitOps(ctx, tx.ops); err != nil {
		s.clock, s.changeHead = clockBefore, headBefore
		return err
	}
	s.markHeadMoved = false
	return nil
}

func (tx *Tx) set(key, value []byte, meta byte) {
	tx.stage(op{key: key, value: value, meta: meta})
}

func (tx *Tx) del(key []byte) { tx.stage(op{key: key, discard: true}) }

func (tx *Tx) stage(o op) {
	if i, ok := tx.staged[string(o.key)]; ok {
		tx.ops[i] = o
		return
	}
	tx.staged[string(o.key)] = len(tx.ops)
	tx.ops = append(tx.ops, o)
}

// get reads a key as the transaction sees it.
func (tx *Tx) get(key []byte) (value []byte, meta byte, err error) {
	if i, ok := tx.staged[string(key)]; ok {
		o := tx.ops[i]
		if o.discard {
			return nil, 0, ErrNotFound
		}
		return o.value, o.meta, nil
	}
	item, err := tx.txn.Get(key)
	if err != nil {
		return nil, 0, translate(err)
	}
	v, err := item.ValueCopy(nil)
	return v, item.UserMeta(), translate(err)
}

// GetRaw returns a record's JSON as this transaction sees it, tombstone or not.
func (tx *Tx) GetRaw(kind Kind, id string) (raw []byte, deleted bool, err error) {
	v, meta, err := tx.get(recordKey(kind, id))
	if errors.Is(err, ErrNotFound) {
		return nil, false, fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return v, meta&metaTombstone != 0, err
}

// Get reads a live record into r.
func (tx *Tx) Get(kind Kind, id string, r assets.Record) error {
	raw, deleted, err := tx.GetRaw(kind, id)
	if err != nil {
		return err
	}
	if deleted {
		return fmt.Errorf("%s %s: %w", kind, id, ErrNotFound)
	}
	return decodeInto(raw, r)
}

// Put stages a local edit of a record: new ID if none, a fresh version
// stamp, the author, and the stored version pushed onto its history.
func (tx *Tx) Put(kind Kind, r assets.Record) error {
	if err := validKind(kind); err != nil {
		return err
	}
	m := r.RecordMeta()
	if m.ID == "" {
		m.ID = assets.NewID()
	}
	if err := validID(m.ID); err != nil {
		return err
	}
	m.Prev = nil
	old, _, err := tx.GetRaw(kind, m.ID)
	if err == nil {
		om, err := decodeMeta(old)
		if err != nil {
			return err
		}
		m.Prev = pushHistory(om.Version, om.Prev)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	m.Version = tx.s.tick()
	m.ChangedBy = tx.s.author
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("store: encode %s: %w", kind, err)
	}
	if t := typeOf(r); t != nil && old != nil {
		raw = keepUnknown(raw, old, knownFields(t))
	}
	op := "put"
	if m.Deleted {
		op = "delete"
	}
	if err := tx.logChange(kind, m.ID, m.Version, old, raw, op); err != nil {
		return err
	}
	return tx.writeRecord(kind, m.ID, raw, m.Deleted)
}

func pushHistory(v assets.Stamp, prev []assets.Stamp) []assets.Stamp {
	h := append([]assets.Stamp{v}, prev...)
	if len(h) > assets.MaxHistory {
		h = h[:assets.MaxHistory]
	}
	return h
}

// PutRaw stages a record exactly as given, version stamp and history
// included: the merge of a record from another laptop. The clock moves
// past its stamp.
func (tx *Tx) PutRaw(kind Kind, raw []byte) error {
	if err := validKind(kind); err != nil {
		return err
	}
	m, err := decodeMeta(raw)
	if err != nil {
		return err
	}
	if err := validID(m.ID); err != nil {
		return err
	}
	if m.Version.IsZero() {
		return fmt.Errorf("store: %s %s has no version stamp", kind, m.ID)
	}
	tx.s.observe(m.Version)
	return tx.writeRecord(kind, m.ID, append([]byte(nil), raw...), m.Deleted)
}

// Delete stages a tombstone: the record keeps its content, gets a new
// version and the deleted mark.
func (tx *Tx) Delete(kind Kind, id string) error {
	raw, deleted, err := tx.GetRaw(kind, id)
	if err != nil {
		return err
	}
	if deleted {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return fmt.Errorf("%w: %s %s: %v", ErrCorrupt, kind, id, err)
	}
	om, err := decodeMeta(raw)
	if err != nil {
		return err
	}
	enc := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	fields["version"] = enc(tx.s.tick())
	fields["prev"] = enc(pushHistory(om.Version, om.Prev))
	fields["changed_by"] = enc(tx.s.author)
	fields["deleted"] = enc(true)
	out, _ := json.Marshal(fields)
	var stamp struct {
		Version assets.Stamp `json:"version"`
	}
	_ = json.Unmarshal(fields["version"], &stamp.Version)
	if err := tx.logChange(kind, id, stamp.Version, raw, out, "delete"); err != nil {
		return err
	}
	return tx.writeRecord(kind, id, out, true)
}

// writeRecord stages the record and keeps its index entries in step.
func (tx *Tx) writeRecord(kind Kind, id string, raw []byte, deleted bool) error {
	key := recordKey(kind, id)
	old, oldMeta, err := tx.get(key)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	oldKeys := indexKeys(kind, id, old, oldMeta&metaTombstone != 0)
	newKeys := indexKeys(kind, id, raw, deleted)
	keep := map[string]bool{}
	for _, k := range newKeys {
		keep[k] = true
	}
	for _, k := range oldKeys {
		if !keep[k] {
			tx.del([]byte(k))
		}
	}
	for _, k := range newKeys {
		tx.set([]byte(k), nil, 0)
	}
	var meta byte
	if deleted {
		meta = metaTombstone
	}
	tx.set(key, raw, meta)
	return nil
}

// PutBlob stages evidence bytes under their SHA-256 and returns it; the
// same content is stored once.
func (tx *Tx) PutBlob(data []byte) (string, error) {
	if len(data) > MaxBlobSize {
		return "", fmt.Errorf("evidence file of %d bytes: %w (limit %d MiB)", len(data), ErrTooLarge, MaxBlobSize>>20)
	}
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	key := []byte(prefixBlob + h)
	if _, _, err := tx.get(key); err == nil {
		return h, nil
	}
	tx.set(key, append([]byte(nil), data...), 0)
	return h, nil
}

// HasBlob reports whether the blob is stored (or staged).
func (tx *Tx) HasBlob(sha string) bool {
	_, _, err := tx.get([]byte(prefixBlob + sha))
	return err == nil
}

// PutSetting stages a local setting.
func (tx *Tx) PutSetting(name string, value []byte) {
	tx.set([]byte(prefixSetting+name), append([]byte(nil), value...), 0)
}

// Clock is the newest version stamp with what the transaction staged so
// far: recorded beside a derived result, it tells later whether any record
// changed since.
func (tx *Tx) Clock() assets.Stamp { return tx.s.clock }

// Setting reads a local setting as the transaction sees it.
func (tx *Tx) Setting(name string) ([]byte, error) {
	v, _, err := tx.get([]byte(prefixSetting + name))
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("setting %s: %w", name, ErrNotFound)
	}
	return v, err
}

// PutBlob stores evidence bytes durably and returns their SHA-256.
func (s *Store) PutBlob(data []byte) (sha string, err error) {
	err = s.Update(context.Background(), func(tx *Tx) error {
		sha, err = tx.PutBlob(data)
		return err
	})
	return sha, err
}

// Blob reads evidence bytes and checks them against their name, so a
// damaged blob is reported, never served.
func (s *Store) Blob(sha string) ([]byte, error) {
	var v []byte
	err := s.ReadBlob(sha, func(data []byte) error {
		v = bytes.Clone(data)
		return nil
	})
	return v, err
}

// ReadBlob calls fn with evidence bytes that are valid only while fn runs,
// checked against their name first like Blob, but without copying them out
// of Badger: for callers that stream many megabytes on (bundle export).
func (s *Store) ReadBlob(sha string, fn func(data []byte) error) error {
	var fnErr error
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(prefixBlob + sha))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if sum := sha256.Sum256(v); hex.EncodeToString(sum[:]) != sha {
				return fmt.Errorf("%w: content does not match its SHA-256", ErrCorrupt)
			}
			fnErr = fn(v)
			return fnErr
		})
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("evidence blob %s: %w", sha, translate(err))
	}
	return nil
}

// HasBlob reports whether a blob is stored.
func (s *Store) HasBlob(sha string) bool {
	err := s.db.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(prefixBlob + sha))
		return err
	})
	return err == nil
}

// encodeOps serializes ops for the journal: per op a flag byte, the user
// meta byte, then key and value each as uvarint length + bytes.
func encodeOps(ops []op) []byte {
	var b []byte
	for _, o := range ops {
		flag := byte(0)
		if o.discard {
			flag = 1
		}
		b = append(b, flag, o.meta)
		b = binary.AppendUvarint(b, uint64(len(o.key)))
		b = append(b, o.key...)
		b = binary.AppendUvarint(b, uint64(len(o.value)))
		b = append(b, o.value...)
	}
	return b
}

func decodeOps(b []byte) ([]op, error) {
	var ops []op
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, fmt.Errorf("%w: journal entry truncated", ErrCorrupt)
		}
		o := op{discard: b[0] == 1, meta: b[1]}
		b = b[2:]
		for _, dst := range []*[]byte{&o.key, &o.value} {
			n, k := binary.Uvarint(b)
			if k <= 0 || uint64(len(b)-k) < n {
				return nil, fmt.Errorf("%w: journal entry truncated", ErrCorrupt)
			}
			*dst = append([]byte(nil), b[k:k+int(n)]...)
			b = b[k+int(n):]
		}
		ops = append(ops, o)
	}
	return ops, nil
}
