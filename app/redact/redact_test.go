package redact

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/oscal"
	"github.com/zonewalk/zonewalk/app/report"
	"github.com/zonewalk/zonewalk/app/workbook"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

var ctx = context.Background()

// secrets are values planted in the demo audit that a profile leaves out.
type secrets struct {
	ips, macs, serials, names, notes, exif, zoneOnly []string
}

// jpegWithEXIF is a small photo whose APP1 segment carries text a camera
// would: the pixels are fine to share, the metadata is not.
func jpegWithEXIF(t *testing.T, text string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	payload := append([]byte("Exif\x00\x00"), []byte(text)...)
	seg := []byte{0xff, 0xe1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return append(append(append([]byte{}, b[:2]...), append(seg, payload...)...), b[2:]...)
}

// plant builds the demo audit with people, notes, a photo with EXIF and
// imported traffic, and says which values are where.
func plant(t *testing.T) (*app.Workspace, secrets) {
	t.Helper()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "demo"), "Ada Lovelace")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	var s secrets
	plc, ok := w.AssetByTag("PLC-101")
	if !ok {
		t.Fatal("demo has no PLC-101")
	}
	plc.Serial, plc.Owner, plc.Notes = "SN-REDACT-7731", "Grace Hopper", "spare key taped inside cabinet door 4471"
	plc.MACs = []string{"00:1b:1b:aa:bb:cc"}
	if plc, err = w.SaveAsset(plc); err != nil {
		t.Fatal(err)
	}
	s.serials = append(s.serials, plc.Serial)
	s.names = append(s.names, "Grace Hopper", "Ada Lovelace")
	s.notes = append(s.notes, plc.Notes)
	s.macs = append(s.macs, plc.MACs...)
	for _, a := range w.Assets() {
		s.ips = append(s.ips, a.IPs...)
	}
	audit := w.Audit()
	s.names = append(s.names, audit.Auditors...)
	if _, err := w.AttachEvidence(assets.Ref{Kind: "asset", ID: plc.ID}, "cabinet.jpg", jpegWithEXIF(t, "CAMERA-SERIAL-99881 GPS 51.5N"), "cabinet"); err != nil {
		t.Fatal(err)
	}
	s.exif = append(s.exif, "CAMERA-SERIAL-99881")
	f, err := w.AddObservation(ctx, checks.Observation{Subject: assets.Ref{Kind: "asset", ID: plc.ID}, Title: "PLC-101 reachable from 10.1.1.10's neighbour",
		Severity: checks.Medium})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingOwner(ctx, f.ID, "Margaret Hamilton"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingNotes(ctx, f.ID, "ask Linus about the firewall change"); err != nil {
		t.Fatal(err)
	}
	s.names = append(s.names, "Margaret Hamilton")
	s.notes = append(s.notes, "ask Linus about the firewall change")
	capture := filepath.Join(t.TempDir(), "span.pcap")
	cf, _ := os.Create(capture)
	if err := demo.WriteSampleCapture(cf); err != nil {
		t.Fatal(err)
	}
	cf.Close()
	if _, err := w.ImportTraffic(ctx, []string{capture}, nil); err != nil {
		t.Fatal(err)
	}
	s.ips = append(s.ips, "10.4.1.51", "10.3.1.7")
	for _, a := range w.Assets() {
		if z, _ := w.Zone(a.Zone); z.Name != "Filtration Control" && a.Zone != "" {
			s.zoneOnly = append(s.zoneOnly, a.Tag)
		}
	}
	return w, s
}

