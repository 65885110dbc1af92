package checks

import (
	"fmt"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
)

// Conformance is a checklist answer as far as findings care.
type Conformance string

// Answers that raise a finding are NotMet and Partial; the others do not.
const (
	Met           Conformance = "met"
	NotMet        Conformance = "not-met"
	Partial       Conformance = "partial"
	NotApplicable Conformance = "not-applicable"
	Unanswered    Conformance = ""
)

// ChecklistGap is one checklist answer, in plain terms so this package
// needs nothing from the checklist package.
type ChecklistGap struct {
	TemplateID string
	ItemID     string
	Title      string // the item's question or requirement title
	ZoneID     string // empty for items about the organisation as a whole
	ZoneName   string
	// ConduitID is set instead of ZoneID for a zone checklist's item
	// answered for a conduit.
	ConduitID   string
	ConduitName string
	AuditID     string // subject for organisation-level items
	Status      Conformance
	References  []string // the item's 62443 IDs
	Advice      string   // the item's guidance, if any
	Comment     string   // the auditor's note on the answer
}

// ChecklistFindingID is the ID of the finding a checklist item raises for a
// zone (empty zone: for the organisation).
func ChecklistFindingID(templateID, itemID, zoneID string) string {
	return findingID(string(SourceChecklist), templateID, itemID, zoneID)
}

// FromChecklist turns a Not met or Partial answer into an open finding;
// other answers raise none (false). Not met is medium, Partial low: the
// item's weight in the zone's SL-A is judged by ZW-ZONE-006.
func FromChecklist(g ChecklistGap) (Finding, bool) {
	var sev Severity
	var verdict string
	switch g.Status {
	case NotMet:
		sev, verdict = Medium, "not met"
	case Partial:
		sev, verdict = Low, "partly met"
	default:
		return Finding{}, false
	}
	subject := assets.Ref{Kind: "zone", ID: g.ZoneID}
	name := g.ZoneName
	where := fmt.Sprintf(" in zone %q", g.ZoneName)
	scope := g.ZoneID
	switch {
	case g.ConduitID != "":
		subject = assets.Ref{Kind: "conduit", ID: g.ConduitID}
		name, where = g.ConduitName, fmt.Sprintf(" on conduit %q", g.ConduitName)
		scope = "conduit:" + g.ConduitID // as checklist.ConduitScope, so it never equals a zone's
	case g.ZoneID == "":
		subject = assets.Ref{Kind: "audit", ID: g.AuditID}
		name, where = "audit", ""
	}
	title := strings.TrimSpace(g.ItemID + " " + g.Title)
	detail := fmt.Sprintf("Checklist %s item %s is %s%s.", g.TemplateID, g.ItemID, verdict, where)
	if c := strings.TrimSpace(g.Comment); c != "" {
		detail += " Auditor's note: " + c
	}
	return Finding{
		Meta:           assets.Meta{ID: ChecklistFindingID(g.TemplateID, g.ItemID, scope)},
		Source:         SourceChecklist,
		Template:       g.TemplateID,
		Item:           g.ItemID,
		Subject:        subject,
		SubjectName:    name,
		Title:          fmt.Sprintf("%s: %s%s", capitalise(verdict), title, where),
		Detail:         detail,
		Severity:       sev,
		References:     g.References,
		Recommendation: g.Advice,
		Status:         StatusOpen,
	}, true
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
