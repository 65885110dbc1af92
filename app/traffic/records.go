// Package traffic turns what a packet capture or a set of Zeek logs saw into
// hosts and flows: who talked to whom, over which protocol, doing what. It
// reads through the pcap and zeek readers and names operations with dissect;
// of the audit it knows only the records it produces. Matching them to the
// inventory, zones and conduits is the app's business.
package traffic

import (
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// Op is one kind of operation seen on a flow, e.g. {modbus, write multiple
// registers, write}.
type Op struct {
	Protocol string `json:"protocol"`
	Name     string `json:"name"`
	Kind     string `json:"kind"` // dissect.Kind's name: read, write, program, control, command, …
}

// Changes reports whether the operation changes what a device does or
// holds: a write, a program transfer, a start/stop, a command.
func (o Op) Changes() bool {
	switch o.Kind {
	case "write", "program", "control", "command":
		return true
	}
	return false
}

// Source describes one imported capture or set of Zeek logs. Its ID is
// derived from the content's SHA-256 and the importing device, so the
// same file imported twice on one laptop is recognised, and two laptops
// that imported it never write the same record.
type Source struct {
	assets.Meta
	Name        string       `json:"name"`   // file or folder name as given
	SHA256      string       `json:"sha256"` // of the file, or of the sorted list of log files and their hashes
	Size        int64        `json:"size"`
	Format      string       `json:"format"` // "pcap", "pcapng", "zeek"
	Files       []SourceFile `json:"files,omitempty"`
	First       time.Time    `json:"first,omitzero"`
	Last        time.Time    `json:"last,omitzero"`
	Packets     int64        `json:"packets,omitempty"`
	Connections int64        `json:"connections,omitempty"`
	Bytes       int64        `json:"bytes,omitempty"`
	Hosts       int          `json:"hosts"`
	Flows       int          `json:"flows"`
	Skipped     []string     `json:"skipped,omitempty"` // what was not read and why
	Damage      string       `json:"damage,omitempty"`  // "damaged at byte N, K packets read"
	ImportedAt  time.Time    `json:"imported_at"`
}

// SourceFile is one Zeek log of a source.
type SourceFile struct {
	Name    string `json:"name"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
	Type    string `json:"type"`              // conn, modbus, …
	Records int64  `json:"records,omitempty"` // lines read
	Skipped string `json:"skipped,omitempty"`
}

// Host is an address seen in one source.
type Host struct {
	assets.Meta
	Source  string    `json:"source"`
	IP      string    `json:"ip,omitempty"`
	MACs    []string  `json:"macs,omitempty"` // lower case, colon separated; routers' MACs left out
	Vendor  string    `json:"vendor,omitempty"`
	VLANs   []int     `json:"vlans,omitempty"`
	First   time.Time `json:"first,omitzero"`
	Last    time.Time `json:"last,omitzero"`
	Packets int64     `json:"packets"`
	Bytes   int64     `json:"bytes"`
	Roles   []string  `json:"roles,omitempty"` // e.g. "Modbus server", "engineering client"
}

// Key is what identifies the host across sources: its IP, or its MAC
// when it spoke no IP.
func (h *Host) Key() string {
	if h.IP != "" {
		return h.IP
	}
	if len(h.MACs) > 0 {
		return h.MACs[0]
	}
	return ""
}

// Flow is the traffic from one client to one service of one server in one
// source: (client, server, transport, server port) with the protocol found.
type Flow struct {
	assets.Meta
	Source      string    `json:"source"`
	Client      string    `json:"client"` // IP, or MAC for frames without IP
	Server      string    `json:"server"`
	Transport   string    `json:"transport"`      // tcp, udp, icmp, ether
	Port        int       `json:"port,omitempty"` // server port; the EtherType for ether
	Protocol    string    `json:"protocol"`       // modbus, s7comm, https, …; "tcp/port" when unknown
	Connections int64     `json:"connections"`
	Packets     int64     `json:"packets"`
	Bytes       int64     `json:"bytes"`
	First       time.Time `json:"first,omitzero"`
	Last        time.Time `json:"last,omitzero"`
	Ops         []Op      `json:"ops,omitempty"`
}

// Changes reports whether any operation on the flow changes the server.
func (f *Flow) Changes() bool {
	for _, o := range f.Ops {
		if o.Changes() {
			return true
		}
	}
	return false
}

// Result is what one import produced, ready to be stored.
type Result struct {
	Source Source
	Hosts  []Host
	Flows  []Flow
}

// What the auditor decided about a host seen on the network but not in the
// inventory.
const (
	DecisionAccept = "accept" // a new asset was made for it
	DecisionMerge  = "merge"  // it is an existing asset (its address was added)
	DecisionIgnore = "ignore" // not part of the system under consideration
)

// Decision records the auditor's decision on one observed host. Its ID is
// the host's key, so two laptops deciding differently conflict, as they
// should.
type Decision struct {
	assets.Meta
	Host   string `json:"host"`
	Action string `json:"action"`
	Asset  string `json:"asset,omitempty"` // the asset made or merged into
	Note   string `json:"note,omitempty"`
}
