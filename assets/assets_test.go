package assets

import (
	"errors"
	"strings"
	"testing"
)

func TestValidationSaysWhatAndWhere(t *testing.T) {
	zones := func(id string) bool { return id == "z1" }
	cases := []struct {
		name   string
		err    error
		field  string
		inText string
	}{
		{"unknown zone", (&Asset{Tag: "PLC-1", Type: TypePLC, Zone: "nope"}).Validate(zones), "zone", `"nope"`},
		{"bad type", (&Asset{Tag: "X", Type: "toaster"}).Validate(zones), "type", "toaster"},
		{"bad ip", (&Asset{Tag: "X", Type: TypePLC, IPs: []string{"10.0.0.999"}}).Validate(zones), "ips", "10.0.0.999"},
		{"sl out of range", (&Zone{Name: "Z", SLT: SLVector{5}}).Validate(), "sl_t.IAC", "5"},
		{"zone without name", (&Zone{}).Validate(), "name", "required"},
		{"bad date", (&Zone{Name: "Z", Rationale: Rationale{ApprovedAt: "12/03/2026"}}).Validate(), "rationale.approved_at", "12/03/2026"},
		{"conduit to unknown", (&Conduit{Name: "C", From: "z1", To: "z9"}).Validate(zones), "to", "z9"},
		{"conduit loop", (&Conduit{Name: "C", From: "z1", To: "z1"}).Validate(zones), "to", "same zone"},
		{"audit dates", (&Audit{Title: "A", StartDate: "2026-11-20", EndDate: "2026-11-01"}).Validate(), "end_date", "before"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ve *ValidationError
			if !errors.As(c.err, &ve) || !errors.Is(c.err, ErrInvalid) {
				t.Fatalf("want *ValidationError, got %v", c.err)
			}
			found := false
			for _, f := range ve.Fields {
				found = found || f.Field == c.field
			}
			if !found || !strings.Contains(c.err.Error(), c.inText) {
				t.Fatalf("want field %s and %q in: %v", c.field, c.inText, c.err)
			}
		})
	}
	if err := (&Asset{Tag: "PLC-1", Type: TypePLC, Zone: "z1", IPs: []string{"10.0.0.1", "10.1.0.0/16"}}).Validate(zones); err != nil {
		t.Fatalf("valid asset refused: %v", err)
	}
}

func TestStampOrderAndSL(t *testing.T) {
	a := Stamp{Wall: 1, Device: "a"}
	b := Stamp{Wall: 1, Logical: 1, Device: "a"}
	c := Stamp{Wall: 1, Logical: 1, Device: "b"}
	if a.Compare(b) >= 0 || b.Compare(c) >= 0 || c.Compare(a) <= 0 || c.Compare(c) != 0 {
		t.Fatal("stamp order wrong")
	}
	v, err := ParseSLVector("2,2,3,1,3,1,2")
	if err != nil || v.Summary() != 3 || v.Min() != 1 || v.String() != "SL 3 (2,2,3,1,3,1,2)" {
		t.Fatalf("%v %v %s", v, err, v)
	}
	if u, _ := ParseSLVector("SL2"); u != UniformSL(2) || u.String() != "SL 2" {
		t.Fatalf("uniform: %v", u)
	}
	for _, bad := range []string{"5", "1,2", "a"} {
		if _, err := ParseSLVector(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if p, _ := ParsePurdue("DMZ"); p != Purdue35 || Purdue35.Rank() <= Purdue3.Rank() || Purdue35.Rank() >= Purdue4.Rank() {
		t.Fatal("L3.5 must sit between L3 and L4")
	}
}
