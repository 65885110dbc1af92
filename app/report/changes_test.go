package report

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// The demo audit a year on: HMI-LAB-01's firmware read, HMI-CR-03 deleted
// and recorded again, SCADA's SL-T raised on FR 3 and its SR 1.1 no longer
// met (SL-A of FR 1 falls from 1 to 0). The report then has the section
// "Changes since the previous audit"; without a baseline it has none.
func TestChangesSection(t *testing.T) {
	ctx := context.Background()
	before, err := demo.Create(ctx, filepath.Join(t.TempDir(), "2025"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "2026"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	hmi, _ := w.Asset("asset-hmi4")
	hmi.Firmware = "2014 R2 SP1"
	again, _ := w.Asset("asset-hmi3")
	z, _ := w.Zone(demo.ZoneSCADA)
	z.SLT[assets.SI] = 3
	again.Meta = assets.Meta{ID: "asset-hmi3-again"}
	if _, err := w.SaveAsset(hmi); err != nil {
		t.Fatal(err)
	}
	if err := w.DeleteAsset("asset-hmi3"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveAsset(again); err != nil {
		t.Fatal(err)
	}
	if _, err := w.SaveZone(z); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: "SR 1.1", Zone: demo.ZoneSCADA,
		Status: checklist.StatusNotMet, Note: "Shared operator login"}); err != nil {
		t.Fatal(err)
	}
	changes, err := diff.Compare(ctx, before, w, fixedDate)
	if err != nil {
		t.Fatal(err)
	}

	plain := filepath.Join(t.TempDir(), "plain.pdf")
	if _, err := WriteFile(ctx, w, plain, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(pdfToText(t, plain), "Changes since the previous audit") {
		t.Error("a report without a baseline has the changes section")
	}
	path := filepath.Join(t.TempDir(), "changes.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true, Changes: changes}, nil); err != nil {
		t.Fatal(err)
	}
	qpdfCheck(t, path)
	keep(t, path, "changes.pdf")
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "Changes since the previous audit", "judged on 2026-11-27",
		"1 added (1 re-created with the same tag), 1 removed, 1 changed; 61 before, 61 now",
		"Achieved security level per zone, before and after", "Not assessed in either audit: Enterprise IT",
		"Findings resolved since the previous audit", "New findings", "Not met: SR 1.1 Human user identification",
		"Assets added and removed", "HMI-CR-03", "removed (re-created, same tag)",
		"Assets changed", "HMI-LAB-01 firmware – 2014 R2 SP1",
		"Zones and conduits changed", "Zone SCADA & Operations SL-T FR 3 SI 2 3", "Zone SCADA & Operations SL-A FR 1 IAC 1 0",
		"Checklist answers changed", "met not-met: Shared operator login")
	// The chart's figures under the SCADA pairs: FR 1 fell, FR 4 stayed at 2.
	// (pdftotext keeps no spaces around the arrows: compare without any.)
	layout := strings.Join(strings.Fields(pdfToText(t, path, "-layout")), "")
	mustContain(t, layout, "IACUCSIDCRDFTRERA1→01→11→12→21→11→11→1")
	// The section comes before the scope, in the table of contents too.
	if i, j := strings.Index(flat, "Changes since the previous audit"), strings.Index(flat, "Executive summary"); i < 0 || j < 0 || i < j {
		t.Errorf("the changes section is not after the executive summary")
	}
}
