package checks_test

import (
	"fmt"
	"time"

	"github.com/zonewalk/zonewalk/assets"
	"github.com/zonewalk/zonewalk/assets/checks"
)

func ExampleRun() {
	m := &checks.Model{
		Zones: []assets.Zone{{Meta: assets.Meta{ID: "z1"}, Name: "Filtration control",
			PurdueLevels: []assets.Purdue{assets.Purdue1}, SLT: assets.UniformSL(2),
			Rationale: assets.Rationale{Safety: 3, Likelihood: 2, ApprovedBy: "Plant manager", ApprovedAt: "2025-03-01"}}},
		Assets: []*assets.Asset{
			{Meta: assets.Meta{ID: "a1"}, Tag: "PLC-101", Type: assets.TypePLC, Zone: "z1", Firmware: "V4.2"},
			{Meta: assets.Meta{ID: "a2"}, Tag: "PLC-102", Type: assets.TypePLC, Firmware: "V4.2"},
		},
		Conduits: []assets.Conduit{{Meta: assets.Meta{ID: "c1"}, Name: "Vendor VPN", From: "z1",
			RemoteAccess: true, Controls: []assets.Control{assets.ControlVPN, assets.ControlFirewall}, Policy: "on request"}},
		Today: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
	}
	findings, err := checks.Run(m)
	if err != nil {
		panic(err)
	}
	for _, f := range findings {
		fmt.Printf("%s %s: %s\n", f.Severity, f.RuleID, f.Title)
	}
	// Output:
	// critical ZW-CONDUIT-003: conduit "Vendor VPN" joins zone "Filtration control" (L1) directly to outside the system under consideration (L5) with no DMZ
	// critical ZW-CONDUIT-005: remote-access conduit "Vendor VPN" into zone "Filtration control" lacks authentication (mfa or jump-host), per-session approval, session termination
	// medium ZW-ASSET-001: asset "PLC-102" has no zone
	// medium ZW-RISK-001: zone "Filtration control" has SL-T 2 typed in, and no risk scenario covers the zone
}
