package pcap

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// pcapMagic recognises the magic number of a classic pcap file: its byte
// order, whether timestamps are in nanoseconds, and whether it is the
// "modified" format of Alexey Kuznetzov's patched libpcap, whose record
// headers are 8 bytes longer.
func pcapMagic(b []byte) (bigEndian, nano, modified, ok bool) {
	switch binary.BigEndian.Uint32(b) {
	case 0xa1b2c3d4:
		return true, false, false, true
	case 0xd4c3b2a1:
		return false, false, false, true
	case 0xa1b23c4d:
		return true, true, false, true
	case 0x4d3cb2a1:
		return false, true, false, true
	case 0xa1b2cd34:
		return true, false, true, true
	case 0x34cdb2a1:
		return false, false, true, true
	}
	return false, false, false, false
}

func u32(b []byte, bigEndian bool) uint32 {
	if bigEndian {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

func u16(b []byte, bigEndian bool) uint16 {
	if bigEndian {
		return binary.BigEndian.Uint16(b)
	}
	return binary.LittleEndian.Uint16(b)
}

// pcap reads a classic pcap file.
func (rd *reader) pcap() error {
	s := &rd.s
	if err := s.fill(24); err != nil {
		return rd.damage(0, err)
	}
	h := s.bytes()
	be, nano, modified, _ := pcapMagic(h)
	// The link type shares its field with FCS information in the upper bits.
	link := int(u32(h[20:], be) & 0xffff)
	li := newIface(link)
	rd.addInterface(Interface{LinkType: link, SnapLen: int(u32(h[16:], be))})
	s.advance(24)

	hdrLen := 16
	if modified {
		hdrLen = 24
	}
	unit := int64(time.Microsecond)
	if nano {
		unit = 1
	}
	for {
		off := s.offset()
		if err := s.fill(hdrLen); err != nil {
			if err == io.EOF {
				return nil
			}
			return rd.damage(off, err)
		}
		h := s.bytes()
		sec, frac := u32(h, be), u32(h[4:], be)
		caplen, wire := u32(h[8:], be), u32(h[12:], be)
		if caplen > MaxCaptureLength {
			return rd.damage(off, fmt.Errorf("%w: captured length %d above %d", ErrDamaged, caplen, MaxCaptureLength))
		}
		n := hdrLen + int(caplen)
		if err := s.fill(n); err != nil {
			return rd.damage(off, err)
		}
		ts := time.Unix(int64(sec), int64(frac)*unit).UTC()
		if err := rd.frame(&li, ts, 0, 0, int(wire), s.bytes()[hdrLen:n]); err != nil {
			return err
		}
		s.advance(n)
	}
}
