package fonts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode"

	"golang.org/x/image/font/sfnt"
)

// ForGUI returns the fallback font made to sit in front of the TrueType
// font primary in a shaper's font list, as Fyne's theme font does (Fyne
// tries the theme's font, then its own font of the style):
//
//   - it maps only the runes primary lacks, so everything primary has is
//     still set in primary, plus the spaces and invisible format
//     characters, because go-text keeps those in the run of the character
//     before them and assumes every font has a space;
//   - it is rescaled to primary's units per em with primary's ascent,
//     descent and line gap and space width, because Fyne takes the line
//     height and baseline of all text from the font that has the space.
//
// So Latin text measures and draws exactly as with primary alone. Hinting
// instructions and vertical metrics are left out (Fyne uses neither).
func ForGUI(primary []byte) ([]byte, error) {
	pt, err := readTables(primary)
	if err != nil {
		return nil, err
	}
	p, err := sfnt.Parse(primary)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	b, err := OnlyRunes(fallbackTTF, func(r rune) bool {
		g, err := p.GlyphIndex(&buf, r)
		return err == nil && g == 0 || unicode.IsSpace(r) || Invisible(r)
	})
	if err != nil {
		return nil, err
	}
	t, err := readTables(b)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"head", "hhea", "hmtx", "loca", "glyf", "OS/2", "maxp", "post"} {
		if t[tag] == nil {
			return nil, fmt.Errorf("fonts: fallback font has no %s table", tag)
		}
	}
	for _, tag := range []string{"head", "hhea", "hmtx"} {
		if pt[tag] == nil {
			return nil, fmt.Errorf("fonts: primary font has no %s table", tag)
		}
	}
	be := binary.BigEndian
	phead, phhea := pt["head"], pt["hhea"]
	if len(phead) < 54 || len(phhea) < 36 || len(t["head"]) < 54 || len(t["hhea"]) < 36 || len(t["maxp"]) < 6 || len(t["OS/2"]) < 78 || len(t["post"]) < 12 {
		return nil, errors.New("fonts: short table")
	}
	fromUpem := float64(be.Uint16(t["head"][18:]))
	toUpem := be.Uint16(phead[18:])
	k := float64(toUpem) / fromUpem
	sc := func(v int16) int16 { return int16(math.Round(float64(v) * k)) }
	scU := func(v uint16) uint16 { return uint16(math.Round(float64(v) * k)) }

	nGlyphs := int(be.Uint16(t["maxp"][4:]))
	glyf, loca, err := scaleGlyphs(t["glyf"], t["loca"], be.Uint16(t["head"][50:]) == 1, nGlyphs, k)
	if err != nil {
		return nil, err
	}
	t["glyf"], t["loca"] = glyf, loca

	head := clone(t["head"])
	be.PutUint32(head[8:], 0) // checkSumAdjustment: not kept
	be.PutUint16(head[18:], toUpem)
	for _, off := range []int{36, 38, 40, 42} { // bounding box
		be.PutUint16(head[off:], uint16(sc(int16(be.Uint16(head[off:])))))
	}
	be.PutUint16(head[50:], 1) // long loca offsets
	t["head"] = head

	// Advances and side bearings; the space as wide as primary's.
	hhea := clone(t["hhea"])
	nh := int(be.Uint16(hhea[34:]))
	hmtx := clone(t["hmtx"])
	if len(hmtx) < 4*nh {
		return nil, errors.New("fonts: short hmtx")
	}
	for i := 0; i+1 < len(hmtx); i += 2 {
		if i < 4*nh && i%4 == 0 {
			be.PutUint16(hmtx[i:], scU(be.Uint16(hmtx[i:])))
		} else {
			be.PutUint16(hmtx[i:], uint16(sc(int16(be.Uint16(hmtx[i:])))))
		}
	}
	if sp, err := spaceAdvance(primary, p); err == nil {
		f, err := sfnt.Parse(b)
		if err == nil {
			if g, err := f.GlyphIndex(&buf, ' '); err == nil && g != 0 && int(g) < nh {
				be.PutUint16(hmtx[4*int(g):], sp)
			}
		}
	}
	t["hmtx"] = hmtx

	copy(hhea[4:10], phhea[4:10]) // ascender, descender, line gap
	be.PutUint16(hhea[10:], scU(be.Uint16(hhea[10:])))
	for _, off := range []int{12, 14, 16} {
		be.PutUint16(hhea[off:], uint16(sc(int16(be.Uint16(hhea[off:])))))
	}
	t["hhea"] = hhea

	os2 := clone(t["OS/2"])
	be.PutUint16(os2[2:], uint16(sc(int16(be.Uint16(os2[2:])))))
	if po := pt["OS/2"]; len(po) >= 78 {
		copy(os2[68:78], po[68:78])           // typo ascender, descender, line gap; win ascent, descent
		os2[63] = os2[63]&^0x80 | po[63]&0x80 // fsSelection bit 7, USE_TYPO_METRICS, as primary
	}
	t["OS/2"] = os2

	post := clone(t["post"])
	for _, off := range []int{8, 10} { // underline position and thickness
		be.PutUint16(post[off:], uint16(sc(int16(be.Uint16(post[off:])))))
	}
	t["post"] = post

	maxp := clone(t["maxp"])
	if len(maxp) >= 28 {
		be.PutUint16(maxp[26:], 0) // maxSizeOfInstructions
	}
	t["maxp"] = maxp

	// Hinting, positioning and vertical tables are in the old units.
	for _, tag := range []string{"cvt ", "fpgm", "prep", "hdmx", "VDMX", "LTSH", "kern", "GPOS", "GDEF", "vhea", "vmtx"} {
		delete(t, tag)
	}
	return writeFont(be.Uint32(b), t), nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

