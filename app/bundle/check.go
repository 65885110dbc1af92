package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// contents is what checking a bundle's archive found, all of it verified.
type contents struct {
	header   Header
	manifest Manifest
	records  map[string]int
	blobs    int
	versions *StampRange
	// manifestSHA lets the apply pass see the same manifest.
	manifestSHA string
	// newest is the record holding the highest stamp (version or history).
	newest *stampAt
	// What the import resolves against the workspace: the zones, conduits,
	// assets and user templates the bundle holds (tombstones too), and the
	// live records that refer to them.
	referable map[assets.Ref]bool
	templates map[string]*app.UserTemplate
	refs      []pendingRef
	// changes are the change-log entries by device, checked against the
	// workspace's chains at import.
	changes map[string][]changeLine
}

// stampAt is a stamp and the record line holding it.
type stampAt struct {
	member string
	line   int
	label  string
	stamp  assets.Stamp
}

// pendingRef is a record line whose references are resolved at import.
type pendingRef struct {
	member string
	line   int
	label  string
	refs   []ref
	answer *checklist.Answer
}

// hashingReader hashes what is read through it.
type hashingReader struct {
	r io.Reader
	h hash.Hash
	n int64
}

func newHashing(r io.Reader) *hashingReader { return &hashingReader{r: r, h: sha256.New()} }

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	return n, err
}

func (h *hashingReader) sum() string { return hex.EncodeToString(h.h.Sum(nil)) }

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func sameStamp(a, b *assets.Stamp) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// checkArchive reads a whole decrypted archive and checks every member,
// hash and record without writing anything. signer, when set, is the key
// the signature was checked with; the header must name it.
func checkArchive(ctx context.Context, r io.Reader, signer *pubKey) (*contents, error) {
	a := newArchive(r)
	c := &contents{records: map[string]int{}, referable: map[assets.Ref]bool{}, templates: map[string]*app.UserTemplate{},
		changes: map[string][]changeLine{}}
	var members []Member
	keys := map[string]struct{}{} // kind\x00id of every record
	blobs := map[string]bool{}    // blob members → referenced
	var recordBytes int64
	var haveHeader bool
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, err := a.next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		switch e.class {
		case classHeader:
			b, err := readAll(e)
			if err != nil {
				return nil, err
			}
			if c.header, err = parseHeader(b, signer); err != nil {
				return nil, err
			}
			haveHeader = true
			members = append(members, Member{Name: e.name, Size: int64(len(b)), SHA256: sha256Hex(b)})
		case classBlob:
			hr := newHashing(e.r)
			if _, err := io.Copy(io.Discard, hr); err != nil {
				return nil, wrapRead(e.name, err)
			}
			if hr.sum() != e.sha {
				return nil, malformed(e.name, 0, "content does not match its SHA-256 name")
			}
			blobs[e.sha] = false
			c.blobs++
			members = append(members, Member{Name: e.name, Size: hr.n, SHA256: e.sha})
		case classRecords:
			hr := newHashing(e.r)
			lr := newLineReader(&entry{name: e.name, r: hr})
			n := 0
			for {
				line, err := lr.next()
				if err != nil {
					return nil, err
				}
				if line == nil {
					break
				}
				n++
				recordBytes += int64(len(line)) + 1
				if recordBytes > maxRecordsTotal {
					return nil, tooLarge(e.name, "records exceed %d MiB in all", maxRecordsTotal>>20)
				}
				rec, err := parseRecord(e.kind, line)
				if err != nil {
					return nil, &MemberError{Member: e.name, Line: lr.line, Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
				}
				k := e.kind + "\x00" + rec.meta.ID
				if _, dup := keys[k]; dup {
					return nil, malformed(e.name, lr.line, "%s %s appears twice", e.kind, rec.meta.ID)
				}
				keys[k] = struct{}{}
				if err := c.checkAudit(&rec); err != nil {
					return nil, &MemberError{Member: e.name, Line: lr.line, Err: err}
				}
				c.note(e.name, lr.line, &rec)
				if rec.blob != "" {
					if _, ok := blobs[rec.blob]; !ok {
						return nil, malformed(e.name, lr.line, "evidence %s needs blob %s, which is not in the bundle", rec.meta.ID, rec.blob)
					}
					blobs[rec.blob] = true
				}
				c.records[e.kind]++
				c.versions = c.versions.add(rec.meta.Version)
			}
			if n == 0 {
				return nil, malformed(e.name, 0, "records member holds no records")
			}
			members = append(members, Member{Name: e.name, Size: hr.n, SHA256: hr.sum()})
		case classManifest:
			b, err := readAll(e)
			if err != nil {
				return nil, err
			}
			if err := json.Unmarshal(b, &c.manifest); err != nil {
				return nil, malformed(e.name, 0, "%v", err)
			}
			c.manifestSHA = sha256Hex(b)
		}
	}
	if !haveHeader {
		return nil, malformed("", 0, "no %s", headerName)
	}
	for sha, used := range blobs {
		if !used {
			return nil, malformed(blobName(sha), 0, "blob is not referenced by any evidence record")
		}
	}
	if err := c.checkManifest(members); err != nil {
		return nil, err
	}
	return c, nil
}

