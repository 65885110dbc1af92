// Package workbook writes an audit's findings and checklist answers as a
// spreadsheet that opens ready to use: an XLSX workbook with an About
// sheet, a Findings sheet (one row per finding) and an Answers sheet (one
// row per checklist answer), each table with a bold frozen header row and
// an autofilter; or one of the two tables as CSV.
//
// Nothing in the output is ever run as a formula. XLSX cells are written as
// inline strings (numbers only for counts); CSV cells that a spreadsheet
// would read as a formula get a leading ' (assets.CSVSafe, as assets
// export does). The XLSX output of an unchanged audit is byte-identical
// from one export to the next. docs/workbook.md lists the columns.
package workbook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/atomicfile"
)

// Format is the file format written.
type Format string

// The formats.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Sheet names one table of the workbook, for CSV output.
type Sheet string

// The tables.
const (
	Findings Sheet = "findings"
	Answers  Sheet = "answers"
)

// ErrFormat says the format (or a file name's extension) is not one the
// workbook is written in.
var ErrFormat = errors.New("unknown workbook format: want .xlsx or .csv")

// ErrSheet says the table asked for is not one the workbook has.
var ErrSheet = errors.New("unknown workbook sheet: want findings or answers")

// Options says what to write.
type Options struct {
	// Format: XLSX or CSV. Empty: XLSX (Write) or the file name's
	// extension (WriteFile).
	Format Format
	// Sheet is the table a CSV export holds. Empty: Findings. An XLSX
	// workbook always holds both.
	Sheet Sheet
	// Date is the day the model checks judge review dates against.
	// Zero: today.
	Date time.Time
	// Version is Zonewalk's version, named on the About sheet.
	Version string
}

// Result says what an export wrote.
type Result struct {
	Format   Format
	Bytes    int64
	Findings int // finding rows written
	Answers  int // answer rows written
}

// FormatOf is the format a file name's extension names.
func FormatOf(path string) (Format, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".xlsx":
		return XLSX, nil
	case ".csv":
		return CSV, nil
	}
	return "", fmt.Errorf("%w: %q", ErrFormat, filepath.Base(path))
}

// Write writes the workbook of the workspace's audit to out. Findings are
// brought up to date first (w.CurrentFindings), so the workbook never
// lists findings of data that is no longer there.
func Write(ctx context.Context, w *app.Workspace, out io.Writer, opts Options) (Result, error) {
	res := Result{Format: opts.Format}
	if res.Format == "" {
		res.Format = XLSX
	}
	if res.Format != XLSX && res.Format != CSV {
		return res, fmt.Errorf("%w: %q", ErrFormat, opts.Format)
	}
	sheet := opts.Sheet
	if sheet == "" {
		sheet = Findings
	}
	if sheet != Findings && sheet != Answers {
		return res, fmt.Errorf("%w: %q", ErrSheet, opts.Sheet)
	}
	s, err := read(ctx, w, opts)
	if err != nil {
		return res, err
	}
	cw := &countingWriter{w: out}
	if res.Format == CSV {
		t := s.findingsTable()
		if sheet == Answers {
			t = s.answersTable()
		}
		err = writeCSV(ctx, cw, t)
		if sheet == Answers {
			res.Answers = len(t.rows)
		} else {
			res.Findings = len(t.rows)
		}
	} else {
		findings, answers := s.findingsTable(), s.answersTable()
		res.Findings, res.Answers = len(findings.rows), len(answers.rows)
		err = writeXLSX(ctx, cw, s, []*table{s.aboutTable(), findings, answers})
	}
	res.Bytes = cw.n
	return res, err
}

// WriteFile writes the workbook to path, in the format its extension
// names, replacing the file only when the export is complete: a failed or
// cancelled export leaves the old file, or none.
func WriteFile(ctx context.Context, w *app.Workspace, path string, opts Options) (Result, error) {
	f, err := FormatOf(path)
	if err != nil {
		return Result{}, err
	}
	if opts.Format != "" && opts.Format != f {
		return Result{}, fmt.Errorf("%w: %s file named %q", ErrFormat, opts.Format, filepath.Base(path))
	}
	opts.Format = f
	var res Result
	err = atomicfile.Write(path, fs.FileMode(0o644), func(out io.Writer) error {
		var err error
		res, err = Write(ctx, w, out, opts)
		return err
	})
	return res, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
