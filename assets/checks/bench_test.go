package checks

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

// bigModel builds a deterministic site of nAssets assets in nZones zones,
// with the usual share of gaps: missing firmware, unsupported devices,
// radios, laptops, addresses in a neighbour's subnet, unassigned assets.
func bigModel(nZones, nAssets int) *Model {
	rng := rand.New(rand.NewPCG(62443, 3))
	levels := [][]assets.Purdue{
		{assets.Purdue0, assets.Purdue1}, {assets.Purdue1}, {assets.Purdue2}, {assets.Purdue1, assets.Purdue2},
		{assets.Purdue3}, {assets.Purdue35}, {assets.Purdue4},
	}
	types := []assets.AssetType{assets.TypePLC, assets.TypeSensor, assets.TypeSensor, assets.TypeHMI,
		assets.TypeDrive, assets.TypeIED, assets.TypeNetwork, assets.TypeServer, assets.TypeWorkstation}
	m := &Model{
		Audit: assets.Audit{Meta: assets.Meta{ID: "audit"}, Title: "Big site", ReviewedAt: "2025-02-01"},
		SLA:   map[string]assets.SLVector{},
		Today: today,
	}
	for z := range nZones {
		id := fmt.Sprintf("zone-%02d", z)
		zone := assets.Zone{Meta: assets.Meta{ID: id}, Name: fmt.Sprintf("Area %02d", z),
			PurdueLevels: levels[z%len(levels)], SLT: assets.UniformSL(1 + z%3), Rationale: approved("area")}
		if z%7 == 3 {
			zone.Rationale = assets.Rationale{}
		}
		m.Zones = append(m.Zones, zone)
		sla := zone.SLT
		if z%4 == 0 {
			sla[assets.RDF]--
		}
		m.SLA[id] = sla
		if z > 0 {
			c := assets.Conduit{Meta: assets.Meta{ID: fmt.Sprintf("c-%02d", z)}, Name: fmt.Sprintf("Area %02d–%02d", z-1, z),
				From: fmt.Sprintf("zone-%02d", z-1), To: id, Controls: []assets.Control{assets.ControlFirewall}, Policy: "p"}
			if z%11 == 0 {
				c.Controls, c.Policy = nil, ""
			}
			m.Conduits = append(m.Conduits, c)
		}
		if z%10 == 5 {
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: fmt.Sprintf("r-%02d", z)},
				Name: fmt.Sprintf("Remote %02d", z), From: id, RemoteAccess: true,
				Controls: []assets.Control{assets.ControlFirewall, assets.ControlVPN, assets.ControlMFA}, Policy: "p"})
		}
	}
	m.Assets = make([]*assets.Asset, nAssets)
	for i := range m.Assets {
		m.Assets[i] = new(assets.Asset)
		z := i % nZones
		n := i / nZones
		a := m.Assets[i]
		*a = assets.Asset{Meta: assets.Meta{ID: fmt.Sprintf("a-%06d", i)}, Tag: fmt.Sprintf("A%02d-%05d", z, n),
			Type: types[rng.IntN(len(types))], Zone: fmt.Sprintf("zone-%02d", z), Purdue: levels[z%len(levels)][0],
			Firmware: "1.0", SLC: 3,
			IPs: []string{fmt.Sprintf("10.%d.%d.%d", z, n/250, n%250+1)}}
		switch r := rng.IntN(10000); {
		case r < 300:
			a.Firmware = ""
		case r < 500:
			a.EndOfLife = true
		case r < 520:
			a.Wireless = true
		case r < 530:
			a.Type = assets.TypeTransient
		case r < 532:
			a.IPs = append(a.IPs, fmt.Sprintf("10.%d.0.%d", (z+7)%nZones, 200+rng.IntN(50)))
		case r < 537:
			a.Zone = ""
		}
	}
	return m
}

func BenchmarkRun100k(b *testing.B) {
	m := bigModel(50, 100_000)
	var n int
	for b.Loop() {
		fs, err := Run(m)
		if err != nil {
			b.Fatal(err)
		}
		n = len(fs)
	}
	b.ReportMetric(float64(n), "findings")
}

func BenchmarkReconcile100k(b *testing.B) {
	m := bigModel(50, 100_000)
	fresh, err := Run(m)
	if err != nil {
		b.Fatal(err)
	}
	stored := Reconcile(nil, fresh)
	for b.Loop() {
		if w := Reconcile(stored, fresh); len(w) != 0 {
			b.Fatalf("rerun wrote %d", len(w))
		}
	}
}

// The big model raises each kind of gap it was built with, once per zone
// or pair rather than once per asset.
func TestBigModel(t *testing.T) {
	fs := run(t, bigModel(50, 100_000))
	count := map[string]int{}
	for _, f := range fs {
		count[f.RuleID]++
	}
	for _, rule := range []string{"ZW-ASSET-001", "ZW-ASSET-002", "ZW-ASSET-003", "ZW-ZONE-003", "ZW-ZONE-006",
		"ZW-ZONE-008", "ZW-ZONE-009", "ZW-CONDUIT-001", "ZW-CONDUIT-002", "ZW-CONDUIT-005", "ZW-CONDUIT-007"} {
		if count[rule] == 0 {
			t.Errorf("%s not raised on the big model", rule)
		}
	}
	if count["ZW-ASSET-001"] != 1 || count["ZW-ASSET-002"] > 51 {
		t.Errorf("asset rules not aggregated: %v", count)
	}
	if len(fs) > 600 {
		t.Errorf("%d findings for 50 zones: aggregation is not working", len(fs))
	}
}
