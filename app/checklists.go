package app

import (
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// Store kinds of the checklist records.
const (
	KindAnswer   store.Kind = "answer"   // checklist.Answer, ID derived from template, item and zone or conduit
	KindTemplate store.Kind = "template" // UserTemplate, ID = the template's ID
)

var (
	// ErrUnknownTemplate: no built-in or user template has that ID.
	ErrUnknownTemplate = errors.New("unknown checklist template")
	// ErrTemplateExists: the ID is taken by a built-in template, or by a
	// user template of the same or a later revision.
	ErrTemplateExists = errors.New("checklist template already exists")
)

// UserTemplate is a checklist template a user added to the workspace. Its
// YAML is stored with the audit, so whoever receives the answers in a
// bundle can score them too.
type UserTemplate struct {
	assets.Meta
	Name   string `json:"name"`   // file it was loaded from, for messages
	Source string `json:"source"` // the YAML as loaded
}

// parsed caches user templates by the SHA-256 of their YAML: Templates is
// called on every score, and the same text always parses the same way.
var parsed sync.Map // [32]byte → *checklist.Template

func parseUserTemplate(u *UserTemplate) (*checklist.Template, error) {
	key := sha256.Sum256([]byte(u.Source))
	if t, ok := parsed.Load(key); ok {
		return t.(*checklist.Template), nil
	}
	t, err := checklist.Load(u.Name, []byte(u.Source))
	if err != nil {
		return nil, err
	}
	parsed.Store(key, t)
	return t, nil
}

// Templates lists the built-in templates followed by the user templates of
// this workspace, by ID. A stored user template that no longer loads (e.g.
// brought in by a merge from a newer Zonewalk) is left out and reported in
// the error, which then accompanies the templates that did load.
func (w *Workspace) Templates() ([]*checklist.Template, error) {
	out := slices.Clone(checklist.Builtin())
	users, err := store.All[UserTemplate](w.st, KindTemplate)
	if err != nil {
		return out, err
	}
	slices.SortFunc(users, func(a, b UserTemplate) int { return cmp.Compare(a.ID, b.ID) })
	var errs []error
	for i := range users {
		t, err := parseUserTemplate(&users[i])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, t)
	}
	return out, errors.Join(errs...)
}

// Template returns a built-in or user template by ID.
func (w *Workspace) Template(id string) (*checklist.Template, error) {
	if t := checklist.BuiltinByID(id); t != nil {
		return t, nil
	}
	var u UserTemplate
	if err := w.st.Get(KindTemplate, id, &u); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownTemplate, id)
		}
		return nil, err
	}
	return parseUserTemplate(&u)
}

