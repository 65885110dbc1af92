package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/store"
)

// Store kinds of the 62443-3-2 and 4-2 records.
const (
	KindCountermeasure store.Kind = "countermeasure" // assets.Countermeasure
	KindRisk           store.Kind = "risk"           // assets.Risk
	KindCapability     store.Kind = "capability"     // assets.Capability
)

// Countermeasures lists the live countermeasures by name.
func (w *Workspace) Countermeasures() ([]assets.Countermeasure, error) {
	all, err := store.All[assets.Countermeasure](w.st, KindCountermeasure)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b assets.Countermeasure) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return all, nil
}

// Countermeasure returns a live countermeasure by ID.
func (w *Workspace) Countermeasure(id string) (assets.Countermeasure, error) {
	var cm assets.Countermeasure
	if err := w.st.Get(KindCountermeasure, id, &cm); err != nil {
		return cm, fmt.Errorf("countermeasure %s: %w", id, err)
	}
	return cm, nil
}

// SaveCountermeasure validates and stores a countermeasure: its name is
// unique and the records it applies to exist.
func (w *Workspace) SaveCountermeasure(cm assets.Countermeasure) (assets.Countermeasure, error) {
	if err := cm.Validate(); err != nil {
		return cm, err
	}
	for _, r := range cm.AppliesTo {
		if !w.exists(r) {
			return cm, fmt.Errorf("countermeasure %q applies to %s %s: %w", cm.Name, r.Kind, r.ID, store.ErrNotFound)
		}
	}
	all, err := w.Countermeasures()
	if err != nil {
		return cm, err
	}
	for _, o := range all {
		if o.ID != cm.ID && equalName(o.Name, cm.Name) {
			return cm, fmt.Errorf("countermeasure %q: %w", cm.Name, ErrDuplicateName)
		}
	}
	if err := w.st.Put(KindCountermeasure, &cm); err != nil {
		return cm, err
	}
	return cm, nil
}

// DeleteCountermeasure deletes a countermeasure. It refuses (ErrInUse,
// naming them) while risk scenarios link it: their residual risk rests on it.
func (w *Workspace) DeleteCountermeasure(id string) error {
	cm, err := w.Countermeasure(id)
	if err != nil {
		return err
	}
	risks, err := store.All[assets.Risk](w.st, KindRisk)
	if err != nil {
		return err
	}
	var users []string
	for _, r := range risks {
		if slices.Contains(r.Countermeasures, id) {
			users = append(users, fmt.Sprintf("%q", r.Title))
		}
	}
	if len(users) > 0 {
		slices.Sort(users)
		return fmt.Errorf("countermeasure %q is linked by risk %s %s: %w", cm.Name,
			plural(len(users), "scenario", "scenarios"), strings.Join(users, ", "), ErrInUse)
	}
	return w.st.Delete(KindCountermeasure, id)
}

// exists reports whether a live zone, conduit or asset has that reference.
func (w *Workspace) exists(r assets.Ref) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	switch r.Kind {
	case "zone":
		return w.zones[r.ID] != nil
	case "conduit":
		return w.conduits[r.ID] != nil
	case "asset":
		return w.assets[r.ID] != nil
	}
	return false
}

// addRiskModel gives the model checks the risk register, the
// countermeasures and the capabilities.
func (w *Workspace) addRiskModel(m *checks.Model) error {
	var err error
	if m.Countermeasures, err = w.Countermeasures(); err != nil {
		return err
	}
	if m.Risks, err = store.All[assets.Risk](w.st, KindRisk); err != nil {
		return err
	}
	if m.Capabilities, err = store.All[assets.Capability](w.st, KindCapability); err != nil {
		return err
	}
	m.ComponentSLC, err = w.ComponentSLC()
	return err
}
