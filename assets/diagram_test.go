package assets

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// fields lists the fields a validation error names.
func fields(err error) []string {
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

func TestDiagramPinValidate(t *testing.T) {
	cases := []struct {
		name string
		pin  DiagramPin
		want string // the fields named, joined; "" for valid
	}{
		{"new", DiagramPin{Zone: "z1", X: 10, Y: 20}, ""},
		{"stored", DiagramPin{Meta: Meta{ID: "z1"}, Zone: "z1", X: 0, Y: MaxPinCoord}, ""},
		{"other zone's ID", DiagramPin{Meta: Meta{ID: "z2"}, Zone: "z1", X: 1, Y: 1}, "id"},
		{"no zone", DiagramPin{X: 1, Y: 1}, "zone"},
		{"negative", DiagramPin{Zone: "z1", X: -1, Y: 1}, "x"},
		{"too far", DiagramPin{Zone: "z1", X: 1, Y: MaxPinCoord + 1}, "y"},
		{"not a number", DiagramPin{Zone: "z1", X: math.NaN(), Y: math.Inf(1)}, "x y"},
		{"control character", DiagramPin{Zone: "z\x001", X: 1, Y: 1}, "zone"},
	}
	for _, c := range cases {
		err := c.pin.Validate()
		if got := strings.Join(fields(err), " "); got != c.want {
			t.Errorf("%s: fields %q (%v), want %q", c.name, got, err, c.want)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v does not wrap ErrInvalid", c.name, err)
		}
	}
}

func TestDiagramNoteValidate(t *testing.T) {
	long := strings.Repeat("x", MaxShortText+1)
	cases := []struct {
		name string
		note DiagramNote
		want string
	}{
		{"zone note", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "cabinet door open"}, ""},
		{"conduit finding", DiagramNote{Subject: Ref{Kind: "conduit", ID: "c1"}, Text: "any-any rule", Finding: true}, ""},
		{"asset", DiagramNote{Subject: Ref{Kind: "asset", ID: "a1"}, Text: "x"}, "subject.kind"},
		{"no subject", DiagramNote{Text: "x"}, "subject.kind subject.id"},
		{"empty text", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "  "}, "text"},
		{"two lines", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "a\nb"}, "text"},
		{"too long", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: long}, "text"},
		{"finding marker", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "x", Finding: true, FindingID: "f1"}, ""},
		// The finding's ID comes in bundles too: the same limits as every ID.
		{"finding ID too long", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "x", Finding: true, FindingID: long}, "finding_id"},
		{"finding ID with escape", DiagramNote{Subject: Ref{Kind: "zone", ID: "z1"}, Text: "x", Finding: true, FindingID: "f\x1b[2J"}, "finding_id"},
	}
	for _, c := range cases {
		if got := strings.Join(fields(c.note.Validate()), " "); got != c.want {
			t.Errorf("%s: fields %q, want %q", c.name, got, c.want)
		}
	}
}
