package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
)

// needPoppler skips a test that reads PDFs back when poppler's tools are
// missing on a developer's machine; under CI they must be there.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is required under CI: %v", tool, err)
			}
			t.Skipf("%s not installed: %v", tool, err)
		}
	}
}

// riskWorkspace is a small audit with everything the three new sections
// show, its figures worked out by hand in the comments:
//
//   - Zone "Cell A" (PLC-A1, PLC-A2: Acme P-100; HMI-A: nothing known)
//     accepts the register's suggestion. Only "Remote reprogramming"
//     applies above the line (scoped to the zone, attacker SL 2, FRs IAC
//     and SI; residual 3 × 3 = 9 > 4), so SL-T = 2,0,2,0,0,0,0.
//   - Zone "Safety" (SIS-1, recorded 3,3,3,2,3,2,3) is overridden to SL 3
//     with a reason: nothing above the line applies to it (the
//     site-wide "Contractor laptop" is 2 × 2 = 4, tolerable), so the
//     suggestion is all 0.
//   - Zone "Office" has SL 1 typed in.
//   - Acme P-100 has a certificate of level 1 and no vector: SL-C 1 in
//     every FR, so Cell A is capped at 1 by both PLCs in IAC and SI.
//   - Cell A's SR 5.1 is met by compensation (the cell firewall), 5.2–5.4
//     are met: RDF's SL-1 items are all satisfied, SL-A RDF = 1; SR 1.6
//     is N/A with a reason; nothing else is answered, so the other FRs
//     are at SL-A 0.
func riskWorkspace(t *testing.T) *app.Workspace {
	t.Helper()
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "Risk basis audit"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cell, err := w.SaveZone(assets.Zone{Name: "Cell A", PurdueLevels: []assets.Purdue{assets.Purdue1}})
	must(err)
	safety, err := w.SaveZone(assets.Zone{Name: "Safety", PurdueLevels: []assets.Purdue{assets.Purdue1}})
	must(err)
	_, err = w.SaveZone(assets.Zone{Name: "Office", PurdueLevels: []assets.Purdue{assets.Purdue4}, SLT: assets.UniformSL(1)})
	must(err)
	for _, a := range []assets.Asset{
		{Tag: "PLC-A1", Type: assets.TypePLC, Zone: cell.ID, Vendor: "Acme", Model: "P-100"},
		{Tag: "PLC-A2", Type: assets.TypePLC, Zone: cell.ID, Vendor: "ACME ", Model: "p-100"},
		{Tag: "HMI-A", Type: assets.TypeHMI, Zone: cell.ID, Vendor: "Other", Model: "Panel"},
	} {
		_, err := w.SaveAsset(a)
		must(err)
	}
	sis, err := w.SaveAsset(assets.Asset{Tag: "SIS-1", Type: assets.TypeSIS, Zone: safety.ID, Vendor: "Safe", Model: "S-1"})
	must(err)
	_, err = w.SaveCapability(assets.Capability{Vendor: "Acme", Model: "P-100", ComponentType: assets.ComponentEmbeddedDevice,
		Certificate: &assets.Certificate{Scheme: "ISASecure CSA", Issuer: "exida", Number: "CSA-123", Level: 1, Date: "2025-05-01"}})
	must(err)
	_, err = w.SaveCapability(assets.Capability{Asset: sis.ID, ComponentType: assets.ComponentEmbeddedDevice,
		SLC: assets.SLVector{3, 3, 3, 2, 3, 2, 3}, Notes: "From the safety manual."})
	must(err)
	fw, err := w.SaveCountermeasure(assets.Countermeasure{Name: "Cell firewall with allow-list", AppliesTo: []assets.Ref{{Kind: "zone", ID: cell.ID}},
		FRs: []assets.FR{assets.UC, assets.RDF}, Owner: "OT network team", Evidence: "Rule review 2026-10", Status: assets.CountermeasureImplemented})
	must(err)
	_, err = w.SaveCountermeasure(assets.Countermeasure{Name: "Offline backups", FRs: []assets.FR{assets.RA}, Status: assets.CountermeasurePlanned})
	must(err)
	_, err = w.SaveRisk(assets.Risk{Title: "Remote reprogramming of the cell PLCs", Scope: assets.Ref{Kind: "zone", ID: cell.ID},
		Stage: assets.StageDetailed, ThreatSource: "Criminal group", Attacker: 2, FRs: []assets.FR{assets.IAC, assets.SI},
		Likelihood: 4, Impact: 5, Countermeasures: []string{fw.ID}, ResidualLikelihood: 3, ResidualImpact: 3})
	must(err)
	_, err = w.SaveRisk(assets.Risk{Title: "Contractor laptop brings malware", Scope: assets.Ref{Kind: "audit"},
		Attacker: 1, FRs: []assets.FR{assets.RA}, Likelihood: 2, Impact: 2})
	must(err)
	_, err = w.AcceptSLT(cell.ID)
	must(err)
	_, err = w.OverrideSLT(safety.ID, assets.UniformSL(3), "SIL 2 trip: the owner sets SL 3 in every FR.")
	must(err)

	answer := func(item string, st checklist.Status, note string, cms ...string) {
		t.Helper()
		_, err := w.AnswerItem(app.AnswerInput{Template: checklist.IEC62443_3_3_2013, Item: item, Zone: cell.ID, Status: st, Note: note, Countermeasures: cms})
		must(err)
	}
	answer("SR 5.1", checklist.StatusCompensated, "The PLCs cannot segment; the cell firewall admits only the SCADA servers.", fw.ID)
	answer("SR 5.2", checklist.StatusMet, "")
	answer("SR 5.3", checklist.StatusMet, "")
	answer("SR 5.4", checklist.StatusMet, "")
	answer("SR 1.6", checklist.StatusNA, "No wireless in the cell.")
	return w
}

