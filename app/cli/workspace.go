package cli

import (
	"context"
	"fmt"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/atomicfile"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

func init() {
	register("demo", "create the demo audit (unencrypted), or a synthetic one with --assets N", runDemo)
	register("init", "create an empty encrypted audit workspace", runInit)
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "--workspace DIR [--assets N [--zones N]] [--capture FILE.pcap]")
	dir := fs.String("workspace", "", "directory to create (must be missing or empty)")
	capture := fs.String("capture", "", "also write a small sample capture of the demo plant, to try `zonewalk traffic import` on")
	n := fs.Int("assets", 0, "create a deterministic synthetic audit of N assets instead of the demo")
	zones := fs.Int("zones", 50, "zones in the synthetic audit")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usageError("--workspace DIR is required")
	}
	var w *app.Workspace
	var err error
	if *n > 0 {
		w, err = demo.Synthetic(ctx, *dir, *zones, *n)
	} else {
		w, err = demo.Create(ctx, *dir, author(env))
	}
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	warnUnencrypted(env)
	fmt.Fprintf(env.Stdout, "created %q in %s: %d zones, %d conduits, %d assets\n", w.Audit().Title, *dir, len(w.Zones()), len(w.Conduits()), w.AssetCount())
	fmt.Fprintln(env.Stdout, "note: this workspace is NOT encrypted (demo data); use `zonewalk init` for a real audit")
	if *capture != "" {
		err := atomicfile.Write(*capture, 0o644, demo.WriteSampleCapture)
		if err != nil {
			return fmt.Errorf("sample capture: %w", err)
		}
		fmt.Fprintf(env.Stdout, "wrote the sample capture %s: try `zonewalk traffic import --workspace %s %s`\n", term(*capture), term(*dir), term(*capture))
	}
	return nil
}

func runInit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "init", "--workspace DIR [--title TEXT] [--site TEXT] [--unencrypted]")
	dir := fs.String("workspace", "", "directory to create (must be missing or empty)")
	pf := fs.String("passphrase-file", "", "file whose first line is the passphrase (else $ZONEWALK_PASSPHRASE)")
	title := fs.String("title", "New audit", "audit title")
	site := fs.String("site", "", "site name")
	unenc := fs.Bool("unencrypted", false, "do not encrypt the workspace (test and training data only)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		return usageError("--workspace DIR is required")
	}
	pass, err := readSecret(env, *pf, "ZONEWALK_PASSPHRASE")
	if err != nil {
		return err
	}
	switch {
	case *unenc && len(pass) > 0:
		return usageError("--unencrypted and a passphrase contradict each other: unset ZONEWALK_PASSPHRASE or drop --unencrypted")
	case !*unenc && len(pass) == 0:
		return usageError("a passphrase is required: set ZONEWALK_PASSPHRASE or --passphrase-file (at least %d characters)", store.MinPassphraseLength)
	}
	w, err := app.Create(ctx, *dir, app.Options{Passphrase: pass, Unencrypted: *unenc, Author: author(env)}, assets.Audit{Title: *title, Site: *site})
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if *unenc {
		warnUnencrypted(env)
		fmt.Fprintf(env.Stdout, "created unencrypted audit workspace %s\n", *dir)
		return nil
	}
	fmt.Fprintf(env.Stdout, "created encrypted audit workspace %s\n", *dir)
	return nil
}

// warnUnencrypted tells, on stderr so scripts still see it, what an
// unencrypted workspace exposes: not only the audit but the key that signs
// this laptop's bundles.
func warnUnencrypted(env *Env) {
	fmt.Fprintln(env.Stderr, "warning: this workspace is NOT encrypted: the audit data and this laptop's device signing key "+
		"are stored in plain form; anyone who copies the directory can read the audit and sign bundles as this laptop")
}
