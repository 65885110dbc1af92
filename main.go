// Command zonewalk is an offline workbench for IEC 62443 site audits. With
// no command it opens the desktop app; with one it runs the command line.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	fyneapp "fyne.io/fyne/v2/app"

	_ "github.com/zonewalk/zonewalk/ui/locale" // before Fyne reads the locale

	"github.com/zonewalk/zonewalk/app/cli"
	"github.com/zonewalk/zonewalk/app/console"
	"github.com/zonewalk/zonewalk/app/paths"
	"github.com/zonewalk/zonewalk/ui"
)

func main() {
	args := os.Args[1:]
	// The Windows GUI build has no console of its own: with arguments, use
	// the one it was typed in (a no-op elsewhere).
	console.Setup(args)
	if len(args) > 0 && cli.IsCommand(args[0]) {
		os.Exit(cli.Main(args, cli.OSEnv())) // SIGINT and SIGTERM handled there
	}
	fs := flag.NewFlagSet("zonewalk", flag.ContinueOnError)
	dir := fs.String("workspace", "", "audit workspace to open (default: the demo audit)")
	if err := fs.Parse(args); err != nil {
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "zonewalk: unknown command %q (try: zonewalk help)\n", fs.Arg(0))
		os.Exit(2)
	}
	meta := metadata()
	fyneapp.SetMetadata(meta)
	opts := ui.Options{Workspace: *dir}
	if d, err := paths.Default(); err == nil {
		opts.DemoDir = filepath.Join(d.Audits, "demo")
		opts.RecentFile = d.Recent()
	}
	ui.Run(fyneapp.NewWithID(meta.ID), opts)
}
