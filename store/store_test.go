package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

func newPlain(t testing.TB) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	s, err := Create(dir, CreateOptions{Unencrypted: true, Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

func TestRoundTripEveryType(t *testing.T) {
	s, dir := newPlain(t)
	zone := &assets.Zone{Name: "Control Süd", PurdueLevels: []assets.Purdue{assets.Purdue1, assets.Purdue2},
		SLT: assets.SLVector{2, 2, 3, 1, 3, 1, 2}, Rationale: assets.Rationale{Safety: 4, Text: "chlorine dosing", ApprovedBy: "Plant manager", ApprovedAt: "2026-10-01"}}
	audit := &assets.Audit{Title: "Audit", Site: "Works", Auditors: []string{"A", "B"}, StartDate: "2026-11-01"}
	if err := s.Put(KindAudit, audit); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(KindZone, zone); err != nil {
		t.Fatal(err)
	}
	conduit := &assets.Conduit{Name: "C1", From: zone.ID, Flows: []assets.Flow{{Protocol: "Modbus/TCP", Ports: "502"}},
		Controls: []assets.Control{assets.ControlFirewall}, RemoteAccess: true, SLT: assets.UniformSL(2)}
	asset := &assets.Asset{Tag: "PLC-101", Type: assets.TypePLC, Vendor: "Siemens", IPs: []string{"10.1.1.10"},
		Zone: zone.ID, Location: assets.Location{Building: "B1", Cabinet: "CP-3"}, SLC: 2}
	ev := &assets.Evidence{SHA256: hex.EncodeToString(make([]byte, 32)), Name: "p.jpg", Owner: assets.Ref{Kind: "asset", ID: "x"}}
	for kind, r := range map[Kind]assets.Record{KindConduit: conduit, KindAsset: asset, KindEvidence: ev} {
		if err := s.Put(kind, r); err != nil {
			t.Fatal(err)
		}
	}
	check := func(s *Store) {
		t.Helper()
		for kind, want := range map[Kind]assets.Record{KindAudit: audit, KindZone: zone, KindConduit: conduit, KindAsset: asset, KindEvidence: ev} {
			got := reflect.New(reflect.TypeOf(want).Elem()).Interface().(assets.Record)
			if err := s.Get(kind, want.RecordMeta().ID, got); err != nil {
				t.Fatalf("get %s: %v", kind, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s round trip:\n got %+v\nwant %+v", kind, got, want)
			}
			if got.RecordMeta().ChangedBy != "tester" || got.RecordMeta().Version.Device != s.Device() {
				t.Errorf("%s meta not stamped: %+v", kind, got.RecordMeta())
			}
		}
	}
	check(s)
	s.Close()
	s2, err := Open(dir, OpenOptions{Author: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2)
}

func TestVersionsAdvanceAndHistory(t *testing.T) {
	s, _ := newPlain(t)
	a := &assets.Asset{Tag: "HMI-1", Type: assets.TypeHMI}
	var versions []assets.Stamp
	for i := 0; i < assets.MaxHistory+3; i++ {
		a.Notes = fmt.Sprint(i)
		if err := s.Put(KindAsset, a); err != nil {
			t.Fatal(err)
		}
		if len(versions) > 0 && a.Version.Compare(versions[len(versions)-1]) <= 0 {
			t.Fatalf("version did not advance: %v after %v", a.Version, versions[len(versions)-1])
		}
		versions = append(versions, a.Version)
	}
	var got assets.Asset
	if err := s.Get(KindAsset, a.ID, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Prev) != assets.MaxHistory || got.Prev[0] != versions[len(versions)-2] {
		t.Fatalf("history = %v", got.Prev)
	}
	if !got.Descends(versions[len(versions)-3]) || got.Descends(versions[0]) {
		t.Fatal("Descends wrong")
	}
}

func TestDeleteIsTombstoneAndIndexFollows(t *testing.T) {
	s, _ := newPlain(t)
	z1, z2 := &assets.Zone{Name: "Z1"}, &assets.Zone{Name: "Z2"}
	s.Put(KindZone, z1)
	s.Put(KindZone, z2)
	a := &assets.Asset{Tag: "A", Type: assets.TypePLC, Zone: z1.ID}
	b := &assets.Asset{Tag: "B", Type: assets.TypePLC, Zone: z1.ID}
	s.Put(KindAsset, a)
	s.Put(KindAsset, b)
	ids := func(z string) []string {
		got, err := s.AssetIDsInZone(z)
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(got)
		return got
	}
	want := []string{a.ID, b.ID}
	sort.Strings(want)
	if !reflect.DeepEqual(ids(z1.ID), want) {
		t.Fatalf("zone index = %v, want %v", ids(z1.ID), want)
	}
	a.Zone = z2.ID
	s.Put(KindAsset, a)
	if got := ids(z2.ID); !reflect.DeepEqual(got, []string{a.ID}) {
		t.Fatalf("after move z2 = %v", got)
	}
	if got := ids(z1.ID); !reflect.DeepEqual(got, []string{b.ID}) {
		t.Fatalf("after move z1 = %v", got)
	}
	if err := s.Delete(KindAsset, b.ID); err != nil {
		t.Fatal(err)
	}
	if got := ids(z1.ID); len(got) != 0 {
		t.Fatalf("deleted asset still indexed: %v", got)
	}
	var x assets.Asset
	if err := s.Get(KindAsset, b.ID, &x); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
	deleted, err := s.GetAny(KindAsset, b.ID, &x)
	if err != nil || !deleted || !x.Deleted || x.Tag != "B" {
		t.Fatalf("tombstone = %+v deleted=%v err=%v", x, deleted, err)
	}
	all, _ := All[assets.Asset](s, KindAsset)
	if len(all) != 1 || all[0].ID != a.ID {
		t.Fatalf("All lists %d assets", len(all))
	}
	n := 0
	s.ScanAll(func(kind Kind, raw []byte, del bool) error {
		if kind == KindAsset && del {
			n++
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("ScanAll saw %d tombstones", n)
	}
	// Undo: write it back live.
	x.Deleted = false
	if err := s.Put(KindAsset, &x); err != nil {
		t.Fatal(err)
	}
	if got := ids(z1.ID); !reflect.DeepEqual(got, []string{b.ID}) {
		t.Fatalf("undeleted asset not indexed: %v", got)
	}
}

func TestBlobsAreContentAddressed(t *testing.T) {
	s, _ := newPlain(t)
	photo := bytes.Repeat([]byte("jpeg"), 50000) // 200 kB: goes to the value log
	h1, err := s.PutBlob(photo)
	if err != nil {
		t.Fatal(err)
	}
	_, before := s.Size()
	h2, _ := s.PutBlob(photo)
	_, after := s.Size()
	sum := sha256.Sum256(photo)
	if h1 != h2 || h1 != hex.EncodeToString(sum[:]) {
		t.Fatalf("hashes %s %s", h1, h2)
	}
	if after != before {
		t.Errorf("second put of the same photo grew the value log from %d to %d", before, after)
	}
	got, err := s.Blob(h1)
	if err != nil || !bytes.Equal(got, photo) {
		t.Fatalf("blob read back: %v", err)
	}
	if _, err := s.Blob(hex.EncodeToString(make([]byte, 32))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: %v", err)
	}
	if _, err := s.PutBlob(make([]byte, MaxBlobSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("oversize blob: %v", err)
	}
}

// snapshot reads every file of a directory tree.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		sum := sha256.Sum256(b)
		files[p] = hex.EncodeToString(sum[:])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestRefusalsLeaveDirectoryByteIdentical(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	s, err := Create(dir, CreateOptions{Passphrase: []byte("correct horse")})
	if err != nil {
		t.Fatal(err)
	}
	s.Put(KindZone, &assets.Zone{Name: "Z"})
	s.Close()
	before := snapshot(t, dir)

	if _, err := Open(dir, OpenOptions{Passphrase: []byte("wrong")}); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := Open(dir, OpenOptions{}); !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("no passphrase: %v", err)
	}
	if !reflect.DeepEqual(before, snapshot(t, dir)) {
		t.Fatal("a refused open changed the workspace")
	}

	s, err = Open(dir, OpenOptions{Passphrase: []byte("correct horse")})
	if err != nil {
		t.Fatal(err)
	}
	zs, _ := All[assets.Zone](s, KindZone)
	if len(zs) != 1 {
		t.Fatalf("zones after reopen: %d", len(zs))
	}
	open := snapshot(t, dir)
	if _, err := Open(dir, OpenOptions{Passphrase: []byte("correct horse")}); !errors.Is(err, ErrLocked) {
		t.Fatalf("double open: %v", err)
	}
	if !reflect.DeepEqual(open, snapshot(t, dir)) {
		t.Fatal("a refused double open changed the workspace")
	}
	s.Close()

	// Newer schema: edit the header's version in a copy of the header only.
	hdr := filepath.Join(dir, headerName)
	orig, _ := os.ReadFile(hdr)
	var h map[string]any
	json.Unmarshal(orig, &h)
	h["version"] = SchemaVersion + 1
	newer, _ := json.Marshal(h)
	os.WriteFile(hdr, newer, 0o600)
	snap := snapshot(t, dir)
	if _, err := Open(dir, OpenOptions{Passphrase: []byte("correct horse")}); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}
	if !reflect.DeepEqual(snap, snapshot(t, dir)) {
		t.Fatal("refusing a newer schema changed the workspace")
	}

	empty := t.TempDir()
	if _, err := Open(empty, OpenOptions{}); !errors.Is(err, ErrNotWorkspace) {
		t.Fatalf("not a workspace: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Fatal("opening a non-workspace wrote files")
	}
	if _, err := Create(dir, CreateOptions{Unencrypted: true}); !errors.Is(err, ErrExists) {
		t.Fatalf("create over existing: %v", err)
	}
	if _, err := Create(filepath.Join(t.TempDir(), "x"), CreateOptions{}); !errors.Is(err, ErrPassphraseRequired) {
		t.Fatalf("create encrypted without passphrase: %v", err)
	}
}

func TestEncryptedAtRest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	s, err := Create(dir, CreateOptions{Passphrase: []byte("correct horse")})
	if err != nil {
		t.Fatal(err)
	}
	secret := "CHLORINE-DOSING-PLC-SECRET-TAG"
	s.Put(KindAsset, &assets.Asset{Tag: secret, Type: assets.TypePLC})
	s.Close()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the asset tag in plaintext", p)
		}
		return nil
	})
}

func TestLargeUpdateGoesThroughJournalAtomically(t *testing.T) {
	s, dir := newPlain(t)
	const n = 5000 // far beyond one Badger transaction at our memtable size
	err := s.Update(context.Background(), func(tx *Tx) error {
		for i := 0; i < n; i++ {
			if err := tx.Put(KindAsset, &assets.Asset{Tag: fmt.Sprintf("A-%05d", i), Type: assets.TypePLC, Notes: string(bytes.Repeat([]byte("n"), 300))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, _ := All[assets.Asset](s, KindAsset)
	if len(all) != n {
		t.Fatalf("%d assets after journal commit", len(all))
	}
	// A cancelled update writes nothing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = s.Update(ctx, func(tx *Tx) error {
		for i := 0; i < n; i++ {
			tx.Put(KindAsset, &assets.Asset{Tag: fmt.Sprintf("B-%05d", i), Type: assets.TypePLC, Notes: string(bytes.Repeat([]byte("n"), 300))})
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled update: %v", err)
	}
	s.Close()
	s2, err := Open(dir, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	all, _ = All[assets.Asset](s2, KindAsset)
	if len(all) != n {
		t.Fatalf("%d assets after cancelled update and reopen, want %d", len(all), n)
	}
}

func TestFailedUpdateWritesNothing(t *testing.T) {
	s, _ := newPlain(t)
	err := s.Update(context.Background(), func(tx *Tx) error {
		tx.Put(KindZone, &assets.Zone{Name: "Z"})
		return errors.New("validation failed")
	})
	if err == nil {
		t.Fatal("want error")
	}
	if zs, _ := All[assets.Zone](s, KindZone); len(zs) != 0 {
		t.Fatal("failed update left a zone")
	}
}

func TestPutRawKeepsForeignStampAndAdvancesClock(t *testing.T) {
	s, _ := newPlain(t)
	foreign := assets.Zone{Meta: assets.Meta{ID: "z1", Version: assets.Stamp{Wall: time.Now().Add(time.Hour).UnixNano(), Device: "other"}}, Name: "Remote"}
	raw, _ := json.Marshal(foreign)
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(KindZone, raw) }); err != nil {
		t.Fatal(err)
	}
	var got assets.Zone
	s.Get(KindZone, "z1", &got)
	if got.Version != foreign.Version {
		t.Fatalf("stamp changed: %v", got.Version)
	}
	local := &assets.Zone{Name: "Local"}
	s.Put(KindZone, local)
	if local.Version.Compare(foreign.Version) <= 0 {
		t.Fatalf("local edit %v does not sort after merged %v", local.Version, foreign.Version)
	}
	if err := s.Update(context.Background(), func(tx *Tx) error { return tx.PutRaw(KindZone, []byte(`{"id":"x"}`)) }); err == nil {
		t.Fatal("record without stamp accepted")
	}
}

func TestSettings(t *testing.T) {
	s, _ := newPlain(t)
	if _, err := s.Setting("k"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	s.PutSetting("k", []byte("v"))
	if v, err := s.Setting("k"); err != nil || string(v) != "v" {
		t.Fatal(v, err)
	}
}
