package demo

import (
	"context"
	"fmt"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

func init() { Seeders = append(Seeders, seedRisk) }

// The demo's 62443-3-2 and 4-2 records: the countermeasures the works
// relies on, a small risk register, and what is known of its components'
// capability. Certificates are made up for the demo (issuer "Demo
// certification body"); they say nothing about the real products.
var demoCountermeasures = []assets.Countermeasure{
	{Meta: assets.Meta{ID: "cm-jump-mfa"}, Name: "Jump host with MFA for remote sessions",
		Description: "Vendor and remote sessions end on JUMP-01; MFA by hardware token; no direct route to SCADA.",
		AppliesTo:   []assets.Ref{{Kind: "zone", ID: ZoneDMZ}, {Kind: "conduit", ID: "conduit-vendor-remote"}},
		FRs:         []assets.FR{assets.IAC, assets.UC}, Owner: "OT security lead", Evidence: "Jump host configuration review, 17 Nov 2026",
		Status: assets.CountermeasureImplemented},
	{Meta: assets.Meta{ID: "cm-diode"}, Name: "Hardware data diode from the SIS",
		Description: "SIS status leaves through a unidirectional gateway; nothing can be sent into the SIS zone.",
		AppliesTo:   []assets.Ref{{Kind: "zone", ID: ZoneSIS}, {Kind: "conduit", ID: "conduit-sis-scada"}},
		FRs:         []assets.FR{assets.UC, assets.RDF}, Owner: "Instrument engineer", Evidence: "Diode acceptance test report",
		Status: assets.CountermeasureImplemented},
	{Meta: assets.Meta{ID: "cm-ids-dosing"}, Name: "Passive IDS on the dosing network",
		Description: "Sensor on the dosing switch's mirror port; alerts reach the SCADA console.",
		AppliesTo:   []assets.Ref{{Kind: "zone", ID: ZoneDosing}},
		FRs:         []assets.FR{assets.TRE}, Owner: "SCADA administrator", Evidence: "Alert test, 18 Nov 2026",
		Status: assets.CountermeasureImplemented},
	{Meta: assets.Meta{ID: "cm-kiosk"}, Name: "Media kiosk scan and supervisor approval",
		Description: "Every USB stick for the filter PLCs is scanned at KIOSK-USB-01 and signed off by the shift supervisor.",
		AppliesTo:   []assets.Ref{{Kind: "zone", ID: ZoneFiltration}, {Kind: "conduit", ID: "conduit-usb-transfer"}},
		FRs:         []assets.FR{assets.SI}, Owner: "Shift supervisors", Evidence: "Kiosk log and approval book",
		Status: assets.CountermeasureImplemented},
	{Meta: assets.Meta{ID: "cm-offline-backup"}, Name: "Offline backups of PLC programs and server images",
		Description: "Monthly copies to encrypted disks kept in the works safe; first restore test planned for Q1 2027.",
		AppliesTo:   []assets.Ref{{Kind: "zone", ID: ZoneSCADA}},
		FRs:         []assets.FR{assets.RA}, Owner: "SCADA administrator", Status: assets.CountermeasurePlanned},
}

var demoRisks = []assets.Risk{
	{Meta: assets.Meta{ID: "risk-phishing"}, Title: "Phishing of a corporate user pivots towards the DMZ",
		Scope: assets.Ref{Kind: "audit"}, Stage: assets.StageInitial, ThreatSource: "Criminal group",
		Vector: "E-mail to office staff", Weakness: "Flat corporate network, shared credentials",
		Consequence: "Foothold one hop from the industrial DMZ", Attacker: 2,
		FRs: []assets.FR{assets.IAC, assets.RDF}, Likelihood: 4, Impact: 3},
	{Meta: assets.Meta{ID: "risk-vendor-ransomware"}, Title: "Ransomware reaches SCADA through vendor remote access",
		Scope: assets.Ref{Kind: "conduit", ID: "conduit-vendor-remote"}, Stage: assets.StageDetailed,
		ThreatSource: "Criminal group", Vector: "Compromised vendor laptop", Weakness: "Permanently enabled vendor account",
		Consequence: "Loss of view and control of the works for days", Attacker: 2,
		FRs: []assets.FR{assets.IAC, assets.UC, assets.RA}, Likelihood: 4, Impact: 4,
		Countermeasures: []string{"cm-jump-mfa"}, ResidualLikelihood: 2, ResidualImpact: 4},
	{Meta: assets.Meta{ID: "risk-dosing"}, Title: "Deliberate manipulation of chlorine dosing set-points",
		Scope: assets.Ref{Kind: "zone", ID: ZoneDosing}, Stage: assets.StageInitial,
		ThreatSource: "Skilled, motivated attacker", Vector: "Engineering access to the dosing PLCs",
		Weakness: "Unauthenticated PLC protocol, shared project password", Consequence: "Over- or under-dosing of drinking water",
		Attacker: 3, FRs: []assets.FR{assets.IAC, assets.UC, assets.SI, assets.RA}, Likelihood: 3, Impact: 5,
		Countermeasures: []string{"cm-ids-dosing"}},
	{Meta: assets.Meta{ID: "risk-sis"}, Title: "Tampering with the chlorine gas detection trip",
		Scope: assets.Ref{Kind: "zone", ID: ZoneSIS}, Stage: assets.StageInitial,
		ThreatSource: "Skilled, motivated attacker", Vector: "SIS engineering laptop", Weakness: "Laptop also used on the office network",
		Consequence: "Trip fails on demand; staff and neighbours exposed", Attacker: 3,
		FRs: []assets.FR{assets.SI, assets.RDF}, Likelihood: 2, Impact: 5, Countermeasures: []string{"cm-diode"}},
	{Meta: assets.Meta{ID: "risk-usb"}, Title: "Malware on a USB stick reaches the filter PLCs",
		Scope: assets.Ref{Kind: "zone", ID: ZoneFiltration}, Stage: assets.StageDetailed,
		ThreatSource: "Untargeted malware", Vector: "Contractor USB stick", Weakness: "Program updates travel on removable media",
		Consequence: "Filter runs stop or pass turbid water", Attacker: 2, FRs: []assets.FR{assets.UC, assets.SI},
		Likelihood: 3, Impact: 4, Countermeasures: []string{"cm-kiosk"}, ResidualLikelihood: 2, ResidualImpact: 3},
	{Meta: assets.Meta{ID: "risk-mistake"}, Title: "Operator mistake changes a filter set-point",
		Scope: assets.Ref{Kind: "zone", ID: ZoneFiltration}, Stage: assets.StageInitial,
		ThreatSource: "Operator", Vector: "HMI", Weakness: "No confirmation on set-point changes",
		Consequence: "Shorter filter runs", Attacker: 0, FRs: []assets.FR{assets.SI}, Likelihood: 3, Impact: 2},
}

var demoCapabilities = []assets.Capability{
	{Meta: assets.Meta{ID: "cap-s7-1516"}, Vendor: "Siemens", Model: "S7-1516-3 PN/DP", ComponentType: "edr",
		Certificate: &assets.Certificate{Scheme: "IEC 62443-4-2", Issuer: "Demo certification body", Number: "DEMO-42-0001",
			Level: 2, Date: "2025-06-30", Evidence: "Certificate copy in the vendor file"},
		Notes: "Demo data: the certificate is made up."},
	{Meta: assets.Meta{ID: "cap-controllogix"}, Vendor: "Rockwell Automation", Model: "ControlLogix 1756-L83E", ComponentType: "edr",
		SLC: assets.SLVector{2, 2, 2, 1, 2, 1, 2}, Notes: "From the vendor's security manual (demo data)."},
	{Meta: assets.Meta{ID: "cap-rsp35"}, Vendor: "Hirschmann", Model: "RSP35", ComponentType: "ndr",
		SLC: assets.SLVector{2, 2, 2, 2, 2, 1, 2}, Notes: "Demo data."},
	{Meta: assets.Meta{ID: "cap-plc104"}, Asset: "asset-plc104", ComponentType: "edr",
		SLC: assets.SLVector{1, 1, 1, 0, 1, 0, 1}, Notes: "End-of-life CPU: no password on the project, no integrity checks."},
	{Meta: assets.Meta{ID: "cap-himax"}, Vendor: "HIMA", Model: "HIMax X-CPU 31", ComponentType: "edr",
		SLC: assets.SLVector{2, 2, 3, 1, 2, 1, 3}, Notes: "Demo data."},
}

// sltReasons are the zones whose SL-T the asset owner set against the
// risk register's suggestion, and why.
var sltReasons = map[string]string{
	ZoneDosing: "The owner keeps the typed-in levels: DC and TRE at 2 because recipes are not secret but tampering must be seen; RDF at 3 as for every zone that can harm public health.",
	ZoneSIS:    "SIL 2 function: the owner sets SL 3 in every FR regardless of the scenarios rated so far.",
}

func seedRisk(ctx context.Context, w *app.Workspace) error {
	for _, cm := range demoCountermeasures {
		if _, err := w.SaveCountermeasure(cm); err != nil {
			return fmt.Errorf("countermeasure %s: %w", cm.ID, err)
		}
	}
	for _, r := range demoRisks {
		if _, err := w.SaveRisk(r); err != nil {
			return fmt.Errorf("risk %s: %w", r.ID, err)
		}
	}
	for _, cp := range demoCapabilities {
		if _, err := w.SaveCapability(cp); err != nil {
			return fmt.Errorf("capability %s: %w", cp.ID, err)
		}
	}
	for zone, reason := range sltReasons {
		z, ok := w.Zone(zone)
		if !ok {
			return fmt.Errorf("zone %s missing", zone)
		}
		if _, err := w.OverrideSLT(zone, z.SLT, reason); err != nil {
			return fmt.Errorf("SL-T of %s: %w", zone, err)
		}
	}
	return nil
}