// AddTemplate loads a user template from YAML (name is the file name used
// in error messages) and stores it. Replacing a user template needs a
// higher revision, so an older copy never overwrites a newer one.
func (w *Workspace) AddTemplate(name string, data []byte) (*checklist.Template, error) {
	t, err := checklist.Load(name, data)
	if err != nil {
		return nil, err
	}
	if checklist.BuiltinByID(t.ID) != nil {
		return nil, fmt.Errorf("%s: template %q: %w as a built-in template; choose another id", name, t.ID, ErrTemplateExists)
	}
	var old UserTemplate
	switch err := w.st.Get(KindTemplate, t.ID, &old); {
	case err == nil:
		if prev, perr := parseUserTemplate(&old); perr == nil && prev.Revision >= t.Revision {
			return nil, fmt.Errorf("%s: template %q: %w at revision %d; raise revision to replace it",
				name, t.ID, ErrTemplateExists, prev.Revision)
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	u := UserTemplate{Meta: assets.Meta{ID: t.ID}, Name: name, Source: string(data)}
	if err := w.st.Put(KindTemplate, &u); err != nil {
		return nil, err
	}
	return t, nil
}

// AnswerInput is what an auditor records for one checklist item.
type AnswerInput struct {
	Template string
	Item     string
	// Zone is the zone ID, for zone templates; Conduit instead is the
	// conduit ID, for a zone template's item answered for a conduit (one
	// of the audit's conduit items, see ConduitItems). Both empty for
	// program templates.
	Zone    string
	Conduit string
	// Component is the capability record's ID, for component (62443-4-2)
	// templates; the item must apply to its component type.
	Component string
	Status    checklist.Status
	Maturity  int // 1–4 for templates with maturity levels, 0 when not rated
	// Note is the auditor's note; for N/A and for Met by compensating
	// countermeasure it is the reason, and required.
	Note     string
	Evidence []string // IDs of evidence records
	// Countermeasures are the IDs of the implemented countermeasures that
	// compensate, for checklist.StatusCompensated only.
	Countermeasures []string
}

// AnswerItem validates and stores an answer. Answering the same item
// again replaces the answer (the record keeps its ID and its history).
//
// Besides what checklist.Answer.ValidateNew checks (an N/A or compensated
// answer needs its reason), the zone or conduit must exist, a conduit's
// item must be in the audit's conduit set, the evidence must exist, and
// each countermeasure must exist (an error wrapping store.ErrNotFound that
// names it) and be implemented, not only planned. Nothing is stored when
// any of it fails.
func (w *Workspace) AnswerItem(in AnswerInput) (checklist.Answer, error) {
	t, err := w.Template(in.Template)
	if err != nil {
		return checklist.Answer{}, err
	}
	a := checklist.Answer{
		Template:        in.Template,
		Item:            in.Item,
		Zone:            in.Zone,
		Conduit:         in.Conduit,
		Component:       in.Component,
		Countermeasures: in.Countermeasures,
		Status:          in.Status,
		Maturity:        in.Maturity,
		Note:            in.Note,
		Evidence:        in.Evidence,
		AnsweredBy:      w.st.Author(),
		AnsweredAt:      time.Now().UTC().Format(time.RFC3339),
	}
	a.ID = checklist.AnswerID(a.Template, a.Item, a.Scope())
	w.mu.RLock()
	err = a.ValidateNew(t, w.zoneExists)
	conduitKnown := w.conduits[in.Conduit] != nil
	w.mu.RUnlock()
	if err != nil {
		return a, err
	}
	invalid := func(field, value, reason string) error {
		return &assets.ValidationError{Fields: []*assets.FieldError{{
			Record: fmt.Sprintf("answer %s %q", a.Template, a.Item), Field: field, Value: value, Reason: reason,
		}}}
	}
	if in.Conduit != "" {
		if !conduitKnown {
			return a, invalid("conduit", in.Conduit, "is not a conduit of this audit")
		}
		srs := w.Audit().ConduitSRs
		if _, err := checklist.ConduitItems(t, srs); err != nil {
			return a, fmt.Errorf("the audit's conduit items: %w", err)
		}
		if !checklist.InConduitSet(t, srs, a.Item) {
			return a, invalid("item", a.Item, "is not one of the audit's conduit items ("+strings.Join(conduitSet(srs), ", ")+
				"): answer it per zone, or add its SR to the conduit items")
		}
	}
	if in.Component != "" {
		cp, err := w.Capability(in.Component)
		if errors.Is(err, store.ErrNotFound) {
			return a, invalid("component", in.Component, "is not a capability record of this audit")
		} else if err != nil {
			return a, err
		}
		if it := t.Item(a.Item); !it.AppliesTo(cp.ComponentType) {
			return a, invalid("item", a.Item, fmt.Sprintf("does not apply to a component of type %q (it applies to %s)", cp.ComponentType, strings.Join(it.Types, ", ")))
		}
	}
	for _, id := range in.Evidence {
		var ev assets.Evidence
		if err := w.st.Get(store.KindEvidence, id, &ev); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return a, invalid("evidence", id, "is not an evidence record of this audit")
			}
			return a, err
		}
	}
	for _, id := range in.Countermeasures {
		cm, err := w.Countermeasure(id)
		if err != nil {
			return a, fmt.Errorf("answer %s %q: %w", a.Template, a.Item, err)
		}
		if cm.Status == assets.CountermeasurePlanned {
			return a, invalid("countermeasures", id, fmt.Sprintf("countermeasure %q is planned, not implemented: only a countermeasure in place compensates", cm.Name))
		}
	}
	if err := w.st.Put(KindAnswer, &a); err != nil {
		return a, err
	}
	return a, nil
}

