package checks

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func TestSetStatusNeedsJustification(t *testing.T) {
	f := ruleFinding("ZW-ZONE-002", "a", High)
	err := f.SetStatus(StatusAccepted, "  ")
	if !errors.Is(err, ErrJustificationRequired) || !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("accept without justification: %v", err)
	}
	if f.Status != StatusOpen {
		t.Fatalf("status changed on error: %s", f.Status)
	}
	if err := f.SetStatus(StatusAccepted, "owner accepts until 2026"); err != nil || f.Status != StatusAccepted {
		t.Fatalf("accept: %v, %s", err, f.Status)
	}
	if err := f.SetStatus("done", ""); !errors.Is(err, ErrBadStatus) {
		t.Fatalf("bad status: %v", err)
	}
	if err := f.SetStatus(StatusClosed, ""); err != nil || f.Justification == "" {
		t.Fatalf("close: %v; justification %q must stay as the record of the decision", err, f.Justification)
	}
}

func TestValidate(t *testing.T) {
	good := ruleFinding("ZW-ZONE-002", "a", High)
	if err := good.Validate(); err != nil {
		t.Fatalf("valid finding: %v", err)
	}
	cases := []struct {
		name   string
		break_ func(f *Finding)
		field  string
	}{
		{"no title", func(f *Finding) { f.Title = " " }, "title"},
		{"no severity", func(f *Finding) { f.Severity = 0 }, "severity"},
		{"bad status", func(f *Finding) { f.Status = "fixed" }, "status"},
		{"accepted without reason", func(f *Finding) { f.Status = StatusAccepted }, "justification"},
		{"bad due date", func(f *Finding) { f.Due = "next week" }, "due"},
		{"bad source", func(f *Finding) { f.Source = "robot" }, "source"},
		{"rule without ID", func(f *Finding) { f.RuleID = "" }, "rule_id"},
		{"checklist without item", func(f *Finding) { f.Source = SourceChecklist }, "item"},
	}
	for _, tc := range cases {
		f := ruleFinding("ZW-ZONE-002", "a", High)
		tc.break_(&f)
		err := f.Validate()
		var ve *assets.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, assets.ErrInvalid) {
			t.Errorf("%s: %v, want a ValidationError", tc.name, err)
			continue
		}
		if ve.Fields[0].Field != tc.field {
			t.Errorf("%s: field %q, want %q (%v)", tc.name, ve.Fields[0].Field, tc.field, err)
		}
	}
}

