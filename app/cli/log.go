package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/store"
)

func init() {
	register("log", "the change log: every change to the audit's records, chained per laptop (docs/change-log.md); log verify checks it", runLog)
}

func runLog(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "log", "[verify] --workspace DIR [--record ID] [--format table|json]")
	wf := addWorkspaceFlags(fs)
	record := fs.String("record", "", "only the history of this record (its ID, as `assets list --format json` shows)")
	format := fs.String("format", "table", "table or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	verify := len(pos) == 1 && pos[0] == "verify"
	if len(pos) > 0 && !verify {
		return usageError("unexpected argument %q (want: log or log verify)", pos[0])
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if verify {
		heads, checkpoints, err := bundle.VerifyLog(w)
		if err != nil {
			return err
		}
		for _, h := range heads {
			line := fmt.Sprintf("device %s: %s, head %s", h.Device, english.Count(int(h.Seq), "entry", "entries"), h.Hash)
			if h.Missing > 0 {
				line += fmt.Sprintf(" (%d not received yet)", h.Missing)
			}
			fmt.Fprintln(env.Stdout, term(line))
		}
		fmt.Fprintf(env.Stdout, "change log verified: %s, %s\n", english.Count(len(heads), "chain", "chains"), english.Count(checkpoints, "signed checkpoint", "signed checkpoints"))
		return nil
	}
	entries, err := w.Store().History(*record)
	if err != nil {
		return err
	}
	if *format == "json" {
		if entries == nil {
			entries = []store.Change{}
		}
		return writeJSON(env.Stdout, entries)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN (UTC)\tWHO\tENTRY\tCHANGE\tFIELDS")
	for _, c := range entries {
		var fields []string
		if c.Created != "" && c.Fields == nil {
			fields = append(fields, "created; values not recoverable from the record and later entries (content SHA-256 "+c.Created[:min(16, len(c.Created))]+"…)")
		}
		for _, k := range slices.Sorted(maps.Keys(c.Fields)) {
			v := c.Fields[k]
			fields = append(fields, fmt.Sprintf("%s: %s → %s", k, clipText(string(v[0]), 30), clipText(string(v[1]), 30)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s.%d\t%s %s %s\t%s\n", c.Version.Time().Format("2006-01-02 15:04:05"), term(c.ChangedBy),
			c.Device[:min(8, len(c.Device))], c.Seq, c.Op, term(c.Kind), term(c.Record), term(strings.Join(fields, "; ")))
	}
	tw.Flush()
	fmt.Fprintln(env.Stdout, english.Count(len(entries), "entry", "entries"))
	return nil
}
