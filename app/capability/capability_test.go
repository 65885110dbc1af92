package capability_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/zonewalk/zonewalk/app/capability"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// The zone of the issue, with one more PLC of the same model, a sensor and
// an RTU nobody has capability information for.
func issueZone() ([]*assets.Asset, []assets.Capability) {
	caps := []assets.Capability{
		{Meta: assets.Meta{ID: "c-plc"}, Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr",
			SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}},
		{Meta: assets.Meta{ID: "c-hmi"}, Asset: "hmi", ComponentType: "hdr", SLC: assets.UniformSL(3)},
		{Meta: assets.Meta{ID: "c-sw"}, Asset: "sw", ComponentType: "ndr",
			Certificate: &assets.Certificate{Scheme: "ISASecure CSA", Issuer: "exida", Number: "X-1", Level: 2, Date: "2024-03-01"}},
	}
	members := []*assets.Asset{
		{Meta: assets.Meta{ID: "sw"}, Tag: "SW-1", Type: assets.TypeNetwork},
		{Meta: assets.Meta{ID: "plc2"}, Tag: "PLC-102", Type: assets.TypePLC, Vendor: "SIEMENS", Model: "S7-1500 "},
		{Meta: assets.Meta{ID: "pt"}, Tag: "PT-301", Type: assets.TypeSensor},
		{Meta: assets.Meta{ID: "hmi"}, Tag: "HMI-1", Type: assets.TypeHMI, Vendor: "Siemens", Model: "S7-1500"},
		{Meta: assets.Meta{ID: "plc1"}, Tag: "PLC-101", Type: assets.TypePLC, Vendor: "Siemens", Model: "S7-1500", SLC: 4},
		{Meta: assets.Meta{ID: "rtu"}, Tag: "RTU-1", Type: assets.TypeRTU},
		{Meta: assets.Meta{ID: "pt2"}, Tag: "PT-300", Type: assets.TypeSensor},
	}
	return members, caps
}

func tags(ms []capability.Member) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Tag)
	}
	return strings.Join(out, " ")
}

func TestZoneOfTheIssue(t *testing.T) {
	members, caps := issueZone()
	z := capability.Zone(members, caps, nil)
	// By hand: FR 3 is min(1, 3, 2) = 1, held by the two PLCs; every other
	// FR is min(2, 3, 2) = 2, held by the PLCs and the switch.
	if want := (assets.SLVector{2, 2, 1, 2, 2, 2, 2}); z.SLC != want {
		t.Errorf("SL-C %v, want %v", z.SLC, want)
	}
	want := [7]string{"PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1", "PLC-101 PLC-102", "PLC-101 PLC-102 SW-1",
		"PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1", "PLC-101 PLC-102 SW-1"}
	for i, f := range z.FRs {
		if f.FR != assets.FRs[i] || f.SLC != z.SLC[i] || tags(f.Capping) != want[i] {
			t.Errorf("FR %d: %+v, want SL-C %d capped by %s", i+1, f, z.SLC[i], want[i])
		}
	}
	if got := z.FRs[2].Capping[0]; got.ID != "plc1" || got.Source != assets.SLCRecorded {
		t.Errorf("first capping member %+v", got)
	}
	if got := z.FRs[0].Capping[2]; got.ID != "sw" || got.Source != assets.SLCCertificate {
		t.Errorf("switch %+v", got)
	}
	if z.Members != 7 || z.Known != 4 {
		t.Errorf("members %d, known %d", z.Members, z.Known)
	}
	// Unknown by type in picker order (RTU before field devices), by tag.
	if len(z.Unknown) != 2 || z.Unknown[0].Type != assets.TypeRTU || tags(z.Unknown[0].Members) != "RTU-1" ||
		z.Unknown[1].Type != assets.TypeSensor || z.Unknown[1].Label != "Field device" || tags(z.Unknown[1].Members) != "PT-300 PT-301" {
		t.Errorf("unknown %+v", z.Unknown)
	}
}

// An assessment by checklist outranks the recorded vector of the same
// record, and a lower assessed level moves the cap.
func TestAssessedScoreOutranksRecord(t *testing.T) {
	members, caps := issueZone()
	scores := map[string]assets.SLVector{"c-hmi": {3, 3, 3, 3, 3, 3, 1}}
	z := capability.Zone(members, caps, scores)
	if want := (assets.SLVector{2, 2, 1, 2, 2, 2, 1}); z.SLC != want {
		t.Errorf("SL-C %v, want %v", z.SLC, want)
	}
	if got := z.FRs[6].Capping; tags(got) != "HMI-1" || got[0].Source != assets.SLCAssessed {
		t.Errorf("FR 7 capping %+v", got)
	}
}

func TestForAsset(t *testing.T) {
	members, caps := issueZone()
	byTag := map[string]*assets.Asset{}
	for _, a := range members {
		byTag[a.Tag] = a
	}
	cases := []struct {
		tag      string
		known    bool
		slc      assets.SLVector
		describe string
	}{
		{"PLC-101", true, assets.SLVector{2, 2, 1, 2, 2, 2, 2}, `recorded for model "Siemens S7-1500"`},
		{"HMI-1", true, assets.UniformSL(3), "recorded for this asset"},
		{"SW-1", true, assets.UniformSL(2), "certificate (ISASecure CSA) for this asset"},
		{"RTU-1", false, assets.SLVector{}, "no information"},
	}
	for _, c := range cases {
		e, ok := capability.ForAsset(byTag[c.tag], caps, nil)
		if ok != c.known || e.SLC != c.slc || e.Describe() != c.describe {
			t.Errorf("%s: %v %v %q, want %v %v %q", c.tag, ok, e.SLC, e.Describe(), c.known, c.slc, c.describe)
		}
	}
	legacy := &assets.Asset{Meta: assets.Meta{ID: "x"}, Tag: "X", SLC: 2}
	if e, ok := capability.ForAsset(legacy, nil, nil); !ok || e.SLC != assets.UniformSL(2) || e.Capability != nil ||
		e.Source != assets.SLCAssetLevel || e.Describe() != "asset's single SL-C" {
		t.Errorf("legacy: %+v %v", e, ok)
	}
	e, _ := capability.ForAsset(byTag["PLC-102"], caps, nil)
	if !e.ByModel || e.Capability == nil || e.Capability.ID != "c-plc" {
		t.Errorf("PLC-102 by model: %+v", e)
	}
}

