package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

type capShowJSON []struct {
	ZoneID  string  `json:"zone_id"`
	Zone    string  `json:"zone"`
	Members int     `json:"members"`
	Known   int     `json:"known"`
	SLT     [7]int  `json:"sl_t"`
	SLC     *[7]int `json:"sl_c"`
	SLA     *[7]int `json:"sl_a"`
	FRs     []struct {
		FR      string `json:"fr"`
		SLT     int    `json:"sl_t"`
		SLC     *int   `json:"sl_c"`
		SLA     *int   `json:"sl_a"`
		Capping []struct {
			ID     string `json:"id"`
			Tag    string `json:"tag"`
			Source string `json:"source"`
		} `json:"capping"`
	} `json:"frs"`
	Unknown []struct {
		Type    string `json:"type"`
		Label   string `json:"label"`
		Members []struct {
			Tag string `json:"tag"`
		} `json:"members"`
	} `json:"unknown"`
}

func capShow(t *testing.T, dir string, args ...string) capShowJSON {
	t.Helper()
	code, out, errs := run(t, nil, append([]string{"capability", "show", "--workspace", dir, "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("capability show: %d %s", code, errs)
	}
	var s capShowJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("show json: %v\n%s", err, out)
	}
	return s
}

type capListJSON []struct {
	ID            string `json:"id"`
	Asset         string `json:"asset"`
	Vendor        string `json:"vendor"`
	ComponentType string `json:"component_type"`
	TypeLabel     string `json:"component_type_label"`
	SLC           [7]int `json:"sl_c"`
	For           string `json:"for"`
	Assets        int    `json:"assets"`
	Certificate   *struct {
		Scheme string `json:"scheme"`
		Level  int    `json:"level"`
		Date   string `json:"date"`
	} `json:"certificate"`
}

func capList(t *testing.T, dir string) capListJSON {
	t.Helper()
	code, out, errs := run(t, nil, "capability", "list", "--workspace", dir, "--format", "json")
	if code != 0 {
		t.Fatalf("capability list: %d %s", code, errs)
	}
	var l capListJSON
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("list json: %v\n%s", err, out)
	}
	return l
}

