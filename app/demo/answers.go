package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

func init() { Seeders = append(Seeders, seedAnswers) }

// demoAnswer is one verdict of the demo assessment.
type demoAnswer struct {
	item   string
	status checklist.Status
	ml     int
	note   string
}

const (
	met     = checklist.StatusMet
	partial = checklist.StatusPartial
	notMet  = checklist.StatusNotMet
	na      = checklist.StatusNA
)

// programAnswers is the part of the 2-1:2024 assessment done by the end of
// the site week: about half the items, the rest still open.
var programAnswers = []demoAnswer{
	{"ORG 1.1", partial, 2, "OT security policy approved by the board in 2025; its scope leaves out the remote pumping stations."},
	{"ORG 1.2", met, 3, "Staff vetted on hiring; contractors through the framework agreement, checked by the permit office."},
	{"ORG 1.3", partial, 2, "OT security lead named; RACI drafted but not signed. Unclear who approves firewall changes (IT or operations)."},
	{"ORG 1.4", partial, 2, "Annual e-learning is IT-oriented; operators have had no OT-specific session since 2024."},
	{"ORG 1.5", notMet, 1, "No security training records for control engineers or the SCADA administrator."},
	{"ORG 1.6", partial, 1, "New dosing contract has security clauses; the SCADA integrator's 2019 contract has none."},
	{"ORG 2.1", partial, 2, "2025 risk assessment: 6 of 14 actions closed, 3 overdue without a new date."},
	{"ORG 2.2", notMet, 1, "No vulnerability assessment or test of the OT network so far."},
	{"ORG 3.1", partial, 2, "Control room on badge access and key register kept, but cabinet CP-104 was found unlocked with an unknown device inside."},
	{"CM 1.1", partial, 2, "Inventory kept in a spreadsheet; firmware versions missing for about 40% of entries; the device in CP-104 is not in it."},
	{"CM 1.2", partial, 2, "Network drawing dated 2023; the legacy historian query from enterprise IT (C9) is not shown."},
	{"CM 1.3", notMet, 1, "No hardening baseline for HMIs, switches or firewalls."},
	{"CM 1.4", met, 2, "Management-of-change form covers PLC and SCADA changes; a security question was added in 2025."},
	{"NET 1.1", partial, 2, "Industrial DMZ in place, but the legacy historian query from enterprise IT reaches SCADA directly."},
	{"NET 1.2", partial, 2, "Zones documented in the 2026 risk study; conduit C9 and the radio links lack a written purpose."},
	{"NET 1.3", met, 3, "SIS sends status to SCADA only, through a data diode; separate cabinet and network."},
	{"NET 1.4", met, 2, "Works ran three days on local control during the 2025 corporate WAN outage."},
	{"NET 1.5", notMet, 1, "No procedure or named authority to disconnect the works from the corporate network."},
	{"NET 1.6", notMet, 1, "Unused switch ports active in the control room and in two field cabinets."},
	{"NET 1.8", partial, 2, "Browsers used on two engineering workstations to fetch vendor documents."},
	{"NET 1.9", met, 2, "SCADA servers act as NTP source from GPS clock; clocks checked within 1 s."},
	{"NET 2.1", met, 2, "Licensed UHF radio to the pumping stations with link encryption enabled; no Wi-Fi in process areas."},
	{"NET 2.2", met, 2, "Radio network is its own zone behind the SCADA firewall."},
	{"NET 3.1", notMet, 1, "Remote support software installed on EWS-01 by the integrator, outside the jump host."},
	{"NET 3.2", partial, 2, "Vendor access via the DMZ jump host with MFA, but sessions open without operator approval and are not recorded."},
	{"NET 3.3", notMet, 1, "No idle timeout on the jump host; operators do not know how to end a vendor session."},
	{"COMP 1.2", partial, 2, "Media kiosk in the gatehouse, but maintenance USB sticks are personal and also used on office PCs."},
	{"COMP 2.2", partial, 2, "Antivirus on servers and EWS; Windows 7 HMIs unprotected and without compensating measures."},
	{"COMP 3.2", partial, 2, "Server patches tested on the spare SCADA server first; HMI and network device patches not handled."},
	{"COMP 3.3", notMet, 1, "Nobody can say which patches are missing on the control system."},
	{"COMP 3.5", notMet, 1, "End-of-life S7-300 PLCs and Windows 7 HMIs have no documented compensating measures."},
	{"DATA 1.1", notMet, 1, "No classification of OT data; recipes and configurations held on an open share."},
	{"DATA 1.3", met, 3, "SIS program mode needs the key from the shift manager's safe; every use logged."},
	{"USER 1.1", met, 3, "Accounts issued through the OT domain on a signed request form."},
	{"USER 1.2", partial, 2, "Two leavers from 2026 still had active accounts on the operator HMIs."},
	{"USER 1.5", partial, 2, "Nine of twelve domain users in the OT admin group; only three need it."},
	{"USER 1.8", partial, 2, "Shared 'operator' login on all HMIs; engineers log in personally."},
	{"USER 1.9", partial, 2, "MFA for vendor remote access only; not for OT domain administrators."},
	{"USER 1.11", notMet, 1, "Device and service passwords kept in a spreadsheet on the engineering share."},
	{"USER 2.1", met, 2, "SCADA roles separate operator, engineer and administrator functions; tested on HMI-02."},
	{"USER 2.3", na, 0, "No action in this system is critical enough for a two-person rule; SIS bypass is a physical key."},
	{"EVENT 1.1", notMet, 1, "No monitoring of the control network; a new device would go unnoticed."},
	{"EVENT 1.2", partial, 2, "Operators would phone the IT service desk; no OT-specific reporting route."},
	{"EVENT 1.4", partial, 2, "Windows and firewall logs enabled, kept 14 days; PLC and switch logs not collected."},
	{"EVENT 1.7", notMet, 1, "Logs are not reviewed."},
	{"EVENT 1.8", partial, 2, "Corporate incident plan; OT annex in draft, never exercised with operations."},
	{"AVAIL 1.1", partial, 2, "Continuity plan covers power and flood, not loss of SCADA through a cyber event."},
	{"AVAIL 2.1", partial, 2, "PLC programs backed up quarterly; HMI and server images and switch configurations not."},
	{"AVAIL 2.3", notMet, 1, "Backups are not checked for completeness."},
	{"AVAIL 2.4", met, 2, "Backup copies on encrypted disks in the admin building safe."},
	{"AVAIL 2.5", notMet, 1, "No restore has ever been tested; the integrator is assumed to be able to do it."},
}

