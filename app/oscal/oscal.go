// Package oscal writes an audit as NIST OSCAL 1.1.3 JSON: Zonewalk's own
// catalog of the checklist requirement IDs and model checks, the
// assessment results (observations from checklist answers, findings,
// risks, the zones, conduits and assets as subjects) and a plan of action
// and milestones for the open and accepted findings.
//
// Output is deterministic: UUIDs are version 5 UUIDs derived from record
// IDs, timestamps come from the audit's data, arrays have a fixed order.
// Two exports of an unchanged audit are byte-identical. docs/oscal.md is
// the mapping.
package oscal

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/atomicfile"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// Model is one of the OSCAL models Zonewalk writes.
type Model string

// The models.
const (
	Catalog           Model = "catalog"
	AssessmentResults Model = "assessment-results"
	POAM              Model = "poam"
)

// Models lists every model, in the order help texts name them.
var Models = []Model{AssessmentResults, POAM, Catalog}

// Version is the OSCAL version written.
const Version = "1.1.3"

// NS is the namespace of the props Zonewalk defines. It is ours: it names
// our vocabulary and is not meant to resolve (.example is reserved, so no
// one else will use it).
const NS = "https://zonewalk.example/ns/oscal"

// Namespace is the namespace of every UUID Zonewalk derives: the v5 UUID
// of NS in RFC 9562's URL namespace.
var Namespace = uuid5(urlNamespace, NS)

// urlNamespace is RFC 9562's namespace for URLs.
var urlNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// ErrNothingOpen says a POA&M cannot be written: OSCAL requires at least
// one item, and no finding is open or accepted.
var ErrNothingOpen = errors.New("no finding is open or accepted: a POA&M needs at least one item")

// ErrModel says the model is not one Zonewalk writes.
var ErrModel = errors.New("unknown OSCAL model")

// Options says what to export.
type Options struct {
	Model Model
	// Date is the day the model checks judge review dates against. Zero:
	// today.
	Date time.Time
	// Version is metadata.version. Empty: "1.0".
	Version string
}

// Result says what an export wrote.
type Result struct {
	Bytes        int
	Controls     int // catalog controls
	Observations int
	Findings     int
	POAMItems    int
	Evidence     int // evidence records listed (as back-matter resources)
}

// uuid5 is the RFC 9562 version 5 UUID of name in namespace ns.
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

