package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/zonewalk/zonewalk/app/workbook"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	register("findings", "export the findings and checklist answers as a workbook (XLSX) or CSV (columns: docs/workbook.md)", runFindings)
}

func runFindings(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "findings", "export --workspace DIR --out FILE.xlsx|FILE.csv [--sheet findings|answers] [--date YYYY-MM-DD] [--redact PROFILE]\n"+
		"Writes one row per finding and one per checklist answer: an XLSX workbook (About, Findings and Answers sheets,\n"+
		"filters and frozen headers set) or, for .csv, one table. Findings are brought up to date first.")
	wf := addWorkspaceFlags(fs)
	out := fs.String("out", "", "file to write, .xlsx or .csv (replaced only when the export is complete)")
	sheet := fs.String("sheet", "", "with .csv: the table to write, findings (default) or answers")
	date := fs.String("date", "", "judge review dates against this day instead of today (YYYY-MM-DD)")
	redactProfile := addRedactFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: export")
	}
	if pos[0] != "export" {
		return usageError("unknown subcommand %q: want export", pos[0])
	}
	if len(pos) > 1 {
		return usageError("unexpected argument %q", pos[1])
	}
	if *out == "" {
		return usageError("--out FILE.xlsx or FILE.csv is required")
	}
	opts := workbook.Options{Sheet: workbook.Sheet(*sheet), Version: BuildVersion().Version}
	if opts.Format, err = workbook.FormatOf(*out); err != nil {
		return usageError("--out %q: want a name ending in .xlsx or .csv", *out)
	}
	switch {
	case *sheet != "" && opts.Format == workbook.XLSX:
		return usageError("--sheet is for .csv: a workbook holds both tables")
	case opts.Sheet != "" && opts.Sheet != workbook.Findings && opts.Sheet != workbook.Answers:
		return usageError("--sheet %q: want findings or answers", *sheet)
	}
	if opts.Date, err = dateFlag(*date); err != nil {
		return err
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	w, done, err := redacted(ctx, env, w, *redactProfile)
	if err != nil {
		return err
	}
	defer done()
	res, err := workbook.WriteFile(ctx, w, *out, opts)
	if errors.Is(err, workbook.ErrFormat) || errors.Is(err, workbook.ErrSheet) {
		return usageError("%v", err)
	}
	if err != nil {
		return err
	}
	switch {
	case res.Format == workbook.XLSX:
		fmt.Fprintf(env.Stdout, "wrote %s: workbook, %s, %s, %s\n", term(*out),
			english.Count(res.Findings, "finding", "findings"), english.Count(res.Answers, "checklist answer", "checklist answers"), english.Size(res.Bytes))
	case opts.Sheet == workbook.Answers:
		fmt.Fprintf(env.Stdout, "wrote %s: CSV, %s, %s\n", term(*out), english.Count(res.Answers, "checklist answer", "checklist answers"), english.Size(res.Bytes))
	default:
		fmt.Fprintf(env.Stdout, "wrote %s: CSV, %s, %s\n", term(*out), english.Count(res.Findings, "finding", "findings"), english.Size(res.Bytes))
	}
	return nil
}
