// Command zonewalk is an offline workbench for IEC 62443 site audits. With
// no command it opens the desktop app; with one it runs the command line.
package main

import (
	"flag"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	_ "github.com/zonewalk/zonewalk/ui/locale" // before Fyne reads the locale

	"github.com/zonewalk/zonewalk/app/cli"
	"github.com/zonewalk/zonewalk/ui"
)

func main() {
	args := os.Args[1:]
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
	ui.Run(fyneapp.NewWithID("io.zonewalk.app"), ui.Options{Workspace: *dir})
}
