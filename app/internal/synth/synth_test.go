package synth

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app/traffic/oui"
)

func pcapOf(t testing.TB, o Options) ([]byte, []Flow) {
	t.Helper()
	var buf bytes.Buffer
	flows, err := WritePcap(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), flows
}

func key(f Flow) flowKey { return flowKey{f.Client, f.Server, f.Transport, f.ServerPort} }

// TestSmallGolden checks the small scenario against packet and byte counts
// worked out by hand from the protocol layouts (frames of 54 bytes of
// headers for TCP, 42 for UDP, padded to 60).
func TestSmallGolden(t *testing.T) {
	data, flows := pcapOf(t, Options{Scenario: "small"})
	const hs = 6 * 60 // SYN, SYN-ACK, ACK, FIN, FIN, ACK
	want := []struct {
		client, server string
		port           uint16
		proto          string
		packets, bytes int64
		ops            []string
	}{
		// 4 exchanges of 2. Requests: 12-byte PDUs (66), write multiple 17 (71).
		// Responses: 10 registers 29 (83) twice, write single 12 (66), write multiple 12 (66).
		{"10.2.1.10", "10.1.1.10", 502, "modbus", 6 + 8, hs + 66 + 83 + 66 + 83 + 66 + 66 + 71 + 66,
			[]string{"read holding registers", "read input registers", "write multiple registers", "write single register"}},
		// COTP CR and CC 22 (76); setup 25/27 (79/81); read 2 items 43/33 (97/87);
		// write 1 item 37/22 (91/76); PLC stop 33/20 (87/74).
		{"10.2.1.20", "10.1.1.20", 102, "s7comm", 6 + 10, hs + 76 + 76 + 79 + 81 + 97 + 87 + 91 + 76 + 87 + 74,
			[]string{"plc stop", "read variable", "setup communication", "write variable"}},
		// Read: 15 bytes of user data in one block: 10+15+2 = 27 (81); its
		// response 60 bytes in 4 blocks: 10+60+8 = 78 (132). Operate: 21 user
		// bytes, 2 blocks: 35 (89); response 23 bytes: 37 (91).
		{"10.2.1.10", "10.1.1.30", 20000, "dnp3", 6 + 4, hs + 81 + 132 + 89 + 91, []string{"direct operate", "read"}},
		{"10.4.1.50", "10.1.1.10", 502, "modbus", 6 + 2, hs + 66 + 83, []string{"read holding registers"}},
		// historian.plant.local: 12 + 23 + 4 = 39 (81); answer +16 = 55 (97).
		{"10.4.1.50", "10.3.1.5", 53, "dns", 2, 81 + 97, nil},
		{"10.4.1.50", "10.3.1.5", 123, "ntp", 2, 90 + 90, nil},
		// 517 (571); 3000 = 1460+1460+80 (1514, 1514, 134) with the client's
		// ACK after two full segments; 400 (454); 1200 (1254).
		{"10.4.1.51", "10.3.1.6", 443, "https", 6 + 1 + 3 + 1 + 1 + 1, hs + 571 + 1514 + 1514 + 134 + 60 + 454 + 1254, nil},
		// 19 (73) twice; 300 (354); 1500 = 1460+40 (1514, 94).
		{"10.2.1.20", "10.3.1.8", 3389, "rdp", 6 + 2 + 1 + 2, hs + 73 + 73 + 354 + 1514 + 94, nil},
		// 120 (174), 250 (304), 120 (174), 5000 = 3×1460+620 (1514×3, 674) and one ACK.
		{"10.4.1.51", "10.3.1.7", 445, "smb", 6 + 2 + 1 + 4 + 1, hs + 174 + 304 + 174 + 3*1514 + 674 + 60, nil},
		// 21 (75), 41 (95), 100 (154), 200 (254).
		{"10.4.1.51", "10.3.1.8", 22, "ssh", 6 + 4, hs + 75 + 95 + 154 + 254, nil},
	}
	if len(flows) != len(want) {
		t.Fatalf("%d flows, want %d", len(flows), len(want))
	}
	var frames int64
	for i, w := range want {
		f := flows[i]
		if f.Client.String() != w.client || f.Server.String() != w.server || f.ServerPort != w.port || f.Protocol != w.proto {
			t.Errorf("flow %d: %v → %v:%d %s, want %s → %s:%d %s", i, f.Client, f.Server, f.ServerPort, f.Protocol, w.client, w.server, w.port, w.proto)
		}
		if f.Conns != 1 || f.Packets != w.packets || f.Bytes != w.bytes {
			t.Errorf("flow %d (%s): %d conns, %d packets, %d bytes; want 1, %d, %d", i, w.proto, f.Conns, f.Packets, f.Bytes, w.packets, w.bytes)
		}
		if !slices.Equal(f.Ops, w.ops) {
			t.Errorf("flow %d (%s): ops %q, want %q", i, w.proto, f.Ops, w.ops)
		}
		frames += w.packets
	}
	d := decodePcap(t, bytes.NewReader(data))
	if d.frames != frames {
		t.Errorf("%d frames in the capture, want %d", d.frames, frames)
	}
	if d.badChecksums != 0 {
		t.Errorf("%d bad checksums", d.badChecksums)
	}
}

