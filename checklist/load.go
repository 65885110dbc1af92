package checklist

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zonewalk/zonewalk/assets"
)

// ErrInvalidTemplate is wrapped by every problem Load reports.
var ErrInvalidTemplate = errors.New("invalid checklist template")

// MaxTemplateSize bounds a template file; the largest built-in one is a
// small fraction of it.
const MaxTemplateSize = 4 << 20

// LoadError is one problem in a template file, with the line it is on
// (0 when it concerns the whole file).
type LoadError struct {
	File string
	Line int
	Msg  string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

func (e *LoadError) Unwrap() error { return ErrInvalidTemplate }

// TemplateError collects every problem found in one template file, in line
// order, so a user fixes them all in one go.
type TemplateError struct {
	File     string
	Problems []*LoadError
}

// maxShown keeps the message readable when a file is badly broken; all
// problems remain in Problems.
const maxShown = 20

func (e *TemplateError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i == maxShown {
			fmt.Fprintf(&b, "\n… and %d more problems", len(e.Problems)-maxShown)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap gives errors.Is/As access to each problem (and so to ErrInvalidTemplate).
func (e *TemplateError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

var (
	templateIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	yamlLinePattern   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// Load reads a template from YAML. name is the file name used in error
// messages. Every problem found is reported, each with its line, in a
// *TemplateError wrapping ErrInvalidTemplate.
func Load(name string, data []byte) (*Template, error) {
	l := &loader{file: name}
	t := l.load(data)
	if len(l.errs) > 0 {
		sort.SliceStable(l.errs, func(i, j int) bool { return l.errs[i].Line < l.errs[j].Line })
		return nil, &TemplateError{File: name, Problems: l.errs}
	}
	return t, nil
}

type loader struct {
	file string
	errs []*LoadError
}

func (l *loader) fail(line int, format string, args ...any) {
	l.errs = append(l.errs, &LoadError{File: l.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) load(data []byte) *Template {
	if len(data) > MaxTemplateSize {
		l.fail(0, "file is %d bytes; templates are limited to %d", len(data), MaxTemplateSize)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			l.fail(0, "file is empty")
		} else {
			l.syntax(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		l.fail(extra.Line, "a template file holds one YAML document; found another here")
	} else if err != io.EOF {
		l.syntax(err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	m := l.mapping(root, "template", []string{
		"format", "id", "revision", "title", "standard", "kind", "maturity", "description", "groups", "sections",
	})
	if m == nil {
		return nil
	}
	t := &Template{items: map[string]*Item{}}
	if n := m.require("format"); n != nil {
		if v, ok := l.int(n, "format"); ok && v != FormatVersion {
			l.fail(n.Line, "format version %d is not supported (this Zonewalk reads format %d)", v, FormatVersion)
		} else {
			t.Format = v
		}
	}
	if n := m.require("id"); n != nil {
		t.ID, _ = l.str(n, "id")
		if t.ID != "" && !templateIDPattern.MatchString(t.ID) {
			l.fail(n.Line, "id %q: use lowercase letters, digits, '.', '_' and '-' (at most 64)", t.ID)
		}
	}
	if n := m.require("revision"); n != nil {
		if v, ok := l.int(n, "revision"); ok {
			if v < 1 {
				l.fail(n.Line, "revision must be 1 or more, got %d", v)
			}
			t.Revision = v
		}
	}
	t.Title = m.text("title", true)
	t.Standard = m.text("standard", true)
	t.Description = m.text("description", false)
	if n := m.require("kind"); n != nil {
		s, _ := l.str(n, "kind")
		t.Kind = Kind(s)
		if s != "" && t.Kind != KindProgram && t.Kind != KindZone && t.Kind != KindComponent {
			l.fail(n.Line, "kind %q: must be %q, %q or %q", s, KindProgram, KindZone, KindComponent)
		}
	}
	if n := m.get("maturity"); n != nil {
		t.Maturity, _ = l.bool(n, "maturity")
		if t.Maturity && (t.Kind == KindZone || t.Kind == KindComponent) {
			l.fail(n.Line, "maturity ratings apply to program templates, not %s templates", t.Kind)
		}
	}
	groupLines := l.groups(t, m)
	sections := m.require("sections")
	if sections == nil {
		return t
	}
	seq := l.sequence(sections, "sections")
	if sections.Kind == yaml.SequenceNode && len(seq) == 0 {
		l.fail(sections.Line, "sections: at least one section is required")
	}
	itemLines := map[string]int{}
	sectionLines := map[string]int{}
	var pending []pendingRefs
	for _, sn := range seq {
		s, refs := l.section(t, sn, sectionLines, itemLines)
		if s != nil {
			t.Sections = append(t.Sections, s)
			if g := t.Group(s.Group); g != nil {
				g.Sections = append(g.Sections, s)
			}
		}
		pending = append(pending, refs...)
	}
	l.crossCheck(t, pending)
	for _, g := range t.Groups {
		if len(g.Sections) == 0 && g.ID != "" {
			l.fail(groupLines[g.ID], "group %q has no sections", g.ID)
		}
	}
	return t
}

// groups reads the optional "groups" list; it returns each group's line.
func (l *loader) groups(t *Template, m *fields) map[string]int {
	lines := map[string]int{}
	n := m.get("groups")
	if n == nil {
		return lines
	}
	seq := l.sequence(n, "groups")
	if n.Kind == yaml.SequenceNode && len(seq) == 0 {
		l.fail(n.Line, "groups: leave the key out rather than give an empty list")
	}
	for _, gn := range seq {
		gm := l.mapping(gn, "group", []string{"id", "title"})
		if gm == nil {
			continue
		}
		g := &Group{ID: gm.text("id", true), Title: gm.text("title", true)}
		if g.ID == "" {
			continue
		}
		if first, dup := lines[g.ID]; dup {
			l.fail(gm.keyLine("id"), "duplicate group ID %q (first at line %d)", g.ID, first)
			continue
		}
		lines[g.ID] = gm.keyLine("id")
		t.Groups = append(t.Groups, g)
	}
	return lines
}

// syntax turns a yaml.v3 parse error into a LoadError with its line.
func (l *loader) syntax(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			l.lineMsg(e)
		}
		return
	}
	l.lineMsg(err.Error())
}

func (l *loader) lineMsg(msg string) {
	if m := yamlLinePattern.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		l.fail(n, "YAML syntax: %s", m[2])
		return
	}
	l.fail(0, "YAML syntax: %s", strings.TrimPrefix(msg, "yaml: "))
}

// pendingRefs are an item's references to other items, checked once every
// item is known.
type pendingRefs struct {
	item *Item
	line int // line of the referring key
	ids  []string
	kind string // "parent" or "related"
}

func (l *loader) section(t *Template, n *yaml.Node, sectionLines, itemLines map[string]int) (*Section, []pendingRefs) {
	m := l.mapping(n, "section", []string{"id", "title", "group", "description", "fr", "items"})
	if m == nil {
		return nil, nil
	}
	s := &Section{}
	s.ID = m.text("id", true)
	if s.ID != "" {
		if first, dup := sectionLines[s.ID]; dup {
			l.fail(m.keyLine("id"), "duplicate section ID %q (first at line %d)", s.ID, first)
		} else {
			sectionLines[s.ID] = m.keyLine("id")
		}
	}
	s.Title = m.text("title", true)
	s.Group = m.text("group", false)
	s.Description = m.text("description", false)
	// With declared groups, the section's group must be one of them, so
	// that scoring per group covers every item.
	if len(t.Groups) > 0 {
		switch {
		case s.Group == "":
			l.fail(m.node.Line, "section %q: group is required (this template declares groups)", s.ID)
		case t.Group(s.Group) == nil:
			l.fail(m.keyLine("group"), "section %q: group %q is not one of the template's groups", s.ID, s.Group)
		}
	}
	fr, hasFR := l.fr(t, m)
	items := m.require("items")
	if items == nil {
		return s, nil
	}
	seq := l.sequence(items, "items")
	if items.Kind == yaml.SequenceNode && len(seq) == 0 {
		l.fail(items.Line, "section %q has no items", s.ID)
	}
	var pending []pendingRefs
	for _, in := range seq {
		it, refs := l.item(t, in, s, fr, hasFR)
		if it == nil {
			continue
		}
		pending = append(pending, refs...)
		if it.ID == "" {
			continue
		}
		if first, dup := itemLines[it.ID]; dup {
			l.fail(in.Line, "duplicate item ID %q (first at line %d)", it.ID, first)
			continue
		}
		itemLines[it.ID] = in.Line
		t.items[it.ID] = it
		t.order = append(t.order, it)
		s.Items = append(s.Items, it)
	}
	return s, pending
}

// fr reads an optional "fr" key: the 62443-3-3 foundational requirement, 1–7.
func (l *loader) fr(t *Template, m *fields) (assets.FR, bool) {
	n := m.get("fr")
	if n == nil {
		return 0, false
	}
	v, ok := l.int(n, "fr")
	if !ok {
		return 0, false
	}
	if v < 1 || v > len(assets.FRs) {
		l.fail(n.Line, "fr %d: unknown foundational requirement (want 1–7)", v)
		return 0, false
	}
	if t.Kind == KindProgram {
		l.fail(n.Line, "fr applies to zone and component templates only")
	}
	return assets.FRs[v-1], true
}

func (l *loader) item(t *Template, n *yaml.Node, s *Section, sectionFR assets.FR, hasSectionFR bool) (*Item, []pendingRefs) {
	m := l.mapping(n, "item", []string{
		"id", "title", "question", "guidance", "tier", "parent", "related", "refs", "fr", "levels", "types",
		"uncertain", "uncertain_levels", "uncertain_note",
	})
	if m == nil {
		return nil, nil
	}
	it := &Item{Section: s.ID, Group: s.Group, FR: sectionFR, HasFR: hasSectionFR}
	it.ID = m.text("id", true)
	it.Title = m.text("title", true)
	it.Question = m.text("question", true)
	it.Guidance = m.text("guidance", false)
	it.UncertainNote = m.text("uncertain_note", false)
	if it.Tier = m.text("tier", false); it.Tier != "" && it.Tier != TierElement && it.Tier != TierRequirement {
		l.fail(m.keyLine("tier"), "tier %q: must be %q or %q", it.Tier, TierElement, TierRequirement)
	}
	if fr, ok := l.fr(t, m); ok {
		it.FR, it.HasFR = fr, true
	}
	malformed := 0 // problems found in the level lists themselves
	if n := m.get("levels"); n != nil {
		before := len(l.errs)
		it.Levels = l.levels(n, "levels")
		malformed += len(l.errs) - before
		if t.Kind == KindProgram {
			l.fail(n.Line, "levels apply to zone and component templates only")
		}
	}
	if n := m.get("uncertain"); n != nil {
		it.Uncertain, _ = l.bool(n, "uncertain")
	}
	if n := m.get("uncertain_levels"); n != nil {
		before := len(l.errs)
		it.UncertainLevels = l.levels(n, "uncertain_levels")
		malformed += len(l.errs) - before
		if !it.Uncertain {
			l.fail(n.Line, "uncertain_levels given but uncertain is not true")
		}
	}
	if it.Uncertain && strings.TrimSpace(it.UncertainNote) == "" {
		l.fail(n.Line, "item %q is uncertain: uncertain_note must say what sources disagree on", it.ID)
	}
	if tn := m.get("types"); tn != nil {
		it.Types = l.types(tn, it.ID)
		if t.Kind == KindProgram || t.Kind == KindZone {
			l.fail(tn.Line, "item %q: types apply to component templates only", it.ID)
		}
	}
	if t.Kind == KindComponent {
		// An item with an FR is scored and needs its levels; one without is
		// a constraint, answered but never a level.
		hasLevels := len(it.Levels) > 0 || len(it.UncertainLevels) > 0
		switch {
		case it.HasFR && !hasLevels && malformed == 0:
			l.fail(n.Line, "item %q: give levels (the SLs at which it is required), or leave out fr to make it a constraint", it.ID)
		case !it.HasFR && hasLevels:
			l.fail(n.Line, "item %q: levels need an fr (1–7) on the item or its section", it.ID)
		}
	}
	if t.Kind == KindZone {
		if !it.HasFR {
			l.fail(n.Line, "item %q: zone templates need fr (1–7) on the item or its section", it.ID)
		}
		// Skipped when the levels given were malformed: that was reported.
		if len(it.Levels) == 0 && len(it.UncertainLevels) == 0 && malformed == 0 {
			l.fail(n.Line, "item %q: zone templates need levels (the SLs at which the item is required)", it.ID)
		}
	}
	var pending []pendingRefs
	if pn := m.get("parent"); pn != nil {
		if p, ok := l.str(pn, "parent"); ok && p != "" {
			it.Parent = p
			pending = append(pending, pendingRefs{item: it, line: pn.Line, ids: []string{p}, kind: "parent"})
		}
	}
	if rn := m.get("related"); rn != nil {
		for _, e := range l.sequence(rn, "related") {
			if s, ok := l.str(e, "related"); ok && s != "" {
				it.Related = append(it.Related, s)
				pending = append(pending, pendingRefs{item: it, line: e.Line, ids: []string{s}, kind: "related"})
			}
		}
	}
	if rn := m.get("refs"); rn != nil {
		for _, e := range l.sequence(rn, "refs") {
			rm := l.mapping(e, "ref", []string{"source", "id", "mapping"})
			if rm == nil {
				continue
			}
			r := Ref{Source: rm.text("source", true), ID: rm.text("id", true)}
			switch mp := rm.text("mapping", true); mp {
			case "official":
				r.Official = true
			case "ours", "":
			default:
				l.fail(rm.keyLine("mapping"), "ref mapping %q: must be \"official\" (published by a standards body or government) or \"ours\"", mp)
			}
			it.Refs = append(it.Refs, r)
		}
	}
	return it, pending
}

// crossCheck resolves references between items once all are read.
func (l *loader) crossCheck(t *Template, pending []pendingRefs) {
	for _, p := range pending {
		for _, id := range p.ids {
			target := t.items[id]
			switch {
			case target == nil:
				l.fail(p.line, "item %q: %s %q is not an item of this template", p.item.ID, p.kind, id)
			case target == p.item:
				l.fail(p.line, "item %q: %s refers to itself", p.item.ID, p.kind)
			case p.kind == "parent":
				l.checkParent(p, target)
			}
		}
	}
}

func (l *loader) checkParent(p pendingRefs, parent *Item) {
	it := p.item
	if parent.Parent != "" {
		l.fail(p.line, "item %q: parent %q is itself an enhancement; point at the base requirement", it.ID, parent.ID)
	}
	if it.HasFR && parent.HasFR && it.FR != parent.FR {
		l.fail(p.line, "item %q is in %s but its parent %q is in %s", it.ID, it.FR, parent.ID, parent.FR)
	}
	for _, sl := range it.Levels {
		if !parent.CountsAt(sl) {
			l.fail(p.line, "item %q is required at SL%d but its parent %q is not", it.ID, sl, parent.ID)
		}
	}
	// An enhancement cannot reach component types its base does not.
	if len(parent.Types) > 0 {
		for _, c := range ComponentTypes {
			if it.AppliesTo(c) && !parent.AppliesTo(c) {
				l.fail(p.line, "item %q applies to %s but its parent %q does not (give it types within %s)",
					it.ID, c, parent.ID, strings.Join(parent.Types, ", "))
				break
			}
		}
	}
}

// fields is a YAML mapping read into key → value, remembering lines.
type fields struct {
	l      *loader
	node   *yaml.Node
	what   string
	keys   map[string]*yaml.Node
	values map[string]*yaml.Node
}

// mapping checks that n is a mapping with only known, unique keys.
func (l *loader) mapping(n *yaml.Node, what string, known []string) *fields {
	if !l.plain(n, what) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		l.fail(n.Line, "%s: expected a mapping of keys to values, found %s", what, kindName(n))
		return nil
	}
	f := &fields{l: l, node: n, what: what, keys: map[string]*yaml.Node{}, values: map[string]*yaml.Node{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			l.fail(k.Line, "%s: keys must be plain words", what)
			continue
		}
		if !slices.Contains(known, k.Value) {
			l.fail(k.Line, "%s: unknown field %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if prev, dup := f.keys[k.Value]; dup {
			l.fail(k.Line, "%s: field %q given twice (first at line %d)", what, k.Value, prev.Line)
			continue
		}
		f.keys[k.Value] = k
		f.values[k.Value] = v
	}
	return f
}

func (f *fields) get(key string) *yaml.Node { return f.values[key] }

func (f *fields) require(key string) *yaml.Node {
	v := f.values[key]
	if v == nil {
		f.l.fail(f.node.Line, "%s: missing required field %q", f.what, key)
	}
	return v
}

func (f *fields) keyLine(key string) int {
	if k := f.keys[key]; k != nil {
		return k.Line
	}
	return f.node.Line
}

// text reads a string field; required ones must not be blank.
func (f *fields) text(key string, required bool) string {
	var n *yaml.Node
	if required {
		n = f.require(key)
	} else {
		n = f.get(key)
	}
	if n == nil {
		return ""
	}
	s, ok := f.l.str(n, key)
	if ok && required && strings.TrimSpace(s) == "" {
		f.l.fail(n.Line, "%s: field %q must not be empty", f.what, key)
	}
	return strings.TrimSpace(s)
}

// plain rejects anchors' aliases: templates are small enough to spell out,
// and refusing aliases rules out exponential expansion.
func (l *loader) plain(n *yaml.Node, what string) bool {
	if n.Kind == yaml.AliasNode {
		l.fail(n.Line, "%s: YAML aliases are not supported in templates", what)
		return false
	}
	return true
}

func (l *loader) str(n *yaml.Node, what string) (string, bool) {
	if !l.plain(n, what) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		l.fail(n.Line, "%s: expected text, found %s", what, kindName(n))
		return "", false
	}
	if n.Tag == "!!null" {
		return "", true
	}
	return n.Value, true
}

func (l *loader) int(n *yaml.Node, what string) (int, bool) {
	if !l.plain(n, what) {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		l.fail(n.Line, "%s: expected a whole number, found %s", what, describe(n))
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		l.fail(n.Line, "%s: expected a whole number, found %q", what, n.Value)
		return 0, false
	}
	return v, true
}

func (l *loader) bool(n *yaml.Node, what string) (bool, bool) {
	if !l.plain(n, what) {
		return false, false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		l.fail(n.Line, "%s: expected true or false, found %s", what, describe(n))
		return false, false
	}
	var v bool
	if err := n.Decode(&v); err != nil {
		l.fail(n.Line, "%s: expected true or false, found %q", what, n.Value)
		return false, false
	}
	return v, true
}

func (l *loader) sequence(n *yaml.Node, what string) []*yaml.Node {
	if !l.plain(n, what) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.fail(n.Line, "%s: expected a list, found %s", what, kindName(n))
		return nil
	}
	return n.Content
}

// types reads an item's list of component type codes, each once.
func (l *loader) types(n *yaml.Node, item string) []string {
	seq := l.sequence(n, "types")
	if n.Kind == yaml.SequenceNode && len(seq) == 0 {
		l.fail(n.Line, "item %q: types: leave the key out for an item that applies to every type", item)
	}
	var out []string
	for _, e := range seq {
		v, ok := l.str(e, "types")
		if !ok {
			continue
		}
		switch {
		case !slices.Contains(ComponentTypes, v):
			l.fail(e.Line, "item %q: unknown component type %q (want %s)", item, v, strings.Join(ComponentTypes, ", "))
		case slices.Contains(out, v):
			l.fail(e.Line, "item %q: component type %q listed twice", item, v)
		default:
			out = append(out, v)
		}
	}
	return out
}

// levels reads a list of security levels, 1–4, each once, and sorts it.
func (l *loader) levels(n *yaml.Node, what string) []int {
	var out []int
	for _, e := range l.sequence(n, what) {
		v, ok := l.int(e, what)
		if !ok {
			continue
		}
		switch {
		case v < 1 || v > 4:
			l.fail(e.Line, "%s: unknown security level %d (want 1–4)", what, v)
		case slices.Contains(out, v):
			l.fail(e.Line, "%s: level %d listed twice", what, v)
		default:
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return strconv.Quote(n.Value)
	}
	return kindName(n)
}
