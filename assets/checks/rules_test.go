package checks

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

func run(t *testing.T, m *Model) []Finding {
	t.Helper()
	fs, err := Run(m)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return fs
}

func byRule(fs []Finding, rule string) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func TestCleanModelRaisesNothing(t *testing.T) {
	for _, f := range run(t, cleanModel()) {
		t.Errorf("clean model raised %s: %s", f.RuleID, f.Title)
	}
}

// ruleCase breaks the clean model in one place. When raise is true the rule
// must raise exactly one finding on subject whose title contains each of
// title; when false, it must raise none.
type ruleCase struct {
	rule     string
	name     string
	mutate   func(m *Model)
	raise    bool
	subject  assets.Ref
	title    []string
	severity Severity // checked when set
	covers   int      // checked when set
	refs     []string // must be among the references
}

var (
	zref     = func(id string) assets.Ref { return assets.Ref{Kind: "zone", ID: id} }
	cref     = func(id string) assets.Ref { return assets.Ref{Kind: "conduit", ID: id} }
	auditRef = assets.Ref{Kind: "audit", ID: "audit"}
)

var ruleCases = []ruleCase{
	// ZW-AUDIT-001
	{rule: "ZW-AUDIT-001", name: "never reviewed", raise: true, subject: auditRef,
		mutate: func(m *Model) { m.Audit.ReviewedAt = "" }, title: []string{`audit "Riverside WTW" has no recorded review`}},
	{rule: "ZW-AUDIT-001", name: "reviewed 12 months and a day ago", raise: true, subject: auditRef,
		mutate: func(m *Model) { m.Audit.ReviewedAt = "2024-05-31" }, title: []string{"last reviewed on 2024-05-31", "2025-06-01"}},
	{rule: "ZW-AUDIT-001", name: "unreadable date", raise: true, subject: auditRef,
		mutate: func(m *Model) { m.Audit.ReviewedAt = "31/05/2024" }, title: []string{`"31/05/2024" is not a date`}},
	{rule: "ZW-AUDIT-001", name: "reviewed exactly 12 months ago",
		mutate: func(m *Model) { m.Audit.ReviewedAt = "2024-06-01" }},
	{rule: "ZW-AUDIT-001", name: "no audit description yet",
		mutate: func(m *Model) { m.Audit = assets.Audit{} }},

	// ZW-ZONE-001
	{rule: "ZW-ZONE-001", name: "new zone with nothing in it", raise: true, subject: zref("new"),
		mutate: func(m *Model) {
			m.Zones = append(m.Zones, assets.Zone{Meta: assets.Meta{ID: "new"}, Name: "Spare",
				SLT: assets.UniformSL(1), Rationale: approved("spare")})
		}, title: []string{`zone "Spare" has no assets`}},
	{rule: "ZW-ZONE-001", name: "only asset deleted", raise: true, subject: zref("ent"),
		mutate: func(m *Model) { m.asset("a-erp").Deleted = true }, title: []string{`zone "Enterprise"`}},
	{rule: "ZW-ZONE-001", name: "deleted zone without assets",
		mutate: func(m *Model) {
			m.Zones = append(m.Zones, assets.Zone{Meta: assets.Meta{ID: "old", Deleted: true}, Name: "Old"})
		}},

	// ZW-ZONE-002
	{rule: "ZW-ZONE-002", name: "no SL-T", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) { m.zone("ctl").SLT = assets.SLVector{} }, title: []string{`zone "Control" has no SL-T`}},
	{rule: "ZW-ZONE-002", name: "SL-T missing two FRs", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) { m.zone("ctl").SLT = assets.SLVector{2, 2, 2, 0, 2, 0, 2} },
		title:  []string{"FR 4 DC, FR 6 TRE"}},
	{rule: "ZW-ZONE-002", name: "SL-T set for every FR with different levels",
		mutate: func(m *Model) { m.zone("ctl").SLT = assets.SLVector{2, 2, 3, 1, 2, 1, 2} }},

	// ZW-ZONE-003
	{rule: "ZW-ZONE-003", name: "approval but no reasoning", raise: true, subject: zref("dmz"),
		mutate: func(m *Model) {
			m.zone("dmz").Rationale = assets.Rationale{ApprovedBy: "J. Smith", ApprovedAt: "2025-01-10"}
		}, title: []string{`zone "DMZ" has SL-T 2 but no risk rationale`, "no likelihood rating"}},
	{rule: "ZW-ZONE-003", name: "consequences rated, likelihood not", raise: true, subject: zref("dmz"),
		mutate: func(m *Model) {
			m.zone("dmz").Rationale = assets.Rationale{Safety: 4, ApprovedBy: "J. Smith", ApprovedAt: "2025-01-10"}
		}, title: []string{"no likelihood rating, no rationale text"}},
	{rule: "ZW-ZONE-003", name: "ratings without text are enough",
		mutate: func(m *Model) { m.zone("dmz").Rationale.Text = "" }},
	{rule: "ZW-ZONE-003", name: "no SL-T: reported by ZW-ZONE-002 instead",
		mutate: func(m *Model) { m.zone("dmz").SLT = assets.SLVector{}; m.zone("dmz").Rationale = assets.Rationale{} }},

	// ZW-ZONE-004
	{rule: "ZW-ZONE-004", name: "no approver", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedBy = " " }, title: []string{"approval has a date but no approver"}},
	{rule: "ZW-ZONE-004", name: "no approval date", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedAt = "" }, title: []string{`zone "Safety" SL-T 3 approval by "J. Smith, plant manager" has no date`}},
	{rule: "ZW-ZONE-004", name: "never approved", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedAt, m.zone("sis").Rationale.ApprovedBy = "", "" },
		title:  []string{`zone "Safety" SL-T 3 has no record of asset-owner approval`}},
	{rule: "ZW-ZONE-004", name: "approved, old approval is ZW-ZONE-005's business",
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedAt = "2020-01-01" }},

	// ZW-ZONE-005
	{rule: "ZW-ZONE-005", name: "approved 2.5 years ago", raise: true, subject: zref("sis"),
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedAt = "2023-01-01" }, title: []string{"last approved on 2023-01-01"}},
	{rule: "ZW-ZONE-005", name: "approved 11 months ago",
		mutate: func(m *Model) { m.zone("sis").Rationale.ApprovedAt = "2024-07-01" }},

	// ZW-ZONE-006
	{rule: "ZW-ZONE-006", name: "one FR short by one", raise: true, subject: zref("ctl"), severity: Medium,
		mutate: func(m *Model) { m.SLA["ctl"] = assets.SLVector{2, 2, 1, 2, 2, 2, 2} },
		title:  []string{`zone "Control" SL-A is below its SL-T for 1 FR`}, refs: []string{"62443-3-3 FR 3"}},
	{rule: "ZW-ZONE-006", name: "two FRs, one short by two", raise: true, subject: zref("sis"), severity: High,
		mutate: func(m *Model) { m.SLA["sis"] = assets.SLVector{3, 1, 3, 3, 2, 3, 3} },
		title:  []string{"for 2 FRs"}, refs: []string{"62443-3-3 FR 2", "62443-3-3 FR 5"}},
	{rule: "ZW-ZONE-006", name: "zone not scored",
		mutate: func(m *Model) { delete(m.SLA, "ctl"); m.SLA["ent"] = assets.UniformSL(4) }},
	{rule: "ZW-ZONE-006", name: "no scores at all",
		mutate: func(m *Model) { m.SLA = nil }},

	// ZW-ZONE-007
	{rule: "ZW-ZONE-007", name: "BPCS PLC in the SIS zone", raise: true, subject: zref("sis"), covers: 1,
		mutate: func(m *Model) { m.add(asset("a-plc2", "PLC-102", assets.TypePLC, "sis", assets.Purdue1, "10.1.0.12")) },
		title:  []string{`zone "Safety" holds safety controller "SIS-1" together with 1 non-safety asset`}},
	{rule: "ZW-ZONE-007", name: "safety zone's own switch, firewall, field devices, engineering station and panel",
		mutate: func(m *Model) {
			m.add(asset("a-sw", "SW-SIS", assets.TypeNetwork, "sis", assets.Purdue1, "10.1.0.2"),
				asset("a-fw", "FW-SIS", assets.TypeFirewall, "sis", assets.Purdue1, "10.1.0.1"),
				asset("a-xv", "XV-310", assets.TypeSensor, "sis", assets.Purdue0),
				asset("a-sisews", "EWS-SIS", assets.TypeEWS, "sis", assets.Purdue1, "10.1.0.50"),
				asset("a-sishmi", "HMI-SIS", assets.TypeHMI, "sis", assets.Purdue1, "10.1.0.60"))
		}},

	// ZW-ZONE-008
	{rule: "ZW-ZONE-008", name: "PLC with an active radio", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) { m.asset("a-plc").Wireless = true }, title: []string{`zone "Control" mixes 1 wireless device with 1 wired asset`}},
	{rule: "ZW-ZONE-008", name: "access point in control zone", raise: true, subject: zref("ctl"), covers: 1,
		mutate: func(m *Model) { m.add(asset("a-ap", "AP-1", assets.TypeWireless, "ctl", assets.Purdue2, "10.2.0.99")) },
		title:  []string{"with 2 wired assets"}},
	{rule: "ZW-ZONE-008", name: "wireless-only zone",
		mutate: func(m *Model) {
			m.Zones = append(m.Zones, assets.Zone{Meta: assets.Meta{ID: "wl"}, Name: "Wireless",
				SLT: assets.UniformSL(2), Rationale: approved("radio")})
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-wl"}, Name: "Radio link", From: "wl", To: "ctl",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "Modbus"})
			ap := asset("a-ap", "AP-1", assets.TypeWireless, "wl", assets.Purdue2, "10.7.0.1")
			rtu := asset("a-rtu", "RTU-7", assets.TypeRTU, "wl", assets.Purdue1, "10.7.0.2")
			rtu.Wireless = true
			m.add(ap, rtu)
		}},

	// ZW-ZONE-009
	{rule: "ZW-ZONE-009", name: "laptop recorded in control zone", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) { m.asset("a-laptop").Zone = "ctl" },
		title:  []string{`zone "Control" holds transient device "LAP-1" among 2 permanent assets`}},
	{rule: "ZW-ZONE-009", name: "one laptop and the kiosk", raise: true, subject: zref("tr"),
		mutate: func(m *Model) {
			m.add(asset("a-kiosk", "KIOSK-1", assets.TypeWorkstation, "tr", assets.Purdue2, "10.9.0.9"))
		},
		title: []string{`zone "Transient" holds transient device "LAP-1" among 1 permanent asset`}},
	{rule: "ZW-ZONE-009", name: "two laptops and the kiosk: a zone for transient devices",
		mutate: func(m *Model) {
			m.add(asset("a-kiosk", "KIOSK-1", assets.TypeWorkstation, "tr", assets.Purdue2, "10.9.0.9"),
				asset("a-lap2", "LAP-2", assets.TypeTransient, "tr", assets.Purdue2, "10.9.0.6"))
		}},
	{rule: "ZW-ZONE-009", name: "second laptop in the transient zone",
		mutate: func(m *Model) {
			m.add(asset("a-lap2", "LAP-2", assets.TypeTransient, "tr", assets.Purdue2, "10.9.0.6"))
		}},

	// ZW-ZONE-010
	{rule: "ZW-ZONE-010", name: "declared L2 and L4", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) { m.zone("ctl").PurdueLevels = []assets.Purdue{assets.Purdue2, assets.Purdue4} },
		title:  []string{`zone "Control" spans Purdue levels L2, L4`}},
	{rule: "ZW-ZONE-010", name: "undeclared levels taken from assets", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) {
			m.zone("ctl").PurdueLevels = nil
			m.asset("a-hmi").Purdue = assets.Purdue5
		}, title: []string{"L1, L5"}},
	{rule: "ZW-ZONE-010", name: "site operations with DMZ",
		mutate: func(m *Model) { m.zone("dmz").PurdueLevels = []assets.Purdue{assets.Purdue3, assets.Purdue35} }},

	// ZW-ASSET-001
	{rule: "ZW-ASSET-001", name: "asset not assigned", raise: true, subject: auditRef, covers: 1,
		mutate: func(m *Model) { m.asset("a-plc").Zone = "" }, title: []string{`asset "PLC-101" has no zone`}},
	{rule: "ZW-ASSET-001", name: "asset names a missing zone", raise: true, subject: auditRef, covers: 2,
		mutate: func(m *Model) { m.asset("a-plc").Zone = ""; m.asset("a-hmi").Zone = "gone" },
		title:  []string{"2 assets have no zone"}},
	{rule: "ZW-ASSET-001", name: "deleted asset without zone",
		mutate: func(m *Model) {
			m.asset("a-plc").Zone = ""
			m.asset("a-plc").Deleted = true
			m.asset("a-hmi").Zone = "ctl"
		}},

	// ZW-ASSET-002
	{rule: "ZW-ASSET-002", name: "two assets of one zone", raise: true, subject: zref("ctl"), covers: 2,
		mutate: func(m *Model) { m.asset("a-plc").Firmware = ""; m.asset("a-hmi").Firmware = " " },
		title:  []string{`2 assets in zone "Control" have no firmware`}},
	{rule: "ZW-ASSET-002", name: "unzoned asset reported on the audit", raise: true, subject: auditRef, covers: 1,
		mutate: func(m *Model) { m.asset("a-plc").Firmware = ""; m.asset("a-plc").Zone = "" },
		title:  []string{`asset "PLC-101" outside any zone has no firmware`}},
	{rule: "ZW-ASSET-002", name: "firmware recorded",
		mutate: func(m *Model) { m.asset("a-plc").Firmware = "V4.5.2" }},

	// ZW-ASSET-005
	{rule: "ZW-ASSET-005", name: "one tag twice, case and spaces aside", raise: true, subject: auditRef, covers: 2,
		mutate: func(m *Model) { m.asset("a-hmi").Tag = " plc-101" }, title: []string{`tag "PLC-101" is used by 2 assets`}},
	{rule: "ZW-ASSET-005", name: "a deleted asset with the tag",
		mutate: func(m *Model) { m.asset("a-hmi").Tag = "PLC-101"; m.asset("a-hmi").Deleted = true }},
	{rule: "ZW-ASSET-005", name: "untagged assets do not clash",
		mutate: func(m *Model) { m.asset("a-hmi").Tag = ""; m.asset("a-plc").Tag = "" }},

	// ZW-ASSET-003
	{rule: "ZW-ASSET-003", name: "EOL PLC", raise: true, subject: zref("ctl"), severity: Medium,
		mutate: func(m *Model) { m.asset("a-plc").EndOfLife = true },
		title:  []string{`asset "PLC-101" in zone "Control" is no longer supported`}},
	{rule: "ZW-ASSET-003", name: "EOL critical PLC", raise: true, subject: zref("ctl"), severity: High,
		mutate: func(m *Model) {
			m.asset("a-plc").EndOfLife = true
			m.asset("a-plc").Criticality = assets.CriticalityCrit
		}, title: []string{"PLC-101"}},
	{rule: "ZW-ASSET-003", name: "critical but supported",
		mutate: func(m *Model) { m.asset("a-plc").Criticality = assets.CriticalityCrit }},

	// ZW-ASSET-004
	{rule: "ZW-ASSET-004", name: "SIS without SL-C 3", raise: true, subject: zref("sis"), covers: 1,
		mutate: func(m *Model) { m.asset("a-sis").SLC = 2 },
		title:  []string{`asset "SIS-1" in zone "Safety" has no SL-C 3 or 4-2 certificate (zone SL-T 3 for every FR)`}},
	{rule: "ZW-ASSET-004", name: "SL-T 4 in one FR", raise: true, subject: zref("sis"), covers: 1,
		mutate: func(m *Model) { m.zone("sis").SLT[assets.SI] = 4 }, title: []string{"SL-C 4", "(zone SL-T 4 for FR 3 SI)"}},
	{rule: "ZW-ASSET-004", name: "networked field device counts", raise: true, subject: zref("sis"), covers: 1,
		mutate: func(m *Model) { m.asset("a-pt").SLC = 0; m.asset("a-pt").IPs = []string{"10.1.0.40"} }, title: []string{`"PT-301"`}},
	{rule: "ZW-ASSET-004", name: "hard-wired field device without SL-C",
		mutate: func(m *Model) { m.asset("a-pt").SLC = 0 }},
	{rule: "ZW-ASSET-004", name: "low SL-C but certificate",
		mutate: func(m *Model) { m.asset("a-sis").SLC = 0; m.asset("a-sis").Certificate = "TÜV 62443-4-2 SL2 #123" }},
	{rule: "ZW-ASSET-004", name: "SL-T 2 zone needs no SL-C evidence",
		mutate: func(m *Model) { m.asset("a-plc").SLC = 0 }},

	// ZW-CONDUIT-001
	{rule: "ZW-CONDUIT-001", name: "no controls", raise: true, subject: cref("c-ctl-sis"),
		mutate: func(m *Model) { m.conduit("c-ctl-sis").Controls = nil },
		title:  []string{`conduit "Control to Safety" between zone "Control" and zone "Safety" has no documented controls`}},
	{rule: "ZW-CONDUIT-001", name: "IDS only still counts as documented",
		mutate: func(m *Model) { m.conduit("c-ent-dmz").Controls = []assets.Control{assets.ControlIDS} }},

	// ZW-CONDUIT-002
	{rule: "ZW-CONDUIT-002", name: "blank policy", raise: true, subject: cref("c-remote"),
		mutate: func(m *Model) { m.conduit("c-remote").Policy = " \n" },
		title:  []string{`conduit "Vendor remote access" between zone "DMZ" and outside the system under consideration has no policy`}},
	{rule: "ZW-CONDUIT-002", name: "policy written",
		mutate: func(m *Model) { m.conduit("c-remote").Policy = "x" }},

	// ZW-CONDUIT-003
	{rule: "ZW-CONDUIT-003", name: "enterprise straight to control", raise: true, subject: cref("c-x"), severity: High,
		mutate: func(m *Model) {
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-x"}, Name: "ERP to PLC", From: "ent", To: "ctl",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "MES orders"})
		}, title: []string{`conduit "ERP to PLC" joins zone "Enterprise" (L4) directly to zone "Control" (L1, L2) with no DMZ`}},
	{rule: "ZW-CONDUIT-003", name: "outside straight to control", raise: true, subject: cref("c-x"), severity: Critical,
		mutate: func(m *Model) {
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-x"}, Name: "4G router", From: "ctl",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "telemetry"})
		}, title: []string{"outside the system under consideration (L5)"}},
	{rule: "ZW-CONDUIT-003", name: "enterprise to control zone without declared levels, from its assets", raise: true,
		subject: cref("c-ctl-sis"),
		mutate: func(m *Model) {
			m.zone("sis").PurdueLevels = nil
			m.asset("a-pt").Purdue = assets.Purdue4 // a mis-levelled asset makes the SIS zone "business" too
		}, title: []string{`zone "Safety" (L1, L4)`}},
	{rule: "ZW-CONDUIT-003", name: "enterprise to site operations",
		mutate: func(m *Model) {
			m.zone("ctl").PurdueLevels = []assets.Purdue{assets.Purdue3}
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-x"}, Name: "ERP to MES", From: "ent", To: "ctl",
				Controls: []assets.Control{assets.ControlFirewall}, Policy: "MES orders"})
		}},

	// ZW-CONDUIT-004
	{rule: "ZW-CONDUIT-004", name: "SL1 to SL3 over a VPN only", raise: true, subject: cref("c-x"),
		mutate: func(m *Model) {
			m.zone("ent").PurdueLevels = []assets.Purdue{assets.Purdue3}
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-x"}, Name: "Office to SIS", From: "ent", To: "sis",
				Controls: []assets.Control{assets.ControlVPN}, Policy: "reports"})
		}, title: []string{`conduit "Office to SIS" joins zone "Enterprise" (SL-T 1) and zone "Safety" (SL-T 3) without firewall`, "for every FR"}},
	{rule: "ZW-CONDUIT-004", name: "outside to SL2 zone without firewall", raise: true, subject: cref("c-remote"),
		mutate: func(m *Model) {
			c := m.conduit("c-remote")
			c.Controls = slices.DeleteFunc(c.Controls, func(x assets.Control) bool { return x == assets.ControlFirewall })
		}, title: []string{"outside the system under consideration (untrusted, SL 0)"}},
	{rule: "ZW-CONDUIT-004", name: "SL1 to SL3 through a data diode",
		mutate: func(m *Model) {
			m.Conduits = append(m.Conduits, assets.Conduit{Meta: assets.Meta{ID: "c-x"}, Name: "Office to SIS", From: "sis", To: "dmz",
				Controls: []assets.Control{assets.ControlDataDiode}, Policy: "reports", Direction: assets.FromToTo})
			m.zone("dmz").SLT = assets.UniformSL(1)
		}},
	{rule: "ZW-CONDUIT-004", name: "levels one apart, no firewall",
		mutate: func(m *Model) { m.conduit("c-ctl-sis").Controls = []assets.Control{assets.ControlIDS} }},
	{rule: "ZW-CONDUIT-004", name: "unset FR on one side is not a gap",
		mutate: func(m *Model) {
			m.zone("sis").SLT = assets.SLVector{3, 3, 3, 0, 3, 3, 3}
			m.zone("ctl").SLT = assets.SLVector{2, 2, 2, 2, 2, 2, 2}
			m.conduit("c-ctl-sis").Controls = []assets.Control{assets.ControlIDS}
		}},

	// ZW-CONDUIT-005
	{rule: "ZW-CONDUIT-005", name: "no approval", raise: true, subject: cref("c-remote"), severity: High,
		mutate: func(m *Model) {
			m.conduit("c-remote").Controls = []assets.Control{assets.ControlFirewall, assets.ControlMFA, assets.ControlSessionTermination}
		}, title: []string{`remote-access conduit "Vendor remote access" into zone "DMZ" lacks per-session approval`}},
	{rule: "ZW-CONDUIT-005", name: "VPN with password only", raise: true, subject: cref("c-remote"), severity: Critical,
		mutate: func(m *Model) {
			m.conduit("c-remote").Controls = []assets.Control{assets.ControlFirewall, assets.ControlVPN}
		}, title: []string{"lacks authentication (mfa or jump-host), per-session approval, session termination"}},
	{rule: "ZW-CONDUIT-005", name: "jump host instead of MFA",
		mutate: func(m *Model) {
			m.conduit("c-remote").Controls = []assets.Control{assets.ControlFirewall, assets.ControlJumpHost,
				assets.ControlApproval, assets.ControlSessionTermination}
		}},
	{rule: "ZW-CONDUIT-005", name: "not remote access",
		mutate: func(m *Model) { m.conduit("c-ent-dmz").Controls = []assets.Control{assets.ControlFirewall} }},

	// ZW-CONDUIT-006
	{rule: "ZW-CONDUIT-006", name: "laptop without media scanning", raise: true, subject: cref("c-laptop"),
		mutate: func(m *Model) { m.conduit("c-laptop").Controls = []assets.Control{assets.ControlApproval} },
		title:  []string{`temporary conduit "Maintenance laptop" between zone "Transient" and zone "Control" has no media scanning`}},
	{rule: "ZW-CONDUIT-006", name: "USB with nothing", raise: true, subject: cref("c-laptop"),
		mutate: func(m *Model) { m.conduit("c-laptop").Controls = []assets.Control{assets.ControlFirewall} },
		title:  []string{"has no approval or media scanning"}},
	{rule: "ZW-CONDUIT-006", name: "permanent conduit without either",
		mutate: func(m *Model) {
			m.conduit("c-laptop").Temporary = false
			m.conduit("c-laptop").Controls = []assets.Control{assets.ControlFirewall}
		}},

	// ZW-CONDUIT-007
	{rule: "ZW-CONDUIT-007", name: "HMI with a leg in the enterprise subnet", raise: true, subject: zref("ctl"), covers: 2,
		mutate: func(m *Model) { m.asset("a-hmi").IPs = append(m.asset("a-hmi").IPs, "10.4.0.77") },
		title:  []string{`zones "Control" and "Enterprise" share 10.4.0.0/24 but no conduit joins them`}},
	{rule: "ZW-CONDUIT-007", name: "two shared subnets, CIDR and IPv6 forms", raise: true, subject: zref("ctl"),
		mutate: func(m *Model) {
			m.asset("a-erp").IPs = append(m.asset("a-erp").IPs, "fd00:1::10")
			m.asset("a-hmi").IPs = []string{"10.4.0.21/24", "fd00:1::21"}
		}, title: []string{"share 2 subnets"}},
	{rule: "ZW-CONDUIT-007", name: "shared subnet where a conduit exists",
		mutate: func(m *Model) { m.asset("a-hist").IPs = append(m.asset("a-hist").IPs, "10.4.0.50") }},
	{rule: "ZW-CONDUIT-007", name: "firewall legs in both subnets",
		mutate: func(m *Model) {
			m.add(asset("a-fw", "FW-1", assets.TypeFirewall, "ctl", assets.Purdue2, "10.2.0.1", "10.4.0.1"))
		}},
	{rule: "ZW-CONDUIT-007", name: "link-local and loopback addresses",
		mutate: func(m *Model) {
			m.asset("a-erp").IPs = append(m.asset("a-erp").IPs, "169.254.1.1", "127.0.0.1", "fe80::1%eth0")
			m.asset("a-plc").IPs = append(m.asset("a-plc").IPs, "169.254.1.2", "127.0.0.1", "fe80::2")
		}},
}

func TestRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			m := cleanModel()
			if tc.mutate != nil {
				tc.mutate(m)
			}
			got := byRule(run(t, m), tc.rule)
			if !tc.raise {
				for _, f := range got {
					t.Errorf("raised %q, want nothing", f.Title)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("raised %d findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if f.Subject != tc.subject {
				t.Errorf("subject %+v, want %+v", f.Subject, tc.subject)
			}
			for _, want := range tc.title {
				if !strings.Contains(f.Title+" "+f.Detail, want) {
					t.Errorf("title %q / detail %q lacks %q", f.Title, f.Detail, want)
				}
			}
			if tc.severity != 0 && f.Severity != tc.severity {
				t.Errorf("severity %s, want %s", f.Severity, tc.severity)
			}
			if tc.covers != 0 && len(f.Covers) != tc.covers {
				t.Errorf("covers %v, want %d records", f.Covers, tc.covers)
			}
			for _, r := range tc.refs {
				if !slices.Contains(f.References, r) {
					t.Errorf("references %v lack %q", f.References, r)
				}
			}
			r, _ := RuleByID(tc.rule)
			if f.Recommendation != r.Advice || f.Status != StatusOpen || f.Source != SourceRule {
				t.Errorf("finding not filled from the rule: %+v", f)
			}
			// Rules with several findings per subject key them (conduit pair, tag).
			if f.ID != RuleFindingID(tc.rule, f.Subject, "") && tc.rule != "ZW-CONDUIT-007" && tc.rule != "ZW-ASSET-005" && tc.rule != "ZW-TRAFFIC-001" && tc.rule != "ZW-CAP-002" {
				t.Errorf("ID %s is not derived from rule and subject", f.ID)
			}
			if err := f.Validate(); err != nil {
				t.Errorf("raised an invalid finding: %v", err)
			}
		})
	}
}