func TestFindingJSON(t *testing.T) {
	f := ruleFinding("ZW-ZONE-002", "a", Critical)
	b, err := json.Marshal(&f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"severity":"critical"`) {
		t.Errorf("severity not stored by name: %s", b)
	}
	var back Finding
	if err := json.Unmarshal(b, &back); err != nil || back.Severity != Critical || back.ID != f.ID {
		t.Fatalf("round trip: %v %+v", err, back)
	}
	err = json.Unmarshal([]byte(`{"severity":"urgent"}`), &back)
	if !errors.Is(err, ErrBadSeverity) {
		t.Fatalf("unknown severity: %v", err)
	}
	// An unset severity still encodes, so a bad record can be exported and mended.
	b, err = json.Marshal(&Finding{Title: "x"})
	if err != nil || !strings.Contains(string(b), `"severity":""`) {
		t.Fatalf("marshal of unset severity: %s, %v", b, err)
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Severity != 0 || back.Validate() == nil {
		t.Fatalf("unset severity read back as %v, %v; Validate must reject it", back.Severity, err)
	}
}

func TestParse(t *testing.T) {
	for _, s := range Severities {
		if got, err := ParseSeverity(" " + strings.ToUpper(s.String())); err != nil || got != s {
			t.Errorf("ParseSeverity(%s) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSeverity("severe"); !errors.Is(err, ErrBadSeverity) {
		t.Errorf("ParseSeverity(severe): %v", err)
	}
	if s, err := ParseStatus("Accepted"); err != nil || s != StatusAccepted {
		t.Errorf("ParseStatus: %v %v", s, err)
	}
	if _, err := ParseStatus("wontfix"); !errors.Is(err, ErrBadStatus) {
		t.Errorf("ParseStatus(wontfix): %v", err)
	}
}

func TestNewObservation(t *testing.T) {
	o := Observation{Subject: assets.Ref{Kind: "asset", ID: "a-plc"}, SubjectName: "PLC-101",
		Title: "Key switch left in PROGRAM", Severity: High, Due: "2025-07-01"}
	a, err := NewObservation(o)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewObservation(o)
	if a.Source != SourceManual || a.Status != StatusOpen || a.ID == "" || a.ID == b.ID {
		t.Errorf("observation: %+v (second ID %s)", a, b.ID)
	}
	o.Severity = 0
	if _, err := NewObservation(o); !errors.Is(err, assets.ErrInvalid) {
		t.Errorf("observation without severity: %v", err)
	}
}

func TestChecklistFindings(t *testing.T) {
	gap := ChecklistGap{TemplateID: "62443-3-3", ItemID: "SR 1.13", Title: "Remote access is controlled",
		ZoneID: "ctl", ZoneName: "Control", Status: NotMet, References: []string{"62443-3-3 SR 1.13"},
		Comment: "TeamViewer on HMI-1"}
	f, ok := FromChecklist(gap)
	if !ok || f.Severity != Medium || f.Source != SourceChecklist || f.Subject != (assets.Ref{Kind: "zone", ID: "ctl"}) {
		t.Fatalf("not met: %v %+v", ok, f)
	}
	if f.Title != `Not met: SR 1.13 Remote access is controlled in zone "Control"` || !strings.Contains(f.Detail, "TeamViewer") {
		t.Errorf("texts: %q / %q", f.Title, f.Detail)
	}
	if err := f.Validate(); err != nil {
		t.Errorf("invalid: %v", err)
	}
	gap.Status = Partial
	p, ok := FromChecklist(gap)
	if !ok || p.Severity != Low || p.ID != f.ID {
		t.Errorf("partial: %v %+v; the ID must not depend on the answer", ok, p)
	}
	for _, s := range []Conformance{Met, NotApplicable, Unanswered} {
		gap.Status = s
		if _, ok := FromChecklist(gap); ok {
			t.Errorf("answer %q raised a finding", s)
		}
	}
	gap.Status, gap.ZoneID = NotMet, "dmz"
	if d, _ := FromChecklist(gap); d.ID == f.ID {
		t.Error("same item in another zone got the same ID")
	}
	// Answered for a conduit: the conduit is the subject, and two conduits
	// (or a conduit and a zone of the same ID) never share a finding.
	cg := ChecklistGap{TemplateID: "62443-3-3", ItemID: "SR 1.13", Title: "Remote access is controlled",
		ConduitID: "c7", ConduitName: "C7 Vendor remote access", AuditID: "a", Status: NotMet}
	c7, ok := FromChecklist(cg)
	if !ok || c7.Subject != (assets.Ref{Kind: "conduit", ID: "c7"}) || c7.SubjectName != "C7 Vendor remote access" ||
		!strings.HasSuffix(c7.Title, `on conduit "C7 Vendor remote access"`) {
		t.Fatalf("conduit gap: %v %+v", ok, c7)
	}
	cg.ConduitID = "c8"
	if c8, _ := FromChecklist(cg); c8.ID == c7.ID {
		t.Error("two conduits got the same finding ID")
	}
	if z, _ := FromChecklist(ChecklistGap{TemplateID: "62443-3-3", ItemID: "SR 1.13", ZoneID: "c7", ZoneName: "c7", Status: NotMet}); z.ID == c7.ID {
		t.Error("a zone and a conduit of the same ID got the same finding ID")
	}
	org, _ := FromChecklist(ChecklistGap{TemplateID: "62443-2-1", ItemID: "ORG 1.1", AuditID: "audit", Status: NotMet})
	if org.Subject != (assets.Ref{Kind: "audit", ID: "audit"}) || org.Title != "Not met: ORG 1.1" {
		t.Errorf("organisation item: %+v", org)
	}
	if org.ID == RuleFindingID("ORG 1.1", org.Subject, "") {
		t.Error("checklist and rule IDs share a namespace")
	}
}

func FuzzParseSeverity(f *testing.F) {
	for _, s := range []string{"info", "LOW", " medium ", "high", "critical", "", "crit", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sev, err := ParseSeverity(s)
		if err != nil {
			if !errors.Is(err, ErrBadSeverity) {
				t.Fatalf("error %v does not wrap ErrBadSeverity", err)
			}
			return
		}
		if !sev.Valid() || !strings.EqualFold(strings.TrimSpace(s), sev.String()) {
			t.Fatalf("%q parsed as %v", s, sev)
		}
		var back Severity
		if err := back.UnmarshalText([]byte(sev.String())); err != nil || back != sev {
			t.Fatalf("text round trip of %v: %v", sev, err)
		}
	})
}

func FuzzParseStatus(f *testing.F) {
	for _, s := range []string{"open", "Accepted", "closed ", "", "resolved"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := ParseStatus(s)
		if err != nil {
			if !errors.Is(err, ErrBadStatus) {
				t.Fatalf("error %v does not wrap ErrBadStatus", err)
			}
			return
		}
		if !st.Valid() || !strings.EqualFold(strings.TrimSpace(s), string(st)) {
			t.Fatalf("%q parsed as %v", s, st)
		}
	})
}

// Addresses come from imported inventories: whatever they hold must not
// break the subnet check, and a subnet found must contain the address.
func FuzzSubnetOf(f *testing.F) {
	for _, s := range []string{"10.2.0.11", "10.2.0.11/24", "fd00:1::21", "fe80::1%eth0", "::ffff:10.1.2.3",
		"127.0.0.1", "169.254.3.4", "0.0.0.0", "224.0.0.1", "not an ip", "", "10.2.0.300"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := subnetOf(s)
		if !ok {
			return
		}
		if !p.IsValid() || (p.Bits() != 24 && p.Bits() != 64) || p.Masked() != p {
			t.Fatalf("%q gave subnet %v", s, p)
		}
	})
}

// TestValidateTextLimits: what people write on a finding (in the GUI, or
// in a bundle) takes the limits every other text field has
// (assets.TextProblem): a 1 MB note or an escape in an owner is refused,
// naming the field. Text the rules generate is not judged.
func TestValidateTextLimits(t *testing.T) {
	manual, err := NewObservation(Observation{Subject: assets.Ref{Kind: "audit", ID: "a"}, Title: "Door open",
		Severity: Low, Detail: "line 1\n\tline 2", Recommendation: "Close it.\r\nLock it.", References: []string{"62443-2-1 PHY 1.1"}})
	if err != nil {
		t.Fatal(err)
	}
	manual.Owner, manual.Notes = "Ops", "seen twice\nby the night shift"
	manual.Justification, manual.Evidence = "accepted until the\nnew fence", []string{"ev1"}
	big, long := strings.Repeat("x", 1<<20), strings.Repeat("é", assets.MaxShortText+1)
	cases := []struct {
		name  string
		set   func(f *Finding)
		field string
	}{
		{"1 MB notes", func(f *Finding) { f.Notes = big }, "notes"},
		{"NUL in notes", func(f *Finding) { f.Notes = "a\x00b" }, "notes"},
		{"long owner", func(f *Finding) { f.Owner = long }, "owner"},
		{"escape in owner", func(f *Finding) { f.Owner = "Ops\x1b]0;x\a" }, "owner"},
		{"line break in owner", func(f *Finding) { f.Owner = "Ops\nIT" }, "owner"},
		{"1 MB justification", func(f *Finding) { f.Justification = big }, "justification"},
		{"Latin-1 resolution", func(f *Finding) { f.Resolution = "gel\xf6st" }, "resolution"},
		{"escape in evidence ID", func(f *Finding) { f.Evidence = []string{"ev1", "e\x1b"} }, "evidence"},
		{"long manual title", func(f *Finding) { f.Title = long }, "title"},
		{"two-line manual title", func(f *Finding) { f.Title = "a\nb" }, "title"},
		{"1 MB manual detail", func(f *Finding) { f.Detail = big }, "detail"},
		{"C1 in manual recommendation", func(f *Finding) { f.Recommendation = "a\u009bb" }, "recommendation"},
		{"65 references", func(f *Finding) { f.References = make([]string, assets.MaxListLen+1) }, "references"},
		{"escape in a reference", func(f *Finding) { f.References = []string{"SR 1.1\x1b"} }, "references"},
	}
	if err := manual.Validate(); err != nil {
		t.Fatalf("a manual finding with ordinary multi-line text: %v", err)
	}
	for _, tc := range cases {
		f := manual
		tc.set(&f)
		if err := f.Validate(); !hasFieldErr(err, tc.field) {
			t.Errorf("%s: %.200v, want an error on %s", tc.name, err, tc.field)
		}
	}
	// A rule's title and detail are built by the rules from names that
	// passed validation; a long list of names stays acceptable.
	rule := ruleFinding("ZW-ZONE-002", "a", High)
	rule.Title, rule.Detail = strings.Repeat("t", 3*assets.MaxShortText), strings.Repeat("d", 3*assets.MaxLongText)
	if err := rule.Validate(); err != nil {
		t.Errorf("a rule finding with long generated text: %v", err)
	}
	rule.Notes = big
	if err := rule.Validate(); !hasFieldErr(err, "notes") {
		t.Errorf("a rule finding with 1 MB notes: %.200v", err)
	}
}

func hasFieldErr(err error, field string) bool {
	var ve *assets.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, assets.ErrInvalid) {
		return false
	}
	for _, f := range ve.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
