package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// Kind is the store kind of finding records.
const Kind = "finding"

// Finding is one weakness: raised by a rule, by a checklist answer, or
// written by the auditor.
//
// The fields up to Recommendation describe the weakness; for automatic
// findings the program rewrites them on every run. The fields from Status
// on belong to the auditor and survive reruns.
type Finding struct {
	assets.Meta
	Source      Source       `json:"source"`
	RuleID      string       `json:"rule_id,omitempty"`  // model rule, e.g. "ZW-ZONE-002"
	Template    string       `json:"template,omitempty"` // checklist template ID
	Item        string       `json:"item,omitempty"`     // checklist item ID
	Subject     assets.Ref   `json:"subject"`            // the record to change to fix it
	SubjectName string       `json:"subject_name,omitempty"`
	Related     []assets.Ref `json:"related,omitempty"` // e.g. the other zone of a pair
	// Covers lists the IDs of the records an aggregated finding speaks for
	// (the assets without firmware in a zone, …). Accepting the finding
	// accepts these and no others: a new one reopens it.
	Covers         []string `json:"covers,omitempty"`
	Title          string   `json:"title"`
	Detail         string   `json:"detail,omitempty"`
	Severity       Severity `json:"severity"`
	References     []string `json:"references,omitempty"` // e.g. "62443-3-3 SR 1.13"
	Recommendation string   `json:"recommendation,omitempty"`

	Status        Status   `json:"status"`
	Justification string   `json:"justification,omitempty"` // why the risk is accepted
	Resolution    string   `json:"resolution,omitempty"`    // why it was closed or reopened
	Owner         string   `json:"owner,omitempty"`
	Due           string   `json:"due,omitempty"` // YYYY-MM-DD
	Evidence      []string `json:"evidence,omitempty"`
	Notes         string   `json:"notes,omitempty"`
}

// Texts the program writes into Resolution.
const (
	ResolvedByModel     = "resolved by model change"
	ResolvedByChecklist = "resolved by checklist answer change"
	ReopenedRaisedAgain = "reopened: raised again after it was closed"
)

// findingID derives the ID of an automatic finding from what it is about,
// so that reruns meet the same record. The parts are joined with NUL, which
// no ID or name part contains, so distinct inputs give distinct texts.
func findingID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// RuleFindingID is the ID of the finding rule ruleID raises about subject;
// key tells apart several findings of one rule on one subject (the other
// zone of a pair) and is empty otherwise.
func RuleFindingID(ruleID string, subject assets.Ref, key string) string {
	return findingID(string(SourceRule), ruleID, subject.Kind, subject.ID, key)
}

// Validate checks a finding before it is stored.
func (f *Finding) Validate() error {
	var errs []*assets.FieldError
	add := func(field, value, reason string) {
		errs = append(errs, &assets.FieldError{Record: f.label(), Field: field, Value: value, Reason: reason})
	}
	if !f.Source.Valid() {
		add("source", string(f.Source), "must be rule, checklist or manual")
	}
	if f.Source == SourceRule && f.RuleID == "" {
		add("rule_id", "", "is required for a rule finding")
	}
	if f.Source == SourceChecklist && (f.Template == "" || f.Item == "") {
		add("item", f.Item, "template and item are required for a checklist finding")
	}
	if strings.TrimSpace(f.Title) == "" {
		add("title", "", "is required")
	}
	if !f.Severity.Valid() {
		add("severity", fmt.Sprint(int(f.Severity)), "must be info, low, medium, high or critical")
	}
	if !f.Status.Valid() {
		add("status", string(f.Status), "must be open, accepted or closed")
	}
	if f.Status == StatusAccepted && strings.TrimSpace(f.Justification) == "" {
		add("justification", "", "is required when the risk is accepted")
	}
	if f.Due != "" {
		if _, err := time.Parse(time.DateOnly, f.Due); err != nil {
			add("due", f.Due, "is not a date of the form YYYY-MM-DD")
		}
	}
	// What people write, in the GUI or in a bundle, takes the limits of
	// every other text field. What the rules generate is built from names
	// that passed them, and may list many.
	text := func(field string, values ...string) {
		for _, v := range values {
			if p := assets.TextProblem(Kind, field, v); p != "" {
				add(field, "", p)
				return
			}
		}
	}
	text("owner", f.Owner)
	text("notes", f.Notes)
	text("justification", f.Justification)
	text("resolution", f.Resolution)
	text("evidence", f.Evidence...)
	if f.Source == SourceManual {
		text("title", f.Title)
		text("detail", f.Detail)
		text("recommendation", f.Recommendation)
		if len(f.References) > assets.MaxListLen {
			add("references", "", fmt.Sprintf("has %d entries, at most %d are allowed", len(f.References), assets.MaxListLen))
		}
		text("references", f.References...)
	}
	if len(errs) == 0 {
		return nil
	}
	return &assets.ValidationError{Fields: errs}
}

func (f *Finding) label() string {
	if f.Title != "" {
		return fmt.Sprintf("finding %q", f.Title)
	}
	return fmt.Sprintf("finding %s", f.ID)
}

// SetStatus moves the finding to status s. Accepting requires a
// justification (ErrJustificationRequired); the justification is kept when
// the finding later moves on, as a record of the decision.
func (f *Finding) SetStatus(s Status, justification string) error {
	if !s.Valid() {
		return fmt.Errorf("%w: %q", ErrBadStatus, s)
	}
	justification = strings.TrimSpace(justification)
	if s == StatusAccepted && justification == "" {
		return fmt.Errorf("%s: %w", f.label(), ErrJustificationRequired)
	}
	if justification != "" {
		f.Justification = justification
	}
	if s != f.Status {
		f.Resolution = ""
	}
	f.Status = s
	return nil
}

// Observation is what the auditor writes down for a manual finding.
type Observation struct {
	Subject        assets.Ref // may be the audit itself
	SubjectName    string
	Title          string
	Detail         string
	Severity       Severity
	References     []string
	Recommendation string
	Owner          string
	Due            string
}

// NewObservation makes an open manual finding with a fresh random ID, or
// says what is wrong with the observation.
func NewObservation(o Observation) (Finding, error) {
	f := Finding{
		Meta:           assets.Meta{ID: assets.NewID()},
		Source:         SourceManual,
		Subject:        o.Subject,
		SubjectName:    o.SubjectName,
		Title:          strings.TrimSpace(o.Title),
		Detail:         o.Detail,
		Severity:       o.Severity,
		References:     o.References,
		Recommendation: o.Recommendation,
		Status:         StatusOpen,
		Owner:          o.Owner,
		Due:            o.Due,
	}
	if err := f.Validate(); err != nil {
		return Finding{}, err
	}
	return f, nil
}
