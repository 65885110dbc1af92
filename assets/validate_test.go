package assets

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// textField puts a value into one text field of an otherwise valid record
// and validates that record.
type textField struct {
	kind, field string
	multiline   bool
	check       func(v string) error
}

func validEvidence() Evidence {
	return Evidence{SHA256: strings.Repeat("ab", 32), Name: "front.jpg", MediaType: "image/jpeg",
		Owner: Ref{Kind: "asset", ID: "a1"}}
}

// everyTextField lists every free-text field of every record kind, named as
// Validate names it.
func everyTextField() []textField {
	audit := func(set func(*Audit, string)) func(string) error {
		return func(v string) error { a := Audit{Title: "T"}; set(&a, v); return a.Validate() }
	}
	zone := func(set func(*Zone, string)) func(string) error {
		return func(v string) error { z := Zone{Name: "Z"}; set(&z, v); return z.Validate() }
	}
	conduit := func(set func(*Conduit, string)) func(string) error {
		return func(v string) error { c := Conduit{Name: "C", From: "z1"}; set(&c, v); return c.Validate(nil) }
	}
	asset := func(set func(*Asset, string)) func(string) error {
		return func(v string) error { a := Asset{Tag: "T", Type: TypePLC}; set(&a, v); return a.Validate(nil) }
	}
	evidence := func(set func(*Evidence, string)) func(string) error {
		return func(v string) error { e := validEvidence(); set(&e, v); return e.Validate() }
	}
	return []textField{
		{"audit", "id", false, audit(func(a *Audit, v string) { a.ID = v })},
		{"audit", "changed_by", false, audit(func(a *Audit, v string) { a.ChangedBy = v })},
		{"audit", "title", false, audit(func(a *Audit, v string) { a.Title = "T" + v })},
		{"audit", "site", false, audit(func(a *Audit, v string) { a.Site = v })},
		{"audit", "owner", false, audit(func(a *Audit, v string) { a.Owner = v })},
		{"audit", "location", false, audit(func(a *Audit, v string) { a.Location = v })},
		{"audit", "auditors", false, audit(func(a *Audit, v string) { a.Auditors = []string{"Ann", v} })},
		{"audit", "scope", true, audit(func(a *Audit, v string) { a.Scope = v })},
		{"audit", "standards", false, audit(func(a *Audit, v string) { a.Standards = []string{v} })},
		{"audit", "classification", false, audit(func(a *Audit, v string) { a.Classification = v })},

		{"zone", "id", false, zone(func(z *Zone, v string) { z.ID = v })},
		{"zone", "name", false, zone(func(z *Zone, v string) { z.Name = "Z" + v })},
		{"zone", "description", true, zone(func(z *Zone, v string) { z.Description = v })},
		{"zone", "rationale.tolerable_risk", false, zone(func(z *Zone, v string) { z.Rationale.TolerableRisk = v })},
		{"zone", "rationale.text", true, zone(func(z *Zone, v string) { z.Rationale.Text = v })},
		{"zone", "rationale.approved_by", false, zone(func(z *Zone, v string) { z.Rationale.ApprovedBy = v })},

		{"conduit", "id", false, conduit(func(c *Conduit, v string) { c.ID = v })},
		{"conduit", "name", false, conduit(func(c *Conduit, v string) { c.Name = "C" + v })},
		{"conduit", "from", false, conduit(func(c *Conduit, v string) { c.From = "z" + v })},
		{"conduit", "to", false, conduit(func(c *Conduit, v string) { c.To = v })},
		{"conduit", "flows[0].protocol", false, conduit(func(c *Conduit, v string) { c.Flows = []Flow{{Protocol: "P" + v}} })},
		{"conduit", "flows[0].ports", false, conduit(func(c *Conduit, v string) { c.Flows = []Flow{{Protocol: "P", Ports: v}} })},
		{"conduit", "controls", false, conduit(func(c *Conduit, v string) { c.Controls = []Control{"c" + Control(v)} })},
		{"conduit", "policy", true, conduit(func(c *Conduit, v string) { c.Policy = v })},

		{"asset", "id", false, asset(func(a *Asset, v string) { a.ID = v })},
		{"asset", "tag", false, asset(func(a *Asset, v string) { a.Tag = "T" + v })},
		{"asset", "name", false, asset(func(a *Asset, v string) { a.Name = v })},
		{"asset", "vendor", false, asset(func(a *Asset, v string) { a.Vendor = v })},
		{"asset", "model", false, asset(func(a *Asset, v string) { a.Model = v })},
		{"asset", "firmware", false, asset(func(a *Asset, v string) { a.Firmware = v })},
		{"asset", "serial", false, asset(func(a *Asset, v string) { a.Serial = v })},
		{"asset", "zone", false, asset(func(a *Asset, v string) { a.Zone = v })},
		{"asset", "location.building", false, asset(func(a *Asset, v string) { a.Location.Building = v })},
		{"asset", "location.room", false, asset(func(a *Asset, v string) { a.Location.Room = v })},
		{"asset", "location.cabinet", false, asset(func(a *Asset, v string) { a.Location.Cabinet = v })},
		{"asset", "owner", false, asset(func(a *Asset, v string) { a.Owner = v })},
		{"asset", "certificate", false, asset(func(a *Asset, v string) { a.Certificate = v })},
		{"asset", "notes", true, asset(func(a *Asset, v string) { a.Notes = v })},

		{"evidence", "id", false, evidence(func(e *Evidence, v string) { e.ID = v })},
		{"evidence", "name", false, evidence(func(e *Evidence, v string) { e.Name = v })},
		{"evidence", "media_type", false, evidence(func(e *Evidence, v string) { e.MediaType = v })},
		{"evidence", "owner.kind", false, evidence(func(e *Evidence, v string) { e.Owner.Kind = "asset" + v })},
		{"evidence", "owner.id", false, evidence(func(e *Evidence, v string) { e.Owner.ID = "a" + v })},
		{"evidence", "caption", false, evidence(func(e *Evidence, v string) { e.Caption = v })},
		{"evidence", "taken_at", false, evidence(func(e *Evidence, v string) { e.TakenAt = v })},
	}
}

