// Package redact makes the copy of an audit that a third party may see: a
// new workspace holding only the zones a profile names, with addresses,
// serial numbers, people's names, notes, photos and observed traffic left
// out as it says. Every output (report, workbook, OSCAL, bundle) is then
// written from that copy, so nothing left out can reach any of them: the
// outputs never see the original records.
package redact

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// What a profile can leave out.
const (
	IPs     = "ips"     // IP addresses of assets (and every mention of them)
	MACs    = "macs"    // MAC addresses
	Serials = "serials" // serial numbers
	Names   = "names"   // people: auditors, owners, approvers, who answered or changed what
	Notes   = "notes"   // free notes of assets, answers and findings
	Photos  = "photos"  // evidence files
	Traffic = "traffic" // imported captures: hosts and flows
)

var categories = []string{IPs, MACs, Serials, Names, Notes, Photos, Traffic}

// Profile says what a redacted copy holds.
type Profile struct {
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Zones       []string `json:"zones,omitempty"` // zone names kept; empty keeps all
	Drop        []string `json:"drop"`            // categories left out
}

// ErrProfile: a profile that cannot be used.
var ErrProfile = errors.New("redaction profile")

//go:embed profiles/*.json
var builtin embed.FS

// Builtin lists the names of the built-in profiles.
func Builtin() []string {
	entries, _ := fs.ReadDir(builtin, "profiles")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	return out
}

// Load reads a profile: a built-in one by name, or a JSON file.
func Load(nameOrFile string) (Profile, error) {
	var b []byte
	var err error
	if slices.Contains(Builtin(), nameOrFile) {
		b, err = builtin.ReadFile("profiles/" + nameOrFile + ".json")
	} else {
		b, err = os.ReadFile(nameOrFile)
		if errors.Is(err, fs.ErrNotExist) {
			return Profile{}, fmt.Errorf("%w %q: neither a built-in profile (%s) nor a file", ErrProfile, nameOrFile, strings.Join(Builtin(), ", "))
		}
	}
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profile{}, fmt.Errorf("%w %s: %v", ErrProfile, nameOrFile, err)
	}
	return p, p.Validate()
}

// Validate checks the profile's name and categories.
func (p Profile) Validate() error {
	if strings.TrimSpace(p.Name) == "" || strings.ContainsAny(p.Name, "\r\n") || len(p.Name) > 64 {
		return fmt.Errorf("%w: a one-line name of at most 64 bytes is required", ErrProfile)
	}
	for _, d := range p.Drop {
		if !slices.Contains(categories, d) {
			return fmt.Errorf("%w %s: drop %q: want some of %s", ErrProfile, p.Name, d, strings.Join(categories, ", "))
		}
	}
	return nil
}

func (p Profile) drops(c string) bool { return slices.Contains(p.Drop, c) }

// Summary says what a copy left out.
type Summary struct {
	Zones, Assets, Conduits int // kept
	DroppedZones            int
	DroppedAssets           int
	DroppedEvidence         int
	Scrubbed                int // distinct values masked wherever they appeared in text
}

// redacted replaces every mention of a left-out value in text.
const redacted = "[redacted]"

// kindConflict holds the other side of an unresolved merge: a copy for a
// third party carries none (the kind is app/bundle's).
const kindConflict store.Kind = "conflict"

