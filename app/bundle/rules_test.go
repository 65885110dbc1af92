package bundle

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// recraft rebuilds an archive after edit changed its record lines (by
// kind): one chunk per kind, and a manifest that matches, so the result
// passes every format check and only the record rules can refuse it.
func recraft(t testing.TB, plain []byte, edit func(recs map[string][]string)) []byte {
	t.Helper()
	var head, blobs []tarMember
	var man Manifest
	recs := map[string][]string{}
	for _, m := range members(t, plain) {
		switch {
		case m.name == headerName:
			head = append(head, m)
		case strings.HasPrefix(m.name, blobPrefix):
			blobs = append(blobs, m)
		case strings.HasPrefix(m.name, recordsPrefix):
			kind := strings.Split(m.name, "/")[1]
			for l := range strings.SplitSeq(strings.TrimSuffix(string(m.body), "\n"), "\n") {
				recs[kind] = append(recs[kind], l)
			}
		case m.name == manifestName:
			if err := json.Unmarshal(m.body, &man); err != nil {
				t.Fatal(err)
			}
		}
	}
	edit(recs)
	ms := append(head, blobs...)
	man.Records, man.Versions = map[string]int{}, nil
	for _, kind := range slices.Sorted(func(yield func(string) bool) {
		for k := range recs {
			if !yield(k) {
				return
			}
		}
	}) {
		if len(recs[kind]) == 0 {
			continue
		}
		ms = append(ms, tarMember{name: chunkName(kind, 1), body: []byte(strings.Join(recs[kind], "\n") + "\n")})
		for _, l := range recs[kind] {
			var m assets.Meta
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("crafted %s record %s: %v", kind, l, err)
			}
			man.Versions = man.Versions.add(m.Version)
			man.Records[kind]++
		}
	}
	man.Members = nil
	for _, m := range ms {
		man.Members = append(man.Members, Member{Name: m.name, Size: int64(len(m.body)), SHA256: sha256Hex(m.body)})
	}
	mb, _ := json.Marshal(man)
	return buildTar(t, append(ms, tarMember{name: manifestName, body: mb}))
}

// editRecord changes the record of kind whose fields match (nil: the
// first) with f, on its decoded JSON.
func editRecord(t testing.TB, recs map[string][]string, kind string, match func(map[string]any) bool, f func(map[string]any)) {
	t.Helper()
	for i, l := range recs[kind] {
		// Numbers stay exact: stamps are 19-digit nanoseconds.
		d := json.NewDecoder(strings.NewReader(l))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		if match != nil && !match(m) {
			continue
		}
		f(m)
		b, _ := json.Marshal(m)
		recs[kind][i] = string(b)
		return
	}
	t.Fatalf("no %s record to edit", kind)
}

// userTemplate is a user checklist template that loads.
const userTemplate = `format: 1
id: site-extra
revision: 1
title: Site extras
standard: SITE-1
kind: zone
sections:
  - id: S 1
    title: Site
    fr: 1
    items:
      - id: S 1.1
        title: Gate
        question: Is the gate locked?
        levels: [1, 2, 3, 4]
`

func stampJSON(s assets.Stamp) map[string]any {
	return map[string]any{"wall": s.Wall, "logical": s.Logical, "device": s.Device}
}

// newRecord is a record line of a fresh ID, stamped now by device "craft".
func newRecord(id string, fields map[string]any) string {
	m := map[string]any{"id": id, "version": stampJSON(assets.Stamp{Wall: time.Now().UnixNano(), Device: "craft"})}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func (fx *fixture) sealed(t *testing.T, name string, edit func(recs map[string][]string)) string {
	t.Helper()
	return seal(t, filepath.Join(fx.dir, name+".zwb"), recraft(t, fx.plain, edit), fx.key, fx.tm)
}

func isTag(tag string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["tag"] == tag }
}

