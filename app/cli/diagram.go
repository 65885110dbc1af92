package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/atomicfile"
	"github.com/zonewalk/zonewalk/diagram"
)

func init() {
	register("diagram", "draw the zone and conduit overview, or one zone, as SVG, PNG, PDF or DOT", runDiagram)
}

func runDiagram(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "diagram", "--workspace DIR --out FILE.svg|FILE.png|FILE.pdf|FILE.dot [--zone NAME]")
	wf := addWorkspaceFlags(fs)
	out := fs.String("out", "", "file to write; the format follows its extension (.svg, .png, .pdf, .dot)")
	zone := fs.String("zone", "", "draw this zone (name or ID) with its assets instead of the overview")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *out == "" {
		return usageError("--out FILE is required (.svg, .png, .pdf or .dot)")
	}
	format, err := app.DiagramFormatOf(*out)
	if err != nil {
		return usageError("--out %v", err)
	}
	w, err := wf.openToRead(ctx, env)
	if err != nil {
		return err
	}
	defer env.closeWorkspace(w, closeTimeout)
	// One diagram: Graphviz runs here rather than in a worker process.
	r := diagram.NewRenderer(diagram.InProcess())
	defer r.Close()

	// A failure leaves an earlier file as it was.
	if err := atomicfile.Write(*out, 0o644, func(f io.Writer) error {
		return w.WriteDiagram(ctx, r, *zone, format, f)
	}); err != nil {
		return err
	}
	what := "overview"
	if *zone != "" {
		what = "zone " + *zone
	}
	fmt.Fprintf(env.Stdout, "wrote %s (%s)\n", term(*out), term(what))
	return nil
}