// Every rule must have a case that raises it and one that does not.
func TestEveryRuleHasCases(t *testing.T) {
	raise, quiet := map[string]bool{}, map[string]bool{}
	for _, tc := range ruleCases {
		if _, ok := RuleByID(tc.rule); !ok {
			t.Errorf("case %q names unknown rule %s", tc.name, tc.rule)
		}
		if tc.raise {
			raise[tc.rule] = true
		} else {
			quiet[tc.rule] = true
		}
	}
	for _, r := range Rules() {
		if !raise[r.ID] || !quiet[r.ID] {
			t.Errorf("rule %s: raising case %v, quiet case %v; want both", r.ID, raise[r.ID], quiet[r.ID])
		}
	}
}

var refPattern = regexp.MustCompile(`^62443-(2-1 (ORG|CM|NET|COMP|DATA|USER|EVENT|AVAIL) \d+\.\d+|3-2 ZCR \d+(\.\d+)?|3-3 SR \d+\.\d+( RE \d+)?|3-3 FR [1-7]|4-2 CR \d+\.\d+)$`)

func TestCatalogue(t *testing.T) {
	seen := map[string]bool{}
	idPattern := regexp.MustCompile(`^ZW-(AUDIT|ZONE|ASSET|CAP|CONDUIT|TRAFFIC|RISK)-\d{3}$`)
	for _, r := range Rules() {
		if !idPattern.MatchString(r.ID) || seen[r.ID] {
			t.Errorf("rule ID %q malformed or repeated", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || len(r.Explanation) < 60 || len(r.Advice) < 40 || !r.Severity.Valid() || r.check == nil {
			t.Errorf("rule %s incomplete: %+v", r.ID, r)
		}
		if len(r.References) == 0 {
			t.Errorf("rule %s cites nothing", r.ID)
		}
		for _, ref := range r.References {
			if !refPattern.MatchString(ref) {
				t.Errorf("rule %s: reference %q is not of a known form", r.ID, ref)
			}
		}
	}
}

func TestRunNeedsToday(t *testing.T) {
	m := cleanModel()
	m.Today = time.Time{}
	if _, err := Run(m); !errors.Is(err, ErrNoToday) {
		t.Fatalf("Run without Today: %v, want ErrNoToday", err)
	}
}

// A broken model raises many findings; their IDs are unique, and the
// result does not depend on the order records arrive in.
func TestRunDeterministic(t *testing.T) {
	m := cleanModel()
	for _, tc := range ruleCases {
		if tc.raise && tc.rule != "ZW-CONDUIT-003" && tc.rule != "ZW-CONDUIT-004" {
			tc.mutate(m)
		}
	}
	first := run(t, m)
	if len(first) < 15 {
		t.Fatalf("broken model raised only %d findings", len(first))
	}
	ids := map[string]bool{}
	for _, f := range first {
		if ids[f.ID] {
			t.Errorf("ID %s raised twice", f.ID)
		}
		ids[f.ID] = true
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		rng.Shuffle(len(m.Assets), func(i, j int) { m.Assets[i], m.Assets[j] = m.Assets[j], m.Assets[i] })
		rng.Shuffle(len(m.Zones), func(i, j int) { m.Zones[i], m.Zones[j] = m.Zones[j], m.Zones[i] })
		rng.Shuffle(len(m.Conduits), func(i, j int) { m.Conduits[i], m.Conduits[j] = m.Conduits[j], m.Conduits[i] })
		again := run(t, m)
		if len(again) != len(first) {
			t.Fatalf("shuffled model raised %d findings, first run %d", len(again), len(first))
		}
		for i := range first {
			a, b := first[i], again[i]
			if a.ID != b.ID || a.Title != b.Title || a.Detail != b.Detail || !slices.Equal(a.Covers, b.Covers) {
				t.Fatalf("finding %d differs after shuffle:\n%+v\n%+v", i, a, b)
			}
		}
	}
	for i := 1; i < len(first); i++ {
		if first[i-1].Severity < first[i].Severity {
			t.Fatalf("findings not most severe first at %d", i)
		}
	}
}

// TestDuplicateTagFindingKeepsItsID: the finding on a repeated tag is keyed
// by the tag, so the auditor's status survives however the records change.
func TestDuplicateTagFindingKeepsItsID(t *testing.T) {
	m := cleanModel()
	m.asset("a-hmi").Tag = "PLC-101"
	fs, err := Run(m)
	if err != nil {
		t.Fatal(err)
	}
	want := RuleFindingID("ZW-ASSET-005", auditRef, "plc-101")
	var found bool
	for _, f := range fs {
		if f.RuleID == "ZW-ASSET-005" {
			found = f.ID == want
		}
	}
	if !found {
		t.Fatalf("no ZW-ASSET-005 finding with ID %s", want)
	}
}
