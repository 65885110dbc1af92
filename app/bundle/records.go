package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/traffic"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// conflictRecord is the stored form of a conflict: the version of a record
// that lost to a concurrent one, whole, for the auditor to review.
type conflictRecord struct {
	assets.Meta
	RecordKind string          `json:"record_kind"`
	RecordID   string          `json:"record_id"`
	Record     json.RawMessage `json:"record"`
}

// conflictID names the conflict of a record's version the same way on
// every laptop, so replays and either import order give the same records.
func conflictID(kind, id string, v assets.Stamp) string {
	sum := sha256.Sum256([]byte("zonewalk-conflict\x00" + kind + "\x00" + id + "\x00" + v.String()))
	return hex.EncodeToString(sum[:16])
}

func newConflict(kind, id string, v version, deleted bool) ([]byte, assets.Stamp) {
	c := conflictRecord{
		Meta:       assets.Meta{ID: conflictID(kind, id, v.meta.Version), Version: v.meta.Version, Deleted: deleted},
		RecordKind: kind, RecordID: id, Record: v.raw,
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(err) // v.raw was checked to be a JSON object
	}
	return b, c.Version
}

// knownKinds decode into the types their owners read, so a record that
// would later break loading the workspace is refused at import, and check
// a live record's content with the rules the GUI and CSV import apply
// (the record's Validate method). Tombstones are decoded but their content
// is not judged: they only need to travel.
var knownKinds = map[string]func(r *record, raw []byte, live bool) error{
	string(store.KindAudit): func(r *record, raw []byte, live bool) error {
		var a assets.Audit
		return decodeValid(raw, &a, live, a.Validate)
	},
	string(store.KindZone): func(r *record, raw []byte, live bool) error {
		var z assets.Zone
		r.referable = store.KindZone
		return decodeValid(raw, &z, live, z.Validate)
	},
	string(store.KindConduit): func(r *record, raw []byte, live bool) error {
		var cd assets.Conduit
		r.referable = store.KindConduit
		err := decodeValid(raw, &cd, live, func() error { return cd.Validate(nil) })
		if live {
			r.zoneRef("from", cd.From)
			r.zoneRef("to", cd.To)
		}
		return err
	},
	string(store.KindAsset): func(r *record, raw []byte, live bool) error {
		var a assets.Asset
		r.referable = store.KindAsset
		err := decodeValid(raw, &a, live, func() error { return a.Validate(nil) })
		if live {
			r.zoneRef("zone", a.Zone)
		}
		return err
	},
	string(store.KindEvidence): func(r *record, raw []byte, live bool) error {
		var ev assets.Evidence
		if err := decodeValid(raw, &ev, live, ev.Validate); err != nil {
			return err
		}
		sha, err := evidenceSHA(raw) // deleted evidence keeps its blob too
		r.blob = sha
		return err
	},
	string(app.KindAnswer): func(r *record, raw []byte, live bool) error {
		var a checklist.Answer
		// The template is looked up at import (it may be a user template
		// in the workspace); here only what needs none.
		err := decodeValid(raw, &a, live, func() error { return withoutFields(a.Validate(nil, nil), "template") })
		if live {
			r.zoneRef("zone", a.Zone)
			r.answer = &a
		}
		return err
	},
	string(app.KindTemplate): func(r *record, raw []byte, live bool) error {
		var u app.UserTemplate
		if err := json.Unmarshal(raw, &u); err != nil {
			return err
		}
		r.template = &u
		if !live {
			return nil
		}
		return checkTemplate(&u)
	},
	string(app.KindFinding): func(r *record, raw []byte, live bool) error {
		var f checks.Finding
		return decodeValid(raw, &f, live, f.Validate)
	},
	// Format 2: the change log and its checkpoints.
	string(store.KindChange): func(r *record, raw []byte, live bool) error {
		c, err := checkChange(raw, r.meta.Deleted)
		r.change = &c
		return err
	},
	string(store.KindChangeCheckpoint): func(r *record, raw []byte, live bool) error {
		var cp Checkpoint
		if err := json.Unmarshal(raw, &cp); err != nil {
			return err
		}
		if r.meta.Deleted {
			return fmt.Errorf("a checkpoint cannot be deleted")
		}
		return cp.Check()
	},
	// Format 2: the 62443-3-2 and 4-2 records.
	string(app.KindCountermeasure): func(r *record, raw []byte, live bool) error {
		var cm assets.Countermeasure
		err := decodeValid(raw, &cm, live, cm.Validate)
		if live {
			for i, to := range cm.AppliesTo {
				r.refTo(fmt.Sprintf("applies_to[%d]", i), to)
			}
		}
		return err
	},
	string(app.KindRisk): func(r *record, raw []byte, live bool) error {
		var rk assets.Risk
		err := decodeValid(raw, &rk, live, rk.Validate)
		if live {
			r.refTo("scope", rk.Scope)
		}
		return err
	},
	string(app.KindCapability): func(r *record, raw []byte, live bool) error {
		var cp assets.Capability
		err := decodeValid(raw, &cp, live, cp.Validate)
		if live && cp.Asset != "" {
			r.refTo("asset", assets.Ref{Kind: string(store.KindAsset), ID: cp.Asset})
		}
		return err
	},
	// Format 2: observed traffic.
	string(app.KindTrafficSource): func(r *record, raw []byte, live bool) error {
		var s traffic.Source
		return decodeValid(raw, &s, live, s.Validate)
	},
	string(app.KindTrafficHost): func(r *record, raw []byte, live bool) error {
		var h traffic.Host
		return decodeValid(raw, &h, live, h.Validate)
	},
	string(app.KindTrafficFlow): func(r *record, raw []byte, live bool) error {
		var f traffic.Flow
		return decodeValid(raw, &f, live, f.Validate)
	},
	string(app.KindTrafficDecision): func(r *record, raw []byte, live bool) error {
		var d traffic.Decision
		return decodeValid(raw, &d, live, d.Validate)
	},
	// The diagram's pins and notes.
	string(app.KindDiagramPin): func(r *record, raw []byte, live bool) error {
		var p assets.DiagramPin
		err := decodeValid(raw, &p, live, p.Validate)
		if live {
			r.zoneRef("zone", p.Zone)
		}
		return err
	},
	string(app.KindDiagramNote): func(r *record, raw []byte, live bool) error {
		var n assets.DiagramNote
		err := decodeValid(raw, &n, live, n.Validate)
		if live {
			r.refTo("subject", n.Subject)
		}
		return err
	},
}

