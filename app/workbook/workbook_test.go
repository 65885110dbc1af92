package workbook_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/workbook"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
)

// day is the day the checks judge review dates against in these tests.
var day = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

// formula is the classic CSV injection payload (it runs calc.exe through
// DDE in old Excel).
const formula = "=cmd|' /C calc'!A0"

// The headers, written out here rather than taken from the package.
var (
	findingHeader = []string{"ID", "Severity", "Status", "Title", "Subject type", "Subject", "Related", "Requirements",
		"Recommendation", "Owner", "Due", "First raised", "Last changed", "Source", "Detail", "Justification",
		"Resolution", "Evidence", "Notes"}
	answerHeader = []string{"Standard", "Checklist", "Item", "Item title", "Zone", "Status", "Maturity", "Note",
		"Evidence", "Answered by", "Answered at"}
)

func demoWorkspace(t testing.TB) *app.Workspace {
	t.Helper()
	w, err := demo.Create(context.Background(), filepath.Join(t.TempDir(), "demo"), "tester")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// hostile adds findings whose text a spreadsheet would run, to the demo.
func hostile(t testing.TB, w *app.Workspace) checks.Finding {
	t.Helper()
	ctx := context.Background()
	f, err := w.AddObservation(ctx, checks.Observation{Subject: assets.Ref{Kind: "zone", ID: w.Zones()[0].ID},
		Title: formula, Severity: checks.High, Owner: "@SUM(1+1)*cmd|' /C calc'!A0", Recommendation: "+1+1",
		Due: "2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.SetFindingNotes(ctx, f.ID, "-2+3\tand a tab"); err != nil {
		t.Fatal(err)
	}
	return f
}

// column is the index of name in header.
func column(t testing.TB, header []string, name string) int {
	t.Helper()
	i := slices.Index(header, name)
	if i < 0 {
		t.Fatalf("no column %q in %q", name, header)
	}
	return i
}

// answerKey names an answer as the sheet shows it: checklist title, item,
// zone name or "Programme".
func answerKeys(t testing.TB, w *app.Workspace) []string {
	t.Helper()
	answers, err := w.Answers("")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, a := range answers {
		tp, err := w.Template(a.Template)
		if err != nil {
			t.Fatal(err)
		}
		zone := "Programme"
		if a.Zone != "" {
			z, ok := w.Zone(a.Zone)
			if !ok {
				t.Fatalf("answer about zone %s that is not there", a.Zone)
			}
			zone = z.Name
		}
		keys = append(keys, tp.Title+"|"+a.Item+"|"+zone)
	}
	return keys
}

// exactlyOnce checks that got holds each of want exactly once and nothing
// else.
func exactlyOnce(t *testing.T, what string, got, want []string) {
	t.Helper()
	count := map[string]int{}
	for _, g := range got {
		count[g]++
	}
	for _, k := range want {
		if count[k] != 1 {
			t.Errorf("%s %q appears %d times, want once", what, k, count[k])
		}
		delete(count, k)
	}
	for k, n := range count {
		t.Errorf("%s %q appears %d times and is not in the workspace", what, k, n)
	}
	if len(want) == 0 {
		t.Errorf("no %s to count", what)
	}
}

func TestDemoXLSX(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	bad := hostile(t, w)
	path := filepath.Join(t.TempDir(), "findings.xlsx")
	res, err := workbook.WriteFile(ctx, w, path, workbook.Options{Date: day, Version: "1.2.3-test"})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := w.CurrentFindings(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	keys := answerKeys(t, w)
	if res.Format != workbook.XLSX || res.Findings != len(findings) || res.Answers != len(keys) {
		t.Errorf("result %+v, want xlsx, %d findings, %d answers", res, len(findings), len(keys))
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != res.Bytes {
		t.Errorf("file %v (%v), result says %d bytes", fi, err, res.Bytes)
	}

	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{"About", "Findings", "Answers"}) {
		t.Fatalf("sheets %q", got)
	}

	// Findings: the header, then each finding once.
	rows, err := x.GetRows("Findings")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], findingHeader) {
		t.Fatalf("findings header %q", rows[0])
	}
	var ids, wantIDs []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	for _, f := range findings {
		wantIDs = append(wantIDs, f.ID)
	}
	exactlyOnce(t, "finding", ids, wantIDs)
	// The hostile finding reads back as the text it is, in every field.
	var row []string
	for _, r := range rows[1:] {
		if r[0] == bad.ID {
			row = r
		}
	}
	for name, want := range map[string]string{
		"Title": formula, "Owner": "@SUM(1+1)*cmd|' /C calc'!A0", "Recommendation": "+1+1", "Notes": "-2+3\tand a tab",
		"Severity": "high", "Status": "open", "Subject type": "zone", "Subject": w.Zones()[0].Name, "Due": "2026-12-31",
		"Source": "auditor", "Evidence": "0",
	} {
		if got := row[column(t, rows[0], name)]; got != want {
			t.Errorf("hostile finding: %s %q, want %q", name, got, want)
		}
	}
	// A rule finding names its rule and requirements.
	for _, f := range findings {
		if f.Source != checks.SourceRule || len(f.References) < 2 {
			continue
		}
		i := slices.IndexFunc(rows, func(r []string) bool { return r[0] == f.ID })
		if got, want := rows[i][column(t, rows[0], "Requirements")], f.References[0]+"; "+f.References[1]; !strings.HasPrefix(got, want) {
			t.Errorf("finding %s: requirements %q, want them joined by '; ' (%q…)", f.ID, got, want)
		}
		if got := rows[i][column(t, rows[0], "Source")]; got != "model check "+f.RuleID {
			t.Errorf("finding %s: source %q", f.ID, got)
		}
		break
	}

	// Answers: the header, then each answer once.
	rows, err = x.GetRows("Answers")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], answerHeader) {
		t.Fatalf("answers header %q", rows[0])
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[1]+"|"+r[2]+"|"+r[4])
	}
	exactlyOnce(t, "answer", got, keys)

	// The About sheet names the audit, the counts and the version.
	about, err := x.GetRows("About")
	if err != nil {
		t.Fatal(err)
	}
	var open, accepted, closed int
	for _, f := range findings {
		switch f.Status {
		case checks.StatusOpen:
			open++
		case checks.StatusAccepted:
			accepted++
		case checks.StatusClosed:
			closed++
		}
	}
	aboutMap := map[string]string{}
	for _, r := range about[1:] {
		if len(r) == 2 {
			aboutMap[r[0]] = r[1]
		}
	}
	for k, want := range map[string]string{
		"Audit":              w.Audit().Title,
		"Site":               w.Audit().Site,
		"Findings judged on": "2026-11-27",
		"Findings":           fmt.Sprintf("%d: %d open, %d accepted, %d closed", len(findings), open, accepted, closed),
		"Checklist answers":  fmt.Sprint(len(keys)),
		"Generated by":       "Zonewalk 1.2.3-test",
	} {
		if aboutMap[k] != want {
			t.Errorf("About %s: %q, want %q", k, aboutMap[k], want)
		}
	}

	// Each table: bold header, frozen below it, a filter over all of it,
	// columns neither hair-thin nor endless.
	for _, sheet := range []struct {
		name string
		cols int
		rows int
	}{{"Findings", len(findingHeader), len(findings) + 1}, {"Answers", len(answerHeader), len(keys) + 1}} {
		p, err := x.GetPanes(sheet.name)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.XSplit != 0 || p.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the first row frozen", sheet.name, p)
		}
		style, err := x.GetCellStyle(sheet.name, "A1")
		if err != nil {
			t.Fatal(err)
		}
		st, err := x.GetStyle(style)
		if err != nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: header style %+v (%v), want bold", sheet.name, st, err)
		}
		for c := 1; c <= sheet.cols; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			wd, err := x.GetColWidth(sheet.name, name)
			if err != nil || wd < 6 || wd > 60 {
				t.Errorf("%s column %s: width %v (%v)", sheet.name, name, wd, err)
			}
		}
		last, _ := excelize.ColumnNumberToName(sheet.cols)
		filter := fmt.Sprintf(`<autoFilter ref="$A$1:$%s$%d">`, last, sheet.rows)
		if xml := sheetXML(t, path, sheet.name); !strings.Contains(xml, filter) {
			t.Errorf("%s: no %s in the sheet", sheet.name, filter)
		}
	}
	wb := zipMember(t, path, "xl/workbook.xml")
	if n := strings.Count(wb, `name="_xlnm._FilterDatabase"`); n != 2 {
		t.Errorf("workbook defines %d filter ranges, want 2", n)
	}

	// No cell anywhere is a formula; the payload is an inline string.
	for _, name := range []string{"About", "Findings", "Answers"} {
		if s := sheetXML(t, path, name); regexp.MustCompile(`<f[ >/]`).MatchString(s) {
			t.Errorf("%s holds a formula element", name)
		}
	}
	var esc strings.Builder
	xml.EscapeText(&esc, []byte(formula))
	cell := regexp.MustCompile(`<c r="D\d+" t="inlineStr"><is><t>` + regexp.QuoteMeta(esc.String()) + `</t></is></c>`)
	if !cell.MatchString(sheetXML(t, path, "Findings")) {
		t.Errorf("the title %q is not an inline string cell", formula)
	}
}

