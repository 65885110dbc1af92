package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/report"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// The v1 vectors in testdata/v1 were written by Zonewalk at format
// version 1 (commit 8f6161d) and are never regenerated: a change that
// cannot read them, or reads them differently, breaks audits already on
// auditors' laptops. v1-records.txt is every stored record as v1 wrote it.
const (
	v1Passphrase = "vector passphrase v1"
	// v1Digest is the data digest the v1 report printed for v1-workspace.
	v1Digest = "e0c57a2ce750f53560f2f8c8a901f382285430dd9a41cde47a42bb0c5f038cb3"
)

// copyVector copies a vector directory, since opening a workspace writes.
func copyVector(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if out, err := exec.Command("cp", "-a", filepath.Join("testdata", "v1", name), dst).CombinedOutput(); err != nil {
		t.Fatalf("copy %s: %v %s", name, err, out)
	}
	return dst
}

// recordsText lists every record of a store as v1-records.txt does.
func recordsText(t *testing.T, st *store.Store) string {
	t.Helper()
	var lines []string
	if err := st.ScanAll(func(kind store.Kind, raw []byte, deleted bool) error {
		lines = append(lines, fmt.Sprintf("%s\t%v\t%s", kind, deleted, raw))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

func TestV1WorkspaceVector(t *testing.T) {
	ctx := context.Background()
	dir := copyVector(t, "v1-workspace")
	if _, err := app.Open(ctx, dir, app.Options{Passphrase: []byte("not the passphrase")}); !errors.Is(err, store.ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v, want ErrWrongPassphrase", err)
	}
	w, err := app.Open(ctx, dir, app.Options{Passphrase: []byte(v1Passphrase)})
	if err != nil {
		t.Fatalf("open the v1 workspace: %v", err)
	}
	defer w.Close()

	want, err := os.ReadFile(filepath.Join("testdata", "v1", "v1-records.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := recordsText(t, w.Store()); got != string(want) {
		t.Errorf("stored records differ from what v1 wrote:\n got: %s\nwant: %s", got, want)
	}

	// Decoded into today's types, the records mean what v1 meant.
	if a := w.Audit(); a.Title != "Vector audit v1" || a.Site != "Pumpwerk Süd" || a.StartDate != "2026-11-02" {
		t.Errorf("audit = %+v", a)
	}
	if n := len(w.Zones()); n != 2 {
		t.Errorf("%d zones, want 2", n)
	}
	list := w.FilterAssets(app.AssetFilter{Text: "PLC-101"})
	if len(list) != 1 {
		t.Fatalf("PLC-101: %d assets", len(list))
	}
	p := list[0]
	z, _ := w.Zone(p.Zone)
	if p.Vendor != "Siemens" || p.Firmware != "V2.9.4" || p.IPs[0] != "10.10.1.11" || p.MACs[0] != "00:1b:1b:aa:bb:01" ||
		p.Purdue != "1" || p.Criticality != assets.CriticalityHigh || p.Location.Cabinet != "C3" || p.SLC != 2 ||
		p.Notes != "Ω line 2 – Süd" || z.Name != "Filtration Control" || z.SLT != (assets.SLVector{2, 2, 1, 2, 2, 1, 2}) {
		t.Errorf("PLC-101 = %+v in zone %+v", *p, z)
	}
	if n := w.AssetCount(); n != 2 {
		t.Errorf("%d live assets, want 2 (the third is a tombstone)", n)
	}
	evs, err := w.Evidence(assets.Ref{Kind: "asset", ID: p.ID})
	if err != nil || len(evs) != 1 {
		t.Fatalf("evidence of PLC-101: %v %v", evs, err)
	}
	data, err := w.EvidenceData(evs[0])
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != evs[0].SHA256 || string(data) != "photo stand-in: cabinet C3, PLC-101\n" {
		t.Errorf("evidence bytes %q", data)
	}
	answers, err := w.Answers("iec62443-3-3-2013")
	if err != nil || len(answers) != 1 || answers[0].Item != "SR 5.2" || answers[0].Status != "met" {
		t.Errorf("answers = %+v, %v", answers, err)
	}
	if d, err := report.Digest(ctx, w); err != nil || d != v1Digest {
		t.Errorf("report digest %s (%v), v1 printed %s", d, err, v1Digest)
	}
}
