package assets

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
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

// Limits on every text field of every record, shared by the GUI (which caps
// its entries with MaxLen), CSV import and bundle merge. With them the
// largest possible record stays far below the 1 MiB a store or bundle
// record may take, so one bad value cannot stop an audit from syncing.
const (
	MaxShortText = 200    // characters in a one-line field: names, tags, vendor, IDs, …
	MaxLongText  = 20_000 // characters in a multi-line field: notes, descriptions, scope, policy, rationale
	MaxListLen   = 64     // entries in a list: IPs, MACs, flows, controls, auditors, standards, Purdue levels
)

// multiline names, as kind.field, the fields that may span lines: they may
// hold line breaks (LF or CRLF) and tabs and take MaxLongText characters.
var multiline = map[string]bool{
	"audit.scope": true, "zone.description": true, "zone.rationale.text": true,
	"conduit.policy": true, "asset.notes": true,
	"countermeasure.description": true, "risk.description": true, "zone.sl_t_basis.reason": true,
	"capability.notes": true, "answer.note": true,

	"finding.detail": true, "finding.recommendation": true, "finding.notes": true, "finding.justification": true, "finding.resolution": true,
}

// longer lets a few one-line fields exceed MaxShortText.
var longer = map[string]int{
	"evidence.name": 255, // file names as file systems allow them
}

// MaxLen is how many characters (not bytes) a text field may hold. kind is
// the record kind ("audit", "zone", "conduit", "asset", "evidence"), field
// is named as validation errors name it, e.g. "vendor", "rationale.text",
// "location.room", "flows[0].ports"; for a list ("ips", "auditors",
// "controls") it is the limit of one entry.
func MaxLen(kind, field string) int {
	key := kind + "." + stripIndex(field)
	if multiline[key] {
		return MaxLongText
	}
	if n, ok := longer[key]; ok {
		return n
	}
	return MaxShortText
}

// Multiline reports whether a field (named as for MaxLen) may hold line
// breaks and tabs. Every other text field refuses all control characters.
func Multiline(kind, field string) bool { return multiline[kind+"."+stripIndex(field)] }

// stripIndex turns "flows[3].ports" into "flows.ports".
func stripIndex(field string) string {
	for {
		i := strings.IndexByte(field, '[')
		j := strings.IndexByte(field, ']')
		if i < 0 || j < i {
			return field
		}
		field = field[:i] + field[j+1:]
	}
}

// TextProblem says what is wrong with a value for a field of a record kind
// (named as for MaxLen): invalid UTF-8, a control character (with its
// position) or too many characters. It returns "" for a good value.
func TextProblem(kind, field, value string) string {
	if !utf8.ValidString(value) {
		return "is not valid UTF-8 (save the file as UTF-8)"
	}
	ml := Multiline(kind, field)
	n := 0
	for i, r := range value {
		n++
		if isControl(r) && !(ml && (r == '\n' || r == '\t' || r == '\r' && strings.HasPrefix(value[i+1:], "\n"))) {
			if ml {
				return fmt.Sprintf("contains control character %U at character %d (only line breaks and tabs are allowed)", r, n)
			}
			return fmt.Sprintf("contains control character %U at character %d (one line of text only)", r, n)
		}
	}
	if max := MaxLen(kind, field); n > max {
		return fmt.Sprintf("is longer than %d characters (%d)", max, n)
	}
	return ""
}

// isControl reports C0 and C1 control characters and DEL: invisible in
// the GUI and the report, and a way to smuggle text past a reader.
func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }

// checker accumulates field errors for one record.
type checker struct {
	kind   string // as for MaxLen
	record string
	errs   []*FieldError
}

func (c *checker) add(field, value, reason string) {
	c.errs = append(c.errs, &FieldError{Record: c.record, Field: field, Value: clip(value), Reason: reason})
}

