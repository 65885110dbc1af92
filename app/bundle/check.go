package bundle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"maps"

	"github.com/zonewalk/zonewalk/assets"
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
	c := &contents{records: map[string]int{}}
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
					return nil, &MemberError{Member: e.name, Line: lr.line, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
				}
				k := e.kind + "\x00" + rec.meta.ID
				if _, dup := keys[k]; dup {
					return nil, malformed(e.name, lr.line, "%s %s appears twice", e.kind, rec.meta.ID)
				}
				keys[k] = struct{}{}
				if e.kind == string(store.KindAudit) && rec.meta.ID != c.header.AuditID {
					return nil, malformed(e.name, lr.line, "audit record %s is not the bundle's audit %s", rec.meta.ID, c.header.AuditID)
				}
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
