package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/app/diff"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	register("diff", "what changed since a previous audit: assets, zones (SL-T, SL-A), conduits, findings, answers", runDiff)
}

const baselinePassEnv = "ZONEWALK_BASELINE_PASSPHRASE"

func runDiff(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "diff", "--workspace NEW [--baseline OLD] [--format table|json] [--date YYYY-MM-DD]\n"+
		"OLD is the previous audit: a workspace directory, opened read-only, or a full bundle file (.zwb),\n"+
		"unpacked into a temporary encrypted workspace that is deleted afterwards; by default the audit\n"+
		"NEW was started from with `zonewalk revisit`. See docs/diff.md.")
	wf := addWorkspaceFlags(fs)
	bf := addBaselineFlags(fs, "the previous audit: workspace directory or bundle file (default: the one NEW revisits)")
	format := fs.String("format", "table", "table or json")
	date := fs.String("date", "", "judge review dates of both audits against this day instead of today (YYYY-MM-DD)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError("diff takes no arguments")
	}
	if wf.dir == "" {
		return usageError("--workspace DIR is required")
	}
	var cur *app.Workspace
	if bf.path == "" {
		// The audit this one revisits, recorded by `zonewalk revisit`.
		if cur, err = wf.openToRead(ctx, env); err != nil {
			return err
		}
		defer env.closeWorkspace(cur, closeTimeout)
		if bf.path = cur.Baseline(); bf.path == "" {
			return usageError("--baseline OLD is required: this audit was not started with `zonewalk revisit`")
		}
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	day, err := dateFlag(*date)
	if err != nil {
		return err
	}
	if err := bf.check(wf.dir); err != nil {
		return err
	}
	if cur == nil {
		if cur, err = wf.openToRead(ctx, env); err != nil {
			return err
		}
		defer env.closeWorkspace(cur, closeTimeout)
	}
	r, err := bf.compare(ctx, env, cur, day)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(env.Stdout, r)
	}
	return writeDiffTable(env.Stdout, r)
}

// baselineFlags name a previous audit to compare with (diff, report).
type baselineFlags struct {
	path, passFile, bundlePassFile string
	ids, trust                     listFlag
}

func addBaselineFlags(fs *flag.FlagSet, usage string) *baselineFlags {
	b := &baselineFlags{}
	fs.StringVar(&b.path, "baseline", "", usage)
	fs.StringVar(&b.passFile, "baseline-passphrase-file", "", "file whose first line is the baseline workspace's passphrase (else $"+baselinePassEnv+")")
	fs.Var(&b.ids, "identity", "baseline bundle: age identity file to decrypt with; repeatable")
	fs.Var(&b.trust, "trust", "baseline bundle: accept this signer key (base64 line or .pub file) besides those the workspace trusts; repeatable")
	fs.StringVar(&b.bundlePassFile, "bundle-passphrase-file", "", "baseline bundle: passphrase file of a passphrase-encrypted bundle (else $"+bundlePassEnv+")")
	return b
}

// check refuses a baseline that is missing or is the current workspace,
// before anything is opened.
func (b *baselineFlags) check(current string) error {
	st, err := os.Stat(b.path)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if st.IsDir() && samePath(b.path, current) {
		return usageError("--baseline and --workspace name the same workspace %s", b.path)
	}
	return nil
}