// TestGroundTruth compares what WritePcap returns with what decoding its
// capture gives, flow by flow, for the generated plant.
func TestGroundTruth(t *testing.T) {
	for _, o := range []Options{
		{Seed: 1, Hosts: 60, Bytes: 3 << 20},
		{Seed: 2, Hosts: 300, Bytes: 6 << 20},
	} {
		data, flows := pcapOf(t, o)
		d := decodePcap(t, bytes.NewReader(data))
		if d.badChecksums != 0 {
			t.Errorf("%+v: %d bad checksums", o, d.badChecksums)
		}
		if d.minLen < 60 || d.maxLen > 1514 {
			t.Errorf("%+v: frames of %d to %d bytes", o, d.minLen, d.maxLen)
		}
		if n := int64(len(data)); n < o.Bytes || n > o.Bytes+o.Bytes/4 {
			t.Errorf("%+v: capture of %d bytes", o, n)
		}
		if len(flows) != len(d.flows) {
			t.Errorf("%+v: %d flows returned, %d in the capture", o, len(flows), len(d.flows))
		}
		var frames int64
		for _, f := range flows {
			g := d.flows[key(f)]
			if g == nil {
				t.Errorf("flow %v → %v:%d not in the capture", f.Client, f.Server, f.ServerPort)
				continue
			}
			slices.Sort(g.Ops)
			if f.Conns != g.Conns || f.Packets != g.Packets || f.Bytes != g.Bytes || f.Protocol != g.Protocol ||
				f.ClientMAC != g.ClientMAC || f.ServerMAC != g.ServerMAC || !slices.Equal(f.Ops, g.Ops) {
				t.Errorf("flow %v → %v:%d:\n returned %+v\n decoded  %+v", f.Client, f.Server, f.ServerPort, f, *g)
			}
			frames += f.Packets
		}
		if frames != d.frames {
			t.Errorf("%d frames in the flows, %d in the capture", frames, d.frames)
		}
	}
}

// TestPlant checks the plant's shape: every host present, MACs of the
// right vendors, the protocols and operations, the L4 → L1 conduits.
func TestPlant(t *testing.T) {
	const hosts = 5000
	_, flows := pcapOf(t, Options{Seed: 3, Hosts: hosts, Bytes: 24 << 20})
	addrs := map[netip.Addr]bool{}
	protos := map[string]int{}
	ops := map[string]bool{}
	conduits := 0
	vendorOK := map[uint16][]string{
		102:   {"Siemens AG", "Siemens AG,"},
		502:   {"Schneider Electric", "TELEMECANIQUE ELECTRIQUE", "Rockwell Automation"},
		20000: {"SCHWEITZER ENGINEERING"},
	}
	for _, f := range flows {
		addrs[f.Client], addrs[f.Server] = true, true
		protos[f.Protocol]++
		for _, op := range f.Ops {
			ops[f.Protocol+": "+op] = true
		}
		c, s := f.Client.As4(), f.Server.As4()
		if c[0] != 10 || c[1] < 1 || c[1] > 4 || s[0] != 10 || s[1] < 1 || s[1] > 4 {
			t.Errorf("flow %v → %v outside the zones", f.Client, f.Server)
		}
		if c[1] == 4 && s[1] == 1 {
			conduits++
		}
		if ok := vendorOK[f.ServerPort]; ok != nil && !slices.Contains(ok, oui.Vendor(f.ServerMAC)) {
			t.Errorf("server %v on %d has a MAC of %q", f.Server, f.ServerPort, oui.Vendor(f.ServerMAC))
		}
		if v := oui.Vendor(f.ClientMAC); c[1] == 4 && v != "Dell Inc." && v != "Hewlett Packard" {
			t.Errorf("PC %v has a MAC of %q", f.Client, v)
		}
	}
	if len(addrs) != hosts {
		t.Errorf("%d hosts in the capture, want %d", len(addrs), hosts)
	}
	for _, p := range []string{"modbus", "s7comm", "dnp3", "https", "rdp", "smb", "ssh", "dns", "ntp"} {
		if protos[p] == 0 {
			t.Errorf("no %s flow", p)
		}
	}
	for _, op := range []string{"modbus: read holding registers", "modbus: read input registers", "modbus: write single register",
		"modbus: write multiple registers", "s7comm: read variable", "s7comm: write variable", "s7comm: setup communication",
		"dnp3: read", "dnp3: direct operate"} {
		if !ops[op] {
			t.Errorf("no %s", op)
		}
	}
	if conduits < 3 {
		t.Errorf("%d flows from L4 to L1, want the 3 conduits", conduits)
	}
}

