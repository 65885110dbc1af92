package store

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"github.com/zonewalk/zonewalk/assets"
)

func changes(t *testing.T, s *Store) []Change {
	t.Helper()
	var out []Change
	if err := s.Scan(KindChange, func(raw []byte) error {
		var c Change
		if err := json.Unmarshal(raw, &c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Every local change is an entry naming the fields it changed, old and
// new; the chain verifies; merged records are not logged here.
func TestChangeLogEntries(t *testing.T) {
	s := newStore(t)
	a := &assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Firmware: "V1"}
	if err := s.Put(KindAsset, a); err != nil {
		t.Fatal(err)
	}
	a.Firmware, a.Notes = "V2", "patched"
	if err := s.Put(KindAsset, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(KindAsset, a.ID); err != nil {
		t.Fatal(err)
	}
	cs := changes(t, s)
	if len(cs) != 3 {
		t.Fatalf("%d entries, want create, edit, delete: %+v", len(cs), cs)
	}
	field := func(c Change, f string) string {
		v, ok := c.Fields[f]
		if !ok {
			return "unchanged"
		}
		return string(v[0]) + " → " + string(v[1])
	}
	// A creation names its content by hash; the values are the record's.
	if c := cs[0]; c.Seq != 1 || c.PrevHash != "" || c.Op != "put" || c.Record != a.ID || c.Fields != nil || c.ChangedBy != "tester" ||
		c.Created != referenceContentHash(map[string][2]json.RawMessage{"tag": {nil, []byte(`"PLC-1"`)}, "type": {nil, []byte(`"plc"`)}, "firmware": {nil, []byte(`"V1"`)}, "location": {nil, []byte(`{}`)}}) {
		t.Errorf("create: %+v", c)
	}
	if c := cs[1]; c.Seq != 2 || field(c, "firmware") != `"V1" → "V2"` || field(c, "notes") != `null → "patched"` || field(c, "tag") != "unchanged" {
		t.Errorf("edit: %+v fields %v", c, c.Fields)
	}
	if c := cs[2]; c.Op != "delete" || len(c.Fields) != 0 {
		t.Errorf("delete: %+v", c)
	}
	var stored assets.Asset
	s.GetAny(KindAsset, a.ID, &stored)
	if cs[2].Version != stored.Version {
		t.Errorf("the last entry is stamped %v, the record %v", cs[2].Version, stored.Version)
	}
	heads, err := s.VerifyChanges()
	if err != nil || len(heads) != 1 || heads[0] != s.ChangeHead() || heads[0].Seq != 3 {
		t.Fatalf("verify: %v %+v, head %+v", err, heads, s.ChangeHead())
	}
	// A record merged from elsewhere (PutRaw) is its author's entry, not ours.
	raw, _ := json.Marshal(assets.Asset{Meta: assets.Meta{ID: "from-b", Version: assets.Stamp{Wall: 5, Device: "b"}}, Tag: "B", Type: assets.TypeHMI})
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(KindAsset, raw) }); err != nil {
		t.Fatal(err)
	}
	if n := len(changes(t, s)); n != 3 {
		t.Errorf("a merged record was logged: %d entries", n)
	}
	// The head survives a reopen; a failed transaction leaves it as it was.
	dir := s.Dir()
	s.Close()
	s, err = Open(dir, OpenOptions{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if h := s.ChangeHead(); h.Seq != 3 || h != heads[0] {
		t.Errorf("head after reopen %+v, want %+v", h, heads[0])
	}
	boom := errors.New("boom")
	s.Update(context.Background(), func(tx *Tx) error {
		tx.Put(KindAsset, &assets.Asset{Tag: "X", Type: assets.TypePLC})
		return boom
	})
	if h := s.ChangeHead(); h.Seq != 3 {
		t.Errorf("head after a failed transaction: %+v", h)
	}
	if err := s.Put(KindAsset, &assets.Asset{Tag: "Y", Type: assets.TypePLC}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyChanges(); err != nil {
		t.Fatal(err)
	}
}

// History gives a creation's values back, from the record as stored and
// the later entries undone, for a record edited, deleted, and one created
// with no later change; a record changed on disk without an entry leaves
// its creation unrecoverable, never wrongly recovered.
func TestHistoryRecoversCreations(t *testing.T) {
	s := newStore(t)
	a := &assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Firmware: "V1", IPs: []string{"10.0.0.1"}}
	b := &assets.Asset{Tag: "HMI-1", Type: assets.TypeHMI, Vendor: "ABB"}
	for _, r := range []*assets.Asset{a, b} {
		if err := s.Put(KindAsset, r); err != nil {
			t.Fatal(err)
		}
	}
	a.Firmware, a.IPs, a.Notes = "V2", nil, "patched"
	if err := s.Put(KindAsset, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(KindAsset, a.ID); err != nil {
		t.Fatal(err)
	}
	created := func(id string) map[string]string {
		t.Helper()
		h, err := s.History(id)
		if err != nil || len(h) == 0 || h[0].Created == "" {
			t.Fatalf("history of %s: %v %+v", id, err, h)
		}
		if h[0].Fields == nil {
			return nil
		}
		out := map[string]string{}
		for k, v := range h[0].Fields {
			if string(v[0]) != "null" {
				t.Errorf("created field %s has an old value %s", k, v[0])
			}
			out[k] = string(v[1])
		}
		return out
	}
	want := map[string]string{"tag": `"PLC-1"`, "type": `"plc"`, "firmware": `"V1"`, "ips": `["10.0.0.1"]`, "location": `{}`}
	if got := created(a.ID); !maps.Equal(got, want) {
		t.Errorf("created %s: %v, want %v", a.ID, got, want)
	}
	if got := created(b.ID); !maps.Equal(got, map[string]string{"tag": `"HMI-1"`, "type": `"hmi"`, "vendor": `"ABB"`, "location": `{}`}) {
		t.Errorf("created %s: %v", b.ID, got)
	}
	all, err := s.History("")
	if err != nil || len(all) != 4 {
		t.Fatalf("whole history: %v, %d entries", err, len(all))
	}
	// The vendor changed behind the log's back.
	raw, _, _ := s.GetRaw(KindAsset, b.ID)
	putRaw(t, s, KindAsset, []byte(strings.Replace(string(raw), `"ABB"`, `"Siemens"`, 1)))
	if got := created(b.ID); got != nil {
		t.Errorf("created %s recovered from a record changed without an entry: %v", b.ID, got)
	}
}

// Edited, deleted or reordered entries break the chain where they are.
func TestChangeLogTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(t *testing.T, s *Store, raw map[uint64][]byte)
		seq    uint64
		reason string
	}{
		{"an entry's content edited", func(t *testing.T, s *Store, raw map[uint64][]byte) {
			putRaw(t, s, KindChange, []byte(strings.Replace(string(raw[2]), `"V2"`, `"V9"`, 1)))
		}, 3, "prev_hash does not match entry 2"},
		{"the last entry edited", func(t *testing.T, s *Store, raw map[uint64][]byte) {
			putRaw(t, s, KindChange, []byte(strings.Replace(string(raw[4]), `"V4"`, `"V9"`, 1)))
		}, 4, "head says"},
		{"an entry deleted", func(t *testing.T, s *Store, raw map[uint64][]byte) {
			s.Update(context.Background(), func(tx *Tx) error { return tx.Delete(KindChange, ChangeID(s.Device(), 2)) })
		}, 2, "deleted"},
		{"two entries swapped", func(t *testing.T, s *Store, raw map[uint64][]byte) {
			swapped := strings.Replace(string(raw[3]), `"id":"`+ChangeID(s.Device(), 3), `"id":"`+ChangeID(s.Device(), 2), 1)
			putRaw(t, s, KindChange, []byte(swapped))
		}, 2, "says it is entry 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			a := &assets.Asset{Tag: "PLC-1", Type: assets.TypePLC}
			for _, fw := range []string{"V1", "V2", "V3", "V4"} {
				a.Firmware = fw
				if err := s.Put(KindAsset, a); err != nil {
					t.Fatal(err)
				}
			}
			raw := map[uint64][]byte{}
			s.Scan(KindChange, func(b []byte) error {
				var c Change
				json.Unmarshal(b, &c)
				raw[c.Seq] = append([]byte(nil), b...)
				return nil
			})
			tc.tamper(t, s, raw)
			_, err := s.VerifyChanges()
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Seq != tc.seq || !strings.Contains(ce.Reason, tc.reason) || ce.Device != s.Device() {
				t.Fatalf("verify after tampering: %v", err)
			}
		})
	}
}

func putRaw(t *testing.T, s *Store, kind Kind, raw []byte) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(kind, raw) }); err != nil {
		t.Fatal(err)
	}
}

