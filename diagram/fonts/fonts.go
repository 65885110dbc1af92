// Package fonts holds the fallback font every Zonewalk output shares: the
// GUI, the PDF report and the diagrams set Latin, Greek and Cyrillic in
// their own fonts and take from this one the characters those lack.
//
// The font is Droid Sans Fallback (DroidSansFallback.ttf, Android 6.0.1 as
// packaged by Debian's fonts-droid-fallback, 3.4 MB, Apache License 2.0,
// see LICENSE). It covers Chinese (all of CJK Unified Ideographs
// U+4E00–U+9FA5), Japanese kana and Korean Hangul in one TrueType file;
// Noto Sans CJK would be 16 MB or more and is CFF, which gopdf cannot embed.
// It has no emoji: those are drawn as Replacement.
package fonts

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"unicode"
)

//go:embed DroidSansFallback.ttf
var fallbackTTF []byte

// Fallback returns the TrueType bytes of the fallback font. The slice is
// shared: callers must not change it.
func Fallback() []byte { return fallbackTTF }

// Replacement is what a character no font has is drawn as, so that it
// shows rather than vanishes. The Go fonts and Noto Sans have it.
const Replacement = '\uFFFD'

// Invisible reports runes that print as nothing by design: format
// characters (zero-width joiner, soft hyphen, bidi marks), variation
// selectors and controls. They are dropped rather than replaced, or every
// emoji sequence would print as several replacement characters.
func Invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r)
}

// OnlyRunes returns a copy of the TrueType font ttf whose character map
// keeps only the runes keep accepts; outlines and metrics are unchanged.
// Fyne takes the theme's font first and falls back to its own fonts only
// for runes the theme's font lacks, so the GUI hands it a fallback font
// that maps nothing Fyne's fonts have: Latin text is set exactly as before
// (even the space, whose font sets the line height).
//
// The font must have a format-12 (full Unicode) character map, as the
// embedded one does.
func OnlyRunes(ttf []byte, keep func(rune) bool) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	cmap, ok := tables["cmap"]
	if !ok {
		return nil, errors.New("fonts: no cmap table")
	}
	m, err := readCmap12(cmap)
	if err != nil {
		return nil, err
	}
	var kept []mapping
	for _, e := range m {
		if keep(e.r) {
			kept = append(kept, e)
		}
	}
	tables["cmap"] = writeCmap12(kept)
	return writeFont(binary.BigEndian.Uint32(ttf), tables), nil
}

type mapping struct {
	r rune
	g uint32
}

// readTables splits an sfnt file into its tables by tag.
func readTables(b []byte) (map[string][]byte, error) {
	if len(b) < 12 {
		return nil, errors.New("fonts: not a font file")
	}
	n := int(binary.BigEndian.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, errors.New("fonts: truncated table directory")
	}
	t := make(map[string][]byte, n)
	for i := range n {
		rec := b[12+16*i:]
		off, ln := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(ln) > uint64(len(b)) {
			return nil, fmt.Errorf("fonts: table %q runs past the end", rec[:4])
		}
		t[string(rec[:4])] = b[off : off+ln]
	}
	return t, nil
}

// readCmap12 reads the (3,10) or (0,4) format-12 subtable: rune ranges
// mapped to consecutive glyphs.
func readCmap12(c []byte) ([]mapping, error) {
	if len(c) < 4 {
		return nil, errors.New("fonts: short cmap")
	}
	n := int(binary.BigEndian.Uint16(c[2:]))
	for i := range n {
		if len(c) < 4+8*(i+1) {
			break
		}
		rec := c[4+8*i:]
		pid, eid, off := binary.BigEndian.Uint16(rec), binary.BigEndian.Uint16(rec[2:]), binary.BigEndian.Uint32(rec[4:])
		if !(pid == 3 && eid == 10 || pid == 0 && eid == 4) || uint64(off)+16 > uint64(len(c)) {
			continue
		}
		sub := c[off:]
		if binary.BigEndian.Uint16(sub) != 12 {
			continue
		}
		groups := binary.BigEndian.Uint32(sub[12:])
		if uint64(16)+12*uint64(groups) > uint64(len(sub)) {
			return nil, errors.New("fonts: truncated cmap format 12")
		}
		var m []mapping
		for g := range groups {
			gr := sub[16+12*g:]
			start, end, glyph := binary.BigEndian.Uint32(gr), binary.BigEndian.Uint32(gr[4:]), binary.BigEndian.Uint32(gr[8:])
			if end < start || end > unicode.MaxRune {
				return nil, errors.New("fonts: bad cmap group")
			}
			for r := start; r <= end; r++ {
				m = append(m, mapping{rune(r), glyph + r - start})
			}
		}
		return m, nil
	}
	return nil, errors.New("fonts: no format-12 character map")
}

// writeCmap12 writes a cmap table with one (3,10) format-12 subtable.
func writeCmap12(m []mapping) []byte {
	slices.SortFunc(m, func(a, b mapping) int { return int(a.r - b.r) })
	type group struct{ start, end, glyph uint32 }
	var gs []group
	for _, e := range m {
		if k := len(gs) - 1; k >= 0 && uint32(e.r) == gs[k].end+1 && e.g == gs[k].glyph+gs[k].end-gs[k].start+1 {
			gs[k].end++
			continue
		}
		gs = append(gs, group{uint32(e.r), uint32(e.r), e.g})
	}
	subLen := 16 + 12*len(gs)
	b := make([]byte, 12+subLen)
	be := binary.BigEndian
	be.PutUint16(b[2:], 1)  // one subtable
	be.PutUint16(b[4:], 3)  // Windows
	be.PutUint16(b[6:], 10) // full Unicode
	be.PutUint32(b[8:], 12) // offset
	s := b[12:]
	be.PutUint16(s, 12)
	be.PutUint32(s[4:], uint32(subLen))
	be.PutUint32(s[12:], uint32(len(gs)))
	for i, g := range gs {
		be.PutUint32(s[16+12*i:], g.start)
		be.PutUint32(s[20+12*i:], g.end)
		be.PutUint32(s[24+12*i:], g.glyph)
	}
	return b
}

// writeFont assembles tables into an sfnt file, 4-byte aligned, with
// their checksums. head's whole-file checksum is left as it was: no
// reader Zonewalk uses checks it.
func writeFont(version uint32, tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	n := len(tags)
	pow, log := 1, 0
	for pow*2 <= n {
		pow *= 2
		log++
	}
	be := binary.BigEndian
	size := 12 + 16*n
	for _, t := range tags {
		size += (len(tables[t]) + 3) &^ 3
	}
	b := make([]byte, 12+16*n, size)
	be.PutUint32(b, version)
	be.PutUint16(b[4:], uint16(n))
	be.PutUint16(b[6:], uint16(pow*16))
	be.PutUint16(b[8:], uint16(log))
	be.PutUint16(b[10:], uint16(n*16-pow*16))
	for i, t := range tags {
		data := tables[t]
		rec := b[12+16*i:]
		copy(rec, t)
		be.PutUint32(rec[4:], checksum(data))
		be.PutUint32(rec[8:], uint32(len(b)))
		be.PutUint32(rec[12:], uint32(len(data)))
		b = append(b, data...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	return b
}

func checksum(d []byte) uint32 {
	var sum uint32
	for i := 0; i < len(d); i += 4 {
		var w [4]byte
		copy(w[:], d[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