func TestRiskAndCapabilitySections(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	w := riskWorkspace(t)
	path := filepath.Join(t.TempDir(), "risk.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	keep(t, path, "risk.pdf")
	qpdfCheck(t, path)
	text := pdfToText(t, path)
	flat := strings.Join(strings.Fields(text), " ")
	mustContain(t, flat,
		"Risk assessment and SL-T", "Risk matrix", "Risk register", "SL-T per zone and its basis",
		"Component capability (SL-C)", "SL-T, SL-C and SL-A per zone", "Capability records", "Countermeasures",
		// The register: unmitigated 4 × 5 = 20, residual 3 × 3 = 9, judged on the residual.
		"Remote reprogramming of the cell PLCs", "20 (L4 × I5)", "→ 9 (L3 × I3)", "No: above 4",
		"Contractor laptop brings malware", "4 (L2 × I2)", "Yes",
		// The basis of each zone.
		"SL-T SL 2 (2,0,2,0,0,0,0): accepted from the risk assessment's suggestion.",
		"SL-T SL 3: set by the asset owner, the risk assessment suggesting no level. Reason: SIL 2 trip: the owner sets SL 3 in every FR.",
		"SL-T SL 1 was typed in: no risk basis is recorded.",
		`FR 1 IAC: SL 2, set by "Remote reprogramming of the cell PLCs" (residual risk 9 above tolerable 4, attacker SL 2`,
		// Capability: both PLCs by their model's certificate; the HMI unknown; SIS-1 recorded.
		"FR 1 IAC: SL-C 1 below SL-T 2, capped by PLC-A1, PLC-A2 (certificate).",
		"FR 3 SI: SL-C 1 below SL-T 2, capped by PLC-A1, PLC-A2 (certificate).",
		"No capability information: 1 HMI (HMI-A).",
		"FR 4 DC: SL-C 2 below SL-T 3, capped by SIS-1 (recorded).",
		"Acme P-100 (model)", "ISASecure CSA, issued by exida, no. CSA-123, level 1, dated 2025-05-01",
		"SIS-1 (asset)", "3,3,3,2,3,2,3",
		// Compensation and N/A in Cell A's results, and the countermeasures.
		"Met by compensating countermeasure (1)", "The PLCs cannot segment; the cell firewall admits only the SCADA servers.",
		"1 item met by compensation", "Not applicable (1)", "No wireless in the cell.",
		"OT network team", "Rule review 2026-10", "Planned", "1 scenario, 1 checklist item")
	if strings.Contains(flat, "no recorded risk basis") {
		t.Error("an audit with scenarios says SL-T has no recorded risk basis")
	}

	layout := pdfToText(t, path, "-layout")
	lines := strings.Split(layout, "\n")
	// The countermeasure's name on the compensated item's row.
	mustLine(t, lines, `SR 5\.1\s+Network segmentation\s+Cell firewall with allow-list\s+The PLCs cannot`)
	// Cell A's levels row by row: SL-T, the suggestion then and now.
	mustLine(t, lines, `SL-T\s+2\s+–\s+2\s+–\s+–\s+–\s+–\s*$`)
	mustLine(t, lines, `Suggested now\s+2\s+–\s+2\s+–\s+–\s+–\s+–\s*$`)
	mustLine(t, lines, `Where it came from\s+accepted\s+no level\s+accepted\s+no level\s+no level\s+no level\s+no level\s*$`)
	mustLine(t, lines, `Where it came from\s+overridden\s+overridden\s+overridden\s+overridden\s+overridden\s+overridden\s+overridden`)
	// Cell A's figures under the chart: IAC C1 A0 T2, …, RDF C1 A1 (by
	// compensation) with no target.
	compact := strings.Join(strings.Fields(layout), "")
	mustContain(t, compact, "C1A0T2C1A0T–C1A0T2C1A0T–C1A1T–C1A0T–C1A0T–")
	// Safety: SIS-1's vector against SL 3, not assessed.
	mustContain(t, compact, "C3A–T3C3A–T3C3A–T3C2A–T3C3A–T3C2A–T3C3A–T3")

	// The matrix: one scenario in Possible × Moderate (residual 3 × 3),
	// one in Unlikely × Minor (2 × 2), the other 23 cells empty.
	got := matrixCounts(t, path)
	want := map[[2]string]string{{"Possible", "Moderate"}: "1", {"Unlikely", "Minor"}: "1"}
	for k, v := range got {
		if want[k] == "" {
			t.Errorf("matrix cell %s × %s: %q, want it empty", k[0], k[1], v)
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("matrix cell %s × %s: %q, want %q", k[0], k[1], got[k], v)
		}
	}
	checkBounds(t, path)
}

// mustLine fails unless a line matches the pattern.
func mustLine(t *testing.T, lines []string, pattern string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for _, l := range lines {
		if re.MatchString(l) {
			return
		}
	}
	t.Errorf("no line matches %q", pattern)
}

// matrixCounts reads the figures in the risk matrix from the words'
// positions: each figure is placed in the row of the likelihood label
// level with it and the column of the impact label under it.
func matrixCounts(t *testing.T, path string) map[[2]string]string {
	t.Helper()
	html := pdfToText(t, path, "-bbox")
	type word struct {
		x0, y0, x1, y1 float64
		s              string
	}
	for _, page := range strings.Split(html, "<page ")[1:] {
		var ws []word
		for _, m := range wordBox.FindAllStringSubmatch(page, -1) {
			f := func(i int) float64 { v, _ := strconv.ParseFloat(m[i], 64); return v }
			ws = append(ws, word{f(1), f(2), f(3), f(4), m[5]})
		}
		at := -1
		for i := 0; i+1 < len(ws); i++ {
			if ws[i].s == "Risk" && ws[i+1].s == "matrix" && ws[i].x0 < marginL+1 {
				at = i
				break
			}
		}
		if at < 0 {
			continue
		}
		m := assets.DefaultRiskMatrix()
		// Row labels: "3 Possible" left of the grid; column labels
		// "3 Moderate" under it.
		rows, cols := map[string][2]float64{}, map[string][2]float64{}
		var gridLeft, gridBottom float64
		for i := at; i+1 < len(ws); i++ {
			for l, name := range m.Likelihoods {
				if ws[i].s == strconv.Itoa(l+1) && ws[i+1].s == strings.Fields(name)[0] && rows[name] == [2]float64{} {
					rows[name] = [2]float64{ws[i].y0, ws[i].y1}
					gridLeft = max(gridLeft, ws[i+1].x1)
				}
			}
		}
		for i := at; i+1 < len(ws); i++ {
			for k, name := range m.Impacts {
				if ws[i].s == strconv.Itoa(k+1) && ws[i+1].s == strings.Fields(name)[0] && ws[i].y0 > rows["Rare"][1] && cols[name] == [2]float64{} {
					cols[name] = [2]float64{ws[i].x0, ws[i+1].x1}
					gridBottom = ws[i].y0
				}
			}
		}
		if len(rows) != 5 || len(cols) != 5 {
			t.Fatalf("matrix labels: rows %v, columns %v", rows, cols)
		}
		top := rows["Almost certain"][0] - matrixCellH
		out := map[[2]string]string{}
		for _, w := range ws[at:] {
			cx, cy := (w.x0+w.x1)/2, (w.y0+w.y1)/2
			if cx <= gridLeft || cy >= gridBottom || cy <= top {
				continue
			}
			var row, col string
			for name, r := range rows {
				if cy >= r[0]-matrixCellH/2 && cy <= r[1]+matrixCellH/2 {
					row = name
				}
			}
			best := 1e9
			for name, c := range cols {
				if d := abs(cx - (c[0]+c[1])/2); d < best {
					best, col = d, name
				}
			}
			if row == "" {
				t.Errorf("figure %q at %.0f,%.0f is in no row of the matrix", w.s, cx, cy)
				continue
			}
			out[[2]string{row, col}] += w.s
		}
		return out
	}
	t.Fatal("no page has the risk matrix")
	return nil
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// Without scenarios the section says in one paragraph that SL-T has no
// recorded risk basis, and shows no empty matrix or register.
func TestRiskSectionWithoutScenarios(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "ws"), app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "No register"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.SaveZone(assets.Zone{Name: "Line 1", SLT: assets.UniformSL(2)}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plain.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfToText(t, path)), " ")
	mustContain(t, flat, "Risk assessment and SL-T", "No threat scenarios are recorded for this audit", "have no recorded risk basis",
		"Component capability (SL-C)", "No capability information is recorded for any component",
		"No countermeasures are recorded")
	for _, absent := range []string{"Risk register", "Risk matrix", "SL-T per zone and its basis", "Capability records"} {
		if strings.Contains(flat, absent) {
			t.Errorf("an audit without scenarios or capabilities has %q", absent)
		}
	}
}

