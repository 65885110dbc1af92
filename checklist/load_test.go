package checklist

import (
	"errors"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

const validZone = `format: 1
id: test-zone
revision: 2
title: Test zone checklist
standard: TEST-1
kind: zone
sections:
  - id: FR 1
    title: First
    fr: 1
    items:
      - id: SR 1.1
        title: Base
        question: Is it done?
        guidance: Look at it.
        levels: [1, 2, 3, 4]
        refs:
          - {source: NIST CSF 1.1, id: PR.AC-1, mapping: official}
      - id: SR 1.1 RE 1
        parent: SR 1.1
        title: Enhancement
        question: Is it done better?
        levels: [3, 4]
        uncertain: true
        uncertain_levels: [2]
        uncertain_note: sources disagree
  - id: FR 5
    title: Fifth
    items:
      - id: SR 5.1
        fr: 5
        title: Other
        question: And this?
        levels: [2]
        related: [SR 1.1]
`

func TestLoadValid(t *testing.T) {
	tpl, err := Load("valid.yaml", []byte(validZone))
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ID != "test-zone" || tpl.Revision != 2 || tpl.Kind != KindZone || tpl.Format != FormatVersion {
		t.Errorf("header: %+v", tpl)
	}
	if got := len(tpl.Items()); got != 3 {
		t.Fatalf("%d items, want 3", got)
	}
	re := tpl.Item("SR 1.1 RE 1")
	if re.Parent != "SR 1.1" || re.FR != assets.IAC || !re.HasFR || re.Section != "FR 1" {
		t.Errorf("RE: %+v", re)
	}
	if !re.Uncertain || re.UncertainNote != "sources disagree" || !re.UncertainAt(2) || re.RequiredAt(2) || !re.CountsAt(2) || re.FirstLevel() != 2 {
		t.Errorf("RE uncertainty: %+v", re)
	}
	base := tpl.Item("SR 1.1")
	if len(base.Refs) != 1 || !base.Refs[0].Official || base.Refs[0].ID != "PR.AC-1" {
		t.Errorf("refs: %+v", base.Refs)
	}
	sr5 := tpl.Item("SR 5.1")
	if sr5.FR != assets.RDF || sr5.Related[0] != "SR 1.1" {
		t.Errorf("SR 5.1: %+v", sr5)
	}
}

// problem is one expected error: its line and a piece of its message.
type problem struct {
	line int
	msg  string
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want []problem
	}{
		{"duplicate item", func(s string) string {
			return strings.Replace(s, "id: SR 5.1", "id: SR 1.1", 1)
		}, []problem{{30, `duplicate item ID "SR 1.1" (first at line 12)`}}},
		{"unknown level", func(s string) string {
			return strings.Replace(s, "        levels: [2]\n", "        levels: [0, 5, 2, 2]\n", 1)
		}, []problem{{34, "unknown security level 0"}, {34, "unknown security level 5"}, {34, "level 2 listed twice"}}},
		{"unknown FR", func(s string) string {
			return strings.Replace(s, "fr: 5", "fr: 8", 1)
		}, []problem{{30, "need fr"}, {31, "fr 8: unknown foundational requirement"}}},
		{"unknown parent and related", func(s string) string {
			s = strings.Replace(s, "parent: SR 1.1", "parent: SR 9.9", 1)
			return strings.Replace(s, "related: [SR 1.1]", "related: [SR 1.1, SR 7.7]", 1)
		}, []problem{{20, `parent "SR 9.9" is not an item`}, {35, `related "SR 7.7" is not an item`}}},
		{"missing fields", func(s string) string {
			s = strings.Replace(s, "title: Test zone checklist\n", "", 1)
			return strings.Replace(s, "        question: And this?\n", "", 1)
		}, []problem{{1, `missing required field "title"`}, {29, `missing required field "question"`}}},
		{"format version", func(s string) string {
			return strings.Replace(s, "format: 1", "format: 2", 1)
		}, []problem{{1, "format version 2 is not supported"}}},
		{"format not a number", func(s string) string {
			return strings.Replace(s, "format: 1", "format: one", 1)
		}, []problem{{1, `format: expected a whole number, found "one"`}}},
		{"bad kind and id", func(s string) string {
			s = strings.Replace(s, "kind: zone", "kind: plant", 1)
			return strings.Replace(s, "id: test-zone", "id: Test Zone", 1)
		}, []problem{{2, `id "Test Zone"`}, {6, `kind "plant"`}}},
		{"unknown field", func(s string) string {
			return strings.Replace(s, "        guidance: Look at it.\n", "        guidence: Look at it.\n", 1)
		}, []problem{{15, `unknown field "guidence"`}}},
		{"RE above its SR", func(s string) string {
			return strings.Replace(s, "levels: [1, 2, 3, 4]", "levels: [1, 2]", 1)
		}, []problem{{20, `required at SL3 but its parent "SR 1.1" is not`}, {20, `required at SL4`}}},
		{"uncertain without note", func(s string) string {
			return strings.Replace(s, "        uncertain_note: sources disagree\n", "", 1)
		}, []problem{{19, "uncertain_note must say"}}},
		{"uncertain levels without flag", func(s string) string {
			return strings.Replace(s, "uncertain: true", "uncertain: false", 1)
		}, []problem{{25, "uncertain is not true"}}},
		{"bad mapping label", func(s string) string {
			return strings.Replace(s, "mapping: official", "mapping: guessed", 1)
		}, []problem{{18, `mapping "guessed"`}}},
		{"zone item without levels", func(s string) string {
			return strings.Replace(s, "        levels: [2]\n", "", 1)
		}, []problem{{30, "need levels"}}},
		{"syntax error", func(s string) string {
			return strings.Replace(s, "title: Fifth", "title: [Fifth", 1)
		}, []problem{{28, "YAML syntax"}}},
		{"wrong shape", func(s string) string {
			return strings.Replace(s, "        levels: [2]\n", "        levels: {a: 1}\n", 1)
		}, []problem{{34, "levels: expected a list"}}},
		{"alias", func(s string) string {
			s = strings.Replace(s, "title: First", "title: &t First", 1)
			return strings.Replace(s, "title: Other", "title: *t", 1)
		}, []problem{{32, "aliases are not supported"}}},
		{"duplicate section and key", func(s string) string {
			s = strings.Replace(s, "id: FR 5", "id: FR 1", 1)
			return strings.Replace(s, "revision: 2", "revision: 2\nrevision: 3", 1)
		}, []problem{{4, `field "revision" given twice (first at line 3)`}, {28, `duplicate section ID "FR 1" (first at line 9)`}}},
		{"two documents", func(s string) string { return s + "---\nid: x\n" }, []problem{{36, "one YAML document"}}},
		{"empty", func(string) string { return "" }, []problem{{0, "file is empty"}}},
		{"not a mapping", func(string) string { return "- a\n- b\n" }, []problem{{1, "expected a mapping"}}},
		{"maturity on zone", func(s string) string {
			return strings.Replace(s, "kind: zone", "kind: zone\nmaturity: true", 1)
		}, []problem{{7, "maturity ratings apply to program templates"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.edit(validZone)
			tpl, err := Load("bad.yaml", []byte(src))
			if err == nil {
				t.Fatalf("loaded %v, want errors", tpl.ID)
			}
			if tpl != nil {
				t.Error("a template was returned with an error")
			}
			if !errors.Is(err, ErrInvalidTemplate) {
				t.Errorf("error does not wrap ErrInvalidTemplate: %v", err)
			}
			var te *TemplateError
			if !errors.As(err, &te) || te.File != "bad.yaml" {
				t.Fatalf("want *TemplateError for bad.yaml, got %T %v", err, err)
			}
			var le *LoadError
			if !errors.As(err, &le) || le.File != "bad.yaml" {
				t.Errorf("errors.As *LoadError failed: %v", err)
			}
			if len(te.Problems) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(te.Problems), len(tc.want), err)
			}
			for _, w := range tc.want {
				ok := false
				for _, p := range te.Problems {
					line := p.Line
					if strings.HasPrefix(p.Msg, "YAML syntax") && line == w.line-1 {
						line++ // yaml.v3 reports some syntax errors one line early
					}
					ok = ok || (line == w.line && strings.Contains(p.Msg, w.msg))
				}
				if !ok {
					t.Errorf("missing problem at line %d containing %q; got:\n%v", w.line, w.msg, err)
				}
			}
			if !strings.Contains(err.Error(), "bad.yaml:") {
				t.Errorf("message lacks file name: %v", err)
			}
		})
	}
}