// zoneAssessment is the 3-3 assessment of one zone: every item counted as
// required up to metUpTo is Met unless answers says otherwise.
type zoneAssessment struct {
	zone    string
	metUpTo int
	answers []demoAnswer
}

var zoneAssessments = []zoneAssessment{
	{zone: ZoneSCADA, metUpTo: 2, answers: []demoAnswer{
		{"SR 1.1 RE 1", notMet, 0, "Shared 'operator' account on all HMIs."},
		{"SR 1.13 RE 1", partial, 0, "Jump host sessions need no on-site approval; the integrator's remote tool on EWS-01 bypasses it."},
		{"SR 2.6", partial, 0, "Jump host has no idle timeout; sessions can be ended only by IT."},
		{"SR 3.2 RE 1", partial, 0, "Files from the office reach EWS via the share without a scan."},
		{"SR 5.2 RE 1", partial, 0, "SCADA firewall allows the legacy historian query (C9) from the whole enterprise range."},
		{"SR 6.2", notMet, 0, "No IDS or log monitoring covers the zone."},
		{"SR 7.3 RE 1", notMet, 0, "No restore test of SCADA server images."},
	}},
	{zone: ZoneDosing, metUpTo: 2, answers: []demoAnswer{
		{"SR 1.1 RE 1", partial, 0, "Dosing HMI uses a shared engineer login for recipe changes."},
		{"SR 1.2 RE 1", notMet, 0, "PLC-to-HMI traffic unauthenticated (S7 protocol); same project password on all dosing PLCs."},
		{"SR 3.4", notMet, 0, "Dosing PLC logic is not compared with the approved version after maintenance."},
		{"SR 5.1 RE 2", met, 0, "Dosing network has no dependency on corporate DNS or directory."},
		{"SR 5.2 RE 2", met, 0, "Island mode tested in March 2026: dosing ran 6 hours with the SCADA link cut."},
		{"SR 5.2 RE 3", met, 0, "Boundary firewall fails closed (tested at SAT)."},
		{"SR 5.3 RE 1", met, 0, "No messaging or browsing software on dosing HMIs; blocked at the boundary."},
		{"SR 6.2", met, 0, "Passive IDS sensor on the dosing switch mirror port, alerts to the SCADA console."},
		{"SR 7.1 RE 1", notMet, 0, "No storm control or rate limits on the dosing switches."},
	}},
}

// Dates of the site week, so the demo reads the same on every run.
var demoDay = time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)

func seedAnswers(ctx context.Context, w *app.Workspace) error {
	zoneExists := func(id string) bool { _, ok := w.Zone(id); return ok }
	var list []checklist.Answer
	add := func(t *checklist.Template, zone string, d demoAnswer, by string) error {
		a := checklist.Answer{
			Template: t.ID, Item: d.item, Zone: zone, Status: d.status, Maturity: d.ml, Note: d.note,
			AnsweredBy: by, AnsweredAt: demoDay.Add(time.Duration(len(list)) * 7 * time.Minute).Format(time.RFC3339),
		}
		a.ID = checklist.AnswerID(a.Template, a.Item, a.Zone)
		if err := a.Validate(t, zoneExists); err != nil {
			return fmt.Errorf("demo answer: %w", err)
		}
		list = append(list, a)
		return nil
	}
	prog := checklist.BuiltinByID(checklist.IEC62443_2_1_2024)
	for _, d := range programAnswers {
		if err := add(prog, "", d, "A. Morgan"); err != nil {
			return err
		}
	}
	sr := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	for _, za := range zoneAssessments {
		given := map[string]demoAnswer{}
		for _, d := range za.answers {
			given[d.item] = d
		}
		for _, it := range sr.Items() {
			d, ok := given[it.ID]
			if !ok {
				if l := it.FirstLevel(); l == 0 || l > za.metUpTo {
					continue
				}
				d = demoAnswer{item: it.ID, status: met}
			}
			delete(given, it.ID)
			if err := add(sr, za.zone, d, "K. Osei"); err != nil {
				return err
			}
		}
		if len(given) > 0 {
			return fmt.Errorf("demo answers for unknown 3-3 items: %v", given)
		}
	}
	return w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range list {
			if err := tx.Put(app.KindAnswer, &list[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
