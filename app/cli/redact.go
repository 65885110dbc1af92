package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/redact"
)

// addRedactFlag adds --redact to a command that writes something a third
// party may read.
func addRedactFlag(fs *flag.FlagSet) *string {
	return fs.String("redact", "", "write a redacted copy: a built-in profile ("+strings.Join(redact.Builtin(), ", ")+
		") or a profile file (docs/redaction.md)")
}

// redacted returns the workspace to write from: w itself, or for --redact a
// redacted copy made in a private temporary folder, which done removes.
func redacted(ctx context.Context, env *Env, w *app.Workspace, profile string) (src *app.Workspace, done func(), err error) {
	if profile == "" {
		return w, func() {}, nil
	}
	p, err := redact.Load(profile)
	if err != nil {
		return nil, nil, err
	}
	cp, sum, done, err := redact.TempCopy(ctx, w, p)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(env.Stderr, "redacted with profile %s: %d of %d zones, %d assets kept; %d evidence files and %d distinct values left out\n",
		term(p.Name), sum.Zones, sum.Zones+sum.DroppedZones, sum.Assets, sum.DroppedEvidence, sum.Scrubbed)
	return cp, done, nil
}
