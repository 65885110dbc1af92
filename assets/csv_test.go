package assets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func zoneByName(name string) (string, bool) {
	m := map[string]string{"control": "z-control", "dmz": "z-dmz"}
	id, ok := m[strings.ToLower(name)]
	return id, ok
}

func TestReadCSVGoodFile(t *testing.T) {
	in := "Tag,Type,Vendor,IPs,Purdue,Zone,End_of_life,SL_C\n" +
		"PLC-1,plc,Siemens,10.0.0.1;10.0.0.2,L1,Control,yes,2\n" +
		"\n" +
		"HMI-1,HMI,AVEVA,,2,,no,\n"
	rows, err := ReadCSV(strings.NewReader(in), zoneByName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	p := rows[0].Asset
	if p.Tag != "PLC-1" || p.Type != TypePLC || len(p.IPs) != 2 || p.Purdue != Purdue1 || p.Zone != "z-control" || !p.EndOfLife || p.SLC != 2 {
		t.Errorf("row 1 = %+v", p)
	}
	if rows[1].Line != 4 || rows[1].Asset.Zone != "" || rows[1].Asset.Type != TypeHMI {
		t.Errorf("row 2 = %+v", rows[1])
	}
}

func TestReadCSVReportsEveryBadRow(t *testing.T) {
	in := "tag,type,zone,ips,purdue\n" +
		"PLC-1,plc,Control,10.0.0.1,1\n" +
		"PLC-2,toaster,Control,,1\n" + // line 3: type
		"PLC-3,plc,Nowhere,,1\n" + // line 4: zone
		"PLC-4,plc,Control,10.0.0.300,7\n" + // line 5: ip and purdue
		",plc,,,\n" // line 6: no tag or name
	_, err := ReadCSV(strings.NewReader(in), zoneByName)
	var ce *CSVError
	if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) {
		t.Fatalf("want *CSVError, got %v", err)
	}
	lines := map[int][]string{}
	for _, r := range ce.Rows {
		lines[r.Line] = append(lines[r.Line], r.Column)
	}
	for line, col := range map[int]string{3: "type", 4: "zone", 5: "purdue", 6: "tag"} {
		found := false
		for _, c := range lines[line] {
			found = found || c == col
		}
		if !found {
			t.Errorf("line %d: want an error in column %s, got %v (all: %v)", line, col, lines[line], err)
		}
	}
	if _, ok := lines[2]; ok {
		t.Errorf("good line 2 reported: %v", lines[2])
	}
	if !strings.Contains(err.Error(), "line 4, column zone") || !strings.Contains(err.Error(), "Nowhere") {
		t.Errorf("message does not say what and where: %s", err)
	}
}

func TestReadCSVHeaderProblems(t *testing.T) {
	for _, in := range []string{"", "vendor,model\nx,y\n", "tag,type,colour\n", "tag,type,tag\n"} {
		if _, err := ReadCSV(strings.NewReader(in), zoneByName); !errors.Is(err, ErrInvalid) {
			t.Errorf("%q: want an invalid-header error, got %v", in, err)
		}
	}
}