func TestLoadProgramRejectsZoneFields(t *testing.T) {
	src := `format: 1
id: p
revision: 1
title: P
standard: S
kind: program
maturity: true
sections:
  - id: A
    title: A
    fr: 2
    items:
      - id: A.1
        title: T
        question: Q?
        levels: [1]
`
	_, err := Load("p.yaml", []byte(src))
	var te *TemplateError
	if !errors.As(err, &te) || len(te.Problems) != 2 || te.Problems[0].Line != 11 || te.Problems[1].Line != 16 {
		t.Fatalf("want problems at lines 11 (fr) and 16 (levels), got %v", err)
	}
}

const groupedProgram = `format: 1
id: grouped
revision: 1
title: Grouped
standard: S
kind: program
groups:
  - {id: G 1, title: First group}
  - {id: G 2, title: Second group}
sections:
  - id: A
    title: A
    group: G 1
    items:
      - {id: A.1, title: T, question: "Is one done?", tier: element}
  - id: B
    title: B
    group: G 2
    items:
      - {id: B.1, title: T, question: "Is two done?", tier: requirement}
  - id: C
    title: C
    group: G 1
    items:
      - {id: C.1, title: T, question: "Is three done?"}
`

// groupedFree is groupedProgram without its groups list: group is then a
// free-text heading, as in files written before groups existed.
func groupedFree() string {
	return strings.Replace(groupedProgram, "groups:\n  - {id: G 1, title: First group}\n  - {id: G 2, title: Second group}\n", "", 1)
}