func newStore(t *testing.T) *Store {
	t.Helper()
	s, _ := newPlain(t)
	return s
}

// A workspace written before the combined state (JSON clock, head under
// keyChangeHead) opens with its chain where it was and continues it; its
// first write leaves keyChangeHead unreadable as a head, so an older
// program refuses the workspace instead of restarting the chain at 1.
func TestLegacyHeadMoves(t *testing.T) {
	s := newStore(t)
	for _, tag := range []string{"PLC-1", "PLC-2"} {
		if err := s.Put(KindAsset, &assets.Asset{Tag: tag, Type: assets.TypePLC}); err != nil {
			t.Fatal(err)
		}
	}
	head, clock := s.ChangeHead(), s.Clock()
	oldClock, _ := json.Marshal(clock)
	oldHead, _ := json.Marshal(head)
	if err := s.db.Update(func(txn *badger.Txn) error {
		if err := txn.Set([]byte(keyClock), oldClock); err != nil {
			return err
		}
		return txn.Set([]byte(keyChangeHead), oldHead)
	}); err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	s.Close()
	s, err := Open(dir, OpenOptions{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ChangeHead() != head || s.Clock() != clock {
		t.Fatalf("after reopen: head %+v clock %v, want %+v %v", s.ChangeHead(), s.Clock(), head, clock)
	}
	if err := s.Put(KindAsset, &assets.Asset{Tag: "PLC-3", Type: assets.TypePLC}); err != nil {
		t.Fatal(err)
	}
	heads, err := s.VerifyChanges()
	if err != nil || len(heads) != 1 || heads[0].Seq != 3 {
		t.Fatalf("chain after the move: %v %+v", err, heads)
	}
	var moved []byte
	s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keyChangeHead))
		if err == nil {
			moved, err = item.ValueCopy(nil)
		}
		return err
	})
	var asOlder Head
	if json.Unmarshal(moved, &asOlder) == nil {
		t.Errorf("keyChangeHead still reads as a head: %q", moved)
	}
}
