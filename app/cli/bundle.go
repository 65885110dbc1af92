package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/english"
)

func init() {
	register("export", "write an encrypted, signed audit bundle (format: docs/bundle-format.md)", runExport)
	register("verify", "check a bundle's signature and, with a key, every member, without a workspace", runVerify)
	register("import", "merge a bundle into a workspace (or create one from it with --create)", runImport)
	register("keys", "show this workspace's signing key; set the team key; trust signers", runKeys)
	register("conflicts", "list concurrent edits found by imports; keep or restore versions", runConflicts)
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

const bundlePassEnv = "ZONEWALK_BUNDLE_PASSPHRASE"

func runExport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "export", "--workspace DIR --out FILE [--recipient AGE_PUBKEY]... [--since-last] [--bundle-passphrase-file F] [--redact PROFILE]")
	wf := addWorkspaceFlags(fs)
	out := fs.String("out", "", "bundle file to write (its signature goes to FILE.minisig)")
	var recips listFlag
	fs.Var(&recips, "recipient", "age X25519 recipient (age1…) to encrypt to; repeatable; the team recipient is added unless --no-team")
	noTeam := fs.Bool("no-team", false, "do not encrypt to the team recipient set with `zonewalk keys team`")
	since := fs.Bool("since-last", false, "only what changed since this workspace's last export")
	ppf := fs.String("bundle-passphrase-file", "", "encrypt to the passphrase in this file's first line (else $"+bundlePassEnv+" if set)")
	redactProfile := addRedactFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *out == "" {
		return usageError("--out FILE is required")
	}
	if *redactProfile != "" && *since {
		return usageError("--redact makes a whole copy for a third party: leave out --since-last")
	}
	pass, err := readSecret(env, *ppf, bundlePassEnv)
	if err != nil {
		return err
	}
	w, err := wf.open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	src, done, err := redacted(ctx, env, w, *redactProfile)
	if err != nil {
		return err
	}
	defer done()
	opts := bundle.ExportOptions{Recipients: recips, NoTeam: *noTeam, Passphrase: pass, SinceLast: *since}
	if src != w {
		// The copy is signed by this laptop; the team recipient set on the
		// original is not carried to a copy for a third party.
		opts.SignWith, opts.NoTeam = w, true
	}
	res, err := bundle.Export(ctx, src, *out, opts)
	if errors.Is(err, bundle.ErrMixedEncryption) {
		return usageError("%v: a passphrase came from --bundle-passphrase-file or $%s, and --recipient was given", err, bundlePassEnv)
	}
	if errors.Is(err, bundle.ErrNoRecipient) {
		return usageError("%v: give --recipient, set a team key (zonewalk keys team), or a passphrase ($%s or --bundle-passphrase-file)", err, bundlePassEnv)
	}
	if err != nil {
		return err
	}
	n := 0
	for _, c := range res.Records {
		n += c
	}
	res.File = term(res.File)
	enc := fmt.Sprintf("%d recipient key(s)", res.Recipients)
	if res.Recipients == 0 {
		enc = "a passphrase"
	}
	scope := "whole audit"
	if res.Since != nil {
		scope = "changes since " + res.Since.Time().Format("2006-01-02 15:04:05Z")
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%d bytes, %s): %d records, %d evidence files, encrypted to %s\n", res.File, res.Size, scope, n, res.Blobs, enc)
	fmt.Fprintf(env.Stdout, "signature %s by key %s (fingerprint %s)\n", term(res.Signature), term(res.Signer.KeyID), term(res.Signer.Fingerprint))
	fmt.Fprintf(env.Stdout, "check it with: minisign -Vm %s -P %s\n", res.File, term(res.Signer.PublicKey))
	return nil
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "verify", "FILE [--signer PUBKEY|KEY.pub] [--identity KEYFILE]... [--bundle-passphrase-file F] [--max-clock-ahead D] [--format text|json]")
	signer := fs.String("signer", "", "accept only this signer key (base64 line or .pub file)")
	var ids listFlag
	fs.Var(&ids, "identity", "age identity file to decrypt with, to check every member; repeatable")
	ppf := fs.String("bundle-passphrase-file", "", "passphrase file for a passphrase-encrypted bundle (else $"+bundlePassEnv+")")
	ahead := addClockFlag(fs)
	format := fs.String("format", "text", "output: text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one bundle FILE")
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *ahead <= 0 {
		return usageError("--max-clock-ahead must be more than 0")
	}
	pass, err := readSecret(env, *ppf, bundlePassEnv)
	if err != nil {
		return err
	}
	rep, err := bundle.Verify(ctx, pos[0], bundle.VerifyOptions{Signer: *signer, IdentityFiles: ids, Passphrase: pass, MaxClockOffset: *ahead})
	if err != nil {
		return clockHint(err)
	}
	if *format == "json" {
		return writeJSON(env.Stdout, rep)
	}
	who := "the key it names (not checked against a key you gave; use --signer)"
	if rep.SignerChecked {
		who = "the expected key"
	}
	fmt.Fprintf(env.Stdout, "signature OK: %s is signed by %s\n  key %s  fingerprint %s  signed %s\n  public key %s\n",
		term(rep.File), who, term(rep.Signer.KeyID), term(rep.Signer.Fingerprint), rep.Signer.Signed.Format("2006-01-02 15:04:05Z"), term(rep.Signer.PublicKey))
	if !rep.Decrypted {
		fmt.Fprintln(env.Stdout, "contents not checked: give --identity or a passphrase to decrypt")
		return nil
	}
	h := rep.Header
	fmt.Fprintf(env.Stdout, "contents OK: %d members, every hash and record checked\n  audit %s %q from device %s", rep.Members, term(h.AuditID), h.AuditTitle, term(h.Device))
	if h.Since != nil {
		fmt.Fprintf(env.Stdout, ", changes since %s", h.Since.Time().Format("2006-01-02 15:04:05Z"))
	}
	fmt.Fprintf(env.Stdout, "\n  %d evidence files; records:", rep.Blobs)
	for _, k := range sortedKeys(rep.Records) {
		fmt.Fprintf(env.Stdout, " %s %d", term(k), rep.Records[k])
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

// addClockFlag adds --max-clock-ahead: how far ahead of this laptop's
// clock a record's stamp may be (docs/bundle-format.md, "Clock offset").
func addClockFlag(fs *flag.FlagSet) *time.Duration {
	return fs.Duration("max-clock-ahead", bundle.DefaultMaxClockOffset,
		"refuse a bundle holding a record stamped more than this ahead of this laptop's clock")
}

// clockHint says how to take a bundle refused for a future stamp when the
// importing laptop's clock is the wrong one.
func clockHint(err error) error {
	if errors.Is(err, bundle.ErrFutureStamp) {
		return fmt.Errorf("%w (if this laptop's clock is the one that is wrong, fix it; --max-clock-ahead sets the bound)", err)
	}
	return err
}

func sortedKeys(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

func runImport(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "import", "--workspace DIR FILE [--identity KEYFILE]... [--trust PUBKEY]... [--bundle-passphrase-file F] [--max-clock-ahead D] [--create [--unencrypted]]")
	wf := addWorkspaceFlags(fs)
	var ids, trust listFlag
	fs.Var(&ids, "identity", "age identity file to decrypt with; repeatable (the team identity kept in the workspace is tried too)")
	fs.Var(&trust, "trust", "trust this signer key (base64 line or .pub file) from now on; repeatable")
	ppf := fs.String("bundle-passphrase-file", "", "passphrase file for a passphrase-encrypted bundle (else $"+bundlePassEnv+")")
	create := fs.Bool("create", false, "create the workspace DIR (missing or empty) from a full bundle")
	unenc := fs.Bool("unencrypted", false, "with --create: do not encrypt the new workspace (demo and test data only)")
	ahead := addClockFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one bundle FILE")
	}
	if wf.dir == "" {
		return usageError("--workspace DIR is required")
	}
	if *ahead <= 0 {
		return usageError("--max-clock-ahead must be more than 0")
	}
	pass, err := readSecret(env, *ppf, bundlePassEnv)
	if err != nil {
		return err
	}
	opts := bundle.ImportOptions{IdentityFiles: ids, Passphrase: pass, Trust: trust, MaxClockOffset: *ahead}
	var w *app.Workspace
	var res bundle.ImportResult
	if *create {
		wpass, err := readSecret(env, wf.passphraseFile, "ZONEWALK_PASSPHRASE")
		if err != nil {
			return err
		}
		if len(wpass) == 0 && !*unenc {
			return usageError("--create needs the new workspace's passphrase: set ZONEWALK_PASSPHRASE or --passphrase-file (or --unencrypted)")
		}
		w, res, err = bundle.Clone(ctx, wf.dir, pos[0], app.Options{Passphrase: wpass, Unencrypted: *unenc, Author: author(env)}, opts)
		if err != nil {
			return clockHint(err)
		}
		if *unenc {
			warnUnencrypted(env) // as init --unencrypted: the new signing key lies in plain form too
		}
	} else {
		if w, err = wf.open(ctx, env); err != nil {
			return err
		}
		if res, err = bundle.Import(ctx, w, pos[0], opts); err != nil {
			env.closeWorkspace(w, closeTimeout)
			return clockHint(err)
		}
	}
	defer env.closeWorkspace(w, closeTimeout)
	fmt.Fprintf(env.Stdout, "imported %s from device %s (key %s): %d added, %d updated, %d unchanged, %d new conflicts, %d conflicts closed, %d evidence files stored\n",
		term(pos[0]), term(res.Header.Device), term(res.Signer.KeyID), res.Added, res.Updated, res.Unchanged, res.Conflicts, res.Resolved, res.Blobs)
	if res.Conflicts > 0 {
		fmt.Fprintf(env.Stdout, "review conflicts with: zonewalk conflicts list --workspace %s\n", term(wf.dir))
	}
	if n := len(res.SharedTags); n > 0 {
		fmt.Fprintf(env.Stdout, "%s now used by two or more assets (both kept): %s; rename or merge them (zonewalk check, finding ZW-ASSET-005)\n",
			english.Count(n, "tag is", "tags are"), term(strings.Join(res.SharedTags, ", ")))
	}
	return nil
}