// outputs writes every output of a workspace and returns their bytes as
// a reader of them would see them: PDF text and metadata, OSCAL JSON, and
// a bundle's decrypted members.
func outputs(t *testing.T, w *app.Workspace) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	out := map[string][]byte{}
	pdf := filepath.Join(dir, "report.pdf")
	if _, err := report.WriteFile(ctx, w, pdf, report.Options{Date: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
	for name, cmd := range map[string][]string{
		"report text":     {"pdftotext", pdf, "-"},
		"report metadata": {"pdfinfo", "-meta", pdf},
	} {
		b, err := exec.Command(cmd[0], cmd[1:]...).Output()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b
	}
	qdf := filepath.Join(dir, "report-qdf.pdf")
	if b, err := exec.Command("qpdf", "--qdf", "--object-streams=disable", pdf, qdf).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v %s", err, b)
	}
	out["report (uncompressed)"], _ = os.ReadFile(qdf)
	for _, m := range oscal.Models {
		f := filepath.Join(dir, string(m)+".json")
		if _, err := oscal.WriteFile(ctx, w, f, oscal.Options{Model: m}); err != nil {
			t.Fatal(err)
		}
		out["oscal "+string(m)], _ = os.ReadFile(f)
	}
	for _, name := range []string{"findings.xlsx", "findings.csv"} {
		f := filepath.Join(dir, name)
		if _, err := workbook.WriteFile(ctx, w, f, workbook.Options{}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(f)
		if strings.HasSuffix(name, ".csv") {
			out["workbook csv"] = b
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		for _, zf := range zr.File { // every part of the workbook, as XML
			rc, _ := zf.Open()
			out["workbook "+zf.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	zwb := filepath.Join(dir, "copy.zwb")
	if _, err := bundle.Export(ctx, w, zwb, bundle.ExportOptions{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	enc, _ := os.Open(zwb)
	defer enc.Close()
	plain, err := age.Decrypt(enc, id)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(plain)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		out["bundle "+h.Name] = b
	}
	return out
}

func assertAbsent(t *testing.T, outs map[string][]byte, what string, values []string) {
	t.Helper()
	for name, b := range outs {
		for _, v := range values {
			if v != "" && bytes.Contains(b, []byte(v)) {
				t.Errorf("%s: %s value %q found", name, what, v)
			}
		}
	}
}

func assertPresent(t *testing.T, outs map[string][]byte, name, value string) {
	t.Helper()
	if !bytes.Contains(outs[name], []byte(value)) {
		t.Errorf("%s lacks %q: the test would not see a leak", name, value)
	}
}

func TestPublicSummaryLeavesNothingOut(t *testing.T) {
	src, s := plant(t)
	// The original's outputs do hold every planted value: the checks below
	// can fail.
	orig := outputs(t, src)
	assertPresent(t, orig, "oscal assessment-results", "SN-REDACT-7731")
	assertPresent(t, orig, "report text", "Margaret Hamilton")
	assertPresent(t, orig, "oscal assessment-results", "10.1.1.10")
	assertPresent(t, orig, "workbook xl/worksheets/sheet2.xml", "Margaret Hamilton")
	exifInOriginal := false
	for name, b := range orig {
		exifInOriginal = exifInOriginal || strings.HasPrefix(name, "bundle blobs/") && bytes.Contains(b, []byte(s.exif[0]))
	}
	if !exifInOriginal {
		t.Error("the original bundle's photo lacks its EXIF text: the test would not see a leak")
	}

	p, err := Load("public-summary")
	if err != nil {
		t.Fatal(err)
	}
	cp, sum, err := Copy(ctx, src, filepath.Join(t.TempDir(), "copy"), p)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if sum.Scrubbed == 0 || sum.DroppedEvidence == 0 || sum.Assets != src.AssetCount() {
		t.Errorf("summary %+v", sum)
	}
	outs := outputs(t, cp)
	assertAbsent(t, outs, "IP", s.ips)
	assertAbsent(t, outs, "MAC", s.macs)
	assertAbsent(t, outs, "serial", s.serials)
	assertAbsent(t, outs, "name", s.names)
	assertAbsent(t, outs, "note", s.notes)
	assertAbsent(t, outs, "EXIF", s.exif)
	assertPresent(t, outs, "report text", "Redacted copy (profile public-summary)")
	assertPresent(t, outs, "oscal assessment-results", "redacted copy: public-summary")
	assertPresent(t, outs, "report text", "PLC-101") // tags stay: the model is still readable
}

// A custom profile that keeps photos: their pixels travel, their EXIF does
// not; one zone only: nothing of the others.
func TestZonesAndPhotosProfile(t *testing.T) {
	src, s := plant(t)
	file := filepath.Join(t.TempDir(), "filtration.json")
	os.WriteFile(file, []byte(`{"name": "filtration-vendor", "zones": ["Filtration Control"], "drop": ["names", "notes"]}`), 0o600)
	p, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	cp, sum, err := Copy(ctx, src, filepath.Join(t.TempDir(), "copy"), p)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if sum.Zones != 1 || sum.DroppedZones == 0 || sum.DroppedAssets == 0 {
		t.Errorf("summary %+v", sum)
	}
	outs := outputs(t, cp)
	assertAbsent(t, outs, "other zones' asset", s.zoneOnly)
	assertAbsent(t, outs, "EXIF", s.exif)
	assertAbsent(t, outs, "name", s.names)
	photos := 0
	for name, b := range outs {
		if strings.HasPrefix(name, "bundle blobs/") {
			photos++
			if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
				t.Errorf("%s is no longer a JPEG: %v", name, err)
			}
		}
	}
	if photos != 1 {
		t.Errorf("%d photos in the bundle, want the PLC's one", photos)
	}
	assertPresent(t, outs, "oscal assessment-results", "SN-REDACT-7731") // serials kept by this profile
}

func TestBadProfiles(t *testing.T) {
	src, _ := plant(t)
	if _, err := Load("no-such-profile"); !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), "public-summary") {
		t.Errorf("unknown profile: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"name": "x", "drop": ["ips", "passwords"]}`), 0o600)
	if _, err := Load(bad); !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), `"passwords"`) {
		t.Errorf("unknown category: %v", err)
	}
	os.WriteFile(bad, []byte(`{"name": "x", "zone": ["typo"]}`), 0o600)
	if _, err := Load(bad); !errors.Is(err, ErrProfile) {
		t.Errorf("unknown field: %v", err)
	}
	if _, _, err := Copy(ctx, src, filepath.Join(t.TempDir(), "c"), Profile{Name: "x", Zones: []string{"Atlantis"}}); !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), `"Atlantis"`) {
		t.Errorf("unknown zone: %v", err)
	}
}

// A bundle of a redacted copy can never be merged into the original.
func TestRedactedBundleIsAnotherAudit(t *testing.T) {
	src, _ := plant(t)
	p, _ := Load("vendor")
	cp, _, err := Copy(ctx, src, filepath.Join(t.TempDir(), "copy"), p)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if cp.Audit().ID == src.Audit().ID {
		t.Fatal("the copy has the original's audit ID")
	}
}
