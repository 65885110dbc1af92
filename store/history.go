package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// History returns the change-log entries about one record (every entry
// when record is ""), ordered by their stamps. A creation entry names its
// content by hash only (docs/change-log.md); its Fields are recovered here
// from the record as stored now by undoing the later entries, newest
// first, and kept only when that content has the hash the entry names.
// Every creation of a record is tried, not only the oldest: records with
// derived IDs (answers, rule findings) are created on each laptop that
// writes them first, and the record kept is often the newer creation. A
// creation left with nil Fields could not be recovered.
func (s *Store) History(record string) ([]Change, error) {
	var entries []Change
	err := s.Scan(KindChange, func(raw []byte) error {
		var c Change
		if err := json.Unmarshal(raw, &c); err != nil {
			return fmt.Errorf("%w: change-log entry: %v", ErrCorrupt, err)
		}
		if record == "" || c.Record == record {
			entries = append(entries, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(entries, func(a, b Change) int { return a.Version.Compare(b.Version) })
	type ref struct{ kind, id string }
	byRecord := map[ref][]int{} // each record's entries, oldest first
	for i, c := range entries {
		r := ref{c.Kind, c.Record}
		byRecord[r] = append(byRecord[r], i)
	}
	for r, idx := range byRecord {
		first := slices.IndexFunc(idx, func(i int) bool { return entries[i].Created != "" })
		if first < 0 {
			continue
		}
		content, err := s.recordContent(Kind(r.kind), r.id)
		if errors.Is(err, ErrNotFound) || errors.Is(err, ErrCorrupt) {
			continue // not recoverable: no record to start from
		}
		if err != nil {
			return nil, err
		}
		// Newest first: at each creation, content is the record as that
		// entry left it if the entries after it form one line. Undoing a
		// creation itself changes nothing (what came before it, if
		// anything, was another laptop's creation of the same ID).
		for _, i := range slices.Backward(idx[first:]) {
			c := &entries[i]
			if c.Created == "" {
				for k, v := range c.Fields {
					if string(v[0]) == "null" {
						delete(content, k)
					} else {
						content[k] = v[0]
					}
				}
				continue
			}
			if ContentHash(content) != c.Created {
				continue
			}
			c.Fields = make(map[string][2]json.RawMessage, len(content))
			for k, v := range content {
				if !bookkeeping[k] && string(v) != "null" { // as the hash counts them: absent
					c.Fields[k] = [2]json.RawMessage{jsonNull, v}
				}
			}
		}
	}
	return entries, nil
}

// recordContent is a record's top-level fields as stored now, tombstone
// included.
func (s *Store) recordContent(kind Kind, id string) (map[string]json.RawMessage, error) {
	raw, _, err := s.GetRaw(kind, id)
	if err != nil {
		return nil, err
	}
	var content map[string]json.RawMessage
	if err := json.Unmarshal(raw, &content); err != nil {
		return nil, fmt.Errorf("%w: %s %s: %v", ErrCorrupt, kind, id, err)
	}
	return content, nil
}
