package checklist

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/assets"
)

// Status is an auditor's verdict on one item.
type Status string

const (
	StatusMet         Status = "met"
	StatusPartial     Status = "partial"
	StatusNotMet      Status = "not-met"
	StatusNA          Status = "na"
	StatusNotAssessed Status = "not-assessed"
)

// Statuses lists every status in the order pickers show them.
var Statuses = []Status{StatusMet, StatusPartial, StatusNotMet, StatusNA, StatusNotAssessed}

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
	return "", fmt.Errorf("status %q: want one of met, partial, not-met, na, not-assessed", s)
}

// Satisfies reports whether the status counts towards an achieved level:
// only Met and Not applicable do; Partially met does not.
func (s Status) Satisfies() bool { return s == StatusMet || s == StatusNA }

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

// AnswerID is the record ID of the answer to item of template in zone
// ("" for program templates). It is derived, not random, so that two
// auditors answering the same item on different laptops write the same
// record and merging settles it by version instead of keeping both.
func AnswerID(template, item, zone string) string {
	h := sha256.New()
	// Length prefixes keep ("a","bc") and ("ab","c") apart.
	for _, s := range []string{template, item, zone} {
		fmt.Fprintf(h, "%d:%s;", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

const maxNote = 20000

// Validate checks the answer against its template: the item exists, a zone
// is given exactly when the template is answered per zone, the status is
// known and the maturity is in range and allowed. zoneExists may be nil.
// Errors wrap assets.ErrInvalid.
func (a *Answer) Validate(t *Template, zoneExists assets.ZoneLookup) error {
	var errs []*assets.FieldError
	add := func(field, value, reason string) {
		errs = append(errs, &assets.FieldError{
			Record: fmt.Sprintf("answer %s %q", a.Template, a.Item), Field: field, Value: value, Reason: reason,
		})
	}
	switch {
	case t == nil:
		add("template", a.Template, "is not a known checklist template")
	case a.Template != t.ID:
		add("template", a.Template, "does not match template "+t.ID)
	case t.Item(a.Item) == nil:
		add("item", a.Item, "is not an item of "+t.ID)
	}
	if t != nil {
		switch {
		case t.Kind == KindZone && a.Zone == "":
			add("zone", "", "is required: "+t.ID+" is answered per zone")
		case t.Kind != KindZone && a.Zone != "":
			add("zone", a.Zone, "must be empty: "+t.ID+" is answered once per audit")
		case a.Zone != "" && zoneExists != nil && !zoneExists(a.Zone):
			add("zone", a.Zone, "is not a zone of this audit")
		}
	}
	if !a.Status.Valid() {
		add("status", string(a.Status), "must be met, partial, not-met, na or not-assessed")
	}
	switch {
	case a.Maturity < 0 || a.Maturity > MaxMaturity:
		add("maturity", fmt.Sprint(a.Maturity), "must be 1–4 (0 for not rated)")
	case a.Maturity != 0 && t != nil && !t.Maturity:
		add("maturity", fmt.Sprint(a.Maturity), t.ID+" has no maturity levels")
	case a.Maturity != 0 && (a.Status == StatusNA || a.Status == StatusNotAssessed):
		add("maturity", fmt.Sprint(a.Maturity), "cannot be rated for an item that is "+a.Status.Label())
	}
	if !utf8.ValidString(a.Note) {
		add("note", "", "is not valid UTF-8")
	} else if utf8.RuneCountInString(a.Note) > maxNote {
		add("note", "", fmt.Sprintf("is longer than %d characters", maxNote))
	}
	for _, e := range a.Evidence {
		if strings.TrimSpace(e) == "" {
			add("evidence", "", "contains an empty evidence ID")
		}
	}
	if a.ID != "" && t != nil && a.ID != AnswerID(a.Template, a.Item, a.Zone) {
		add("id", a.ID, "is not the ID derived from template, item and zone")
	}
	if len(errs) == 0 {
		return nil
	}
	return &assets.ValidationError{Fields: errs}
}

// latest keeps, per (item, zone), the newest live answer for template t:
// answers to other templates and tombstones are dropped, and of several
// versions of one record the one with the highest stamp wins.
func latest(t *Template, answers []Answer) map[answerKey]*Answer {
	out := map[answerKey]*Answer{}
	for i := range answers {
		a := &answers[i]
		if a.Template != t.ID {
			continue
		}
		k := answerKey{a.Item, a.Zone}
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

type answerKey struct{ item, zone string }
