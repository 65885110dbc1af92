package bundle

import (
	"errors"
	"hash"
	"os"
	"sync/atomic"
)

// sink takes the encrypted bundle bytes and hands them, in blocks, to two
// goroutines: one writes the file, one hashes it for the signature
// (BLAKE2b, the slowest step of an export, so it gets a core to itself).
// The caller goes on encrypting meanwhile; memory is the fixed ring of
// blocks.
type sink struct {
	free     chan *block
	toFile   chan *block
	toHash   chan *block
	fileDone chan error
	hashDone chan error
	cur      *block
	closed   bool
	err      error
}

type block struct {
	b    []byte
	left atomic.Int32 // consumers still reading b
}

const (
	sinkBlockSize = 256 << 10
	sinkBlocks    = 16
	// writebackEvery starts the kernel writing the file to disk every so
	// many bytes, so the closing fsync waits for little.
	writebackEvery = 8 << 20
)

func newSink(f *os.File, h hash.Hash) *sink {
	s := &sink{
		free:     make(chan *block, sinkBlocks),
		toFile:   make(chan *block, sinkBlocks),
		toHash:   make(chan *block, sinkBlocks),
		fileDone: make(chan error, 1),
		hashDone: make(chan error, 1),
	}
	for range sinkBlocks {
		s.free <- &block{b: make([]byte, 0, sinkBlockSize)}
	}
	go func() {
		var err error
		var written, started int64
		for b := range s.toFile {
			if err == nil {
				var n int
				n, err = f.Write(b.b)
				written += int64(n)
				if written-started >= writebackEvery {
					startWriteback(f, started, written-started)
					started = written
				}
			}
			s.release(b)
		}
		s.fileDone <- err
	}()
	go func() {
		for b := range s.toHash {
			h.Write(b.b) // never fails
			s.release(b)
		}
		s.hashDone <- nil
	}()
	return s
}

func (s *sink) release(b *block) {
	if b.left.Add(-1) == 0 {
		b.b = b.b[:0]
		s.free <- b
	}
}

func (s *sink) send() {
	b := s.cur
	s.cur = nil
	b.left.Store(2)
	s.toFile <- b
	s.toHash <- b
}

func (s *sink) Write(p []byte) (int, error) {
	if s.closed {
		return 0, errors.New("write after close")
	}
	for rest := p; len(rest) > 0; {
		if s.cur == nil {
			s.cur = <-s.free
		}
		n := min(len(rest), cap(s.cur.b)-len(s.cur.b))
		s.cur.b = append(s.cur.b, rest[:n]...)
		rest = rest[n:]
		if len(s.cur.b) == cap(s.cur.b) {
			s.send()
		}
	}
	return len(p), nil
}

// Close sends what is buffered, waits until the file has every byte and
// returns its first write error; the hash may still be running (see
// waitHash), so the caller can start syncing the file meanwhile. Calling
// it again returns the same error.
func (s *sink) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	if s.cur != nil && len(s.cur.b) > 0 {
		s.send()
	}
	close(s.toFile)
	close(s.toHash)
	s.err = <-s.fileDone
	return s.err
}

// waitHash waits, after Close, until the hash has seen every byte.
func (s *sink) waitHash() {
	if s.hashDone != nil {
		<-s.hashDone
		s.hashDone = nil
	}
}
