package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// slowChange is the entry as encoding/json makes it: the reference the
// scanner and encoder must agree with.
func slowChange(t testing.TB, c Change, old, cur []byte) Change {
	fields, err := changedFields(old, cur)
	if err != nil {
		t.Fatal(err)
	}
	c.Fields = fields
	if old == nil && c.Op == "put" {
		c.Created, c.Fields = referenceContentHash(fields), nil
	}
	raw, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// referenceContentHash is docs/change-log.md's rule for a created record's
// content hash, written out plainly.
func referenceContentHash(fields map[string][2]json.RawMessage) string {
	var members [][2]string // quoted key, value
	for k, v := range fields {
		if string(v[1]) == "null" {
			continue // a null member counts as absent
		}
		key, _ := json.Marshal(k)
		if regexp.MustCompile(`^[ !#-\[\]-~]*$`).MatchString(k) {
			key = []byte(`"` + k + `"`) // printable ASCII but " and \ as written, no escaping of <, >, &
		}
		members = append(members, [2]string{string(key), string(v[1])})
	}
	sort.Slice(members, func(i, j int) bool { return members[i][0] < members[j][0] })
	var joined []string
	for _, m := range members {
		joined = append(joined, m[0]+":"+m[1])
	}
	sum := sha256.Sum256([]byte("{" + strings.Join(joined, ",") + "}"))
	return hex.EncodeToString(sum[:])
}

func fastChange(t testing.TB, c Change, old, cur []byte) (Change, bool) {
	if _, err := diffFields(old, cur); err != nil {
		return Change{}, false
	}
	raw, err := encodeChange(&c, old, cur)
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("fast entry does not decode: %v\n%s", err, raw)
	}
	return back, true
}

var encodeCases = []struct{ name, old, cur string }{
	{"new", "", `{"id":"a1","version":{"wall":5,"device":"d"},"tag":"PLC-1","ips":["10.0.0.1"],"location":{"room":"R \"2\""},"sl_c":2}`},
	{"changed", `{"id":"a1","version":{"wall":5,"device":"d"},"tag":"PLC-1","vendor":"Siemens","n":1.5e3}`,
		`{"id":"a1","version":{"wall":6,"device":"d"},"prev":[{"wall":5,"device":"d"}],"tag":"PLC-1","vendor":"ABB","model":"AC500","n":true}`},
	{"removed", `{"id":"a1","tag":"x","notes":"a,b}]"}`, `{"id":"a1","tag":"x"}`},
	{"spaces", "{ \"id\" : \"a\" ,\n \"tag\" : [ 1 , {\"k\" : null} ] }", `{"id":"a","tag":[1,{"k":null}],"z":false}`},
	{"nothing", `{"id":"a","tag":"x"}`, `{"id":"a","tag":"x","version":{"wall":9,"device":"d"}}`},
	{"unicode", `{"tag":"Pumpe Süd"}`, `{"tag":"Pumpe Nord \u2028 <&>","deleted":true}`},
}

