// Package cli is Zonewalk's command line: a thin layer over package app for
// the office, scripts and tests. Each subcommand lives in its own file and
// registers itself in init.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"sort"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/store"
)

// Env is what a command may touch of the outside world.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string

	closeErr error // set when closing the workspace timed out (closeWorkspace)
}

// OSEnv is the process's real environment.
func OSEnv() *Env {
	return &Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

type command struct {
	name, summary string
	run           func(ctx context.Context, env *Env, args []string) error
}

var commands = map[string]*command{}

// register adds a subcommand; called from init in each command's file.
func register(name, summary string, run func(ctx context.Context, env *Env, args []string) error) {
	if _, dup := commands[name]; dup {
		panic("cli: command registered twice: " + name)
	}
	commands[name] = &command{name: name, summary: summary, run: run}
}

// errUsage marks mistakes in how a command was called (exit code 2).
var errUsage = errors.New("usage")

func usageError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, args...))
}

// IsCommand reports whether name is a subcommand (else main opens the GUI).
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok || name == "help" || name == "-h" || name == "--help"
}

// Run executes the subcommand in args (without the program name) and
// returns the process exit code: 0 success, 1 failure, 2 bad usage.
func Run(ctx context.Context, args []string, env *Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printHelp(env.Stdout)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "zonewalk: unknown command %q (try: zonewalk help)\n", args[0])
		return 2
	}
	err := cmd.run(ctx, env, args[1:])
	if err == nil && env.closeErr != nil {
		return 1 // closeWorkspace said why
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(env.Stderr, "zonewalk %s: %s\n", cmd.name, term(strings.TrimPrefix(err.Error(), "usage: ")))
		return 2
	case errors.Is(err, store.ErrDiskFull):
		// Exit 1 like any failure (a crash on a full disk used to exit 2,
		// "bad usage"), and say whether a retry could apply a change twice.
		msg := oneLine(err.Error())
		if !strings.Contains(msg, "nothing was written") && !strings.Contains(msg, "committed") {
			msg += "; whether the change was written is not known: check before repeating it"
		}
		fmt.Fprintf(env.Stderr, "zonewalk %s: %s; free space on that disk and try again\n", cmd.name, term(msg))
		return 1
	default:
		var exit exitCode
		if errors.As(err, &exit) {
			return int(exit)
		}
		// Errors may quote bundle headers, file names or records.
		fmt.Fprintf(env.Stderr, "zonewalk %s: %s\n", cmd.name, term(oneLine(err.Error())))
		return 1
	}
}

// exitCode lets a command end with a chosen code and no message (check --fail-on).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit code %d", int(e)) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Zonewalk — IEC 62443 site audit workbench")
	fmt.Fprintln(w, "\nUsage:\n  zonewalk [--workspace DIR]        open the desktop app (the demo audit when no workspace is given)")
	fmt.Fprintln(w, "  zonewalk COMMAND [flags]          run a command; zonewalk COMMAND -h for its flags\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nPassphrases come from ZONEWALK_PASSPHRASE or --passphrase-file, never from a flag value.")
}

// newFlags makes a flag set that reports to stderr and does not exit.
func newFlags(env *Env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("zonewalk "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: zonewalk %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags placed before or after positional arguments, as in
// `zonewalk assets import FILE.csv --workspace DIR`.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError("%v", err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// workspaceFlags are the flags every command on a workspace takes.
type workspaceFlags struct {
	dir            string
	passphraseFile string
}

func addWorkspaceFlags(fs *flag.FlagSet) *workspaceFlags {
	f := &workspaceFlags{}
	fs.StringVar(&f.dir, "workspace", "", "audit workspace directory (required)")
	fs.StringVar(&f.passphraseFile, "passphrase-file", "", "file whose first line is the workspace passphrase (else $ZONEWALK_PASSPHRASE)")
	return f
}

// open opens the workspace the flags name.
func (f *workspaceFlags) open(ctx context.Context, env *Env) (*app.Workspace, error) {
	if f.dir == "" {
		return nil, usageError("--workspace DIR is required")
	}
	pass, err := readSecret(env, f.passphraseFile, "ZONEWALK_PASSPHRASE")
	if err != nil {
		return nil, err
	}
	return app.Open(ctx, f.dir, app.Options{Passphrase: pass, Author: author(env)})
}

// openToRead opens the workspace for a command that only reads. On a disk
// too full for a writable open it opens read-only instead, so the audit
// can still be listed, exported and reported while space is freed.
func (f *workspaceFlags) openToRead(ctx context.Context, env *Env) (*app.Workspace, error) {
	w, err := f.open(ctx, env)
	if !errors.Is(err, app.ErrDiskFull) {
		return w, err
	}
	pass, perr := readSecret(env, f.passphraseFile, "ZONEWALK_PASSPHRASE")
	if perr != nil {
		return nil, perr
	}
	w, rerr := app.Open(ctx, f.dir, app.Options{Passphrase: pass, Author: author(env), ReadOnly: true})
	if rerr != nil {
		return nil, err // the disk-full reason is the one to act on
	}
	fmt.Fprintf(env.Stderr, "note: %s; opened read-only\n", term(err.Error()))
	return w, nil
}

// readSecret reads a passphrase from a file (its first line) or else from
// an environment variable.
func readSecret(env *Env, file, envVar string) ([]byte, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("passphrase file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return []byte(strings.TrimRight(line, "\r")), nil
	}
	if v := env.Getenv(envVar); v != "" {
		return []byte(v), nil
	}
	return nil, nil
}

// author is who changes made from the command line are recorded as made by.
func author(env *Env) string {
	if a := env.Getenv("ZONEWALK_AUTHOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// formatFlag validates --format against the allowed values.
func checkFormat(format string, allowed ...string) error {
	for _, a := range allowed {
		if format == a {
			return nil
		}
	}
	return usageError("--format %q: want one of %s", format, strings.Join(allowed, ", "))
}

// dateFlag reads a --date value: the zero time when it is empty.
func dateFlag(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageError("--date %q: want YYYY-MM-DD", s)
	}
	return d, nil
}
