package store

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// A record written by a newer Zonewalk carries fields this version does not
// know. A local edit here must keep them, or they are lost and the loss
// spreads to every laptop through bundles.
func TestPutKeepsUnknownFields(t *testing.T) {
	s, _ := newPlain(t)
	const id = "0123456789abcdef0123456789abcdef"
	raw := `{"id":"` + id + `","version":{"wall":5,"logical":0,"device":"feedfacefeedface"},
		"tag":"PLC-1","type":"plc","notes":"old notes",
		"future_field":{"a":[1,2],"b":"x"},"future_flag":true,
		"location":{"building":"B1","future_rack_unit":12}}`
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(KindAsset, []byte(raw)) }); err != nil {
		t.Fatal(err)
	}
	var a assets.Asset
	if err := s.Get(KindAsset, id, &a); err != nil {
		t.Fatal(err)
	}
	a.Name = "edited here"
	a.Notes = ""               // cleared by the user: a known field, must stay gone
	a.Location.Building = "B2" // nested known field changes
	if err := s.Put(KindAsset, &a); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.GetRaw(KindAsset, id)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(got, &fields); err != nil {
		t.Fatal(err)
	}
	if string(fields["future_field"]) != `{"a":[1,2],"b":"x"}` || string(fields["future_flag"]) != "true" {
		t.Errorf("unknown top-level fields lost: %s", got)
	}
	if _, ok := fields["notes"]; ok {
		t.Errorf("a cleared known field came back: %s", got)
	}
	var loc map[string]json.RawMessage
	json.Unmarshal(fields["location"], &loc)
	if string(loc["future_rack_unit"]) != "12" || string(loc["building"]) != `"B2"` {
		t.Errorf("nested unknown field lost or known one not updated: %s", fields["location"])
	}
	if string(fields["name"]) != `"edited here"` {
		t.Errorf("the edit itself is missing: %s", got)
	}
	// And again: a second edit keeps them too, and a delete (tombstone) as well.
	a.Name = "second"
	if err := s.Put(KindAsset, &a); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(KindAsset, id); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.GetRaw(KindAsset, id)
	fields = nil
	json.Unmarshal(got, &fields)
	if string(fields["future_flag"]) != "true" {
		t.Errorf("unknown field lost after a second edit and a delete: %s", got)
	}
}

func TestKnownFieldsOfType(t *testing.T) {
	k := knownFields(typeOf(&assets.Asset{}))
	for _, name := range []string{"id", "version", "prev", "changed_by", "deleted", "tag", "location", "sl_c"} {
		if !k.knows(name) {
			t.Errorf("asset field %q not known", name)
		}
	}
	if k.knows("future_field") {
		t.Error("future_field known")
	}
	if loc := k.nested("location"); loc == nil || !loc.knows("building") {
		t.Error("location is not recursed into")
	}
	if k.nested("version") == nil {
		t.Error("version (a plain struct) is not recursed into")
	}
}
