package assets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVColumns are the asset CSV columns in export order; docs/csv.md
// describes each. Import accepts them in any order and ignores case;
// only "tag" (or "name") and "type" are required.
var CSVColumns = []string{
	"id", "tag", "name", "type", "vendor", "model", "firmware", "serial", "ips", "macs",
	"purdue", "zone", "criticality", "building", "room", "cabinet", "owner",
	"end_of_life", "wireless", "sl_c", "certificate", "notes",
}

// MaxCSVRows bounds one import, so a wrong file cannot exhaust memory.
const MaxCSVRows = 200_000

// CSVRowError is one bad row: its line in the file and why.
type CSVRowError struct {
	Line   int
	Column string
	Msg    string
}

func (e CSVRowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Msg)
}

// CSVError lists every bad row of an import; nothing was imported.
type CSVError struct {
	Rows []CSVRowError
}

func (e *CSVError) Error() string {
	const show = 20
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad row(s), nothing imported", len(e.Rows))
	for i, r := range e.Rows {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Rows)-show)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.Error())
	}
	return b.String()
}

func (e *CSVError) Unwrap() error { return ErrInvalid }

// CSVRow is one parsed row: the asset it describes and its line.
type CSVRow struct {
	Line  int
	Asset Asset // Asset.ID set when the row updates an existing asset
}

// ReadCSV parses an asset CSV. zoneID resolves a zone name to its ID.
// It reads the whole file and reports every bad row, not just the first.
func ReadCSV(r io.Reader, zoneID func(name string) (string, bool)) ([]CSVRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &CSVError{Rows: []CSVRowError{{Line: 1, Msg: "file is empty: want a header row"}}}
	} else if err != nil {
		return nil, &CSVError{Rows: []CSVRowError{{Line: 1, Msg: err.Error()}}}
	}
	col := map[string]int{}
	var bad []CSVRowError
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !knownColumn(name) {
			bad = append(bad, CSVRowError{Line: 1, Column: h, Msg: "unknown column (see docs/csv.md)"})
			continue
		}
		if _, dup := col[name]; dup {
			bad = append(bad, CSVRowError{Line: 1, Column: h, Msg: "column appears twice"})
		}
		col[name] = i
	}
	_, hasTag := col["tag"]
	_, hasName := col["name"]
	if !hasTag && !hasName {
		bad = append(bad, CSVRowError{Line: 1, Msg: "header has neither a tag nor a name column"})
	}
	if _, ok := col["type"]; !ok {
		bad = append(bad, CSVRowError{Line: 1, Msg: "header has no type column"})
	}
	if len(bad) > 0 {
		return nil, &CSVError{Rows: bad}
	}
	var rows []CSVRow
	seenIDs := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad = append(bad, CSVRowError{Line: line, Msg: err.Error()})
			if !errors.As(err, &pe) || pe.Err != csv.ErrFieldCount {
				break // the reader cannot resynchronise after a quoting error
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rows)+len(bad) >= MaxCSVRows {
			bad = append(bad, CSVRowError{Line: line, Msg: fmt.Sprintf("more than %d rows", MaxCSVRows)})
			break
		}
		if blank(rec) {
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				v := strings.TrimSpace(rec[i])
				if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@", rune(v[1])) {
					v = v[1:] // undo WriteCSV's guard against spreadsheet formulas
				}
				return v
			}
			return ""
		}
		a, rowErrs := parseCSVAsset(get, zoneID)
		for _, e := range rowErrs {
			e.Line = line
			bad = append(bad, e)
		}
		if a.ID != "" {
			if first, dup := seenIDs[a.ID]; dup {
				bad = append(bad, CSVRowError{Line: line, Column: "id", Msg: fmt.Sprintf("ID %s also on line %d", a.ID, first)})
			}
			seenIDs[a.ID] = line
		}
		if len(rowErrs) == 0 {
			if err := a.Validate(nil); err != nil {
				var ve *ValidationError
				if errors.As(err, &ve) {
					for _, f := range ve.Fields {
						bad = append(bad, CSVRowError{Line: line, Column: f.Field, Msg: fmt.Sprintf("%q %s", f.Value, f.Reason)})
					}
				}
			}
		}
		rows = append(rows, CSVRow{Line: line, Asset: a})
	}
	if len(bad) > 0 {
		return nil, &CSVError{Rows: bad}
	}
	return rows, nil
}

