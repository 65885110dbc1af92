package bundle

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// Fields a newer Zonewalk wrote travel through a laptop running this
// version (issue 15 item 6): a bundle brings an asset with fields this
// version does not know, the asset is edited here, and the bundle written
// here carries the edit and those fields on to the next laptop.
func TestUnknownFieldsTravelThroughAnEdit(t *testing.T) {
	fx := newFixture(t)
	out := fx.sealed(t, "newer", func(recs map[string][]string) {
		editRecord(t, recs, "asset", isTag("PLC-1"), func(m map[string]any) {
			m["prev"] = []any{m["version"]}
			m["version"] = stampJSON(assets.Stamp{Wall: time.Now().UnixNano(), Device: "newer"})
			m["future_field"] = map[string]any{"k": "v"}
			m["location"] = map[string]any{"building": "B1", "future_shelf": 3}
		})
	})
	importInto(t, fx.b, out, fx.tm)

	var id string
	for _, a := range fx.b.Assets() {
		if a.Tag == "PLC-1" {
			id = a.ID
		}
	}
	a, ok := fx.b.Asset(id)
	if !ok || a.Location.Building != "B1" {
		t.Fatalf("imported asset: %+v", a)
	}
	a.Vendor = "ABB"
	a.Location.Building = "B2"
	if _, err := fx.b.SaveAsset(a); err != nil {
		t.Fatal(err)
	}
	trustEachOther(t, fx.a, fx.b)
	back := exportTo(t, fx.b, fx.dir, "back.zwb", fx.tm, false)

	// The line the bundle carries, and then what the next laptop stores.
	var line string
	for _, m := range members(t, plaintext(t, back, fx.tm)) {
		if strings.HasPrefix(m.name, recordsPrefix+"asset/") {
			for l := range strings.SplitSeq(string(m.body), "\n") {
				if strings.Contains(l, `"id":"`+id+`"`) {
					line = l
				}
			}
		}
	}
	importInto(t, fx.a, back, fx.tm)
	stored, _, err := fx.a.Store().GetRaw(store.KindAsset, id)
	if err != nil {
		t.Fatal(err)
	}
	for what, raw := range map[string]string{"bundle written after the edit": line, "next laptop": string(stored)} {
		var f struct {
			Future   json.RawMessage            `json:"future_field"`
			Vendor   string                     `json:"vendor"`
			Location map[string]json.RawMessage `json:"location"`
		}
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			t.Fatalf("%s: %v: %q", what, err, raw)
		}
		if string(f.Future) != `{"k":"v"}` || string(f.Location["future_shelf"]) != "3" {
			t.Errorf("%s lost the newer version's fields: %s", what, raw)
		}
		if f.Vendor != "ABB" || string(f.Location["building"]) != `"B2"` {
			t.Errorf("%s lost the edit made here: %s", what, raw)
		}
	}
}