// spaceAdvance is the advance of primary's space in its units.
func spaceAdvance(ttf []byte, f *sfnt.Font) (uint16, error) {
	var buf sfnt.Buffer
	g, err := f.GlyphIndex(&buf, ' ')
	if err != nil || g == 0 {
		return 0, errors.New("no space")
	}
	t, err := readTables(ttf)
	if err != nil {
		return 0, err
	}
	nh := int(binary.BigEndian.Uint16(t["hhea"][34:]))
	i := min(int(g), nh-1)
	if len(t["hmtx"]) < 4*(i+1) {
		return 0, errors.New("short hmtx")
	}
	return binary.BigEndian.Uint16(t["hmtx"][4*i:]), nil
}

// TrueType glyph flags.
const (
	flagOnCurve = 0x01
	flagXShort  = 0x02
	flagYShort  = 0x04
	flagRepeat  = 0x08
	flagXSame   = 0x10
	flagYSame   = 0x20

	compWords        = 0x0001
	compXY           = 0x0002
	compScale        = 0x0008
	compMore         = 0x0020
	compXYScale      = 0x0040
	comp2x2          = 0x0080
	compInstructions = 0x0100
)

// scaleGlyphs multiplies every outline coordinate by k, drops hinting
// instructions and writes the glyphs with long loca offsets.
func scaleGlyphs(glyf, loca []byte, long bool, n int, k float64) ([]byte, []byte, error) {
	be := binary.BigEndian
	offset := func(i int) (int, error) {
		if long {
			if 4*i+4 > len(loca) {
				return 0, errors.New("fonts: short loca")
			}
			return int(be.Uint32(loca[4*i:])), nil
		}
		if 2*i+2 > len(loca) {
			return 0, errors.New("fonts: short loca")
		}
		return 2 * int(be.Uint16(loca[2*i:])), nil
	}
	out := make([]byte, 0, len(glyf)*3/2)
	newLoca := make([]byte, 4*(n+1))
	sc := func(v int) int { return int(math.Round(float64(v) * k)) }
	for i := range n {
		be.PutUint32(newLoca[4*i:], uint32(len(out)))
		start, err := offset(i)
		if err != nil {
			return nil, nil, err
		}
		end, err := offset(i + 1)
		if err != nil {
			return nil, nil, err
		}
		if end < start || end > len(glyf) {
			return nil, nil, fmt.Errorf("fonts: glyph %d out of range", i)
		}
		g := glyf[start:end]
		if len(g) == 0 {
			continue
		}
		var err2 error
		if out, err2 = scaleGlyph(out, g, sc); err2 != nil {
			return nil, nil, fmt.Errorf("fonts: glyph %d: %w", i, err2)
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	be.PutUint32(newLoca[4*n:], uint32(len(out)))
	return out, newLoca, nil
}

var errShort = errors.New("truncated")

func scaleGlyph(out, g []byte, sc func(int) int) ([]byte, error) {
	be := binary.BigEndian
	if len(g) < 10 {
		return nil, errShort
	}
	nc := int(int16(be.Uint16(g)))
	put16 := func(v int) { out = be.AppendUint16(out, uint16(int16(v))) }
	put16(nc)
	for j := range 4 { // bounding box
		put16(sc(int(int16(be.Uint16(g[2+2*j:])))))
	}
	p := g[10:]
	if nc < 0 {
		// Composite: scale offsets (as words), drop instructions.
		for {
			if len(p) < 4 {
				return nil, errShort
			}
			flags, idx := be.Uint16(p), be.Uint16(p[2:])
			p = p[4:]
			var a1, a2 int
			if flags&compWords != 0 {
				if len(p) < 4 {
					return nil, errShort
				}
				a1, a2 = int(int16(be.Uint16(p))), int(int16(be.Uint16(p[2:])))
				p = p[4:]
			} else {
				if len(p) < 2 {
					return nil, errShort
				}
				if flags&compXY != 0 {
					a1, a2 = int(int8(p[0])), int(int8(p[1]))
				} else {
					a1, a2 = int(p[0]), int(p[1])
				}
				p = p[2:]
			}
			if flags&compXY != 0 {
				a1, a2 = sc(a1), sc(a2)
			}
			tn := 0
			switch {
			case flags&compScale != 0:
				tn = 2
			case flags&compXYScale != 0:
				tn = 4
			case flags&comp2x2 != 0:
				tn = 8
			}
			if len(p) < tn {
				return nil, errShort
			}
			out = be.AppendUint16(out, flags&^compInstructions|compWords)
			out = be.AppendUint16(out, idx)
			if flags&compXY != 0 {
				put16(a1)
				put16(a2)
			} else {
				out = be.AppendUint16(out, uint16(a1))
				out = be.AppendUint16(out, uint16(a2))
			}
			out = append(out, p[:tn]...)
			p = p[tn:]
			if flags&compMore == 0 {
				return out, nil
			}
		}
	}
	// Simple: decode the points, write them back as absolute-scaled
	// 16-bit deltas without instructions.
	if len(p) < 2*nc+2 {
		return nil, errShort
	}
	endPts := p[:2*nc]
	np := 0
	if nc > 0 {
		np = int(be.Uint16(endPts[2*nc-2:])) + 1
	}
	p = p[2*nc:]
	il := int(be.Uint16(p))
	if len(p) < 2+il {
		return nil, errShort
	}
	p = p[2+il:]
	flags := make([]byte, 0, np)
	for len(flags) < np {
		if len(p) < 1 {
			return nil, errShort
		}
		f := p[0]
		p = p[1:]
		flags = append(flags, f)
		if f&flagRepeat != 0 {
			if len(p) < 1 {
				return nil, errShort
			}
			for range int(p[0]) {
				flags = append(flags, f)
			}
			p = p[1:]
		}
	}
	flags = flags[:np]
	coords := func(short, same byte) ([]int, error) {
		vs := make([]int, np)
		v := 0
		for i, f := range flags {
			switch {
			case f&short != 0:
				if len(p) < 1 {
					return nil, errShort
				}
				d := int(p[0])
				p = p[1:]
				if f&same == 0 {
					d = -d
				}
				v += d
			case f&same == 0:
				if len(p) < 2 {
					return nil, errShort
				}
				v += int(int16(be.Uint16(p)))
				p = p[2:]
			}
			vs[i] = v
		}
		return vs, nil
	}
	xs, err := coords(flagXShort, flagXSame)
	if err != nil {
		return nil, err
	}
	ys, err := coords(flagYShort, flagYSame)
	if err != nil {
		return nil, err
	}
	out = append(out, endPts...)
	out = be.AppendUint16(out, 0) // no instructions
	for _, f := range flags {
		out = append(out, f&flagOnCurve)
	}
	for _, vs := range [][]int{xs, ys} {
		prev := 0
		for _, v := range vs {
			v = sc(v)
			put16(v - prev)
			prev = v
		}
	}
	return out, nil
}
