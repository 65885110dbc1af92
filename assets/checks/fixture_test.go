package checks

import (
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

var today = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func approved(text string) assets.Rationale {
	return assets.Rationale{Safety: 3, Operations: 4, Likelihood: 2, Text: text,
		ApprovedBy: "J. Smith, plant manager", ApprovedAt: "2025-01-10"}
}

func asset(id, tag string, typ assets.AssetType, zone string, p assets.Purdue, ips ...string) *assets.Asset {
	return &assets.Asset{Meta: assets.Meta{ID: id}, Tag: tag, Type: typ, Zone: zone, Purdue: p,
		Firmware: "1.0", IPs: ips, SLC: 3}
}

// cleanModel is a small site that every rule accepts: tests break it in
// one place at a time.
func cleanModel() *Model {
	m := &Model{
		Audit: assets.Audit{Meta: assets.Meta{ID: "audit"}, Title: "Riverside WTW", ReviewedAt: "2025-01-10"},
		Zones: []assets.Zone{
			{Meta: assets.Meta{ID: "ent"}, Name: "Enterprise", PurdueLevels: []assets.Purdue{assets.Purdue4},
				SLT: assets.UniformSL(1), Rationale: approved("office network")},
			{Meta: assets.Meta{ID: "dmz"}, Name: "DMZ", PurdueLevels: []assets.Purdue{assets.Purdue35},
				SLT: assets.UniformSL(2), Rationale: approved("brokers data")},
			{Meta: assets.Meta{ID: "ctl"}, Name: "Control", PurdueLevels: []assets.Purdue{assets.Purdue1, assets.Purdue2},
				SLT: assets.UniformSL(2), Rationale: approved("treatment control")},
			{Meta: assets.Meta{ID: "sis"}, Name: "Safety", PurdueLevels: []assets.Purdue{assets.Purdue1},
				SLT: assets.UniformSL(3), Rationale: approved("chlorine safety")},
			{Meta: assets.Meta{ID: "tr"}, Name: "Transient", PurdueLevels: []assets.Purdue{assets.Purdue2},
				SLT: assets.UniformSL(2), Rationale: approved("maintenance laptops")},
		},
		Conduits: []assets.Conduit{
			{Meta: assets.Meta{ID: "c-ent-dmz"}, Name: "Enterprise to DMZ", From: "ent", To: "dmz",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "HTTPS from DMZ replica only"},
			{Meta: assets.Meta{ID: "c-dmz-ctl"}, Name: "DMZ to Control", From: "dmz", To: "ctl",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "OPC UA from historian"},
			{Meta: assets.Meta{ID: "c-ctl-sis"}, Name: "Control to Safety", From: "ctl", To: "sis",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "read-only Modbus"},
			{Meta: assets.Meta{ID: "c-remote"}, Name: "Vendor remote access", From: "dmz", RemoteAccess: true,
				Controls: []assets.Control{assets.ControlFirewall, assets.ControlVPN, assets.ControlMFA,
					assets.ControlJumpHost, assets.ControlApproval, assets.ControlSessionTermination},
				Policy: "vendor sessions on request"},
			{Meta: assets.Meta{ID: "c-laptop"}, Name: "Maintenance laptop", From: "tr", To: "ctl", Temporary: true,
				Controls: []assets.Control{assets.ControlApproval, assets.ControlMediaScanning},
				Policy:   "laptops connect to EWS port after scan"},
		},
		Assets: []*assets.Asset{
			asset("a-erp", "ERP-1", assets.TypeServer, "ent", assets.Purdue4, "10.4.0.10"),
			asset("a-hist", "HIST-1", assets.TypeHistorian, "dmz", assets.Purdue35, "10.35.0.10"),
			asset("a-plc", "PLC-101", assets.TypePLC, "ctl", assets.Purdue1, "10.2.0.11"),
			asset("a-hmi", "HMI-1", assets.TypeHMI, "ctl", assets.Purdue2, "10.2.0.21"),
			asset("a-sis", "SIS-1", assets.TypeSIS, "sis", assets.Purdue1, "10.1.0.11"),
			asset("a-pt", "PT-301", assets.TypeSensor, "sis", assets.Purdue0),
			asset("a-laptop", "LAP-1", assets.TypeTransient, "tr", assets.Purdue2, "10.9.0.5"),
		},
		SLA: map[string]assets.SLVector{
			"ent": assets.UniformSL(1), "dmz": assets.UniformSL(2), "ctl": assets.UniformSL(3),
			"sis": assets.UniformSL(3), "tr": assets.UniformSL(2),
		},
		Today: today,
		// One scenario on the whole site gives every zone's SL-T a risk
		// basis (ZW-RISK-001); it links a countermeasure (ZW-RISK-003).
		Risks: []assets.Risk{{Meta: assets.Meta{ID: "r-phish"}, Title: "Phishing reaches the plant",
			Scope: assets.Ref{Kind: "audit"}, Stage: assets.StageInitial, Attacker: 2,
			FRs: []assets.FR{assets.IAC, assets.UC}, Likelihood: 3, Impact: 4, Countermeasures: []string{"cm-mail"}}},
		Countermeasures: []assets.Countermeasure{{Meta: assets.Meta{ID: "cm-mail"}, Name: "Mail filtering"}},
	}
	return m
}

func (m *Model) zone(id string) *assets.Zone {
	for i := range m.Zones {
		if m.Zones[i].ID == id {
			return &m.Zones[i]
		}
	}
	panic("no zone " + id)
}

func (m *Model) conduit(id string) *assets.Conduit {
	for i := range m.Conduits {
		if m.Conduits[i].ID == id {
			return &m.Conduits[i]
		}
	}
	panic("no conduit " + id)
}

func (m *Model) asset(id string) *assets.Asset {
	for _, a := range m.Assets {
		if a.ID == id {
			return a
		}
	}
	panic("no asset " + id)
}

func (m *Model) add(as ...*assets.Asset) { m.Assets = append(m.Assets, as...) }