func uuidString(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// id is the UUID of a record: kind and stable ID, joined by ':'. Kinds
// are fixed words without ':', so distinct pairs give distinct names.
func id(kind, recordID string) string { return uuidString(uuid5(Namespace, kind+":"+recordID)) }

// UUID is the UUID Zonewalk's OSCAL export gives the record of that kind
// ("zone", "finding", "answer", …) and ID.
func UUID(kind, recordID string) string { return id(kind, recordID) }

// placeholder stands in for the document UUID until the rest of the
// document is hashed; it is no v5 UUID, so no derived one can equal it.
const placeholder = "00000000-0000-0000-0000-000000000000"

// source is what an export reads from the workspace.
type source struct {
	audit     assets.Audit
	zones     []assets.Zone
	conduits  []assets.Conduit
	assets    []*assets.Asset
	answers   []checklist.Answer
	findings  []checks.Finding
	evidence  []assets.Evidence
	templates []*checklist.Template
	sla       map[string]assets.SLVector
	modified  time.Time // the data date
	version   string
}

func read(ctx context.Context, w *app.Workspace, opts Options) (*source, error) {
	day := opts.Date
	if day.IsZero() {
		day = time.Now()
	}
	s := &source{version: strings.TrimSpace(opts.Version)}
	if s.version == "" {
		s.version = "1.0"
	}
	var err error
	// Findings first: bringing them up to date may write, and the data
	// date read below must include that write, or the first export after
	// a change would differ from the second.
	if s.findings, err = w.CurrentFindings(ctx, day); err != nil {
		return nil, fmt.Errorf("oscal: findings: %w", err)
	}
	s.audit, s.zones, s.conduits, s.assets = w.Audit(), w.Zones(), w.Conduits(), w.Assets()
	if s.answers, err = w.Answers(""); err != nil {
		return nil, fmt.Errorf("oscal: checklist answers: %w", err)
	}
	if s.templates, err = w.Templates(); err != nil {
		return nil, fmt.Errorf("oscal: checklist templates: %w", err)
	}
	if s.sla, err = w.AchievedLevels(checklist.IEC62443_3_3_2013); err != nil {
		return nil, fmt.Errorf("oscal: SL-A: %w", err)
	}
	if s.evidence, err = store.All[assets.Evidence](w.Store(), store.KindEvidence); err != nil {
		return nil, fmt.Errorf("oscal: evidence: %w", err)
	}
	if c := w.Store().Clock(); !c.IsZero() {
		s.modified = c.Time()
	} else {
		// A workspace without a single write has no data date.
		s.modified = day
	}
	s.modified = s.modified.UTC().Truncate(time.Second)
	return s, ctx.Err()
}

// Export writes the model of the workspace's audit as OSCAL JSON to out.
func Export(ctx context.Context, w *app.Workspace, out io.Writer, opts Options) (Result, error) {
	var res Result
	switch opts.Model {
	case Catalog, AssessmentResults, POAM:
	default:
		return res, fmt.Errorf("%w %q: want assessment-results, poam or catalog", ErrModel, opts.Model)
	}
	s, err := read(ctx, w, opts)
	if err != nil {
		return res, err
	}
	b, res, err := build(s, opts.Model)
	if err != nil {
		return res, err
	}
	n, err := out.Write(b)
	res.Bytes = n
	return res, err
}

// WriteFile exports to path, replacing it only when the export is
// complete.
func WriteFile(ctx context.Context, w *app.Workspace, path string, opts Options) (Result, error) {
	var res Result
	err := atomicfile.Write(path, fs.FileMode(0o644), func(out io.Writer) error {
		var err error
		res, err = Export(ctx, w, out, opts)
		return err
	})
	return res, err
}

// build makes the document and encodes it.
func build(s *source, model Model) ([]byte, Result, error) {
	var res Result
	cat := newCatalog(s)
	res.Controls = cat.controls
	var doc document
	var docKind string
	switch model {
	case Catalog:
		doc.Catalog, docKind = cat.doc, "catalog"
	case AssessmentResults:
		doc.AssessmentResults, docKind = assessment(s, cat, &res), "assessment-results"
	case POAM:
		p := planOfAction(s, cat, &res)
		if len(p.POAMItems) == 0 {
			return nil, res, ErrNothingOpen
		}
		doc.POAM, docKind = p, "poam"
	}
	b, err := encode(doc)
	if err != nil {
		return nil, res, err
	}
	// The document UUID follows the content: the same for an unchanged
	// audit, a new one for a new revision, as OSCAL asks.
	sum := sha256.Sum256(b)
	u := id(docKind, s.audit.ID+":"+hex.EncodeToString(sum[:]))
	// Same length: overwrite in place rather than copy a large document.
	if i := bytes.Index(b, []byte(placeholder)); i >= 0 {
		copy(b[i:], u)
	}
	return b, res, nil
}

func encode(doc document) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Keep <, > and & readable: the file is read by people too.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("oscal: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// line makes text fit OSCAL's one-line string type (no leading, trailing
// or repeated whitespace, no line breaks).
func line(s string) string { return strings.Join(strings.Fields(s), " ") }

// props builds a prop list, leaving out empty values.
type props []prop

func (p *props) add(name, value string) { p.addClass(name, "", value) }

func (p *props) addClass(name, class, value string) {
	if v := line(value); v != "" {
		*p = append(*p, prop{Name: name, NS: NS, Class: class, Value: v})
	}
}

// nist adds a prop of NIST's core vocabulary (no ns).
func (p *props) nist(name, value string) {
	if v := line(value); v != "" {
		*p = append(*p, prop{Name: name, Value: v})
	}
}

// dateTime writes t as OSCAL date-time: UTC, to the second.
func dateTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// dayTime is a YYYY-MM-DD date at the given clock time, UTC; ok is false
// when the date does not parse.
func dayTime(date string, h, m, sec int) (string, bool) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(date))
	if err != nil {
		return "", false
	}
	return dateTime(d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)), true
}

// firstNonEmpty returns the first argument with text in it.
func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
