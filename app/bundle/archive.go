package bundle

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Member classes, in the order they must appear.
const (
	classHeader = iota + 1
	classBlob
	classRecords
	classManifest
)

// sourceError marks an error of the decrypted stream itself (damage the
// age layer found), as opposed to the archive's structure.
type sourceError struct{ err error }

func (e sourceError) Error() string { return e.err.Error() }
func (e sourceError) Unwrap() error { return e.err }

// limitedSource counts the decrypted bytes and enforces the archive limit.
type limitedSource struct {
	r io.Reader
	n int64
}

func (l *limitedSource) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > maxArchiveSize {
		return n, tooLarge("", "archive is larger than %d GiB", maxArchiveSize>>30)
	}
	if err != nil && err != io.EOF {
		err = sourceError{err}
	}
	return n, err
}

// archive walks a bundle's decrypted tar stream and enforces what every
// member may be: name, type, order, count and size. It never allocates
// from sizes the archive claims.
type archive struct {
	src     *limitedSource
	tr      *tar.Reader
	count   int
	class   int             // class of the last member
	seen    map[string]bool // names so far
	kind    string          // records kind being read
	chunk   int             // last chunk number of kind
	kinds   map[string]bool // kinds finished
	atEnd   bool
	trailer int64 // zero bytes after the tar end marker
}

func newArchive(r io.Reader) *archive {
	src := &limitedSource{r: r}
	return &archive{src: src, tr: tar.NewReader(src), seen: map[string]bool{}, kinds: map[string]bool{}}
}

// entry is one member about to be read.
type entry struct {
	name  string
	class int
	kind  string // records kind
	sha   string // blob name
	size  int64
	r     io.Reader
}

func typeName(t byte) string {
	switch t {
	case tar.TypeSymlink:
		return "symbolic link"
	case tar.TypeLink:
		return "hard link"
	case tar.TypeDir:
		return "directory"
	case tar.TypeChar, tar.TypeBlock:
		return "device"
	case tar.TypeFifo:
		return "named pipe"
	case tar.TypeXGlobalHeader:
		return "PAX global header"
	}
	return fmt.Sprintf("entry of type %q", t)
}

func wrapRead(member string, err error) error {
	var se sourceError
	var me *MemberError
	switch {
	case errors.As(err, &me):
		return err
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return err // the reader was stopped: nothing is wrong with the bundle
	case errors.As(err, &se):
		return &MemberError{Member: member, Err: fmt.Errorf("%w: decrypting: %v", ErrMalformed, se.err)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed(member, 0, "archive ends inside a member")
	}
	return malformed(member, 0, "%v", err)
}

// next returns the next member, or nil after the manifest when the archive
// ended properly.
func (a *archive) next() (*entry, error) {
	if a.atEnd {
		return nil, nil
	}
	hdr, err := a.tr.Next()
	if err == io.EOF {
		if a.class != classManifest {
			if a.count == 0 {
				return nil, malformed("", 0, "empty archive")
			}
			return nil, malformed("", 0, "archive ends without %s", manifestName)
		}
		if err := a.finish(); err != nil {
			return nil, err
		}
		a.atEnd = true
		return nil, nil
	}
	if err != nil {
		return nil, wrapRead("", err)
	}
	name := hdr.Name
	a.count++
	if a.count > maxMembers {
		return nil, tooLarge(name, "more than %d members", maxMembers)
	}
	if hdr.Typeflag != tar.TypeReg {
		return nil, malformed(name, 0, "is a %s; only regular files are allowed", typeName(hdr.Typeflag))
	}
	// Sparse members would let a few bytes expand into gigabytes of holes.
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return nil, malformed(name, 0, "is a sparse file; only plain regular files are allowed")
		}
	}
	if strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || name != path.Clean(name) ||
		name == ".." || strings.HasPrefix(name, "../") || strings.Contains(name, "/../") {
		return nil, malformed(name, 0, "path escapes the bundle or is not canonical")
	}
	if a.seen[name] {
		return nil, malformed(name, 0, "duplicate member")
	}
	a.seen[name] = true
	if a.class == classManifest {
		return nil, malformed(name, 0, "member after %s", manifestName)
	}
	e := &entry{name: name, size: hdr.Size, r: a.tr}
	var limit int64
	switch {
	case name == headerName:
		if a.class != 0 {
			return nil, malformed(name, 0, "must be the first member")
		}
		e.class, limit = classHeader, maxHeaderSize
	case a.class == 0:
		return nil, malformed(name, 0, "first member must be %s", headerName)
	case strings.HasPrefix(name, blobPrefix):
		sha := strings.TrimPrefix(name, blobPrefix)
		if !shaRe.MatchString(sha) {
			return nil, malformed(name, 0, "blob name is not a lowercase hex SHA-256")
		}
		if a.class > classBlob {
			return nil, malformed(name, 0, "evidence blobs must come before records")
		}
		e.class, e.sha, limit = classBlob, sha, maxBlobSize
	case strings.HasPrefix(name, recordsPrefix):
		m := chunkRe.FindStringSubmatch(name)
		if m == nil {
			return nil, malformed(name, 0, "records member name is not records/<kind>/<NNNNNN>.jsonl")
		}
		kind := m[1]
		n, _ := strconv.Atoi(m[2])
		if kind != a.kind {
			if a.kinds[kind] {
				return nil, malformed(name, 0, "records of kind %q are not together", kind)
			}
			if a.kind != "" {
				a.kinds[a.kind] = true
			}
			a.kind, a.chunk = kind, 0
		}
		if n != a.chunk+1 {
			return nil, malformed(name, 0, "chunk %d of kind %q follows chunk %d", n, kind, a.chunk)
		}
		a.chunk = n
		e.class, e.kind, limit = classRecords, kind, maxChunkSize
	case name == manifestName:
		e.class, limit = classManifest, maxManifestSize
	default:
		return nil, malformed(name, 0, "unexpected member")
	}
	if hdr.Size < 0 || hdr.Size > limit {
		return nil, tooLarge(name, "%d bytes, limit %d", hdr.Size, limit)
	}
	a.class = e.class
	return e, nil
}

