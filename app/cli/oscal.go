package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/app/oscal"
)

func init() {
	register("oscal", "write the audit as OSCAL 1.1.3 JSON: assessment results, POA&M or our catalog", runOSCAL)
}

func runOSCAL(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "oscal", "--workspace DIR --out FILE.json --model assessment-results|poam|catalog [--date YYYY-MM-DD] [--doc-version V] [--redact PROFILE]")
	wf := addWorkspaceFlags(fs)
	out := fs.String("out", "", "JSON file to write (replaced only when the export is complete)")
	model := fs.String("model", "", "assessment-results, poam or catalog")
	date := fs.String("date", "", "judge review dates against this day instead of today (YYYY-MM-DD)")
	version := fs.String("doc-version", "", "metadata version of this issue (default 1.0)")
	redactProfile := addRedactFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *out == "" {
		return usageError("--out FILE.json is required")
	}
	opts := oscal.Options{Model: oscal.Model(*model), Version: *version}
	if !slices.Contains(oscal.Models, opts.Model) {
		names := make([]string, len(oscal.Models))
		for i, m := range oscal.Models {
			names[i] = string(m)
		}
		return usageError("--model %q: want %s", *model, strings.Join(names, ", "))
	}
	if opts.Date, err = dateFlag(*date); err != nil {
		return err
	}
	if strings.ContainsAny(*version, "\r\n") {
		return usageError("--doc-version must be one line")
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
	res, err := oscal.WriteFile(ctx, w, *out, opts)
	if err != nil {
		return err
	}
	switch opts.Model {
	case oscal.Catalog:
		fmt.Fprintf(env.Stdout, "wrote %s: OSCAL catalog, %d controls, %.1f MB\n", term(*out), res.Controls, oscalMB(res.Bytes))
	case oscal.POAM:
		fmt.Fprintf(env.Stdout, "wrote %s: OSCAL POA&M, %d items, %.1f MB\n", term(*out), res.POAMItems, oscalMB(res.Bytes))
	default:
		fmt.Fprintf(env.Stdout, "wrote %s: OSCAL assessment results, %d findings, %d observations, %d pieces of evidence (hashes, no bytes), %.1f MB\n",
			term(*out), res.Findings, res.Observations, res.Evidence, oscalMB(res.Bytes))
	}
	return nil
}

func oscalMB(n int) float64 { return float64(n) / (1 << 20) }