func TestLoadGroups(t *testing.T) {
	tpl, err := Load("g.yaml", []byte(groupedProgram))
	if err != nil {
		t.Fatal(err)
	}
	g := tpl.Group("G 1")
	if len(tpl.Groups) != 2 || g == nil || g.Title != "First group" || len(g.Sections) != 2 || g.Sections[1].ID != "C" {
		t.Fatalf("groups: %+v", tpl.Groups)
	}
	if it := tpl.Item("C.1"); it.Group != "G 1" || it.Tier != "" {
		t.Errorf("C.1: %+v", it)
	}
	if tpl.Item("A.1").Tier != TierElement || tpl.Item("B.1").Tier != TierRequirement || tpl.Item("B.1").Group != "G 2" {
		t.Errorf("tiers or groups wrong")
	}
	for _, tc := range []struct {
		name string
		edit func(string) string
		want []problem
	}{
		{"unknown group", func(s string) string { return strings.Replace(s, "group: G 2", "group: G 9", 1) },
			[]problem{{18, `group "G 9" is not one of`}, {9, `group "G 2" has no sections`}}},
		{"section without group", func(s string) string { return strings.Replace(s, "    group: G 2\n", "", 1) },
			[]problem{{16, "group is required"}, {9, `group "G 2" has no sections`}}},
		{"duplicate group", func(s string) string { return strings.Replace(s, "id: G 2,", "id: G 1,", 1) },
			[]problem{{9, `duplicate group ID "G 1" (first at line 8)`}, {18, `group "G 2" is not one of`}}},
		{"empty groups", func(s string) string {
			s = strings.Replace(s, "  - {id: G 1, title: First group}\n  - {id: G 2, title: Second group}\n", "", 1)
			return strings.Replace(s, "groups:", "groups: []", 1)
		}, []problem{{7, "leave the key out"}}},
		{"bad tier", func(s string) string { return strings.Replace(s, "tier: requirement", "tier: clause", 1) },
			[]problem{{20, `tier "clause"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("g.yaml", []byte(tc.edit(groupedProgram)))
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("want errors, got %v", err)
			}
			if len(te.Problems) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(te.Problems), len(tc.want), err)
			}
			for _, w := range tc.want {
				ok := false
				for _, p := range te.Problems {
					ok = ok || (p.Line == w.line && strings.Contains(p.Msg, w.msg))
				}
				if !ok {
					t.Errorf("missing problem at line %d containing %q; got:\n%v", w.line, w.msg, err)
				}
			}
		})
	}
	// Without declared groups, group stays a free-text heading.
	tpl, err = Load("free.yaml", []byte(groupedFree()))
	if err != nil || len(tpl.Groups) != 0 || tpl.Section("A").Group != "G 1" || tpl.Item("B.1").Group != "G 2" {
		t.Fatalf("free-text groups: %v", err)
	}
}

func TestLoadTooLarge(t *testing.T) {
	_, err := Load("big.yaml", make([]byte, MaxTemplateSize+1))
	if !errors.Is(err, ErrInvalidTemplate) || !strings.Contains(err.Error(), "limited to") {
		t.Fatalf("got %v", err)
	}
}

func TestErrorMessageIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("format: 1\nid: x\nrevision: 1\ntitle: x\nstandard: x\nkind: program\nsections:\n  - id: A\n    title: A\n    items:\n")
	for range 50 {
		b.WriteString("      - id: dup\n        title: t\n        question: q\n")
	}
	_, err := Load("many.yaml", []byte(b.String()))
	var te *TemplateError
	if !errors.As(err, &te) || len(te.Problems) != 49 {
		t.Fatalf("want 49 duplicate problems, got %v", err)
	}
	if !strings.Contains(err.Error(), "and 29 more problems") {
		t.Errorf("long message not shortened: %d lines", strings.Count(err.Error(), "\n"))
	}
}

func TestBuiltinContent(t *testing.T) {
	ts := Builtin()
	ids := []string{IEC62443_2_1_2024, IEC62443_2_1_2010, IEC62443_3_3_2013, IEC62443_2_4_2023, IEC62443_3_2_2020, IEC62443_4_2_2019}
	if len(ts) != len(ids) {
		t.Fatalf("%d built-in templates, want %d", len(ts), len(ids))
	}
	for i, id := range ids {
		if ts[i].ID != id || BuiltinByID(id) != ts[i] {
			t.Errorf("built-in template %d is %s, want %s", i, ts[i].ID, id)
		}
	}
	wantKind := map[string]Kind{IEC62443_2_1_2024: KindProgram, IEC62443_2_1_2010: KindProgram, IEC62443_3_3_2013: KindZone,
		IEC62443_2_4_2023: KindProgram, IEC62443_3_2_2020: KindProgram, IEC62443_4_2_2019: KindComponent}
	wantMaturity := map[string]bool{IEC62443_2_1_2024: true, IEC62443_2_4_2023: true}
	questions := map[string]string{}
	for _, tpl := range ts {
		if tpl.Kind != wantKind[tpl.ID] || tpl.Maturity != wantMaturity[tpl.ID] {
			t.Errorf("%s: kind %s maturity %v", tpl.ID, tpl.Kind, tpl.Maturity)
		}
		for _, it := range tpl.Items() {
			where := tpl.ID + " " + it.ID
			if !strings.HasSuffix(it.Question, "?") {
				t.Errorf("%s: question does not end in '?': %q", where, it.Question)
			}
			if len(it.Guidance) < 20 {
				t.Errorf("%s: guidance missing or too thin: %q", where, it.Guidance)
			}
			if prev, dup := questions[it.Question]; dup {
				t.Errorf("%s: same question as %s", where, prev)
			}
			questions[it.Question] = where
			for _, r := range it.Refs {
				if r.Official && r.Source != "NIST CSF 1.1" {
					t.Errorf("%s: %s %s marked official; only the NIST CSF references come from a published mapping", where, r.Source, r.ID)
				}
				if strings.HasPrefix(r.Source, "NIS2") && r.Official {
					t.Errorf("%s: no official NIS2 mapping exists", where)
				}
			}
		}
	}
	if BuiltinByID("nope") != nil {
		t.Error("BuiltinByID found an unknown template")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(validZone))
	f.Add([]byte(groupedProgram))
	f.Add([]byte(validComponent))
	for _, name := range builtinFiles {
		data, err := builtinFS.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("format: 1\nid: &a x\nrevision: *a\n"))
	f.Add([]byte("sections: [{items: [{levels: [1, 9], fr: 0}]}]"))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Load("fuzz.yaml", data)
		if err != nil {
			if tpl != nil {
				t.Fatal("template returned with an error")
			}
			if !errors.Is(err, ErrInvalidTemplate) {
				t.Fatalf("error does not wrap ErrInvalidTemplate: %v", err)
			}
			var te *TemplateError
			if !errors.As(err, &te) || len(te.Problems) == 0 {
				t.Fatalf("error is not a TemplateError with problems: %v", err)
			}
			return
		}
		// A template that loads must be usable by every consumer.
		seen := map[string]bool{}
		for _, it := range tpl.Items() {
			if it.ID == "" || seen[it.ID] || tpl.Item(it.ID) != it {
				t.Fatalf("item index broken at %q", it.ID)
			}
			seen[it.ID] = true
			for _, l := range append(slicesOf(it.Levels), it.UncertainLevels...) {
				if l < 1 || l > 4 {
					t.Fatalf("level %d accepted", l)
				}
			}
			if tpl.Kind == KindZone && (!it.HasFR || it.FirstLevel() == 0) {
				t.Fatalf("zone item %q without FR or level", it.ID)
			}
		}
		Applicable(tpl, assets.UniformSL(4), true)
		switch tpl.Kind {
		case KindZone:
			if _, err := ScoreZone(tpl, "z", assets.UniformSL(3), nil); err != nil {
				t.Fatal(err)
			}
		case KindComponent:
			fuzzComponent(t, tpl)
		default:
			if _, err := ScoreProgram(tpl, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func slicesOf(s []int) []int { return append([]int(nil), s...) }

const validComponent = `format: 1
id: test-component
revision: 1
title: Test component checklist
standard: TEST-2
kind: component
sections:
  - id: C
    title: Constraints
    items:
      - id: C 1
        title: Constraint
        question: Does it hold?
  - id: FR 2
    title: Second
    fr: 2
    description: Topic 2.3 has no item.
    items:
      - id: CR 2.1
        title: Generic
        question: Is it enforced?
        levels: [1, 2, 3, 4]
      - id: CR 2.1 RE 1
        parent: CR 2.1
        title: Generic enhancement
        question: Is it enforced everywhere?
        levels: [2, 3, 4]
  - id: NDR
    title: Network devices
    items:
      - id: NDR 5.2
        fr: 5
        types: [ndr]
        title: Typed
        question: Is the boundary controlled?
        levels: [1, 2, 3, 4]
      - id: NDR 5.2 RE 1
        fr: 5
        parent: NDR 5.2
        types: [ndr]
        title: Typed enhancement
        question: Is it denied by default?
        levels: [2, 3, 4]
`

func TestLoadComponent(t *testing.T) {
	tpl, err := Load("c.yaml", []byte(validComponent))
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Kind != KindComponent || len(tpl.Items()) != 5 {
		t.Fatalf("kind %s, %d items", tpl.Kind, len(tpl.Items()))
	}
	if c := tpl.Item("C 1"); c.HasFR || len(c.Levels) != 0 || len(c.Types) != 0 || !c.AppliesTo(TypeHostDevice) {
		t.Errorf("constraint: %+v", c)
	}
	if s := tpl.Section("FR 2"); s.Description != "Topic 2.3 has no item." || tpl.Section("C").Description != "" {
		t.Errorf("section descriptions: %q", s.Description)
	}
	re := tpl.Item("NDR 5.2 RE 1")
	if re.FR != assets.RDF || len(re.Types) != 1 || re.Types[0] != TypeNetworkDevice || !re.AppliesTo("ndr") || re.AppliesTo("edr") {
		t.Errorf("typed RE: %+v", re)
	}
	var ids []string
	for _, it := range tpl.ItemsFor(TypeEmbeddedDevice) {
		ids = append(ids, it.ID)
	}
	if strings.Join(ids, "|") != "C 1|CR 2.1|CR 2.1 RE 1" {
		t.Errorf("items for edr: %v", ids)
	}
	if n := len(tpl.ItemsFor(TypeNetworkDevice)); n != 5 {
		t.Errorf("items for ndr: %d, want 5", n)
	}
	for _, tc := range []struct {
		name string
		edit func(string) string
		want []problem
	}{
		{"unknown type", func(s string) string { return strings.Replace(s, "types: [ndr]", "types: [ndr, plc]", 1) },
			[]problem{{33, `item "NDR 5.2": unknown component type "plc" (want sar, edr, hdr, ndr)`}}},
		{"type twice", func(s string) string { return strings.Replace(s, "types: [ndr]", "types: [ndr, ndr]", 1) },
			[]problem{{33, `item "NDR 5.2": component type "ndr" listed twice`}}},
		{"empty types", func(s string) string { return strings.Replace(s, "types: [ndr]", "types: []", 1) },
			[]problem{{33, "leave the key out"}}},
		{"RE wider than its base", func(s string) string {
			return strings.Replace(s, "        types: [ndr]\n        title: Typed enhancement", "        title: Typed enhancement", 1)
		}, []problem{{39, `"NDR 5.2 RE 1" applies to sar but its parent "NDR 5.2" does not (give it types within ndr)`}}},
		{"types not a list", func(s string) string { return strings.Replace(s, "types: [ndr]", "types: ndr", 1) },
			[]problem{{33, "types: expected a list"}}},
		{"scored item without levels", func(s string) string {
			return strings.Replace(s, "        levels: [2, 3, 4]\n  - id: NDR", "\n  - id: NDR", 1)
		}, []problem{{23, `item "CR 2.1 RE 1": give levels`}}},
		{"levels without fr", func(s string) string {
			return strings.Replace(s, "        question: Does it hold?\n", "        question: Does it hold?\n        levels: [1]\n", 1)
		}, []problem{{11, `item "C 1": levels need an fr`}}},
		{"maturity", func(s string) string {
			return strings.Replace(s, "kind: component", "kind: component\nmaturity: true", 1)
		},
			[]problem{{7, "not component templates"}}},
		{"bad kind", func(s string) string { return strings.Replace(s, "kind: component", "kind: device", 1) },
			[]problem{{6, `kind "device": must be "program", "zone" or "component"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("c.yaml", []byte(tc.edit(validComponent)))
			var te *TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("want errors, got %v", err)
			}
			if len(te.Problems) != len(tc.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(te.Problems), len(tc.want), err)
			}
			for _, w := range tc.want {
				ok := false
				for _, p := range te.Problems {
					ok = ok || (p.Line == w.line && strings.Contains(p.Msg, w.msg))
				}
				if !ok {
					t.Errorf("missing problem at line %d containing %q; got:\n%v", w.line, w.msg, err)
				}
			}
		})
	}
}