// The demo audit's report has the three sections, after the zone model
// and before the zones, in the contents too.
func TestDemoRiskSections(t *testing.T) {
	needPoppler(t)
	ctx := context.Background()
	w, err := demo.Create(ctx, filepath.Join(t.TempDir(), "ws"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(t.TempDir(), "demo.pdf")
	if _, err := WriteFile(ctx, w, path, Options{Date: fixedDate, NoZoneDiagrams: true}, nil); err != nil {
		t.Fatal(err)
	}
	keep(t, path, "demo-risk.pdf")
	text := pdfToText(t, path)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	checkContents(t, pages)
	toc := strings.Join(strings.Fields(pages[1]), " ")
	order := []string{"Zone and conduit model", "Risk assessment and SL-T", "Component capability (SL-C)", "Countermeasures", "Zones", "Findings"}
	last := -1
	for _, h := range order {
		i := strings.Index(toc[last+1:], h+" ")
		if i < 0 {
			t.Errorf("contents lack %q after %q", h, toc[:last+1])
			continue
		}
		last += 1 + i
	}
	// The sections in the body: each zone has its SL-T basis when the
	// demo has a register, and its row in the chart when it has
	// capability records.
	flat := strings.Join(strings.Fields(text), " ")
	riskAt, capAt := strings.LastIndex(flat, "Risk assessment and SL-T"), strings.LastIndex(flat, "Component capability (SL-C)")
	cmAt := strings.Index(flat[capAt:], "Countermeasures ") + capAt
	if riskAt < 0 || capAt < riskAt || cmAt < capAt {
		t.Fatalf("sections at %d, %d, %d", riskAt, capAt, cmAt)
	}
	risks, err := w.Risks()
	if err != nil {
		t.Fatal(err)
	}
	caps, err := w.Capabilities()
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range w.Zones() {
		if len(risks) > 0 && !strings.Contains(flat[riskAt:capAt], "Zone: "+z.Name) {
			t.Errorf("the risk section lacks the basis of zone %q", z.Name)
		}
		if len(caps) > 0 && !strings.Contains(flat[capAt:cmAt], z.Name) {
			t.Errorf("the capability section lacks zone %q", z.Name)
		}
	}
	checkBounds(t, path)
}
