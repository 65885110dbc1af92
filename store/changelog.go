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
// but the bookkeeping, and but those that are null) as a creation entry's
// Created names it (docs/change-log.md). Plain keys are quoted as written;
// others (never ours) as encoding/json writes them.
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

// contentHash hashes the new side of fields sorted by key. A null member
// counts as absent: an entry's [null, v] says either, so History, undoing
// it, cannot tell which the creation had.
func contentHash(fields []fieldChange) string {
	h := sha256.New()
	h.Write([]byte{'{'})
	sep := false
	for _, f := range fields {
		if bytes.Equal(f.cur, jsonNull) {
			continue
		}
		if sep {
			h.Write([]byte{','})
		}
		sep = true
		h.Write(f.key)
		h.Write([]byte{':'})
		h.Write(f.cur)
	}
	h.Write([]byte{'}'})
	return hex.EncodeToString(h.Sum(nil))
}

// The local state written with every change: the clock and this laptop's
// chain head, in one small binary value under keyClock (a format byte, the
// clock's wall and logical parts, the head's seq and, once there is one,
// its 32-byte hash). One key for both keeps a durable add cheap.
// Workspaces written before held the clock as JSON and the head under
// keyChangeHead; that key now holds headMoved, which older programs
// cannot read as a head, so they refuse the workspace as damaged rather
// than restart its chain at entry 1.
const (
	stateFormat = 2
	headMoved   = "moved to s/clock: this workspace needs a newer Zonewalk"
)

func encodeState(clock assets.Stamp, h Head) []byte {
	b := make([]byte, 0, 21+sha256.Size)
	b = append(b, stateFormat)
	b = binary.BigEndian.AppendUint64(b, uint64(clock.Wall))
	b = binary.BigEndian.AppendUint32(b, clock.Logical)
	b = binary.BigEndian.AppendUint64(b, h.Seq)
	if h.Seq > 0 {
		sum, _ := hex.DecodeString(h.Hash)
		b = append(b, sum...)
	}
	return b
}

// decodeState reads keyClock: the binary state, or (legacy) a JSON clock,
// in which case legacy is true and the head is under keyChangeHead.
func decodeState(device string, b []byte) (clock assets.Stamp, h Head, legacy bool, err error) {
	h = Head{Device: device}
	if len(b) > 0 && b[0] == '{' {
		err = json.Unmarshal(b, &clock)
		return clock, h, true, err
	}
	if len(b) != 21 && len(b) != 21+sha256.Size || b[0] != stateFormat {
		return clock, h, false, fmt.Errorf("%d bytes, not state format %d", len(b), stateFormat)
	}
	clock = assets.Stamp{Wall: int64(binary.BigEndian.Uint64(b[1:])), Logical: binary.BigEndian.Uint32(b[9:]), Device: device}
	h.Seq = binary.BigEndian.Uint64(b[13:])
	switch {
	case h.Seq > 0 && len(b) == 21+sha256.Size:
		h.Hash = hex.EncodeToString(b[21:])
	case h.Seq > 0 || len(b) != 21:
		return clock, h, false, fmt.Errorf("head %d with %d hash bytes", h.Seq, len(b)-21)
	}
	return clock, h, false, nil
}

// loadLegacyHead reads the chain head as workspaces before the combined
// state kept it.
func (s *Store) loadLegacyHead(get func(key []byte) ([]byte, error)) error {
	s.changeHead = Head{Device: s.device}
	b, err := get([]byte(keyChangeHead))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &s.changeHead); err != nil {
		return fmt.Errorf("%w: change log head: %v", ErrCorrupt, err)
	}
	return nil
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