func knownColumn(name string) bool {
	for _, c := range CSVColumns {
		if c == name {
			return true
		}
	}
	return false
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func parseCSVAsset(get func(string) string, zoneID func(string) (string, bool)) (Asset, []CSVRowError) {
	var errs []CSVRowError
	fail := func(column, msg string) { errs = append(errs, CSVRowError{Column: column, Msg: msg}) }
	a := Asset{
		Meta:        Meta{ID: get("id")},
		Tag:         get("tag"),
		Name:        get("name"),
		Vendor:      get("vendor"),
		Model:       get("model"),
		Firmware:    get("firmware"),
		Serial:      get("serial"),
		IPs:         splitList(get("ips")),
		MACs:        splitList(get("macs")),
		Location:    Location{Building: get("building"), Room: get("room"), Cabinet: get("cabinet")},
		Owner:       get("owner"),
		Certificate: get("certificate"),
		Notes:       get("notes"),
	}
	if t, ok := ParseAssetType(get("type")); ok {
		a.Type = t
	} else {
		fail("type", fmt.Sprintf("%q is not an asset type (plc, rtu, sis, hmi, ews, historian, …)", get("type")))
	}
	if p := get("purdue"); p != "" {
		if lvl, err := ParsePurdue(p); err == nil {
			a.Purdue = lvl
		} else {
			fail("purdue", err.Error())
		}
	}
	if z := get("zone"); z != "" {
		if id, ok := zoneID(z); ok {
			a.Zone = id
		} else {
			fail("zone", fmt.Sprintf("no zone named %q in this audit", z))
		}
	}
	if c := strings.ToLower(get("criticality")); c != "" {
		a.Criticality = Criticality(c)
	}
	var err error
	if a.EndOfLife, err = parseBool(get("end_of_life")); err != nil {
		fail("end_of_life", err.Error())
	}
	if a.Wireless, err = parseBool(get("wireless")); err != nil {
		fail("wireless", err.Error())
	}
	if s := get("sl_c"); s != "" {
		if a.SLC, err = strconv.Atoi(strings.TrimPrefix(strings.ToUpper(s), "SL")); err != nil {
			fail("sl_c", fmt.Sprintf("%q is not a security level 1–4", s))
		}
	}
	return a, errs
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' || r == ',' })
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "no", "n", "false", "0":
		return false, nil
	case "yes", "y", "true", "1", "x":
		return true, nil
	}
	return false, fmt.Errorf("%q is not yes or no", s)
}

// WriteCSV writes assets in CSVColumns order; zoneName names zones by ID.
func WriteCSV(w io.Writer, list []*Asset, zoneName func(id string) string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, a := range list {
		slc := ""
		if a.SLC > 0 {
			slc = strconv.Itoa(a.SLC)
		}
		zone := ""
		if a.Zone != "" {
			zone = zoneName(a.Zone)
		}
		rec := []string{a.ID, a.Tag, a.Name, string(a.Type), a.Vendor, a.Model, a.Firmware, a.Serial,
			strings.Join(a.IPs, ";"), strings.Join(a.MACs, ";"), string(a.Purdue), zone, string(a.Criticality),
			a.Location.Building, a.Location.Room, a.Location.Cabinet, a.Owner, yes(a.EndOfLife), yes(a.Wireless),
			slc, a.Certificate, a.Notes}
		for i, f := range rec { // keep spreadsheets from running cell text as formulas
			if f != "" && strings.ContainsRune("=+-@", rune(f[0])) && i != 0 {
				rec[i] = "'" + f
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
