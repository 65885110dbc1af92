package app_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

var ctx = context.Background()

func newWorkspace(t *testing.T) (*app.Workspace, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	w, err := app.Create(ctx, dir, app.Options{Unencrypted: true, Author: "tester"}, assets.Audit{Title: "Test audit"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w, dir
}

func TestZonesAssetsAndUndo(t *testing.T) {
	w, dir := newWorkspace(t)
	z, err := w.SaveZone(assets.Zone{Name: "Control", SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveZone(assets.Zone{Name: " control "}); !errors.Is(err, app.ErrDuplicateName) {
		t.Fatalf("duplicate zone name: %v", err)
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Zone: "missing"}); !errors.Is(err, assets.ErrInvalid) {
		t.Fatalf("asset in unknown zone: %v", err)
	}
	plc, err := w.SaveAsset(assets.Asset{Tag: "PLC-101", Type: assets.TypePLC, Vendor: "Siemens", Zone: z.ID, Serial: "S1", IPs: []string{"10.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	dup, err := w.DuplicateAsset(plc.ID)
	if err != nil || dup.Tag != "PLC-102" || dup.Serial != "" || dup.IPs != nil || dup.Zone != z.ID || dup.Vendor != "Siemens" {
		t.Fatalf("duplicate = %+v, %v", dup, err)
	}
	if err := w.DeleteAsset(plc.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := w.Asset(plc.ID); ok || w.AssetCount() != 1 {
		t.Fatal("deleted asset still listed")
	}
	if err := w.Restore(store.KindAsset, plc.ID); err != nil {
		t.Fatal(err)
	}
	if got, ok := w.Asset(plc.ID); !ok || got.Tag != "PLC-101" {
		t.Fatal("undo did not bring the asset back")
	}
	if _, err := w.SaveConduit(assets.Conduit{Name: "C1", From: z.ID}); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteZone(ctx, z.ID); !errors.Is(err, app.ErrInUse) {
		t.Fatalf("delete zone with conduit: %v", err)
	}
	for _, c := range w.Conduits() {
		w.DeleteConduit(c.ID)
	}
	if err := w.DeleteZone(ctx, z.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(w.FilterAssets(app.AssetFilter{Zone: app.Unassigned})); n != 2 {
		t.Fatalf("%d unassigned assets after deleting their zone, want 2", n)
	}
	// Everything is on disk: reopen and compare.
	w.Close()
	w2, err := app.Open(ctx, dir, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w2.Close()
	if w2.AssetCount() != 2 || len(w2.Zones()) != 0 || w2.Audit().Title != "Test audit" {
		t.Fatalf("after reopen: %d assets, %d zones, audit %q", w2.AssetCount(), len(w2.Zones()), w2.Audit().Title)
	}
}

func TestFilterAssets(t *testing.T) {
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	all := w.Assets()
	if len(all) < 50 {
		t.Fatalf("demo has %d assets", len(all))
	}
	for i := 1; i < len(all); i++ {
		if strings.ToLower(all[i-1].Title()) > strings.ToLower(all[i].Title()) {
			t.Fatalf("not sorted: %s before %s", all[i-1].Title(), all[i].Title())
		}
	}
	cases := []struct {
		f    app.AssetFilter
		want func(a *assets.Asset) bool
	}{
		{app.AssetFilter{Text: "siemens s7-15"}, func(a *assets.Asset) bool {
			return a.Vendor == "Siemens" && strings.Contains(strings.ToLower(a.Model), "s7-15")
		}},
		{app.AssetFilter{Zone: demo.ZoneDosing}, func(a *assets.Asset) bool { return a.Zone == demo.ZoneDosing }},
		{app.AssetFilter{Type: assets.TypeRTU}, func(a *assets.Asset) bool { return a.Type == assets.TypeRTU }},
		{app.AssetFilter{Purdue: assets.Purdue35, Type: assets.TypeServer, Text: "windows"}, func(a *assets.Asset) bool {
			return a.Purdue == assets.Purdue35 && a.Type == assets.TypeServer && strings.Contains(a.Model, "Windows")
		}},
		{app.AssetFilter{Text: "10.2.1."}, func(a *assets.Asset) bool { return len(a.IPs) > 0 && strings.HasPrefix(a.IPs[0], "10.2.1.") }},
	}
	for _, c := range cases {
		got := w.FilterAssets(c.f)
		want := 0
		for _, a := range all {
			if c.want(a) {
				want++
			}
		}
		if len(got) != want || want == 0 {
			t.Errorf("filter %+v: %d results, want %d", c.f, len(got), want)
		}
		for _, a := range got {
			if !c.want(a) {
				t.Errorf("filter %+v let through %s", c.f, a.Title())
			}
		}
	}
}

func TestCSVImportIsAllOrNothing(t *testing.T) {
	w, _ := newWorkspace(t)
	z, _ := w.SaveZone(assets.Zone{Name: "Filtration"})
	existing, _ := w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC, Zone: z.ID})
	var before bytes.Buffer
	w.ExportCSV(&before, app.AssetFilter{})

	bad := "id,tag,type,zone\n" +
		",PLC-2,plc,Filtration\n" +
		",PLC-3,plc,Nowhere\n" +
		"no-such-id,PLC-4,plc,\n"
	_, err := w.ImportCSV(ctx, strings.NewReader(bad))
	var ce *assets.CSVError
	if !errors.As(err, &ce) {
		t.Fatalf("want *CSVError, got %v", err)
	}
	var after bytes.Buffer
	w.ExportCSV(&after, app.AssetFilter{})
	if before.String() != after.String() || w.AssetCount() != 1 {
		t.Fatalf("a failed import changed the inventory:\n%s", after.String())
	}

	good := "id,tag,type,zone,firmware\n" +
		existing.ID + ",PLC-1,plc,Filtration,V2.9\n" +
		",PLC-2,plc,filtration,\n" +
		",HMI-1,hmi,,\n"
	res, err := w.ImportCSV(ctx, strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 2 || res.Updated != 1 || w.AssetCount() != 3 {
		t.Fatalf("result %+v, %d assets", res, w.AssetCount())
	}
	if a, _ := w.Asset(existing.ID); a.Firmware != "V2.9" || a.Version == existing.Version {
		t.Fatalf("update by ID did not apply: %+v", a)
	}
	if n := len(w.FilterAssets(app.AssetFilter{Zone: app.Unassigned})); n != 1 {
		t.Fatalf("empty zone should leave the asset unassigned, got %d unassigned", n)
	}
}

func TestCSVExportImportRoundTripOfDemo(t *testing.T) {
	src, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var csv bytes.Buffer
	if err := src.ExportCSV(&csv, app.AssetFilter{}); err != nil {
		t.Fatal(err)
	}
	// Into a fresh workspace with the same zone names: strip the IDs.
	dst, _ := newWorkspace(t)
	for _, z := range src.Zones() {
		z.Meta = assets.Meta{}
		if _, err := dst.SaveZone(z); err != nil {
			t.Fatal(err)
		}
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = lines[i][strings.Index(lines[i], ","):]
	}
	if _, err := dst.ImportCSV(ctx, strings.NewReader(strings.Join(lines, "\n"))); err != nil {
		t.Fatal(err)
	}
	if dst.AssetCount() != src.AssetCount() {
		t.Fatalf("%d assets imported of %d", dst.AssetCount(), src.AssetCount())
	}
}

func TestEvidenceIsStoredOnce(t *testing.T) {
	w, _ := newWorkspace(t)
	a, _ := w.SaveAsset(assets.Asset{Tag: "PLC-1", Type: assets.TypePLC})
	owner := assets.Ref{Kind: string(store.KindAsset), ID: a.ID}
	photo := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{7}, 100000)...)
	e1, err := w.AttachEvidence(owner, "front.jpg", photo, "Nameplate")
	if err != nil {
		t.Fatal(err)
	}
	e2, err := w.AttachEvidence(owner, "front-again.jpg", photo, "")
	if err != nil {
		t.Fatal(err)
	}
	if e1.SHA256 != e2.SHA256 || e1.ID == e2.ID || e1.MediaType != "image/jpeg" {
		t.Fatalf("evidence: %+v %+v", e1, e2)
	}
	list, err := w.Evidence(owner)
	if err != nil || len(list) != 2 {
		t.Fatalf("evidence of asset: %d, %v", len(list), err)
	}
	data, err := w.EvidenceData(e1)
	if err != nil || !bytes.Equal(data, photo) {
		t.Fatal("evidence bytes differ")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "enc")
	w, err := app.Create(ctx, dir, app.Options{Passphrase: []byte("s3cret passphrase")}, assets.Audit{Title: "Enc"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Open(ctx, dir, app.Options{Passphrase: []byte("s3cret passphrase")}); !errors.Is(err, store.ErrLocked) {
		t.Fatalf("double open: %v", err)
	}
	w.Close()
	if _, err := app.Open(ctx, dir, app.Options{Passphrase: []byte("nope")}); !errors.Is(err, store.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	w, err = app.Open(ctx, dir, app.Options{Passphrase: []byte("s3cret passphrase")})
	if err != nil || w.Audit().Title != "Enc" {
		t.Fatalf("reopen: %v", err)
	}
	w.Close()
}
