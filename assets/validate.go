package assets

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrInvalid is wrapped by every validation error, so callers can tell bad
// input from failures of storage.
var ErrInvalid = errors.New("invalid record")

// FieldError says which field of which record holds which bad value.
type FieldError struct {
	Record string // e.g. `asset "PLC-101"`
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s: %s", e.Record, e.Field, e.Reason)
	}
	return fmt.Sprintf("%s: %s %q: %s", e.Record, e.Field, e.Value, e.Reason)
}

func (e *FieldError) Unwrap() error { return ErrInvalid }

// ValidationError collects every problem found in one record.
type ValidationError struct {
	Fields []*FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// checker accumulates field errors for one record.
type checker struct {
	record string
	errs   []*FieldError
}

func (c *checker) add(field, value, reason string) {
	c.errs = append(c.errs, &FieldError{Record: c.record, Field: field, Value: value, Reason: reason})
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Fields: c.errs}
}

func (c *checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, "", "is required")
	}
}

func (c *checker) text(field, value string, maxLen int) {
	if !utf8.ValidString(value) {
		c.add(field, "", "is not valid UTF-8")
	} else if utf8.RuneCountInString(value) > maxLen {
		c.add(field, value[:min(len(value), 40)]+"…", fmt.Sprintf("is longer than %d characters", maxLen))
	}
}

func (c *checker) date(field, value string) {
	if value == "" {
		return
	}
	if _, err := time.Parse(time.DateOnly, value); err != nil {
		c.add(field, value, "is not a date of the form YYYY-MM-DD")
	}
}

func (c *checker) rating(field string, v int) {
	if v < 0 || v > 5 {
		c.add(field, fmt.Sprint(v), "rating must be 1–5 (0 for not rated)")
	}
}

func (c *checker) sl(field string, v SLVector) {
	for i, l := range v {
		if l < 0 || l > 4 {
			c.add(field+"."+FRs[i].String(), fmt.Sprint(l), "security level must be 1–4 (0 for not set)")
		}
	}
}

const (
	shortText = 200
	longText  = 20000
)

// ZoneLookup answers whether a zone ID exists; validation of assets and
// conduits uses it to catch references to unknown zones.
type ZoneLookup func(id string) bool

// Validate checks the audit description.
func (a *Audit) Validate() error {
	c := checker{record: "audit"}
	c.required("title", a.Title)
	c.text("title", a.Title, shortText)
	c.text("site", a.Site, shortText)
	c.text("owner", a.Owner, shortText)
	c.text("scope", a.Scope, longText)
	c.date("start_date", a.StartDate)
	c.date("end_date", a.EndDate)
	c.date("reviewed_at", a.ReviewedAt)
	if a.StartDate != "" && a.EndDate != "" && a.EndDate < a.StartDate {
		c.add("end_date", a.EndDate, "is before start_date "+a.StartDate)
	}
	return c.err()
}

// Validate checks a zone on its own.
func (z *Zone) Validate() error {
	c := checker{record: fmt.Sprintf("zone %q", z.Name)}
	c.required("name", z.Name)
	c.text("name", z.Name, shortText)
	c.text("description", z.Description, longText)
	for _, p := range z.PurdueLevels {
		if !p.Valid() || p == PurdueUnset {
			c.add("purdue_levels", string(p), "is not a Purdue level (0, 1, 2, 3, 3.5, 4, 5)")
		}
	}
	c.sl("sl_t", z.SLT)
	r := z.Rationale
	c.rating("rationale.safety", r.Safety)
	c.rating("rationale.environment", r.Environment)
	c.rating("rationale.operations", r.Operations)
	c.rating("rationale.finance", r.Finance)
	c.rating("rationale.reputation", r.Reputation)
	c.rating("rationale.likelihood", r.Likelihood)
	c.text("rationale.text", r.Text, longText)
	c.date("rationale.approved_at", r.ApprovedAt)
	return c.err()
}

// Validate checks a conduit and that the zones it joins exist.
func (cd *Conduit) Validate(zoneExists ZoneLookup) error {
	c := checker{record: fmt.Sprintf("conduit %q", cd.Name)}
	c.required("name", cd.Name)
	c.text("name", cd.Name, shortText)
	c.required("from", cd.From)
	if cd.From != "" && zoneExists != nil && !zoneExists(cd.From) {
		c.add("from", cd.From, "is not a zone of this audit")
	}
	if cd.To != "" && zoneExists != nil && !zoneExists(cd.To) {
		c.add("to", cd.To, "is not a zone of this audit")
	}
	if cd.From != "" && cd.From == cd.To {
		c.add("to", cd.To, "is the same zone as from")
	}
	switch cd.Direction {
	case "", Bidirectional, FromToTo, ToToFrom:
	default:
		c.add("direction", string(cd.Direction), "must be both, a-to-b or b-to-a")
	}
	for i, f := range cd.Flows {
		if strings.TrimSpace(f.Protocol) == "" {
			c.add(fmt.Sprintf("flows[%d].protocol", i), "", "is required")
		}
	}
	c.sl("sl_t", cd.SLT)
	c.text("policy", cd.Policy, longText)
	return c.err()
}

// Validate checks an asset and that its zone exists.
func (a *Asset) Validate(zoneExists ZoneLookup) error {
	c := checker{record: fmt.Sprintf("asset %q", a.Title())}
	if strings.TrimSpace(a.Tag) == "" && strings.TrimSpace(a.Name) == "" {
		c.add("tag", "", "tag or name is required")
	}
	c.text("tag", a.Tag, shortText)
	c.text("name", a.Name, shortText)
	if !a.Type.Valid() {
		c.add("type", string(a.Type), "is not a known asset type")
	}
	for _, ip := range a.IPs {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				c.add("ips", ip, "is not an IP address")
			}
		}
	}
	for _, m := range a.MACs {
		if _, err := net.ParseMAC(m); err != nil {
			c.add("macs", m, "is not a MAC address")
		}
	}
	if !a.Purdue.Valid() {
		c.add("purdue", string(a.Purdue), "is not a Purdue level (0, 1, 2, 3, 3.5, 4, 5)")
	}
	if a.Zone != "" && zoneExists != nil && !zoneExists(a.Zone) {
		c.add("zone", a.Zone, "is not a zone of this audit")
	}
	switch a.Criticality {
	case CriticalityUnset, CriticalityLow, CriticalityMed, CriticalityHigh, CriticalityCrit:
	default:
		c.add("criticality", string(a.Criticality), "must be low, medium, high or critical")
	}
	if a.SLC < 0 || a.SLC > 4 {
		c.add("sl_c", fmt.Sprint(a.SLC), "security level must be 1–4 (0 for unknown)")
	}
	c.text("notes", a.Notes, longText)
	return c.err()
}

// Validate checks an evidence record's description.
func (e *Evidence) Validate() error {
	c := checker{record: fmt.Sprintf("evidence %q", e.Name)}
	if len(e.SHA256) != 64 || strings.Trim(e.SHA256, "0123456789abcdef") != "" {
		c.add("sha256", e.SHA256, "is not a lowercase hex SHA-256")
	}
	c.required("owner.kind", e.Owner.Kind)
	c.required("owner.id", e.Owner.ID)
	if e.Size < 0 {
		c.add("size", fmt.Sprint(e.Size), "is negative")
	}
	return c.err()
}

func equalFold(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }
