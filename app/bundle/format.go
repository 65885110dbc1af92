package bundle

import (
	"regexp"
	"strconv"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// FormatVersion is the bundle format this package writes and the newest
// it reads (docs/bundle-format.md). Version 2 added the records of
// observed traffic, version 3 the risk register, countermeasures,
// component capability and the diagram's pins and notes; older bundles
// still import.
const FormatVersion = 3

const (
	headerFormat   = "zonewalk-bundle"
	manifestFormat = "zonewalk-bundle-manifest"
	headerName     = "zonewalk-bundle.json"
	manifestName   = "manifest.json"
	blobPrefix     = "blobs/"
	recordsPrefix  = "records/"
	// KindConflict is the store kind of conflict records.
	KindConflict store.Kind = "conflict"
)

// Limits of version 1 readers. Enforced while reading; nothing is
// allocated from sizes a bundle claims.
const (
	maxSignatureSize  = 4 << 10
	maxMembers        = 100_000
	maxHeaderSize     = 64 << 10
	maxManifestSize   = 32 << 20
	maxChunkSize      = 16 << 20
	maxRecordSize     = 1 << 20
	maxRecordsTotal   = 512 << 20
	maxBlobSize       = store.MaxBlobSize
	maxArchiveSize    = 64 << 30
	maxTrailingZeros  = 64 << 10
	maxScryptLogN     = 20
	defaultScryptLogN = 18
)

// chunkTarget is the size of a records member when writing; a variable so
// tests can make many chunks from a small audit.
var chunkTarget = 4 << 20

// Header is the first member: what the bundle is, known before export.
type Header struct {
	Format        string        `json:"format"`
	FormatVersion int           `json:"format_version"`
	SchemaVersion int           `json:"schema_version"`
	AuditID       string        `json:"audit_id"`
	AuditTitle    string        `json:"audit_title,omitempty"`
	Device        string        `json:"device"`
	Author        string        `json:"author,omitempty"`
	Signer        string        `json:"signer"`
	SignerKeyID   string        `json:"signer_key_id"`
	Created       time.Time     `json:"created"`
	Since         *assets.Stamp `json:"since,omitempty"`
}

// Manifest is the last member: hash and size of every other member.
type Manifest struct {
	Format        string         `json:"format"`
	FormatVersion int            `json:"format_version"`
	SchemaVersion int            `json:"schema_version"`
	AuditID       string         `json:"audit_id"`
	Device        string         `json:"device"`
	SignerKeyID   string         `json:"signer_key_id"`
	Since         *assets.Stamp  `json:"since"`
	Versions      *StampRange    `json:"versions,omitempty"`
	Records       map[string]int `json:"records"`
	Blobs         int            `json:"blobs"`
	Members       []Member       `json:"members"`
}

// StampRange is the lowest and highest record version in a bundle.
type StampRange struct {
	Min assets.Stamp `json:"min"`
	Max assets.Stamp `json:"max"`
}

func (r *StampRange) add(s assets.Stamp) *StampRange {
	if r == nil {
		return &StampRange{Min: s, Max: s}
	}
	if s.Compare(r.Min) < 0 {
		r.Min = s
	}
	if s.Compare(r.Max) > 0 {
		r.Max = s
	}
	return r
}

// Member is one archive member as the manifest lists it.
type Member struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

var (
	kindRe  = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)
	shaRe   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	chunkRe = regexp.MustCompile(`^records/([a-z][a-z0-9_-]{0,63})/([0-9]{6})\.jsonl$`)
)

func validKindName(k string) bool { return kindRe.MatchString(k) }

func blobName(sha string) string { return blobPrefix + sha }

func chunkName(kind string, n int) string {
	s := strconv.Itoa(n)
	for len(s) < 6 {
		s = "0" + s
	}
	return recordsPrefix + kind + "/" + s + ".jsonl"
}