// hasField reports whether err is a validation error naming field.
func hasField(err error, field string) bool {
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestValidateEveryTextField(t *testing.T) {
	for _, tf := range everyTextField() {
		limit := MaxLen(tf.kind, tf.field)
		if tf.multiline != Multiline(tf.kind, tf.field) {
			t.Errorf("%s.%s: Multiline = %v, want %v", tf.kind, tf.field, !tf.multiline, tf.multiline)
		}
		if err := tf.check("Ordinary text, é ü 中"); err != nil {
			t.Errorf("%s.%s: good text refused: %v", tf.kind, tf.field, err)
		}
		bad := map[string]string{
			"invalid UTF-8 (Latin-1)": "Stra\xdfe",
			"NUL":                     "a\x00b",
			"escape":                  "a\x1b[31mb",
			"DEL":                     "a\x7fb",
			"C1 control":              "a\u0085b",
			"bare CR":                 "a\rb",
			"too long":                strings.Repeat("é", limit+1),
		}
		if tf.multiline {
			if err := tf.check("line 1\n\tline 2\n"); err != nil {
				t.Errorf("%s.%s: multi-line text refused: %v", tf.kind, tf.field, err)
			}
		} else {
			bad["newline"] = "a\nb"
			bad["tab"] = "a\tb"
		}
		for what, v := range bad {
			if err := tf.check(v); !hasField(err, tf.field) {
				t.Errorf("%s.%s with %s: want an error on field %s, got %v", tf.kind, tf.field, what, tf.field, err)
			}
		}
	}
}

func TestValidateListLengths(t *testing.T) {
	many := func(f func(i int) string) []string {
		out := make([]string, MaxListLen+1)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	ips := many(func(i int) string { return fmt.Sprintf("10.0.%d.%d", i/250, i%250+1) })
	macs := many(func(i int) string { return fmt.Sprintf("00:11:22:33:44:%02x", i) })
	names := many(func(i int) string { return fmt.Sprint("n", i) })
	var controls []Control
	var flows []Flow
	var levels []Purdue
	for _, n := range names {
		controls = append(controls, Control(n))
		flows = append(flows, Flow{Protocol: n})
		levels = append(levels, Purdue1)
	}
	cases := []struct {
		field string
		err   error
	}{
		{"ips", (&Asset{Tag: "T", Type: TypePLC, IPs: ips}).Validate(nil)},
		{"macs", (&Asset{Tag: "T", Type: TypePLC, MACs: macs}).Validate(nil)},
		{"auditors", (&Audit{Title: "T", Auditors: names}).Validate()},
		{"standards", (&Audit{Title: "T", Standards: names}).Validate()},
		{"controls", (&Conduit{Name: "C", From: "z1", Controls: controls}).Validate(nil)},
		{"flows", (&Conduit{Name: "C", From: "z1", Flows: flows}).Validate(nil)},
		{"purdue_levels", (&Zone{Name: "Z", PurdueLevels: levels}).Validate()},
	}
	for _, c := range cases {
		if !hasField(c.err, c.field) {
			t.Errorf("%d entries in %s: want an error on %s, got %v", MaxListLen+1, c.field, c.field, c.err)
		}
	}
	if err := (&Asset{Tag: "T", Type: TypePLC, IPs: ips[:MaxListLen], MACs: macs[:MaxListLen]}).Validate(nil); err != nil {
		t.Errorf("%d IPs and MACs refused: %v", MaxListLen, err)
	}
}

func TestValidateControlsAndTypes(t *testing.T) {
	for _, ctl := range []Control{"", "  ", "fire\x00wall"} {
		if err := (&Conduit{Name: "C", From: "z1", Controls: []Control{ControlFirewall, ctl}}).Validate(nil); !hasField(err, "controls") {
			t.Errorf("control %q: want an error on controls, got %v", ctl, err)
		}
	}
	if err := (&Conduit{Name: "C", From: "z1", Controls: []Control{ControlFirewall, "our own measure"}}).Validate(nil); err != nil {
		t.Errorf("a user's own control refused: %v", err)
	}
	if err := (&Asset{Tag: "T", Type: "nuke"}).Validate(nil); !hasField(err, "type") {
		t.Errorf("type nuke: %v", err)
	}
}

func TestMaxLen(t *testing.T) {
	if MaxShortText < 100 || MaxLongText < 10*MaxShortText {
		t.Fatalf("limits %d, %d", MaxShortText, MaxLongText)
	}
	for _, c := range []struct {
		kind, field string
		want        int
	}{
		{"asset", "vendor", MaxShortText}, {"asset", "notes", MaxLongText}, {"zone", "rationale.text", MaxLongText},
		{"conduit", "policy", MaxLongText}, {"audit", "scope", MaxLongText}, {"evidence", "caption", MaxShortText},
	} {
		if got := MaxLen(c.kind, c.field); got != c.want {
			t.Errorf("MaxLen(%s, %s) = %d, want %d", c.kind, c.field, got, c.want)
		}
	}
}

// TestLimitsKeepRecordsSmall shows why the limits are what they are: a
// record with every field full, of characters JSON escapes to six bytes,
// still fits well within the 1 MiB a store or bundle record may take.
func TestLimitsKeepRecordsSmall(t *testing.T) {
	full := func(kind, field string) string { return strings.Repeat("<", MaxLen(kind, field)) }
	list := func(kind, field string) []string {
		out := make([]string, MaxListLen)
		for i := range out {
			out[i] = full(kind, field)
		}
		return out
	}
	id := strings.Repeat("f", 32)
	audit := Audit{Meta: Meta{ID: id}, Title: full("audit", "title"), Site: full("audit", "site"), Owner: full("audit", "owner"),
		Location: full("audit", "location"), Auditors: list("audit", "auditors"), Scope: full("audit", "scope"),
		Standards: list("audit", "standards"), Classification: full("audit", "classification")}
	zone := Zone{Meta: Meta{ID: id}, Name: full("zone", "name"), Description: full("zone", "description"),
		Rationale: Rationale{TolerableRisk: full("zone", "rationale.tolerable_risk"), Text: full("zone", "rationale.text"),
			ApprovedBy: full("zone", "rationale.approved_by")}}
	for range MaxListLen {
		zone.PurdueLevels = append(zone.PurdueLevels, Purdue35)
	}
	conduit := Conduit{Meta: Meta{ID: id}, Name: full("conduit", "name"), From: id, Policy: full("conduit", "policy")}
	for range MaxListLen {
		conduit.Flows = append(conduit.Flows, Flow{Protocol: full("conduit", "flows[0].protocol"), Ports: full("conduit", "flows[0].ports")})
		conduit.Controls = append(conduit.Controls, Control(full("conduit", "controls")))
	}
	asset := Asset{Meta: Meta{ID: id}, Tag: full("asset", "tag"), Name: full("asset", "name"), Type: TypePLC,
		Vendor: full("asset", "vendor"), Model: full("asset", "model"), Firmware: full("asset", "firmware"),
		Serial: full("asset", "serial"), Zone: id, Owner: full("asset", "owner"), Certificate: full("asset", "certificate"),
		Location: Location{Building: full("asset", "location.building"), Room: full("asset", "location.room"),
			Cabinet: full("asset", "location.cabinet")}, Notes: full("asset", "notes")}
	for i := range MaxListLen {
		asset.IPs = append(asset.IPs, fmt.Sprintf("fd00:1234:5678:9abc:def0:1234:%04x:0/112", i))
		asset.MACs = append(asset.MACs, fmt.Sprintf("00:11:22:33:44:%02x", i))
	}
	ev := validEvidence()
	ev.Name, ev.Caption, ev.MediaType = full("evidence", "name"), full("evidence", "caption"), full("evidence", "media_type")
	for _, r := range []struct {
		name  string
		rec   any
		valid error
	}{
		{"audit", audit, audit.Validate()}, {"zone", zone, zone.Validate()}, {"conduit", conduit, conduit.Validate(nil)},
		{"asset", asset, asset.Validate(nil)}, {"evidence", ev, ev.Validate()},
	} {
		if r.valid != nil {
			t.Errorf("full %s refused: %v", r.name, r.valid)
		}
		b, err := json.Marshal(r.rec)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 512<<10 {
			t.Errorf("full %s is %d bytes of JSON, want at most half of 1 MiB", r.name, len(b))
		}
	}
}

// An audit that a bundle or SaveAudit brings with a broken risk matrix is
// refused, naming the field.
func TestAuditRiskMatrixValidated(t *testing.T) {
	a := Audit{Title: "T", RiskMatrix: &RiskMatrix{Likelihoods: []string{"low", "high"}, Impacts: []string{"a", "b"}, Tolerable: 9}}
	err := a.Validate()
	if err == nil || !strings.Contains(err.Error(), "risk_matrix.tolerable") {
		t.Fatalf("tolerable 9 on a 2×2 matrix: %v", err)
	}
	m := DefaultRiskMatrix()
	a.RiskMatrix = &m
	if err := a.Validate(); err != nil {
		t.Errorf("the default matrix: %v", err)
	}
}