// Copy writes the redacted copy of src into dir (which must not exist or be
// empty) and opens it. The copy is a new audit (its own ID, so a bundle of
// it can never be imported into the original), titled and classified as a
// redacted copy naming the profile.
func Copy(ctx context.Context, src *app.Workspace, dir string, p Profile) (*app.Workspace, Summary, error) {
	var sum Summary
	if err := p.Validate(); err != nil {
		return nil, sum, err
	}
	st := src.Store()
	zones := src.Zones()
	keepZone := map[string]bool{}
	var names []string
	for _, z := range zones {
		names = append(names, z.Name)
	}
	for _, want := range p.Zones {
		if !slices.ContainsFunc(zones, func(z assets.Zone) bool { return strings.EqualFold(z.Name, want) }) {
			return nil, sum, fmt.Errorf("%w %s: no zone is named %q (zones: %s)", ErrProfile, p.Name, want, strings.Join(names, ", "))
		}
	}
	var scrub []string
	for _, z := range zones {
		if len(p.Zones) == 0 || slices.ContainsFunc(p.Zones, func(n string) bool { return strings.EqualFold(n, z.Name) }) {
			keepZone[z.ID] = true
			sum.Zones++
		} else {
			sum.DroppedZones++
			scrub = append(scrub, z.Name)
		}
	}
	zoneKept := func(id string) bool { return id == "" && len(p.Zones) == 0 || keepZone[id] }

	keptAssets := map[string]bool{}
	for _, a := range src.Assets() {
		if !zoneKept(a.Zone) {
			sum.DroppedAssets++
			scrub = append(scrub, a.Tag, a.Name, a.Serial)
			scrub = append(scrub, a.IPs...)
			scrub = append(scrub, a.MACs...)
			continue
		}
		keptAssets[a.ID] = true
		if p.drops(IPs) {
			scrub = append(scrub, a.IPs...)
		}
		if p.drops(MACs) {
			scrub = append(scrub, a.MACs...)
		}
		if p.drops(Serials) {
			scrub = append(scrub, a.Serial)
		}
		if p.drops(Names) {
			scrub = append(scrub, a.Owner)
		}
	}
	audit := src.Audit()
	if p.drops(Names) {
		scrub = append(scrub, audit.Auditors...)
	}
	dropTraffic := p.drops(Traffic) || p.drops(IPs) || p.drops(MACs) || len(p.Zones) > 0
	if o, err := src.Observed(); err == nil && dropTraffic {
		for _, h := range o.Hosts {
			scrub = append(scrub, h.IP)
			scrub = append(scrub, h.MACs...)
		}
	}

	// People appear in many kinds of records; collect them first.
	type rec struct {
		kind store.Kind
		m    map[string]any
	}
	var recs []rec
	err := st.ScanAll(func(kind store.Kind, raw []byte, deleted bool) error {
		if deleted {
			return nil // a copy needs no tombstones
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		if p.drops(Names) {
			for _, f := range []string{"changed_by", "answered_by", "approved_by"} {
				scrub = append(scrub, str(m, f))
			}
			if kind == app.KindFinding {
				scrub = append(scrub, str(m, "owner"))
			}
			if r, ok := m["rationale"].(map[string]any); ok {
				scrub = append(scrub, str(r, "approved_by"))
			}
		}
		if p.drops(Notes) {
			for _, f := range []string{"notes", "note"} {
				scrub = append(scrub, str(m, f))
			}
		}
		recs = append(recs, rec{kind, m})
		return nil
	})
	if err != nil {
		return nil, sum, err
	}
	replacer, n := newScrubber(scrub)
	sum.Scrubbed = n

	newAudit := assets.Audit{Title: fmt.Sprintf("%s (redacted copy: %s)", audit.Title, p.Name), Site: audit.Site,
		Owner: audit.Owner, Location: audit.Location, StartDate: audit.StartDate, EndDate: audit.EndDate,
		Auditors: audit.Auditors, Scope: audit.Scope, Standards: audit.Standards, ReviewedAt: audit.ReviewedAt,
		Classification: fmt.Sprintf("Redacted copy (profile %s) — %s", p.Name, cmp.Or(audit.Classification, assets.DefaultClassification))}
	if p.drops(Names) {
		newAudit.Auditors = nil
	}
	newAudit.Title = replacer.Replace(newAudit.Title)
	newAudit.Scope = replacer.Replace(newAudit.Scope)
	dst, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "redacted"}, newAudit)
	if err != nil {
		return nil, sum, err
	}
	ok := false
	defer func() {
		if !ok {
			dst.Close()
		}
	}()
	newID := dst.Audit().ID

	keptEvidence := map[string]bool{}
	blobs := map[string][]byte{}
	var out []rec
	for _, r := range recs {
		m := r.m
		keep := true
		switch r.kind {
		case store.KindAudit, kindConflict, store.KindChange, store.KindChangeCheckpoint:
			// The copy starts its own change log: the original's entries
			// hold every old value of every field.
			keep = false
		case store.KindZone:
			keep = keepZone[str(m, "id")]
			if p.drops(Names) {
				if ra, ok := m["rationale"].(map[string]any); ok {
					delete(ra, "approved_by")
				}
			}
		case store.KindConduit:
			keep = zoneKept(str(m, "from")) && (str(m, "to") == "" || keepZone[str(m, "to")])
		case store.KindAsset:
			keep = keptAssets[str(m, "id")]
			if p.drops(IPs) {
				delete(m, "ips")
			}
			if p.drops(MACs) {
				delete(m, "macs")
			}
			if p.drops(Serials) {
				delete(m, "serial")
			}
			if p.drops(Names) {
				delete(m, "owner")
			}
			if p.drops(Notes) {
				delete(m, "notes")
			}
		case store.KindEvidence:
			keep = !p.drops(Photos) && ownerKept(m, keepZone, keptAssets) && cleanPhoto(st, m, blobs)
			if keep {
				keptEvidence[str(m, "id")] = true
			} else {
				sum.DroppedEvidence++
			}
		case app.KindAnswer:
			keep = str(m, "zone") == "" || keepZone[str(m, "zone")]
			if p.drops(Notes) {
				delete(m, "note")
			}
			if p.drops(Names) {
				delete(m, "answered_by")
			}
		case app.KindFinding:
			keep = refKept(m["subject"], keepZone, keptAssets) && !(dropTraffic && strings.HasPrefix(str(m, "rule_id"), "ZW-TRAFFIC-"))
			if p.drops(Notes) {
				delete(m, "notes")
			}
			if p.drops(Names) {
				delete(m, "owner")
			}
		case app.KindTrafficSource, app.KindTrafficHost, app.KindTrafficFlow, app.KindTrafficDecision:
			keep = !dropTraffic
		}
		if !keep {
			continue
		}
		if p.drops(Names) {
			m["changed_by"] = redacted
		}
		out = append(out, r)
	}
	for _, r := range out {
		if r.kind == store.KindAsset {
			sum.Assets++
		}
		if r.kind == store.KindConduit {
			sum.Conduits++
		}
		// Evidence lists on answers and findings name only what is kept.
		if ev, ok := r.m["evidence"].([]any); ok {
			r.m["evidence"] = slices.DeleteFunc(ev, func(x any) bool { s, _ := x.(string); return !keptEvidence[s] })
		}
		scrubValues(r.m, replacer, "")
		replaceRefs(r.m, audit.ID, newID)
	}

	err = dst.Store().Update(ctx, func(tx *store.Tx) error {
		for _, b := range blobs {
			if _, err := tx.PutBlob(b); err != nil {
				return err
			}
		}
		for _, r := range out {
			raw, err := json.Marshal(r.m)
			if err != nil {
				return err
			}
			if err := tx.PutRaw(r.kind, raw); err != nil {
				return fmt.Errorf("%s %s: %w", r.kind, str(r.m, "id"), err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, sum, fmt.Errorf("write the redacted copy: %w", err)
	}
	if err := dst.ReloadInventory(ctx); err != nil {
		return nil, sum, err
	}
	ok = true
	return dst, sum, nil
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

func refKept(v any, keepZone, keptAssets map[string]bool) bool {
	ref, ok := v.(map[string]any)
	if !ok {
		return true
	}
	id := str(ref, "id")
	switch str(ref, "kind") {
	case "zone":
		return keepZone[id]
	case "asset":
		return keptAssets[id]
	}
	return true
}

// ownerKept reports whether the record a piece of evidence belongs to is
// in the copy (answers and findings are judged by their zone through the
// records they belong to; evidence on them stays).
func ownerKept(m map[string]any, keepZone, keptAssets map[string]bool) bool {
	return refKept(m["owner"], keepZone, keptAssets)
}

// newScrubber replaces each value (longest first, so a value inside a
// longer one does not break it) with the redaction mark. Values shorter
// than 3 characters are not worth the damage to other text.
func newScrubber(values []string) (*strings.Replacer, int) {
	seen := map[string]bool{}
	var vs []string
	for _, v := range values {
		v = strings.TrimSpace(v)
		if len([]rune(v)) < 3 || seen[v] || v == redacted {
			continue
		}
		seen[v] = true
		vs = append(vs, v)
	}
	slices.SortFunc(vs, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	pairs := make([]string, 0, 2*len(vs))
	for _, v := range vs {
		pairs = append(pairs, v, redacted)
	}
	return strings.NewReplacer(pairs...), len(vs)
}

// Fields that hold IDs, stamps or hashes: never text a value could hide in,
// and changing them would break references.
var idFields = map[string]bool{"id": true, "version": true, "prev": true, "zone": true, "from": true, "to": true,
	"template": true, "item": true, "sha256": true, "record_id": true, "record_kind": true, "kind": true, "evidence": true,
	"source": true, "rule_id": true}

// scrubValues masks left-out values in every text of a record.
func scrubValues(v any, r *strings.Replacer, key string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if idFields[k] {
				continue
			}
			x[k] = scrubValues(e, r, k)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = scrubValues(e, r, key)
		}
		return x
	case string:
		return r.Replace(x)
	}
	return v
}

// replaceRefs points references to the original audit at the copy.
func replaceRefs(v any, oldID, newID string) {
	switch x := v.(type) {
	case map[string]any:
		if str(x, "kind") == "audit" && str(x, "id") == oldID {
			x["id"] = newID
		}
		for _, e := range x {
			replaceRefs(e, oldID, newID)
		}
	case []any:
		for _, e := range x {
			replaceRefs(e, oldID, newID)
		}
	}
}

// cleanPhoto replaces an evidence file with the same image decoded and
// encoded again, which leaves every metadata block (EXIF: camera serials,
// GPS) behind; a file that is not an image is left out of the copy.
func cleanPhoto(st *store.Store, m map[string]any, blobs map[string][]byte) bool {
	data, err := st.Blob(str(m, "sha256"))
	if err != nil {
		return false
	}
	clean, mediaType, err := reencode(data)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(clean)
	sha := hex.EncodeToString(sum[:])
	m["sha256"], m["size"], m["media_type"] = sha, len(clean), mediaType
	delete(m, "taken_at")
	blobs[sha] = clean
	return true
}

// reencode decodes an image and encodes its pixels again, which leaves
// every metadata block behind.
func reencode(data []byte) ([]byte, string, error) {
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", err
	}
	var buf bytes.Buffer
	switch format {
	case "png":
		err = png.Encode(&buf, img)
		return buf.Bytes(), "image/png", err
	default:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
		return buf.Bytes(), "image/jpeg", err
	}
}

// TempCopy makes the redacted copy in a new private temporary folder, for
// one output; done closes it and removes the folder.
func TempCopy(ctx context.Context, src *app.Workspace, p Profile) (cp *app.Workspace, sum Summary, done func(), err error) {
	tmp, err := os.MkdirTemp("", "zonewalk-redacted-")
	if err != nil {
		return nil, sum, nil, err
	}
	cp, sum, err = Copy(ctx, src, filepath.Join(tmp, "copy"), p)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, sum, nil, err
	}
	return cp, sum, func() { cp.Close(); os.RemoveAll(tmp) }, nil
}
