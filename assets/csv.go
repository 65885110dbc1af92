package assets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CSVColumns are the asset CSV columns in export order; docs/csv.md
// describes each. Import accepts them in any order and ignores case;
// only "tag" (or "name") and "type" are required.
var CSVColumns = []string{
	"id", "tag", "name", "type", "vendor", "model", "firmware", "serial", "ips", "macs",
	"purdue", "zone", "criticality", "building", "room", "cabinet", "owner",
	"end_of_life", "wireless", "sl_c", "certificate", "notes",
}

// Bounds of one import, so a wrong or hostile file cannot exhaust memory.
// A row is read whole before its cells are checked, so MaxCSVRecordBytes is
// what one oversized cell can cost; the largest good row is far smaller.
const (
	MaxCSVRows        = 200_000
	MaxCSVRecordBytes = 16 << 20  // one row, all its cells
	MaxCSVBytes       = 256 << 20 // the whole file
)

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
	// Columns are the columns of the file (lower case, file order). A
	// column the file does not have leaves that field of an updated asset
	// as it was; an empty cell in a column it has clears the field.
	Columns []string
}

// Has reports whether the file has a column (a name of CSVColumns).
func (r *CSVRow) Has(column string) bool {
	for _, c := range r.Columns {
		if c == column {
			return true
		}
	}
	return false
}

// Merge returns the asset this row makes of old: the fields of the
// row's columns replace old's, the others keep old's value, and old's
// bookkeeping (ID, version) is kept. A nil old (a new asset) gives the
// row's asset as it is.
func (r *CSVRow) Merge(old *Asset) Asset {
	if old == nil {
		return r.Asset
	}
	a := *old
	src := &r.Asset
	for _, c := range r.Columns {
		switch c {
		case "tag":
			a.Tag = src.Tag
		case "name":
			a.Name = src.Name
		case "type":
			a.Type = src.Type
		case "vendor":
			a.Vendor = src.Vendor
		case "model":
			a.Model = src.Model
		case "firmware":
			a.Firmware = src.Firmware
		case "serial":
			a.Serial = src.Serial
		case "ips":
			a.IPs = src.IPs
		case "macs":
			a.MACs = src.MACs
		case "purdue":
			a.Purdue = src.Purdue
		case "zone":
			a.Zone = src.Zone
		case "criticality":
			a.Criticality = src.Criticality
		case "building":
			a.Location.Building = src.Location.Building
		case "room":
			a.Location.Room = src.Location.Room
		case "cabinet":
			a.Location.Cabinet = src.Location.Cabinet
		case "owner":
			a.Owner = src.Owner
		case "end_of_life":
			a.EndOfLife = src.EndOfLife
		case "wireless":
			a.Wireless = src.Wireless
		case "sl_c":
			a.SLC = src.SLC
		case "certificate":
			a.Certificate = src.Certificate
		case "notes":
			a.Notes = src.Notes
		}
	}
	return a
}

// Check validates an asset made by Merge from this row and reports each
// problem as a row error at this row's line and CSV column.
func (r *CSVRow) Check(a *Asset, zoneExists ZoneLookup) []CSVRowError {
	return rowErrors(r.Line, a.Validate(zoneExists))
}

// rowErrors turns a validation error into row errors named by CSV column.
func rowErrors(line int, err error) []CSVRowError {
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return []CSVRowError{{Line: line, Msg: err.Error()}}
	}
	out := make([]CSVRowError, 0, len(ve.Fields))
	for _, f := range ve.Fields {
		msg := f.Reason
		if f.Value != "" {
			msg = fmt.Sprintf("%q %s", f.Value, f.Reason)
		}
		out = append(out, CSVRowError{Line: line, Column: strings.TrimPrefix(f.Field, "location."), Msg: msg})
	}
	return out
}

// csvField is the Validate field name of a CSV column, for MaxLen.
func csvField(column string) string {
	switch column {
	case "building", "room", "cabinet":
		return "location." + column
	}
	return column
}

// errRowTooLarge and errFileTooLarge stop the reader at the bounds.
var (
	errRowTooLarge  = fmt.Errorf("row is larger than %d MiB", MaxCSVRecordBytes>>20)
	errFileTooLarge = fmt.Errorf("file is larger than %d MiB", MaxCSVBytes>>20)
)

// boundedReader refuses to deliver more than MaxCSVRecordBytes since the
// last reset (the start of a row, give or take the csv reader's 4 KiB
// buffer) or MaxCSVBytes in all, so one endless quoted cell is refused
// instead of filling memory.
type boundedReader struct {
	r          io.Reader
	row, total int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.total >= MaxCSVBytes {
		return 0, errFileTooLarge
	}
	if b.row >= MaxCSVRecordBytes {
		return 0, errRowTooLarge
	}
	if room := min(MaxCSVRecordBytes-b.row, MaxCSVBytes-b.total); int64(len(p)) > room {
		p = p[:room]
	}
	n, err := b.r.Read(p)
	b.row += int64(n)
	b.total += int64(n)
	return n, err
}

