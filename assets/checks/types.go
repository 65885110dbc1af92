package checks

import (
	"fmt"
	"strings"
)

// Severity ranks findings. The zero value means "not set" and is invalid on
// a stored finding.
type Severity int

// Severities from least to most serious.
const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

// Severities lists every severity from least to most serious.
var Severities = []Severity{Info, Low, Medium, High, Critical}

var severityNames = [...]string{"", "info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < Info || s > Critical {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// Valid reports whether s is one of the five severities.
func (s Severity) Valid() bool { return s >= Info && s <= Critical }

// ParseSeverity reads a severity name, case-insensitively.
func ParseSeverity(name string) (Severity, error) {
	t := strings.ToLower(strings.TrimSpace(name))
	for _, s := range Severities {
		if severityNames[s] == t {
			return s, nil
		}
	}
	return 0, fmt.Errorf("%w: %q: want info, low, medium, high or critical", ErrBadSeverity, name)
}

// MarshalText stores severities by name, so stored findings stay readable
// and survive a reordering of the constants. An unset severity is written
// as "" rather than failing, so a bad record can still be exported and
// mended; Finding.Validate rejects it before it is stored.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return []byte{}, nil
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads a severity name; "" is the unset severity.
func (s *Severity) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*s = 0
		return nil
	}
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Status is where a finding stands.
type Status string

const (
	// StatusOpen: the weakness exists and nobody has decided about it yet, or
	// the decision was to fix it.
	StatusOpen Status = "open"
	// StatusAccepted: the asset owner accepts the risk; a justification is
	// required.
	StatusAccepted Status = "accepted"
	// StatusClosed: fixed, or no longer raised by the model.
	StatusClosed Status = "closed"
)

// Statuses lists the statuses in workflow order.
var Statuses = []Status{StatusOpen, StatusAccepted, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusOpen || s == StatusAccepted || s == StatusClosed
}

// ParseStatus reads a status name, case-insensitively.
func ParseStatus(name string) (Status, error) {
	s := Status(strings.ToLower(strings.TrimSpace(name)))
	if !s.Valid() {
		return "", fmt.Errorf("%w: %q: want open, accepted or closed", ErrBadStatus, name)
	}
	return s, nil
}

// Source says where a finding came from.
type Source string

const (
	SourceRule      Source = "rule"      // raised by a model check
	SourceChecklist Source = "checklist" // a checklist answer of Not met or Partial
	SourceManual    Source = "manual"    // an observation written by the auditor
)

// Automatic reports whether findings of this source are raised and closed
// by the program rather than by the auditor.
func (s Source) Automatic() bool { return s == SourceRule || s == SourceChecklist }

// Valid reports whether s is a known source.
func (s Source) Valid() bool { return s == SourceRule || s == SourceChecklist || s == SourceManual }
