package report

import (
	"context"
	"fmt"
	"strconv"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/bundle"
	"github.com/zonewalk/zonewalk/assets/english"
	"github.com/zonewalk/zonewalk/store"
)

// changeLog is the state of the audit's change log a report prints, so a
// reader can later check that the records were not changed behind it.
type changeLog struct {
	heads      []store.Head
	verifyErr  error
	checkpoint *bundle.Checkpoint
	signErr    error
}

func readChangeLog(ctx context.Context, w *app.Workspace) *changeLog {
	cl := &changeLog{}
	cl.heads, _, cl.verifyErr = bundle.VerifyLog(w)
	if w.Store().ChangeHead().Seq > 0 {
		cp, err := bundle.SignCheckpoint(ctx, w.Store(), w.Store())
		if err != nil {
			cl.signErr = err
		} else {
			cl.checkpoint = &cp
		}
	}
	return cl
}

func (r *renderer) changeLogSection(d *doc) {
	cl := r.log
	if cl == nil {
		return
	}
	d.heading2("Change log", false, 80)
	d.para("Every change to the audit's records is also an entry of a change log kept per laptop, each entry carrying the "+
		"SHA-256 of the one before (docs/change-log.md). The heads below fix the log as it was when this report was made: "+
		"`zonewalk log verify` on a copy of the audit checks the chains, and an entry changed later no longer leads to the "+
		"head printed here.", body)
	d.gap(3)
	if cl.verifyErr != nil {
		d.para("The change log does not verify: "+cl.verifyErr.Error(), style{bold, 9.5, classRed})
		d.gap(3)
	}
	if len(cl.heads) == 0 {
		d.para("No changes are logged yet (the audit was made before the change log, or is unchanged since).", body)
		return
	}
	t := &table{cols: []column{{title: "Laptop (device)", width: 1.6}, {title: "Entries", width: 0.8, align: alignRight},
		{title: "Head (SHA-256 of the last entry)", width: 5}}, zebra: true, body: style{mono, 7.4, black}}
	for _, h := range cl.heads {
		n := strconv.FormatUint(h.Seq, 10)
		if h.Missing > 0 {
			n += fmt.Sprintf(" (%s not received)", english.Count(int(h.Missing), "entry", "entries"))
		}
		t.rows = append(t.rows, []cell{txt(h.Device), txt(n), txt(h.Hash)})
	}
	d.fail(d.table(t))
	d.gap(3)
	switch {
	case cl.checkpoint != nil:
		cp := cl.checkpoint
		d.para(fmt.Sprintf("Signed by this laptop's device key (public key %s, as `zonewalk keys show` prints it) over the text "+
			"\"%s\":", cp.PublicKey, bundle.CheckpointText(cp.Device, cp.Seq, cp.Head)), small)
		d.para(cp.Signature, style{mono, 7.4, black})
	case cl.signErr != nil:
		d.para("Not signed: "+cl.signErr.Error(), small)
	}
}
