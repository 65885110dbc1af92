package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// AssetFilter narrows the asset list. Empty fields match everything.
type AssetFilter struct {
	Text   string           // every word must occur in some field, ignoring case
	Zone   string           // zone ID; Unassigned for assets without a zone
	Type   assets.AssetType //
	Purdue assets.Purdue    //
}

// Unassigned as AssetFilter.Zone selects assets with no zone.
const Unassigned = "\x00unassigned"

// AssetCount is the number of live assets.
func (w *Workspace) AssetCount() int {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return len(w.sorted)
}

// Assets returns every live asset sorted by tag. The assets are shared
// with the workspace: read them, copy before changing.
func (w *Workspace) Assets() []*assets.Asset { return w.FilterAssets(AssetFilter{}) }

// FilterAssets returns the live assets matching f, sorted by tag. The
// assets are shared with the workspace: read them, copy before changing.
func (w *Workspace) FilterAssets(f AssetFilter) []*assets.Asset {
	words := strings.Fields(strings.ToLower(f.Text))
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]*assets.Asset, 0, min(len(w.sorted), 1024))
next:
	for _, e := range w.sorted {
		a := e.a
		switch {
		case f.Zone == Unassigned && a.Zone != "",
			f.Zone != "" && f.Zone != Unassigned && a.Zone != f.Zone,
			f.Type != "" && a.Type != f.Type,
			f.Purdue != "" && a.Purdue != f.Purdue:
			continue
		}
		for _, word := range words {
			if !strings.Contains(e.hay, word) {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// Asset returns a copy of a live asset.
func (w *Workspace) Asset(id string) (assets.Asset, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	e, ok := w.assets[id]
	if !ok {
		return assets.Asset{}, false
	}
	return *e.a, true
}

// SaveAsset validates and stores an asset (new when its ID is empty). It
// is durable when SaveAsset returns.
func (w *Workspace) SaveAsset(a assets.Asset) (assets.Asset, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := a.Validate(w.zoneExists); err != nil {
		return a, err
	}
	if err := w.checkTagFree(&a); err != nil {
		return a, err
	}
	if err := w.st.Put(store.KindAsset, &a); err != nil {
		return a, err
	}
	w.replaceAsset(&a)
	return a, nil
}

// DuplicateAsset stores a copy of an asset for rows of identical devices:
// same type, vendor, model, firmware, zone and location, with the next tag
// (PLC-101 → PLC-102) and without serial, addresses or notes.
func (w *Workspace) DuplicateAsset(id string) (assets.Asset, error) {
	src, ok := w.Asset(id)
	if !ok {
		return assets.Asset{}, fmt.Errorf("asset %s: %w", id, store.ErrNotFound)
	}
	dup := src
	dup.Meta = assets.Meta{}
	dup.Serial, dup.IPs, dup.MACs, dup.Notes = "", nil, nil, ""
	dup.Tag = w.nextTag(src.Tag)
	return w.SaveAsset(dup)
}

// nextTag increments the trailing number of a tag until it is unused
// (PLC → PLC-1 when there is none).
func (w *Workspace) nextTag(tag string) string {
	i := len(tag)
	for i > 0 && tag[i-1] >= '0' && tag[i-1] <= '9' {
		i--
	}
	prefix, digits := tag[:i], tag[i:]
	n := 0
	fmt.Sscan(digits, &n)
	if digits == "" {
		prefix += "-"
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.freeTag(prefix, len(digits), n)
}

// DeleteAsset deletes an asset; Restore undoes it.
func (w *Workspace) DeleteAsset(id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.assets[id]; !ok {
		return fmt.Errorf("asset %s: %w", id, store.ErrNotFound)
	}
	if err := w.st.Delete(store.KindAsset, id); err != nil {
		return err
	}
	w.removeAsset(id)
	return nil
}

// Restore brings back a deleted zone, conduit or asset: the undo of a
// delete. The restored record gets a new version, so the restore merges.
func (w *Workspace) Restore(kind store.Kind, id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var rec interface {
		assets.Record
	}
	switch kind {
	case store.KindZone:
		rec = &assets.Zone{}
	case store.KindConduit:
		rec = &assets.Conduit{}
	case store.KindAsset:
		rec = &assets.Asset{}
	default:
		return fmt.Errorf("restore: records of kind %q cannot be restored here", kind)
	}
	deleted, err := w.st.GetAny(kind, id, rec)
	if err != nil {
		return err
	}
	if !deleted {
		return nil
	}
	rec.RecordMeta().Deleted = false
	if a, ok := rec.(*assets.Asset); ok && a.Zone != "" && !w.zoneExists(a.Zone) {
		a.Zone = "" // its zone went meanwhile; leave it unassigned
	}
	// What comes back must be as valid as a new record: its content may
	// come from a bundle, and its tag or name may have been reused since.
	switch r := rec.(type) {
	case *assets.Zone:
		err = r.Validate()
		for _, o := range w.zones {
			if err == nil && equalName(o.Name, r.Name) {
				err = fmt.Errorf("zone %q: %w (rename the other zone first)", r.Name, ErrDuplicateName)
			}
		}
	case *assets.Conduit:
		err = r.Validate(w.zoneExists)
	case *assets.Asset:
		err = r.Validate(w.zoneExists)
		if err == nil {
			err = w.checkTagFree(r)
		}
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := w.st.Put(kind, rec); err != nil {
		return err
	}
	switch r := rec.(type) {
	case *assets.Zone:
		w.zones[r.ID] = r
		w.order.changed()
	case *assets.Conduit:
		w.conduits[r.ID] = r
	case *assets.Asset:
		w.replaceAsset(r)
	}
	return nil
}

// replaceAsset puts a into the cache, keeping the sorted slice sorted.
// Callers hold w.mu.
func (w *Workspace) replaceAsset(a *assets.Asset) {
	w.removeAsset(a.ID)
	w.order.changed()
	w.indexTag(a)
	e := newEntry(a)
	w.assets[a.ID] = e
	i, _ := slices.BinarySearchFunc(w.sorted, e, compareEntries)
	w.sorted = slices.Insert(w.sorted, i, e)
}

func (w *Workspace) removeAsset(id string) {
	old, ok := w.assets[id]
	if !ok {
		return
	}
	w.order.changed()
	w.unindexTag(old.a)
	delete(w.assets, id)
	if i, found := slices.BinarySearchFunc(w.sorted, old, compareEntries); found {
		w.sorted = slices.Delete(w.sorted, i, i+1)
	}
}

// ReloadInventory rereads zones, conduits and assets from the store, after
// use cases that write to it directly (bundle import). On failure the
// inventory stays as it was and the store stays open: it is the caller's.
func (w *Workspace) ReloadInventory(ctx context.Context) error {
	fresh, err := readInventory(ctx, w.st)
	if err != nil {
		return fmt.Errorf("reload workspace %s: %w", w.st.Dir(), err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.audit, w.zones, w.conduits, w.assets, w.sorted = fresh.audit, fresh.zones, fresh.conduits, fresh.assets, fresh.sorted
	w.tags = nil
	w.order.changed()
	w.observedChanged() // a bundle may bring traffic records
	return nil
}

// readInventory reads the audit, zones, conduits and assets of st into a
// new Workspace. Unlike load it never closes st.
func readInventory(ctx context.Context, st *store.Store) (*Workspace, error) {
	w := &Workspace{st: st, zones: map[string]*assets.Zone{}, conduits: map[string]*assets.Conduit{}, assets: map[string]*entry{}}
	audits, err := store.All[assets.Audit](st, store.KindAudit)
	if err != nil {
		return nil, err
	}
	if len(audits) > 0 {
		w.audit = audits[0]
	}
	zones, err := store.All[assets.Zone](st, store.KindZone)
	if err != nil {
		return nil, err
	}
	for i := range zones {
		w.zones[zones[i].ID] = &zones[i]
	}
	conduits, err := store.All[assets.Conduit](st, store.KindConduit)
	if err != nil {
		return nil, err
	}
	for i := range conduits {
		w.conduits[conduits[i].ID] = &conduits[i]
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	list, err := store.All[assets.Asset](st, store.KindAsset)
	if err != nil {
		return nil, err
	}
	w.sorted = make([]*entry, len(list))
	for i := range list {
		e := newEntry(&list[i])
		w.assets[e.a.ID] = e
		w.sorted[i] = e
	}
	slices.SortFunc(w.sorted, compareEntries)
	return w, nil
}

// AttachEvidence stores a photo or file and its description, attached to
// the record owner, in one durable step.
func (w *Workspace) AttachEvidence(owner assets.Ref, name string, data []byte, caption string) (assets.Evidence, error) {
	ev := assets.Evidence{Name: name, Owner: owner, Size: int64(len(data)), Caption: caption,
		MediaType: http.DetectContentType(data)}
	err := w.st.Update(context.Background(), func(tx *store.Tx) error {
		sha, err := tx.PutBlob(data)
		if err != nil {
			return err
		}
		ev.SHA256 = sha
		if err := ev.Validate(); err != nil {
			return err
		}
		return tx.Put(store.KindEvidence, &ev)
	})
	return ev, err
}

// Evidence lists the evidence attached to a record.
func (w *Workspace) Evidence(owner assets.Ref) ([]assets.Evidence, error) {
	ids, err := w.st.EvidenceIDsOf(owner)
	if err != nil {
		return nil, err
	}
	out := make([]assets.Evidence, 0, len(ids))
	for _, id := range ids {
		var ev assets.Evidence
		if err := w.st.Get(store.KindEvidence, id, &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// EvidenceData reads the bytes of a piece of evidence, checked against its hash.
func (w *Workspace) EvidenceData(ev assets.Evidence) ([]byte, error) { return w.st.Blob(ev.SHA256) }

// DeleteEvidence detaches a piece of evidence (its bytes stay stored).
func (w *Workspace) DeleteEvidence(id string) error { return w.st.Delete(store.KindEvidence, id) }
