package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// isOpen: open or accepted. An accepted risk has not gone away.
func isOpen(f *checks.Finding) bool { return f.Status != checks.StatusClosed }

func ruleOf(f *checks.Finding) string {
	switch f.Source {
	case checks.SourceChecklist:
		return strings.TrimSpace(f.Template + " " + f.Item)
	case checks.SourceManual:
		return "manual"
	}
	return f.RuleID
}

// entry describes a finding from its newest copy (after, else before).
func entry(b, a *checks.Finding) Finding {
	f := a
	if f == nil {
		f = b
	}
	e := Finding{ID: f.ID, Source: string(f.Source), Rule: ruleOf(f), SubjectKind: f.Subject.Kind,
		SubjectID: f.Subject.ID, SubjectName: f.SubjectName, Title: f.Title, Severity: f.Severity.String(),
		sev: int(f.Severity)}
	if b != nil {
		e.Before = string(b.Status)
	}
	if a != nil {
		e.After = string(a.Status)
	}
	return e
}

// compareFindings matches findings by ID, which rules derive from rule and
// subject (and checklists from template, item and zone), so the same gap
// has the same ID in both audits.
func compareFindings(before, after *side) FindingChanges {
	out := FindingChanges{New: []Finding{}, Resolved: []Finding{}, StillOpen: []Finding{}}
	byID := make(map[string]*checks.Finding, len(after.findings))
	for i := range after.findings {
		byID[after.findings[i].ID] = &after.findings[i]
	}
	matched := map[string]bool{}
	for i := range before.findings {
		b := &before.findings[i]
		a := byID[b.ID]
		if a == nil {
			a = byID[auditFindingID(b, before.audit.ID, after.audit.ID)]
		}
		if a != nil {
			matched[a.ID] = true
		}
		switch {
		case isOpen(b) && a != nil && isOpen(a):
			out.StillOpen = append(out.StillOpen, entry(b, a))
		case isOpen(b):
			out.Resolved = append(out.Resolved, entry(b, a))
		case a != nil && isOpen(a):
			out.New = append(out.New, entry(b, a)) // closed before, raised again
		}
	}
	for i := range after.findings {
		a := &after.findings[i]
		if !matched[a.ID] && isOpen(a) {
			out.New = append(out.New, entry(nil, a))
		}
	}
	for _, l := range [][]Finding{out.New, out.Resolved, out.StillOpen} {
		slices.SortFunc(l, func(x, y Finding) int {
			return cmp.Or(cmp.Compare(y.sev, x.sev), cmp.Compare(x.Rule, y.Rule),
				compareText(x.SubjectName, y.SubjectName, x.ID, y.ID), cmp.Compare(x.Title, y.Title))
		})
	}
	return out
}

// auditFindingID is the ID a rule finding about the baseline audit has
// when the current audit record has another ID (a revisit may start a new
// audit record): the same rule about the current audit. Findings about
// zones, conduits and assets do not depend on the audit's ID.
func auditFindingID(f *checks.Finding, beforeAudit, afterAudit string) string {
	if f.Source != checks.SourceRule || f.Subject.Kind != "audit" || beforeAudit == afterAudit {
		return ""
	}
	// Rules key audit-level findings by subject alone, except per-tag ones
	// (ZW-ASSET-005), whose key is lost here: those show as resolved and new.
	return checks.RuleFindingID(f.RuleID, assets.Ref{Kind: "audit", ID: afterAudit}, "")
}

func state(a *checklist.Answer) *AnswerState {
	if a == nil {
		return nil
	}
	return &AnswerState{Status: string(a.Status), Maturity: a.Maturity, Note: a.Note}
}

// compareAnswers lists the answers whose status, maturity or note differ,
// and those given or withdrawn. Answer IDs derive from template, item and
// zone ID, so the same question has the same ID in both audits.
func compareAnswers(before, after *side) []AnswerChange {
	out := []AnswerChange{}
	titles := map[[2]string]string{}
	itemTitle := func(template, item string) string {
		k := [2]string{template, item}
		if t, ok := titles[k]; ok {
			return t
		}
		var title string
		for _, s := range []*side{after, before} {
			if t, err := s.w.Template(template); err == nil {
				if it := t.Item(item); it != nil {
					title = it.Title
					break
				}
			}
		}
		titles[k] = title
		return title
	}
	add := func(b, a *checklist.Answer) {
		x := a
		if x == nil {
			x = b
		}
		sb, sa := state(b), state(a)
		if sb != nil && sa != nil && *sb == *sa {
			return
		}
		zone := ""
		if x.Zone != "" {
			zone = after.zoneName(x.Zone)
			if _, ok := after.zones[x.Zone]; !ok {
				zone = before.zoneName(x.Zone)
			}
		}
		out = append(out, AnswerChange{Template: x.Template, Item: x.Item, ItemTitle: itemTitle(x.Template, x.Item),
			ZoneID: x.Zone, Zone: zone, Before: sb, After: sa})
	}
	for id, b := range before.answers {
		if a, ok := after.answers[id]; ok {
			add(&b, &a)
		} else {
			add(&b, nil)
		}
	}
	for id, a := range after.answers {
		if _, ok := before.answers[id]; !ok {
			add(nil, &a)
		}
	}
	slices.SortFunc(out, func(x, y AnswerChange) int {
		return cmp.Or(cmp.Compare(x.Template, y.Template), compareText(x.Zone, y.Zone, x.ZoneID, y.ZoneID),
			checklist.CompareIDs(x.Item, y.Item))
	})
	return out
}
