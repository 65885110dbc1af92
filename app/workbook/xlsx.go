package workbook

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// maxCell is the most UTF-16 code units a spreadsheet cell holds.
const maxCell = excelize.TotalCellChars

// cutMark ends a text too long for one cell.
const cutMark = " … [cut: the full text is in the workspace]"

// writeXLSX writes the tables as sheets of one workbook. Every sheet is
// streamed (rows go out as they are made, not as a tree of cells), and
// every text cell is an inline string: excelize writes a formula only when
// asked for one, and nothing here asks.
func writeXLSX(ctx context.Context, out io.Writer, s *source, tables []*table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	// Entries in name order, whatever order excelize makes them in: the
	// same audit gives the same bytes.
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{out: w, modified: s.modified} })
	header, err := f.NewStyle(&excelize.Style{
		Font:   &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	key, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	for i, t := range tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.name)
		} else {
			_, err = f.NewSheet(t.name)
		}
		if err != nil {
			return fmt.Errorf("workbook: sheet %s: %w", t.name, err)
		}
	}
	for _, t := range tables {
		if err := writeSheet(ctx, f, t, header, key, wrap); err != nil {
			return err
		}
	}
	// The About sheet, first, is the active one as excelize makes a new
	// file: SetActiveSheet would read every streamed sheet back in.
	when := s.modified.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator: "Zonewalk", LastModifiedBy: "Zonewalk", Title: "Findings and checklist answers: " + firstNonEmpty(s.audit.Title, s.audit.Site),
		Created: when, Modified: when,
	}); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: "Zonewalk"}); err != nil {
		return fmt.Errorf("workbook: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = f.WriteTo(out)
	return err
}

func writeSheet(ctx context.Context, f *excelize.File, t *table, header, key, wrap int) error {
	sw, err := f.NewStreamWriter(t.name)
	if err != nil {
		return fmt.Errorf("workbook: sheet %s: %w", t.name, err)
	}
	fail := func(err error) error { return fmt.Errorf("workbook: sheet %s: %w", t.name, err) }
	// Last column first: excelize puts each new column ahead of the
	// others, and spreadsheets want them in ascending order.
	widths := columnWidths(t)
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return fail(err)
		}
	}
	if !t.about {
		err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}})
		if err != nil {
			return fail(err)
		}
	}
	cells := make([]any, len(t.header))
	for i, h := range t.header {
		cells[i] = excelize.Cell{StyleID: header, Value: h}
	}
	if err := sw.SetRow("A1", cells, excelize.RowOpts{StyleID: header}); err != nil {
		return fail(err)
	}
	for n, row := range t.rows {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i, v := range row {
			if s, ok := v.(string); ok {
				v = fit(s)
			}
			if t.about {
				// Keys bold; values wrap, so a long scope stays readable.
				v = excelize.Cell{StyleID: []int{key, wrap}[min(i, 1)], Value: v}
			}
			cells[i] = v
		}
		if err := sw.SetRow("A"+strconv.Itoa(n+2), cells); err != nil {
			return fail(err)
		}
	}
	if !t.about {
		last, err := excelize.CoordinatesToCellName(len(t.header), len(t.rows)+1)
		if err != nil {
			return fail(err)
		}
		// Before Flush: the stream writes the sheet's filter element then.
		if err := f.AutoFilter(t.name, "A1:"+last, nil); err != nil {
			return fail(err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fail(err)
	}
	return nil
}

// columnWidths fits each column to its longest cell (in characters), no
// narrower than its header and no wider than the table allows.
func columnWidths(t *table) []float64 {
	out := make([]float64, len(t.header))
	for i, h := range t.header {
		out[i] = float64(utf8.RuneCountInString(h)) + 3 // room for the filter button
	}
	for _, row := range t.rows {
		for i, v := range row {
			s, ok := v.(string)
			if !ok {
				continue
			}
			// A multi-line cell is as wide as its longest line.
			for line := range strings.Lines(s) {
				if w := float64(utf8.RuneCountInString(line)) + 1; w > out[i] {
					out[i] = w
				}
			}
		}
	}
	for i := range out {
		if i < len(t.widths) && out[i] > t.widths[i] {
			out[i] = max(t.widths[i], float64(utf8.RuneCountInString(t.header[i]))+3)
		}
	}
	return out
}

// fit cuts a text that would not fit one cell, and says so in the cell,
// rather than leave excelize to cut it without a word.
func fit(s string) string {
	// UTF-8 takes at least as many bytes as UTF-16 takes units.
	if len(s) <= maxCell {
		return s
	}
	if utf16Len(s) <= maxCell {
		return s
	}
	units, room := 0, maxCell-utf16Len(cutMark)
	for i, r := range s {
		u := 1
		if r >= 0x10000 {
			u = 2
		}
		if units+u > room {
			return s[:i] + cutMark
		}
		units += u
	}
	return s
}

// utf16Len is the length of s in UTF-16 code units, as spreadsheets count.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// sortedZip is a zip writer that writes its entries in name order when
// closed. excelize creates the entries of streamed sheets in map order;
// each entry is deflated as it is written and kept compressed until then.
type sortedZip struct {
	out      io.Writer
	modified time.Time
	entries  []*zipEntry
}

type zipEntry struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
}

func (e *zipEntry) Write(p []byte) (int, error) {
	e.crc.Write(p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
}

func (z *sortedZip) Create(name string) (io.Writer, error) {
	e := &zipEntry{name: name, crc: crc32.NewIEEE()}
	var err error
	if e.fw, err = flate.NewWriter(&e.buf, flate.DefaultCompression); err != nil {
		return nil, err
	}
	z.entries = append(z.entries, e)
	return e, nil
}

func (z *sortedZip) AddFS(fs.FS) error { return errors.New("workbook: zip AddFS not supported") }

func (z *sortedZip) Close() error {
	for _, e := range z.entries {
		if err := e.fw.Close(); err != nil {
			return err
		}
	}
	slices.SortFunc(z.entries, func(a, b *zipEntry) int { return strings.Compare(a.name, b.name) })
	zw := zip.NewWriter(z.out)
	for i, e := range z.entries {
		if i > 0 && e.name == z.entries[i-1].name {
			return fmt.Errorf("workbook: zip entry %s twice", e.name)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, Modified: z.modified,
			CRC32: e.crc.Sum32(), CompressedSize64: uint64(e.buf.Len()), UncompressedSize64: e.size,
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(e.buf.Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}
