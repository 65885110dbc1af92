package cli

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/zonewalk/zonewalk/app/report"
)

func init() {
	register("report", "write the audit report as PDF, or print its data digest", runReport)
}

// reportMemoryLimit is the soft memory limit of the report command.
const reportMemoryLimit = 200 << 20

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "report", "--workspace DIR --out FILE.pdf [--classification TEXT] [--report-version V] [--date YYYY-MM-DD] [--no-zone-diagrams] [--redact PROFILE] [--baseline OLD] | --digest")
	wf := addWorkspaceFlags(fs)
	out := fs.String("out", "", "PDF file to write (replaced only when the report is complete)")
	classification := fs.String("classification", "", "marking on every page (default: the audit's classification)")
	version := fs.String("report-version", "", "version of this issue of the report (default 1.0)")
	date := fs.String("date", "", "issue date, YYYY-MM-DD (default today)")
	noZones := fs.Bool("no-zone-diagrams", false, "leave out the per-zone diagrams (faster drafts of large audits)")
	digest := fs.Bool("digest", false, "print the data digest the report would carry, and write nothing")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	redactProfile := addRedactFlag(fs)
	bf := addBaselineFlags(fs, "previous audit (workspace directory or bundle file): adds the section \"Changes since the previous audit\" (docs/diff.md)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *digest && *out != "" {
		return usageError("--digest writes no report: leave out --out")
	}
	if !*digest && *out == "" {
		return usageError("--out FILE.pdf is required")
	}
	if bf.path != "" && *redactProfile != "" {
		return usageError("--baseline and --redact together are not supported: the previous audit would not be redacted")
	}
	opts := report.Options{Classification: *classification, Version: *version, NoZoneDiagrams: *noZones}
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
	if *digest {
		d, err := report.Digest(ctx, w)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, term(d))
		return nil
	}
	if bf.path != "" {
		if opts.Changes, err = bf.compare(ctx, env, w, opts.Date); err != nil {
			return err
		}
	} else if base := w.Baseline(); base != "" && *redactProfile == "" {
		// A revisit compares with the audit it started from, as diff does;
		// if that cannot be opened the report is still written, without
		// the section. A redacted report leaves it out: the previous audit
		// would not be redacted.
		bf.path = base
		if opts.Changes, err = bf.compare(ctx, env, w, opts.Date); err != nil {
			opts.Changes = nil
			fmt.Fprintf(env.Stderr, "zonewalk report: leaving out \"Changes since the previous audit\": %v\n", term(err.Error()))
		}
	}
	last := ""
	progress := func(p report.Progress) {
		if *quiet || p.Step == last {
			return
		}
		last = p.Step
		fmt.Fprintf(env.Stderr, "%3.0f%% %s\n", p.Fraction*100, term(p.Step))
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The PDF library keeps two copies of every photo until the file is
		// written, and page compression makes garbage fast; with the
		// default GC pacing the heap grows to twice what is live before a
		// collection. A soft limit makes it collect sooner (this process
		// does nothing else); GOMEMLIMIT overrides it.
		debug.SetMemoryLimit(reportMemoryLimit)
	}
	res, err := report.WriteFile(ctx, w, *out, opts, progress)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d pages, %d photos, %.1f MB, data SHA-256 %s\n", term(*out), res.Pages, res.Photos, float64(res.Bytes)/(1<<20), term(res.Digest))
	return nil
}