func TestEncodeChangeMatchesMarshal(t *testing.T) {
	c := Change{Meta: assets.Meta{ID: ChangeID("dev1", 7), Version: assets.Stamp{Wall: 42, Logical: 3, Device: "dev1"}, ChangedBy: "Ana <ana@x>"},
		Device: "dev1", Seq: 7, PrevHash: "ab12", Kind: "asset", Record: "a1", Op: "put"}
	for _, tc := range encodeCases {
		t.Run(tc.name, func(t *testing.T) {
			var old []byte
			if tc.old != "" {
				old = []byte(tc.old)
			}
			want := slowChange(t, c, old, []byte(tc.cur))
			got, ok := fastChange(t, c, old, []byte(tc.cur))
			if !ok {
				t.Fatal("the scanner refused a plain record")
			}
			sameEntry(t, got, want)
		})
	}
	// A key with an escape takes the slow path, and the entry still holds.
	if _, err := diffFields(nil, []byte(`{"t\u0061g":"x"}`)); err == nil {
		t.Error("a key with an escape was read by the scanner")
	}
	raw, err := encodeChange(&c, nil, []byte(`{"t\u0061g":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	var back Change
	if err := json.Unmarshal(raw, &back); err != nil || back.Fields != nil || back.Created != ContentHash(map[string]json.RawMessage{"tag": json.RawMessage(`"x"`)}) {
		t.Errorf("slow path entry %s: %v", raw, err)
	}
}

// FuzzDiffFields: whenever the scanner reads two records, the entry it
// encodes says what encoding/json's would.
func FuzzDiffFields(f *testing.F) {
	for _, tc := range encodeCases {
		f.Add(tc.old, tc.cur)
	}
	c := Change{Meta: assets.Meta{ID: "d.000000000001"}, Device: "d", Seq: 1, Kind: "asset", Record: "r", Op: "put"}
	f.Fuzz(func(t *testing.T, old, cur string) {
		var o, n map[string]json.RawMessage
		if json.Unmarshal([]byte(old), &o) != nil || o == nil || json.Unmarshal([]byte(cur), &n) != nil || n == nil {
			return
		}
		got, ok := fastChange(t, c, []byte(old), []byte(cur))
		if !ok {
			return
		}
		sameEntry(t, got, want(t, c, old, cur))
		// A creation names the same content hash both ways.
		if got, ok := fastChange(t, c, nil, []byte(cur)); ok {
			sameEntry(t, got, slowChange(t, c, nil, []byte(cur)))
		}
	})
}

func want(t *testing.T, c Change, old, cur string) Change {
	return slowChange(t, c, []byte(old), []byte(cur))
}

// sameEntry compares entries; field values are compared as JSON values,
// as encoding/json compacts and escapes raw values and the scanner keeps
// them as stored.
func sameEntry(t *testing.T, got, want Change) {
	t.Helper()
	gf, wf := got.Fields, want.Fields
	got.Fields, want.Fields = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("entry differs:\n got %+v\nwant %+v", got, want)
	}
	if len(gf) != len(wf) {
		t.Fatalf("%d fields, want %d: %s vs %s", len(gf), len(wf), gf, wf)
	}
	for k, w := range wf {
		g, ok := gf[k]
		if !ok || !sameJSON(g[0], w[0]) || !sameJSON(g[1], w[1]) {
			t.Fatalf("field %q: got %s, want %s", k, g, w)
		}
	}
}

func sameJSON(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func TestChangeIDAndHeadEncoding(t *testing.T) {
	for _, seq := range []uint64{1, 42, 999999999999, 1234567890123} {
		if got, want := ChangeID("dev", seq), fmt.Sprintf("%s.%012d", "dev", seq); got != want {
			t.Errorf("ChangeID(%d) = %s, want %s", seq, got, want)
		}
	}
	// The stored state: clock and head in one binary value; a JSON clock as
	// workspaces wrote it before.
	clock := assets.Stamp{Wall: 1795959275512653698, Logical: 7, Device: "d1"}
	h := Head{Device: "d1", Seq: 1234567890123, Hash: HashEntry([]byte("x"))}
	for _, tc := range []struct {
		clock assets.Stamp
		head  Head
	}{{clock, h}, {clock, Head{Device: "d1"}}, {assets.Stamp{Device: "d1"}, Head{Device: "d1"}}} {
		b := encodeState(tc.clock, tc.head)
		c, got, legacy, err := decodeState("d1", b)
		if err != nil || legacy || c != tc.clock || got != tc.head {
			t.Errorf("state %x decodes to %v %+v legacy %v, %v; want %v %+v", b, c, got, legacy, err, tc.clock, tc.head)
		}
	}
	if n := len(encodeState(clock, h)); n != 53 {
		t.Errorf("state takes %d bytes, want 53", n)
	}
	old, _ := json.Marshal(clock)
	if c, got, legacy, err := decodeState("d1", old); err != nil || !legacy || c != clock || got.Seq != 0 {
		t.Errorf("a JSON clock decodes to %v %+v legacy %v, %v", c, got, legacy, err)
	}
	for _, bad := range [][]byte{nil, encodeState(clock, h)[:52], append([]byte{9}, encodeState(clock, h)[1:]...), encodeState(clock, h)[: 21 : 21+1]} {
		if _, _, _, err := decodeState("d1", bad); err == nil {
			t.Errorf("state %x was read", bad)
		}
	}
}