func TestCSVRoundTrip(t *testing.T) {
	list := []*Asset{
		{Meta: Meta{ID: "a1"}, Tag: "=cmd|' /C calc'!A0", Type: TypePLC, Vendor: "Siemens", IPs: []string{"10.0.0.1", "10.0.0.2"},
			MACs: []string{"00:11:22:33:44:55"}, Purdue: Purdue35, Zone: "z-dmz", Criticality: CriticalityHigh,
			Location: Location{Building: "B", Room: "R", Cabinet: "C"}, EndOfLife: true, Wireless: true, SLC: 3, Notes: "line1\nline2, \"quoted\""},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, list, func(id string) string { return map[string]string{"z-dmz": "DMZ"}[id] }); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), ",=cmd") {
		t.Fatal("formula not neutralised in export")
	}
	rows, err := ReadCSV(&buf, zoneByName)
	if err != nil {
		t.Fatal(err)
	}
	got := rows[0].Asset
	want := *list[0]
	if got.Tag != want.Tag || got.Notes != want.Notes || got.Zone != want.Zone || got.SLC != 3 || !got.Wireless ||
		got.Purdue != Purdue35 || len(got.IPs) != 2 || got.Location != want.Location || got.ID != "a1" {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, want)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add("tag,type,zone\nPLC-1,plc,Control\n")
	f.Add("id,tag,type,ips,macs,purdue,sl_c,end_of_life\nx,A,hmi,10.0.0.1;::1,00:11:22:33:44:55,3.5,2,yes\n")
	f.Add("tag,type\n\"unterminated,plc\n")
	f.Add("\ufefftag,type\nA,plc,extra\n")
	f.Add("id,tag,type,notes,vendor\nx,'=A,plc,\"'+1\n\t-x\",''\n,B,hmi, n ,@v\n")
	f.Add("tag,type,model\nA,plc,Stra\xdfe\nB,plc,a\x00b\n")
	f.Fuzz(func(t *testing.T, in string) {
		rows, err := ReadCSV(strings.NewReader(in), zoneByName)
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) || len(ce.Rows) == 0 {
				t.Fatalf("error is not a *CSVError with rows: %v", err)
			}
			for _, r := range ce.Rows {
				if r.Line < 1 {
					t.Fatalf("bad row without a line: %+v", r)
				}
			}
			return
		}
		// An accepted row is valid as a new asset, or merged onto a valid
		// one when it updates, and it survives an export and re-import.
		list := make([]*Asset, len(rows))
		for i, r := range rows {
			var old *Asset
			if r.Asset.ID != "" {
				old = &Asset{Meta: Meta{ID: r.Asset.ID}, Tag: "OLD", Name: "old", Type: TypeOther, Vendor: "V", Notes: "n"}
			}
			a := r.Merge(old)
			if err := a.Validate(nil); err != nil {
				t.Fatalf("accepted row fails validation: %v", err)
			}
			list[i] = &a
		}
		if len(rows) == 0 {
			return
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, list, func(id string) string { return map[string]string{"z-control": "Control", "z-dmz": "DMZ"}[id] }); err != nil {
			t.Fatal(err)
		}
		back, err := ReadCSV(&buf, zoneByName)
		if err != nil {
			t.Fatalf("export of accepted rows is refused: %v\n%s", err, buf.String())
		}
		for i := range rows {
			if !reflect.DeepEqual(back[i].Asset, *list[i]) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", back[i].Asset, *list[i])
			}
		}
	})
}

// csvErrorAt reports whether err is a *CSVError with a row at line naming column.
func csvErrorAt(err error, line int, column string) bool {
	var ce *CSVError
	if !errors.As(err, &ce) || !errors.Is(err, ErrInvalid) {
		return false
	}
	for _, r := range ce.Rows {
		if r.Line == line && r.Column == column {
			return true
		}
	}
	return false
}

func TestReadCSVRefusesExtraAndMissingCells(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("tag,type\nPLC-1,plc\nPLC-2,plc,Siemens\n"), zoneByName)
	if !csvErrorAt(err, 3, "") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("extra cell: want an error on line 3, got %v", err)
	}
	// A missing cell is as ambiguous as an extra one: in an update it
	// would clear the field.
	_, err = ReadCSV(strings.NewReader("tag,type,vendor\nPLC-1,plc\n"), zoneByName)
	if !csvErrorAt(err, 2, "") {
		t.Errorf("missing cell: want an error on line 2, got %v", err)
	}
}

// cellFor is a valid cell for each column, to put a bad byte after.
var cellFor = map[string]string{
	"id": "a1", "tag": "PLC-1", "name": "Pump", "type": "plc", "vendor": "Siemens", "model": "S7",
	"firmware": "V2", "serial": "S1", "ips": "10.0.0.1", "macs": "00:11:22:33:44:55", "purdue": "1",
	"zone": "Control", "criticality": "high", "building": "B", "room": "R", "cabinet": "C", "owner": "Ops",
	"end_of_life": "no", "wireless": "no", "sl_c": "2", "certificate": "TUV", "notes": "ok",
}