// conduitSet is the audit's conduit SRs as named, or the default.
func conduitSet(srs []string) []string {
	if len(srs) == 0 {
		return checklist.DefaultConduitItems()
	}
	return srs
}

// ClearAnswer deletes the answer to an item, leaving it unanswered (undo
// with RestoreAnswer). zone is the scope as checklist.AnswerID takes it:
// the zone ID, checklist.ConduitScope(conduitID), or "" for programmes.
func (w *Workspace) ClearAnswer(template, item, zone string) error {
	return w.st.Delete(KindAnswer, checklist.AnswerID(template, item, zone))
}

// RestoreAnswer brings back a cleared answer as it was (zone as for
// ClearAnswer). The restored record
// gets a new version, so the restore merges like any edit.
func (w *Workspace) RestoreAnswer(template, item, zone string) error {
	var a checklist.Answer
	deleted, err := w.st.GetAny(KindAnswer, checklist.AnswerID(template, item, zone), &a)
	if err != nil || !deleted {
		return err
	}
	a.Deleted = false
	return w.st.Put(KindAnswer, &a)
}

// Answers lists the live answers to a template ("" for every template),
// ordered by template, zone (program answers first), conduit and item.
func (w *Workspace) Answers(template string) ([]checklist.Answer, error) {
	all, err := store.All[checklist.Answer](w.st, KindAnswer)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, a := range all {
		if template == "" || a.Template == template {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b checklist.Answer) int {
		return cmp.Or(cmp.Compare(a.Template, b.Template), cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.Conduit, b.Conduit),
			cmp.Compare(a.Component, b.Component), checklist.CompareIDs(a.Item, b.Item))
	})
	return out, nil
}

// ScoreOptions are the scoring options of this audit: its "Met needs
// evidence" setting with the evidence attached to answers, and its live
// countermeasures, so that an item compensated by a deleted or planned
// countermeasure does not count (see checklist.ScoreOptions).
func (w *Workspace) ScoreOptions(answers []checklist.Answer) (checklist.ScoreOptions, error) {
	opts := checklist.ScoreOptions{MetNeedsEvidence: w.Audit().MetNeedsEvidence}
	cms, err := w.Countermeasures()
	if err != nil {
		return opts, err
	}
	opts.Countermeasures = make(map[string]assets.Countermeasure, len(cms))
	for _, cm := range cms {
		opts.Countermeasures[cm.ID] = cm
	}
	if opts.MetNeedsEvidence {
		// Only Met answers that name no evidence need the look-up.
		attached := map[string]bool{}
		for _, a := range answers {
			if a.Status == checklist.StatusMet && len(a.Evidence) == 0 {
				ids, err := w.st.EvidenceIDsOf(assets.Ref{Kind: "answer", ID: a.ID})
				if err != nil {
					return opts, err
				}
				attached[a.ID] = len(ids) > 0
			}
		}
		opts.Attached = func(id string) bool { return attached[id] }
	}
	return opts, nil
}

// ScoreProgram scores a program template (62443-2-1) for the audit.
func (w *Workspace) ScoreProgram(template string) (*checklist.ProgramScore, error) {
	t, answers, opts, err := w.scoring(template)
	if err != nil {
		return nil, err
	}
	return checklist.ScoreProgramWith(t, answers, opts)
}

// scoring reads what scoring a template takes: the template, its answers
// and the options the audit's settings and those answers give.
func (w *Workspace) scoring(template string) (*checklist.Template, []checklist.Answer, checklist.ScoreOptions, error) {
	t, err := w.Template(template)
	if err != nil {
		return nil, nil, checklist.ScoreOptions{}, err
	}
	answers, err := w.Answers(template)
	if err != nil {
		return nil, nil, checklist.ScoreOptions{}, err
	}
	opts, err := w.ScoreOptions(answers)
	return t, answers, opts, err
}

// ScoreZone scores a zone template (62443-3-3) for one zone against the
// zone's SL-T.
func (w *Workspace) ScoreZone(template, zoneID string) (*checklist.ZoneScore, error) {
	scores, err := w.scoreZones(template, zoneID)
	if err != nil {
		return nil, err
	}
	return scores[0], nil
}

// ScoreZones scores a zone template for every zone, in Zones order.
func (w *Workspace) ScoreZones(template string) ([]*checklist.ZoneScore, error) {
	return w.scoreZones(template, "")
}