// checkAudit refuses a record that would replace the bundle's audit
// record by another audit or by a tombstone: a workspace without a live
// audit record can neither import nor export again.
func (c *contents) checkAudit(r *record) error {
	id, deleted := r.meta.ID, r.meta.Deleted
	if r.target != nil {
		if r.meta.Deleted || r.target.RecordKind != string(store.KindAudit) {
			return nil // a closed conflict is dropped on import
		}
		m, err := decodeMeta(r.target.Record)
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrMalformed, r.label(), err)
		}
		id, deleted = m.ID, m.Deleted
	} else if r.kind != string(store.KindAudit) {
		return nil
	}
	switch {
	case id != c.header.AuditID:
		return fmt.Errorf("%w: %s: audit record %s is not the bundle's audit %s", ErrMalformed, r.label(), id, c.header.AuditID)
	case deleted:
		return fmt.Errorf("%w: %s: deletes the audit record; a bundle may not delete the audit (the workspace could not import or export again)", ErrMalformed, r.label())
	}
	return nil
}

// note keeps what the import checks later of a record line: its newest
// stamp, the zone or template it is, and what it refers to.
func (c *contents) note(member string, line int, r *record) {
	if c.newest == nil || r.newest.Compare(c.newest.stamp) > 0 {
		c.newest = &stampAt{member: member, line: line, label: r.label(), stamp: r.newest}
	}
	id := r.meta.ID
	if r.target != nil {
		id = r.target.RecordID
	}
	if r.referable != "" {
		c.referable[assets.Ref{Kind: string(r.referable), ID: id}] = true
	}
	if r.template != nil {
		c.templates[id] = r.template
	}
	if len(r.refs) > 0 || r.answer != nil {
		c.refs = append(c.refs, pendingRef{member: member, line: line, label: r.label(), refs: r.refs, answer: r.answer})
	}
	if r.change != nil {
		ch := r.change
		c.changes[ch.Device] = append(c.changes[ch.Device], changeLine{member: member, line: line, id: ch.ID, seq: ch.Seq,
			prev: ch.PrevHash, hash: store.HashEntry(r.raw)})
	}
}

// DefaultMaxClockOffset is how far ahead of the importing laptop's clock a
// record's stamp may be, unless the import says otherwise: a day covers
// any honest clock error and time zone mix-up.
const DefaultMaxClockOffset = store.MaxClockOffset

// checkClock refuses a bundle holding a stamp more than maxAhead after now,
// as production hybrid logical clocks bound the offset they accept. Taking
// it would move this laptop's clock there and make every later edit here
// win every merge; one such record refuses the whole bundle.
func (c *contents) checkClock(now time.Time, maxAhead time.Duration) error {
	if maxAhead <= 0 {
		maxAhead = DefaultMaxClockOffset
	}
	if c.newest == nil {
		return nil
	}
	s := c.newest.stamp
	if !s.Time().After(now.Add(maxAhead)) {
		return nil
	}
	return &MemberError{Member: c.newest.member, Line: c.newest.line, Err: fmt.Errorf(
		"%w: %s is stamped %s (%s), %s ahead of this laptop's clock, more than the %s allowed; the clock of device %s is probably wrong",
		ErrFutureStamp, c.newest.label, s, s.Time().Format(time.RFC3339), aheadText(s.Time().Sub(now)), maxAhead, s.Device)}
}

