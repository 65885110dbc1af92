package checks

import (
	"fmt"
	"slices"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func init() { ruleCases = append(ruleCases, capabilityCases...) }

// plcModel gives the control zone's PLC a model whose recorded capability
// is 2 in every FR but SI (1): below the zone's SL-T 2 in FR 3 only.
func plcModel(m *Model) {
	p := m.asset("a-plc")
	p.Vendor, p.Model = "Siemens", "S7-1500"
	m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-s7"},
		Vendor: "siemens", Model: "S7 -1500", ComponentType: "edr", SLC: assets.SLVector{2, 2, 1, 2, 2, 2, 2}})
}

func countermeasure(id string, status assets.CountermeasureStatus, on assets.Ref, frs ...assets.FR) assets.Countermeasure {
	return assets.Countermeasure{Meta: assets.Meta{ID: id}, Name: id, AppliesTo: []assets.Ref{on}, FRs: frs, Status: status}
}

var aref = func(id string) assets.Ref { return assets.Ref{Kind: "asset", ID: id} }

var capabilityCases = []ruleCase{
	// ZW-CAP-001
	{rule: "ZW-CAP-001", name: "PLC model capability below SL-T in SI", raise: true, subject: zref("ctl"),
		mutate: plcModel, severity: Medium, covers: 1, refs: []string{"62443-3-3 FR 3", "62443-3-2 ZCR 5.8"},
		title: []string{`zone "Control" SL-C is below its SL-T in FR 3 SI with no compensating countermeasure; capped by "PLC-101"`,
			`FR 3 SI: SL-C 1, SL-T 2, capped by "PLC-101".`}},
	{rule: "ZW-CAP-001", name: "certificate level 1 in a zone at SL-T 3: two levels short", raise: true, subject: zref("sis"),
		mutate: func(m *Model) {
			m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-sis"}, Asset: "a-sis",
				ComponentType: "edr", Certificate: &assets.Certificate{Scheme: "ISASecure CSA", Level: 1}})
		}, severity: High, covers: 1,
		title: []string{"in FR 1 IAC, FR 2 UC, FR 3 SI, FR 4 DC, FR 5 RDF, FR 6 TRE, FR 7 RA", `capped by "SIS-1"`}},
	{rule: "ZW-CAP-001", name: "countermeasure only planned", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) {
			plcModel(m)
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-planned", assets.CountermeasurePlanned, zref("ctl"), assets.SI))
		}, title: []string{"FR 3 SI"}},
	{rule: "ZW-CAP-001", name: "countermeasure for another FR", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) {
			plcModel(m)
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-iac", "", zref("ctl"), assets.IAC))
		}, title: []string{"FR 3 SI"}},
	{rule: "ZW-CAP-001", name: "countermeasure naming no FR", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) {
			plcModel(m)
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-vague", "", zref("ctl")))
		}, title: []string{"FR 3 SI"}},
	{rule: "ZW-CAP-001", name: "capping asset compensated, another below target is not", raise: true, subject: zref("sis"),
		mutate: func(m *Model) {
			m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-sis"}, Asset: "a-sis",
				ComponentType: "edr", SLC: assets.UniformSL(1)})
			m.asset("a-pt").SLC = 2
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-sis", assets.CountermeasureImplemented, aref("a-sis"), assets.FRs[:]...))
		}, covers: 1, severity: High,
		title: []string{`capped by "SIS-1"`, `FR 7 RA: SL-C 1, SL-T 3, capped by "SIS-1"; also below SL-T: "PT-301"`}},
	{rule: "ZW-CAP-001", name: "implemented countermeasure on the zone for SI",
		mutate: func(m *Model) {
			plcModel(m)
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-zone", assets.CountermeasureImplemented, zref("ctl"), assets.SI, assets.RDF))
		}},
	{rule: "ZW-CAP-001", name: "countermeasure on the capping asset for SI",
		mutate: func(m *Model) {
			plcModel(m)
			m.Countermeasures = append(m.Countermeasures, countermeasure("cm-plc", "", aref("a-plc"), assets.SI))
		}},
	{rule: "ZW-CAP-001", name: "capability recorded at the target",
		mutate: func(m *Model) {
			m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-plc"}, Asset: "a-plc",
				ComponentType: "edr", SLC: assets.UniformSL(2)})
		}},
	{rule: "ZW-CAP-001", name: "nothing known in the zone: ZW-CAP-002's business",
		mutate: func(m *Model) { m.asset("a-sis").SLC, m.asset("a-pt").SLC = 0, 0 }},
	{rule: "ZW-CAP-001", name: "zone without SL-T",
		mutate: func(m *Model) { plcModel(m); m.zone("ctl").SLT = assets.SLVector{} }},

	// ZW-CAP-002
	{rule: "ZW-CAP-002", name: "SIS controller without information", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.asset("a-sis").SLC = 0 }, covers: 1, severity: Medium,
		title: []string{`zone "Safety" (SL-T 3): SIS controller "SIS-1" has no capability information`}},
	{rule: "ZW-CAP-002", name: "two of a type, SL-T 3 in one FR", raise: true, subject: zref("sis"),
		mutate: func(m *Model) {
			m.zone("sis").SLT = assets.SLVector{2, 2, 3, 2, 2, 2, 2}
			m.asset("a-sis").SLC = 0
			// A second SIS controller, made from the field device: the
			// number of assets stays, see TestRunDeterministic.
			pt := m.asset("a-pt")
			pt.Type, pt.SLC, pt.IPs = assets.TypeSIS, 0, []string{"10.1.0.12"}
		}, covers: 2,
		title: []string{`zone "Safety" (SL-T 2,2,3,2,2,2,2): 2 assets of type SIS controller have no capability information`,
			`Assets: "PT-301", "SIS-1".`}},
	{rule: "ZW-CAP-002", name: "networked field device counts", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.asset("a-pt").SLC = 0; m.asset("a-pt").IPs = []string{"10.1.0.30"} },
		title:  []string{`Field device "PT-301"`}},
	{rule: "ZW-CAP-002", name: "hard-wired field device left out",
		mutate: func(m *Model) { m.asset("a-pt").SLC = 0 }},
	{rule: "ZW-CAP-002", name: "model capability answers for the SIS",
		mutate: func(m *Model) {
			s := m.asset("a-sis")
			s.SLC, s.Vendor, s.Model = 0, "HIMA", "HIMax"
			m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-himax"}, Vendor: "HIMA",
				Model: "HIMax", ComponentType: "edr", Certificate: &assets.Certificate{Level: 3}})
		}},
	{rule: "ZW-CAP-002", name: "zone at SL-T 2",
		mutate: func(m *Model) { m.asset("a-plc").SLC = 0; m.asset("a-hmi").SLC = 0 }},
	{rule: "ZW-CAP-002", name: "deleted capability counts for nothing, but the asset's own level does",
		mutate: func(m *Model) {
			m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: "cap-gone", Deleted: true},
				Asset: "a-sis", ComponentType: "edr", SLC: assets.UniformSL(1)})
		}},
}

