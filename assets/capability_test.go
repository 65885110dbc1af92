package assets

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// capFields lists the fields a validation error names, in order.
func capFields(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestCapabilityValidate(t *testing.T) {
	cert := func(c Certificate) *Certificate { return &c }
	long := strings.Repeat("x", MaxShortText+1)
	cases := []struct {
		name string
		cp   Capability
		want string // fields named, joined by spaces; "" when valid
	}{
		{"asset, recorded vector", Capability{Asset: "a1", ComponentType: "edr", SLC: SLVector{2, 2, 1, 2, 2, 2, 2}}, ""},
		{"model, certificate only", Capability{Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr",
			Certificate: &Certificate{Scheme: "ISASecure CSA", Issuer: "exida", Number: "SIE-123", Level: 2, Date: "2024-03-01"}}, ""},
		{"model, nothing yet (to be assessed)", Capability{Vendor: "Moxa", Model: "EDS-408A", ComponentType: "ndr"}, ""},
		{"level 0 in one FR is a level", Capability{Asset: "a1", ComponentType: "sar", SLC: SLVector{1, 1, 0, 1, 1, 1, 1}}, ""},
		{"neither asset nor model", Capability{ComponentType: "edr"}, "asset"},
		{"asset and model", Capability{Asset: "a1", Vendor: "Siemens", Model: "S7", ComponentType: "edr"}, "asset"},
		{"asset and vendor only", Capability{Asset: "a1", Vendor: "Siemens", ComponentType: "edr"}, "asset"},
		{"blank asset", Capability{Asset: "  ", ComponentType: "edr"}, "asset"},
		{"vendor without model", Capability{Vendor: "Siemens", Model: " ", ComponentType: "edr"}, "model"},
		{"model without vendor", Capability{Model: "S7-1500", ComponentType: "edr"}, "vendor"},
		{"no component type", Capability{Asset: "a1"}, "component_type"},
		{"unknown component type", Capability{Asset: "a1", ComponentType: "plc"}, "component_type"},
		{"type by label is not a code", Capability{Asset: "a1", ComponentType: "embedded device"}, "component_type"},
		{"SL-C 5 in FR 3", Capability{Asset: "a1", ComponentType: "edr", SLC: SLVector{2, 2, 5, 2, 2, 2, 2}}, "sl_c.SI"},
		{"negative SL-C in FR 7 and 5 in FR 1", Capability{Asset: "a1", ComponentType: "edr", SLC: SLVector{5, 0, 0, 0, 0, 0, -1}}, "sl_c.IAC sl_c.RA"},
		{"certificate without level", Capability{Asset: "a1", ComponentType: "hdr", Certificate: cert(Certificate{Scheme: "IEC 62443-4-2"})}, "certificate.level"},
		{"certificate level 5", Capability{Asset: "a1", ComponentType: "hdr", Certificate: cert(Certificate{Level: 5})}, "certificate.level"},
		{"certificate date not ISO", Capability{Asset: "a1", ComponentType: "hdr", Certificate: cert(Certificate{Level: 2, Date: "01.03.2024"})}, "certificate.date"},
		{"certificate texts checked", Capability{Asset: "a1", ComponentType: "hdr", Certificate: cert(Certificate{Level: 2,
			Scheme: "a\x00b", Issuer: long, Number: "n\nm", Evidence: "e\tf"})}, "certificate.scheme certificate.issuer certificate.number certificate.evidence"},
		{"vendor too long", Capability{Vendor: long, Model: "M", ComponentType: "edr"}, "vendor"},
		{"notes may span lines", Capability{Asset: "a1", ComponentType: "edr", Notes: "line 1\nline 2\ttab"}, ""},
		{"notes refuse other controls", Capability{Asset: "a1", ComponentType: "edr", Notes: "bell\a"}, "notes"},
	}
	for _, c := range cases {
		err := c.cp.Validate()
		if got := strings.Join(capFields(err), " "); got != c.want {
			t.Errorf("%s: fields %q (%v), want %q", c.name, got, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", c.name, err)
		}
	}
}

// An SL-C of 5 is refused with a message that names the record, the FR
// and the value.
func TestCapabilitySLC5Message(t *testing.T) {
	cp := Capability{Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr", SLC: SLVector{2, 2, 5, 2, 2, 2, 2}}
	err := cp.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 1 {
		t.Fatalf("got %v", err)
	}
	f := ve.Fields[0]
	if f.Record != `capability for model "Siemens S7-1500"` || f.Field != "sl_c.SI" || f.Value != "5" {
		t.Errorf("field error %+v", f)
	}
	if want := `capability for model "Siemens S7-1500": sl_c.SI "5": capability level in FR 3 must be 0–4`; err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
	cp = Capability{Asset: "asset-7", ComponentType: "edr", SLC: SLVector{5}}
	if err := cp.Validate(); err == nil || !strings.HasPrefix(err.Error(), "capability for asset asset-7: sl_c.IAC") {
		t.Errorf("asset record: %v", err)
	}
}

func TestComponentTypes(t *testing.T) {
	for _, c := range []struct{ in, code, label string }{
		{"edr", "edr", "embedded device"}, {" Embedded Device ", "edr", "embedded device"},
		{"SAR", "sar", "software application"}, {"host device", "hdr", "host device"}, {"ndr", "ndr", "network device"},
	} {
		code, ok := ParseComponentType(c.in)
		if !ok || code != c.code || ComponentTypeLabel(code) != c.label {
			t.Errorf("%q: %q %v %q", c.in, code, ok, ComponentTypeLabel(code))
		}
	}
	for _, bad := range []string{"", "plc", "embedded"} {
		if code, ok := ParseComponentType(bad); ok {
			t.Errorf("%q parsed as %q", bad, code)
		}
	}
	if ComponentTypeLabel("xyz") != "" {
		t.Error("unknown code has a label")
	}
}

func TestModelKey(t *testing.T) {
	same := [][2]string{{"Siemens", "S7-1500"}, {" siemens ", "s7-1500"}, {"SIEMENS", "S7 -1500"}, {"Sie mens", "S7-15\t00"}}
	for _, p := range same {
		if got, want := ModelKey(p[0], p[1]), ModelKey("Siemens", "S7-1500"); got != want {
			t.Errorf("ModelKey(%q, %q) = %q, want %q", p[0], p[1], got, want)
		}
	}
	for _, p := range [][2]string{{"Siemens", "S7-1200"}, {"Siemens S7", "1500"}, {"SiemensS7", "-1500"}} {
		if ModelKey(p[0], p[1]) == ModelKey("Siemens", "S7-1500") {
			t.Errorf("ModelKey(%q, %q) matches Siemens S7-1500", p[0], p[1])
		}
	}
	if ModelKey("", "S7") != "" || ModelKey("Siemens", "  ") != "" {
		t.Error("an empty part gives a key")
	}
}

// The sources are tried in order: assessed, recorded, certificate (all in
// the record for the asset, else for its model), then the asset's own level.
func TestCapabilityIndexOf(t *testing.T) {
	plcVec := SLVector{2, 2, 1, 2, 2, 2, 2}
	caps := []Capability{
		{Meta: Meta{ID: "c-model"}, Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr", SLC: plcVec},
		{Meta: Meta{ID: "c-hmi"}, Asset: "hmi", ComponentType: "hdr", SLC: UniformSL(3),
			Certificate: &Certificate{Level: 1}},
		{Meta: Meta{ID: "c-sw"}, Asset: "sw", ComponentType: "ndr", Certificate: &Certificate{Level: 2}},
		{Meta: Meta{ID: "c-empty"}, Asset: "ews", ComponentType: "hdr"},
		{Meta: Meta{ID: "c-gone", Deleted: true}, Asset: "rtu", ComponentType: "edr", SLC: UniformSL(4)},
		{Meta: Meta{ID: "c-assessed"}, Vendor: "ABB", Model: "AC500", ComponentType: "edr", SLC: UniformSL(4)},
	}
	scores := map[string]SLVector{"c-assessed": {1, 2, 3, 4, 0, 1, 2}, "c-nothing": UniformSL(4)}
	x := NewCapabilityIndex(caps, scores)
	cases := []struct {
		a      Asset
		source SLCSource
		slc    SLVector
		record string
	}{
		{Asset{Meta: Meta{ID: "plc1"}, Vendor: "Siemens", Model: "S7-1500", SLC: 4}, SLCRecorded, plcVec, "c-model"},
		{Asset{Meta: Meta{ID: "plc2"}, Vendor: " SIEMENS", Model: "s7-1500 "}, SLCRecorded, plcVec, "c-model"},
		{Asset{Meta: Meta{ID: "hmi"}, Vendor: "Siemens", Model: "S7-1500"}, SLCRecorded, UniformSL(3), "c-hmi"},
		{Asset{Meta: Meta{ID: "sw"}}, SLCCertificate, UniformSL(2), "c-sw"},
		{Asset{Meta: Meta{ID: "ews"}, SLC: 1}, SLCAssetLevel, UniformSL(1), ""},
		{Asset{Meta: Meta{ID: "ews"}}, SLCNone, SLVector{}, ""},
		{Asset{Meta: Meta{ID: "rtu"}}, SLCNone, SLVector{}, ""},
		{Asset{Meta: Meta{ID: "pac"}, Vendor: "ABB", Model: "AC 500"}, SLCAssessed, SLVector{1, 2, 3, 4, 0, 1, 2}, "c-assessed"},
		{Asset{Meta: Meta{ID: "other"}, Vendor: "Siemens", Model: "S7-1200", SLC: 2}, SLCAssetLevel, UniformSL(2), ""},
		{Asset{Meta: Meta{ID: "bad"}, SLC: 7}, SLCNone, SLVector{}, ""},
	}
	for _, c := range cases {
		got := x.Of(&c.a)
		rec := ""
		if got.Capability != nil {
			rec = got.Capability.ID
		}
		if got.Source != c.source || got.SLC != c.slc || rec != c.record || got.Known() != (c.source != SLCNone) {
			t.Errorf("%s: %+v from %q, want %s %v from %q", c.a.ID, got, rec, c.source, c.slc, c.record)
		}
	}
}

// Two records for one model (merged from two laptops): the newer stands,
// whatever the order.
func TestCapabilityIndexNewerRecordStands(t *testing.T) {
	older := Capability{Meta: Meta{ID: "b", Version: Stamp{Wall: 1}}, Vendor: "Moxa", Model: "EDS", ComponentType: "ndr", SLC: UniformSL(1)}
	newer := Capability{Meta: Meta{ID: "a", Version: Stamp{Wall: 2}}, Vendor: "moxa", Model: "eds", ComponentType: "ndr", SLC: UniformSL(2)}
	a := &Asset{Meta: Meta{ID: "sw"}, Vendor: "Moxa", Model: "EDS"}
	for _, caps := range [][]Capability{{older, newer}, {newer, older}} {
		if got := NewCapabilityIndex(caps, nil).Of(a); got.SLC != UniformSL(2) {
			t.Errorf("order %s,%s: %v", caps[0].ID, caps[1].ID, got.SLC)
		}
	}
}

// The zone of the issue: a PLC model at 2,2,1,2,2,2,2 (two PLCs), an HMI
// assessed on its own at 3 everywhere, a switch with a level 2
// certificate, and a field device nobody knows anything about.
func TestCapabilityIndexZone(t *testing.T) {
	caps := []Capability{
		{Meta: Meta{ID: "c-plc"}, Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr", SLC: SLVector{2, 2, 1, 2, 2, 2, 2}},
		{Meta: Meta{ID: "c-hmi"}, Asset: "hmi", ComponentType: "hdr", SLC: UniformSL(3)},
		{Meta: Meta{ID: "c-sw"}, Asset: "sw", ComponentType: "ndr", Certificate: &Certificate{Scheme: "ISASecure CSA", Level: 2}},
	}
	plc1 := &Asset{Meta: Meta{ID: "plc1"}, Tag: "PLC-101", Type: TypePLC, Vendor: "Siemens", Model: "S7-1500"}
	plc2 := &Asset{Meta: Meta{ID: "plc2"}, Tag: "PLC-102", Type: TypePLC, Vendor: "siemens", Model: "S7-1500"}
	hmi := &Asset{Meta: Meta{ID: "hmi"}, Tag: "HMI-1", Type: TypeHMI}
	sw := &Asset{Meta: Meta{ID: "sw"}, Tag: "SW-1", Type: TypeNetwork}
	pt := &Asset{Meta: Meta{ID: "pt"}, Tag: "PT-1", Type: TypeSensor}
	gone := &Asset{Meta: Meta{ID: "gone", Deleted: true}, Tag: "OLD", SLC: 1}
	z := NewCapabilityIndex(caps, nil).Zone([]*Asset{plc1, hmi, nil, sw, pt, plc2, gone})
	if want := (SLVector{2, 2, 1, 2, 2, 2, 2}); z.SLC != want {
		t.Errorf("SL-C %v, want %v", z.SLC, want)
	}
	if z.Known != 4 || len(z.Unknown) != 1 || z.Unknown[0] != pt {
		t.Errorf("known %d, unknown %v", z.Known, z.Unknown)
	}
	tags := func(as []*Asset) string {
		var out []string
		for _, a := range as {
			out = append(out, a.Tag)
		}
		return strings.Join(out, ",")
	}
	want := [7]string{"PLC-101,SW-1,PLC-102", "PLC-101,SW-1,PLC-102", "PLC-101,PLC-102",
		"PLC-101,SW-1,PLC-102", "PLC-101,SW-1,PLC-102", "PLC-101,SW-1,PLC-102", "PLC-101,SW-1,PLC-102"}
	for i := range want {
		if got := tags(z.Capping[i]); got != want[i] {
			t.Errorf("%s capped by %s, want %s", FRs[i], got, want[i])
		}
	}
	// Only the HMI known: the zone is as capable as the HMI.
	z = NewCapabilityIndex(caps, nil).Zone([]*Asset{pt, hmi})
	if z.SLC != UniformSL(3) || z.Known != 1 || !slices.Equal(z.Capping[6], []*Asset{hmi}) {
		t.Errorf("HMI only: %+v", z)
	}
	// No member known: nothing to compare.
	z = NewCapabilityIndex(caps, nil).Zone([]*Asset{pt})
	if z.Known != 0 || !z.SLC.IsZero() || z.Capping[0] != nil {
		t.Errorf("nothing known: %+v", z)
	}
}

// FuzzCapability decodes a capability record as a bundle brings it in:
// validation never panics, and a record it accepts gives levels 0–4 for
// an asset it applies to.
func FuzzCapability(f *testing.F) {
	f.Add([]byte(`{"id":"c1","vendor":"Siemens","model":"S7-1500","component_type":"edr","sl_c":[2,2,1,2,2,2,2]}`))
	f.Add([]byte(`{"id":"c2","asset":"a1","component_type":"ndr","sl_c":[0,0,0,0,0,0,0],"certificate":{"level":2,"date":"2024-03-01"}}`))
	f.Add([]byte(`{"asset":"a1","vendor":"x","component_type":"plc","sl_c":[5,-1,0,0,0,0,9]}`))
	f.Add([]byte(`{"vendor":" \u00a0","model":"\u0000","component_type":"sar","certificate":{"level":7,"date":"2024-13-40"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var cp Capability
		if json.Unmarshal(data, &cp) != nil {
			return
		}
		if err := cp.Validate(); err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v does not wrap ErrInvalid", err)
			}
			return
		}
		a := &Asset{Meta: Meta{ID: cp.Asset}, Vendor: cp.Vendor, Model: cp.Model}
		if cp.Asset == "" {
			a.ID = "other"
		}
		x := NewCapabilityIndex([]Capability{cp}, nil)
		s := x.Of(a)
		if s.Capability == nil && s.Known() {
			t.Fatalf("known without record or own level: %+v", s)
		}
		for _, l := range s.SLC {
			if l < 0 || l > 4 {
				t.Fatalf("level %d from an accepted record %+v", l, cp)
			}
		}
		z := x.Zone([]*Asset{a, a})
		if z.Known+len(z.Unknown) != 2 {
			t.Fatalf("zone of two: %+v", z)
		}
	})
}