// A bundle stamped far in the future must not drag the importing laptop's
// clock along: the bundle is refused whole and the clock stays put.
func TestFutureStampIsRefused(t *testing.T) {
	fx := newFixture(t)
	year2200 := time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	out := fx.sealed(t, "future", func(recs map[string][]string) {
		editRecord(t, recs, "asset", isTag("RTU-9"), func(m map[string]any) {
			m["version"] = stampJSON(assets.Stamp{Wall: year2200, Device: "skewed"})
		})
	})
	clock := fx.b.Store().Clock()
	err := fx.refused(t, out, ImportOptions{}, ErrFutureStamp, "2200-01-01")
	if !strings.Contains(err.Error(), "asset ") {
		t.Errorf("error does not name the record: %v", err)
	}
	if got := fx.b.Store().Clock(); got != clock {
		t.Fatalf("clock moved from %v to %v", clock, got)
	}
	if _, err := Verify(ctx, out, VerifyOptions{IdentityFiles: []string{fx.tm.keyFile}}); !errors.Is(err, ErrFutureStamp) {
		t.Errorf("verify: %v, want %v", err, ErrFutureStamp)
	}
	// A future stamp hidden in a record's history is refused too.
	hist := fx.sealed(t, "future-prev", func(recs map[string][]string) {
		editRecord(t, recs, "asset", isTag("RTU-9"), func(m map[string]any) {
			m["prev"] = []any{stampJSON(assets.Stamp{Wall: year2200, Device: "skewed"})}
		})
	})
	fx.refused(t, hist, ImportOptions{}, ErrFutureStamp, "2200-01-01")
	// At the largest stamp there is, nothing wraps.
	maxed := fx.sealed(t, "maxed", func(recs map[string][]string) {
		editRecord(t, recs, "asset", isTag("RTU-9"), func(m map[string]any) {
			m["version"] = map[string]any{"wall": math.MaxInt64, "logical": math.MaxUint32, "device": "skewed"}
		})
	})
	fx.refused(t, maxed, ImportOptions{}, ErrFutureStamp, "2262-04-11")
}

// A laptop whose clock runs an hour fast is normal: its bundle is taken,
// and local edits made afterwards still sort after what it brought.
func TestStampSlightlyAheadIsAccepted(t *testing.T) {
	fx := newFixture(t)
	ahead := assets.Stamp{Wall: time.Now().Add(time.Hour).UnixNano(), Logical: math.MaxUint32, Device: "fast"}
	out := fx.sealed(t, "ahead", func(recs map[string][]string) {
		editRecord(t, recs, "asset", isTag("RTU-9"), func(m map[string]any) { m["version"] = stampJSON(ahead) })
	})
	// The bound is the importer's to set.
	fx.refused(t, out, ImportOptions{MaxClockOffset: 30 * time.Minute}, ErrFutureStamp, "ahead of this laptop's clock")
	importInto(t, fx.b, out, fx.tm)
	if c := fx.b.Store().Clock(); c.Wall != ahead.Wall || c.Logical != ahead.Logical {
		t.Fatalf("clock %v did not follow the accepted stamp %v", c, ahead)
	}
	a, err := fx.b.SaveAsset(assets.Asset{Tag: "PLC-NEW", Type: assets.TypePLC})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version.Compare(ahead) <= 0 {
		t.Fatalf("local edit %v sorts before the merged %v (the counter wrapped)", a.Version, ahead)
	}
}