// clip shortens a value quoted in an error, which may be megabytes long.
func clip(v string) string {
	const max = 40
	if len(v) <= max {
		return v
	}
	n := 0
	for i := range v {
		if n == max {
			return v[:i] + "…"
		}
		n++
	}
	return v
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

// text checks encoding, control characters and length of a text field.
func (c *checker) text(field, value string) {
	if p := TextProblem(c.kind, field, value); p != "" {
		c.add(field, "", p)
	}
}

// list bounds the number of entries of a list field.
func (c *checker) list(field string, n int) {
	if n > MaxListLen {
		c.add(field, "", fmt.Sprintf("has %d entries, at most %d are allowed", n, MaxListLen))
	}
}

// texts checks a list of text entries: their number and each entry.
func (c *checker) texts(field string, values []string) {
	c.list(field, len(values))
	for _, v := range values {
		if p := TextProblem(c.kind, field, v); p != "" {
			c.add(field, "", fmt.Sprintf("entry %s %s", quoteEntry(v), p))
			return // one is enough to say what is wrong
		}
	}
}

func quoteEntry(v string) string {
	if !utf8.ValidString(v) {
		return fmt.Sprintf("%+q", clip(v))
	}
	return fmt.Sprintf("%q", clip(v))
}

// meta checks the bookkeeping strings every record carries.
func (c *checker) meta(m *Meta) {
	c.text("id", m.ID)
	c.text("changed_by", m.ChangedBy)
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

// ZoneLookup answers whether a zone ID exists; validation of assets and
// conduits uses it to catch references to unknown zones.
type ZoneLookup func(id string) bool

// Validate checks the audit description.
func (a *Audit) Validate() error {
	c := checker{kind: "audit", record: "audit"}
	c.meta(&a.Meta)
	c.required("title", a.Title)
	c.text("title", a.Title)
	c.text("site", a.Site)
	c.text("owner", a.Owner)
	c.text("location", a.Location)
	c.texts("auditors", a.Auditors)
	c.text("scope", a.Scope)
	c.texts("standards", a.Standards)
	c.text("classification", a.Classification)
	c.date("start_date", a.StartDate)
	c.date("end_date", a.EndDate)
	c.date("reviewed_at", a.ReviewedAt)
	if a.StartDate != "" && a.EndDate != "" && a.EndDate < a.StartDate {
		c.add("end_date", a.EndDate, "is before start_date "+a.StartDate)
	}
	if a.RiskMatrix != nil {
		var v *ValidationError
		if err := a.RiskMatrix.Validate(); errors.As(err, &v) {
			c.errs = append(c.errs, v.Fields...)
		}
	}
	c.texts("conduit_srs", a.ConduitSRs)
	return c.err()
}

// Validate checks a zone on its own.
func (z *Zone) Validate() error {
	c := checker{kind: "zone", record: fmt.Sprintf("zone %q", clip(z.Name))}
	c.meta(&z.Meta)
	c.required("name", z.Name)
	c.text("name", z.Name)
	c.text("description", z.Description)
	c.list("purdue_levels", len(z.PurdueLevels))
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
	c.text("rationale.tolerable_risk", r.TolerableRisk)
	c.text("rationale.text", r.Text)
	c.text("rationale.approved_by", r.ApprovedBy)
	c.date("rationale.approved_at", r.ApprovedAt)
	if err := z.ValidateBasis(); err != nil {
		var v *ValidationError
		if errors.As(err, &v) {
			c.errs = append(c.errs, v.Fields...)
		}
	}
	return c.err()
}

// Validate checks a conduit and that the zones it joins exist.
func (cd *Conduit) Validate(zoneExists ZoneLookup) error {
	c := checker{kind: "conduit", record: fmt.Sprintf("conduit %q", clip(cd.Name))}
	c.meta(&cd.Meta)
	c.required("name", cd.Name)
	c.text("name", cd.Name)
	c.required("from", cd.From)
	c.text("from", cd.From)
	c.text("to", cd.To)
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
	c.list("flows", len(cd.Flows))
	for i, f := range cd.Flows {
		field := fmt.Sprintf("flows[%d].protocol", i)
		c.required(field, f.Protocol)
		c.text(field, f.Protocol)
		c.text(fmt.Sprintf("flows[%d].ports", i), f.Ports)
	}
	c.list("controls", len(cd.Controls))
	for _, ctl := range cd.Controls {
		if strings.TrimSpace(string(ctl)) == "" {
			c.add("controls", "", "has an empty entry")
			break
		}
	}
	for _, ctl := range cd.Controls {
		if p := TextProblem(c.kind, "controls", string(ctl)); p != "" {
			c.add("controls", "", fmt.Sprintf("entry %s %s", quoteEntry(string(ctl)), p))
			break
		}
	}
	c.sl("sl_t", cd.SLT)
	c.text("policy", cd.Policy)
	return c.err()
}

// Validate checks an asset and that its zone exists.
func (a *Asset) Validate(zoneExists ZoneLookup) error {
	c := checker{kind: "asset", record: fmt.Sprintf("asset %q", clip(a.Title()))}
	c.meta(&a.Meta)
	if strings.TrimSpace(a.Tag) == "" && strings.TrimSpace(a.Name) == "" {
		c.add("tag", "", "tag or name is required")
	}
	c.text("tag", a.Tag)
	c.text("name", a.Name)
	if !a.Type.Valid() {
		c.add("type", string(a.Type), "is not a known asset type")
	}
	c.text("vendor", a.Vendor)
	c.text("model", a.Model)
	c.text("firmware", a.Firmware)
	c.text("serial", a.Serial)
	c.list("ips", len(a.IPs))
	for _, ip := range a.IPs {
		if net.ParseIP(ip) == nil {
			if _, _, err := net.ParseCIDR(ip); err != nil {
				c.add("ips", ip, "is not an IP address")
			}
		}
	}
	c.list("macs", len(a.MACs))
	for _, m := range a.MACs {
		if _, err := net.ParseMAC(m); err != nil {
			c.add("macs", m, "is not a MAC address")
		}
	}
	if !a.Purdue.Valid() {
		c.add("purdue", string(a.Purdue), "is not a Purdue level (0, 1, 2, 3, 3.5, 4, 5)")
	}
	c.text("zone", a.Zone)
	if a.Zone != "" && zoneExists != nil && !zoneExists(a.Zone) {
		c.add("zone", a.Zone, "is not a zone of this audit")
	}
	switch a.Criticality {
	case CriticalityUnset, CriticalityLow, CriticalityMed, CriticalityHigh, CriticalityCrit:
	default:
		c.add("criticality", string(a.Criticality), "must be low, medium, high or critical")
	}
	c.text("location.building", a.Location.Building)
	c.text("location.room", a.Location.Room)
	c.text("location.cabinet", a.Location.Cabinet)
	c.text("owner", a.Owner)
	if a.SLC < 0 || a.SLC > 4 {
		c.add("sl_c", fmt.Sprint(a.SLC), "security level must be 1–4 (0 for unknown)")
	}
	c.text("certificate", a.Certificate)
	c.text("notes", a.Notes)
	return c.err()
}

// Validate checks an evidence record's description.
func (e *Evidence) Validate() error {
	c := checker{kind: "evidence", record: fmt.Sprintf("evidence %q", clip(e.Name))}
	c.meta(&e.Meta)
	if len(e.SHA256) != 64 || strings.Trim(e.SHA256, "0123456789abcdef") != "" {
		c.add("sha256", e.SHA256, "is not a lowercase hex SHA-256")
	}
	c.text("name", e.Name)
	c.text("media_type", e.MediaType)
	c.required("owner.kind", e.Owner.Kind)
	c.text("owner.kind", e.Owner.Kind)
	c.required("owner.id", e.Owner.ID)
	c.text("owner.id", e.Owner.ID)
	if e.Size < 0 {
		c.add("size", fmt.Sprint(e.Size), "is negative")
	}
	c.text("caption", e.Caption)
	c.text("taken_at", e.TakenAt)
	return c.err()
}

func equalFold(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }

// CompareAddress orders addresses as people read them: IP addresses
// numerically (IPv4 before IPv6), then anything else (MACs) as text.
func CompareAddress(x, y string) int {
	a, errA := netip.ParseAddr(x)
	b, errB := netip.ParseAddr(y)
	switch {
	case errA == nil && errB == nil:
		return a.Compare(b)
	case errA == nil:
		return -1
	case errB == nil:
		return 1
	}
	return strings.Compare(x, y)
}