// Types belong to component templates; files of the other kinds that name
// them are refused rather than silently scored without them.
func TestLoadTypesOnlyForComponents(t *testing.T) {
	src := strings.Replace(validZone, "        levels: [2]\n", "        levels: [2]\n        types: [edr]\n", 1)
	_, err := Load("z.yaml", []byte(src))
	var te *TemplateError
	if !errors.As(err, &te) || len(te.Problems) != 1 || te.Problems[0].Line != 35 ||
		!strings.Contains(te.Problems[0].Msg, `item "SR 5.1": types apply to component templates only`) {
		t.Fatalf("want one problem at line 35, got %v", err)
	}
}

// fuzzComponent checks what every loaded component template must allow:
// levels only with an FR, types only known codes, and a score for every
// type in which all-met beats nothing answered.
func fuzzComponent(t *testing.T, tpl *Template) {
	var all []Answer
	for _, it := range tpl.Items() {
		if len(it.Levels)+len(it.UncertainLevels) > 0 && !it.HasFR {
			t.Fatalf("component item %q has levels but no FR", it.ID)
		}
		for _, c := range it.Types {
			if ComponentTypeName(c) == "" {
				t.Fatalf("item %q: type %q accepted", it.ID, c)
			}
		}
		all = append(all, Answer{Template: tpl.ID, Item: it.ID, Status: StatusMet})
	}
	for _, c := range ComponentTypes {
		none, err := ScoreComponent(tpl, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		met, err := ScoreComponent(tpl, c, all)
		if err != nil {
			t.Fatal(err)
		}
		if met.SLC != assets.UniformSL(4) {
			t.Fatalf("%s: every item met gives %v", c, met.SLC)
		}
		for i, l := range none.SLC {
			if l < 0 || l > none.SLCLenient[i] || none.SLCLenient[i] > 4 {
				t.Fatalf("%s: SL-C %v, lenient %v", c, none.SLC, none.SLCLenient)
			}
		}
	}
}
