package checklist

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/assets"
)

// Status is an auditor's verdict on one item.
type Status string

const (
	StatusMet Status = "met"
	// StatusCompensated: the requirement is not met as written, but
	// countermeasures elsewhere (a firewall in front of a device that
	// cannot authenticate, a jump host, a procedure) give the protection
	// it asks for. The answer names them and says why in its note.
	StatusCompensated Status = "compensated"
	StatusPartial     Status = "partial"
	StatusNotMet      Status = "not-met"
	StatusNA          Status = "na"
	StatusNotAssessed Status = "not-assessed"
)

// Statuses lists every status in the order pickers show them.
var Statuses = []Status{StatusMet, StatusCompensated, StatusPartial, StatusNotMet, StatusNA, StatusNotAssessed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Label is the display name of the status.
func (s Status) Label() string {
	switch s {
	case StatusMet:
		return "Met"
	case StatusCompensated:
		return "Met by compensating countermeasure"
	case StatusPartial:
		return "Partially met"
	case StatusNotMet:
		return "Not met"
	case StatusNA:
		return "Not applicable"
	case StatusNotAssessed:
		return "Not assessed"
	}
	return string(s)
}

// ParseStatus accepts a status code ("not-met") or its label ("Not met").
func ParseStatus(s string) (Status, error) {
	t := strings.TrimSpace(s)
	for _, x := range Statuses {
		if strings.EqualFold(t, string(x)) || strings.EqualFold(t, x.Label()) {
			return x, nil
		}
	}
	return "", fmt.Errorf("status %q: want one of %s", s, statusCodes)
}

const statusCodes = "met, compensated, partial, not-met, na, not-assessed"

// Satisfies reports whether the status counts towards an achieved level:
// Met, Met by compensating countermeasure and Not applicable do; Partially
// met does not.
func (s Status) Satisfies() bool { return s == StatusMet || s == StatusCompensated || s == StatusNA }

// MaxMaturity is the highest maturity level (ML4, Improving) of 2-1:2024.
const MaxMaturity = 4

// Answer is an auditor's answer to one item, per audit for program
// templates and per zone for zone templates.
type Answer struct {
	assets.Meta
	Template string `json:"template"`
	Item     string `json:"item"`
	Zone     string `json:"zone,omitempty"` // zone ID, zone templates only
	// Conduit is set instead of Zone when a zone template's item is
	// answered for a conduit; Component for component (4-2) templates,
	// the capability record assessed.
	Conduit   string `json:"conduit,omitempty"`
	Component string `json:"component,omitempty"`
	// Countermeasures are the IDs of the countermeasures that compensate,
	// for an item met by compensation.
	Countermeasures []string `json:"countermeasures,omitempty"`
	Status          Status   `json:"status"`
	Maturity        int      `json:"maturity,omitempty"` // 1–4 (ML1–ML4), 0 when not rated
	Note            string   `json:"note,omitempty"`
	Evidence        []string `json:"evidence,omitempty"` // evidence record IDs
	AnsweredBy      string   `json:"answered_by,omitempty"`
	AnsweredAt      string   `json:"answered_at,omitempty"` // RFC 3339
	// Carried: taken over from the previous audit by a revisit and not yet
	// confirmed; scores and findings treat the item as not assessed.
	Carried bool `json:"carried,omitempty"`
}

// AnswerID is the record ID of the answer to item of template in scope:
// "" for program templates, the zone ID for a zone, ConduitScope(id) for a
// conduit, ComponentScope(id) for a component. It is derived, not random,
// so that two auditors answering the same item on different laptops write
// the same record and merging settles it by version instead of keeping
// both. Zone and program IDs are what they were before conduits and
// components could be answered, so existing answers keep their IDs.
func AnswerID(template, item, scope string) string {
	h := sha256.New()
	// Length prefixes keep ("a","bc") and ("ab","c") apart.
	for _, s := range []string{template, item, scope} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Scope prefixes. Zone IDs are hex or short words, and Validate refuses a
// zone ID with one of these prefixes, so a conduit's or component's scope
// never equals a zone's.
const (
	conduitPrefix   = "conduit:"
	componentPrefix = "component:"
)

// ConduitScope is the scope AnswerID, ClearAnswer and RestoreAnswer take
// for an answer about a conduit.
func ConduitScope(conduitID string) string { return conduitPrefix + conduitID }

// ComponentScope is the scope for an answer about a component (the
// capability record assessed).
func ComponentScope(componentID string) string { return componentPrefix + componentID }

// Scope is the scope of the answer as AnswerID takes it.
func (a *Answer) Scope() string {
	switch {
	case a.Conduit != "":
		return ConduitScope(a.Conduit)
	case a.Component != "":
		return ComponentScope(a.Component)
	}
	return a.Zone
}

const (
	// maxCountermeasures caps the countermeasures one answer links, like
	// every list of a record (assets.MaxListLen).
	maxCountermeasures = assets.MaxListLen
)

// Validate checks the answer against its template: the item exists; a
// zone, conduit or component is given as the template's kind asks (a zone
// template is answered per zone or per conduit, a component template per
// component, a program template once); the status is known; the maturity
// is in range and allowed; an item met by compensation names at least one
// countermeasure and gives the reason in its note, and only such an item
// names countermeasures. zoneExists may be nil. Errors wrap
// assets.ErrInvalid.
//
// Validate is what every stored answer must pass, including answers
// written by earlier versions and answers merged from bundles. Rules that
// came later and that older answers may break (an N/A needs a reason) are
// checked by ValidateNew, when an answer is written.
func (a *Answer) Validate(t *Template, zoneExists assets.ZoneLookup) error {
	errs := a.check(t, zoneExists)
	if len(errs) == 0 {
		return nil
	}
	return &assets.ValidationError{Fields: errs}
}

// ValidateNew checks an answer that is being written now: everything
// Validate checks, and that an N/A answer says why in its note. Answers
// stored before that rule existed still load, score and merge (Validate);
// the rule applies the next time someone edits them.
func (a *Answer) ValidateNew(t *Template, zoneExists assets.ZoneLookup) error {
	errs := a.check(t, zoneExists)
	if a.Status == StatusNA && strings.TrimSpace(a.Note) == "" {
		errs = append(errs, a.fieldError("note", "", "is required for an item that is Not applicable: say why it does not apply"))
	}
	if len(errs) == 0 {
		return nil
	}
	return &assets.ValidationError{Fields: errs}
}

func (a *Answer) fieldError(field, value, reason string) *assets.FieldError {
	return &assets.FieldError{Record: fmt.Sprintf("answer %s %q", a.Template, a.Item), Field: field, Value: value, Reason: reason}
}

func (a *Answer) check(t *Template, zoneExists assets.ZoneLookup) []*assets.FieldError {
	var errs []*assets.FieldError
	add := func(field, value, reason string) { errs = append(errs, a.fieldError(field, value, reason)) }
	switch {
	case t == nil:
		add("template", a.Template, "is not a known checklist template")
	case a.Template != t.ID:
		add("template", a.Template, "does not match template "+t.ID)
	case t.Item(a.Item) == nil:
		add("item", a.Item, "is not an item of "+t.ID)
	}
	a.checkScope(t, zoneExists, add)
	if !a.Status.Valid() {
		add("status", string(a.Status), "must be "+statusCodes)
	}
	switch {
	case a.Maturity < 0 || a.Maturity > MaxMaturity:
		add("maturity", fmt.Sprint(a.Maturity), "must be 1–4 (0 for not rated)")
	case a.Maturity != 0 && t != nil && !t.Maturity:
		add("maturity", fmt.Sprint(a.Maturity), t.ID+" has no maturity levels")
	case a.Maturity != 0 && (a.Status == StatusNA || a.Status == StatusNotAssessed):
		add("maturity", fmt.Sprint(a.Maturity), "cannot be rated for an item that is "+a.Status.Label())
	}
	if p := assets.TextProblem("answer", "note", a.Note); p != "" {
		add("note", "", p)
	}
	for _, e := range a.Evidence {
		if strings.TrimSpace(e) == "" {
			add("evidence", "", "contains an empty evidence ID")
		}
	}
	a.checkCountermeasures(add)
	if a.ID != "" && t != nil && a.ID != AnswerID(a.Template, a.Item, a.Scope()) {
		add("id", a.ID, "is not the ID derived from template, item and zone, conduit or component")
	}
	return errs
}

// checkScope checks that the answer is about what its template is
// answered for: one zone or conduit (zone templates), one component
// (component templates), or the audit (program templates).
func (a *Answer) checkScope(t *Template, zoneExists assets.ZoneLookup, add func(field, value, reason string)) {
	if strings.HasPrefix(a.Zone, conduitPrefix) || strings.HasPrefix(a.Zone, componentPrefix) {
		// Such a zone's answers would share record IDs with a conduit's.
		add("zone", a.Zone, "is not a zone ID")
	}
	switch {
	case a.Zone != "" && a.Conduit != "":
		add("conduit", a.Conduit, "must be empty when a zone is given: an answer is about one zone or one conduit")
		return
	case (a.Zone != "" || a.Conduit != "") && a.Component != "":
		add("component", a.Component, "must be empty when a zone or conduit is given")
		return
	}
	if t == nil {
		return
	}
	switch t.Kind {
	case KindZone:
		switch {
		case a.Component != "":
			add("component", a.Component, "must be empty: "+t.ID+" is answered per zone or conduit")
		case a.Zone == "" && a.Conduit == "":
			add("zone", "", "is required: "+t.ID+" is answered per zone (or per conduit)")
		case a.Zone != "" && zoneExists != nil && !zoneExists(a.Zone):
			add("zone", a.Zone, "is not a zone of this audit")
		}
	case KindComponent:
		switch {
		case a.Zone != "":
			add("zone", a.Zone, "must be empty: "+t.ID+" is answered per component")
		case a.Conduit != "":
			add("conduit", a.Conduit, "must be empty: "+t.ID+" is answered per component")
		case a.Component == "":
			add("component", "", "is required: "+t.ID+" is answered per component")
		}
	default:
		switch {
		case a.Zone != "":
			add("zone", a.Zone, "must be empty: "+t.ID+" is answered once per audit")
		case a.Conduit != "":
			add("conduit", a.Conduit, "must be empty: "+t.ID+" is answered once per audit")
		case a.Component != "":
			add("component", a.Component, "must be empty: "+t.ID+" is answered once per audit")
		}
	}
}

// checkCountermeasures: an item met by compensation names what compensates
// and why; no other answer names countermeasures, so a link never lingers
// unseen after the verdict changed.
func (a *Answer) checkCountermeasures(add func(field, value, reason string)) {
	if a.Status != StatusCompensated {
		if len(a.Countermeasures) > 0 {
			add("countermeasures", strings.Join(clipList(a.Countermeasures), ","), "are linked only to an item that is "+StatusCompensated.Label()+", not "+a.Status.Label())
		}
		return
	}
	if len(a.Countermeasures) == 0 {
		add("countermeasures", "", "are required: an item "+StatusCompensated.Label()+" names at least one countermeasure")
	}
	if strings.TrimSpace(a.Note) == "" {
		add("note", "", "is required for an item "+StatusCompensated.Label()+": say how the countermeasures give what the requirement asks (the reason)")
	}
	if len(a.Countermeasures) > maxCountermeasures {
		add("countermeasures", "", fmt.Sprintf("are more than %d", maxCountermeasures))
		return
	}
	seen := map[string]bool{}
	for _, id := range a.Countermeasures {
		switch {
		case strings.TrimSpace(id) == "":
			add("countermeasures", "", "contain an empty countermeasure ID")
		case utf8.RuneCountInString(id) > assets.MaxShortText || !utf8.ValidString(id):
			add("countermeasures", "", "contain an ID that is not valid UTF-8 or longer than the limit")
		case seen[id]:
			add("countermeasures", id, "name this countermeasure twice")
		}
		seen[id] = true
	}
}

// clipList shortens a list for an error message.
func clipList(ids []string) []string {
	if len(ids) > 3 {
		return append(slices.Clone(ids[:3]), "…")
	}
	return ids
}

// latest keeps, per item and scope, the newest live answer for template
// t: answers to other templates and tombstones are dropped, and of several
// versions of one record the one with the highest stamp wins.
func latest(t *Template, answers []Answer) map[answerKey]*Answer {
	out := map[answerKey]*Answer{}
	for i := range answers {
		a := &answers[i]
		if a.Template != t.ID {
			continue
		}
		k := a.key()
		if prev, ok := out[k]; ok && prev.Version.Compare(a.Version) >= 0 {
			continue
		}
		out[k] = a
	}
	for k, a := range out {
		if a.Deleted || a.Carried {
			delete(out, k)
		}
	}
	return out
}

// answerKey names what an answer is about: its item and scope. The kind of
// scope is kept apart from the ID (not joined into one string) so no zone
// ID can be read as a conduit's.
type answerKey struct {
	item, scope string
	kind        scopeKind
}

type scopeKind uint8

const (
	scopeZone scopeKind = iota // a zone, or the audit ("") for program templates
	scopeConduit
	scopeComponent
)

func (a *Answer) key() answerKey {
	switch {
	case a.Conduit != "":
		return answerKey{a.Item, a.Conduit, scopeConduit}
	case a.Component != "":
		return answerKey{a.Item, a.Component, scopeComponent}
	}
	return answerKey{a.Item, a.Zone, scopeZone}
}
