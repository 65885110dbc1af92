package workbook

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"

	"github.com/zonewalk/zonewalk/assets"
)

// writeCSV writes one table as CSV (RFC 4180, UTF-8 without a byte order
// mark, as assets export writes). Every cell a spreadsheet would run as a
// formula gets a leading ' (assets.CSVSafe): titles, notes and names are
// typed by people, and imported data can carry anything.
func writeCSV(ctx context.Context, out io.Writer, t *table) error {
	cw := csv.NewWriter(out)
	rec := make([]string, len(t.header))
	for i, h := range t.header {
		rec[i] = assets.CSVSafe(h)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	for n, row := range t.rows {
		if n%512 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		for i, v := range row {
			switch v := v.(type) {
			case int:
				rec[i] = assets.CSVSafe(strconv.Itoa(v))
			case string:
				rec[i] = assets.CSVSafe(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return ctx.Err()
}