// Every record of a bundle passes the rules the GUI and CSV apply, before
// anything is written; the error names the record and the field.
func TestInvalidRecordsAreRefused(t *testing.T) {
	fx := newFixture(t)
	zoneID := fx.a.Zones()[0].ID
	cases := []struct {
		name string
		edit func(recs map[string][]string)
		text []string
	}{
		{"zone SL-T 9", func(r map[string][]string) {
			editRecord(t, r, "zone", nil, func(m map[string]any) { m["sl_t"] = []any{9, 2, 2, 2, 2, 2, 2} })
		}, []string{"zone " + zoneID, "sl_t"}},
		{"asset type nuke", func(r map[string][]string) {
			editRecord(t, r, "asset", isTag("PLC-1"), func(m map[string]any) { m["type"] = "nuke" })
		}, []string{"asset ", "type", "nuke"}},
		{"1 MB tag", func(r map[string][]string) {
			editRecord(t, r, "asset", isTag("PLC-1"), func(m map[string]any) { m["tag"] = strings.Repeat("T", 1<<20-1000) })
		}, []string{"asset ", "tag", "longer than"}},
		{"asset in unknown zone", func(r map[string][]string) {
			editRecord(t, r, "asset", isTag("PLC-1"), func(m map[string]any) { m["zone"] = "no-such-zone" })
		}, []string{"asset ", "zone", "no-such-zone"}},
		{"conduit to unknown zone", func(r map[string][]string) {
			r["conduit"] = append(r["conduit"], newRecord("cd-1", map[string]any{"name": "WAN", "from": zoneID, "to": "elsewhere"}))
		}, []string{"conduit cd-1", "to", "elsewhere"}},
		{"audit without title", func(r map[string][]string) {
			editRecord(t, r, "audit", nil, func(m map[string]any) { m["title"] = "" })
		}, []string{"audit ", "title"}},
		{"evidence negative size", func(r map[string][]string) {
			editRecord(t, r, "evidence", nil, func(m map[string]any) { m["size"] = -5 })
		}, []string{"evidence ", "size"}},
		{"answer status", func(r map[string][]string) {
			id := checklist.AnswerID("iec62443-3-3-2013", "SR 5.2", zoneID)
			r["answer"] = append(r["answer"], newRecord(id, map[string]any{"template": "iec62443-3-3-2013", "item": "SR 5.2", "zone": zoneID, "status": "maybe"}))
		}, []string{"answer ", "status", "maybe"}},
		{"answer to unknown template", func(r map[string][]string) {
			id := checklist.AnswerID("no-such-template", "X 1", "")
			r["answer"] = append(r["answer"], newRecord(id, map[string]any{"template": "no-such-template", "item": "X 1", "status": "met"}))
		}, []string{"answer ", "template", "no-such-template"}},
		{"answer in unknown zone", func(r map[string][]string) {
			id := checklist.AnswerID("iec62443-3-3-2013", "SR 5.2", "gone")
			r["answer"] = append(r["answer"], newRecord(id, map[string]any{"template": "iec62443-3-3-2013", "item": "SR 5.2", "zone": "gone", "status": "met"}))
		}, []string{"answer ", "zone", "gone"}},
		{"finding status", func(r map[string][]string) {
			r["finding"] = append(r["finding"], newRecord("f-1", map[string]any{"source": "manual", "title": "Open port", "severity": "high", "status": "ignored"}))
		}, []string{"finding f-1", "status", "ignored"}},
		{"invalid version in a live conflict", func(r map[string][]string) {
			var asset string
			for _, l := range r["asset"] {
				if strings.Contains(l, `"PLC-1"`) {
					asset = l
				}
			}
			d := json.NewDecoder(strings.NewReader(asset))
			d.UseNumber()
			var m map[string]any
			d.Decode(&m)
			m["type"] = "nuke"
			m["version"] = stampJSON(assets.Stamp{Wall: time.Now().UnixNano(), Device: "craft"})
			raw, _ := json.Marshal(m)
			var meta assets.Meta
			json.Unmarshal(raw, &meta)
			c, _ := newConflict("asset", meta.ID, version{meta: meta, raw: raw}, false)
			r["conflict"] = append(r["conflict"], string(c))
		}, []string{"conflict ", "asset ", "type", "nuke"}},
		// The kinds added since format 2 pass their rules too.
		{"risk attacker 9", func(r map[string][]string) {
			r["risk"] = append(r["risk"], newRecord("risk-1", map[string]any{"title": "Phishing", "scope": map[string]any{"kind": "zone", "id": zoneID},
				"attacker": 9, "likelihood": 2, "impact": 2}))
		}, []string{"risk risk-1", "attacker"}},
		{"capability SL-C 9", func(r map[string][]string) {
			r["capability"] = append(r["capability"], newRecord("cap-1", map[string]any{"vendor": "Acme", "model": "X1", "component_type": "edr",
				"sl_c": []any{9, 1, 1, 1, 1, 1, 1}}))
		}, []string{"capability cap-1", "sl_c"}},
		{"countermeasure without name", func(r map[string][]string) {
			r["countermeasure"] = append(r["countermeasure"], newRecord("cm-1", map[string]any{"name": ""}))
		}, []string{"countermeasure cm-1", "name"}},
		{"diagram pin of an unknown zone", func(r map[string][]string) {
			r["diagram-pin"] = append(r["diagram-pin"], newRecord("zone-gone", map[string]any{"zone": "zone-gone", "x": 1, "y": 2}))
		}, []string{"diagram-pin zone-gone", "zone"}},
		// References to zones, conduits and assets resolve as on a save in
		// the app: in the bundle or the workspace, deleted or not.
		{"risk scoped to an unknown zone", func(r map[string][]string) {
			r["risk"] = append(r["risk"], newRecord("risk-2", map[string]any{"title": "Phishing", "scope": map[string]any{"kind": "zone", "id": "no-such-zone"},
				"attacker": 2, "likelihood": 2, "impact": 2}))
		}, []string{"risk risk-2", "scope", "no-such-zone"}},
		{"countermeasure on an unknown asset", func(r map[string][]string) {
			r["countermeasure"] = append(r["countermeasure"], newRecord("cm-2", map[string]any{"name": "Locked cabinet",
				"applies_to": []any{map[string]any{"kind": "zone", "id": zoneID}, map[string]any{"kind": "asset", "id": "no-such-asset"}}}))
		}, []string{"countermeasure cm-2", "applies_to[1]", "no-such-asset"}},
		{"capability of an unknown asset", func(r map[string][]string) {
			r["capability"] = append(r["capability"], newRecord("cap-2", map[string]any{"asset": "no-such-asset", "component_type": "edr",
				"sl_c": []any{1, 1, 1, 1, 1, 1, 1}}))
		}, []string{"capability cap-2", "asset", "no-such-asset"}},
		{"diagram note on an unknown conduit", func(r map[string][]string) {
			r["diagram-note"] = append(r["diagram-note"], newRecord("note-1", map[string]any{"subject": map[string]any{"kind": "conduit", "id": "no-such-conduit"},
				"text": "check this"}))
		}, []string{"diagram-note note-1", "subject", "no-such-conduit"}},
		{"observed host without address", func(r map[string][]string) {
			r["traffic-host"] = append(r["traffic-host"], newRecord("src-1.h0000000000000001", map[string]any{"source": "src-1"}))
		}, []string{"traffic-host src-1.h0000000000000001", "ip"}},
		// A user template passes the rules of adding one in the app: it may
		// not take a built-in template's ID (its scores would be listed
		// twice) nor declare another ID than its record's.
		{"template with a built-in ID", func(r map[string][]string) {
			src := strings.Replace(userTemplate, "id: site-extra", "id: iec62443-3-3-2013", 1)
			r["template"] = append(r["template"], newRecord("iec62443-3-3-2013", map[string]any{"name": "mine.yaml", "source": src}))
		}, []string{"template iec62443-3-3-2013", "built-in"}},
		{"template under another ID", func(r map[string][]string) {
			r["template"] = append(r["template"], newRecord("other-id", map[string]any{"name": "mine.yaml", "source": userTemplate}))
		}, []string{"template other-id", "site-extra"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := fx.sealed(t, strings.ReplaceAll(c.name, " ", "-"), c.edit)
			err := fx.refused(t, out, ImportOptions{}, assets.ErrInvalid, c.text[0])
			for _, want := range c.text[1:] {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
		})
	}
}

// References resolve against the bundle's zones and the workspace's; a
// deleted record's content is not judged.
func TestValidRecordsAndReferencesAreAccepted(t *testing.T) {
	fx := newFixture(t)
	zoneID := fx.a.Zones()[0].ID
	out := fx.sealed(t, "refs", func(r map[string][]string) {
		r["zone"] = append(r["zone"], newRecord("z-new", map[string]any{"name": "DMZ", "sl_t": []any{1, 1, 1, 1, 1, 1, 1}}))
		r["asset"] = append(r["asset"], newRecord("a-new", map[string]any{"tag": "FW-1", "type": "firewall", "zone": "z-new"}))
		r["conduit"] = append(r["conduit"], newRecord("cd-1", map[string]any{"name": "WAN", "from": zoneID, "to": "z-new"}))
		id := checklist.AnswerID("iec62443-3-3-2013", "SR 5.2", "z-new")
		r["answer"] = append(r["answer"], newRecord(id, map[string]any{"template": "iec62443-3-3-2013", "item": "SR 5.2", "zone": "z-new", "status": "met"}))
		gone := newRecord("a-gone", map[string]any{"tag": "OLD", "type": "nuke", "deleted": true})
		r["asset"] = append(r["asset"], gone)
		// A user template and an answer to it; a template from a newer
		// Zonewalk (it does not load here) travels unjudged.
		r["template"] = append(r["template"], newRecord("site-extra", map[string]any{"name": "site.yaml", "source": userTemplate}),
			newRecord("from-the-future", map[string]any{"name": "future.yaml", "source": "format: 99\nid: from-the-future\n"}))
		id = checklist.AnswerID("site-extra", "S 1.1", "z-new")
		r["answer"] = append(r["answer"], newRecord(id, map[string]any{"template": "site-extra", "item": "S 1.1", "zone": "z-new", "status": "met"}))
		// Risk, countermeasure, capability and note refer to records of the
		// bundle, one of them deleted: all resolve.
		r["risk"] = append(r["risk"], newRecord("risk-new", map[string]any{"title": "Phishing", "scope": map[string]any{"kind": "conduit", "id": "cd-1"},
			"attacker": 2, "likelihood": 2, "impact": 2}))
		r["countermeasure"] = append(r["countermeasure"], newRecord("cm-new", map[string]any{"name": "Locked cabinet",
			"applies_to": []any{map[string]any{"kind": "asset", "id": "a-new"}, map[string]any{"kind": "asset", "id": "a-gone"}}}))
		r["capability"] = append(r["capability"], newRecord("cap-new", map[string]any{"asset": "a-new", "component_type": "ndr",
			"sl_c": []any{1, 1, 1, 1, 1, 1, 1}}))
		r["diagram-note"] = append(r["diagram-note"], newRecord("note-new", map[string]any{"subject": map[string]any{"kind": "zone", "id": "z-new"},
			"text": "check this"}))
	})
	res := importInto(t, fx.b, out, fx.tm)
	if res.Added < 12 {
		t.Fatalf("added %d records, want the 12 new ones: %+v", res.Added, res)
	}
	// The zone is in the workspace now; a later bundle may just refer to it.
	later := fx.sealed(t, "refs-later", func(r map[string][]string) {
		r["asset"] = append(r["asset"], newRecord("a-later", map[string]any{"tag": "FW-2", "type": "firewall", "zone": "z-new"}))
	})
	importInto(t, fx.b, later, fx.tm)
	if fx.b.AssetCount() != 5 {
		t.Fatalf("%d assets", fx.b.AssetCount())
	}
}

// Deleting the audit record would lock the workspace out of every later
// import and export: a bundle that does it is refused.
func TestAuditTombstoneIsRefused(t *testing.T) {
	fx := newFixture(t)
	out := fx.sealed(t, "audit-deleted", func(r map[string][]string) {
		editRecord(t, r, "audit", nil, func(m map[string]any) {
			m["prev"] = []any{m["version"]}
			m["version"] = stampJSON(assets.Stamp{Wall: time.Now().UnixNano(), Device: "craft"})
			m["deleted"] = true
		})
	})
	fx.refused(t, out, ImportOptions{}, ErrMalformed, "delete")
	// The same tombstone carried as the losing side of a conflict.
	inConflict := fx.sealed(t, "audit-deleted-conflict", func(r map[string][]string) {
		d := json.NewDecoder(strings.NewReader(r["audit"][0]))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatal(err)
		}
		m["prev"] = []any{m["version"]}
		m["version"] = stampJSON(assets.Stamp{Wall: time.Now().UnixNano(), Device: "craft"})
		m["deleted"] = true
		raw, _ := json.Marshal(m)
		var meta assets.Meta
		if err := json.Unmarshal(raw, &meta); err != nil {
			t.Fatal(err)
		}
		c, _ := newConflict("audit", meta.ID, version{meta: meta, raw: raw}, false)
		r["conflict"] = append(r["conflict"], string(c))
	})
	err := fx.refused(t, inConflict, ImportOptions{}, ErrMalformed, "delete")
	if !strings.Contains(err.Error(), "conflict ") {
		t.Errorf("error does not name the conflict: %v", err)
	}
	if _, err := Export(ctx, fx.b, filepath.Join(fx.dir, "after.zwb"), ExportOptions{Recipients: []string{fx.tm.recipient}}); err != nil {
		t.Fatalf("export after the refused bundle: %v", err)
	}
	importInto(t, fx.b, fx.full, fx.tm)
}

