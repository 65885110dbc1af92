package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zonewalk/zonewalk/store"
)

// Draft is input typed into the GUI but not yet stored in its record (a
// quick-capture row, a form field being edited, a checklist note), kept so
// that a crash or a flat battery does not lose it.
type Draft struct {
	Key    string            `json:"-"`      // chosen by the GUI, e.g. "asset:<id>"
	Fields map[string]string `json:"fields"` // field name → text on screen
	Saved  time.Time         `json:"saved"`
}

// settingDrafts holds every draft of this laptop, as one JSON object by
// key. It is a local setting (like the signing key): encrypted with the
// workspace, never part of a bundle (bundles carry records only), and not
// a record, so a draft makes no version that merges would have to know.
const settingDrafts = "ui-drafts"

func readDrafts(get func(string) ([]byte, error)) (map[string]Draft, error) {
	raw, err := get(settingDrafts)
	if errors.Is(err, store.ErrNotFound) || err == nil && len(raw) == 0 {
		return map[string]Draft{}, nil
	}
	if err != nil {
		return nil, err
	}
	m := map[string]Draft{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("drafts: %w", err)
	}
	return m, nil
}

// changeDrafts reads, changes and writes the drafts in one transaction
// (writers are serialized, so two savers cannot lose each other's draft).
func (w *Workspace) changeDrafts(change func(m map[string]Draft) bool) error {
	return w.st.Update(context.Background(), func(tx *store.Tx) error {
		m, err := readDrafts(tx.Setting)
		if err != nil {
			return err
		}
		if !change(m) {
			return nil
		}
		b, err := json.Marshal(m)
		if err != nil {
			return err
		}
		tx.PutSetting(settingDrafts, b)
		return nil
	})
}

// SaveDraft durably keeps the text of a form (by field name) under key,
// replacing an earlier draft of that key. An empty fields clears it.
func (w *Workspace) SaveDraft(key string, fields map[string]string) error {
	if key == "" {
		return errors.New("draft without a key")
	}
	if len(fields) == 0 {
		return w.ClearDraft(key)
	}
	d := Draft{Fields: fields, Saved: time.Now().UTC().Truncate(time.Second)}
	return w.changeDrafts(func(m map[string]Draft) bool { m[key] = d; return true })
}

// ClearDraft forgets the draft of key (its input was stored or discarded).
// Nothing is written when there is none.
func (w *Workspace) ClearDraft(key string) error {
	return w.changeDrafts(func(m map[string]Draft) bool {
		if _, ok := m[key]; !ok {
			return false
		}
		delete(m, key)
		return true
	})
}

// Drafts lists the drafts kept, oldest first.
func (w *Workspace) Drafts() ([]Draft, error) {
	m, err := readDrafts(w.st.Setting)
	if err != nil {
		return nil, err
	}
	out := make([]Draft, 0, len(m))
	for k, d := range m {
		d.Key = k
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b Draft) int { return cmp.Or(a.Saved.Compare(b.Saved), cmp.Compare(a.Key, b.Key)) })
	return out, nil
}