// checkTemplate applies the rules of adding a user template in the app
// (Workspace.AddTemplate) to one from a bundle: the ID it declares is its
// record's and not a built-in template's, whose answers and scores it
// would otherwise shadow or repeat. A template that does not load here
// (written by a newer Zonewalk) is let through, as Templates leaves it out.
func checkTemplate(u *app.UserTemplate) error {
	t, err := checklist.Load(u.Name, []byte(u.Source))
	if err != nil {
		return nil
	}
	bad := func(reason string) error {
		return &assets.ValidationError{Fields: []*assets.FieldError{{Record: fmt.Sprintf("template %q", u.Name), Field: "source", Value: "id: " + t.ID, Reason: reason}}}
	}
	switch {
	case checklist.BuiltinByID(t.ID) != nil:
		return bad("is the ID of a built-in template")
	case t.ID != u.ID:
		return bad("differs from the record's ID")
	}
	return nil
}

// decodeValid decodes raw into v and, for a live record, validates it.
func decodeValid(raw []byte, v any, live bool, validate func() error) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return err
	}
	if !live {
		return nil
	}
	return validate()
}

// withoutFields drops the named fields' problems from a validation error.
func withoutFields(err error, fields ...string) error {
	var ve *assets.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	keep := slices.DeleteFunc(slices.Clone(ve.Fields), func(f *assets.FieldError) bool { return slices.Contains(fields, f.Field) })
	if len(keep) == 0 {
		return nil
	}
	return &assets.ValidationError{Fields: keep}
}

func evidenceSHA(raw []byte) (string, error) {
	var ev assets.Evidence
	if err := json.Unmarshal(raw, &ev); err != nil {
		return "", err
	}
	if !shaRe.MatchString(ev.SHA256) {
		return "", fmt.Errorf("evidence sha256 %q is not 64 lowercase hex digits", ev.SHA256)
	}
	return ev.SHA256, nil
}

func validStamp(s assets.Stamp) error {
	if s.Wall <= 0 || s.Device == "" || len(s.Device) > 64 || strings.ContainsAny(s.Device, "\x00\n") {
		return fmt.Errorf("invalid version stamp %s", s)
	}
	return nil
}

func validRecordID(id string) error {
	if id == "" || len(id) > 200 || strings.ContainsAny(id, "/\x00") {
		return fmt.Errorf("invalid record ID %q", id)
	}
	return nil
}

// record is one checked record line.
type record struct {
	kind string
	meta assets.Meta
	raw  []byte
	// for conflicts: the version they carry and its target
	target *conflictRecord
	// for evidence, and conflicts embedding evidence: the blob
	blob string
	// newest is the highest stamp the line holds (version and history).
	newest assets.Stamp
	// What the import resolves against the workspace, for live records
	// (and the live record inside a live conflict):
	referable store.Kind        // a zone, conduit or asset (tombstones too): a reference target
	refs      []ref             // the zones, conduits and assets it refers to
	answer    *checklist.Answer // its template is checked at import
	template  *app.UserTemplate // a user template (tombstones too)
	change    *store.Change     // a change-log entry: its chain is checked at import
}

