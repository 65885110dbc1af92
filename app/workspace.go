package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// Workspace is an open audit. It keeps the inventory (audit, zones,
// conduits, assets) in memory, loaded once at open and kept in step with
// every write, so that lists of 100,000 assets filter as the user types.
// It is safe for concurrent use.
type Workspace struct {
	st *store.Store

	mu       sync.RWMutex
	audit    assets.Audit
	zones    map[string]*assets.Zone
	conduits map[string]*assets.Conduit
	assets   map[string]*entry
	sorted   []*entry // by tag, case-insensitively, then ID
	order    orderCache
	tags     map[string][]string // live asset IDs by tag; see tagIndex
	observed observedCache       // imported traffic, see Observed
}

// entry is a cached asset with the lowercase text that search matches.
type entry struct {
	a   *assets.Asset
	key string // sort key
	hay string
}

// Options for creating or opening a workspace.
type Options struct {
	Passphrase  []byte
	Unencrypted bool   // create only
	Author      string // who is making changes
	// ReadOnly (open only) writes nothing, so it works on a full disk;
	// every change then fails with store.ErrReadOnly. For commands that
	// only read: listing, exporting CSV, scoring, diagrams, reports.
	ReadOnly bool
}

// Create makes a new, empty audit workspace in dir.
func Create(ctx context.Context, dir string, opts Options, audit assets.Audit) (*Workspace, error) {
	if audit.Title == "" {
		audit.Title = "New audit"
	}
	if err := audit.Validate(); err != nil {
		return nil, err
	}
	st, err := store.Create(dir, store.CreateOptions{Passphrase: opts.Passphrase, Unencrypted: opts.Unencrypted, Author: opts.Author})
	if err != nil {
		return nil, err
	}
	if err := st.Put(store.KindAudit, &audit); err != nil {
		st.Close()
		return nil, err
	}
	return load(ctx, st)
}

// Open opens an existing workspace and loads its inventory.
func Open(ctx context.Context, dir string, opts Options) (*Workspace, error) {
	st, err := store.Open(dir, store.OpenOptions{Passphrase: opts.Passphrase, Author: opts.Author, ReadOnly: opts.ReadOnly})
	if err != nil {
		return nil, err
	}
	return load(ctx, st)
}

// load reads the inventory of a store just opened; on failure it closes
// the store, which no one else holds yet.
func load(ctx context.Context, st *store.Store) (*Workspace, error) {
	w, err := readInventory(ctx, st)
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("load workspace %s: %w", st.Dir(), err)
	}
	return w, nil
}

func newEntry(a *assets.Asset) *entry {
	hay := strings.ToLower(strings.Join([]string{a.Tag, a.Name, a.Type.Label(), a.Vendor, a.Model,
		a.Firmware, a.Serial, strings.Join(a.IPs, " "), strings.Join(a.MACs, " "), a.Owner,
		a.Location.Building, a.Location.Room, a.Location.Cabinet, a.Notes}, "\x00"))
	return &entry{a: a, key: strings.ToLower(a.Title()), hay: hay}
}

func compareEntries(x, y *entry) int {
	return cmp.Or(strings.Compare(x.key, y.key), strings.Compare(x.a.ID, y.a.ID))
}

// Close releases the workspace.
func (w *Workspace) Close() error { return w.st.Close() }

// Store gives use cases in sub-packages (bundles, reports) the store. The
// GUI must not use it; it goes through Workspace methods.
func (w *Workspace) Store() *store.Store { return w.st }

// Dir is the workspace directory.
func (w *Workspace) Dir() string { return w.st.Dir() }

// Encrypted reports whether the workspace is encrypted at rest. An
// unencrypted one keeps this laptop's device signing key in plain form too:
// `keys show` and the GUI should say so.
func (w *Workspace) Encrypted() bool { return w.st.Encrypted() }

// Audit returns the audit description.
func (w *Workspace) Audit() assets.Audit {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.audit
}

