// Package oui names the organisation that the IEEE registry lists for a MAC
// address's prefix, offline: the registry (MA-L, MA-M, MA-S and IAB, from
// Debian's ieee-data package, see [Source]) is embedded, compressed, and
// unpacked once on the first lookup.
//
// Names are as registered, only trimmed and with runs of white space made
// one space: "Siemens AG", "Rockwell Automation", "Cisco Systems, Inc". The
// registry's "Private" entries (blocks whose owner asked not to be
// published) are kept and return "Private", which tells an auditor more than
// "" would. A prefix inside an MA-M or MA-S block that the registry does not
// list falls back to the 24-bit owner of the block, usually "IEEE
// Registration Authority".
package oui

//go:generate go run gen.go

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
)

// Vendor returns the organisation registered for mac's prefix (longest
// match: MA-S, then MA-M, then MA-L), or "".
// Locally administered (bit 0x02 of the first octet) and multicast addresses
// return "".
func Vendor(mac [6]byte) string {
	if mac[0]&0x03 != 0 {
		return ""
	}
	t := table()
	if t == nil {
		return ""
	}
	p := uint64(mac[0])<<40 | uint64(mac[1])<<32 | uint64(mac[2])<<24 |
		uint64(mac[3])<<16 | uint64(mac[4])<<8 | uint64(mac[5])
	if i, ok := slices.BinarySearch(t.p36, p>>12); ok {
		return t.names[t.n36[i]]
	}
	if i, ok := slices.BinarySearch(t.p28, uint32(p>>20)); ok {
		return t.names[t.n28[i]]
	}
	if i, ok := slices.BinarySearch(t.p24, uint32(p>>24)); ok {
		return t.names[t.n24[i]]
	}
	return ""
}

// tables holds the unpacked registry: per prefix length, the sorted prefixes
// and beside each the index of its name.
type tables struct {
	names    []string // substrings of one string: one allocation for all
	p24, p28 []uint32
	n24, n28 []uint32
	p36      []uint64
	n36      []uint32
}

var (
	loadOnce   sync.Once
	loaded     *tables
	errLoading error
)

// table unpacks the embedded registry on first use. It is ~15 ms of work and
// ~1.5 MB of memory that a program never asking for a vendor does not pay.
func table() *tables {
	loadOnce.Do(func() {
		loaded, errLoading = unpack(packed)
	})
	return loaded
}

// errFormat is wrapped by every error of a malformed table.
var errFormat = errors.New("oui: malformed vendor table")

// Caps on what a table may declare, so a damaged one cannot make unpack
// allocate without bound; the real registry is far below them (see gen.go).
const (
	maxName     = 1024
	maxNames    = 1 << 20
	maxRows     = 1 << 20
	maxUnpacked = 64 << 20
)

// unpack reads the gzip-compressed table that gen.go writes.
func unpack(gz []byte) (*tables, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFormat, err)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, maxUnpacked+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFormat, err)
	}
	if len(raw) > maxUnpacked {
		return nil, fmt.Errorf("%w: more than %d bytes unpacked", errFormat, maxUnpacked)
	}
	return parse(raw)
}

// decoder reads the uvarints of a table, remembering the first error.
type decoder struct {
	b   []byte
	off int
	err error
}

func (d *decoder) uvarint(what string, max uint64) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b[d.off:])
	if n <= 0 {
		d.err = fmt.Errorf("%w: %s at byte %d: bad varint", errFormat, what, d.off)
		return 0
	}
	if v > max {
		d.err = fmt.Errorf("%w: %s at byte %d: %d exceeds %d", errFormat, what, d.off, v, max)
		return 0
	}
	d.off += n
	return v
}

// parse reads the unpacked table (format in gen.go's doc comment).
func parse(raw []byte) (*tables, error) {
	if !bytes.HasPrefix(raw, []byte("OUI1")) {
		return nil, fmt.Errorf("%w: no OUI1 magic", errFormat)
	}
	d := &decoder{b: raw, off: 4}
	n := d.uvarint("name count", maxNames)
	// Every name takes at least one byte, so a count above what is left is
	// a lie; checking it first bounds the allocation by the input.
	if d.err == nil && n > uint64(len(raw)-d.off) {
		return nil, fmt.Errorf("%w: name count %d exceeds the %d bytes left", errFormat, n, len(raw)-d.off)
	}
	ends := make([]int, 0, n)
	all := make([]byte, 0, len(raw)-d.off) // the names are most of what is left
	for i := uint64(0); i < n && d.err == nil; i++ {
		l := d.uvarint("name length", maxName)
		if d.err == nil && l > uint64(len(raw)-d.off) {
			d.err = fmt.Errorf("%w: name %d at byte %d: length %d runs past the end", errFormat, i, d.off, l)
		}
		if d.err != nil {
			break
		}
		all = append(all, raw[d.off:d.off+int(l)]...)
		d.off += int(l)
		ends = append(ends, len(all))
	}
	if d.err != nil {
		return nil, d.err
	}
	s := string(all)
	t := &tables{names: make([]string, len(ends))}
	start := 0
	for i, e := range ends {
		t.names[i] = s[start:e]
		start = e
	}

	var err error
	if t.p24, t.n24, err = readTable[uint32](d, 24, len(t.names)); err != nil {
		return nil, err
	}
	if t.p28, t.n28, err = readTable[uint32](d, 28, len(t.names)); err != nil {
		return nil, err
	}
	if t.p36, t.n36, err = readTable[uint64](d, 36, len(t.names)); err != nil {
		return nil, err
	}
	if d.off != len(raw) {
		return nil, fmt.Errorf("%w: %d bytes left over at byte %d", errFormat, len(raw)-d.off, d.off)
	}
	return t, nil
}

// readTable reads one table of bits-long prefixes: strictly increasing, each
// below 1<<bits, with name indices below nNames.
func readTable[P uint32 | uint64](d *decoder, bits int, nNames int) ([]P, []uint32, error) {
	what := fmt.Sprintf("%d-bit", bits)
	// The labels are made once: d.uvarint runs per row.
	whatPrefix, whatIndex := what+" prefix", what+" name index"
	n := d.uvarint(what+" count", maxRows)
	// Each row takes at least two bytes (a delta and an index).
	if d.err == nil && n > uint64(len(d.b)-d.off)/2 {
		d.err = fmt.Errorf("%w: %s count %d exceeds the bytes left", errFormat, what, n)
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	ps := make([]P, n)
	limit := uint64(1) << bits
	var prev uint64
	for i := range ps {
		delta := d.uvarint(whatPrefix, limit-1)
		if d.err == nil && i > 0 && delta == 0 {
			d.err = fmt.Errorf("%w: %s prefix %d at byte %d: not above the one before", errFormat, what, i, d.off)
		}
		if d.err == nil && delta >= limit-prev {
			d.err = fmt.Errorf("%w: %s prefix %d at byte %d: beyond %d bits", errFormat, what, i, d.off, bits)
		}
		if d.err != nil {
			return nil, nil, d.err
		}
		prev += delta
		ps[i] = P(prev)
	}
	ns := make([]uint32, n)
	for i := range ns {
		ns[i] = uint32(d.uvarint(whatIndex, uint64(nNames)-1))
		if d.err == nil && nNames == 0 {
			d.err = fmt.Errorf("%w: %s rows but no names", errFormat, what)
		}
		if d.err != nil {
			return nil, nil, d.err
		}
	}
	return ps, ns, nil
}
