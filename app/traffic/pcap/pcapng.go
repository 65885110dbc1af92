package pcap

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"
)

// pcapng block types
const (
	blockSHB = 0x0a0d0d0a // section header
	blockIDB = 1          // interface description
	blockOPB = 2          // packet (obsolete)
	blockSPB = 3          // simple packet
	blockEPB = 6          // enhanced packet
)

const (
	// maxBlock is the largest block kept whole in memory: a packet block of
	// MaxCaptureLength bytes with room for options. Larger blocks of types
	// that are not read are streamed past; larger packet blocks are damage.
	maxBlock = 2 * MaxCaptureLength
	// maxInterfaces bounds the interfaces of one section.
	maxInterfaces = 1 << 16
	// maxName bounds the if_name and if_description kept.
	maxName = 256
)

// byteOrderMagic reads the byte-order magic of a section header.
func byteOrderMagic(b []byte) (bigEndian, ok bool) {
	switch binary.BigEndian.Uint32(b) {
	case 0x1a2b3c4d:
		return true, true
	case 0x4d3c2b1a:
		return false, true
	}
	return false, false
}

func damaged(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrDamaged}, a...)...)
}

// pcapng reads a pcapng file, which starts with a section header.
func (rd *reader) pcapng() error {
	s := &rd.s
	var (
		be      bool
		section = -1
		ifaces  []iface
	)
	for {
		off := s.offset()
		if err := s.fill(12); err != nil {
			if err == io.EOF && section >= 0 {
				return nil
			}
			return rd.damage(off, err)
		}
		h := s.bytes()
		if binary.BigEndian.Uint32(h) == blockSHB {
			// The byte order of the section decides how to read even the
			// length of its header.
			var ok bool
			if be, ok = byteOrderMagic(h[8:12]); !ok {
				return rd.damage(off, damaged("section header with byte-order magic %#x", h[8:12]))
			}
		}
		typ, length := u32(h, be), u32(h[4:], be)
		if length < 12 || length%4 != 0 {
			return rd.damage(off, damaged("block of type %#x with length %d", typ, length))
		}
		if length > maxBlock {
			switch typ {
			case blockSHB, blockIDB, blockOPB, blockSPB, blockEPB:
				return rd.damage(off, damaged("block of type %#x with length %d", typ, length))
			}
			// A large block of a type not read here (name resolution,
			// decryption secrets, custom): stream past it.
			if err := s.discard(int64(length) - 4); err != nil {
				return rd.damage(off, err)
			}
			if err := s.fill(4); err != nil {
				return rd.damage(off, err)
			}
			if trailer := u32(s.bytes(), be); trailer != length {
				return rd.damage(off, damaged("block of type %#x with length %d but trailing length %d", typ, length, trailer))
			}
			s.advance(4)
			continue
		}
		n := int(length)
		if err := s.fill(n); err != nil {
			return rd.damage(off, err)
		}
		b := s.bytes()[:n]
		if trailer := u32(b[n-4:], be); trailer != length {
			return rd.damage(off, damaged("block of type %#x with length %d but trailing length %d", typ, length, trailer))
		}
		body := b[8 : n-4]
		switch typ {
		case blockSHB:
			if len(body) < 16 {
				return rd.damage(off, damaged("section header of %d bytes", n))
			}
			if major := u16(body[4:], be); major != 1 {
				return rd.damage(off, damaged("section header of version %d.%d", major, u16(body[6:], be)))
			}
			section++
			ifaces = ifaces[:0]
		case blockIDB:
			if len(body) < 8 {
				return rd.damage(off, damaged("interface description of %d bytes", n))
			}
			if len(ifaces) == maxInterfaces {
				return rd.damage(off, damaged("more than %d interfaces in section %d", maxInterfaces, section))
			}
			li, info := rd.idb(body, be)
			info.Section, info.Index = section, len(ifaces)
			ifaces = append(ifaces, li)
			rd.addInterface(info)
		case blockEPB, blockOPB:
			if len(body) < 20 {
				return rd.damage(off, damaged("packet block of %d bytes", n))
			}
			var index int
			if typ == blockEPB {
				index = int(u32(body, be))
			} else {
				index = int(u16(body, be))
			}
			ts := uint64(u32(body[4:], be))<<32 | uint64(u32(body[8:], be))
			caplen, wire := u32(body[12:], be), u32(body[16:], be)
			if caplen > uint32(len(body)-20) {
				return rd.damage(off, damaged("captured length %d in a block of %d bytes", caplen, n))
			}
			if caplen > MaxCaptureLength {
				return rd.damage(off, damaged("captured length %d above %d", caplen, MaxCaptureLength))
			}
			var li *iface
			var t time.Time
			if index >= 0 && index < len(ifaces) {
				li = &ifaces[index]
				t = li.time(ts)
			}
			if err := rd.frame(li, t, section, index, int(wire), body[20:20+caplen]); err != nil {
				return err
			}
		case blockSPB:
			if len(body) < 4 {
				return rd.damage(off, damaged("simple packet block of %d bytes", n))
			}
			wire := u32(body, be)
			caplen := min(uint64(wire), uint64(len(body)-4))
			var li *iface
			if len(ifaces) > 0 {
				li = &ifaces[0]
				if li.snap > 0 {
					caplen = min(caplen, uint64(li.snap))
				}
			}
			if caplen > MaxCaptureLength {
				return rd.damage(off, damaged("captured length %d above %d", caplen, MaxCaptureLength))
			}
			if err := rd.frame(li, time.Time{}, section, 0, int(wire), body[4:4+caplen]); err != nil {
				return err
			}
		}
		s.advance(n)
	}
}

// idb reads an interface description block.
func (rd *reader) idb(body []byte, be bool) (iface, Interface) {
	link := int(u16(body, be))
	info := Interface{LinkType: link, SnapLen: int(u32(body[4:], be))}
	li := newIface(link)
	li.snap = u32(body[4:], be)
	opts := body[8:]
	for len(opts) >= 4 {
		code, n := u16(opts, be), int(u16(opts[2:], be))
		if code == 0 || 4+n > len(opts) {
			break
		}
		v := opts[4 : 4+n]
		switch {
		case code == 2: // if_name
			info.Name = string(v[:min(n, maxName)])
		case code == 3: // if_description
			info.Description = string(v[:min(n, maxName)])
		case code == 9 && n == 1: // if_tsresol
			exp := v[0] & 0x7f
			if v[0]&0x80 != 0 {
				if exp < 64 {
					li.units = 1 << exp
				}
			} else if exp <= 19 {
				li.units = 1
				for range exp {
					li.units *= 10
				}
			}
		case code == 14 && n == 8: // if_tsoffset, seconds
			li.offset = int64(binary.LittleEndian.Uint64(v))
			if be {
				li.offset = int64(binary.BigEndian.Uint64(v))
			}
		}
		opts = opts[min(len(opts), 4+(n+3)&^3):]
	}
	return li, info
}

// time converts a pcapng timestamp of the interface.
func (li *iface) time(ts uint64) time.Time {
	var sec, nsec uint64
	switch li.units {
	case 1e6:
		sec, nsec = ts/1e6, ts%1e6*1e3
	case 1e9:
		sec, nsec = ts/1e9, ts%1e9
	default:
		sec = ts / li.units
		// The fraction times 1e9 needs 128 bits; its quotient fits in 64
		// because the fraction is below units.
		hi, lo := bits.Mul64(ts%li.units, 1e9)
		nsec, _ = bits.Div64(hi, lo, li.units)
	}
	return time.Unix(int64(sec)+li.offset, int64(nsec)).UTC()
}