// SaveAudit validates and stores the audit description.
func (w *Workspace) SaveAudit(a assets.Audit) (assets.Audit, error) {
	if err := a.Validate(); err != nil {
		return a, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if a.ID == "" {
		a.ID = w.audit.ID
	}
	if err := w.st.Put(store.KindAudit, &a); err != nil {
		return a, err
	}
	w.audit = a
	return a, nil
}

// Zones lists live zones by Purdue level, highest first, then by name.
func (w *Workspace) Zones() []assets.Zone {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]assets.Zone, 0, len(w.zones))
	for _, z := range w.zones {
		out = append(out, *z)
	}
	slices.SortFunc(out, func(a, b assets.Zone) int {
		return cmp.Or(cmp.Compare(b.TopLevel().Rank(), a.TopLevel().Rank()),
			strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Zone returns a live zone by ID.
func (w *Workspace) Zone(id string) (assets.Zone, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	z, ok := w.zones[id]
	if !ok {
		return assets.Zone{}, false
	}
	return *z, true
}

// ZoneByName finds a live zone by name, ignoring case.
func (w *Workspace) ZoneByName(name string) (assets.Zone, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	for _, z := range w.zones {
		if equalName(z.Name, name) {
			return *z, true
		}
	}
	return assets.Zone{}, false
}

func (w *Workspace) zoneExists(id string) bool { _, ok := w.zones[id]; return ok }

// ErrDuplicateName: another live record already has that name.
var ErrDuplicateName = errors.New("name already used")

// SaveZone validates and stores a zone (new when its ID is empty).
func (w *Workspace) SaveZone(z assets.Zone) (assets.Zone, error) {
	if err := z.Validate(); err != nil {
		return z, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, o := range w.zones {
		if o.ID != z.ID && equalName(o.Name, z.Name) {
			return z, fmt.Errorf("zone %q: %w", z.Name, ErrDuplicateName)
		}
	}
	if err := w.st.Put(store.KindZone, &z); err != nil {
		return z, err
	}
	w.zones[z.ID] = &z
	w.order.changed() // a renamed zone moves its assets in the zone order
	return z, nil
}

// ErrInUse: a zone cannot be deleted while conduits join it.
var ErrInUse = errors.New("still in use")

// DeleteZone deletes a zone. Its assets become unassigned (the model checks
// flag them); conduits that join it must be deleted first.
func (w *Workspace) DeleteZone(ctx context.Context, id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	z, ok := w.zones[id]
	if !ok {
		return fmt.Errorf("zone %s: %w", id, store.ErrNotFound)
	}
	for _, c := range w.conduits {
		if c.From == id || c.To == id {
			return fmt.Errorf("zone %q: %w by conduit %q", z.Name, ErrInUse, c.Name)
		}
	}
	var moved []*assets.Asset
	err := w.st.Update(ctx, func(tx *store.Tx) error {
		for _, e := range w.assets {
			if e.a.Zone == id {
				a := *e.a
				a.Zone = ""
				if err := tx.Put(store.KindAsset, &a); err != nil {
					return err
				}
				moved = append(moved, &a)
			}
		}
		return tx.Delete(store.KindZone, id)
	})
	if err != nil {
		return err
	}
	delete(w.zones, id)
	for _, a := range moved {
		w.replaceAsset(a)
	}
	return nil
}

// Conduits lists live conduits by name.
func (w *Workspace) Conduits() []assets.Conduit {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]assets.Conduit, 0, len(w.conduits))
	for _, c := range w.conduits {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b assets.Conduit) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// Conduit returns a live conduit by ID.
func (w *Workspace) Conduit(id string) (assets.Conduit, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	c, ok := w.conduits[id]
	if !ok {
		return assets.Conduit{}, false
	}
	return *c, true
}

// SaveConduit validates and stores a conduit.
func (w *Workspace) SaveConduit(c assets.Conduit) (assets.Conduit, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := c.Validate(w.zoneExists); err != nil {
		return c, err
	}
	if err := w.st.Put(store.KindConduit, &c); err != nil {
		return c, err
	}
	w.conduits[c.ID] = &c
	return c, nil
}

// DeleteConduit deletes a conduit (undo with Restore).
func (w *Workspace) DeleteConduit(id string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.conduits[id]; !ok {
		return fmt.Errorf("conduit %s: %w", id, store.ErrNotFound)
	}
	if err := w.st.Delete(store.KindConduit, id); err != nil {
		return err
	}
	delete(w.conduits, id)
	return nil
}

func equalName(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}
