package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
	"github.com/zonewalk/zonewalk/store"
)

// Drawing on the diagram: the edits the diagram screen makes, through
// the same validation and store (so the same change log and sync) as the
// forms.

// Kinds of the diagram's own records.
const (
	KindDiagramPin  store.Kind = "diagram-pin"  // assets.DiagramPin, ID = the zone's ID
	KindDiagramNote store.Kind = "diagram-note" // assets.DiagramNote
)

// ErrSameZone: a conduit drawn from a zone to itself.
var ErrSameZone = errors.New("a conduit joins two different zones")

// maxEndName is how much of each zone's name a drawn conduit's name
// takes, so that two long names still make a valid one.
const maxEndName = 90

// ConnectZones adds a conduit between two zones, as drawn on the diagram:
// named "<from> – <to>" (with " (2)", " (3)" … when that name is taken),
// both ways, nothing else set. Delete it with DeleteConduit to undo.
func (w *Workspace) ConnectZones(fromID, toID string) (assets.Conduit, error) {
	if fromID == toID {
		return assets.Conduit{}, fmt.Errorf("connect zone %s: %w", fromID, ErrSameZone)
	}
	from, okF := w.Zone(fromID)
	to, okT := w.Zone(toID)
	switch {
	case !okF:
		return assets.Conduit{}, fmt.Errorf("connect: zone %s: %w", fromID, store.ErrNotFound)
	case !okT:
		return assets.Conduit{}, fmt.Errorf("connect: zone %s: %w", toID, store.ErrNotFound)
	}
	base := shorten(strings.TrimSpace(from.Name), maxEndName) + " – " + shorten(strings.TrimSpace(to.Name), maxEndName)
	name := base
	taken := map[string]bool{}
	for _, c := range w.Conduits() {
		taken[strings.ToLower(c.Name)] = true
	}
	for n := 2; taken[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s (%d)", base, n)
	}
	return w.SaveConduit(assets.Conduit{Name: name, From: fromID, To: toID, Direction: assets.Bidirectional})
}

// shorten cuts s to at most n characters, ending in "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// AssetMove puts an asset into a zone ("" for none).
type AssetMove struct {
	Asset string // asset ID
	Zone  string // zone ID
}

