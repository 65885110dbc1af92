package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// FuzzCheckArchive feeds the archive reader arbitrary decrypted bundles:
// it must never panic, must say what is wrong and where, and what it
// accepts it accepts the same way every time.
func FuzzCheckArchive(f *testing.F) {
	plain := seedArchive(f)
	f.Add(plain)
	f.Add(plain[:len(plain)/2])
	f.Add(buildTar(f, members(f, plain)[:1]))
	f.Add([]byte{})
	f.Add(make([]byte, 1024))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := checkArchive(ctx, bytes.NewReader(data), nil)
		if err != nil {
			var me *MemberError
			if !errors.As(err, &me) || !(errors.Is(err, ErrMalformed) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNewerFormat)) {
				t.Fatalf("error without member context or sentinel: %v", err)
			}
			return
		}
		if len(c.manifest.Members) == 0 || c.manifest.Members[0].Name != headerName || c.header.AuditID == "" {
			t.Fatalf("accepted an archive without header: %+v", c.manifest)
		}
		again, err := checkArchive(ctx, bytes.NewReader(data), nil)
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Fatalf("second read differs: %v", err)
		}
	})
}

// FuzzParseRecord: any record line is accepted with a valid ID and stamp,
// or refused with a reason; never a panic.
func FuzzParseRecord(f *testing.F) {
	f.Add("asset", []byte(`{"id":"a1","version":{"wall":5,"device":"d"},"tag":"PLC-1","type":"plc"}`))
	f.Add("evidence", []byte(`{"id":"e","version":{"wall":5,"device":"d"},"sha256":"`+sha256Hex(nil)+`"}`))
	f.Add("conflict", []byte(`{"id":"x","version":{"wall":5,"device":"d"},"record_kind":"asset","record_id":"a1","record":{"id":"a1","version":{"wall":5,"device":"d"}}}`))
	f.Add("finding", []byte(`{"id":"f","version":{"wall":1,"device":"d"},"prev":[{"wall":0,"device":""}]}`))
	// Kinds whose content rules came later: a user template (loads, or not),
	// a risk scenario, a capability record, a diagram pin.
	tpl, _ := json.Marshal(map[string]any{"id": "site-extra", "version": map[string]any{"wall": 5, "device": "d"}, "name": "s.yaml", "source": userTemplate})
	f.Add("template", tpl)
	f.Add("template", []byte(`{"id":"t","version":{"wall":5,"device":"d"},"source":"format: 1\nid: iec62443-3-3-2013\n"}`))
	f.Add("risk", []byte(`{"id":"r","version":{"wall":5,"device":"d"},"title":"T","scope":{"kind":"zone","id":"z"},"attacker":2,"likelihood":3,"impact":4}`))
	f.Add("capability", []byte(`{"id":"c","version":{"wall":5,"device":"d"},"vendor":"V","model":"M","component_type":"edr","sl_c":[1,2,3,4,0,1,2]}`))
	f.Add("diagram-pin", []byte(`{"id":"z","version":{"wall":5,"device":"d"},"zone":"z","x":1.5,"y":-2}`))
	f.Fuzz(func(t *testing.T, kind string, line []byte) {
		r, err := parseRecord(kind, line)
		if err != nil {
			return
		}
		if validRecordID(r.meta.ID) != nil || validStamp(r.meta.Version) != nil {
			t.Fatalf("accepted %q with bad meta %+v", line, r.meta)
		}
		if r.target != nil && r.meta.ID != conflictID(r.target.RecordKind, r.target.RecordID, r.meta.Version) {
			t.Fatalf("accepted conflict with a foreign ID")
		}
	})
}

// FuzzParseSignature: any signature file is refused with ErrSignature or
// ErrNewerFormat, or names a signer whose key ID it carries.
func FuzzParseSignature(f *testing.F) {
	k, err := newSigningKey(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(k.sign(make([]byte, 64), time.Unix(1700000000, 0)))
	f.Add([]byte("untrusted comment: x\nRUQ=\ntrusted comment: zonewalk-bundle/1\nAAAA\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		s, err := parseSignature(text, "fuzz.minisig")
		if err != nil {
			if !errors.Is(err, ErrSignature) && !errors.Is(err, ErrNewerFormat) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if s.sig.KeyID != s.signer.id || len(s.signer.key) != 32 {
			t.Fatalf("accepted a signature whose key ID is not its signer's")
		}
	})
}

// seedArchive builds a small valid archive by hand (no store, so fuzz
// workers start fast): header, one blob, audit, asset and evidence
// records, a conflict, and the manifest.
func seedArchive(t testing.TB) []byte {
	t.Helper()
	k, err := newSigningKey(bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	info := k.pub.info()
	hdr := Header{Format: headerFormat, FormatVersion: 1, SchemaVersion: 1, AuditID: "audit-1", Device: "dev1",
		Signer: info.PublicKey, SignerKeyID: info.KeyID, Created: time.Unix(1700000000, 0).UTC()}
	hb, _ := json.Marshal(hdr)
	photo := []byte("\xff\xd8 photo")
	sha := sha256Hex(photo)
	v := func(w int64) string { return fmt.Sprintf(`{"wall":%d,"device":"dev1"}`, w) }
	asset := `{"id":"as1","version":` + v(3) + `,"prev":[` + v(2) + `],"tag":"PLC-1","type":"plc"}`
	loser := `{"id":"as1","version":{"wall":3,"device":"dev2"},"prev":[` + v(2) + `],"tag":"PLC-9","type":"plc"}`
	conflict, _ := newConflict("asset", "as1", version{raw: []byte(loser), meta: assets.Meta{ID: "as1", Version: assets.Stamp{Wall: 3, Device: "dev2"}}}, false)
	ms := []tarMember{
		{name: headerName, body: hb},
		{name: blobName(sha), body: photo},
		{name: "records/asset/000001.jsonl", body: []byte(asset + "\n")},
		{name: "records/audit/000001.jsonl", body: []byte(`{"id":"audit-1","version":` + v(1) + `,"title":"T"}` + "\n")},
		{name: "records/conflict/000001.jsonl", body: append(conflict, '\n')},
		{name: "records/evidence/000001.jsonl", body: []byte(`{"id":"ev1","version":` + v(4) + `,"deleted":true,"sha256":"` + sha + `","owner":{"kind":"asset","id":"as1"}}` + "\n")},
	}
	man := Manifest{Format: manifestFormat, FormatVersion: 1, SchemaVersion: 1, AuditID: "audit-1", Device: "dev1", SignerKeyID: info.KeyID,
		Records: map[string]int{"asset": 1, "audit": 1, "conflict": 1, "evidence": 1}, Blobs: 1,
		Versions: &StampRange{Min: assets.Stamp{Wall: 1, Device: "dev1"}, Max: assets.Stamp{Wall: 4, Device: "dev1"}}}
	for _, m := range ms {
		man.Members = append(man.Members, Member{Name: m.name, Size: int64(len(m.body)), SHA256: sha256Hex(m.body)})
	}
	mb, _ := json.Marshal(man)
	plain := buildTar(t, append(ms, tarMember{name: manifestName, body: mb}))
	if _, err := checkArchive(ctx, bytes.NewReader(plain), &k.pub); err != nil {
		t.Fatalf("seed archive: %v", err)
	}
	return plain
}