// zipMember reads one file of an XLSX.
func zipMember(t testing.TB, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	f, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sheetXML is the XML of the named sheet, found through the workbook's
// relationships as a reader would.
func sheetXML(t testing.TB, path, sheet string) string {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(zipMember(t, path, "xl/workbook.xml")), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(zipMember(t, path, "xl/_rels/workbook.xml.rels")), &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				return zipMember(t, path, "xl/"+strings.TrimPrefix(r.Target, "/xl/"))
			}
		}
	}
	t.Fatalf("no sheet %q", sheet)
	return ""
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestDemoCSV(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	bad := hostile(t, w)
	dir := t.TempDir()
	path := filepath.Join(dir, "findings.csv")
	res, err := workbook.WriteFile(ctx, w, path, workbook.Options{Date: day})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := w.CurrentFindings(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, path)
	if res.Format != workbook.CSV || res.Findings != len(findings) || res.Answers != 0 || len(recs) != len(findings)+1 {
		t.Errorf("result %+v, %d records; want csv, %d findings", res, len(recs), len(findings))
	}
	if !slices.Equal(recs[0], findingHeader) {
		t.Fatalf("header %q", recs[0])
	}
	var ids, wantIDs []string
	for _, r := range recs[1:] {
		if len(r) != len(findingHeader) {
			t.Fatalf("record of %d fields: %q", len(r), r)
		}
		ids = append(ids, r[0])
		// No cell begins with what a spreadsheet runs.
		for i, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r\n", rune(c[0])) {
				t.Errorf("finding %s: %s %q would run as a formula", r[0], recs[0][i], c)
			}
		}
	}
	for _, f := range findings {
		wantIDs = append(wantIDs, f.ID)
	}
	exactlyOnce(t, "finding", ids, wantIDs)
	i := slices.IndexFunc(recs, func(r []string) bool { return r[0] == bad.ID })
	for name, want := range map[string]string{
		"Title": "'" + formula, "Owner": "'@SUM(1+1)*cmd|' /C calc'!A0", "Recommendation": "'+1+1",
		"Notes": "'-2+3\tand a tab", "Due": "2026-12-31",
	} {
		if got := recs[i][column(t, recs[0], name)]; got != want {
			t.Errorf("hostile finding: %s %q, want %q", name, got, want)
		}
	}

	// The answers table.
	path = filepath.Join(dir, "answers.csv")
	if res, err = workbook.WriteFile(ctx, w, path, workbook.Options{Date: day, Sheet: workbook.Answers}); err != nil {
		t.Fatal(err)
	}
	recs = readCSV(t, path)
	if !slices.Equal(recs[0], answerHeader) {
		t.Fatalf("answers header %q", recs[0])
	}
	var got []string
	for _, r := range recs[1:] {
		got = append(got, r[1]+"|"+r[2]+"|"+r[4])
	}
	keys := answerKeys(t, w)
	exactlyOnce(t, "answer", got, keys)
	if res.Answers != len(keys) || res.Findings != 0 {
		t.Errorf("result %+v, want %d answers", res, len(keys))
	}
}