func TestReadCSVRefusesBadBytesInEveryColumn(t *testing.T) {
	for _, bad := range []string{"\xe9", "\x00", "\x1b", "\x7f", "\u0085"} {
		for _, col := range CSVColumns {
			cells := make([]string, len(CSVColumns))
			for i, c := range CSVColumns {
				cells[i] = cellFor[c]
				if c == col {
					cells[i] = cellFor[c] + bad
				}
			}
			in := strings.Join(CSVColumns, ",") + "\n" + strings.Join(cells, ",") + "\n"
			_, err := ReadCSV(strings.NewReader(in), zoneByName)
			if !csvErrorAt(err, 2, col) {
				t.Errorf("%q in column %s: want an error at line 2, column %s, got %v", bad, col, col, err)
			}
		}
	}
	// Notes may hold line breaks and tabs; a one-line field may not.
	if _, err := ReadCSV(strings.NewReader("tag,type,notes\nPLC-1,plc,\"a\n\tb\"\n"), zoneByName); err != nil {
		t.Errorf("multi-line notes refused: %v", err)
	}
	if _, err := ReadCSV(strings.NewReader("tag,type,vendor\nPLC-1,plc,\"a\nb\"\n"), zoneByName); !csvErrorAt(err, 2, "vendor") {
		t.Errorf("line break in vendor: %v", err)
	}
}

func TestReadCSVRefusesHugeCell(t *testing.T) {
	// A 10 MB vendor once made every later export fail ("record larger
	// than 1048576 bytes"), so the audit could never sync again.
	in := "tag,type,vendor\nPLC-1,plc," + strings.Repeat("V", 10<<20) + "\n"
	_, err := ReadCSV(strings.NewReader(in), zoneByName)
	if !csvErrorAt(err, 2, "vendor") {
		t.Fatalf("want an error at line 2, column vendor, got %.300v", err)
	}
	if len(err.Error()) > 2000 {
		t.Errorf("error message of %d bytes repeats the cell", len(err.Error()))
	}
}

// endless yields a quoted cell that never ends.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestReadCSVIsBounded(t *testing.T) {
	src := &endless{}
	in := io.MultiReader(strings.NewReader("tag,type,notes\nPLC-1,plc,ok\nPLC-2,plc,\""), src)
	_, err := ReadCSV(in, zoneByName)
	if !csvErrorAt(err, 3, "") {
		t.Fatalf("want an error at line 3, got %.300v", err)
	}
	if src.n > 2*MaxCSVRecordBytes {
		t.Errorf("read %d bytes of one record, bound is %d", src.n, MaxCSVRecordBytes)
	}
}

func TestCSVGuardsEveryColumn(t *testing.T) {
	triggers := []string{"=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠", "'"}
	for _, trig := range triggers {
		a := &Asset{Meta: Meta{ID: trig + "id"}, Tag: trig + "tag", Name: trig + "name", Type: TypePLC,
			Vendor: trig + "v", Model: trig + "m", Firmware: trig + "f", Serial: trig + "s", Owner: trig + "o",
			Location:    Location{Building: trig + "b", Room: trig + "r", Cabinet: trig + "c"},
			Certificate: trig + "cert", Notes: trig + "notes"}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []*Asset{a}, func(string) string { return trig + "zone" }); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for i, cell := range recs[1] {
			if cell != "" && cell != "no" && cell != "plc" && !strings.HasPrefix(cell, "'") {
				t.Errorf("%q: column %s exported unguarded as %q", trig, recs[0][i], cell)
			}
		}
	}
}

func TestCSVApostropheRoundTrip(t *testing.T) {
	for _, v := range []string{"'", "'x", "''", "'=1+1", "''=1", "=1+1", "x'", "＝1", "@SUM(A1)", "-5", "'\tx", "\t=x", "\n-x"} {
		a := &Asset{Tag: "T", Type: TypePLC, Notes: v}
		if !strings.ContainsAny(v, "\t\n") { // one-line fields take no tabs or line breaks
			a.Vendor = v
		}
		var buf bytes.Buffer
		if err := WriteCSV(&buf, []*Asset{a}, func(string) string { return "" }); err != nil {
			t.Fatal(err)
		}
		rows, err := ReadCSV(&buf, zoneByName)
		if err != nil {
			t.Fatalf("%q: %v", v, err)
		}
		if got := rows[0].Asset; got.Vendor != a.Vendor || got.Notes != v {
			t.Errorf("%q came back as vendor %q, notes %q", v, got.Vendor, got.Notes)
		}
	}
}
