package assets

import (
	"bytes"
	"errors"
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
		for _, r := range rows {
			if err := r.Asset.Validate(nil); err != nil {
				t.Fatalf("accepted row fails validation: %v", err)
			}
		}
	})
}
