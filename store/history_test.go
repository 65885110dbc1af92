package store

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// exchange merges into to every change-log entry of from and, when newer,
// from's version of record kind/id, as a bundle import does (PutRaw).
func exchange(t *testing.T, from, to *Store, kind Kind, id string) {
	t.Helper()
	for _, c := range changes(t, from) {
		if _, _, err := to.GetRaw(KindChange, c.ID); err == nil {
			continue
		}
		raw, _, err := from.GetRaw(KindChange, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		putRaw(t, to, KindChange, raw)
	}
	mine, _, err := to.GetRaw(kind, id)
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := from.GetRaw(kind, id)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := decodeMeta(mine)
	b, _ := decodeMeta(theirs)
	if b.Version.Compare(a.Version) > 0 {
		putRaw(t, to, kind, theirs)
	}
}

// createdFirmware is the firmware a creation entry of device shows, "" when
// History could not recover it.
func createdFirmware(t *testing.T, s *Store, id, device string) string {
	t.Helper()
	h, err := s.History(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range h {
		if c.Device != device || c.Created == "" {
			continue
		}
		if c.Fields == nil {
			return ""
		}
		if v := c.Fields["firmware"]; string(v[0]) == "null" {
			return string(v[1])
		}
		t.Fatalf("creation of %s by %s: %v", id, device, c.Fields)
	}
	t.Fatalf("no creation of %s by %s", id, device)
	return ""
}

// A record with a derived ID (an answer, a rule finding) is created on each
// laptop that writes it before it has the other's: both entries name a
// creation. The record kept after the exchange is the newer creation,
// edited once; History recovers that creation on both laptops, and never
// shows the older one with the kept one's values.
func TestHistoryRecoversEachCreation(t *testing.T) {
	a, b := newStore(t), newStore(t)
	const id = "0123456789abcdef0123456789abcdef"
	if err := a.Put(KindAsset, &assets.Asset{Meta: assets.Meta{ID: id}, Tag: "PLC-1", Type: assets.TypePLC, Firmware: "V1"}); err != nil {
		t.Fatal(err)
	}
	mine := &assets.Asset{Meta: assets.Meta{ID: id}, Tag: "PLC-1", Type: assets.TypePLC, Firmware: "V2"}
	if err := b.Put(KindAsset, mine); err != nil {
		t.Fatal(err)
	}
	mine.Notes = "checked"
	if err := b.Put(KindAsset, mine); err != nil {
		t.Fatal(err)
	}
	exchange(t, b, a, KindAsset, id)
	exchange(t, a, b, KindAsset, id)
	for name, s := range map[string]*Store{"a": a, "b": b} {
		if got := createdFirmware(t, s, id, b.Device()); got != `"V2"` {
			t.Errorf("on %s, b's creation (the record kept) shows firmware %q, want \"V2\"", name, got)
		}
		if got := createdFirmware(t, s, id, a.Device()); got != "" {
			t.Errorf("on %s, a's creation (replaced by b's) shows firmware %s", name, got)
		}
	}
}

// rawRecord writes its members after the bookkeeping exactly as given.
type rawRecord struct {
	assets.Meta
	members string
}

func (r *rawRecord) MarshalJSON() ([]byte, error) {
	m, err := json.Marshal(r.Meta)
	return append(append(m[:len(m)-1], ','), r.members+"}"...), err
}

// Keys the entry scanner does not read (escapes, non-ASCII, and "<",
// which encoding/json stores as "\u003c") take the slow path at the
// creation and at the edit; History spells them the same way and
// recovers the creation, under the decoded keys.
func TestHistoryRecoversKeysWithEscapes(t *testing.T) {
	s := newStore(t)
	r := &rawRecord{Meta: assets.Meta{ID: "r1"}, members: `"t\u0061g":"x","é":1,"\u00e8":2,"<":3,"a\"b":[1, 2]`}
	if err := s.Put(KindAsset, r); err != nil {
		t.Fatal(err)
	}
	r.members = `"t\u0061g":"y","é":1,"\u00e8":3,"<":3,"a\"b":[1, 2]`
	if err := s.Put(KindAsset, r); err != nil {
		t.Fatal(err)
	}
	h, err := s.History("r1")
	if err != nil || len(h) != 2 || h[0].Created == "" {
		t.Fatalf("history: %v %+v", err, h)
	}
	got := map[string]string{}
	for k, v := range h[0].Fields {
		got[k] = string(v[0]) + " → " + string(v[1])
	}
	want := map[string]string{"tag": `null → "x"`, "é": "null → 1", "è": "null → 2", "<": "null → 3", `a"b`: "null → [1,2]"}
	if !maps.Equal(got, want) {
		t.Errorf("creation recovered as %v, want %v", got, want)
	}
	if e := h[1].Fields; len(e) != 2 || string(e["tag"][0]) != `"x"` || string(e["è"][1]) != "3" {
		t.Errorf("the edit: %v", e)
	}
}

// An entry's fields do not tell a null value from an absent one ([null, v]
// for both), so undoing an edit leaves a key absent that may have been
// null at the creation. The content hash leaves null members out, so such
// a creation is recovered (its null members not shown, as absent ones).
func TestHistoryRecoversNullAtCreation(t *testing.T) {
	s := newStore(t)
	r := &rawRecord{Meta: assets.Meta{ID: "r1"}, members: `"tag":"x","ips":null,"notes":null`}
	if err := s.Put(KindAsset, r); err != nil {
		t.Fatal(err)
	}
	r.members = `"tag":"x","ips":["10.0.0.1"]`
	if err := s.Put(KindAsset, r); err != nil {
		t.Fatal(err)
	}
	h, err := s.History("r1")
	if err != nil || len(h) != 2 {
		t.Fatalf("history: %v %+v", err, h)
	}
	if f := h[0].Fields; len(f) != 1 || string(f["tag"][1]) != `"x"` {
		t.Errorf("creation recovered as %v, want tag only", f)
	}
	if f := h[1].Fields; string(f["ips"][0]) != "null" || string(f["notes"][0]) != "null" || string(f["notes"][1]) != "null" {
		t.Errorf("the edit: %v", f)
	}
}