func (w *Workspace) scoreZones(template, only string) ([]*checklist.ZoneScore, error) {
	t, answers, opts, err := w.scoring(template)
	if err != nil {
		return nil, err
	}
	var zones []assets.Zone
	if only != "" {
		z, ok := w.Zone(only)
		if !ok {
			return nil, fmt.Errorf("zone %s: %w", only, store.ErrNotFound)
		}
		zones = []assets.Zone{z}
	} else {
		zones = w.Zones()
	}
	out := make([]*checklist.ZoneScore, 0, len(zones))
	for _, z := range zones {
		s, err := checklist.ScoreZoneWith(t, z.ID, z.SLT, answers, opts)
		if err != nil {
			return nil, fmt.Errorf("zone %q: %w", z.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// ConduitItems lists the items of a zone template answered per conduit:
// the audit's conduit SRs (assets.Audit.ConduitSRs, or the default set)
// with their enhancements, in template order.
func (w *Workspace) ConduitItems(template string) ([]*checklist.Item, error) {
	t, err := w.Template(template)
	if err != nil {
		return nil, err
	}
	return checklist.ConduitItems(t, w.Audit().ConduitSRs)
}

// SetConduitItems sets the audit's conduit SRs after checking them against
// the 62443-3-3 template (base SR IDs; each brings its enhancements). An
// empty list goes back to the default set. Answers already given for
// conduits stay stored; items outside the new set are not scored.
func (w *Workspace) SetConduitItems(srs []string) (assets.Audit, error) {
	a := w.Audit()
	var clean []string
	for _, s := range srs {
		clean = append(clean, strings.TrimSpace(s))
	}
	if _, err := checklist.ConduitItems(checklist.BuiltinByID(checklist.IEC62443_3_3_2013), clean); err != nil {
		return a, err
	}
	a.ConduitSRs = clean
	return w.SaveAudit(a)
}

// ScoreConduit scores a conduit's answers to a zone template over the
// audit's conduit items, against the conduit's SL-T.
func (w *Workspace) ScoreConduit(template, conduitID string) (*checklist.ConduitScore, error) {
	scores, err := w.scoreConduits(template, conduitID)
	if err != nil {
		return nil, err
	}
	return scores[0], nil
}

// ScoreConduits scores a zone template for every conduit, in Conduits
// order.
func (w *Workspace) ScoreConduits(template string) ([]*checklist.ConduitScore, error) {
	return w.scoreConduits(template, "")
}

func (w *Workspace) scoreConduits(template, only string) ([]*checklist.ConduitScore, error) {
	t, answers, opts, err := w.scoring(template)
	if err != nil {
		return nil, err
	}
	var conduits []assets.Conduit
	if only != "" {
		c, ok := w.Conduit(only)
		if !ok {
			return nil, fmt.Errorf("conduit %s: %w", only, store.ErrNotFound)
		}
		conduits = []assets.Conduit{c}
	} else {
		conduits = w.Conduits()
	}
	srs := w.Audit().ConduitSRs
	out := make([]*checklist.ConduitScore, 0, len(conduits))
	for _, c := range conduits {
		s, err := checklist.ScoreConduit(t, c.ID, c.SLT, srs, answers, opts)
		if err != nil {
			return nil, fmt.Errorf("conduit %q: %w", c.Name, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// AchievedLevels is the SL-A per zone ID from a zone template, for the
// zones with at least one verdict: a zone nobody has assessed is missing
// rather than scored 0, so model checks do not report it as failing.
func (w *Workspace) AchievedLevels(template string) (map[string]assets.SLVector, error) {
	scores, err := w.ScoreZones(template)
	if err != nil {
		return nil, err
	}
	answers, err := w.Answers(template)
	if err != nil {
		return nil, err
	}
	assessed := map[string]bool{}
	for _, a := range answers {
		if a.Zone != "" && a.Status != checklist.StatusNotAssessed && !a.Carried {
			assessed[a.Zone] = true
		}
	}
	out := map[string]assets.SLVector{}
	for _, s := range scores {
		if assessed[s.Zone] {
			out[s.Zone] = s.SLA
		}
	}
	return out, nil
}