// The demo's Filtration Control zone (SL-T 2,2,3,1,2,1,3, 13 assets) with
// records of our own: the S7-1516 model (PLC-101 and PLC-102) at
// 2,2,1,2,2,2,2, the panel HMI-FP-01 at 3, the switch SW-FILT-01 with a
// level 2 certificate. By hand: FR 3 SL-C min(1,1,3,2) = 1, capped by the
// two PLCs; every other FR min(2,2,3,2) = 2, capped by the PLCs and the
// switch. PLC-101's own single SL-C 2 gives way to the model's record.
func TestCapabilityDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	if code, _, errs := run(t, nil, "demo", "--workspace", dir); code != 0 {
		t.Fatal(errs)
	}
	// Start from no records, whatever the demo seeds.
	for _, r := range capList(t, dir) {
		if code, _, errs := run(t, nil, "capability", "delete", r.ID, "--workspace", dir); code != 0 {
			t.Fatalf("delete %s: %s", r.ID, errs)
		}
	}
	ws := []string{"--workspace", dir}
	set := func(args ...string) (int, string, string) {
		t.Helper()
		return run(t, nil, append(append([]string{"capability", "set"}, ws...), args...)...)
	}
	code, out, errs := set("--vendor", "siemens", "--model", "S7-1516-3  PN/DP", "--type", "edr", "--sl-c", "2,2,1,2,2,2,2")
	if code != 0 || !strings.Contains(out, `for model "siemens S7-1516-3  PN/DP": embedded device, SL-C 2,2,1,2,2,2,2; applies to 2 assets`) {
		t.Fatalf("set model: %d %q %s", code, out, errs)
	}
	if code, out, errs = set("--asset", "HMI-FP-01", "--type", "Host device", "--sl-c", "3"); code != 0 ||
		!strings.Contains(out, `for asset "HMI-FP-01": host device, SL-C 3; applies to 1 asset`) {
		t.Fatalf("set HMI: %d %q %s", code, out, errs)
	}
	if code, out, errs = set("--asset", "sw-filt-01", "--type", "ndr", "--cert-scheme", "ISASecure CSA", "--cert-issuer", "exida",
		"--cert-number", "X-1", "--cert-level", "2", "--cert-date", "2024-03-01"); code != 0 ||
		!strings.Contains(out, `for asset "SW-FILT-01": network device, certificate level 2 (ISASecure CSA X-1)`) {
		t.Fatalf("set switch: %d %q %s", code, out, errs)
	}

	s := capShow(t, dir, "--zone", "Filtration Control")
	if len(s) != 1 {
		t.Fatalf("%d zones", len(s))
	}
	z := s[0]
	if z.Zone != "Filtration Control" || z.Members != 13 || z.Known != 4 || z.SLT != [7]int{2, 2, 3, 1, 2, 1, 3} ||
		z.SLC == nil || *z.SLC != [7]int{2, 2, 1, 2, 2, 2, 2} || z.SLA != nil {
		t.Errorf("zone: %+v", z)
	}
	for i, f := range z.FRs {
		var tags []string
		for _, c := range f.Capping {
			tags = append(tags, c.Tag)
		}
		want := "PLC-101 PLC-102 SW-FILT-01"
		if i == 2 {
			want = "PLC-101 PLC-102"
		}
		if got := strings.Join(tags, " "); got != want || f.SLC == nil || *f.SLC != z.SLC[i] || f.SLT != z.SLT[i] || f.SLA != nil {
			t.Errorf("%s: %+v capped by %s, want %s", f.FR, f, got, want)
		}
	}
	if c := z.FRs[0].Capping; c[0].Source != "recorded" || c[2].Source != "certificate" {
		t.Errorf("sources: %+v", c)
	}
	var unknown []string
	for _, g := range z.Unknown {
		for _, m := range g.Members {
			unknown = append(unknown, g.Type+":"+m.Tag)
		}
	}
	if got := strings.Join(unknown, " "); got != "plc:PLC-103 plc:PLC-104 plc:RIO-101 plc:RIO-102 firewall:FW-CELL-FILT "+
		"drive:VFD-BW-01 drive:VFD-BW-02 drive:VFD-CW-01 sensor:AT-TURB-01" {
		t.Errorf("unknown: %s", got)
	}

	// SL-A comes from the 3-3 scoring: the demo assessed SCADA & Operations.
	for _, z := range capShow(t, dir) {
		if z.Zone == "SCADA & Operations" && (z.SLA == nil || *z.SLA != [7]int{1, 1, 1, 2, 1, 1, 1} || *z.FRs[3].SLA != 2) {
			t.Errorf("SCADA SL-A: %+v", z.SLA)
		}
	}

	// The table says the same.
	code, out, errs = run(t, nil, "capability", "show", "--workspace", dir, "--zone", "filtration control")
	if code != 0 {
		t.Fatalf("show table: %d %s", code, errs)
	}
	for _, want := range []string{`Zone "Filtration Control": 13 assets, 4 with capability information`,
		"FR 3 SI 3 1 - PLC-101, PLC-102", "FR 4 DC 1 2 - PLC-101, PLC-102, SW-FILT-01",
		"no capability information: Drive: VFD-BW-01, VFD-BW-02, VFD-CW-01"} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	// Bad input: clear errors, nothing stored or changed.
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"--asset", "PLC-103", "--type", "edr", "--sl-c", "2,2,5,2,2,2,2"}, 1, `sl_c.SI "5": capability level in FR 3 must be 0–4`},
		{[]string{"--asset", "HMI-FP-01", "--sl-c", "5"}, 1, `capability for asset`},
		{[]string{"--asset", "PLC-103", "--sl-c", "2"}, 2, "a new record needs --type"},
		{[]string{"--asset", "PLC-103", "--vendor", "Siemens", "--type", "edr"}, 2, "contradict"},
		{[]string{"--vendor", "Siemens", "--type", "edr"}, 2, "want --asset TAG, or --vendor V and --model M"},
		{[]string{"--asset", "NO-SUCH-TAG", "--type", "edr"}, 1, `no asset tagged "NO-SUCH-TAG"`},
		{[]string{"--asset", "PLC-103", "--type", "plc"}, 2, `--type "plc"`},
		{[]string{"--asset", "PLC-103", "--type", "edr", "--sl-c", "2,2"}, 2, "seven comma-separated levels"},
		{[]string{"--asset", "PLC-103", "--type", "edr", "--cert-level", "5"}, 1, "certificate.level"},
		{[]string{"--asset", "PLC-103", "--type", "edr", "--cert-level", "2", "--cert-date", "1.3.2024"}, 1, "certificate.date"},
		{[]string{"--asset", "SW-FILT-01", "--no-cert", "--cert-level", "2"}, 2, "contradict"},
	} {
		code, _, errs := set(c.args...)
		if code != c.code || !strings.Contains(errs, c.says) {
			t.Errorf("set %v: exit %d %q, want %d saying %q", c.args, code, errs, c.code, c.says)
		}
	}
	l := capList(t, dir)
	if len(l) != 3 || l[0].For != `asset "HMI-FP-01"` || l[0].SLC != [7]int{3, 3, 3, 3, 3, 3, 3} || l[0].TypeLabel != "host device" ||
		l[1].For != `asset "SW-FILT-01"` || l[1].Certificate == nil || l[1].Certificate.Level != 2 || l[1].Certificate.Date != "2024-03-01" ||
		l[2].For != `model "siemens S7-1516-3  PN/DP"` || l[2].Assets != 2 || l[2].Asset != "" {
		t.Fatalf("list after refused sets: %+v", l)
	}

	// Update changes only what is given; delete by subject and by ID.
	if code, out, errs = set("--vendor", "SIEMENS", "--model", "S7-1516-3 PN/DP", "--sl-c", "2"); code != 0 || !strings.HasPrefix(out, "updated capability "+l[2].ID) {
		t.Fatalf("update: %d %q %s", code, out, errs)
	}
	if l2 := capList(t, dir); len(l2) != 3 || l2[2].SLC != [7]int{2, 2, 2, 2, 2, 2, 2} || l2[2].ComponentType != "edr" {
		t.Errorf("after update: %+v", l2[2])
	}
	if code, out, _ = run(t, nil, "capability", "delete", "--workspace", dir, "--asset", "SW-FILT-01"); code != 0 ||
		!strings.Contains(out, "deleted capability "+l[1].ID+` for asset "SW-FILT-01"`) {
		t.Fatalf("delete switch: %d %q", code, out)
	}
	if code, _, errs = run(t, nil, "capability", "delete", "--workspace", dir, "--asset", "SW-FILT-01"); code != 1 || !strings.Contains(errs, "no capability recorded") {
		t.Errorf("second delete: %d %s", code, errs)
	}
	if code, _, _ = run(t, nil, "capability", "delete", "--workspace", dir, l[0].ID); code != 0 {
		t.Fatal("delete by ID failed")
	}
	z = capShow(t, dir, "--zone", "Filtration Control")[0]
	if z.Known != 2 || *z.SLC != [7]int{2, 2, 2, 2, 2, 2, 2} || len(z.FRs[6].Capping) != 2 {
		t.Errorf("after deletes: %+v", z)
	}
	if code, _, errs = run(t, nil, "capability", "show", "--workspace", dir, "--zone", "Nowhere"); code != 1 || !strings.Contains(errs, `no zone named "Nowhere"`) {
		t.Errorf("unknown zone: %d %s", code, errs)
	}
	if code, _, _ = run(t, nil, "capability", "frobnicate", "--workspace", dir); code != 2 {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}
