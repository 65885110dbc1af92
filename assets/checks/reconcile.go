package checks

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/zonewalk/zonewalk/assets/english"
)

// Reconcile merges a fresh run of the automatic checks into the stored
// findings and returns the records to write, in ID order; an unchanged
// rerun returns none.
//
// fresh must hold every automatic finding of this run, from rules and from
// checklist answers alike: an automatic finding missing from it is taken as
// no longer raised. Manual findings are never touched.
//
//   - New findings are added, open.
//   - Findings raised again keep the auditor's status, justification, owner,
//     due date, evidence and notes; their description is refreshed.
//   - A closed finding raised again is reopened.
//   - An accepted finding is reopened when it now covers records the
//     acceptance did not (an asset added to the zone, …) or when its
//     severity rose: the risk accepted is not the risk found.
//   - Findings no longer raised are closed with a resolution saying so,
//     never deleted, so the history stays in the report.
func Reconcile(existing, fresh []Finding) []Finding {
	old := make(map[string]*Finding, len(existing))
	for i := range existing {
		e := &existing[i]
		if !e.Deleted && e.Source.Automatic() {
			old[e.ID] = e
		}
	}
	var out []Finding
	seen := make(map[string]bool, len(fresh))
	for _, f := range fresh {
		if seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		e, ok := old[f.ID]
		if !ok {
			f.Status = StatusOpen
			out = append(out, f)
			continue
		}
		n := *e
		n.Source, n.RuleID, n.Template, n.Item = f.Source, f.RuleID, f.Template, f.Item
		n.Subject, n.SubjectName, n.Related, n.Covers = f.Subject, f.SubjectName, f.Related, f.Covers
		n.Title, n.Detail, n.Severity = f.Title, f.Detail, f.Severity
		n.References, n.Recommendation = f.References, f.Recommendation
		switch n.Status {
		case StatusClosed:
			n.Status, n.Resolution = StatusOpen, ReopenedRaisedAgain
		case StatusAccepted:
			if added := newCovers(e.Covers, f.Covers); added > 0 {
				n.Status = StatusOpen
				n.Resolution = fmt.Sprintf("reopened: now covers %s the acceptance did not", english.Count(added, "record", "records"))
			} else if f.Severity > e.Severity {
				n.Status = StatusOpen
				n.Resolution = fmt.Sprintf("reopened: severity rose from %s to %s after acceptance", e.Severity, f.Severity)
			}
		}
		if !sameFinding(e, &n) {
			out = append(out, n)
		}
	}
	for _, e := range old {
		if seen[e.ID] || e.Status == StatusClosed {
			continue
		}
		n := *e
		n.Status = StatusClosed
		n.Resolution = ResolvedByModel
		if e.Source == SourceChecklist {
			n.Resolution = ResolvedByChecklist
		}
		out = append(out, n)
	}
	slices.SortFunc(out, func(a, b Finding) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// newCovers counts the records in now that were not in before.
func newCovers(before, now []string) int {
	if len(now) == 0 {
		return 0
	}
	had := make(map[string]bool, len(before))
	for _, id := range before {
		had[id] = true
	}
	n := 0
	for _, id := range now {
		if !had[id] {
			n++
		}
	}
	return n
}

// sameFinding compares everything Reconcile may change.
func sameFinding(a, b *Finding) bool {
	return a.Source == b.Source && a.RuleID == b.RuleID && a.Template == b.Template && a.Item == b.Item &&
		a.Subject == b.Subject && a.SubjectName == b.SubjectName &&
		slices.Equal(a.Related, b.Related) && slices.Equal(a.Covers, b.Covers) &&
		a.Title == b.Title && a.Detail == b.Detail && a.Severity == b.Severity &&
		slices.Equal(a.References, b.References) && a.Recommendation == b.Recommendation &&
		a.Status == b.Status && a.Resolution == b.Resolution
}