func sum256(b []byte) string { return fmt.Sprintf("%x", sha256.Sum256(b)) }

func TestDeterministic(t *testing.T) {
	o := Options{Seed: 42, Hosts: 100, Bytes: 2 << 20}
	a, fa := pcapOf(t, o)
	b, fb := pcapOf(t, o)
	if sum256(a) != sum256(b) {
		t.Error("same seed, different captures")
	}
	if fmt.Sprint(fa) != fmt.Sprint(fb) {
		t.Error("same seed, different ground truth")
	}
	o.Seed = 43
	if c, _ := pcapOf(t, o); sum256(a) == sum256(c) {
		t.Error("another seed, same capture")
	}
	o.Seed = 42
	var logs [2]string
	for i := range logs {
		dir := t.TempDir()
		fz, err := WriteZeek(dir, o)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(fz) != fmt.Sprint(fa) {
			t.Error("WriteZeek's ground truth differs from WritePcap's")
		}
		for _, f := range []string{"conn.log", "modbus.log"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			logs[i] += sum256(b)
		}
	}
	if logs[0] != logs[1] {
		t.Error("same seed, different Zeek logs")
	}
}

// zeekLog is a TSV log read by its #fields line.
type zeekLog struct {
	fields []string
	types  []string
	rows   []map[string]string
	path   string
	closed bool
}

