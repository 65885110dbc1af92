package oscal

import (
	"slices"
	"strings"
	"unicode"

	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// Group IDs of the catalog parts that are not templates.
const (
	rulesGroup   = "zonewalk-rules"
	missingGroup = "zonewalk-missing"
	// manualControl is the control of findings the auditor wrote by hand.
	manualControl = "zw-observation"
)

// catalogIndex is the catalog with the control IDs that targets use.
type catalogIndex struct {
	doc      *catalog
	controls int
	items    map[itemKey]string // checklist item → control ID
	rules    map[string]string  // rule ID → control ID
	used     map[string]bool    // every ID given out, parts included
}

type itemKey struct{ template, item string }

// token turns text into an OSCAL token: lower case; letters, digits, '.'
// and '_' kept; every other run of characters one '-'; a '_' in front
// when the first character is no letter.
func token(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) || r == '.' || r == '_' {
			if sep && b.Len() > 0 {
				b.WriteByte('-')
			}
			sep = false
			b.WriteRune(r)
			continue
		}
		sep = true
	}
	out := b.String()
	if out == "" {
		return "_"
	}
	if r := []rune(out)[0]; !unicode.IsLetter(r) && r != '_' {
		out = "_" + out
	}
	return out
}

// unique gives base, or base-2, base-3, … when base or one of the part IDs
// built on it is taken; it marks what it returns as taken.
func (c *catalogIndex) unique(base string) string {
	taken := func(id string) bool {
		return c.used[id] || c.used[id+"_smt"] || c.used[id+"_obj"] || c.used[id+"_gdn"]
	}
	id := base
	for n := 2; taken(id); n++ {
		id = base + "-" + itoa(n)
	}
	for _, x := range []string{id, id + "_smt", id + "_obj", id + "_gdn"} {
		c.used[x] = true
	}
	return id
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// newControl makes a control with a statement, an objective and guidance
// part, each left out when its text is empty.
func newControl(id, title, label, statement, objective, guidance string) control {
	c := control{ID: id, Title: line(firstNonEmpty(title, label, id))}
	if label != "" {
		c.Props = append(c.Props, prop{Name: "label", Value: line(label)})
	}
	if s := strings.TrimSpace(statement); s != "" {
		c.Parts = append(c.Parts, part{ID: id + "_smt", Name: "statement", Prose: s})
	}
	// Targets point at the objective: it is always there.
	c.Parts = append(c.Parts, part{ID: id + "_obj", Name: "assessment-objective", Prose: strings.TrimSpace(firstNonEmpty(objective, title, label, id))})
	if g := strings.TrimSpace(guidance); g != "" {
		c.Parts = append(c.Parts, part{ID: id + "_gdn", Name: "guidance", Prose: g})
	}
	return c
}

// newCatalog builds the catalog of the workspace: its templates, the
// model checks, and whatever answers and findings name that no longer
// loads, so that every target resolves.
func newCatalog(s *source) *catalogIndex {
	c := &catalogIndex{items: map[itemKey]string{}, rules: map[string]string{}, used: map[string]bool{}}
	var groups []group
	for _, t := range s.templates {
		gid := c.unique(token(t.ID))
		var gp props
		gp.add("template-id", t.ID)
		gp.add("standard", t.Standard)
		gp.add("template-revision", itoa(t.Revision))
		gp.add("template-kind", string(t.Kind))
		g := group{ID: gid, Class: "zonewalk-template", Title: line(firstNonEmpty(t.Title, t.Standard, t.ID)), Props: gp}
		if d := strings.TrimSpace(t.Description); d != "" {
			g.Parts = []part{{Name: "overview", Prose: d}}
		}
		for _, sec := range t.Sections {
			sg := group{Class: "section", Title: line(strings.TrimSpace(sec.ID + " " + sec.Title)), Props: []prop{{Name: "label", Value: line(firstNonEmpty(sec.ID, "-"))}}}
			for _, it := range sec.Items {
				cid := c.unique(gid + "_" + token(it.ID))
				c.items[itemKey{t.ID, it.ID}] = cid
				ctl := newControl(cid, it.Title, it.ID, it.Title, it.Question, it.Guidance)
				if it.Uncertain {
					ctl.Props = append(ctl.Props, prop{Name: "mapping-disputed", NS: NS, Value: "true"})
				}
				if len(it.Levels) > 0 {
					var ls []string
					for _, l := range it.Levels {
						ls = append(ls, itoa(l))
					}
					ctl.Props = append(ctl.Props, prop{Name: "required-at-sl", NS: NS, Value: strings.Join(ls, ",")})
				}
				sg.Controls = append(sg.Controls, ctl)
				c.controls++
			}
			if len(sg.Controls) > 0 {
				g.Groups = append(g.Groups, sg)
			}
		}
		groups = append(groups, g)
	}

	rules := group{ID: c.unique(rulesGroup), Class: "zonewalk-rules", Title: "Zonewalk model checks and auditor's observations"}
	known := map[string]bool{}
	for _, r := range checks.Rules() {
		known[r.ID] = true
		rules.Controls = append(rules.Controls, c.ruleControl(r))
	}
	// A rule no longer in this build may still have findings on record.
	var gone []string
	for _, f := range s.findings {
		if f.RuleID != "" && !known[f.RuleID] {
			known[f.RuleID] = true
			gone = append(gone, f.RuleID)
		}
	}
	slices.Sort(gone)
	for _, r := range gone {
		rules.Controls = append(rules.Controls, c.ruleControl(checks.Rule{ID: r}))
	}
	c.rules[""] = c.unique(manualControl)
	rules.Controls = append(rules.Controls, newControl(c.rules[""], "Auditor's observation", "",
		"A weakness the auditor recorded by hand.", "Findings written by the auditor rather than raised by a model check or a checklist answer.", ""))
	c.controls += len(rules.Controls)
	groups = append(groups, rules)

	// Items of templates that no longer load, or that a template lost.
	var missing []itemKey
	seen := map[itemKey]bool{}
	need := func(k itemKey) {
		if _, ok := c.items[k]; !ok && !seen[k] {
			seen[k] = true
			missing = append(missing, k)
		}
	}
	for _, a := range s.answers {
		need(itemKey{a.Template, a.Item})
	}
	for _, f := range s.findings {
		if f.Source == checks.SourceChecklist {
			need(itemKey{f.Template, f.Item})
		}
	}
	if len(missing) > 0 {
		slices.SortFunc(missing, func(a, b itemKey) int {
			if a.template != b.template {
				return strings.Compare(a.template, b.template)
			}
			return checklist.CompareIDs(a.item, b.item)
		})
		g := group{ID: c.unique(missingGroup), Class: "zonewalk-missing", Title: "Checklist items whose template is not available"}
		for _, k := range missing {
			cid := c.unique(token(k.template) + "_" + token(k.item))
			c.items[k] = cid
			ctl := newControl(cid, k.item, k.item, "", "", "")
			ctl.Props = append(ctl.Props, prop{Name: "template-id", NS: NS, Value: line(firstNonEmpty(k.template, "-"))})
			g.Controls = append(g.Controls, ctl)
		}
		c.controls += len(g.Controls)
		groups = append(groups, g)
	}

	var mp props
	mp.add("catalog-origin", "zonewalk-own-not-official")
	c.doc = &catalog{
		UUID: placeholder,
		Metadata: metadata{
			Title:        "Zonewalk checklist catalog (IEC 62443 requirement IDs with Zonewalk's own titles; not an official IEC catalog)",
			LastModified: dateTime(s.modified),
			Version:      s.version,
			OSCALVersion: Version,
			Props:        mp,
			Remarks: "This catalog is Zonewalk's own. No official OSCAL catalog of IEC 62443 exists. It carries the standards' " +
				"requirement IDs with the titles, questions and guidance of Zonewalk's checklists, written in our own words; " +
				"it contains no text of the IEC standards. It lets every target in Zonewalk's assessment results and POA&M resolve.",
		},
		Groups: groups,
	}
	return c
}

func (c *catalogIndex) ruleControl(r checks.Rule) control {
	cid := c.unique(token(r.ID))
	c.rules[r.ID] = cid
	ctl := newControl(cid, r.Title, r.ID, r.Explanation, r.Title, r.Advice)
	var p props
	if r.Severity.Valid() {
		p.add("severity", r.Severity.String())
	}
	for _, ref := range r.References {
		p.add("reference", ref)
	}
	ctl.Props = append(ctl.Props, p...)
	return ctl
}

// itemControl is the control of a checklist item (always present: newCatalog
// adds the items it could not find).
func (c *catalogIndex) itemControl(template, item string) string {
	return c.items[itemKey{template, item}]
}

// findingControl is the control a finding targets.
func (c *catalogIndex) findingControl(f *checks.Finding) string {
	switch f.Source {
	case checks.SourceChecklist:
		return c.itemControl(f.Template, f.Item)
	case checks.SourceRule:
		if id, ok := c.rules[f.RuleID]; ok {
			return id
		}
	}
	return c.rules[""]
}