// ReadCSV parses an asset CSV. zoneID resolves a zone name to its ID.
// It reads the whole file and reports every bad row, not just the first.
// Rows that update an asset (id set) are checked here only in the columns
// they have; the caller checks the asset merged by CSVRow.Merge.
func ReadCSV(r io.Reader, zoneID func(name string) (string, bool)) ([]CSVRow, error) {
	br := &boundedReader{r: r}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // a wrong cell count is reported below, with the row's line
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &CSVError{Rows: []CSVRowError{{Line: 1, Msg: "file is empty: want a header row"}}}
	} else if err != nil {
		return nil, &CSVError{Rows: []CSVRowError{{Line: 1, Msg: err.Error()}}}
	}
	col := map[string]int{}
	var columns []string
	var bad []CSVRowError
	for i, h := range head {
		name := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !knownColumn(name) {
			bad = append(bad, CSVRowError{Line: 1, Column: clip(h), Msg: "unknown column (see docs/csv.md)"})
			continue
		}
		if _, dup := col[name]; dup {
			bad = append(bad, CSVRowError{Line: 1, Column: clip(h), Msg: "column appears twice"})
		}
		col[name] = i
		columns = append(columns, name)
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
	next := nextLine(cr, head)
	br.row = 0
	var rows []CSVRow
	seenIDs := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if errors.Is(err, errRowTooLarge) || errors.Is(err, errFileTooLarge) {
			bad = append(bad, CSVRowError{Line: next, Msg: err.Error() + " (see docs/csv.md)"})
			break
		}
		if err != nil {
			line := next
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad = append(bad, CSVRowError{Line: line, Msg: err.Error()})
			break // the reader cannot resynchronise after a quoting error
		}
		br.row = 0
		next = nextLine(cr, rec)
		line, _ := cr.FieldPos(0)
		if len(rows)+len(bad) >= MaxCSVRows {
			bad = append(bad, CSVRowError{Line: line, Msg: fmt.Sprintf("more than %d rows", MaxCSVRows)})
			break
		}
		if blank(rec) {
			continue
		}
		if len(rec) != len(head) {
			// Extra cells would be dropped and missing ones would clear
			// fields of an updated asset: neither is what the file meant.
			bad = append(bad, CSVRowError{Line: line, Msg: fmt.Sprintf("row has %d cells, the header has %d", len(rec), len(head))})
			continue
		}
		var rowErrs []CSVRowError
		vals := make(map[string]string, len(columns))
		cellBad := map[string]bool{}
		for _, name := range columns {
			v := unguard(rec[col[name]])
			if !Multiline("asset", name) { // spaces around a one-line value are noise; notes keep their layout
				v = strings.TrimFunc(v, func(r rune) bool { return unicode.IsSpace(r) && !isControl(r) })
			}
			if p := cellProblem(name, v); p != "" {
				rowErrs = append(rowErrs, CSVRowError{Line: line, Column: name, Msg: p})
				cellBad[name] = true
				continue
			}
			vals[name] = v
		}
		get := func(name string) string { return vals[name] }
		a, parseErrs := parseCSVAsset(get, zoneID)
		for _, e := range parseErrs {
			if !cellBad[e.Column] {
				e.Line = line
				rowErrs = append(rowErrs, e)
			}
		}
		row := CSVRow{Line: line, Asset: a, Columns: columns}
		if a.ID != "" {
			if first, dup := seenIDs[a.ID]; dup {
				rowErrs = append(rowErrs, CSVRowError{Line: line, Column: "id", Msg: fmt.Sprintf("ID %s also on line %d", a.ID, first)})
			}
			seenIDs[a.ID] = line
		}
		if len(rowErrs) == 0 {
			// An update is checked on a stand-in for the asset, so only the
			// columns the file has are judged here.
			var old *Asset
			if a.ID != "" {
				old = &Asset{Meta: Meta{ID: a.ID}, Tag: "-", Name: "-", Type: TypeOther}
			}
			merged := row.Merge(old)
			rowErrs = rowErrors(line, merged.Validate(nil))
		}
		bad = append(bad, rowErrs...)
		rows = append(rows, row)
	}
	if len(bad) > 0 {
		return nil, &CSVError{Rows: bad}
	}
	return rows, nil
}

// nextLine is the line after a record just read: where the next begins
// unless blank lines follow (the csv reader does not say).
func nextLine(cr *csv.Reader, rec []string) int {
	last := len(rec) - 1
	line, _ := cr.FieldPos(last)
	return line + strings.Count(rec[last], "\n") + 1
}

// cellProblem checks a cell's encoding, control characters and length
// before it is parsed, so every column is checked, whatever its type.
func cellProblem(column, v string) string {
	if column == "ips" || column == "macs" { // lists: Validate bounds their number
		for _, e := range splitList(v) {
			if p := TextProblem("asset", column, e); p != "" {
				return "entry " + quoteEntry(e) + " " + p
			}
		}
		return ""
	}
	return TextProblem("asset", csvField(column), v)
}

// CSVSafe keeps a spreadsheet from running a cell as a formula: a value
// starting with = + - @ (or their full-width forms), a tab, a line break
// or a ' gets a leading '. Guarding ' too makes the guard reversible:
// import removes one ' exactly when what follows would have been guarded.
func CSVSafe(s string) string {
	if needsGuard(s) {
		return "'" + s
	}
	return s
}

func needsGuard(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && strings.ContainsRune("=+-@\t\r\n'＝＋－＠", r)
}

// unguard undoes CSVSafe.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsGuard(s[1:]) {
		return s[1:]
	}
	return s
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
	list := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ' ' || r == ',' })
	if len(list) == 0 {
		return nil // an empty cell clears the list
	}
	return list
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
		for i, f := range rec { // every column: an ID or a zone name can be a formula too
			rec[i] = CSVSafe(f)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