// ref is a record's reference to a zone, conduit or asset, by field.
type ref struct {
	field string
	to    assets.Ref
}

func (r *record) zoneRef(field, zone string) {
	r.refTo(field, assets.Ref{Kind: string(store.KindZone), ID: zone})
}

// refTo notes a reference to a zone, conduit or asset (the audit, or
// another kind, is not looked up).
func (r *record) refTo(field string, to assets.Ref) {
	switch store.Kind(to.Kind) {
	case store.KindZone, store.KindConduit, store.KindAsset:
		if to.ID != "" {
			r.refs = append(r.refs, ref{field, to})
		}
	}
}

// label names the record in messages: kind and ID, and for a conflict the
// record it carries.
func (r *record) label() string {
	if r.target != nil {
		return fmt.Sprintf("conflict %s: %s %s", r.meta.ID, r.target.RecordKind, r.target.RecordID)
	}
	return r.kind + " " + r.meta.ID
}

// parseRecord checks one record line of a kind.
func parseRecord(kind string, line []byte) (record, error) {
	return parseLine(kind, line, true)
}

// parseLine checks one record line; content says whether a live record's
// content is validated (not inside a closed conflict, which is dropped).
func parseLine(kind string, line []byte, content bool) (record, error) {
	r := record{kind: kind, raw: line}
	if len(line) == 0 || line[0] != '{' {
		return r, fmt.Errorf("record is not a JSON object")
	}
	if err := json.Unmarshal(line, &r.meta); err != nil {
		return r, fmt.Errorf("record: %v", err)
	}
	if err := validRecordID(r.meta.ID); err != nil {
		return r, err
	}
	if err := validStamp(r.meta.Version); err != nil {
		return r, fmt.Errorf("%s %s: %v", kind, r.meta.ID, err)
	}
	if len(r.meta.Prev) > assets.MaxHistory {
		return r, fmt.Errorf("%s %s: %d history stamps, at most %d", kind, r.meta.ID, len(r.meta.Prev), assets.MaxHistory)
	}
	r.newest = r.meta.Version
	for _, p := range r.meta.Prev {
		if err := validStamp(p); err != nil {
			return r, fmt.Errorf("%s %s history: %v", kind, r.meta.ID, err)
		}
		if p.Compare(r.newest) > 0 {
			r.newest = p
		}
	}
	live := content && !r.meta.Deleted
	if check, ok := knownKinds[kind]; ok {
		if err := check(&r, line, live); err != nil {
			return r, fmt.Errorf("%s %s: %w", kind, r.meta.ID, err)
		}
	}
	if kind == string(KindConflict) {
		var c conflictRecord
		if err := json.Unmarshal(line, &c); err != nil {
			return r, fmt.Errorf("conflict %s: %v", r.meta.ID, err)
		}
		if !validKindName(c.RecordKind) || c.RecordKind == string(KindConflict) {
			return r, fmt.Errorf("conflict %s: bad record kind %q", r.meta.ID, c.RecordKind)
		}
		// A closed conflict is dropped on import: its version need not pass.
		inner, err := parseLine(c.RecordKind, compact(c.Record), live)
		if err != nil {
			return r, fmt.Errorf("conflict %s: %w", r.meta.ID, err)
		}
		if inner.meta.ID != c.RecordID || inner.meta.Version != r.meta.Version {
			return r, fmt.Errorf("conflict %s: embedded record is %s at %s, conflict names %s at %s",
				r.meta.ID, inner.meta.ID, inner.meta.Version, c.RecordID, r.meta.Version)
		}
		if r.meta.ID != conflictID(c.RecordKind, c.RecordID, r.meta.Version) {
			return r, fmt.Errorf("conflict %s: ID does not match its record and version", r.meta.ID)
		}
		c.Record = inner.raw
		r.target = &c
		r.blob = inner.blob
		if inner.newest.Compare(r.newest) > 0 {
			r.newest = inner.newest
		}
		if !r.meta.Deleted {
			r.referable, r.refs, r.answer, r.template = inner.referable, inner.refs, inner.answer, inner.template
		}
	}
	return r, nil
}

// compact returns raw on one line (records travel one per line). JSON
// strings cannot hold raw line breaks, so only records with insignificant
// line breaks are rewritten.
func compact(raw []byte) []byte {
	if !bytes.ContainsAny(raw, "\r\n") {
		return raw
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