// A cancel that comes once the records are committed must not undo the
// import's report, nor close the workspace under the caller.
func TestCancelAfterCommitKeepsWorkspace(t *testing.T) {
	fx := newFixture(t)
	cc := newCommitCanceller(t)
	res, err := Import(cc.ctx, fx.b, fx.full, ImportOptions{IdentityFiles: []string{fx.tm.keyFile}, Progress: cc.progress})
	cc.mustHaveCancelled(t)
	if err != nil {
		t.Fatalf("import cancelled after its commit: %v", err)
	}
	if res.Added == 0 {
		t.Fatalf("nothing imported: %+v", res)
	}
	if fx.b.AssetCount() != 3 {
		t.Fatalf("inventory not reloaded: %d assets", fx.b.AssetCount())
	}
	if _, err := fx.b.SaveAsset(assets.Asset{Tag: "AFTER", Type: assets.TypePLC}); err != nil {
		t.Fatalf("workspace unusable after the cancel: %v", err)
	}
}

// commitCanceller cancels its context at an import's final apply report,
// which comes after the commit, to show what a late cancel leaves.
type commitCanceller struct {
	ctx       context.Context
	cancel    context.CancelFunc
	cancelled bool
}

func newCommitCanceller(t *testing.T) *commitCanceller {
	c, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	return &commitCanceller{ctx: c, cancel: cancel}
}

