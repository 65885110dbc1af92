package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/zonewalk/zonewalk/app"
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
// would later break loading the workspace is refused at import.
var knownKinds = map[string]func(raw []byte) error{
	string(store.KindAudit):    decodeAs[assets.Audit],
	string(store.KindZone):     decodeAs[assets.Zone],
	string(store.KindConduit):  decodeAs[assets.Conduit],
	string(store.KindAsset):    decodeAs[assets.Asset],
	string(app.KindAnswer):     decodeAs[checklist.Answer],
	string(app.KindTemplate):   decodeAs[app.UserTemplate],
	string(app.KindFinding):    decodeAs[checks.Finding],
	string(store.KindEvidence): func(raw []byte) error { _, err := evidenceSHA(raw); return err },
}

func decodeAs[T any](raw []byte) error {
	var v T
	return json.Unmarshal(raw, &v)
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
}

// parseRecord checks one record line of a kind.
func parseRecord(kind string, line []byte) (record, error) {
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
	for _, p := range r.meta.Prev {
		if err := validStamp(p); err != nil {
			return r, fmt.Errorf("%s %s history: %v", kind, r.meta.ID, err)
		}
	}
	if dec, ok := knownKinds[kind]; ok {
		if err := dec(line); err != nil {
			return r, fmt.Errorf("%s %s: %v", kind, r.meta.ID, err)
		}
	}
	switch kind {
	case string(store.KindEvidence):
		r.blob, _ = evidenceSHA(line)
	case string(KindConflict):
		var c conflictRecord
		if err := json.Unmarshal(line, &c); err != nil {
			return r, fmt.Errorf("conflict %s: %v", r.meta.ID, err)
		}
		if !validKindName(c.RecordKind) || c.RecordKind == string(KindConflict) {
			return r, fmt.Errorf("conflict %s: bad record kind %q", r.meta.ID, c.RecordKind)
		}
		inner, err := parseRecord(c.RecordKind, compact(c.Record))
		if err != nil {
			return r, fmt.Errorf("conflict %s: %v", r.meta.ID, err)
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
