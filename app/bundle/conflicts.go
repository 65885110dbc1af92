package bundle

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// Conflict is a version of a record made at the same time as the current
// one on another laptop, which lost to it by version stamp.
type Conflict struct {
	ID       string     `json:"id"`
	Kind     store.Kind `json:"kind"`
	RecordID string     `json:"record_id"`
	// Other is the losing version, whole; OtherMeta its bookkeeping (who,
	// when, whether it was a delete).
	Other     json.RawMessage `json:"other"`
	OtherMeta assets.Meta     `json:"other_meta"`
	// Current is the record as it stands (nil if it is missing).
	Current     json.RawMessage `json:"current,omitempty"`
	CurrentMeta assets.Meta     `json:"current_meta"`
}

// Conflicts lists the open conflicts, by kind, record and time.
func Conflicts(ctx context.Context, w *app.Workspace) ([]Conflict, error) {
	st := w.Store()
	var out []Conflict
	err := st.Scan(KindConflict, func(raw []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var c conflictRecord
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("%w: conflict record: %v", store.ErrCorrupt, err)
		}
		om, err := decodeMeta(c.Record)
		if err != nil {
			return err
		}
		out = append(out, Conflict{ID: c.ID, Kind: store.Kind(c.RecordKind), RecordID: c.RecordID,
			Other: append(json.RawMessage(nil), c.Record...), OtherMeta: om})
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		raw, _, err := st.GetRaw(out[i].Kind, out[i].RecordID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i].Current = raw
		if out[i].CurrentMeta, err = decodeMeta(raw); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b Conflict) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.RecordID, b.RecordID), a.OtherMeta.Version.Compare(b.OtherMeta.Version))
	})
	return out, nil
}

// Resolution says how to settle a conflict.
type Resolution int

const (
	// KeepCurrent keeps the record as it is and closes the conflict.
	KeepCurrent Resolution = iota + 1
	// RestoreOther makes the other version the record again (a delete, if
	// the other version was one).
	RestoreOther
)

// rawRecord is a record of any kind as its JSON fields, so a resolution
// can be written through Tx.Put like any local edit.
type rawRecord struct {
	assets.Meta
	fields map[string]json.RawMessage
}

func (r *rawRecord) MarshalJSON() ([]byte, error) {
	out := make(map[string]json.RawMessage, len(r.fields)+5)
	for k, v := range r.fields {
		out[k] = v
	}
	for _, k := range []string{"id", "version", "prev", "changed_by", "deleted"} {
		delete(out, k)
	}
	mb, err := json.Marshal(r.Meta)
	if err != nil {
		return nil, err
	}
	var mf map[string]json.RawMessage
	if err := json.Unmarshal(mb, &mf); err != nil {
		return nil, err
	}
	for k, v := range mf {
		out[k] = v
	}
	return json.Marshal(out)
}

// joinHistory puts both heads first in a resolution's history, so every
// laptop that has either as a conflict sees it superseded.
func joinHistory(prev []assets.Stamp, other assets.Meta) []assets.Stamp {
	var cand []assets.Stamp
	if len(prev) > 0 {
		cand = append(cand, prev[0])
	}
	cand = append(cand, other.Version)
	if len(prev) > 1 {
		cand = append(cand, prev[1:]...)
	}
	cand = append(cand, other.Prev...)
	out := make([]assets.Stamp, 0, assets.MaxHistory)
	for _, s := range cand {
		if len(out) == assets.MaxHistory {
			break
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Resolve settles a conflict by writing a new version of the record that
// descends from both versions, so the conflict closes on every laptop the
// new version reaches.
func Resolve(ctx context.Context, w *app.Workspace, conflictID string, how Resolution) error {
	if how != KeepCurrent && how != RestoreOther {
		return fmt.Errorf("resolve: unknown resolution %d", how)
	}
	st := w.Store()
	unlock := lockStore(st)
	err := st.Update(ctx, func(tx *store.Tx) error {
		craw, deleted, err := tx.GetRaw(KindConflict, conflictID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && deleted) {
			return fmt.Errorf("conflict %s: %w", conflictID, ErrNoConflict)
		}
		if err != nil {
			return err
		}
		var c conflictRecord
		if err := json.Unmarshal(craw, &c); err != nil {
			return fmt.Errorf("%w: conflict %s: %v", store.ErrCorrupt, conflictID, err)
		}
		other, err := decodeMeta(c.Record)
		if err != nil {
			return err
		}
		kind := store.Kind(c.RecordKind)
		src := []byte(c.Record)
		if how == KeepCurrent {
			cur, _, err := tx.GetRaw(kind, c.RecordID)
			if err != nil {
				return err
			}
			src = cur
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(src, &fields); err != nil {
			return fmt.Errorf("%w: %s %s: %v", store.ErrCorrupt, kind, c.RecordID, err)
		}
		sm, err := decodeMeta(src)
		if err != nil {
			return err
		}
		rec := &rawRecord{Meta: assets.Meta{ID: c.RecordID, Deleted: sm.Deleted}, fields: fields}
		if err := tx.Put(kind, rec); err != nil {
			return err
		}
		rec.Prev = joinHistory(rec.Prev, other)
		raw, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if err := tx.PutRaw(kind, raw); err != nil {
			return err
		}
		b, _ := newConflict(c.RecordKind, c.RecordID, version{meta: other, raw: c.Record}, true)
		return tx.PutRaw(KindConflict, b)
	})
	unlock()
	if err != nil {
		return err
	}
	return w.ReloadInventory(ctx)
}
