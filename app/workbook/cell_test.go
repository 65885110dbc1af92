package workbook

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// xmlText is what text becomes in XML: every byte that is no UTF-8 and
// every character XML 1.0 cannot hold turns into U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if r == utf8.RuneError && n == 1 || !ok {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FuzzCell: any text a person types comes back from the XLSX as that text
// (as far as XML can hold it), never as a formula; from the CSV it comes
// back guarded when a spreadsheet would run it, else unchanged.
func FuzzCell(f *testing.F) {
	for _, s := range []string{"=cmd|' /C calc'!A0", "", " leading and trailing ", "_x0041_ is A in OOXML", "\x00\x01",
		"a\r\nb\rc\nd", "\xff\xfe", "😀", "'=1", "＝1", "-2", "@x", "\ttab", "<b>&amp;</b>", "]]>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		tab := &table{name: "Findings", header: []string{"Title", "Evidence"}, widths: []float64{60, 9}, rows: [][]any{{s, 7}}}
		about := &table{name: "About", header: []string{"k", "v"}, about: true, rows: [][]any{{"Title", s}}}
		var buf bytes.Buffer
		if err := writeXLSX(context.Background(), &buf, &source{modified: time.Unix(1e9, 0)}, []*table{about, tab}); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		want := xmlText(s)
		for _, c := range []struct{ sheet, cell string }{{"Findings", "A2"}, {"About", "B2"}} {
			got, err := x.GetCellValue(c.sheet, c.cell)
			if err != nil || got != want {
				t.Fatalf("%s %s reads back %q (%v), want %q", c.sheet, c.cell, got, err, want)
			}
			if tp, _ := x.GetCellType(c.sheet, c.cell); tp != excelize.CellTypeInlineString {
				t.Fatalf("%s %s is of type %v, want an inline string", c.sheet, c.cell, tp)
			}
		}
		if n, _ := x.GetCellValue("Findings", "B2"); n != "7" {
			t.Fatalf("count reads back %q", n)
		}
		z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range z.File {
			r, _ := m.Open()
			b, _ := io.ReadAll(r)
			if strings.HasPrefix(m.Name, "xl/worksheets/") && (bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f "))) {
				t.Fatalf("%s holds a formula", m.Name)
			}
		}

		buf.Reset()
		if err := writeCSV(context.Background(), &buf, tab); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("CSV: %q, %v", recs, err)
		}
		got := recs[1][0]
		// encoding/csv reads a CR before LF as part of the line end.
		plain := strings.ReplaceAll(s, "\r\n", "\n")
		if got != plain && got != "'"+plain {
			t.Fatalf("CSV cell %q, want %q or it guarded", got, plain)
		}
		if r, _ := utf8.DecodeRuneInString(got); got != "" && strings.ContainsRune("=+-@\t\r\n＝＋－＠", r) {
			t.Fatalf("CSV cell %q begins with a formula character", got)
		}
	})
}

func TestFit(t *testing.T) {
	short := strings.Repeat("a", maxCell)
	if fit(short) != short {
		t.Error("a text of exactly maxCell ASCII characters was cut")
	}
	// 16,384 of 😀 are 32,768 UTF-16 units: one too many.
	long := strings.Repeat("😀", 16384)
	got := fit(long)
	units := 0
	for _, r := range got {
		units++
		if r >= 0x10000 {
			units++
		}
	}
	if units > maxCell || !strings.HasSuffix(got, cutMark) || !utf8.ValidString(got) {
		t.Errorf("cut to %d units, ends %q", units, got[len(got)-50:])
	}
	// Just fits: 16,383 of them are 32,766 units.
	if fit(long[4:]) != long[4:] {
		t.Error("a text that fits was cut")
	}
}