func aheadText(d time.Duration) string {
	if d >= 72*time.Hour {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.Round(time.Minute).String()
}

var withArticle = map[string]string{"zone": "a zone", "conduit": "a conduit", "asset": "an asset"}

// resolve checks the references of the bundle's live records against the
// zones, conduits, assets and user templates of the bundle and of the
// workspace, as the app checks them on a save. One counts when either
// holds it, even deleted: a reference to a zone deleted meanwhile on
// another laptop is a merge outcome, not a bad record.
func (c *contents) resolve(st *store.Store) error {
	known := func(kind store.Kind, id string) bool {
		_, _, err := st.GetRaw(kind, id)
		return err == nil
	}
	for _, p := range c.refs {
		var errs []*assets.FieldError
		for _, r := range p.refs {
			if !c.referable[r.to] && !known(store.Kind(r.to.Kind), r.to.ID) {
				errs = append(errs, &assets.FieldError{Record: p.label, Field: r.field, Value: r.to.ID,
					Reason: "is not " + withArticle[r.to.Kind] + " of this audit, in the bundle or in this workspace (import the bundle that adds it first, or a full bundle)"})
			}
		}
		if p.answer != nil {
			if err := c.checkAnswer(st, p.answer); err != nil {
				var ve *assets.ValidationError
				if !errors.As(err, &ve) {
					return err
				}
				errs = append(errs, ve.Fields...)
			}
		}
		if len(errs) > 0 {
			return &MemberError{Member: p.member, Line: p.line, Err: fmt.Errorf("%w: %s: %w", ErrMalformed, p.label, &assets.ValidationError{Fields: errs})}
		}
	}
	return nil
}

// checkAnswer checks an answer against its template: built in, or a user
// template in the bundle or the workspace. Items the template (as known
// here) lacks are let through: a later revision may drop an item, and
// scoring ignores answers to items it does not list. A user template that
// does not load here (from a newer Zonewalk) is not judged either.
func (c *contents) checkAnswer(st *store.Store, a *checklist.Answer) error {
	t := checklist.BuiltinByID(a.Template)
	if t == nil {
		u := c.templates[a.Template]
		if u == nil {
			var stored app.UserTemplate
			_, err := st.GetAny(app.KindTemplate, a.Template, &stored)
			switch {
			case errors.Is(err, store.ErrNotFound):
				return &assets.ValidationError{Fields: []*assets.FieldError{{Record: fmt.Sprintf("answer %s %q", a.Template, a.Item),
					Field: "template", Value: a.Template, Reason: "is not a checklist template of this audit, in the bundle or in this workspace"}}}
			case err != nil:
				return err
			}
			u = &stored
		}
		var err error
		if t, err = checklist.Load(u.Name, []byte(u.Source)); err != nil {
			return nil
		}
	}
	return withoutFields(a.Validate(t, nil), "item")
}

func parseHeader(b []byte, signer *pubKey) (Header, error) {
	var h Header
	if err := json.Unmarshal(b, &h); err != nil {
		return h, malformed(headerName, 0, "%v", err)
	}
	switch {
	case h.Format != headerFormat:
		return h, malformed(headerName, 0, "format %q, want %q", h.Format, headerFormat)
	case h.FormatVersion < 1:
		return h, malformed(headerName, 0, "format_version %d", h.FormatVersion)
	case h.FormatVersion > FormatVersion:
		return h, &MemberError{Member: headerName, Err: fmt.Errorf("%w (format %d, this program reads up to %d)", ErrNewerFormat, h.FormatVersion, FormatVersion)}
	case h.SchemaVersion > store.SchemaVersion:
		return h, &MemberError{Member: headerName, Err: fmt.Errorf("%w (records of schema %d, this program knows up to %d)", ErrNewerFormat, h.SchemaVersion, store.SchemaVersion)}
	case h.SchemaVersion < 1:
		return h, malformed(headerName, 0, "schema_version %d", h.SchemaVersion)
	}
	if err := validRecordID(h.AuditID); err != nil {
		return h, malformed(headerName, 0, "audit_id: %v", err)
	}
	if h.Device == "" {
		return h, malformed(headerName, 0, "no device")
	}
	if h.Since != nil {
		// A floor may have no device: it sorts just below real stamps.
		if h.Since.Wall <= 0 || len(h.Since.Device) > 64 {
			return h, malformed(headerName, 0, "since: invalid stamp %s", h.Since)
		}
	}
	k, err := parsePubKey(h.Signer)
	if err != nil {
		return h, malformed(headerName, 0, "signer: %v", err)
	}
	if h.SignerKeyID != k.info().KeyID {
		return h, malformed(headerName, 0, "signer_key_id %s is not the signer key's %s", h.SignerKeyID, k.info().KeyID)
	}
	if signer != nil && !signer.key.Equal(k.key) {
		return h, malformed(headerName, 0, "names signer %s but the bundle was signed by %s", h.SignerKeyID, signer.info().KeyID)
	}
	return h, nil
}

func (c *contents) checkManifest(members []Member) error {
	m, h := &c.manifest, &c.header
	bad := func(format string, args ...any) error { return malformed(manifestName, 0, format, args...) }
	switch {
	case m.Format != manifestFormat:
		return bad("format %q, want %q", m.Format, manifestFormat)
	case m.FormatVersion != h.FormatVersion || m.SchemaVersion != h.SchemaVersion:
		return bad("versions differ from the header's")
	case m.AuditID != h.AuditID || m.Device != h.Device || m.SignerKeyID != h.SignerKeyID:
		return bad("audit, device or signer differ from the header's")
	case !sameStamp(m.Since, h.Since):
		return bad("since differs from the header's")
	case m.Blobs != c.blobs:
		return bad("says %d blobs, the bundle has %d", m.Blobs, c.blobs)
	case !maps.Equal(m.Records, c.records) && !(len(m.Records) == 0 && len(c.records) == 0):
		return bad("record counts %v differ from the bundle's %v", m.Records, c.records)
	case (m.Versions == nil) != (c.versions == nil) || (m.Versions != nil && *m.Versions != *c.versions):
		return bad("version range differs from the records'")
	case len(m.Members) != len(members):
		return bad("lists %d members, the bundle has %d", len(m.Members), len(members))
	}
	for i, want := range m.Members {
		if got := members[i]; got != want {
			return &MemberError{Member: got.Name, Err: fmt.Errorf("%w: size %d SHA-256 %s, manifest entry %d says %s size %d SHA-256 %s",
				ErrMalformed, got.Size, got.SHA256, i+1, want.Name, want.Size, want.SHA256)}
		}
	}
	return nil
}
