package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// The change log (docs/change-log.md): one entry per local change, in the
// same transaction as the change, chained per device by SHA-256.
const (
	KindChange           Kind = "change"
	KindChangeCheckpoint Kind = "change-checkpoint"
	keyChangeHead             = "s/changehead"
)

// Change is one entry of a device's change log.
type Change struct {
	assets.Meta
	Device   string `json:"device"`
	Seq      uint64 `json:"seq"`
	PrevHash string `json:"prev_hash"`
	Kind     string `json:"kind"`
	Record   string `json:"record"`
	Op       string `json:"op"` // "put" or "delete"
	// Created, on the entry that creates a record, is the SHA-256 of its
	// content (ContentHash) instead of Fields: the values are in the
	// record, and History recovers them.
	Created string `json:"created,omitempty"`
	// Fields are the top-level fields that changed: [old, new] JSON, null
	// when absent.
	Fields map[string][2]json.RawMessage `json:"fields,omitempty"`
}

// ChangeID is the ID of a device's entry seq.
func ChangeID(device string, seq uint64) string {
	var b [20]byte
	n := strconv.AppendUint(b[:0], seq, 10)
	id := make([]byte, 0, len(device)+13+len(n))
	id = append(append(id, device...), '.')
	for range 12 - len(n) {
		id = append(id, '0')
	}
	return string(append(id, n...))
}

// Head is the end of a device's chain.
type Head struct {
	Device string `json:"device"`
	Seq    uint64 `json:"seq"`
	Hash   string `json:"hash"` // SHA-256 of the last entry's bytes; "" before the first
	// Missing counts another laptop's entries not received yet: its
	// bundles may arrive in any order.
	Missing uint64 `json:"missing,omitempty"`
}

