package synth

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Zeek's TSV logs. Columns, types and header lines are those of Zeek 6 and
// 7 (base/protocols/conn and base/protocols/modbus): conn.log gained
// ip_proto at its end in 7.1 (Options.OldConnLog leaves it out), and
// modbus.log has had tid, unit and pdu_type since 5.1, with one line per
// Modbus message: the request (REQ) and the response (RESP).

var (
	connFields = []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
		"duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes", "history",
		"orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes", "tunnel_parents"}
	connTypes = []string{"time", "string", "addr", "port", "addr", "port", "enum", "string",
		"interval", "count", "count", "string", "bool", "bool", "count", "string",
		"count", "count", "count", "count", "set[string]"}
	modbusFields = []string{"ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "tid", "unit", "func", "pdu_type", "exception"}
	modbusTypes  = []string{"time", "string", "addr", "port", "addr", "port", "count", "count", "string", "string", "string"}
)

// modbusFuncs are Zeek's names for the function codes generated
// (Modbus::function_codes).
var modbusFuncs = map[byte]string{
	fcReadHolding:   "READ_HOLDING_REGISTERS",
	fcReadInput:     "READ_INPUT_REGISTERS",
	fcWriteSingle:   "WRITE_SINGLE_REGISTER",
	fcWriteMultiple: "WRITE_MULTIPLE_REGISTERS",
}

// WriteZeek writes conn.log and modbus.log (TSV, Zeek's header lines and
// column order for Zeek 6/7) for the same traffic that WritePcap writes
// with the same Options, to dir (created if missing), and returns the same
// ground truth. conn.log has a line per connection, in the order they
// closed; local_orig and local_resp are T (a sensor's networks.cfg lists the
// plant's 10/8).
func WriteZeek(dir string, o Options) (flows []Flow, err error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	fc, err := os.Create(filepath.Join(dir, "conn.log"))
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, fc.Close()) }()
	fm, err := os.Create(filepath.Join(dir, "modbus.log"))
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, fm.Close()) }()

	s := &zeekSink{conn: bufio.NewWriterSize(fc, 1<<16), modbus: bufio.NewWriterSize(fm, 1<<16), o: o}
	cf, ct := connFields, connTypes
	if !o.OldConnLog {
		cf, ct = append(cf[:len(cf):len(cf)], "ip_proto"), append(ct[:len(ct):len(ct)], "count")
	}
	if o.ZeekMACs {
		cf, ct = append(cf[:len(cf):len(cf)], "orig_l2_addr", "resp_l2_addr"), append(ct[:len(ct):len(ct)], "string", "string")
	}
	open := o.Start.UTC().Format("2006-01-02-15-04-05")
	zeekHeader(s.conn, "conn", open, cf, ct)
	zeekHeader(s.modbus, "modbus", open, modbusFields, modbusTypes)

	e := newEngine(o, s)
	if err := e.run(); err != nil {
		return nil, err
	}
	closed := time.UnixMicro(e.now).UTC().Format("2006-01-02-15-04-05")
	for _, w := range []*bufio.Writer{s.conn, s.modbus} {
		w.WriteString("#close\t" + closed + "\n")
		if err := w.Flush(); err != nil {
			return nil, err
		}
	}
	return e.flows(), nil
}

func zeekHeader(w *bufio.Writer, path, open string, fields, types []string) {
	w.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
	w.WriteString("#path\t" + path + "\n#open\t" + open + "\n")
	w.WriteString("#fields\t" + strings.Join(fields, "\t") + "\n")
	w.WriteString("#types\t" + strings.Join(types, "\t") + "\n")
}

type zeekSink struct {
	conn, modbus *bufio.Writer
	o            Options
	line         []byte
}

func (s *zeekSink) packet(p *pkt) error {
	if p.modbus == 0 {
		return nil
	}
	c := p.c
	b := appendTS(s.line[:0], p.ts)
	b = append(b, '\t')
	b = appendUID(b, c.n)
	b = appendID(b, c)
	b = strconv.AppendUint(b, uint64(p.mbTID), 10)
	b = append(b, "\t1\t"...) // unit
	b = append(b, modbusFuncs[p.mbCode]...)
	if p.modbus == 1 {
		b = append(b, "\tREQ\t-\n"...)
	} else {
		b = append(b, "\tRESP\t-\n"...)
	}
	s.line = b
	_, err := s.modbus.Write(b)
	return err
}

func (s *zeekSink) connDone(c *conn) error {
	in := kindInfo[c.f.kind]
	b := appendTS(s.line[:0], c.start)
	b = append(b, '\t')
	b = appendUID(b, c.n)
	b = appendID(b, c)
	if in.transport == 17 {
		b = append(b, "udp\t"...)
	} else {
		b = append(b, "tcp\t"...)
	}
	if in.service == "" {
		b = append(b, '-')
	} else {
		b = append(b, in.service...)
	}
	b = append(b, '\t')
	b = appendDuration(b, c.last-c.start)
	for _, v := range []int64{c.bytes[0], c.bytes[1]} {
		b = append(b, '\t')
		b = strconv.AppendInt(b, v, 10)
	}
	b = append(b, "\tSF\tT\tT\t0\t"...)
	b = append(b, c.hist...)
	for _, v := range []int64{c.pkts[0], c.ipBytes[0], c.pkts[1], c.ipBytes[1]} {
		b = append(b, '\t')
		b = strconv.AppendInt(b, v, 10)
	}
	b = append(b, "\t-"...) // tunnel_parents
	if !s.o.OldConnLog {
		b = append(b, '\t')
		b = strconv.AppendUint(b, uint64(in.transport), 10)
	}
	if s.o.ZeekMACs {
		b = append(b, '\t')
		b = appendMAC(b, c.f.client.mac)
		b = append(b, '\t')
		b = appendMAC(b, c.f.server.mac)
	}
	b = append(b, '\n')
	s.line = b
	_, err := s.conn.Write(b)
	return err
}

// appendTS writes a time as Zeek does: seconds, six decimals.
func appendTS(b []byte, usec int64) []byte {
	b = strconv.AppendInt(b, usec/1e6, 10)
	return appendMicros(b, usec%1e6)
}

func appendDuration(b []byte, usec int64) []byte {
	return appendTS(b, usec)
}

func appendMicros(b []byte, us int64) []byte {
	var d [7]byte
	d[0] = '.'
	for i := 6; i > 0; i-- {
		d[i] = byte('0' + us%10)
		us /= 10
	}
	return append(b, d[:]...)
}

// appendID writes the four id columns and a tab after each.
func appendID(b []byte, c *conn) []byte {
	b = append(b, '\t')
	b = c.f.client.addr.AppendTo(b)
	b = append(b, '\t')
	b = strconv.AppendUint(b, uint64(c.sport), 10)
	b = append(b, '\t')
	b = c.f.server.addr.AppendTo(b)
	b = append(b, '\t')
	b = strconv.AppendUint(b, uint64(kindInfo[c.f.kind].port), 10)
	return append(b, '\t')
}

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// appendUID writes a Zeek-looking uid: "C" and 11 base-62 digits of a
// bijective mix of the connection number, so uids are distinct.
func appendUID(b []byte, n uint64) []byte {
	// splitmix64's finalizer: a bijection on uint64.
	z := n + 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	var d [11]byte
	for i := range d {
		d[len(d)-1-i] = base62[z%62]
		z /= 62
	}
	b = append(b, 'C')
	return append(b, d[:]...)
}

func appendMAC(b []byte, m [6]byte) []byte {
	const hex = "0123456789abcdef"
	for i, x := range m {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, hex[x>>4], hex[x&15])
	}
	return b
}
