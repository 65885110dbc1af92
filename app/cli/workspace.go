package cli

import (
	"context"
	"fmt"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

func init() {
	register("demo", "create the demo audit (unencrypted), or a synthetic one with --assets N", runDemo)
	register("init", "create an empty encrypted audit workspace", runInit)
}

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "demo", "--workspace DIR [--assets N [--zones N]]")
	dir := fs.String("workspace", "", "directory to create (must be missing or empty)")
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
	defer w.Close()
	fmt.Fprintf(env.Stdout, "created %q in %s: %d zones, %d conduits, %d assets\n", w.Audit().Title, *dir, len(w.Zones()), len(w.Conduits()), w.AssetCount())
	fmt.Fprintln(env.Stdout, "note: this workspace is NOT encrypted (demo data); use `zonewalk init` for a real audit")
	return nil
}

func runInit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "init", "--workspace DIR [--title TEXT] [--site TEXT]")
	dir := fs.String("workspace", "", "directory to create (must be missing or empty)")
	pf := fs.String("passphrase-file", "", "file whose first line is the passphrase (else $ZONEWALK_PASSPHRASE)")
	title := fs.String("title", "New audit", "audit title")
	site := fs.String("site", "", "site name")
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
	if len(pass) == 0 {
		return usageError("a passphrase is required: set ZONEWALK_PASSPHRASE or --passphrase-file")
	}
	w, err := app.Create(ctx, *dir, app.Options{Passphrase: pass, Author: author(env)}, assets.Audit{Title: *title, Site: *site})
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(env.Stdout, "created encrypted audit workspace %s\n", *dir)
	return nil
}