func TestEmptyZone(t *testing.T) {
	z := capability.Zone(nil, nil, nil)
	if z.Members != 0 || z.Known != 0 || !z.SLC.IsZero() || z.Unknown == nil || len(z.Unknown) != 0 {
		t.Errorf("%+v", z)
	}
	for _, f := range z.FRs {
		if f.Capping == nil || len(f.Capping) != 0 {
			t.Errorf("FR %s capping %v", f.FR, f.Capping)
		}
	}
}

func Example() {
	caps := []assets.Capability{
		{Meta: assets.Meta{ID: "c1"}, Vendor: "Siemens", Model: "S7-1500", ComponentType: "edr",
			SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}},
		{Meta: assets.Meta{ID: "c2"}, Asset: "hmi", ComponentType: "hdr", SLC: assets.UniformSL(3)},
		{Meta: assets.Meta{ID: "c3"}, Asset: "sw", ComponentType: "ndr", Certificate: &assets.Certificate{Scheme: "ISASecure CSA", Level: 2}},
	}
	zone := []*assets.Asset{
		{Meta: assets.Meta{ID: "plc"}, Tag: "PLC-101", Type: assets.TypePLC, Vendor: "Siemens", Model: "S7-1500"},
		{Meta: assets.Meta{ID: "hmi"}, Tag: "HMI-1", Type: assets.TypeHMI},
		{Meta: assets.Meta{ID: "sw"}, Tag: "SW-1", Type: assets.TypeNetwork},
		{Meta: assets.Meta{ID: "rtu"}, Tag: "RTU-7", Type: assets.TypeRTU},
	}
	z := capability.Zone(zone, caps, nil)
	fmt.Println("zone SL-C", z.SLC)
	for _, f := range z.FRs {
		fmt.Printf("FR %d %s: SL-C %d, capped by %s\n", f.FR.Number(), f.FR, f.SLC, tags(f.Capping))
	}
	for _, g := range z.Unknown {
		fmt.Printf("no capability information: %s %s\n", g.Label, tags(g.Members))
	}
	// Output:
	// zone SL-C SL 2 (2,2,1,2,2,2,2)
	// FR 1 IAC: SL-C 2, capped by PLC-101 SW-1
	// FR 2 UC: SL-C 2, capped by PLC-101 SW-1
	// FR 3 SI: SL-C 1, capped by PLC-101
	// FR 4 DC: SL-C 2, capped by PLC-101 SW-1
	// FR 5 RDF: SL-C 2, capped by PLC-101 SW-1
	// FR 6 TRE: SL-C 2, capped by PLC-101 SW-1
	// FR 7 RA: SL-C 2, capped by PLC-101 SW-1
	// no capability information: RTU RTU-7
}

// syntheticCaps records every other vendor and model of the assets as a
// model record (2,2,1,2,2,2,2 or a level 2 certificate, alternately) and
// every thousandth asset on its own at 3.
func syntheticCaps(as []assets.Asset) []assets.Capability {
	var caps []assets.Capability
	seen := map[string]bool{}
	for i := range as {
		a := &as[i]
		if k := assets.ModelKey(a.Vendor, a.Model); !seen[k] {
			seen[k] = true
			switch len(seen) % 4 {
			case 1:
				caps = append(caps, assets.Capability{Meta: assets.Meta{ID: "m-" + k}, Vendor: a.Vendor, Model: a.Model,
					ComponentType: "edr", SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}})
			case 3:
				caps = append(caps, assets.Capability{Meta: assets.Meta{ID: "m-" + k}, Vendor: a.Vendor, Model: a.Model,
					ComponentType: "edr", Certificate: &assets.Certificate{Level: 2}})
			}
		}
		if i%1000 == 0 {
			caps = append(caps, assets.Capability{Meta: assets.Meta{ID: "a-" + a.ID}, Asset: a.ID, ComponentType: "hdr", SLC: assets.UniformSL(3)})
		}
	}
	return caps
}

// BenchmarkZone100k computes the SL-C of every zone of a 100,000-asset
// audit in 50 zones: index the records once, then one pass per zone.
func BenchmarkZone100k(b *testing.B) {
	zones, _, as := demo.SyntheticModel(50, 100_000)
	caps := syntheticCaps(as)
	members := map[string][]*assets.Asset{}
	for i := range as {
		members[as[i].Zone] = append(members[as[i].Zone], &as[i])
	}
	known := 0
	for b.Loop() {
		ix := capability.New(caps, nil)
		known = 0
		for _, z := range zones {
			known += ix.Zone(members[z.ID]).Known
		}
	}
	b.ReportMetric(float64(len(caps)), "records")
	b.ReportMetric(float64(known), "assets-known")
}