// HashEntry is the SHA-256 of an entry as stored, as the next entry's
// prev_hash names it.
func HashEntry(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// ErrChain: a change log that does not hold together.
var ErrChain = errors.New("change log broken")

// ChainError names the first bad entry of a chain.
type ChainError struct {
	Device string
	Seq    uint64
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("%v: device %s: entry %d: %s", ErrChain, e.Device, e.Seq, e.Reason)
}

func (e *ChainError) Unwrap() error { return ErrChain }

// bookkeeping fields are not part of what a change changed.
var bookkeeping = map[string]bool{"id": true, "version": true, "prev": true, "changed_by": true, "deleted": true}

var jsonNull = json.RawMessage("null")

// changedFields compares two versions of a record field by field.
func changedFields(old, cur []byte) (map[string][2]json.RawMessage, error) {
	var a, b map[string]json.RawMessage
	if old != nil {
		if err := json.Unmarshal(old, &a); err != nil {
			return nil, fmt.Errorf("%w: stored record: %v", ErrCorrupt, err)
		}
	}
	if err := json.Unmarshal(cur, &b); err != nil {
		return nil, err
	}
	out := map[string][2]json.RawMessage{}
	for k, v := range b {
		if bookkeeping[k] {
			continue
		}
		if w, ok := a[k]; !ok || !bytes.Equal(w, v) {
			if !ok {
				w = jsonNull
			}
			out[k] = [2]json.RawMessage{w, v}
		}
	}
	for k, w := range a {
		if _, ok := b[k]; !ok && !bookkeeping[k] {
			out[k] = [2]json.RawMessage{w, jsonNull}
		}
	}
	return out, nil
}

// logChange stages the change log entry for a local change of a record:
// old is the stored version (nil when new), cur the new one, stamped
// version.
func (tx *Tx) logChange(kind Kind, id string, version assets.Stamp, old, cur []byte, op string) error {
	s := tx.s
	if kind == KindChange || kind == KindChangeCheckpoint || s.benchWithoutLog {
		return nil // the log does not log itself
	}
	head := s.changeHead
	c := Change{Meta: assets.Meta{ID: ChangeID(s.device, head.Seq+1), Version: version, ChangedBy: s.author},
		Device: s.device, Seq: head.Seq + 1, PrevHash: head.Hash, Kind: string(kind), Record: id, Op: op}
	raw, err := encodeChange(&c, old, cur)
	if err != nil {
		return err
	}
	// A new entry: no earlier value or index entries to look up.
	tx.set(recordKey(KindChange, c.ID), raw, 0)
	s.changeHead = Head{Device: s.device, Seq: c.Seq, Hash: HashEntry(raw)}
	tx.set([]byte(keyChangeHead), encodeHead(s.changeHead), 0)
	return nil
}

// encodeChange encodes entry c with the fields that changed from old to
// cur: by the scanner, or through encoding/json for a record it does not
// read (a key with escapes).
func encodeChange(c *Change, old, cur []byte) ([]byte, error) {
	creates := old == nil && c.Op == "put"
	if fields, err := diffFields(old, cur); err == nil {
		if creates {
			c.Created, fields = contentHash(fields), nil
		}
		return appendChange(make([]byte, 0, 256+len(cur)+len(old)), c, fields)
	}
	fields, err := changedFields(old, cur)
	if err != nil {
		return nil, err
	}
	if creates {
		content := map[string]json.RawMessage{}
		for k, v := range fields {
			content[k] = v[1]
		}
		c.Created = ContentHash(content)
	} else {
		c.Fields = fields
	}
	return json.Marshal(c)
}

// ContentHash is the SHA-256 of a record's content (its top-level fields
// but the bookkeeping) as a creation entry's Created names it
// (docs/change-log.md). Plain keys are quoted as written; others (never
// ours) as encoding/json writes them.
func ContentHash(content map[string]json.RawMessage) string {
	fields := make([]fieldChange, 0, len(content))
	for k, v := range content {
		if bookkeeping[k] {
			continue
		}
		key := []byte(`"` + k + `"`)
		if !plainKey(k) {
			key, _ = json.Marshal(k)
		}
		fields = append(fields, fieldChange{key: key, cur: v})
	}
	slices.SortFunc(fields, func(x, y fieldChange) int { return bytes.Compare(x.key, y.key) })
	return contentHash(fields)
}

// contentHash hashes the new side of fields sorted by key.
func contentHash(fields []fieldChange) string {
	h := sha256.New()
	h.Write([]byte{'{'})
	for i, f := range fields {
		if i > 0 {
			h.Write([]byte{','})
		}
		h.Write(f.key)
		h.Write([]byte{':'})
		h.Write(f.cur)
	}
	h.Write([]byte{'}'})
	return hex.EncodeToString(h.Sum(nil))
}

// loadChangeHead reads this device's chain head at open.
func (s *Store) loadChangeHead(get func(key []byte) ([]byte, error)) error {
	s.changeHead = Head{Device: s.device}
	b, err := get([]byte(keyChangeHead))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	h, err := decodeHead(s.device, b)
	if err != nil {
		return fmt.Errorf("%w: change log head: %v", ErrCorrupt, err)
	}
	s.changeHead = h
	return nil
}

// The stored head is written with every change, so it is kept small: the
// seq as 8 bytes big-endian, then the 32 bytes of the hash. Workspaces
// written before held it as JSON.
func encodeHead(h Head) []byte {
	b := binary.BigEndian.AppendUint64(make([]byte, 0, 8+sha256.Size), h.Seq)
	sum, _ := hex.DecodeString(h.Hash)
	return append(b, sum...)
}

func decodeHead(device string, b []byte) (Head, error) {
	if len(b) > 0 && b[0] == '{' {
		var h Head
		err := json.Unmarshal(b, &h)
		return h, err
	}
	if len(b) != 8+sha256.Size {
		return Head{}, fmt.Errorf("%d bytes, want %d", len(b), 8+sha256.Size)
	}
	return Head{Device: device, Seq: binary.BigEndian.Uint64(b), Hash: hex.EncodeToString(b[8:])}, nil
}

// ChangeHead is this laptop's chain head.
func (s *Store) ChangeHead() Head {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changeHead
}

// VerifyChanges checks every device's chain: entries numbered from 1 with
// no gap, each linked to the one before by its hash, IDs and devices as
// they say, and this laptop's stored head at its last entry. It returns
// the heads, or the first bad entry as a *ChainError.
func (s *Store) VerifyChanges() ([]Head, error) {
	var heads []Head
	var cur *Head
	var bad error
	err := s.scan(recordPrefix(KindChange), true, func(key, raw []byte, deleted bool) error {
		id := strings.TrimPrefix(string(key), string(recordPrefix(KindChange)))
		device, seqText, _ := strings.Cut(id, ".")
		seq, _ := strconv.ParseUint(seqText, 10, 64)
		if cur == nil || cur.Device != device {
			heads = append(heads, Head{Device: device})
			cur = &heads[len(heads)-1]
		}
		fail := func(format string, args ...any) error {
			bad = &ChainError{Device: device, Seq: cur.Seq + 1, Reason: fmt.Sprintf(format, args...)}
			return errStop
		}
		linked := true
		if seq != cur.Seq+1 {
			if device == s.device || seq <= cur.Seq {
				return fail("missing (the next entry stored is %d)", seq)
			}
			cur.Missing += seq - cur.Seq - 1
			cur.Seq, linked = seq-1, false // not received yet: the link is checked once it is
		}
		if deleted {
			return fail("deleted")
		}
		var c struct { // what the chain needs of an entry; its fields are not decoded
			ID       string `json:"id"`
			Device   string `json:"device"`
			Seq      uint64 `json:"seq"`
			PrevHash string `json:"prev_hash"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return fail("does not decode: %v", err)
		}
		switch {
		case c.Device != device || c.Seq != seq || c.ID != id:
			return fail("says it is entry %d of device %s (ID %s)", c.Seq, c.Device, c.ID)
		case linked && c.PrevHash != cur.Hash:
			return fail("prev_hash does not match entry %d", seq-1)
		}
		cur.Seq, cur.Hash = seq, HashEntry(raw)
		return nil
	})
	if bad != nil {
		return heads, bad
	}
	if err != nil {
		return heads, err
	}
	s.mu.Lock()
	local := s.changeHead
	s.mu.Unlock()
	for _, h := range heads {
		if h.Device == local.Device && (h.Seq != local.Seq || h.Hash != local.Hash) {
			return heads, &ChainError{Device: h.Device, Seq: local.Seq, Reason: fmt.Sprintf("this laptop's head says entry %d, the log ends at %d", local.Seq, h.Seq)}
		}
	}
	if local.Seq > 0 && !containsDevice(heads, local.Device) {
		return heads, &ChainError{Device: local.Device, Seq: 1, Reason: "missing: no entries stored for this laptop"}
	}
	return heads, nil
}

func containsDevice(hs []Head, device string) bool {
	for _, h := range hs {
		if h.Device == device {
			return true
		}
	}
	return false
}

var errStop = errors.New("stop")