// compare opens the baseline read-only, compares it with cur on day
// (today when zero) and closes it again.
func (b *baselineFlags) compare(ctx context.Context, env *Env, cur *app.Workspace, day time.Time) (*diff.Report, error) {
	if err := b.check(cur.Dir()); err != nil {
		return nil, err
	}
	if day.IsZero() {
		day = time.Now()
	}
	var old *app.Workspace
	if st, _ := os.Stat(b.path); st.IsDir() {
		pass, err := readSecret(env, b.passFile, baselinePassEnv)
		if err != nil {
			return nil, err
		}
		old, err = app.Open(ctx, b.path, app.Options{Passphrase: pass, Author: author(env), ReadOnly: true})
		if errors.Is(err, app.ErrPassphraseRequired) {
			return nil, usageError("the baseline workspace is encrypted: set $%s or --baseline-passphrase-file", baselinePassEnv)
		}
		if err != nil {
			return nil, fmt.Errorf("baseline: %w", err)
		}
	} else {
		tmp, err := os.MkdirTemp("", "zonewalk-baseline-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp) // after the baseline is closed (defers run last first)
		bpass, err := readSecret(env, b.bundlePassFile, bundlePassEnv)
		if err != nil {
			return nil, err
		}
		if old, err = openBundleBaseline(ctx, env, cur, b.path, filepath.Join(tmp, "baseline"),
			bundle.ImportOptions{IdentityFiles: b.ids, Passphrase: bpass, Trust: b.trust}); err != nil {
			return nil, err
		}
	}
	defer env.closeWorkspace(old, closeTimeout)
	return diff.Compare(ctx, old, cur, day)
}

// samePath reports whether two paths name one directory; a second open
// of a workspace would fail on its lock with a less helpful message.
func samePath(a, b string) bool {
	abs := func(p string) string {
		if q, err := filepath.Abs(p); err == nil {
			p = q
		}
		if q, err := filepath.EvalSymlinks(p); err == nil {
			p = q
		}
		return p
	}
	return abs(a) == abs(b)
}

// openBundleBaseline unpacks a full bundle into dir, a new workspace
// encrypted with a random passphrase nobody keeps (the audit must not lie
// in plain form in a temporary directory, even after a crash), and opens
// it read-only. Signers the current workspace trusts, its own key
// included, are trusted for this one unpacking.
func openBundleBaseline(ctx context.Context, env *Env, cur *app.Workspace, file, dir string, opts bundle.ImportOptions) (*app.Workspace, error) {
	if signer, err := bundle.Inspect(ctx, file); err == nil {
		if ok, err := bundle.IsTrusted(cur, signer.KeyInfo); err == nil && ok {
			opts.Trust = append(opts.Trust, signer.PublicKey)
		}
	} // else Clone reports what is wrong with the bundle
	var secret [32]byte
	rand.Read(secret[:])
	pass := []byte(hex.EncodeToString(secret[:]))
	w, _, err := bundle.Clone(ctx, dir, file, app.Options{Passphrase: pass, Author: author(env)}, opts)
	if err != nil {
		if errors.Is(err, bundle.ErrDecrypt) {
			return nil, fmt.Errorf("baseline bundle %s: %w: give --identity KEYFILE or a passphrase ($%s or --bundle-passphrase-file)",
				file, err, bundlePassEnv)
		}
		return nil, fmt.Errorf("baseline bundle %s: %w", file, err)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return app.Open(ctx, dir, app.Options{Passphrase: pass, Author: author(env), ReadOnly: true})
}

// writeDiffTable prints the counts, then one table per non-empty section.
func writeDiffTable(out io.Writer, r *diff.Report) error {
	c := r.Counts
	fmt.Fprintf(out, "Changes from %q (%s) to %q (%s); findings of both judged on %s\n\n",
		term(r.Baseline.Title), term(r.Baseline.ID), term(r.Current.Title), term(r.Current.ID), r.Day)
	tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
	recreated := ""
	if c.Assets.Recreated > 0 {
		recreated = fmt.Sprintf(" (%d re-created with the same tag)", c.Assets.Recreated)
	}
	fmt.Fprintf(tw, "Assets\t%d added%s, %d removed, %d changed\t%d → %d\n", c.Assets.Added, recreated, c.Assets.Removed,
		c.Assets.Changed, r.Baseline.Assets, r.Current.Assets)
	fmt.Fprintf(tw, "Zones\t%d added, %d removed, %d changed\t%d → %d\n", c.Zones.Added, c.Zones.Removed, c.Zones.Changed,
		r.Baseline.Zones, r.Current.Zones)
	fmt.Fprintf(tw, "Conduits\t%d added, %d removed, %d changed\t%d → %d\n", c.Conduits.Added, c.Conduits.Removed,
		c.Conduits.Changed, r.Baseline.Conduits, r.Current.Conduits)
	fmt.Fprintf(tw, "Findings\t%d new, %d resolved, %d still open\t\n", c.Findings.New, c.Findings.Resolved, c.Findings.StillOpen)
	fmt.Fprintf(tw, "Answers\t%s\t\n", english.Count(c.Answers, "answer changed", "answers changed"))
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Unchanged() {
		fmt.Fprintln(out, "\nNo changes.")
	}

	var t table
	if len(r.Assets.Added) > 0 || len(r.Assets.Removed) > 0 {
		for _, s := range []struct {
			title string
			list  []diff.AssetRef
		}{{"ASSETS ADDED", r.Assets.Added}, {"ASSETS REMOVED", r.Assets.Removed}} {
			if len(s.list) == 0 {
				continue
			}
			t.start(s.title, "TAG", "NAME", "TYPE", "ZONE", "NOTE")
			for _, a := range s.list {
				note := ""
				if a.Recreated {
					note = "re-created (same tag)"
				}
				t.row(a.Tag, a.Name, a.Type, a.Zone, note)
			}
		}
	}
	if len(r.Assets.Changed) > 0 {
		t.start("ASSETS CHANGED", "TAG", "FIELD", "BEFORE", "AFTER")
		for _, a := range r.Assets.Changed {
			changeRows(&t, a.Tag, a.Changes)
		}
	}
	if len(r.Zones.Added) > 0 || len(r.Zones.Removed) > 0 {
		t.start("ZONES ADDED AND REMOVED", "ZONE", "", "SL-T", "SL-A")
		for _, z := range r.Zones.Added {
			t.row(z.Name, "added", slText(&z.SLT), slText(z.SLA))
		}
		for _, z := range r.Zones.Removed {
			t.row(z.Name, "removed", slText(&z.SLT), slText(z.SLA))
		}
	}
	if len(r.Zones.Changed) > 0 {
		t.start("ZONES CHANGED", "ZONE", "FIELD", "BEFORE", "AFTER")
		for _, z := range r.Zones.Changed {
			changeRows(&t, z.Name, z.Changes)
		}
	}
	if len(r.Zones.Levels) > 0 {
		t.start("ZONE LEVELS (per FR: IAC UC SI DC RDF TRE RA; - absent or not assessed)",
			"ZONE", "SL-T BEFORE", "SL-T AFTER", "SL-A BEFORE", "SL-A AFTER")
		for _, z := range r.Zones.Levels {
			t.row(z.Name, slText(z.SLTBefore), slText(z.SLTAfter), slText(z.SLABefore), slText(z.SLAAfter))
		}
	}
	if len(r.Conduits.Added) > 0 || len(r.Conduits.Removed) > 0 {
		t.start("CONDUITS ADDED AND REMOVED", "CONDUIT", "", "FROM", "TO")
		for _, x := range r.Conduits.Added {
			t.row(x.Name, "added", endText(x.From), endText(x.To))
		}
		for _, x := range r.Conduits.Removed {
			t.row(x.Name, "removed", endText(x.From), endText(x.To))
		}
	}
	if len(r.Conduits.Changed) > 0 {
		t.start("CONDUITS CHANGED", "CONDUIT", "FIELD", "BEFORE", "AFTER")
		for _, x := range r.Conduits.Changed {
			changeRows(&t, x.Name, x.Changes)
		}
	}
	for _, s := range []struct {
		title string
		list  []diff.Finding
	}{{"FINDINGS NEW", r.Findings.New}, {"FINDINGS RESOLVED", r.Findings.Resolved}, {"FINDINGS STILL OPEN", r.Findings.StillOpen}} {
		if len(s.list) == 0 {
			continue
		}
		t.start(s.title, "SEVERITY", "STATUS", "RULE", "FINDING")
		for _, f := range s.list {
			t.row(f.Severity, orDash(f.Before)+" → "+orDash(f.After), f.Rule, f.Title)
		}
	}
	if len(r.Answers) > 0 {
		t.start("ANSWERS CHANGED", "TEMPLATE", "ITEM", "ZONE", "BEFORE", "AFTER")
		for _, a := range r.Answers {
			t.row(a.Template, a.Item, a.Zone, answerText(a.Before), answerText(a.After))
		}
	}
	return t.flush(out)
}

// table collects the detail sections and prints each with its own column
// widths.
type table struct {
	sections []section
}

type section struct {
	title string
	rows  [][]string
}

func (t *table) start(title string, header ...string) {
	t.sections = append(t.sections, section{title: title, rows: [][]string{header}})
}

func (t *table) row(cells ...string) {
	s := &t.sections[len(t.sections)-1]
	s.rows = append(s.rows, cells)
}

func (t *table) flush(out io.Writer) error {
	for _, s := range t.sections {
		fmt.Fprintf(out, "\n%s\n", s.title)
		tw := tabwriter.NewWriter(out, 2, 4, 2, ' ', 0)
		for i, cells := range s.rows {
			for j, c := range cells {
				if i > 0 {
					c = term(oneLine(c)) // record text; headers are ours
				}
				if j > 0 {
					io.WriteString(tw, "\t")
				}
				io.WriteString(tw, c)
			}
			io.WriteString(tw, "\n")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// changeRows prints one row per field change, and one per FR for an SL
// vector that changed level by level.
func changeRows(t *table, name string, changes []diff.FieldChange) {
	for _, ch := range changes {
		b, bok := ch.Before.(*assets.SLVector)
		a, aok := ch.After.(*assets.SLVector)
		if bok && aok && b != nil && a != nil {
			label := strings.ToUpper(strings.ReplaceAll(ch.Field, "_", "-"))
			for i, fr := range assets.FRs {
				if b[i] != a[i] {
					t.row(name, fmt.Sprintf("%s FR %d %s", label, fr.Number(), fr), strconv.Itoa(b[i]), strconv.Itoa(a[i]))
				}
			}
			continue
		}
		t.row(name, ch.Field, valueText(ch.Before), valueText(ch.After))
	}
}

func valueText(v any) string {
	switch x := v.(type) {
	case string:
		return orDash(x)
	case []string:
		return orDash(strings.Join(x, ", "))
	case bool:
		return map[bool]string{true: "yes", false: "no"}[x]
	case int:
		return strconv.Itoa(x)
	case *assets.SLVector:
		return slText(x)
	}
	return fmt.Sprint(v)
}

// slText writes a vector as its seven levels, "-" when absent.
func slText(v *assets.SLVector) string {
	if v == nil {
		return "-"
	}
	parts := make([]string, len(v))
	for i, l := range v {
		parts[i] = strconv.Itoa(l)
	}
	return strings.Join(parts, " ")
}

func endText(zone string) string {
	if zone == "" {
		return "(outside)"
	}
	return zone
}

// answerNoteWidth bounds the note shown in the table; JSON has it whole.
const answerNoteWidth = 40

func answerText(a *diff.AnswerState) string {
	if a == nil {
		return "-"
	}
	s := a.Status
	if a.Maturity > 0 {
		s += fmt.Sprintf(" ML%d", a.Maturity)
	}
	if note := oneLine(a.Note); note != "" {
		if utf8.RuneCountInString(note) > answerNoteWidth {
			note = string([]rune(note)[:answerNoteWidth-1]) + "…"
		}
		s += fmt.Sprintf(" (%s)", note)
	}
	return s
}
