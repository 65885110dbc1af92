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
		{"note with lines and tabs", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = "seen:\r\n\tlog\nok"; return a }, nil},
		{"escape in note", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = "ok\x1b]0;pwned\x07"; return a }, []string{"note"}},
		{"NUL in note", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = "a\x00b"; return a }, []string{"note"}},
		{"C1 in note", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = "a\u009bb"; return a }, []string{"note"}},
		{"Latin-1 note", ed2, func() Answer { a := ok(ed2, "ORG 1.3", ""); a.Note = "Pumpe S\xfcd"; return a }, []string{"note"}},
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
	if StatusPartial.Satisfies() || StatusNotMet.Satisfies() || StatusNotAssessed.Satisfies() || !StatusMet.Satisfies() || !StatusNA.Satisfies() || !StatusCompensated.Satisfies() {
		t.Error("only Met, Met by compensation and N/A satisfy a requirement")
	}
	if got, err := ParseStatus(" Met by compensating countermeasure "); err != nil || got != StatusCompensated {
		t.Errorf("compensated label: %q, %v", got, err)
	}
	if _, err := ParseStatus("done"); err == nil || !strings.Contains(err.Error(), "compensated") {
		t.Errorf("the error should list every status code: %v", err)
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

// TestAnswerIDScopes: zone and program answers keep the IDs Zonewalk v1
// wrote; conduit and component answers get IDs of their own.
func TestAnswerIDScopes(t *testing.T) {
	// From testdata/v1/v1-records.txt in package app, written by v1.
	const v1 = "a928b97a0d675689587584e81d25907d"
	if got := AnswerID(IEC62443_3_3_2013, "SR 5.2", "10689c49d1edbe71418fbbfbfd379c99"); got != v1 {
		t.Errorf("zone answer ID %s, v1 wrote %s", got, v1)
	}
	a := Answer{Template: IEC62443_3_3_2013, Item: "SR 5.2", Zone: "x"}
	c := Answer{Template: IEC62443_3_3_2013, Item: "SR 5.2", Conduit: "x"}
	k := Answer{Template: IEC62443_3_3_2013, Item: "SR 5.2", Component: "x"}
	p := Answer{Template: IEC62443_3_3_2013, Item: "SR 5.2"}
	ids := map[string]string{}
	for name, a := range map[string]*Answer{"zone": &a, "conduit": &c, "component": &k, "program": &p} {
		id := AnswerID(a.Template, a.Item, a.Scope())
		if other, dup := ids[id]; dup {
			t.Errorf("%s and %s answers share ID %s", name, other, id)
		}
		ids[id] = name
	}
	if a.Scope() != "x" || c.Scope() != "conduit:x" || k.Scope() != "component:x" || p.Scope() != "" {
		t.Errorf("scopes %q %q %q %q", a.Scope(), c.Scope(), k.Scope(), p.Scope())
	}
	if AnswerID("t", "i", ConduitScope("x")) != AnswerID("t", "i", c.Scope()) {
		t.Error("ConduitScope and Answer.Scope disagree")
	}
}

func TestAnswerValidateScopesAndCompensation(t *testing.T) {
	z33 := BuiltinByID(IEC62443_3_3_2013)
	ed2 := BuiltinByID(IEC62443_2_1_2024)
	zones := func(id string) bool { return id == "zone-a" }
	answer := func(tpl *Template, item string, edit func(a *Answer)) func() Answer {
		return func() Answer {
			a := Answer{Template: tpl.ID, Item: item, Status: StatusMet}
			if tpl.Kind == KindZone {
				a.Zone = "zone-a"
			}
			edit(&a)
			a.ID = AnswerID(a.Template, a.Item, a.Scope())
			return a
		}
	}
	compensated := func(a *Answer) {
		a.Status, a.Countermeasures, a.Note = StatusCompensated, []string{"cm-1"}, "Jump host enforces MFA in front of the HMI."
	}
	tests := []struct {
		name   string
		answer func() Answer
		fields []string
	}{
		{"conduit answer", answer(z33, "SR 5.2", func(a *Answer) { a.Zone, a.Conduit = "", "c-1" }), nil},
		{"compensated", answer(z33, "SR 1.1 RE 1", compensated), nil},
		{"compensated on conduit", answer(z33, "SR 1.13", func(a *Answer) { a.Zone, a.Conduit = "", "c-1"; compensated(a) }), nil},
		{"compensated programme item", answer(ed2, "ORG 1.3", func(a *Answer) { compensated(a); a.Maturity = 2 }), nil},
		{"compensated without countermeasure", answer(z33, "SR 1.1", func(a *Answer) { compensated(a); a.Countermeasures = nil }), []string{"countermeasures"}},
		{"compensated without reason", answer(z33, "SR 1.1", func(a *Answer) { compensated(a); a.Note = " \n" }), []string{"note"}},
		{"compensated with neither", answer(z33, "SR 1.1", func(a *Answer) { a.Status = StatusCompensated }), []string{"countermeasures", "note"}},
		{"countermeasure twice", answer(z33, "SR 1.1", func(a *Answer) { compensated(a); a.Countermeasures = []string{"cm-1", "cm-1"} }), []string{"countermeasures"}},
		{"empty countermeasure ID", answer(z33, "SR 1.1", func(a *Answer) { compensated(a); a.Countermeasures = []string{""} }), []string{"countermeasures"}},
		{"countermeasure on Met", answer(z33, "SR 1.1", func(a *Answer) { a.Countermeasures = []string{"cm-1"} }), []string{"countermeasures"}},
		{"zone and conduit", answer(z33, "SR 5.2", func(a *Answer) { a.Conduit = "c-1" }), []string{"conduit"}},
		{"conduit on programme", answer(ed2, "ORG 1.3", func(a *Answer) { a.Conduit = "c-1" }), []string{"conduit"}},
		{"component on zone template", answer(z33, "SR 5.2", func(a *Answer) { a.Zone, a.Component = "", "cap-1" }), []string{"component"}},
		{"component on programme", answer(ed2, "ORG 1.3", func(a *Answer) { a.Component = "cap-1" }), []string{"component"}},
		{"zone posing as a conduit scope", answer(z33, "SR 5.2", func(a *Answer) { a.Zone = "conduit:c-1" }), []string{"zone", "zone"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.answer()
			err := a.Validate(BuiltinByID(a.Template), zones)
			var got []string
			var ve *assets.ValidationError
			if errors.As(err, &ve) {
				for _, f := range ve.Fields {
					got = append(got, f.Field)
				}
			} else if err != nil {
				t.Fatalf("want a *assets.ValidationError, got %v", err)
			}
			if strings.Join(got, ",") != strings.Join(tc.fields, ",") {
				t.Errorf("fields %v, want %v (%v)", got, tc.fields, err)
			}
			if err != nil && !strings.Contains(err.Error(), a.Item) {
				t.Errorf("error does not name the item: %v", err)
			}
		})
	}
	// A conduit answer carrying a zone-scoped ID is refused.
	a := answer(z33, "SR 5.2", func(a *Answer) { a.Zone, a.Conduit = "", "c-1" })()
	a.ID = AnswerID(a.Template, a.Item, "c-1")
	if err := a.Validate(z33, zones); err == nil || !strings.Contains(err.Error(), "id") {
		t.Errorf("zone-scoped ID on a conduit answer: %v", err)
	}
}

// TestValidateNewNeedsReason: N/A needs a reason when written, while
// stored answers without one stay valid.
func TestValidateNewNeedsReason(t *testing.T) {
	z33 := BuiltinByID(IEC62443_3_3_2013)
	a := Answer{Template: z33.ID, Item: "SR 1.6", Zone: "zone-a", Status: StatusNA}
	if err := a.Validate(z33, nil); err != nil {
		t.Fatalf("a stored N/A without a reason must stay valid: %v", err)
	}
	for _, note := range []string{"", "  \t\n"} {
		a.Note = note
		err := a.ValidateNew(z33, nil)
		var ve *assets.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "note" || !strings.Contains(err.Error(), `"SR 1.6"`) {
			t.Errorf("N/A with note %q: %v", note, err)
		}
	}
	a.Note = "No wireless in this zone: checked the switch configuration and walked the cabinets."
	if err := a.ValidateNew(z33, nil); err != nil {
		t.Errorf("N/A with a reason: %v", err)
	}
	// ValidateNew reports Validate's problems too, in one error.
	a.Note, a.Maturity = "", 2
	var ve *assets.ValidationError
	if err := a.ValidateNew(z33, nil); !errors.As(err, &ve) || len(ve.Fields) != 2 {
		t.Errorf("want the maturity and the note reported: %v", err)
	}
	m := Answer{Template: z33.ID, Item: "SR 1.6", Zone: "zone-a", Status: StatusMet}
	if err := m.ValidateNew(z33, nil); err != nil {
		t.Errorf("Met needs no note: %v", err)
	}
}

// FuzzAnswerValidate: answers arrive as JSON in bundles from other
// laptops; whatever they hold, validation answers without panicking, and
// what may be written may also be stored.
func FuzzAnswerValidate(f *testing.F) {
	f.Add([]byte(`{"template":"iec62443-3-3-2013","item":"SR 5.2","zone":"z","status":"met"}`))
	f.Add([]byte(`{"template":"iec62443-3-3-2013","item":"SR 5.2","conduit":"c","status":"compensated","countermeasures":["a","a",""],"note":"x"}`))
	f.Add([]byte(`{"template":"iec62443-2-1-2024","item":"ORG 1.3","status":"na","maturity":9,"component":"k"}`))
	f.Add([]byte(`{"template":"iec62443-3-3-2013","item":"SR 1.1","zone":"conduit:c","conduit":"c","status":"not-met","id":"x"}`))
	z33 := BuiltinByID(IEC62443_3_3_2013)
	ed2 := BuiltinByID(IEC62443_2_1_2024)
	f.Fuzz(func(t *testing.T, data []byte) {
		var a Answer
		if json.Unmarshal(data, &a) != nil {
			return
		}
		for _, tpl := range []*Template{z33, ed2, nil} {
			errStored := a.Validate(tpl, func(string) bool { return true })
			errNew := a.ValidateNew(tpl, func(string) bool { return true })
			if errNew == nil && errStored != nil {
				t.Fatalf("ValidateNew accepts what Validate refuses: %v", errStored)
			}
			for _, err := range []error{errStored, errNew} {
				if err != nil && !errors.Is(err, assets.ErrInvalid) {
					t.Fatalf("error does not wrap ErrInvalid: %v", err)
				}
			}
		}
	})
}