// The zone of the issue: a PLC model at 2,2,1,2,2,2,2 (two PLCs), the HMI
// at 3, a switch with a level 2 certificate, in a zone at SL-T 2 except
// 3 in FR 5. By hand: FR 3 SL-C 1 (the PLCs), FR 5 SL-C 2 (PLCs and
// switch); every other FR meets 2. One finding, Medium: no FR is two
// levels short.
func TestCapBelowTargetText(t *testing.T) {
	m := cleanModel()
	m.zone("ctl").SLT = assets.SLVector{2, 2, 2, 2, 3, 2, 2}
	plcModel(m)
	plc2 := asset("a-plc2", "PLC-102", assets.TypePLC, "ctl", assets.Purdue1, "10.2.0.12")
	plc2.SLC, plc2.Vendor, plc2.Model = 0, "Siemens", "S7-1500"
	sw := asset("a-sw", "SW-1", assets.TypeNetwork, "ctl", assets.Purdue2, "10.2.0.2")
	sw.SLC = 0
	m.add(plc2, sw)
	m.Capabilities = append(m.Capabilities,
		assets.Capability{Meta: assets.Meta{ID: "cap-hmi"}, Asset: "a-hmi", ComponentType: "hdr", SLC: assets.UniformSL(3)},
		assets.Capability{Meta: assets.Meta{ID: "cap-sw"}, Asset: "a-sw", ComponentType: "ndr", Certificate: &assets.Certificate{Level: 2}})
	got := byRule(run(t, m), "ZW-CAP-001")
	if len(got) != 1 {
		t.Fatalf("%d findings: %+v", len(got), got)
	}
	f := got[0]
	if want := `zone "Control" SL-C is below its SL-T in FR 3 SI, FR 5 RDF with no compensating countermeasure; capped by "PLC-101", "PLC-102", "SW-1"`; f.Title != want {
		t.Errorf("title\n got %s\nwant %s", f.Title, want)
	}
	if want := `FR 3 SI: SL-C 1, SL-T 2, capped by "PLC-101", "PLC-102". FR 5 RDF: SL-C 2, SL-T 3, capped by "PLC-101", "PLC-102", "SW-1".`; f.Detail != want {
		t.Errorf("detail\n got %s\nwant %s", f.Detail, want)
	}
	if f.Severity != Medium || !slices.Equal(f.Covers, []string{"a-plc", "a-plc2", "a-sw"}) {
		t.Errorf("severity %s, covers %v", f.Severity, f.Covers)
	}
	if !slices.Contains(f.References, "62443-3-3 FR 3") || !slices.Contains(f.References, "62443-3-3 FR 5") || slices.Contains(f.References, "62443-3-3 FR 1") {
		t.Errorf("references %v", f.References)
	}
	// A countermeasure on the zone for RDF leaves SI.
	m.Countermeasures = []assets.Countermeasure{countermeasure("cm", "", zref("ctl"), assets.RDF)}
	got = byRule(run(t, m), "ZW-CAP-001")
	if len(got) != 1 || got[0].Title != `zone "Control" SL-C is below its SL-T in FR 3 SI with no compensating countermeasure; capped by "PLC-101", "PLC-102"` {
		t.Fatalf("with RDF compensated: %+v", got)
	}
	// One on each PLC for SI settles the rest.
	m.Countermeasures = append(m.Countermeasures,
		countermeasure("cm-1", "", aref("a-plc"), assets.SI), countermeasure("cm-2", "", aref("a-plc2"), assets.SI))
	if got = byRule(run(t, m), "ZW-CAP-001"); len(got) != 0 {
		t.Fatalf("all compensated: %+v", got)
	}
	// ZW-CAP-002 is quiet at SL-T 3 in FR 5: every member has information.
	if got = byRule(run(t, m), "ZW-CAP-002"); len(got) != 0 {
		t.Fatalf("ZW-CAP-002: %+v", got)
	}
}