func readZeek(t *testing.T, path string) *zeekLog {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := &zeekLog{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		s := sc.Text()
		if line == 1 && s != `#separator \x09` {
			t.Fatalf("%s: first line %q", path, s)
		}
		if strings.HasPrefix(s, "#") {
			k, v, _ := strings.Cut(s, "\t")
			switch k {
			case "#fields":
				z.fields = strings.Split(v, "\t")
			case "#types":
				z.types = strings.Split(v, "\t")
			case "#path":
				z.path = v
			case "#close":
				z.closed = true
			}
			continue
		}
		if z.fields == nil {
			t.Fatalf("%s:%d: data before #fields", path, line)
		}
		vals := strings.Split(s, "\t")
		if len(vals) != len(z.fields) {
			t.Fatalf("%s:%d: %d values for %d fields", path, line, len(vals), len(z.fields))
		}
		row := map[string]string{}
		for i, f := range z.fields {
			row[f] = vals[i]
		}
		z.rows = append(z.rows, row)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(z.types) != len(z.fields) || !z.closed {
		t.Fatalf("%s: %d types for %d fields, closed %v", path, len(z.types), len(z.fields), z.closed)
	}
	return z
}

func zeekTime(ts time.Time) string { return fmt.Sprintf("%d.%06d", ts.Unix(), ts.Nanosecond()/1000) }

// TestZeekMatchesPcap checks each conn.log and modbus.log line against the
// packets of the same connection in the capture.
func TestZeekMatchesPcap(t *testing.T) {
	for _, o := range []Options{
		{Scenario: "small"},
		{Seed: 5, Hosts: 150, Bytes: 4 << 20},
		{Seed: 6, Hosts: 80, Bytes: 1 << 20, OldConnLog: true, ZeekMACs: true},
	} {
		data, _ := pcapOf(t, o)
		d := decodePcap(t, bytes.NewReader(data))
		dir := t.TempDir()
		if _, err := WriteZeek(dir, o); err != nil {
			t.Fatal(err)
		}
		conn := readZeek(t, filepath.Join(dir, "conn.log"))
		wantFields := "ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration orig_bytes resp_bytes conn_state " +
			"local_orig local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents"
		if !o.OldConnLog {
			wantFields += " ip_proto"
		}
		if o.ZeekMACs {
			wantFields += " orig_l2_addr resp_l2_addr"
		}
		if got := strings.Join(conn.fields, " "); got != wantFields || conn.path != "conn" {
			t.Fatalf("conn.log #path %q, #fields %q", conn.path, got)
		}
		if len(conn.rows) != len(d.conns) {
			t.Errorf("%d conn.log lines, %d connections in the capture", len(conn.rows), len(d.conns))
		}
		service := map[uint16]string{502: "modbus", 102: "-", 20000: "dnp3", 443: "ssl", 445: "smb", 3389: "rdp", 22: "ssh", 53: "dns", 123: "ntp"}
		uids := map[string]*decodedConn{}
		for i, r := range conn.rows {
			op, _ := strconv.Atoi(r["id.orig_p"])
			rp, _ := strconv.Atoi(r["id.resp_p"])
			tr := uint8(6)
			if r["proto"] == "udp" {
				tr = 17
			}
			k := connKey{netip.MustParseAddr(r["id.orig_h"]), netip.MustParseAddr(r["id.resp_h"]), uint16(op), uint16(rp), tr}
			c := d.conns[k]
			if c == nil {
				t.Errorf("line %d: no connection %v in the capture", i+1, k)
				continue
			}
			if uids[r["uid"]] != nil || !strings.HasPrefix(r["uid"], "C") {
				t.Errorf("line %d: uid %q repeated or malformed", i+1, r["uid"])
			}
			uids[r["uid"]] = c
			want := map[string]string{
				"ts":            zeekTime(c.first),
				"service":       service[k.respPort],
				"duration":      fmt.Sprintf("%.6f", c.last.Sub(c.first).Seconds()),
				"orig_bytes":    fmt.Sprint(c.payload[0]),
				"resp_bytes":    fmt.Sprint(c.payload[1]),
				"conn_state":    "SF",
				"missed_bytes":  "0",
				"history":       string(c.hist),
				"orig_pkts":     fmt.Sprint(c.pkts[0]),
				"orig_ip_bytes": fmt.Sprint(c.ipBytes[0]),
				"resp_pkts":     fmt.Sprint(c.pkts[1]),
				"resp_ip_bytes": fmt.Sprint(c.ipBytes[1]),
			}
			if !o.OldConnLog {
				want["ip_proto"] = fmt.Sprint(tr)
			}
			if o.ZeekMACs {
				want["orig_l2_addr"] = macString(c.clientMAC)
				want["resp_l2_addr"] = macString(c.serverMAC)
			}
			for f, w := range want {
				if r[f] != w {
					t.Errorf("conn.log line %d (%v): %s = %q, want %q", i+1, k, f, r[f], w)
				}
			}
		}

		mb := readZeek(t, filepath.Join(dir, "modbus.log"))
		if got := strings.Join(mb.fields, " "); got != "ts uid id.orig_h id.orig_p id.resp_h id.resp_p tid unit func pdu_type exception" {
			t.Fatalf("modbus.log #fields %q", got)
		}
		zeekFunc := map[byte]string{3: "READ_HOLDING_REGISTERS", 4: "READ_INPUT_REGISTERS", 6: "WRITE_SINGLE_REGISTER", 16: "WRITE_MULTIPLE_REGISTERS"}
		perUID := map[string][]map[string]string{}
		for _, r := range mb.rows {
			perUID[r["uid"]] = append(perUID[r["uid"]], r)
		}
		nmsg := 0
		for uid, c := range uids {
			if c.key.respPort != 502 {
				continue
			}
			rows := perUID[uid]
			if len(rows) != len(c.modbus) {
				t.Errorf("uid %s: %d modbus.log lines, %d Modbus messages in the capture", uid, len(rows), len(c.modbus))
				continue
			}
			for i, m := range c.modbus {
				pdu := "RESP"
				if m.req {
					pdu = "REQ"
				}
				r := rows[i]
				if r["ts"] != zeekTime(m.ts) || r["tid"] != fmt.Sprint(m.tid) || r["func"] != zeekFunc[m.fc] || r["pdu_type"] != pdu ||
					r["unit"] != "1" || r["exception"] != "-" || r["id.orig_h"] != c.key.orig.String() || r["id.resp_p"] != "502" {
					t.Errorf("uid %s message %d: line %v, packet %+v", uid, i, r, m)
				}
			}
			nmsg += len(rows)
		}
		if nmsg != len(mb.rows) || nmsg == 0 {
			t.Errorf("%d modbus.log lines, %d matched to Modbus connections", len(mb.rows), nmsg)
		}
	}
}

func macString(m [6]byte) string {
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

// TestSmallZeekGolden checks one conn.log line worked out by hand: the
// conduit's Modbus read (12-byte request, 29-byte response).
func TestSmallZeekGolden(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteZeek(dir, Options{Scenario: "small"}); err != nil {
		t.Fatal(err)
	}
	conn := readZeek(t, filepath.Join(dir, "conn.log"))
	n := 0
	for _, r := range conn.rows {
		if r["id.orig_h"] != "10.4.1.50" || r["id.resp_p"] != "502" {
			continue
		}
		n++
		// Originator: SYN, ACK, request, FIN, ACK = 40+40+52+40+40 IP bytes.
		// Responder: SYN-ACK, response, FIN = 40+69+40.
		got := strings.Join([]string{r["proto"], r["service"], r["orig_bytes"], r["resp_bytes"], r["conn_state"], r["history"],
			r["orig_pkts"], r["orig_ip_bytes"], r["resp_pkts"], r["resp_ip_bytes"], r["ip_proto"]}, " ")
		if want := "tcp modbus 12 29 SF ShADdFf 5 212 3 149 6"; got != want {
			t.Errorf("conduit line: %q, want %q", got, want)
		}
	}
	if n != 1 {
		t.Errorf("%d conduit lines", n)
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{{Hosts: 5}, {Hosts: 50000}, {Bytes: -1}, {Scenario: "huge"}} {
		if _, err := WritePcap(io.Discard, o); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: err %v, want ErrOptions", o, err)
		}
		if _, err := WriteZeek(t.TempDir(), o); !errors.Is(err, ErrOptions) {
			t.Errorf("WriteZeek %+v: err %v, want ErrOptions", o, err)
		}
	}
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	data, _ := pcapOf(t, Options{Scenario: "small", Start: start})
	d := decodePcap(t, bytes.NewReader(data))
	if first := d.order[0].first; first.Before(start) || first.After(start.Add(time.Millisecond)) {
		t.Errorf("first packet at %v, start %v", first, start)
	}
}

// heapWatch samples the heap every 4 MB written and keeps the peak.
type heapWatch struct {
	n, next int64
	peak    uint64
	sample  []metrics.Sample
}

func (h *heapWatch) Write(p []byte) (int, error) {
	h.n += int64(len(p))
	if h.n >= h.next {
		h.next = h.n + 4<<20
		metrics.Read(h.sample)
		h.peak = max(h.peak, h.sample[0].Value.Uint64())
	}
	return len(p), nil
}

// TestMemoryBounded streams 300 MB and checks that the heap stays small:
// memory is the plant and the open connections, not the capture.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("300 MB of capture")
	}
	runtime.GC()
	h := &heapWatch{sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
	metrics.Read(h.sample)
	base := h.sample[0].Value.Uint64()
	if _, err := WritePcap(h, Options{Seed: 9, Hosts: 5000, Bytes: 300 << 20}); err != nil {
		t.Fatal(err)
	}
	if h.n < 300<<20 {
		t.Fatalf("only %d bytes written", h.n)
	}
	grew := int64(h.peak) - int64(base)
	t.Logf("%d MB written, heap peak %.1f MB above the start", h.n>>20, float64(grew)/(1<<20))
	if grew > 50<<20 {
		t.Errorf("heap grew by %d MB", grew>>20)
	}
}
