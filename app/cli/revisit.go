package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/store"
)

func init() {
	register("revisit", "start a new audit from a previous one: the model copied, answers carried over to re-confirm, open findings kept", runRevisit)
	register("confirm", "confirm answers a revisit carried over, in bulk: per template, zone and section", runConfirm)
}

func runRevisit(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "revisit", "--from OLD --workspace NEW [--title TEXT] [--unencrypted]\n"+
		"OLD is the previous audit's workspace directory (opened read-only; for a bundle, `zonewalk import --create` it first).")
	from := fs.String("from", "", "the previous audit's workspace directory")
	dir := fs.String("workspace", "", "directory of the new audit (must be missing or empty)")
	title := fs.String("title", "", `title of the new audit (default: the old one with "— revisit YEAR")`)
	pf := fs.String("passphrase-file", "", "passphrase of the new audit (else $ZONEWALK_PASSPHRASE)")
	basePF := fs.String("baseline-passphrase-file", "", "passphrase of the previous audit (else $"+baselinePassEnv+")")
	unenc := fs.Bool("unencrypted", false, "do not encrypt the new workspace (test and training data only)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) > 0:
		return usageError("unexpected argument %q", pos[0])
	case *from == "" || *dir == "":
		return usageError("--from OLD and --workspace NEW are required")
	case samePath(*from, *dir):
		return usageError("--from and --workspace name the same directory")
	}
	if fi, err := os.Stat(*from); err != nil || !fi.IsDir() {
		return usageError("--from %s: want the previous audit's workspace directory (a bundle: `zonewalk import --create` it first)", *from)
	}
	pass, err := readSecret(env, *pf, "ZONEWALK_PASSPHRASE")
	if err != nil {
		return err
	}
	switch {
	case *unenc && len(pass) > 0:
		return usageError("--unencrypted and a passphrase contradict each other")
	case !*unenc && len(pass) == 0:
		return usageError("a passphrase for the new audit is required: set ZONEWALK_PASSPHRASE or --passphrase-file (at least %d characters)", store.MinPassphraseLength)
	}
	oldPass, err := readSecret(env, *basePF, baselinePassEnv)
	if err != nil {
		return err
	}
	old, err := app.Open(ctx, *from, app.Options{Passphrase: oldPass, Author: author(env), ReadOnly: true})
	if errors.Is(err, app.ErrPassphraseRequired) {
		return usageError("the previous audit is encrypted: set $%s or --baseline-passphrase-file", baselinePassEnv)
	}
	if err != nil {
		return fmt.Errorf("previous audit: %w", err)
	}
	defer env.closeWorkspace(old, closeTimeout)
	w, res, err := app.Revisit(ctx, old, *dir, app.Options{Passphrase: pass, Unencrypted: *unenc, Author: author(env)}, *title)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	if *unenc {
		warnUnencrypted(env)
	}
	fmt.Fprintf(env.Stdout, "started %q in %s from %q: %d zones, %d conduits, %d assets, %d evidence files; %d answers carried over to re-confirm (zonewalk confirm), %d open findings kept\n",
		term(w.Audit().Title), term(*dir), term(old.Audit().Title), res.Zones, res.Conduits, res.Assets, res.Evidence, res.Answers, res.Findings)
	fmt.Fprintf(env.Stdout, "the previous audit is this one's baseline: `zonewalk diff --workspace %s` shows what changed\n", term(*dir))
	return nil
}

func runConfirm(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "confirm", "--workspace DIR --template ID [--zone NAME] [--section ID|PREFIX]\n"+
		"Confirms the answers `zonewalk revisit` carried over: all of a template, or one zone's, or the items\n"+
		"whose ID starts with PREFIX (\"SR 1.\" for FR 1 of 62443-3-3, \"ORG 1.\" for ORG 1 of 62443-2-1).")
	wf := addWorkspaceFlags(fs)
	tpl := fs.String("template", "", "checklist template ID (zonewalk checklist list)")
	zone := fs.String("zone", "", "only this zone's answers")
	section := fs.String("section", "", `only this section ("FR 1", "ORG 1"), or items whose ID starts with this ("SR 1.")`)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *tpl == "" {
		return usageError("--template ID is required")
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	zoneID := ""
	if *zone != "" {
		z, ok := w.ZoneByName(*zone)
		if !ok {
			return fmt.Errorf("no zone is named %q", *zone)
		}
		zoneID = z.ID
	}
	n, err := w.ConfirmCarried(ctx, *tpl, zoneID, *section)
	if err != nil {
		return err
	}
	left, err := w.CarriedAnswers()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "confirmed %d answers; %d carried over answers of %s are still to re-confirm\n", n, left[*tpl], term(*tpl))
	return nil
}
