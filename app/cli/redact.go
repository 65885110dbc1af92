package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
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
	tmp, err := os.MkdirTemp("", "zonewalk-redacted-")
	if err != nil {
		return nil, nil, err
	}
	cp, sum, err := redact.Copy(ctx, w, filepath.Join(tmp, "copy"), p)
	if err != nil {
		os.RemoveAll(tmp)
		return nil, nil, err
	}
	fmt.Fprintf(env.Stderr, "redacted with profile %s: %d of %d zones, %d assets kept; %d evidence files and %d distinct values left out\n",
		term(p.Name), sum.Zones, sum.Zones+sum.DroppedZones, sum.Assets, sum.DroppedEvidence, sum.Scrubbed)
	return cp, func() { cp.Close(); os.RemoveAll(tmp) }, nil
}
