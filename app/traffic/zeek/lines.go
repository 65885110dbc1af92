package zeek

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"
)

// lineReader yields lines without their "\n" or "\r\n" from a plain or
// gzip stream, reusing its buffers. A line longer than MaxLine is reported
// as too long and skipped without being held in memory.
type lineReader struct {
	br      *bufio.Reader // lines are read from here
	in      *bufio.Reader // the stream as given
	zr      *gzip.Reader
	long    []byte // a line longer than br's buffer, assembled
	src     *errRecorder
	gz      bool
	pending error // returned after the last line
	damaged string
}

// errRecorder remembers the underlying reader's own errors, so that a
// read error surfacing through gzip is told apart from damaged gzip data.
type errRecorder struct {
	r   io.Reader
	err error
}

func (e *errRecorder) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

const bufSize = 256 << 10

// Buffers and decompressors are pooled: a directory of small rotated logs
// would otherwise cost a fresh quarter megabyte, cleared, per file.
var (
	bufPool  = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}
	gzipPool sync.Pool // *gzip.Reader
)

// newLineReader detects gzip by its magic bytes (1f 8b). A plain stream
// is read through one buffer, a gzip stream through one on each side of
// the decompressor. release hands them back.
func newLineReader(r io.Reader) *lineReader {
	src := &errRecorder{r: r}
	in := bufPool.Get().(*bufio.Reader)
	in.Reset(src)
	lr := &lineReader{src: src, br: in, in: in}
	magic, _ := in.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		lr.gz = true
		var err error
		if zr, ok := gzipPool.Get().(*gzip.Reader); ok {
			err = zr.Reset(in)
			lr.zr = zr
		} else {
			lr.zr, err = gzip.NewReader(in)
		}
		if err != nil {
			lr.br = bufio.NewReaderSize(bytes.NewReader(nil), 16)
			lr.fault(err)
			return lr
		}
		lr.br = bufPool.Get().(*bufio.Reader)
		lr.br.Reset(lr.zr)
	}
	return lr
}

func (lr *lineReader) release() {
	if lr.in != nil {
		lr.in.Reset(nil)
		bufPool.Put(lr.in)
	}
	if lr.zr != nil {
		if lr.br != lr.in && lr.br.Size() == bufSize {
			lr.br.Reset(nil)
			bufPool.Put(lr.br)
		}
		gzipPool.Put(lr.zr)
	}
	*lr = lineReader{}
}

// fault classifies a read error: damaged compressed data ends the stream
// quietly (lines before it stand), anything else is an I/O error.
func (lr *lineReader) fault(err error) {
	if lr.src.err != nil {
		lr.pending = lr.src.err
		return
	}
	var corrupt flate.CorruptInputError
	if lr.gz && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, gzip.ErrChecksum) ||
		errors.Is(err, gzip.ErrHeader) || errors.As(err, &corrupt) || errors.Is(err, io.EOF)) {
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			lr.damaged = "gzip stream truncated"
		default:
			lr.damaged = fmt.Sprintf("gzip stream damaged: %v", err)
		}
		lr.pending = io.EOF
		return
	}
	lr.pending = err
}

// next returns the next line. tooLong reports a line over MaxLine, whose
// text is not returned. At the end it returns io.EOF; an I/O error is
// returned as is.
func (lr *lineReader) next() (line []byte, tooLong bool, err error) {
	if lr.pending != nil {
		return nil, false, lr.pending
	}
	lr.long = lr.long[:0]
	over := false
	for {
		chunk, err := lr.br.ReadSlice('\n')
		switch {
		case err == nil:
			if !over && len(lr.long) == 0 {
				return trimEOL(chunk), false, nil
			}
			if !over && len(lr.long)+len(chunk) <= MaxLine+2 {
				lr.long = append(lr.long, chunk...)
				l := trimEOL(lr.long)
				if len(l) <= MaxLine {
					return l, false, nil
				}
			}
			return nil, true, nil
		case err == bufio.ErrBufferFull:
			if !over {
				if len(lr.long)+len(chunk) > MaxLine+2 {
					over = true
					lr.long = lr.long[:0]
				} else {
					lr.long = append(lr.long, chunk...)
				}
			}
			continue
		default:
			if err != io.EOF {
				lr.fault(err)
			} else {
				lr.pending = io.EOF
			}
			// The last line, without a newline.
			if over {
				return nil, true, nil
			}
			if len(lr.long) > 0 || len(chunk) > 0 {
				lr.long = append(lr.long, chunk...)
				l := trimEOL(lr.long)
				if len(l) > MaxLine {
					return nil, true, nil
				}
				return l, false, nil
			}
			return nil, false, lr.pending
		}
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}