// finish reads what follows the tar end marker to the end of the stream,
// so the age layer authenticates the final chunk; only a little zero
// padding may follow.
func (a *archive) finish() error {
	buf := make([]byte, 32<<10)
	for {
		n, err := a.src.Read(buf)
		for _, b := range buf[:n] {
			if b != 0 {
				return malformed("", 0, "data after the end of the archive")
			}
		}
		a.trailer += int64(n)
		if a.trailer > maxTrailingZeros {
			return malformed("", 0, "more than %d bytes after the end of the archive", maxTrailingZeros)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return wrapRead("", err)
		}
	}
}

// readAll reads a small member whole (header, manifest, blob); its size
// was checked against the member's limit.
func readAll(e *entry) ([]byte, error) {
	b := make([]byte, 0, min(e.size, 1<<20))
	buf := bytes.NewBuffer(b)
	if _, err := io.Copy(buf, e.r); err != nil {
		return nil, wrapRead(e.name, err)
	}
	if int64(buf.Len()) != e.size {
		return nil, malformed(e.name, 0, "read %d bytes, header says %d", buf.Len(), e.size)
	}
	return buf.Bytes(), nil
}

// lineReader splits a records member into lines of at most maxRecordSize.
type lineReader struct {
	br   *bufio.Reader
	name string
	line int
}

func newLineReader(e *entry) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(e.r, 64<<10), name: e.name}
}

// next returns the next line without its newline (a fresh slice), or nil
// at the end of the member.
func (l *lineReader) next() ([]byte, error) {
	var out []byte
	for {
		frag, err := l.br.ReadSlice('\n')
		if len(out)+len(frag) > maxRecordSize+1 {
			return nil, &MemberError{Member: l.name, Line: l.line + 1, Err: fmt.Errorf("%w: record longer than %d bytes", ErrTooLarge, maxRecordSize)}
		}
		out = append(out, frag...)
		switch {
		case err == nil:
			l.line++
			line := out[:len(out)-1]
			if len(line) == 0 {
				return nil, malformed(l.name, l.line, "empty line")
			}
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF:
			if len(out) > 0 {
				return nil, malformed(l.name, l.line+1, "last record does not end with a newline")
			}
			return nil, nil
		default:
			return nil, wrapRead(l.name, err)
		}
	}
}
