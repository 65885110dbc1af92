package app

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/store"
)

// settingBaseline is where a revisit records the previous audit's folder.
const settingBaseline = "baseline"

// RevisitResult counts what a revisit took over.
type RevisitResult struct {
	Zones, Conduits, Assets, Evidence, Answers, Findings int
}

// Revisit starts a new audit in dir from a previous one: its description
// (title, dates and review cleared), zones, conduits, assets with their
// evidence, and user templates, with their record IDs, so a diff matches
// them; every checklist answer carried over as "from the previous audit,
// to re-confirm" (not counted until confirmed); every finding still open
// or accepted, with its status, owner, due date and notes. The previous
// audit is not changed; its folder is recorded as this audit's baseline.
func Revisit(ctx context.Context, old *Workspace, dir string, opts Options, title string) (*Workspace, RevisitResult, error) {
	var res RevisitResult
	prev := old.Audit()
	if strings.TrimSpace(title) == "" {
		title = fmt.Sprintf("%s — revisit %s", prev.Title, time.Now().Format("2006"))
	}
	audit := prev
	audit.Meta = assets.Meta{}
	audit.Title, audit.StartDate, audit.EndDate, audit.ReviewedAt = title, time.Now().Format(time.DateOnly), "", ""
	w, err := Create(ctx, dir, opts, audit)
	if err != nil {
		return nil, res, err
	}
	ok := false
	defer func() {
		if !ok {
			w.Close()
		}
	}()
	newID, oldID := w.Audit().ID, prev.ID
	ost := old.Store()

	evidence, err := store.All[assets.Evidence](ost, store.KindEvidence)
	if err != nil {
		return nil, res, err
	}
	// Evidence bytes first, one file per step: a large audit's photos are
	// not held in memory together.
	for _, ev := range evidence {
		err := ost.ReadBlob(ev.SHA256, func(data []byte) error {
			return w.st.Update(ctx, func(tx *store.Tx) error { _, err := tx.PutBlob(data); return err })
		})
		if err != nil {
			return nil, res, fmt.Errorf("evidence %s: %w", ev.Name, err)
		}
	}
	answers, err := old.Answers("")
	if err != nil {
		return nil, res, err
	}
	findings, err := old.Findings()
	if err != nil {
		return nil, res, err
	}
	templates, err := store.All[UserTemplate](ost, KindTemplate)
	if err != nil {
		return nil, res, err
	}
	fresh := func(m *assets.Meta) { *m = assets.Meta{ID: m.ID} }
	onAudit := func(r assets.Ref) assets.Ref {
		if r.Kind == "audit" && r.ID == oldID {
			r.ID = newID
		}
		return r
	}
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		for _, z := range old.Zones() {
			fresh(&z.Meta)
			res.Zones++
			if err := tx.Put(store.KindZone, &z); err != nil {
				return err
			}
		}
		for _, c := range old.Conduits() {
			fresh(&c.Meta)
			res.Conduits++
			if err := tx.Put(store.KindConduit, &c); err != nil {
				return err
			}
		}
		for _, a := range old.Assets() {
			c := *a
			fresh(&c.Meta)
			res.Assets++
			if err := tx.Put(store.KindAsset, &c); err != nil {
				return err
			}
		}
		for _, ev := range evidence {
			fresh(&ev.Meta)
			ev.Owner = onAudit(ev.Owner)
			res.Evidence++
			if err := tx.Put(store.KindEvidence, &ev); err != nil {
				return err
			}
		}
		for _, t := range templates {
			fresh(&t.Meta)
			if err := tx.Put(KindTemplate, &t); err != nil {
				return err
			}
		}
		for _, a := range answers {
			fresh(&a.Meta)
			a.Carried = true
			res.Answers++
			if err := tx.Put(KindAnswer, &a); err != nil {
				return err
			}
		}
		for _, f := range findings {
			if f.Status != checks.StatusOpen && f.Status != checks.StatusAccepted {
				continue
			}
			fresh(&f.Meta)
			f.Subject = onAudit(f.Subject)
			for i := range f.Related {
				f.Related[i] = onAudit(f.Related[i])
			}
			note := fmt.Sprintf("Carried over from %q (%s).", prev.Title, time.Now().Format(time.DateOnly))
			f.Notes = strings.TrimSpace(f.Notes + "\n" + note)
			res.Findings++
			if err := tx.Put(KindFinding, &f); err != nil {
				return err
			}
		}
		if abs, err := filepath.Abs(old.Dir()); err == nil {
			tx.PutSetting(settingBaseline, []byte(abs))
		}
		return nil
	})
	if err != nil {
		return nil, res, fmt.Errorf("revisit: %w", err)
	}
	if err := w.ReloadInventory(ctx); err != nil {
		return nil, res, err
	}
	ok = true
	return w, res, nil
}

// Baseline is the folder of the audit this one revisits, "" if none.
func (w *Workspace) Baseline() string {
	b, err := w.st.Setting(settingBaseline)
	if err != nil {
		return ""
	}
	return string(b)
}

// CarriedAnswers counts the answers a revisit carried over that are not
// confirmed yet, per template.
func (w *Workspace) CarriedAnswers() (map[string]int, error) {
	answers, err := w.Answers("")
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, a := range answers {
		if a.Carried {
			out[a.Template]++
		}
	}
	return out, nil
}

// ConfirmCarried confirms in bulk the carried answers of a template (all
// zones, or one zone ID or other answer scope, see checklist.Answer.Scope) in section: a section ID of the template ("FR 1",
// "ORG 1"), else a prefix of item IDs ("SR 1."); "" for all. They count
// again as answered.
func (w *Workspace) ConfirmCarried(ctx context.Context, template, zoneID, section string) (int, error) {
	t, err := w.Template(template)
	if err != nil {
		return 0, err
	}
	inSection := func(item string) bool { return strings.HasPrefix(item, section) }
	if section != "" && t.Section(section) != nil {
		inSection = func(item string) bool {
			it := t.Item(item)
			return it != nil && it.Section == section
		}
	}
	answers, err := w.Answers(template)
	if err != nil {
		return 0, err
	}
	n := 0
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		for _, a := range answers {
			if !a.Carried || (zoneID != "" && a.Scope() != zoneID) || !inSection(a.Item) {
				continue
			}
			a.Carried = false
			n++
			if err := tx.Put(KindAnswer, &a); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
