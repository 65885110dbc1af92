package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// KindFinding is the store kind of findings.
const KindFinding = store.Kind(checks.Kind)

// ChecklistInput is what the checklists contribute to a check run: the
// achieved level (SL-A) per zone ID and every Not met or Partial answer.
type ChecklistInput struct {
	SLA  map[string]assets.SLVector
	Gaps []checks.ChecklistGap
}

// slaTemplate is the zone checklist whose scores the model checks compare
// with each zone's SL-T.
const slaTemplate = checklist.IEC62443_3_3_2013

// checklistInput gathers the checklists' contribution: SL-A per assessed
// zone from the 62443-3-3 checklist, and every Not met or Partial answer of
// any template.
func (w *Workspace) checklistInput(ctx context.Context) (*ChecklistInput, error) {
	sla, err := w.AchievedLevels(slaTemplate)
	if err != nil {
		return nil, fmt.Errorf("checklist scores: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	answers, err := w.Answers("")
	if err != nil {
		return nil, err
	}
	in := &ChecklistInput{SLA: sla}
	audit := w.Audit()
	templates := map[string]*checklist.Template{}
	for _, a := range answers {
		if a.Carried {
			continue // from the previous audit, not confirmed yet
		}
		if a.Component != "" {
			continue // 4-2 answers give a component's SL-C; the ZW-CAP rules judge it
		}
		var status checks.Conformance
		switch a.Status {
		case checklist.StatusNotMet:
			status = checks.NotMet
		case checklist.StatusPartial:
			status = checks.Partial
		default:
			continue
		}
		g := checks.ChecklistGap{TemplateID: a.Template, ItemID: a.Item, ZoneID: a.Zone, AuditID: audit.ID,
			Status: status, Comment: a.Note}
		if a.Zone != "" {
			z, ok := w.Zone(a.Zone)
			if !ok {
				continue // answer about a deleted zone: nothing left to fix
			}
			g.ZoneName = z.Name
		}
		if a.Conduit != "" {
			cd, ok := w.Conduit(a.Conduit)
			if !ok {
				continue // about a deleted conduit
			}
			g.ConduitID, g.ConduitName = cd.ID, cd.Name
		}
		t, seen := templates[a.Template]
		if !seen {
			// A template that no longer loads still yields the finding,
			// under the item's ID alone.
			t, _ = w.Template(a.Template)
			templates[a.Template] = t
		}
		if t != nil {
			if it := t.Item(a.Item); it != nil {
				g.Title, g.Advice = it.Title, it.Guidance
				g.References = []string{strings.TrimSpace(t.Standard + " " + it.ID)}
			}
		}
		in.Gaps = append(in.Gaps, g)
	}
	return in, nil
}

// CheckRun says what one run of the model checks changed.
type CheckRun struct {
	Raised  int  // automatic findings the workspace raises now
	Added   int  // new findings
	Updated int  // findings whose text changed, or that were reopened
	Closed  int  // findings no longer raised, closed as resolved
	Scored  bool // at least one zone's SL-A was scored from its checklist
}

// CheckModel is the workspace as the model checks see it, judged on today.
func (w *Workspace) CheckModel(today time.Time) *checks.Model {
	return &checks.Model{Audit: w.Audit(), Zones: w.Zones(), Conduits: w.Conduits(), Assets: w.Assets(), Today: today,
		Observed: w.observedModel()}
}

// raise runs the model checks and the checklist gaps on the data as it is.
func (w *Workspace) raise(ctx context.Context, today time.Time) ([]checks.Finding, *ChecklistInput, error) {
	m := w.CheckModel(today)
	if err := w.addRiskModel(m); err != nil {
		return nil, nil, err
	}
	in, err := w.checklistInput(ctx)
	if err != nil {
		return nil, nil, err
	}
	if in != nil {
		m.SLA = in.SLA
	}
	fresh, err := checks.Run(m)
	if err != nil {
		return nil, nil, err
	}
	if in != nil {
		for _, g := range in.Gaps {
			if f, ok := checks.FromChecklist(g); ok {
				fresh = append(fresh, f)
			}
		}
	}
	return fresh, in, nil
}

// RunChecks runs the model checks on the workspace as it is now and saves
// the result: new findings are added, findings still raised keep the
// auditor's status, owner, due date and notes, and findings no longer raised
// are closed (never deleted). today is the date reviews are judged against.
func (w *Workspace) RunChecks(ctx context.Context, today time.Time) (CheckRun, error) {
	var run CheckRun
	fresh, in, err := w.raise(ctx, today)
	if err != nil {
		return run, err
	}
	run.Scored = in != nil && len(in.SLA) > 0
	run.Raised = len(fresh)
	// Read and write inside one store transaction: writers are serialized
	// there, so an auditor's status change made meanwhile is never
	// overwritten by a stale copy.
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		run.Added, run.Updated, run.Closed = 0, 0, 0
		stored, err := store.All[checks.Finding](w.st, KindFinding)
		if err != nil {
			return err
		}
		var existing []checks.Finding
		before := map[string]checks.Status{}
		for _, f := range stored {
			// Without checklist input, checklist findings are out of this
			// run's reach; Reconcile would otherwise close them.
			if f.Source == checks.SourceRule || (in != nil && f.Source == checks.SourceChecklist) {
				existing = append(existing, f)
				before[f.ID] = f.Status
			}
		}
		writes := checks.Reconcile(existing, fresh)
		for i := range writes {
			f := &writes[i]
			old, had := before[f.ID]
			switch {
			case !had:
				run.Added++
			case f.Status == checks.StatusClosed && old != checks.StatusClosed:
				run.Closed++
			default:
				run.Updated++
			}
			if err := tx.Put(KindFinding, f); err != nil {
				return err
			}
		}
		// Written with the findings, under the store's writer lock: no
		// change can slip between the two.
		mark, err := json.Marshal(findingsMark{Clock: tx.Clock(), Day: day(today)})
		if err != nil {
			return err
		}
		tx.PutSetting(settingFindingsAt, mark)
		return nil
	})
	if err != nil {
		return CheckRun{}, fmt.Errorf("save findings: %w", err)
	}
	return run, nil
}

