package pcap

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// layout is a capture with where each of its blocks or records ends.
type layout struct {
	name   string
	file   []byte
	ends   []int   // end offset of the file header and of each block or record
	frames []int64 // packet records up to and including each of them
	ports  []uint16
}

func (l *layout) add(end int, frames int64) {
	l.ends = append(l.ends, end)
	l.frames = append(l.frames, frames)
}

// testRecords are records of sizes from 60 to 1514 bytes, each with its own
// source port.
func testRecords(t testing.TB, n int) []rec {
	var recs []rec
	for i := range n {
		size := 60 + (i*397)%1455
		port := uint16(1000 + i)
		var f []byte
		if i%2 == 0 {
			f = tcp4Frame(t, "10.0.0.1", "10.0.0.2", port, 502, make([]byte, max(0, size-54)))
		} else {
			f = udp4Frame(t, "10.0.0.2", "10.0.0.1", port, 2222, make([]byte, max(0, size-42)))
		}
		recs = append(recs, rec{ts: t0.Add(time.Duration(i) * time.Millisecond), data: f})
	}
	return recs
}

func pcapLayout(t testing.TB, name string, bo byteOrder, magic uint32, recs []rec) layout {
	l := layout{name: name, file: pcapFile(bo, magic, 1, recs...)}
	hdr := 16
	if magic == 0xa1b2cd34 {
		hdr = 24
	}
	end := 24
	l.add(end, 0)
	for i, r := range recs {
		end += hdr + len(r.data)
		l.add(end, int64(i+1))
		l.ports = append(l.ports, be16(r.data[34:]))
	}
	if end != len(l.file) {
		t.Fatalf("%s: records end at %d, file is %d bytes", name, end, len(l.file))
	}
	return l
}

// pcapngLayout writes records as Enhanced Packet Blocks on two interfaces,
// with a Simple Packet Block and a custom block among the last ones.
func pcapngLayout(name string, bo byteOrder, recs []rec) layout {
	var w ng
	l := layout{name: name}
	w.section(bo)
	l.add(len(w.b), 0)
	w.iface(1, 0, 9, 0, "eth0")
	l.add(len(w.b), 0)
	w.iface(1, 0, 0, 0, "eth1")
	l.add(len(w.b), 0)
	for i, r := range recs {
		if i == len(recs)-2 {
			w.spb(r)
		} else {
			w.epb(i%2, 0, r)
		}
		l.add(len(w.b), int64(i+1))
		l.ports = append(l.ports, be16(r.data[34:]))
		if i == len(recs)-3 {
			w.block(0x00000bad, []byte("custom block between packets"))
			l.add(len(w.b), int64(i+1))
		}
	}
	l.file = w.b
	return l
}

func testLayouts(t testing.TB) []layout {
	recs := testRecords(t, 8)
	return []layout{
		pcapLayout(t, "pcap little-endian", binary.LittleEndian, 0xa1b2c3d4, recs),
		pcapLayout(t, "pcap big-endian nanoseconds", binary.BigEndian, 0xa1b23c4d, recs),
		pcapLayout(t, "pcap modified", binary.LittleEndian, 0xa1b2cd34, recs),
		pcapngLayout("pcapng little-endian", binary.LittleEndian, recs),
		pcapngLayout("pcapng big-endian", binary.BigEndian, recs),
	}
}

// expect says what reading the first cut bytes of a layout must give: the
// packets delivered, and where the damage is (-1: none, the cut is at the
// end of a block or record).
func (l layout) expect(cut int) (packets int64, damage int) {
	end := 0
	for i, e := range l.ends {
		if e == cut {
			return l.frames[i], -1
		}
		if e > cut {
			return packets, end
		}
		end, packets = e, l.frames[i]
	}
	panic("cut beyond the file")
}

// TestTruncated cuts captures at every byte offset from where the magic
// number can be seen.
func TestTruncated(t *testing.T) {
	for _, l := range testLayouts(t) {
		t.Run(l.name, func(t *testing.T) {
			from := 4
			if strings.HasPrefix(l.name, "pcapng") {
				from = 12 // the byte order must be seen too
			}
			for cut := from; cut <= len(l.file); cut++ {
				out, st := readAll(t, l.file[:cut])
				packets, damage := l.expect(cut)
				if int64(len(out)) != packets || !strings.HasPrefix(l.name, st.Format) {
					t.Fatalf("cut at %d: %d packets, want %d; Stats %+v", cut, len(out), packets, st)
				}
				for i, g := range out {
					if g.SrcPort != l.ports[i] {
						t.Fatalf("cut at %d: packet %d has port %d, want %d", cut, i, g.SrcPort, l.ports[i])
					}
				}
				if damage < 0 {
					if st.Damaged != nil {
						t.Fatalf("cut at %d (a record boundary): Damaged %v", cut, st.Damaged)
					}
					continue
				}
				if d := st.Damaged; d == nil || d.Offset != int64(damage) || d.Packets != packets || !errors.Is(d.Err, ErrTruncated) {
					t.Fatalf("cut at %d: Damaged %v, want at %d after %d packets", cut, d, damage, packets)
				}
			}
		})
	}
}

