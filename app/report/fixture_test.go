package report

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

var outDir = flag.String("out", "", "also copy the reports tests make to this directory (to look at them)")

// fixedDate keeps reports of the same data comparable.
var fixedDate = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// The extra zone of the fixture: a name outside ASCII.
const umlautZone = "Zone Ü – Süd"

// demoWorkspace creates the demo audit in a temporary directory and adds
// what a finished audit has: checklist answers, findings and evidence of
// every kind the report treats differently.
func demoWorkspace(t testing.TB) *app.Workspace {
	t.Helper()
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "ws"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	seedAudit(t, w)
	return w
}

func seedAudit(t testing.TB, w *app.Workspace) {
	t.Helper()
	ctx := context.Background()
	z, err := w.SaveZone(assets.Zone{Name: umlautZone, Description: "Außenanlage Süd: Pumpwerk and Überlaufbecken. " + strings.Repeat("Sehr-lange-Bezeichnung-ohne-Leerzeichen-", 4),
		PurdueLevels: []assets.Purdue{assets.Purdue1}, SLT: assets.UniformSL(2)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(assets.Asset{Tag: "PLC-SÜD-01", Name: "Pumpwerk Süd", Type: assets.TypePLC, Zone: z.ID,
		Vendor: "Siemens", Model: "S7-1500", Criticality: assets.CriticalityHigh}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveConduit(assets.Conduit{Name: "C10 SCADA – Süd", From: demo.ZoneSCADA, To: z.ID,
		Flows: []assets.Flow{{Protocol: "S7comm", Ports: "102"}}, SLT: assets.UniformSL(2)}); err != nil {
		t.Fatal(err)
	}

	zt := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	for zi, zone := range []string{demo.ZoneSCADA, demo.ZoneSIS, z.ID} {
		for i, it := range zt.Items() {
			in := app.AnswerInput{Template: zt.ID, Item: it.ID, Zone: zone, Status: checklist.StatusMet}
			switch {
			case (i+zi)%7 == 3:
				in.Status, in.Note = checklist.StatusNotMet, fmt.Sprintf("Not in place (item %d).", i)
				if i < 7 { // a note no table column is wide enough for
					in.Note += ` See \\fs01\ot-security\audits\2026\` + strings.Repeat("evidence-folder-without-spaces-", 8) + "end."
				}
			case (i+zi)%11 == 5:
				in.Status, in.Note = checklist.StatusPartial, "Only on some hosts."
			case (i+zi)%13 == 0:
				in.Status, in.Note = checklist.StatusNA, fmt.Sprintf("Not part of this zone's design (item %d).", i)
			}
			if _, err := w.AnswerItem(in); err != nil {
				t.Fatal(err)
			}
		}
	}
	pt := checklist.BuiltinByID(checklist.IEC62443_2_1_2024)
	for i, it := range pt.Items() {
		if i%3 != 0 {
			continue // the demo's own answers stay for the rest
		}
		in := app.AnswerInput{Template: pt.ID, Item: it.ID, Maturity: 1 + i%4,
			Status: []checklist.Status{checklist.StatusMet, checklist.StatusPartial, checklist.StatusNotMet, checklist.StatusMet}[i%4]}
		if i%5 == 0 {
			in.Note = "Procedure exists on paper; interviews showed it is followed on the day shift only. " + strings.Repeat("Details. ", i%7)
		}
		if _, err := w.AnswerItem(in); err != nil {
			t.Fatal(err)
		}
	}

	// Findings as the model checks raise them, and one of the auditor's.
	if _, err := w.RunChecks(ctx, fixedDate); err != nil {
		t.Fatal(err)
	}
	fs, err := w.Findings()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) < 3 {
		t.Fatalf("the model checks raised only %d findings on the demo", len(fs))
	}
	if _, err := w.SetFindingOwner(ctx, fs[0].ID, "OT Systems team"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingDue(ctx, fs[0].ID, "2027-03-31"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingStatus(ctx, fs[1].ID, checks.StatusAccepted, "Replacement is funded for 2027; until then the cabinet stays locked."); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingStatus(ctx, fs[2].ID, checks.StatusClosed, ""); err != nil {
		t.Fatal(err)
	}
	obs, err := w.AddObservation(ctx, checks.Observation{Subject: assets.Ref{Kind: "zone", ID: z.ID},
		Title: "Überlaufbecken-Schaltschrank unverschlossen", Severity: checks.Critical,
		Detail:         "The control cabinet of the overflow basin was found open with the key in the lock. " + strings.Repeat("x", 300),
		Recommendation: "Lock the cabinet, keep the key in the control room key safe and add a door contact to the SCADA alarm list.",
		Owner:          "Site manager", Due: "2026-12-15", References: []string{"62443-3-3 SR 2.1"}})
	if err != nil {
		t.Fatal(err)
	}

	attach := func(owner assets.Ref, name string, data []byte, caption string) {
		t.Helper()
		if _, err := w.AttachEvidence(owner, name, data, caption); err != nil {
			t.Fatal(err)
		}
	}
	attach(assets.Ref{Kind: "finding", ID: obs.ID}, "cabinet-open.jpg", testJPEG(t, 640, 480, 6, 1), "Cabinet found open, key in the lock")
	attach(assets.Ref{Kind: "finding", ID: obs.ID}, "cabinet-detail.png", testPNG(t, 300, 200), "")
	attach(assets.Ref{Kind: "finding", ID: obs.ID}, "inspection-notes.txt", []byte("notes from the walk-down\n"), "Walk-down notes")
	attach(assets.Ref{Kind: "asset", ID: "asset-plc104"}, "plc104-label.jpg", testJPEG(t, 800, 600, 1, 2), "Rating plate of PLC-104")
	attach(assets.Ref{Kind: "zone", ID: demo.ZoneSIS}, "broken.jpg", []byte("\xff\xd8\xff\xe0 this is not really a JPEG"), "Damaged file")
	attach(assets.Ref{Kind: "audit", ID: w.Audit().ID}, "site-entrance.jpg", testJPEG(t, 1200, 800, 1, 3), "Site entrance")
	attach(assets.Ref{Kind: "conduit", ID: "conduit-vendor-remote"}, "vpn-config.pdf", []byte("%PDF-1.4\n%…"), "VPN concentrator configuration")
	attach(assets.Ref{Kind: "finding", ID: "no-such-finding"}, "orphan.jpg", testJPEG(t, 320, 240, 1, 4), "Evidence of a deleted finding")
}

// testJPEG makes a JPEG of w×h pixels: a gradient with a dark bar at the
// top of the upright picture, so a test can see the orientation was
// applied. orient ≠ 1 stores the pixels turned and an EXIF tag saying so.
func testJPEG(t testing.TB, w, h, orient int, seed int) []byte {
	t.Helper()
	// Upright picture: dark bar along the top.
	up := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(60 * seed), 255}
			if y < h/8 {
				c = color.RGBA{10, 10, 10, 255}
			}
			up.Set(x, y, c)
		}
	}
	img := image.Image(up)
	if orient == 6 { // stored turned 90° anticlockwise; viewers turn it back clockwise
		st := image.NewRGBA(image.Rect(0, 0, h, w))
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				st.Set(y, w-1-x, up.At(x, y))
			}
		}
		img = st
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if orient != 1 {
		b = withOrientation(b, orient)
	}
	return b
}

// withOrientation inserts an EXIF APP1 segment with the orientation tag
// after the SOI marker (big-endian TIFF, one IFD entry).
func withOrientation(jpg []byte, o int) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	n := len(payload) + 2
	seg := append([]byte{0xFF, 0xE1, byte(n >> 8), byte(n)}, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.NRGBA{200, uint8(x % 256), 40, uint8(255 * (x + y) / (w + h))})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pdfToText extracts the text of a PDF with poppler's pdftotext.
func pdfToText(t testing.TB, path string, extra ...string) string {
	t.Helper()
	args := append(append([]string{}, extra...), path, "-")
	out, err := exec.Command("pdftotext", args...).Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// qpdfCheck runs qpdf --check, which reads every object and stream.
func qpdfCheck(t testing.TB, path string) {
	t.Helper()
	out, err := exec.Command("qpdf", "--check", path).CombinedOutput()
	if err != nil {
		t.Fatalf("qpdf --check %s: %v\n%s", path, err, out)
	}
	if !strings.Contains(string(out), "No syntax or stream encoding errors found") {
		t.Fatalf("qpdf --check %s:\n%s", path, out)
	}
}

// keep copies a produced file to -out DIR.
func keep(t testing.TB, path, name string) {
	t.Helper()
	if *outDir == "" {
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}