// TestAnswerRow checks one answer's row field by field: maturity, evidence
// counted once each whether listed (twice here) or attached to the answer.
func TestAnswerRow(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	tpl := checklist.BuiltinByID(checklist.IEC62443_2_1_2024)
	item := tpl.Items()[3]
	photo, err := w.AttachEvidence(assets.Ref{Kind: "audit", ID: w.Audit().ID}, "policy.txt", []byte("the policy binder, page 4"), "the policy binder")
	if err != nil {
		t.Fatal(err)
	}
	// A second piece, attached to the answer itself rather than listed.
	if _, err := w.AttachEvidence(assets.Ref{Kind: "answer", ID: checklist.AnswerID(tpl.ID, item.ID, "")}, "log.txt", []byte("audit log excerpt"), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AnswerItem(app.AnswerInput{Template: tpl.ID, Item: item.ID, Status: checklist.StatusPartial, Maturity: 2,
		Note: "=HYPERLINK(\"http://x\")", Evidence: []string{photo.ID, photo.ID}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := workbook.Write(ctx, w, &buf, workbook.Options{Format: workbook.CSV, Sheet: workbook.Answers, Date: day}); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(recs, func(r []string) bool { return r[0] == tpl.Standard && r[2] == item.ID })
	if i < 0 {
		t.Fatalf("no row for %s %s", tpl.Standard, item.ID)
	}
	want := []string{"IEC 62443-2-1:2024", tpl.Title, item.ID, item.Title, "Programme", "Partially met", "ML2",
		"'=HYPERLINK(\"http://x\")", "2"}
	if got := recs[i][:len(want)]; !slices.Equal(got, want) {
		t.Errorf("answer row\n got %q\nwant %q", got, want)
	}
	if _, err := time.Parse(time.RFC3339, recs[i][10]); err != nil {
		t.Errorf("answered at %q: %v", recs[i][10], err)
	}
}

// TestReplacedWholeOrNotAtAll: a cancelled export leaves the old file, or
// none, and no temporary file; so does a refused one.
func TestReplacedWholeOrNotAtAll(t *testing.T) {
	w := demoWorkspace(t)
	dir := t.TempDir()
	old := filepath.Join(dir, "old.xlsx")
	if err := os.WriteFile(old, []byte("the previous workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, p := range []string{old, filepath.Join(dir, "new.xlsx"), filepath.Join(dir, "new.csv")} {
		if _, err := workbook.WriteFile(ctx, w, p, workbook.Options{Date: day}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled export returned %v", filepath.Base(p), err)
		}
	}
	// Findings are current now: cancelling reaches the sheet writer.
	if _, err := w.CurrentFindings(context.Background(), day); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{old, filepath.Join(dir, "new.xlsx"), filepath.Join(dir, "new.csv")} {
		if _, err := workbook.WriteFile(ctx, w, p, workbook.Options{Date: day}); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled export returned %v", filepath.Base(p), err)
		}
	}
	for _, p := range []string{filepath.Join(dir, "x.ods"), filepath.Join(dir, "x")} {
		if _, err := workbook.WriteFile(context.Background(), w, p, workbook.Options{}); !errors.Is(err, workbook.ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", filepath.Base(p), err)
		}
	}
	if _, err := workbook.WriteFile(context.Background(), w, filepath.Join(dir, "x.csv"), workbook.Options{Sheet: "risks"}); !errors.Is(err, workbook.ErrSheet) {
		t.Errorf("sheet risks: %v, want ErrSheet", err)
	}
	if _, err := workbook.WriteFile(context.Background(), w, filepath.Join(dir, "x.csv"), workbook.Options{Format: workbook.XLSX}); !errors.Is(err, workbook.ErrFormat) {
		t.Errorf("xlsx named .csv: %v, want ErrFormat", err)
	}
	if b, _ := os.ReadFile(old); string(b) != "the previous workbook" {
		t.Errorf("the old file became %q", b)
	}
	es, _ := os.ReadDir(dir)
	if len(es) != 1 {
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		t.Errorf("folder holds %q, want only old.xlsx", names)
	}
}

// TestByteIdentical: two exports of an unchanged audit are the same bytes:
// no clock time, no temporary name, no map order reaches the file.
func TestByteIdentical(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	var first []byte
	for i := range 4 {
		var buf bytes.Buffer
		if _, err := workbook.Write(ctx, w, &buf, workbook.Options{Date: day, Version: "v"}); err != nil {
			t.Fatal(err)
		}
		if i > 0 && !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("export %d differs from the first", i+1)
		}
		first = buf.Bytes()
	}
}

// TestLongText: a text longer than a cell holds is cut in the XLSX, with a
// word saying so, and whole in the CSV.
func TestLongText(t *testing.T) {
	ctx := context.Background()
	w := demoWorkspace(t)
	f := hostile(t, w)
	// 😀 takes two UTF-16 units: 20,000 of them are 40,000 units.
	long := strings.Repeat("😀", 20000)
	if _, err := w.SetFindingNotes(ctx, f.ID, long); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := workbook.WriteFile(ctx, w, filepath.Join(dir, "w.xlsx"), workbook.Options{Date: day}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(filepath.Join(dir, "w.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Findings")
	i := slices.IndexFunc(rows, func(r []string) bool { return r[0] == f.ID })
	notes := rows[i][column(t, rows[0], "Notes")]
	if n := len(utf16.Encode([]rune(notes))); n > 32767 || n < 32000 {
		t.Errorf("notes cell of %d UTF-16 units", n)
	}
	if !strings.HasSuffix(notes, "[cut: the full text is in the workspace]") || !strings.HasPrefix(notes, "😀😀") {
		t.Errorf("cut notes end %q", notes[max(0, len(notes)-60):])
	}
	if _, err := workbook.WriteFile(ctx, w, filepath.Join(dir, "w.csv"), workbook.Options{Date: day}); err != nil {
		t.Fatal(err)
	}
	recs := readCSV(t, filepath.Join(dir, "w.csv"))
	i = slices.IndexFunc(recs, func(r []string) bool { return r[0] == f.ID })
	if recs[i][column(t, recs[0], "Notes")] != long {
		t.Error("the CSV does not hold the whole notes")
	}
}

// TestEmptyAudit: a workspace with nothing in it still gives a workbook
// with its headers and filters.
func TestEmptyAudit(t *testing.T) {
	ctx := context.Background()
	w, err := app.Create(ctx, filepath.Join(t.TempDir(), "empty"), app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "Empty", Site: "Nowhere"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(t.TempDir(), "e.xlsx")
	res, err := workbook.WriteFile(ctx, w, path, workbook.Options{Date: day})
	if err != nil {
		t.Fatal(err)
	}
	if res.Answers != 0 {
		t.Errorf("result %+v", res)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, _ := x.GetRows("Answers")
	if len(rows) != 1 || !slices.Equal(rows[0], answerHeader) {
		t.Errorf("answers of an empty audit: %q", rows)
	}
	if !strings.Contains(sheetXML(t, path, "Answers"), `<autoFilter ref="$A$1:$K$1">`) {
		t.Error("no filter on the empty answers table")
	}
}

func ExampleWriteFile() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "workbook-example")
	defer os.RemoveAll(dir)
	w, err := demo.Create(ctx, filepath.Join(dir, "demo"), "auditor")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer w.Close()
	path := filepath.Join(dir, "findings.xlsx")
	res, err := workbook.WriteFile(ctx, w, path, workbook.Options{Version: "1.0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	findings, _ := w.CurrentFindings(ctx, time.Now())
	x, _ := excelize.OpenFile(path)
	defer x.Close()
	fmt.Println(x.GetSheetList())
	fmt.Println("every finding, once:", res.Findings == len(findings))
	// Output:
	// [About Findings Answers]
	// every finding, once: true
}
