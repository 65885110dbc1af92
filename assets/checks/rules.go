package checks

import (
	"cmp"
	"slices"

	"github.com/zonewalk/zonewalk/assets"
)

// Rule is one model check. Its texts are our own words; References name
// the IEC 62443 requirements it rests on, e.g. "62443-3-2 ZCR 3.3".
type Rule struct {
	ID          string   // stable: findings are keyed by it
	Title       string   // what the rule looks for
	Severity    Severity // usual severity; some findings raise it (see Explanation)
	References  []string
	Explanation string // why it matters
	Advice      string // how to fix it

	check func(ix *index, raise func(issue))
}

// issue is one thing a rule found, before it becomes a Finding.
type issue struct {
	subject     assets.Ref
	subjectName string
	key         string // tells apart several findings of a rule on one subject
	related     []assets.Ref
	covers      []string
	title       string // says exactly what is wrong, with names
	detail      string
	severity    Severity // 0: the rule's
	refs        []string // added to the rule's references
}

// catalogue holds every rule, in report order.
var catalogue = []Rule{
	ruleAuditReview,
	ruleZoneEmpty, ruleZoneNoSLT, ruleZoneNoRationale, ruleZoneNotApproved, ruleZoneStaleApproval,
	ruleZoneSLAGap, ruleZoneSafetyMixed, ruleZoneWirelessMixed, ruleZoneTransientMixed, ruleZoneBusinessControl,
	ruleAssetNoZone, ruleAssetNoFirmware, ruleAssetEOL, ruleAssetNoSLC, ruleAssetDuplicateTag,
	ruleCapBelowTarget, ruleCapUnknown,
	ruleConduitNoControls, ruleConduitNoPolicy, ruleConduitSkipsDMZ, ruleConduitSLGap,
	ruleConduitRemoteAccess, ruleConduitTemporary, ruleConduitUndeclared,
	ruleTrafficUndeclared, ruleTrafficInternet, ruleTrafficOffPolicy, ruleTrafficCleartextAdmin,
	ruleTrafficUnknownHosts, ruleTrafficConduitUnused,
	ruleRiskNoBasis, ruleRiskOverride, ruleRiskUntreated,
}

// Rules returns the catalogue, e.g. for a help page or a report annex.
func Rules() []Rule { return slices.Clone(catalogue) }

// RuleByID finds a rule of the catalogue.
func RuleByID(id string) (Rule, bool) {
	for _, r := range catalogue {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Run applies every rule to the model and returns the findings it raises,
// open, with IDs derived from rule and subject, most severe first. It needs
// m.Today (ErrNoToday).
func Run(m *Model) ([]Finding, error) {
	if m.Today.IsZero() {
		return nil, ErrNoToday
	}
	ix := newIndex(m)
	var out []Finding
	for i := range catalogue {
		r := &catalogue[i]
		r.check(ix, func(is issue) { out = append(out, r.finding(is)) })
	}
	SortFindings(out)
	return out, nil
}

func (r *Rule) finding(is issue) Finding {
	sev := cmp.Or(is.severity, r.Severity)
	refs := r.References
	if len(is.refs) > 0 {
		refs = append(slices.Clip(slices.Clone(refs)), is.refs...)
	}
	return Finding{
		Meta:           assets.Meta{ID: RuleFindingID(r.ID, is.subject, is.key)},
		Source:         SourceRule,
		RuleID:         r.ID,
		Subject:        is.subject,
		SubjectName:    is.subjectName,
		Related:        is.related,
		Covers:         is.covers,
		Title:          is.title,
		Detail:         is.detail,
		Severity:       sev,
		References:     refs,
		Recommendation: r.Advice,
		Status:         StatusOpen,
	}
}

// SortFindings orders findings for lists and reports: open, then
// accepted, then closed; within each most severe first, then by rule,
// subject and title, so output and diffs are stable.
func SortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(slices.Index(Statuses, a.Status), slices.Index(Statuses, b.Status)),
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.SubjectName, b.SubjectName),
			cmp.Compare(a.Title, b.Title),
			cmp.Compare(a.ID, b.ID),
		)
	})
}