func runKeys(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "keys", "show|team|trust PUBKEY|untrust PUBKEY|trusted --workspace DIR")
	wf := addWorkspaceFlags(fs)
	recip := fs.String("recipient", "", "team: the team's age recipient (age1…) exports are encrypted to")
	idFile := fs.String("identity", "", "team: keep the team's age identity file in the workspace (sets the recipient too)")
	clearTeam := fs.Bool("clear", false, "team: remove the team recipient")
	note := fs.String("note", "", "trust: whose key it is")
	format := fs.String("format", "text", "show, trusted: text or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: show, team, trust PUBKEY, untrust PUBKEY or trusted")
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	want := map[string]int{"show": 1, "team": 1, "trust": 2, "untrust": 2, "trusted": 1}
	n, ok := want[pos[0]]
	if !ok {
		return usageError("unknown subcommand %q: want show, team, trust, untrust or trusted", pos[0])
	}
	if len(pos) != n {
		return usageError("%s takes %d argument(s)", pos[0], n-1)
	}
	open := wf.open
	if pos[0] == "show" || pos[0] == "trusted" {
		open = wf.openToRead
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	switch pos[0] {
	case "show":
		k, err := bundle.DeviceKey(ctx, w)
		if err != nil {
			return err
		}
		team, hasID, err := bundle.Team(w)
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(env.Stdout, map[string]any{"signing_key": k, "pub_file": k.PubFile(), "team_recipient": team, "team_identity_kept": hasID})
		}
		// Only the two key lines go to stdout, so `keys show > KEY.pub` works.
		io.WriteString(env.Stdout, k.PubFile())
		fmt.Fprintf(env.Stderr, "signing key %s, fingerprint %s (the two lines above are a minisign KEY.pub)\n", term(k.KeyID), term(k.Fingerprint))
		if !w.Encrypted() {
			warnUnencrypted(env) // its secret half lies in plain form beside the audit
		}
		switch {
		case team == "":
			fmt.Fprintln(env.Stderr, "team recipient: none (set one with: zonewalk keys team --recipient age1…)")
		default:
			fmt.Fprintf(env.Stderr, "team recipient: %s%s\n", term(team), map[bool]string{true: " (team identity kept in this workspace)"}[hasID])
		}
	case "team":
		switch {
		case *idFile != "":
			b, err := os.ReadFile(*idFile)
			if err != nil {
				return err
			}
			r, err := bundle.SetTeamIdentity(ctx, w, b)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "team identity kept in the workspace; team recipient %s\n", term(r))
		case *clearTeam:
			if err := bundle.SetTeamRecipient(ctx, w, ""); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "team recipient removed")
		case *recip != "":
			if err := bundle.SetTeamRecipient(ctx, w, *recip); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "team recipient %s\n", term(*recip))
		default:
			team, hasID, err := bundle.Team(w)
			if err != nil {
				return err
			}
			if team == "" {
				team = "none"
			}
			fmt.Fprintf(env.Stdout, "team recipient: %s (identity kept: %v)\n", term(team), hasID)
		}
	case "trust":
		k, err := bundle.Trust(ctx, w, pos[1], *note)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "trusted key %s, fingerprint %s\n", term(k.KeyID), term(k.Fingerprint))
	case "untrust":
		if err := bundle.Untrust(ctx, w, pos[1]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "key removed from the trusted signers")
	case "trusted":
		list, err := bundle.TrustedSigners(w)
		if err != nil {
			return err
		}
		if *format == "json" {
			return writeJSON(env.Stdout, list)
		}
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "KEY ID\tFINGERPRINT\tADDED\tNOTE\tPUBLIC KEY")
		for _, s := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", term(s.KeyID), term(s.Fingerprint), s.Added.Format("2006-01-02"), term(s.Note), term(s.PublicKey))
		}
		return tw.Flush()
	}
	return nil
}

