package app

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// ErrCapabilityExists: another capability record is for the same asset or
// the same vendor and model. Edit that one instead.
var ErrCapabilityExists = errors.New("capability already recorded")

// Capabilities lists the live capability records: those for one asset by
// the asset's tag, then those for a model by vendor and model.
func (w *Workspace) Capabilities() ([]assets.Capability, error) {
	all, err := store.All[assets.Capability](w.st, KindCapability)
	if err != nil {
		return nil, err
	}
	key := func(cp *assets.Capability) string {
		if cp.Asset != "" {
			return "0" + strings.ToLower(w.assetTitle(cp.Asset))
		}
		return "1" + strings.ToLower(strings.TrimSpace(cp.Vendor)+"\x00"+strings.TrimSpace(cp.Model))
	}
	slices.SortFunc(all, func(a, b assets.Capability) int {
		return cmp.Or(strings.Compare(key(&a), key(&b)), strings.Compare(a.ID, b.ID))
	})
	return all, nil
}

// assetTitle is an asset's tag (or name), or its ID when it is gone.
func (w *Workspace) assetTitle(id string) string {
	if a, ok := w.Asset(id); ok {
		return a.Title()
	}
	return id
}

// CapabilitySubject names what a capability is for, with the asset's tag:
// `asset "PLC-101"` or `model "Siemens S7-1500"`.
func (w *Workspace) CapabilitySubject(cp *assets.Capability) string {
	if cp.Asset != "" {
		return fmt.Sprintf("asset %q", w.assetTitle(cp.Asset))
	}
	return cp.Subject()
}

// Capability returns a live capability record by ID.
func (w *Workspace) Capability(id string) (assets.Capability, error) {
	var cp assets.Capability
	if err := w.st.Get(KindCapability, id, &cp); err != nil {
		return cp, fmt.Errorf("capability %s: %w", id, err)
	}
	return cp, nil
}

// SaveCapability validates and stores a capability record (new when its
// ID is empty). The asset it is for must exist, and no other record may be
// for the same asset or for the same vendor and model (ignoring case and
// white space): the error (ErrCapabilityExists) names that record.
func (w *Workspace) SaveCapability(cp assets.Capability) (assets.Capability, error) {
	if err := cp.Validate(); err != nil {
		return cp, err
	}
	// The write lock keeps two saves from both passing the duplicate check.
	w.mu.Lock()
	defer w.mu.Unlock()
	if cp.Asset != "" && w.assets[cp.Asset] == nil {
		return cp, &assets.ValidationError{Fields: []*assets.FieldError{{
			Record: "capability for " + cp.Subject(), Field: "asset", Value: cp.Asset,
			Reason: "is not an asset of this audit"}}}
	}
	all, err := store.All[assets.Capability](w.st, KindCapability)
	if err != nil {
		return cp, err
	}
	key := assets.ModelKey(cp.Vendor, cp.Model)
	for i := range all {
		o := &all[i]
		if o.ID == cp.ID {
			continue
		}
		if cp.Asset != "" && o.Asset == cp.Asset {
			tag := w.assets[cp.Asset].a.Title()
			return cp, fmt.Errorf("capability for asset %q: %w as %s for that asset", tag, ErrCapabilityExists, o.ID)
		}
		if cp.Asset == "" && o.Asset == "" && assets.ModelKey(o.Vendor, o.Model) == key {
			return cp, fmt.Errorf("capability for %s: %w as %s for %s", cp.Subject(), ErrCapabilityExists, o.ID, o.Subject())
		}
	}
	if err := w.st.Put(KindCapability, &cp); err != nil {
		return cp, err
	}
	return cp, nil
}

// DeleteCapability deletes a capability record. Answers to the component
// checklist for it stay, unscored, until a record with that ID returns.
func (w *Workspace) DeleteCapability(id string) error {
	if _, err := w.Capability(id); err != nil {
		return err
	}
	return w.st.Delete(KindCapability, id)
}

// capabilityIndex indexes the live records with the levels assessed by
// checklist.
func (w *Workspace) capabilityIndex() (*capability.Index, error) {
	caps, err := store.All[assets.Capability](w.st, KindCapability)
	if err != nil {
		return nil, err
	}
	scores, err := w.componentSLC(caps)
	if err != nil {
		return nil, err
	}
	return capability.New(caps, scores), nil
}

// CapabilityOf is the SL-C of a live asset and where it comes from; false
// when nothing is known of it (see capability.ForAsset for the order of
// sources).
func (w *Workspace) CapabilityOf(assetID string) (capability.Effective, bool, error) {
	a, ok := w.Asset(assetID)
	if !ok {
		return capability.Effective{}, false, fmt.Errorf("asset %s: %w", assetID, store.ErrNotFound)
	}
	ix, err := w.capabilityIndex()
	if err != nil {
		return capability.Effective{}, false, err
	}
	e, known := ix.ForAsset(&a)
	return e, known, nil
}

// ZoneCapabilities is the capability of every live zone, by zone ID: per
// FR the lowest SL-C of its members, the members that cap it, and the
// members without capability information.
func (w *Workspace) ZoneCapabilities() (map[string]capability.ZoneCapability, error) {
	ix, err := w.capabilityIndex()
	if err != nil {
		return nil, err
	}
	zones := w.Zones()
	members := make(map[string][]*assets.Asset, len(zones))
	for _, z := range zones {
		members[z.ID] = nil
	}
	for _, a := range w.Assets() {
		if _, ok := members[a.Zone]; ok {
			members[a.Zone] = append(members[a.Zone], a)
		}
	}
	out := make(map[string]capability.ZoneCapability, len(zones))
	for id, ms := range members {
		out[id] = ix.Zone(ms)
	}
	return out, nil
}

// ComponentSLC is the SL-C assessed with the built-in 62443-4-2 component
// checklist, by capability ID, for the live records with at least one
// confirmed verdict (not Not assessed, not carried over by a revisit). A
// record missing from the map has not been assessed, and its recorded
// vector or certificate stands. Each record is scored for its component
// type (checklist.ScoreComponent).
func (w *Workspace) ComponentSLC() (map[string]assets.SLVector, error) {
	caps, err := store.All[assets.Capability](w.st, KindCapability)
	if err != nil {
		return nil, err
	}
	return w.componentSLC(caps)
}

// componentSLC is the "assessed by checklist" source: kept apart so the
// capability rules and screens depend on the checklist in this one place.
func (w *Workspace) componentSLC(caps []assets.Capability) (map[string]assets.SLVector, error) {
	answers, err := w.Answers(checklist.IEC62443_4_2_2019)
	if err != nil {
		return nil, err
	}
	byComponent := map[string][]checklist.Answer{}
	assessed := map[string]bool{}
	for _, a := range answers {
		if a.Component == "" || a.Carried {
			continue
		}
		byComponent[a.Component] = append(byComponent[a.Component], a)
		if a.Status != checklist.StatusNotAssessed {
			assessed[a.Component] = true
		}
	}
	if len(assessed) == 0 {
		return nil, nil
	}
	t, err := w.Template(checklist.IEC62443_4_2_2019)
	if err != nil {
		return nil, err
	}
	out := map[string]assets.SLVector{}
	for i := range caps {
		cp := &caps[i]
		if cp.Deleted || !assessed[cp.ID] {
			continue
		}
		cs, err := checklist.ScoreComponent(t, cp.ComponentType, byComponent[cp.ID])
		if err != nil {
			return nil, fmt.Errorf("capability for %s: %w", cp.Subject(), err)
		}
		out[cp.ID] = cs.SLC
	}
	return out, nil
}
