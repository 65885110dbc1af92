// Package synth generates synthetic plant traffic, deterministically, for
// the traffic readers' tests and benchmarks: the same traffic as a pcap
// capture ([WritePcap]) and as the conn.log and modbus.log that a Zeek
// sensor would have written for it ([WriteZeek]), each with the ground truth
// per flow.
//
// The plant has four zones, level n in 10.n.0.0/16 (one /24 after another,
// hosts .5 to .254): L1 PLCs and RTUs (Siemens MACs speaking S7comm on 102,
// Schneider and Rockwell MACs speaking Modbus/TCP on 502, SEL RTUs speaking
// DNP3 on 20000), L2 HMIs polling them and engineering stations writing to
// Siemens PLCs (and, in about one connection in a hundred, stopping one),
// L3 servers (DNS, NTP, SMB, HTTPS, RDP and SSH), L4 office PCs (HP, Dell)
// using the servers; and three undeclared conduits: L4 PCs reading L1 PLCs
// directly. About 30 % of connections are Modbus, 15 % S7comm and 24 % DNS;
// most bytes are SMB and HTTPS in 1514-byte frames, so 1 GB of capture is
// about 1.5 million frames.
//
// Every TCP connection has the three-way handshake, request and response
// segments (the receiver ACKing every second full segment), and FIN from
// the client, FIN from the server and a last ACK. UDP exchanges (DNS, NTP)
// are one datagram each way. Industrial payloads are complete PDUs; IT
// payloads start as their protocol does and go on with random filler.
package synth

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"time"

	"github.com/zonewalk/zonewalk/app/traffic/dissect"
)

// Options choose the traffic. The zero value is valid: 200 hosts, 8 MiB.
type Options struct {
	Seed int64 // the same Options give the same bytes
	// Hosts is the number of distinct IP hosts of the plant (default 200,
	// at least 20, at most 40,000). All are in any capture of at least
	// about 1 KB per host: the first connections visit every host.
	Hosts int
	// Bytes: no connection is opened once the capture (pcap headers
	// included) is this large, default 8 MiB; the open ones finish, and
	// their large responses are held back near the end, so the capture
	// comes out a little larger (1 GiB: +0.02 %).
	Bytes int64
	Start time.Time // of the first packet (default 2024-03-04 08:00 UTC)

	// Scenario "small" replaces the plant with ten fixed flows of one
	// connection each between eleven hosts (Hosts and Bytes are ignored):
	//
	//	10.2.1.10 → 10.1.1.10:502    Modbus: read holding, read input (10 registers each), write single, write multiple (2)
	//	10.2.1.20 → 10.1.1.20:102    S7comm: COTP connect, setup communication, read var (2 items), write var, PLC stop
	//	10.2.1.10 → 10.1.1.30:20000  DNP3: read (10 analog inputs answered), direct operate
	//	10.4.1.50 → 10.1.1.10:502    Modbus: read holding registers (the L4 → L1 conduit)
	//	10.4.1.50 → 10.3.1.5:53      DNS query (UDP)
	//	10.4.1.50 → 10.3.1.5:123     NTP (UDP)
	//	10.4.1.51 → 10.3.1.6:443     HTTPS: 517 → 3000 bytes, 400 → 1200
	//	10.2.1.20 → 10.3.1.8:3389    RDP: 19 → 19, 300 → 1500
	//	10.4.1.51 → 10.3.1.7:445     SMB: 120 → 250, 120 → 5000
	//	10.4.1.51 → 10.3.1.8:22      SSH: 21 → 41, 100 → 200
	//
	// "" (or "plant") is the generated plant.
	Scenario string

	// OldConnLog writes conn.log as Zeek 6.0 to 7.0 do, without the
	// ip_proto column that Zeek 7.1 appended.
	OldConnLog bool
	// ZeekMACs adds orig_l2_addr and resp_l2_addr to conn.log, as the
	// policy script protocols/conn/mac-logging does.
	ZeekMACs bool
}

// Flow is the ground truth for one client/server/port relation.
type Flow struct {
	Client, Server       netip.Addr
	ClientMAC, ServerMAC [6]byte
	Transport            uint8  // 6 TCP, 17 UDP
	ServerPort           uint16 // the client's ports vary per connection
	Protocol             string // dissect.ByPort's name: "modbus", "s7comm", "dnp3", "https", ...
	// Ops are the operations the client's requests carried, named as
	// dissect's code tables name them, sorted; nil for IT protocols.
	// Responses are not counted (DNP3's "response" is never listed).
	Ops []string
	// Conns is the number of connections, Packets the frames both ways,
	// Bytes the frames' bytes (Ethernet header to the end of the padding;
	// no pcap record headers).
	Conns, Packets, Bytes int64
}

// ErrOptions is wrapped by the errors of invalid Options.
var ErrOptions = errors.New("synth: invalid options")

func (o *Options) check() error {
	switch o.Scenario {
	case "", "plant", "small":
	default:
		return fmt.Errorf("%w: unknown scenario %q", ErrOptions, o.Scenario)
	}
	if o.Hosts == 0 {
		o.Hosts = 200
	}
	if o.Hosts < 20 || o.Hosts > 40000 {
		return fmt.Errorf("%w: %d hosts, want 20 to 40,000", ErrOptions, o.Hosts)
	}
	if o.Bytes == 0 {
		o.Bytes = 8 << 20
	}
	if o.Bytes < 0 {
		return fmt.Errorf("%w: %d bytes", ErrOptions, o.Bytes)
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2024, 3, 4, 8, 0, 0, 0, time.UTC)
	}
	return nil
}

// WritePcap writes the capture to w (pcap, Ethernet, microsecond) and
// returns the ground truth per flow that had a connection, in a fixed order.
func WritePcap(w io.Writer, o Options) ([]Flow, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(w, 1<<18)
	s, err := newPcapSink(bw)
	if err != nil {
		return nil, err
	}
	e := newEngine(o, s)
	if err := e.run(); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return e.flows(), nil
}

// flows is the ground truth of the run.
func (e *engine) flows() []Flow {
	var out []Flow
	for _, f := range e.plant.flows {
		if f.conns == 0 {
			continue
		}
		in := kindInfo[f.kind]
		fl := Flow{
			Client: f.client.addr, Server: f.server.addr,
			ClientMAC: f.client.mac, ServerMAC: f.server.mac,
			Transport: in.transport, ServerPort: in.port,
			Protocol: dissect.ByPort(in.transport, in.port),
			Conns:    f.conns, Packets: f.packets, Bytes: f.bytes,
		}
		for i, o := range opList {
			if f.ops&(1<<i) != 0 {
				fl.Ops = append(fl.Ops, opName(o.k, o.code))
			}
		}
		slices.Sort(fl.Ops)
		out = append(out, fl)
	}
	return out
}