// MoveAssets puts assets into zones in one transaction: all move or none.
// It returns the moves that put them back (for undo); assets already in
// their zone are left alone and not in it.
func (w *Workspace) MoveAssets(ctx context.Context, moves []AssetMove) ([]AssetMove, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	var changed []*assets.Asset
	var undo []AssetMove
	for _, m := range moves {
		e, ok := w.assets[m.Asset]
		if !ok {
			return nil, fmt.Errorf("move asset %s: %w", m.Asset, store.ErrNotFound)
		}
		if e.a.Zone == m.Zone {
			continue
		}
		a := *e.a
		a.Zone = m.Zone
		if err := a.Validate(w.zoneExists); err != nil {
			return nil, err
		}
		changed = append(changed, &a)
		undo = append(undo, AssetMove{Asset: a.ID, Zone: e.a.Zone})
	}
	if len(changed) == 0 {
		return nil, nil
	}
	err := w.st.Update(ctx, func(tx *store.Tx) error {
		for _, a := range changed {
			if err := tx.Put(store.KindAsset, a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, a := range changed {
		w.replaceAsset(a)
	}
	return undo, nil
}

// PinZone puts a zone of the overview with the middle of its box at x, y
// (points from the drawing's top-left corner; values below 0 count as 0).
// It returns the pin it replaced, if any, for undo (see RestorePins).
func (w *Workspace) PinZone(zoneID string, x, y float64) (old *assets.DiagramPin, err error) {
	if _, ok := w.Zone(zoneID); !ok {
		return nil, fmt.Errorf("pin zone %s: %w", zoneID, store.ErrNotFound)
	}
	p := assets.DiagramPin{Meta: assets.Meta{ID: zoneID}, Zone: zoneID, X: math.Max(0, x), Y: math.Max(0, y)}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var prev assets.DiagramPin
	switch err := w.st.Get(KindDiagramPin, zoneID, &prev); {
	case err == nil:
		old = &prev
	case !errors.Is(err, store.ErrNotFound):
		return nil, err
	}
	if err := w.st.Put(KindDiagramPin, &p); err != nil {
		return nil, err
	}
	return old, nil
}

// UnpinZone lets the layout place a zone again. A zone not pinned is no error.
func (w *Workspace) UnpinZone(zoneID string) error {
	err := w.st.Delete(KindDiagramPin, zoneID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// DiagramPins lists the pins of live zones, by zone ID.
func (w *Workspace) DiagramPins() (map[string]assets.DiagramPin, error) {
	pins, err := store.All[assets.DiagramPin](w.st, KindDiagramPin)
	if err != nil {
		return nil, err
	}
	out := make(map[string]assets.DiagramPin, len(pins))
	for _, p := range pins {
		if _, ok := w.Zone(p.Zone); ok {
			out[p.Zone] = p
		}
	}
	return out, nil
}

// ResetLayout removes every pin, in one transaction: "Reset layout". It
// returns the pins removed, which RestorePins puts back.
func (w *Workspace) ResetLayout(ctx context.Context) ([]assets.DiagramPin, error) {
	pins, err := store.All[assets.DiagramPin](w.st, KindDiagramPin)
	if err != nil || len(pins) == 0 {
		return nil, err
	}
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		for _, p := range pins {
			if err := tx.Delete(KindDiagramPin, p.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(pins, func(a, b assets.DiagramPin) int { return strings.Compare(a.ID, b.ID) })
	return pins, nil
}

// RestorePins pins zones where the given pins put them and unpins the
// zones in unpin: the undo of PinZone and ResetLayout. Pins of zones
// deleted meanwhile are skipped.
func (w *Workspace) RestorePins(ctx context.Context, pins []assets.DiagramPin, unpin []string) error {
	return w.st.Update(ctx, func(tx *store.Tx) error {
		for _, id := range unpin {
			if err := tx.Delete(KindDiagramPin, id); err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		for _, p := range pins {
			if _, ok := w.Zone(p.Zone); !ok {
				continue
			}
			np := assets.DiagramPin{Meta: assets.Meta{ID: p.Zone}, Zone: p.Zone, X: p.X, Y: p.Y}
			if err := np.Validate(); err != nil {
				return err
			}
			if err := tx.Put(KindDiagramPin, &np); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddDiagramNote puts a note, or with finding a "finding here" marker, on
// a zone or conduit of the diagram. Delete it with DeleteDiagramNote.
func (w *Workspace) AddDiagramNote(on assets.Ref, text string, finding bool) (assets.DiagramNote, error) {
	n := assets.DiagramNote{Subject: on, Text: strings.TrimSpace(text), Finding: finding}
	if err := n.Validate(); err != nil {
		return n, err
	}
	exists := false
	switch on.Kind {
	case "zone":
		_, exists = w.Zone(on.ID)
	case "conduit":
		_, exists = w.Conduit(on.ID)
	}
	if !exists {
		return n, fmt.Errorf("note on %s %s: %w", on.Kind, on.ID, store.ErrNotFound)
	}
	var f checks.Finding
	if finding {
		// Listed with the findings: a manual finding about the same zone
		// or conduit, written with the marker.
		o := checks.Observation{Subject: on, Title: n.Text, Severity: checks.Medium,
			Detail: "Marked on the zone diagram."}
		if err := w.observationSubject(&o); err != nil {
			return n, err
		}
		var err error
		if f, err = checks.NewObservation(o); err != nil {
			return n, err
		}
		n.FindingID = f.ID
	}
	err := w.st.Update(context.Background(), func(tx *store.Tx) error {
		if n.FindingID != "" {
			if err := tx.Put(KindFinding, &f); err != nil {
				return err
			}
		}
		return tx.Put(KindDiagramNote, &n)
	})
	return n, err
}

// DeleteDiagramNote removes a note, and the finding a "finding here"
// marker raised while it is still open: the undo of adding it.
func (w *Workspace) DeleteDiagramNote(id string) error {
	var n assets.DiagramNote
	if err := w.st.Get(KindDiagramNote, id, &n); err != nil {
		return fmt.Errorf("diagram note %s: %w", id, err)
	}
	return w.st.Update(context.Background(), func(tx *store.Tx) error {
		if n.FindingID != "" {
			var f checks.Finding
			if err := tx.Get(KindFinding, n.FindingID, &f); err == nil && f.Status == checks.StatusOpen {
				if err := tx.Delete(KindFinding, f.ID); err != nil {
					return err
				}
			}
		}
		return tx.Delete(KindDiagramNote, id)
	})
}

// RestoreDiagramNote brings a deleted note back (the undo of a delete).
func (w *Workspace) RestoreDiagramNote(id string) error {
	var n assets.DiagramNote
	deleted, err := w.st.GetAny(KindDiagramNote, id, &n)
	if err != nil || !deleted {
		return err
	}
	n.Deleted = false
	if err := n.Validate(); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	return w.st.Update(context.Background(), func(tx *store.Tx) error {
		if n.FindingID != "" {
			var f checks.Finding
			if raw, gone, err := tx.GetRaw(KindFinding, n.FindingID); err == nil && gone {
				if err := json.Unmarshal(raw, &f); err != nil {
					return err
				}
				f.Deleted = false
				if err := tx.Put(KindFinding, &f); err != nil {
					return err
				}
			}
		}
		return tx.Put(KindDiagramNote, &n)
	})
}

// DiagramNotes lists the notes on live zones and conduits, oldest first.
func (w *Workspace) DiagramNotes() ([]assets.DiagramNote, error) {
	notes, err := store.All[assets.DiagramNote](w.st, KindDiagramNote)
	if err != nil {
		return nil, err
	}
	notes = slices.DeleteFunc(notes, func(n assets.DiagramNote) bool {
		switch n.Subject.Kind {
		case "zone":
			_, ok := w.Zone(n.Subject.ID)
			return !ok
		case "conduit":
			_, ok := w.Conduit(n.Subject.ID)
			return !ok
		}
		return true
	})
	slices.SortFunc(notes, func(a, b assets.DiagramNote) int {
		if c := a.Version.Compare(b.Version); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return notes, nil
}

// GroupIntoNewZone makes a zone named name holding the given assets, with
// the SL-T of the zone the first of them comes from and the Purdue levels
// they sit at, and moves them into it. It returns the moves that put them
// back; undo is those moves, then DeleteZone of the new zone.
func (w *Workspace) GroupIntoNewZone(ctx context.Context, name string, assetIDs []string) (assets.Zone, []AssetMove, error) {
	if len(assetIDs) == 0 {
		return assets.Zone{}, nil, fmt.Errorf("group into a new zone: no asset selected")
	}
	z := assets.Zone{Name: strings.TrimSpace(name)}
	seen := map[assets.Purdue]bool{}
	for i, id := range assetIDs {
		a, ok := w.Asset(id)
		if !ok {
			return assets.Zone{}, nil, fmt.Errorf("group into a new zone: asset %s: %w", id, store.ErrNotFound)
		}
		if from, ok := w.Zone(a.Zone); ok && i == 0 {
			z.SLT = from.SLT
		}
		if a.Purdue != assets.PurdueUnset && !seen[a.Purdue] {
			seen[a.Purdue] = true
			z.PurdueLevels = append(z.PurdueLevels, a.Purdue)
		}
	}
	z, err := w.SaveZone(z)
	if err != nil {
		return z, nil, err
	}
	moves := make([]AssetMove, len(assetIDs))
	for i, id := range assetIDs {
		moves[i] = AssetMove{Asset: id, Zone: z.ID}
	}
	undo, err := w.MoveAssets(ctx, moves)
	if err != nil {
		_ = w.DeleteZone(ctx, z.ID) // nothing moved: the empty zone goes again
		return assets.Zone{}, nil, err
	}
	return z, undo, nil
}
