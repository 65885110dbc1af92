package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/store"
)

// ImportResult counts what an import did.
type ImportResult struct {
	Created, Updated int
}

// ImportCSV reads an asset CSV (columns in docs/csv.md). A row without an
// ID creates an asset, a row with an ID updates that asset: the columns the
// file has replace its fields, the others stay as they are. Any bad row
// means nothing is written and every bad row is reported (*assets.CSVError);
// a good file is applied in one atomic step.
func (w *Workspace) ImportCSV(ctx context.Context, r io.Reader) (ImportResult, error) {
	var res ImportResult
	w.mu.Lock()
	defer w.mu.Unlock()
	rows, err := assets.ReadCSV(r, func(name string) (string, bool) {
		for _, z := range w.zones {
			if equalName(z.Name, name) {
				return z.ID, true
			}
		}
		return "", false
	})
	if err != nil {
		return res, err
	}
	// Merge and check every row before writing any, against the real
	// assets and zones: an update is only valid as the asset it leaves.
	var bad []assets.CSVRowError
	merged := make([]assets.Asset, len(rows))
	for i, row := range rows {
		var old *assets.Asset
		if id := row.Asset.ID; id != "" {
			e, ok := w.assets[id]
			if !ok {
				bad = append(bad, assets.CSVRowError{Line: row.Line, Column: "id", Msg: fmt.Sprintf("no asset with ID %s in this audit (leave id empty to create one)", id)})
				continue
			}
			old = e.a
		}
		merged[i] = row.Merge(old)
		bad = append(bad, row.Check(&merged[i], w.zoneExists)...)
	}
	if len(bad) == 0 {
		bad = w.tagClashes(rows, merged)
	}
	if len(bad) > 0 {
		return res, &assets.CSVError{Rows: bad}
	}
	saved := make([]*assets.Asset, len(rows))
	err = w.st.Update(ctx, func(tx *store.Tx) error {
		for i, row := range rows {
			a := merged[i]
			if row.Asset.ID != "" {
				res.Updated++
			} else {
				res.Created++
			}
			if err := tx.Put(store.KindAsset, &a); err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
			}
			saved[i] = &a
		}
		return nil
	})
	if err != nil {
		return ImportResult{}, err
	}
	for _, a := range saved {
		w.replaceAsset(a)
	}
	return res, nil
}

// ExportCSV writes the assets matching f as CSV.
func (w *Workspace) ExportCSV(out io.Writer, f AssetFilter) error {
	list := w.FilterAssets(f)
	return assets.WriteCSV(out, list, func(id string) string {
		if z, ok := w.Zone(id); ok {
			return z.Name
		}
		return ""
	})
}

// tagClashes names every row whose tag another asset would share once the
// import is applied: with an asset the file leaves alone or with another
// row. The state after the whole file counts, so swapping two tags in one
// file is fine. Callers hold w.mu.
func (w *Workspace) tagClashes(rows []assets.CSVRow, merged []assets.Asset) []assets.CSVRowError {
	type holder struct {
		line int    // 0 for an asset the file does not touch
		id   string // empty for a row that creates an asset
	}
	byTag := map[string][]holder{}
	touched := map[string]bool{}
	for _, a := range merged {
		if a.ID != "" {
			touched[a.ID] = true
		}
	}
	for k, ids := range w.tagIndex() {
		for _, id := range ids {
			if !touched[id] {
				byTag[k] = append(byTag[k], holder{id: id})
			}
		}
	}
	for i, a := range merged {
		if k := tagKey(a.Tag); k != "" {
			byTag[k] = append(byTag[k], holder{line: rows[i].Line, id: a.ID})
		}
	}
	var bad []assets.CSVRowError
	for i, a := range merged {
		hs := byTag[tagKey(a.Tag)]
		if len(hs) < 2 {
			continue
		}
		var with []string
		for _, h := range hs {
			switch {
			case h.line == rows[i].Line:
			case h.line != 0:
				with = append(with, fmt.Sprintf("line %d", h.line))
			default:
				with = append(with, "asset "+describeAsset(w.assets[h.id].a))
			}
		}
		bad = append(bad, assets.CSVRowError{Line: rows[i].Line, Column: "tag",
			Msg: fmt.Sprintf("tag %q is also the tag of %s (tags are unique in an audit, ignoring case)", a.Tag, strings.Join(with, ", "))})
	}
	return bad
}