// progress is the import's Progress callback.
func (cc *commitCanceller) progress(p Progress) {
	if p.Stage == StageApply && p.Done == p.Total && p.Total > 0 {
		cc.cancel()
		cc.cancelled = true
	}
}

// mustHaveCancelled fails the test if the import never reached the final
// apply report, so the cancel it tests never came.
func (cc *commitCanceller) mustHaveCancelled(t *testing.T) {
	t.Helper()
	if !cc.cancelled {
		t.Fatal("the test never cancelled")
	}
}

// A cancel before the commit says that no record changed, and none did.
func TestCancelBeforeCommitSaysNothingChanged(t *testing.T) {
	fx := newFixture(t)
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	clock, n := fx.b.Store().Clock(), fx.b.AssetCount()
	_, err := Import(c, fx.b, fx.full, ImportOptions{IdentityFiles: []string{fx.tm.keyFile}, Progress: func(p Progress) {
		if p.Stage == StageCheck && p.Done > 0 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "no record changed") {
		t.Fatalf("import cancelled while checking: %v", err)
	}
	if fx.b.Store().Clock() != clock || fx.b.AssetCount() != n {
		t.Errorf("a cancelled import wrote: clock %v → %v, %d → %d assets", clock, fx.b.Store().Clock(), n, fx.b.AssetCount())
	}
}

// A cancel while a bundle is being read is a cancel, not a damaged
// bundle: wherever in the archive it comes, the error says so (the CLI
// exits 130 or 143 on it; the app must not tell the user the bundle is bad).
func TestCancelWhileCheckingIsNotMalformed(t *testing.T) {
	fx := newFixture(t)
	for cut := 0; cut < len(fx.plain); cut += 97 {
		r := io.MultiReader(bytes.NewReader(fx.plain[:cut]), errReader{context.Canceled})
		_, err := checkArchive(ctx, r, nil)
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrMalformed) {
			t.Fatalf("cancelled at byte %d of %d: %v, want context.Canceled and not %v", cut, len(fx.plain), err, ErrMalformed)
		}
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// A cancel once a clone's records are committed must not report the clone
// as failed: the workspace is there, whole (issue 15 item 8).
func TestCancelAfterCloneCommitKeepsWorkspace(t *testing.T) {
	fx := newFixture(t)
	info, err := Inspect(ctx, fx.full)
	if err != nil {
		t.Fatal(err)
	}
	cc := newCommitCanceller(t)
	dir := filepath.Join(fx.dir, "c")
	w, res, err := Clone(cc.ctx, dir, fx.full, app.Options{Unencrypted: true, Author: "carol"}, ImportOptions{
		IdentityFiles: []string{fx.tm.keyFile}, Trust: []string{info.PublicKey}, Progress: cc.progress})
	cc.mustHaveCancelled(t)
	if err != nil {
		t.Fatalf("clone cancelled after its commit: %v", err)
	}
	defer w.Close()
	if res.Added == 0 || w.AssetCount() != 3 {
		t.Fatalf("clone: %+v, %d assets", res, w.AssetCount())
	}
}

// An export killed mid-write leaves FILE.part (and FILE.minisig.part);
// the next export to that path clears them even if it then fails, and an
// export still being written by someone else is not clobbered.
func TestExportPartFiles(t *testing.T) {
	fx := newFixture(t)
	out := filepath.Join(fx.dir, "stale.zwb")
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{out + ".part", out + ".minisig.part"} {
		if err := os.WriteFile(p, []byte("half a bundle"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, old, old)
	}
	c, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Export(c, fx.a, out, ExportOptions{Recipients: []string{fx.tm.recipient}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled export: %v", err)
	}
	for _, p := range []string{out + ".part", out + ".minisig.part"} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("stale %s left behind: %v", filepath.Base(p), err)
		}
	}

	busy := filepath.Join(fx.dir, "busy.zwb")
	if err := os.WriteFile(busy+".part", []byte("being written"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Export(ctx, fx.a, busy, ExportOptions{Recipients: []string{fx.tm.recipient}})
	if err == nil || !strings.Contains(err.Error(), "in progress") {
		t.Fatalf("export over a part being written: %v", err)
	}
	if b, _ := os.ReadFile(busy + ".part"); string(b) != "being written" {
		t.Fatalf("the other export's part was changed: %q", b)
	}
	if _, err := os.Stat(busy); !os.IsNotExist(err) {
		t.Fatalf("bundle written anyway: %v", err)
	}
	os.Remove(busy + ".part")
	exportTo(t, fx.a, fx.dir, "busy.zwb", fx.tm, false)
	if _, err := os.Stat(busy + ".part"); !os.IsNotExist(err) {
		t.Fatal("part left after a successful export")
	}
}

var _ = fmt.Sprint
var _ = app.Options{}
var _ = store.KindAsset
