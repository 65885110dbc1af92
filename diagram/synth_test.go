package diagram

import (
	"fmt"
	"math/rand/v2"

	"github.com/zonewalk/zonewalk/assets"
)

// synthPlant builds a deterministic plant of nZones zones and nAssets
// assets: a few enterprise and DMZ zones, site operations, control cells
// with their safety systems and field zones, joined the way plants are
// (cell to operations to DMZ to IT), with remote and temporary conduits.
func synthPlant(nZones, nAssets int) *Model {
	rng := rand.New(rand.NewPCG(62443, 2))
	m := &Model{Title: fmt.Sprintf("Synthetic plant — %d zones, %d assets", nZones, nAssets), ConduitFindings: map[string]bool{}}
	type spec struct {
		levels []assets.Purdue
		name   string
		types  []assets.AssetType
	}
	kinds := []spec{
		{[]assets.Purdue{assets.Purdue4}, "Business network", []assets.AssetType{assets.TypeServer, assets.TypeWorkstation, assets.TypeNetwork}},
		{[]assets.Purdue{assets.Purdue35}, "DMZ", []assets.AssetType{assets.TypeServer, assets.TypeFirewall, assets.TypeNetwork}},
		{[]assets.Purdue{assets.Purdue3}, "Site operations", []assets.AssetType{assets.TypeHistorian, assets.TypeServer, assets.TypeWorkstation, assets.TypeSoftware}},
		{[]assets.Purdue{assets.Purdue1, assets.Purdue2}, "Process cell", []assets.AssetType{assets.TypePLC, assets.TypeHMI, assets.TypeEWS, assets.TypeNetwork, assets.TypeDrive, assets.TypeRTU, assets.TypeWireless}},
		{[]assets.Purdue{assets.Purdue1}, "Safety system", []assets.AssetType{assets.TypeSIS, assets.TypeIED}},
		{[]assets.Purdue{assets.Purdue0, assets.Purdue1}, "Field area", []assets.AssetType{assets.TypeSensor, assets.TypeIED, assets.TypeDrive, assets.TypeTransient}},
	}
	// Share of zones per kind, roughly as in a large site.
	share := []int{2, 2, 5, 18, 8, 15}
	var kindOf []int
	for k, n := range share {
		for range n {
			kindOf = append(kindOf, k)
		}
	}
	byKind := map[int][]string{}
	for i := range nZones {
		k := kindOf[i*len(kindOf)/nZones]
		id := fmt.Sprintf("z%03d", i)
		z := assets.Zone{Meta: assets.Meta{ID: id}, Name: fmt.Sprintf("%s %d", kinds[k].name, len(byKind[k])+1),
			PurdueLevels: kinds[k].levels, SLT: assets.UniformSL(1 + rng.IntN(3))}
		if rng.IntN(4) == 0 {
			z.SLT[assets.DC] = max(1, z.SLT[assets.DC]-1)
		}
		m.Zones = append(m.Zones, z)
		byKind[k] = append(byKind[k], id)
	}
	pick := func(k int) string {
		ids := byKind[k]
		if len(ids) == 0 {
			return ""
		}
		return ids[rng.IntN(len(ids))]
	}
	flows := [][]assets.Flow{
		{{Protocol: "OPC UA", Ports: "4840"}},
		{{Protocol: "Modbus/TCP", Ports: "502"}, {Protocol: "HTTPS", Ports: "443"}},
		{{Protocol: "PROFINET"}},
		{{Protocol: "EtherNet/IP", Ports: "44818"}, {Protocol: "CIP"}},
		{{Protocol: "SQL", Ports: "1433"}, {Protocol: "SMB", Ports: "445"}, {Protocol: "RDP", Ports: "3389"}},
	}
	dirs := []assets.Direction{"", assets.Bidirectional, assets.FromToTo, assets.ToToFrom}
	conduit := func(from, to string) {
		if from == "" || from == to {
			return
		}
		id := fmt.Sprintf("c%03d", len(m.Conduits))
		c := assets.Conduit{Meta: assets.Meta{ID: id}, Name: fmt.Sprintf("Conduit %d", len(m.Conduits)+1), From: from, To: to,
			Flows: flows[rng.IntN(len(flows))], Direction: dirs[rng.IntN(len(dirs))]}
		c.Temporary = rng.IntN(12) == 0
		if rng.IntN(6) == 0 {
			m.ConduitFindings[id] = true
		}
		m.Conduits = append(m.Conduits, c)
	}
	// The usual chain upwards for every zone, plus the odd extra link.
	for i, z := range m.Zones {
		k := kindOf[i*len(kindOf)/nZones]
		switch k {
		case 1:
			conduit(z.ID, pick(0))
			c := len(m.Conduits)
			conduit(z.ID, "")
			if len(m.Conduits) > c {
				m.Conduits[c].RemoteAccess = true
			}
		case 2:
			conduit(z.ID, pick(1))
		case 3:
			conduit(z.ID, pick(2))
		case 4, 5:
			conduit(z.ID, pick(3))
		}
		if rng.IntN(5) == 0 {
			conduit(z.ID, m.Zones[rng.IntN(len(m.Zones))].ID)
		}
	}
	vendors := []string{"Siemens", "Rockwell", "Schneider", "ABB", "Emerson", "Honeywell", "Yokogawa", "Phoenix Contact"}
	for i := range nAssets {
		zi := rng.IntN(len(m.Zones))
		z := m.Zones[zi]
		k := kindOf[zi*len(kindOf)/nZones]
		t := kinds[k].types[rng.IntN(len(kinds[k].types))]
		a := assets.Asset{Meta: assets.Meta{ID: fmt.Sprintf("a%05d", i)}, Tag: fmt.Sprintf("%s-%04d", string(t[:min(3, len(t))]), i),
			Type: t, Vendor: vendors[rng.IntN(len(vendors))], Model: fmt.Sprintf("Model %d", 100+rng.IntN(900)),
			Firmware: fmt.Sprintf("%d.%d.%d", 1+rng.IntN(5), rng.IntN(10), rng.IntN(20)),
			Purdue:   z.PurdueLevels[rng.IntN(len(z.PurdueLevels))], Zone: z.ID, EndOfLife: rng.IntN(15) == 0}
		m.Assets = append(m.Assets, a)
	}
	return m
}