// Several types without information in one zone: one finding each, with
// IDs of their own.
func TestCapUnknownPerType(t *testing.T) {
	m := cleanModel()
	m.asset("a-sis").SLC = 0
	m.asset("a-pt").SLC = 0
	m.asset("a-pt").IPs = []string{"10.1.0.30"}
	got := byRule(run(t, m), "ZW-CAP-002")
	if len(got) != 2 || got[0].ID == got[1].ID {
		t.Fatalf("%+v", got)
	}
	want := map[string]string{
		RuleFindingID("ZW-CAP-002", zref("sis"), "sis"):    `zone "Safety" (SL-T 3): SIS controller "SIS-1" has no capability information`,
		RuleFindingID("ZW-CAP-002", zref("sis"), "sensor"): `zone "Safety" (SL-T 3): Field device "PT-301" has no capability information`,
	}
	for _, f := range got {
		if want[f.ID] != f.Title {
			t.Errorf("%s: %q", f.ID, f.Title)
		}
	}
}

// BenchmarkCapRules100k runs the two capability rules on the big model
// with 20 models among its assets, half of them recorded (one below SL-T
// 2 in SI), one asset in a thousand without any level, and a
// countermeasure on every fifth zone. Model 4 (SI 1) sits in zones 4,
// 14, 24, 34 and 44; all but 24 (SL-T 1) are above SL-T 1 and none has a
// countermeasure: four ZW-CAP-001. Zone 5 (SL-T 3) has the assets without
// a level: one ZW-CAP-002 per type among them.
func BenchmarkCapRules100k(b *testing.B) {
	m := bigModel(50, 100_000)
	for i, a := range m.Assets {
		a.Vendor, a.Model = fmt.Sprintf("Vendor %d", i%5), fmt.Sprintf("Model %d", i%20)
		if i%1000 == 5 { // in zone 5, at SL-T 3
			a.SLC = 0
		}
	}
	for k := 0; k < 20; k += 2 {
		slc := assets.UniformSL(3)
		if k == 4 {
			slc[assets.SI] = 1
		}
		m.Capabilities = append(m.Capabilities, assets.Capability{Meta: assets.Meta{ID: fmt.Sprintf("cap-%d", k)},
			Vendor: fmt.Sprintf("vendor %d", k%5), Model: fmt.Sprintf("MODEL %d", k), ComponentType: "edr", SLC: slc})
	}
	for z := 0; z < 50; z += 5 {
		m.Countermeasures = append(m.Countermeasures, countermeasure(fmt.Sprintf("cm-%d", z), "", zref(fmt.Sprintf("zone-%02d", z)), assets.SI))
	}
	ix := newIndex(m)
	n := 0
	for b.Loop() {
		n = 0
		for _, r := range []Rule{ruleCapBelowTarget, ruleCapUnknown} {
			r.check(ix, func(issue) { n++ })
		}
	}
	if n == 0 {
		b.Fatal("no capability findings on the big model")
	}
	b.ReportMetric(float64(n), "findings")
}