func runConflicts(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "conflicts", "list|keep ID|restore ID --workspace DIR [--format table|json]")
	wf := addWorkspaceFlags(fs)
	format := fs.String("format", "table", "list: table or json")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usageError("want a subcommand: list, keep ID or restore ID")
	}
	switch {
	case pos[0] == "list" && len(pos) == 1:
	case (pos[0] == "keep" || pos[0] == "restore") && len(pos) == 2:
	default:
		return usageError("want: list, keep ID or restore ID")
	}
	if err := checkFormat(*format, "table", "json"); err != nil {
		return err
	}
	open := wf.open
	if pos[0] == "list" {
		open = wf.openToRead
	}
	w, err := open(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	switch pos[0] {
	case "keep":
		if err := bundle.Resolve(ctx, w, pos[1], bundle.KeepCurrent); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "kept the current version; conflict closed")
		return nil
	case "restore":
		if err := bundle.Resolve(ctx, w, pos[1], bundle.RestoreOther); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "restored the other version; conflict closed")
		return nil
	}
	list, err := bundle.Conflicts(ctx, w)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(env.Stdout, list)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CONFLICT\tKIND\tRECORD\tCURRENT (BY, WHEN)\tOTHER (BY, WHEN)")
	for _, c := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", term(c.ID), term(string(c.Kind)), term(c.RecordID), term(describe(c.CurrentMeta)), term(describe(c.OtherMeta)))
	}
	return tw.Flush()
}

func describe(m assets.Meta) string {
	if m.Version.IsZero() {
		return "(missing)"
	}
	what := "edit"
	if m.Deleted {
		what = "delete"
	}
	by := m.ChangedBy
	if by == "" {
		by = "?"
	}
	return fmt.Sprintf("%s by %s, %s", what, by, m.Version.Time().Format("2006-01-02 15:04:05Z"))
}
