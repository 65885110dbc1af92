package checklist

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func TestAnswerID(t *testing.T) {
	a := AnswerID(IEC62443_3_3_2013, "SR 5.2", "zone-a")
	if a != AnswerID(IEC62443_3_3_2013, "SR 5.2", "zone-a") {
		t.Fatal("AnswerID is not deterministic")
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(a) {
		t.Errorf("ID %q is not 32 hex digits like assets.NewID", a)
	}
	distinct := []string{
		a,
		AnswerID(IEC62443_3_3_2013, "SR 5.2", "zone-b"),
		AnswerID(IEC62443_3_3_2013, "SR 5.2 RE 1", "zone-a"),
		AnswerID(IEC62443_2_1_2024, "SR 5.2", "zone-a"),
		AnswerID("ab", "c", ""),
		AnswerID("a", "bc", ""),
		AnswerID("a", "b", "c"),
		AnswerID("a", "b;c", ""),
	}
	seen := map[string]int{}
	for i, id := range distinct {
		if j, dup := seen[id]; dup {
			t.Errorf("inputs %d and %d share ID %s", j, i, id)
		}
		seen[id] = i
	}
}

func TestAnswerValidate(t *testing.T) {
	ed2 := BuiltinByID(IEC62443_2_1_2024)
	ed1 := BuiltinByID(IEC62443_2_1_2010)
	z33 := BuiltinByID(IEC62443_3_3_2013)
	zones := func(id string) bool { return id == "zone-a" }
	ok := func(tpl *Template, item, zone string) Answer {
		return Answer{Meta: assets.Meta{ID: AnswerID(tpl.ID, item, zone)}, Template: tpl.ID, Item: item, Zone: zone, Status: StatusMet}
	}
	tests := []struct {
		name   string
		tpl    *Template
		answer func() Answer
		fields []string // fields expected in error, nil for valid
	}{
		{"program answer", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Maturity = 3; return a }, nil},
		{"zone answer", z33, func() Answer { return ok(z33, "SR 5.2 RE 1", "zone-a") }, nil},
		{"no ID yet", z33, func() Answer { a := ok(z33, "SR 1.1", "zone-a"); a.ID = ""; return a }, nil},
		{"unknown template", nil, func() Answer { return ok(ed2, "ORG 1.3", "") }, []string{"template"}},
		{"template mismatch", ed1, func() Answer { return ok(ed2, "ORG 1.3", "") }, []string{"template"}},
		{"unknown item", ed2, func() Answer { return ok(ed2, "ORG 9.9", "") }, []string{"item"}},
		{"zone missing", z33, func() Answer { return ok(z33, "SR 1.1", "") }, []string{"zone"}},
		{"zone on program", ed2, func() Answer { return ok(ed2, "ORG 1.3", "zone-a") }, []string{"zone"}},
		{"unknown zone", z33, func() Answer { return ok(z33, "SR 1.1", "zone-x") }, []string{"zone"}},
		{"bad status", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Status = "done"; return a }, []string{"status"}},
		{"maturity out of range", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Maturity = 5; return a }, []string{"maturity"}},
		{"maturity on 2010", ed1, func() Answer { a := ok(ed1, "4.4.2", ""); a.Maturity = 2; return a }, []string{"maturity"}},
		{"maturity on N/A", ed2, func() Answer {
			a := ok(ed2, "ORG 1.3", "")
			a.Status, a.Maturity = StatusNA, 2
			return a
		}, []string{"maturity"}},
		{"foreign ID", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.ID = assets.NewID(); return a }, []string{"id"}},
		{"empty evidence", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Evidence = []string{"e1", " "}; return a }, []string{"evidence"}},
		{"long note", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = strings.Repeat("x", 20001); return a }, []string{"note"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.answer()
			err := a.Validate(tc.tpl, zones)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("valid answer rejected: %v", err)
				}
				return
			}
			if !errors.Is(err, assets.ErrInvalid) {
				t.Fatalf("want assets.ErrInvalid, got %v", err)
			}
			var ve *assets.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("want *assets.ValidationError, got %T", err)
			}
			var got []string
			for _, f := range ve.Fields {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
		})
	}
}

func TestParseStatus(t *testing.T) {
	for _, s := range Statuses {
		for _, in := range []string{string(s), s.Label(), strings.ToUpper(s.Label())} {
			got, err := ParseStatus(in)
			if err != nil || got != s {
				t.Errorf("ParseStatus(%q) = %q, %v", in, got, err)
			}
		}
	}
	if _, err := ParseStatus("done"); err == nil {
		t.Error("unknown status accepted")
	}
	if StatusPartial.Satisfies() || StatusNotMet.Satisfies() || StatusNotAssessed.Satisfies() || !StatusMet.Satisfies() || !StatusNA.Satisfies() {
		t.Error("only Met and N/A satisfy a requirement")
	}
}

func TestAnswerJSON(t *testing.T) {
	in := Answer{
		Meta:     assets.Meta{ID: AnswerID("t", "i", "z"), Version: assets.Stamp{Wall: 7, Device: "d"}},
		Template: "t", Item: "i", Zone: "z", Status: StatusPartial, Maturity: 2,
		Note: "firewall rules reviewed", Evidence: []string{"e1"}, AnsweredBy: "A. Auditor", AnsweredAt: "2026-11-25T10:00:00Z",
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"status":"partial"`) || !strings.Contains(string(b), `"id":"`+in.ID+`"`) {
		t.Errorf("JSON %s", b)
	}
	var out Answer
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.ID != in.ID || out.Version != in.Version || out.Status != in.Status || out.Evidence[0] != "e1" || out.AnsweredBy != in.AnsweredBy {
		t.Errorf("round trip: %+v", out)
	}
	var r assets.Record = &out
	if r.RecordMeta().ID != in.ID {
		t.Error("Answer does not expose its Meta as a record")
	}
}