func TestPcapngGarbage(t *testing.T) {
	recs := testRecords(t, 4)
	le := binary.LittleEndian
	block := func(typ, length uint32, body []byte, trailer uint32) []byte {
		b := le.AppendUint32(nil, typ)
		b = le.AppendUint32(b, length)
		b = append(b, body...)
		return le.AppendUint32(b, trailer)
	}
	epbBody := func(caplen uint32, data []byte) []byte {
		b := le.AppendUint32(nil, 0)
		b = le.AppendUint64(b, 0)
		b = le.AppendUint32(b, caplen)
		b = le.AppendUint32(b, uint32(len(data)))
		return pad4(append(b, data...))
	}
	shb := func(bom uint32, major uint16) []byte {
		body := le.AppendUint32(nil, bom)
		body = le.AppendUint16(body, major)
		body = le.AppendUint16(body, 0)
		body = le.AppendUint64(body, 0)
		return block(blockSHB, 28, body, 28)
	}
	for _, tc := range []struct {
		name    string
		garbage []byte
	}{
		{"random bytes", bytes.Repeat([]byte{0xab}, 64)},
		{"length not a multiple of 4", block(0xbad, 13, []byte{1}, 13)},
		{"length below 12", block(0xbad, 8, nil, 8)},
		{"trailing length differs", block(0xbad, 16, []byte{1, 2, 3, 4}, 20)},
		{"captured length beyond the block", block(blockEPB, 12+20+60, epbBody(64, recs[0].data), 12+20+60)},
		{"captured length above the maximum", block(blockEPB, 12+20+60, epbBody(MaxCaptureLength+1, recs[0].data), 12+20+60)},
		{"packet block above the maximum", block(blockEPB, maxBlock+4, epbBody(60, recs[0].data), maxBlock+4)},
		{"packet block too short", block(blockEPB, 12+16, make([]byte, 16), 12+16)},
		{"interface block too short", block(blockIDB, 16, []byte{1, 0, 0, 0}, 16)},
		{"section header with a bad byte-order magic", shb(0x12345678, 1)},
		{"section header of version 2", shb(0x1a2b3c4d, 2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w ng
			w.section(le)
			w.iface(1, 0, 0, 0, "")
			w.epb(0, 0, recs[0])
			w.epb(0, 0, recs[1])
			at := len(w.b)
			w.b = append(w.b, tc.garbage...)
			w.epb(0, 0, recs[2])
			w.epb(0, 0, recs[3])
			out, st := readAll(t, w.b)
			d := st.Damaged
			if len(out) != 2 || d == nil || d.Offset != int64(at) || d.Packets != 2 || !errors.Is(d.Err, ErrDamaged) {
				t.Errorf("%d packets, Damaged %v, want at %d after 2 packets", len(out), d, at)
			}
		})
	}
}

// isPrefix says whether the packets a are the first of b.
func isPrefix(a, b []got) bool {
	return len(a) == 0 || len(a) <= len(b) && reflect.DeepEqual(a, b[:len(a)])
}

// gunzipped is how many bytes a damaged gzip stream decompresses to.
func gunzipped(z []byte) int {
	zr, err := gzip.NewReader(bytes.NewReader(z))
	if err != nil {
		return 0
	}
	n, _ := io.Copy(io.Discard, zr)
	return int(n)
}

