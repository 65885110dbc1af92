package app

import (
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// Store kinds of the checklist records.
const (
	KindAnswer   store.Kind = "answer"   // checklist.Answer, ID derived from template, item and zone
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
	Zone     string // zone ID; required for zone templates, empty otherwise
	Status   checklist.Status
	Maturity int // 1–4 for templates with maturity levels, 0 when not rated
	Note     string
	Evidence []string // IDs of evidence records
}

// AnswerItem validates and stores an answer. Answering the same item
// again replaces the answer (the record keeps its ID and its history).
func (w *Workspace) AnswerItem(in AnswerInput) (checklist.Answer, error) {
	t, err := w.Template(in.Template)
	if err != nil {
		return checklist.Answer{}, err
	}
	a := checklist.Answer{
		Meta:       assets.Meta{ID: checklist.AnswerID(in.Template, in.Item, in.Zone)},
		Template:   in.Template,
		Item:       in.Item,
		Zone:       in.Zone,
		Status:     in.Status,
		Maturity:   in.Maturity,
		Note:       in.Note,
		Evidence:   in.Evidence,
		AnsweredBy: w.st.Author(),
		AnsweredAt: time.Now().UTC().Format(time.RFC3339),
	}
	w.mu.RLock()
	err = a.Validate(t, w.zoneExists)
	w.mu.RUnlock()
	if err != nil {
		return a, err
	}
	for _, id := range in.Evidence {
		var ev assets.Evidence
		if err := w.st.Get(store.KindEvidence, id, &ev); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return a, &assets.ValidationError{Fields: []*assets.FieldError{{
					Record: fmt.Sprintf("answer %s %q", a.Template, a.Item), Field: "evidence", Value: id,
					Reason: "is not an evidence record of this audit",
				}}}
			}
			return a, err
		}
	}
	if err := w.st.Put(KindAnswer, &a); err != nil {
		return a, err
	}
	return a, nil
}

// ClearAnswer deletes the answer to an item, leaving it unanswered (undo
// with RestoreAnswer).
func (w *Workspace) ClearAnswer(template, item, zone string) error {
	return w.st.Delete(KindAnswer, checklist.AnswerID(template, item, zone))
}

// RestoreAnswer brings back a cleared answer as it was. The restored record
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
// ordered by template, zone and item.
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
		return cmp.Or(cmp.Compare(a.Template, b.Template), cmp.Compare(a.Zone, b.Zone), checklist.CompareIDs(a.Item, b.Item))
	})
	return out, nil
}

// ScoreProgram scores a program template (62443-2-1) for the audit.
func (w *Workspace) ScoreProgram(template string) (*checklist.ProgramScore, error) {
	t, err := w.Template(template)
	if err != nil {
		return nil, err
	}
	answers, err := w.Answers(template)
	if err != nil {
		return nil, err
	}
	return checklist.ScoreProgram(t, answers)
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
	t, err := w.Template(template)
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
	answers, err := w.Answers(template)
	if err != nil {
		return nil, err
	}
	out := make([]*checklist.ZoneScore, 0, len(zones))
	for _, z := range zones {
		s, err := checklist.ScoreZone(t, z.ID, z.SLT, answers)
		if err != nil {
			return nil, fmt.Errorf("zone %q: %w", z.Name, err)
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
		if a.Status != checklist.StatusNotAssessed && !a.Carried {
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
