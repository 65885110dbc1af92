package pcap

import (
	"io"
)

const (
	// firstBuffer is the buffer a Read starts with: small, so that reading a
	// small capture (or fuzzing) costs little.
	firstBuffer = 64 << 10
	// bigBuffer is the buffer a Read grows to on a large capture, so that
	// the file is read in large chunks.
	bigBuffer = 1 << 20
)

// stream is a buffered reader that hands out slices of its buffer instead of
// copying: a record is parsed where it was read.
type stream struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	base     int64 // stream offset of buf[0]
	err      error // sticky error of r
	hint     int   // the length of r when it is known to be small, else 0
}

// offset is the stream offset of the next unread byte.
func (s *stream) offset() int64 { return s.base + int64(s.pos) }

// avail is the number of buffered unread bytes.
func (s *stream) avail() int { return s.end - s.pos }

// bytes returns the buffered unread bytes, valid until the next fill.
func (s *stream) bytes() []byte { return s.buf[s.pos:s.end] }

// advance consumes n buffered bytes.
func (s *stream) advance(n int) { s.pos += n }

// fill makes at least n unread bytes available in the buffer. When the input
// ends first it returns io.EOF if no byte at all is left, io.ErrUnexpectedEOF
// otherwise; a read error of r is returned as is. Whatever could be read stays
// available.
func (s *stream) fill(n int) error {
	if s.end-s.pos >= n {
		return nil // the common case, inlined
	}
	return s.read(n)
}

// read is fill when the buffer holds too little.
func (s *stream) read(n int) error {
	if s.err == nil {
		s.makeRoom(n)
		for empty := 0; s.end-s.pos < n; {
			m, err := s.r.Read(s.buf[s.end:])
			if m < 0 || m > len(s.buf)-s.end {
				s.err = io.ErrNoProgress
				break
			}
			s.end += m
			if err != nil {
				s.err = err
				break
			}
			if m == 0 {
				if empty++; empty > 100 {
					s.err = io.ErrNoProgress
					break
				}
			}
		}
		if s.end-s.pos >= n {
			return nil
		}
	}
	if s.err == io.EOF {
		if s.end == s.pos {
			return io.EOF
		}
		return io.ErrUnexpectedEOF
	}
	return s.err
}

// makeRoom moves the unread bytes to the front of the buffer, growing it,
// when fewer than n bytes (or little) would fit after them.
func (s *stream) makeRoom(n int) {
	unread := s.end - s.pos
	size := len(s.buf)
	if size == 0 {
		size = firstBuffer
		if s.hint > 0 && s.hint < size {
			size = s.hint
		}
	} else if s.pos > 0 && size < bigBuffer {
		// The whole buffer was consumed at least once: a large input.
		size *= 4
	}
	for size < n {
		size *= 2
	}
	if size == len(s.buf) && s.pos+n <= size && size-s.end >= size/4 {
		return
	}
	if size != len(s.buf) {
		buf := make([]byte, size)
		copy(buf, s.buf[s.pos:s.end])
		s.buf = buf
	} else {
		copy(s.buf, s.buf[s.pos:s.end])
	}
	s.base += int64(s.pos)
	s.pos, s.end = 0, unread
}

// discard consumes n bytes, reading through those not yet buffered without
// keeping them. It returns the error of fill when the input ends first.
func (s *stream) discard(n int64) error {
	for n > 0 {
		if s.avail() == 0 {
			if err := s.fill(1); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return err
			}
		}
		k := int64(s.avail())
		if k > n {
			k = n
		}
		s.pos += int(k)
		n -= k
	}
	return nil
}
