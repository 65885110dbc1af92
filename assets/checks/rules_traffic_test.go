package checks

import (
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// seen adds an observed flow between two addresses of the fixture (or any
// other address); assets are matched by their IP as the app would.
func seen(m *Model, client, server, protocol string, port int, changes bool, ops ...string) {
	if m.Observed == nil {
		m.Observed = &Observed{Windows: []CaptureWindow{{Name: "span.pcap",
			First: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), Last: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)}}}
	}
	byIP := func(ip string) string {
		for _, a := range m.Assets {
			for _, x := range a.IPs {
				if x == ip {
					return a.ID
				}
			}
		}
		return ""
	}
	f := ObservedFlow{Client: client, Server: server, ClientAsset: byIP(client), ServerAsset: byIP(server),
		Transport: "tcp", Port: port, Protocol: protocol, Ops: ops, Changes: changes, Connections: 1}
	m.Observed.Flows = append(m.Observed.Flows, f)
	for _, id := range []string{f.ClientAsset, f.ServerAsset} {
		if id != "" {
			m.Observed.SeenAssets = append(m.Observed.SeenAssets, id)
		}
	}
}

func init() {
	ruleCases = append(ruleCases, trafficCases...)
}

var trafficCases = []ruleCase{
	// ZW-TRAFFIC-001
	{rule: "ZW-TRAFFIC-001", name: "Modbus write from the enterprise into control", raise: true, subject: zref("ctl"),
		severity: Critical, covers: 1,
		mutate: func(m *Model) {
			seen(m, "10.4.0.10", "10.2.0.11", "modbus", 502, true, "write multiple registers")
		},
		title: []string{`traffic from zone "Enterprise" into zone "Control" with no conduit (1 flow)`, "10.4.0.10 → 10.2.0.11 modbus (tcp/502): write multiple registers"}},
	{rule: "ZW-TRAFFIC-001", name: "reads two levels apart are high, several flows one finding", raise: true, subject: zref("ctl"),
		severity: High, covers: 2,
		mutate: func(m *Model) {
			seen(m, "10.4.0.10", "10.2.0.11", "modbus", 502, false, "read holding registers")
			seen(m, "10.4.0.10", "10.2.0.21", "https", 443, false)
		},
		title: []string{"(2 flows)"}},
	{rule: "ZW-TRAFFIC-001", name: "a host outside the inventory programs a PLC", raise: true, subject: zref("ctl"),
		severity: Critical,
		mutate: func(m *Model) {
			seen(m, "10.2.0.250", "10.2.0.11", "s7comm", 102, true, "download block")
		},
		title: []string{"traffic from hosts outside the inventory into zone \"Control\""}},
	{rule: "ZW-TRAFFIC-001", name: "over a declared conduit, within a zone, an unknown host reading",
		mutate: func(m *Model) {
			seen(m, "10.35.0.10", "10.2.0.11", "opcua", 4840, false)
			seen(m, "10.2.0.21", "10.2.0.11", "modbus", 502, true, "write single register")
			seen(m, "10.2.0.250", "10.2.0.11", "modbus", 502, false, "read coils")
		}},
	{rule: "ZW-TRAFFIC-001", name: "no traffic imported"},

	// ZW-TRAFFIC-002
	{rule: "ZW-TRAFFIC-002", name: "PLC talks to a public address", raise: true, subject: zref("ctl"), covers: 1,
		mutate: func(m *Model) { seen(m, "10.2.0.11", "8.8.8.8", "dns", 53, false) },
		title:  []string{`zone "Control" exchanged traffic with public internet addresses`, "8.8.8.8"}},
	{rule: "ZW-TRAFFIC-002", name: "private, shared and documentation addresses",
		mutate: func(m *Model) {
			seen(m, "10.2.0.11", "192.168.1.1", "dns", 53, false)
			seen(m, "10.2.0.11", "100.64.0.1", "dns", 53, false)
			seen(m, "203.0.113.9", "10.2.0.11", "modbus", 502, false)
		}},

	// ZW-TRAFFIC-003
	{rule: "ZW-TRAFFIC-003", name: "Modbus over a conduit that lists OPC UA", raise: true, subject: cref("c-dmz-ctl"), covers: 1,
		mutate: func(m *Model) {
			m.conduit("c-dmz-ctl").Flows = []assets.Flow{{Protocol: "OPC UA", Ports: "4840"}}
			seen(m, "10.35.0.10", "10.2.0.11", "modbus", 502, false, "read holding registers")
			seen(m, "10.35.0.10", "10.2.0.11", "opcua", 4840, false)
		},
		title: []string{`conduit "DMZ to Control" carries traffic it does not list (1 flow)`, "Listed: OPC UA 4840", "modbus"}},
	{rule: "ZW-TRAFFIC-003", name: "listed by name, by port range or by transport/port",
		mutate: func(m *Model) {
			m.conduit("c-dmz-ctl").Flows = []assets.Flow{{Protocol: "Modbus/TCP"}, {Protocol: "VNC", Ports: "5900-5909"}, {Ports: "tcp/4840"}}
			seen(m, "10.35.0.10", "10.2.0.11", "modbus", 502, false)
			seen(m, "10.35.0.10", "10.2.0.21", "tcp/5901", 5901, false)
			seen(m, "10.35.0.10", "10.2.0.21", "opcua", 4840, false)
		}},
	{rule: "ZW-TRAFFIC-003", name: "a conduit that lists nothing allows everything (ZW-CONDUIT-002 asks for a policy)",
		mutate: func(m *Model) { seen(m, "10.35.0.10", "10.2.0.11", "modbus", 502, false) }},

	// ZW-TRAFFIC-004
	{rule: "ZW-TRAFFIC-004", name: "Telnet and FTP to a PLC", raise: true, subject: zref("ctl"), covers: 2,
		mutate: func(m *Model) {
			seen(m, "10.2.0.21", "10.2.0.11", "telnet", 23, false)
			seen(m, "10.2.0.21", "10.2.0.11", "ftp", 21, true, "store file")
		},
		title: []string{`cleartext administration (ftp, telnet) into zone "Control"`}},
	{rule: "ZW-TRAFFIC-004", name: "SSH into control, Telnet into the enterprise",
		mutate: func(m *Model) {
			seen(m, "10.2.0.21", "10.2.0.11", "ssh", 22, false)
			seen(m, "10.35.0.10", "10.4.0.10", "telnet", 23, false)
		}},

	// ZW-TRAFFIC-005
	{rule: "ZW-TRAFFIC-005", name: "two unknown hosts", raise: true, subject: auditRef, covers: 2,
		mutate: func(m *Model) {
			seen(m, "10.2.0.21", "10.2.0.11", "modbus", 502, false)
			m.Observed.Unknown = []string{"10.2.0.99", "10.2.0.98"}
		},
		title: []string{"2 hosts seen on the network are in no asset", "10.2.0.98, 10.2.0.99"}},
	{rule: "ZW-TRAFFIC-005", name: "every host known or ignored",
		mutate: func(m *Model) { seen(m, "10.2.0.21", "10.2.0.11", "modbus", 502, false) }},

	// ZW-TRAFFIC-006
	{rule: "ZW-TRAFFIC-006", name: "both zones seen, not the conduit", raise: true, subject: cref("c-dmz-ctl"), severity: Info,
		mutate: func(m *Model) {
			seen(m, "10.35.0.10", "10.4.0.10", "https", 443, false)
			seen(m, "10.2.0.21", "10.2.0.11", "modbus", 502, false)
		},
		title: []string{`conduit "DMZ to Control" between zone "DMZ" and zone "Control" is declared, but not observed between 2026-11-20 08:00 UTC and 2026-11-20 09:30 UTC`}},
	{rule: "ZW-TRAFFIC-006", name: "the conduit is used, or one zone was never seen",
		mutate: func(m *Model) {
			seen(m, "10.35.0.10", "10.2.0.11", "opcua", 4840, false)
			seen(m, "10.35.0.10", "10.4.0.10", "https", 443, false)
		}},
}