func gz(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGzip(t *testing.T) {
	for _, l := range testLayouts(t) {
		t.Run(l.name, func(t *testing.T) {
			plain, plainStats := readAll(t, l.file)
			z := gz(t, l.file)
			out, st := readAll(t, z)
			if !reflect.DeepEqual(out, plain) {
				t.Errorf("gzipped: packets differ")
			}
			want := plainStats
			want.Gzip = true
			if !reflect.DeepEqual(st, want) {
				t.Errorf("gzipped: Stats\n got %+v\nwant %+v", st, want)
			}

			// Two gzip members, split inside a record.
			half := len(l.file) / 2
			out, st = readAll(t, append(gz(t, l.file[:half]), gz(t, l.file[half:])...))
			if !reflect.DeepEqual(out, plain) || !reflect.DeepEqual(st, want) {
				t.Errorf("two gzip members: %d packets, Stats %+v", len(out), st)
			}

			// A truncated gzip stream: what decompressed is read. Too little
			// to show the magic number (and the byte order) is not a capture.
			for cut := len(z) - 1; cut >= 10; cut-- {
				magic := 4
				if st.Format == "pcapng" {
					magic = 12
				}
				if gunzipped(z[:cut]) < magic {
					if _, err := Read(context.Background(), bytes.NewReader(z[:cut]), func(*Packet) error { return nil }); !errors.Is(err, ErrNotCapture) {
						t.Fatalf("gzip cut at %d, before the magic number: error %v", cut, err)
					}
					continue
				}
				out, st := readAll(t, z[:cut])
				d := st.Damaged
				if d == nil || !errors.Is(d.Err, ErrTruncated) || !isPrefix(out, plain) || d.Packets != int64(len(out)) {
					t.Fatalf("gzip cut at %d: %d packets, Damaged %v", cut, len(out), d)
				}
				if _, damage := l.expect(int(d.Offset)); damage != -1 && d.Offset != 0 {
					t.Fatalf("gzip cut at %d: damage at %d, not the start of a record", cut, d.Offset)
				}
			}

			// A wrong CRC: every packet read, then damage at the end.
			bad := bytes.Clone(z)
			bad[len(bad)-8] ^= 1
			out, st = readAll(t, bad)
			d := st.Damaged
			if len(out) != len(plain) || d == nil || d.Offset != int64(len(l.file)) || !errors.Is(d.Err, ErrDamaged) || !errors.Is(d.Err, gzip.ErrChecksum) && !strings.Contains(d.Err.Error(), "checksum") {
				t.Errorf("wrong CRC: %d packets, Damaged %v", len(out), d)
			}

			// Corrupt deflate data: damage (or, when it is hit before the
			// magic number, not a capture), never another error. Flipped bits
			// that deflate ignores leave the capture whole.
			for i := 10; i < len(z)-8; i += 7 {
				bad := bytes.Clone(z)
				bad[i] ^= 0x55
				var out []got
				st, err := Read(context.Background(), bytes.NewReader(bad), func(p *Packet) error {
					out = append(out, got{Packet: *p})
					return nil
				})
				if err != nil && !errors.Is(err, ErrNotCapture) || err == nil && st.Damaged == nil && len(out) != len(plain) {
					t.Errorf("byte %d of the gzip stream flipped: error %v, %d packets, Damaged %v", i, err, len(out), st.Damaged)
				}
			}
		})
	}
}

func TestNotCapture(t *testing.T) {
	zeek := "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#fields\tts\tuid\tid.orig_h\n"
	for _, tc := range []struct {
		name  string
		input []byte
	}{
		{"empty", nil},
		{"one byte", []byte{0xd4}},
		{"three bytes of a pcap magic", []byte{0xd4, 0xc3, 0xb2}},
		{"text", []byte("hello, world\nthis is not a capture\n")},
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")},
		{"Zeek log", []byte(zeek)},
		{"JSON Zeek log", []byte(`{"ts":1709294400.0,"uid":"C1","id.orig_h":"10.0.0.1"}` + "\n")},
		{"zeros", make([]byte, 100)},
		{"pcapng magic, bad byte-order magic", unhex(t, "0a0d0d0a 1c000000 12345678 0100 0000")},
		{"pcapng magic, cut before the byte-order magic", unhex(t, "0a0d0d0a 1c000000 1a2b")},
		{"gzip magic, bad header", []byte{0x1f, 0x8b, 0x00, 0x00, 1, 2, 3, 4}},
		{"gzipped text", gz(t, []byte("just text, compressed\n"))},
		{"gzipped nothing", gz(t, nil)},
		{"gzipped gzip", gz(t, gz(t, unhex(t, goldenPcap)))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			_, err := Read(context.Background(), bytes.NewReader(tc.input), func(*Packet) error { called = true; return nil })
			if !errors.Is(err, ErrNotCapture) {
				t.Errorf("error %v, want ErrNotCapture", err)
			}
			if called {
				t.Error("fn called")
			}
			t.Log(err)
		})
	}
}

// Damage.String is what a log line shows.
func TestDamageString(t *testing.T) {
	d := &Damage{Offset: 1234, Packets: 5, Err: fmt.Errorf("%w: block of type 0x6 with length 13", ErrDamaged)}
	want := "damaged at byte 1234 after 5 packets: pcap: damaged record: block of type 0x6 with length 13"
	if d.String() != want {
		t.Errorf("%q", d.String())
	}
}
