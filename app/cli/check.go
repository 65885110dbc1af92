package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zonewalk/zonewalk/assets/checks"
)

func init() {
	register("check", "run the model checks, save and list the findings", runCheck)
}

// exitFindings is the exit code of check --fail-on when open findings at
// or above the threshold exist: distinct from 1 (the command failed), so
// scripts can tell the two apart.
const exitFindings = 3

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "check", "--workspace DIR [--format table|json] [--fail-on SEVERITY] [--all] [--date YYYY-MM-DD]\n"+
		"Runs the model checks, saves the findings (keeping their status and notes) and lists those not closed.\n"+
		"Exit code 3 when --fail-on is given and open findings at or above it exist.")
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "table or json")
	failOn := fs.String("fail-on", "", "exit with code 3 when open findings of this severity or higher exist (info, low, medium, high, critical)")
	all := fs.Bool("all", false, "list closed findings too")
	date := fs.String("date", "", "judge review dates against this day instead of today (YYYY-MM-DD)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError("check takes no arguments")
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	var threshold checks.Severity
	if *failOn != "" {
		if threshold, err = checks.ParseSeverity(*failOn); err != nil {
			return usageError("--fail-on: %v", err)
		}
	}
	today, err := dateFlag(*date)
	if err != nil {
		return err
	}
	if today.IsZero() {
		today = time.Now()
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	run, err := w.RunChecks(ctx, today)
	if err != nil {
		return err
	}
	found, err := w.Findings()
	if err != nil {
		return err
	}
	var shown []checks.Finding
	bySev := map[checks.Severity]int{}
	var open, accepted, closed, failing int
	for _, f := range found {
		switch f.Status {
		case checks.StatusOpen:
			open++
			bySev[f.Severity]++
			if threshold != 0 && f.Severity >= threshold {
				failing++
			}
		case checks.StatusAccepted:
			accepted++
		default:
			closed++
		}
		if *all || f.Status != checks.StatusClosed {
			shown = append(shown, f)
		}
	}
	var parts []string
	for i := len(checks.Severities) - 1; i >= 0; i-- {
		if s := checks.Severities[i]; bySev[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", bySev[s], s))
		}
	}
	summary := fmt.Sprintf("%d open", open)
	if len(parts) > 0 {
		summary += " (" + strings.Join(parts, ", ") + ")"
	}
	summary += fmt.Sprintf(", %d accepted, %d closed; this run added %d, updated %d, closed %d",
		accepted, closed, run.Added, run.Updated, run.Closed)
	if !run.Scored {
		summary += "; SL-A not judged (no checklist scores)"
	}

	if *format == "json" {
		if shown == nil {
			shown = []checks.Finding{}
		}
		if err := writeJSON(env.Stdout, shown); err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, summary)
	} else {
		tw := tabwriter.NewWriter(env.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "SEVERITY\tSTATUS\tRULE\tFINDING")
		for _, f := range shown {
			rule := f.RuleID
			switch f.Source {
			case checks.SourceChecklist:
				rule = f.Template + " " + f.Item
			case checks.SourceManual:
				rule = "manual"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", term(f.Severity.String()), term(string(f.Status)), term(rule), term(oneLine(f.Title)))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, summary)
	}
	if failing > 0 {
		fmt.Fprintf(env.Stderr, "zonewalk check: %d open %s at or above %s\n", failing,
			map[bool]string{true: "finding", false: "findings"}[failing == 1], threshold)
		return exitCode(exitFindings)
	}
	return nil
}