// settingFindingsAt records what the stored findings were computed from.
const settingFindingsAt = "findings/computed-at"

// findingsMark is the newest record version and the day the findings were
// computed for: any later write to a record, or another day (review-age
// rules), makes them stale.
type findingsMark struct {
	Clock assets.Stamp `json:"clock"`
	Day   string       `json:"day"`
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// FindingsCurrent reports whether the stored findings were computed from
// the records as they are now, for the day of today.
func (w *Workspace) FindingsCurrent(today time.Time) bool {
	b, err := w.st.Setting(settingFindingsAt)
	if err != nil {
		return false
	}
	var m findingsMark
	if json.Unmarshal(b, &m) != nil {
		return false
	}
	return m.Day == day(today) && m.Clock == w.st.Clock()
}

// CurrentFindings lists every finding as Findings does, after running the
// checks when the data changed since they last ran: readers never see
// findings of data that is no longer there. A workspace opened read-only
// shows the findings computed in memory, without storing them.
func (w *Workspace) CurrentFindings(ctx context.Context, today time.Time) ([]checks.Finding, error) {
	if w.FindingsCurrent(today) {
		return w.Findings()
	}
	if _, err := w.RunChecks(ctx, today); errors.Is(err, ErrReadOnly) {
		return w.findingsInMemory(ctx, today)
	} else if err != nil {
		return nil, err
	}
	return w.Findings()
}

// findingsInMemory is what RunChecks would store, without storing it.
func (w *Workspace) findingsInMemory(ctx context.Context, today time.Time) ([]checks.Finding, error) {
	fresh, in, err := w.raise(ctx, today)
	if err != nil {
		return nil, err
	}
	stored, err := w.Findings()
	if err != nil {
		return nil, err
	}
	var existing []checks.Finding
	for _, f := range stored {
		if f.Source == checks.SourceRule || (in != nil && f.Source == checks.SourceChecklist) {
			existing = append(existing, f)
		}
	}
	byID := map[string]int{}
	for i, f := range stored {
		byID[f.ID] = i
	}
	for _, f := range checks.Reconcile(existing, fresh) {
		if i, ok := byID[f.ID]; ok {
			stored[i] = f
		} else {
			stored = append(stored, f)
		}
	}
	checks.SortFindings(stored)
	return stored, nil
}

// Findings lists every finding, closed ones included: open first, then
// accepted, then closed, most severe first within each.
func (w *Workspace) Findings() ([]checks.Finding, error) {
	fs, err := store.All[checks.Finding](w.st, KindFinding)
	if err != nil {
		return nil, err
	}
	checks.SortFindings(fs)
	return fs, nil
}

// Finding returns one finding (store.ErrNotFound when there is none).
func (w *Workspace) Finding(id string) (checks.Finding, error) {
	var f checks.Finding
	err := w.st.Get(KindFinding, id, &f)
	return f, err
}

// updateFinding changes one stored finding in a transaction, so concurrent
// check runs and edits cannot lose each other's changes.
func (w *Workspace) updateFinding(ctx context.Context, id string, change func(f *checks.Finding) error) (checks.Finding, error) {
	var out checks.Finding
	err := w.st.Update(ctx, func(tx *store.Tx) error {
		var f checks.Finding
		if err := tx.Get(KindFinding, id, &f); err != nil {
			return err
		}
		if err := change(&f); err != nil {
			return err
		}
		if err := f.Validate(); err != nil {
			return err
		}
		if err := tx.Put(KindFinding, &f); err != nil {
			return err
		}
		out = f
		return nil
	})
	return out, err
}

// SetFindingStatus moves a finding to open, accepted or closed. Accepting
// needs a justification (checks.ErrJustificationRequired). A closed
// automatic finding that the model still raises is reopened by the next
// check run: fix the model, or accept the risk.
func (w *Workspace) SetFindingStatus(ctx context.Context, id string, s checks.Status, justification string) (checks.Finding, error) {
	return w.updateFinding(ctx, id, func(f *checks.Finding) error {
		if err := f.SetStatus(s, justification); err != nil {
			return err
		}
		if s == checks.StatusClosed && f.Source.Automatic() {
			f.Resolution = "closed by the auditor"
		}
		return nil
	})
}

// SetFindingOwner names who is to act on a finding ("" clears it).
func (w *Workspace) SetFindingOwner(ctx context.Context, id, owner string) (checks.Finding, error) {
	return w.updateFinding(ctx, id, func(f *checks.Finding) error {
		f.Owner = strings.TrimSpace(owner)
		return nil
	})
}

// SetFindingDue sets the date by which a finding is to be dealt with,
// YYYY-MM-DD ("" clears it).
func (w *Workspace) SetFindingDue(ctx context.Context, id, due string) (checks.Finding, error) {
	return w.updateFinding(ctx, id, func(f *checks.Finding) error {
		f.Due = strings.TrimSpace(due)
		return nil
	})
}

// SetFindingNotes replaces the auditor's notes on a finding.
func (w *Workspace) SetFindingNotes(ctx context.Context, id, notes string) (checks.Finding, error) {
	return w.updateFinding(ctx, id, func(f *checks.Finding) error {
		f.Notes = notes
		return nil
	})
}

// AddObservation stores a finding the auditor wrote down. Its subject must
// be a live zone, conduit or asset of the workspace, or the audit itself
// (an empty subject means the audit).
func (w *Workspace) AddObservation(ctx context.Context, o checks.Observation) (checks.Finding, error) {
	if err := w.observationSubject(&o); err != nil {
		return checks.Finding{}, err
	}
	f, err := checks.NewObservation(o)
	if err != nil {
		return f, err
	}
	err = w.st.Update(ctx, func(tx *store.Tx) error { return tx.Put(KindFinding, &f) })
	return f, err
}

// ConduitsWithOpenFindings is the set of conduit IDs that open findings
// are about; the diagram draws these conduits red.
func (w *Workspace) ConduitsWithOpenFindings() (map[string]bool, error) {
	fs, err := store.All[checks.Finding](w.st, KindFinding)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, f := range fs {
		if f.Status == checks.StatusOpen && f.Subject.Kind == "conduit" {
			out[f.Subject.ID] = true
		}
	}
	return out, nil
}

// observationSubject checks that an observation is about something that
// exists and fills in its name.
func (w *Workspace) observationSubject(o *checks.Observation) error {
	ref := o.Subject
	var name string
	found := true
	switch ref.Kind {
	case "", "audit":
		a := w.Audit()
		o.Subject = assets.Ref{Kind: "audit", ID: a.ID}
		name = a.Title
	case "zone":
		z, ok := w.Zone(ref.ID)
		name, found = z.Name, ok
	case "conduit":
		c, ok := w.Conduit(ref.ID)
		name, found = c.Name, ok
	case "asset":
		a, ok := w.Asset(ref.ID)
		name, found = a.Title(), ok
	default:
		return fmt.Errorf("%w: observation subject kind %q: want audit, zone, conduit or asset", assets.ErrInvalid, ref.Kind)
	}
	if !found {
		return fmt.Errorf("observation subject %s %s: %w", ref.Kind, ref.ID, store.ErrNotFound)
	}
	if o.SubjectName == "" {
		o.SubjectName = name
	}
	return nil
}
