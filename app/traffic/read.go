package traffic

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"compress/gzip"

	"github.com/zonewalk/zonewalk/app/traffic/pcap"
	"github.com/zonewalk/zonewalk/app/traffic/zeek"
)

// ErrUnknownFormat: a file is neither a capture nor a Zeek log.
var ErrUnknownFormat = errors.New("not a pcap/pcapng capture or a Zeek log")

// Progress is told how many bytes of how many have been read.
type Progress func(done, total int64)

// Input is one thing to import: a capture, or a group of Zeek logs read
// together (a conn.log and the ICS logs that refer to its connections).
type Input struct {
	Name  string   // as the user gave it
	Paths []string // one capture, or the Zeek logs
	Zeek  bool
}

// Inputs sorts the paths a user gave into imports: each capture is one;
// the Zeek logs of one folder, or all Zeek logs named together, are one.
// A folder is searched for captures and logs; files that are neither are
// refused by name before anything is read.
func Inputs(paths []string) ([]Input, error) {
	var out []Input
	var loose []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			kind, err := sniff(p)
			if err != nil {
				return nil, err
			}
			if kind == "zeek" {
				loose = append(loose, p)
			} else {
				out = append(out, Input{Name: filepath.Base(p), Paths: []string{p}})
			}
			continue
		}
		var logs []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return err
			}
			kind, err := sniff(path)
			switch {
			case errors.Is(err, ErrUnknownFormat):
				return nil // a folder of logs also holds README, stats, …
			case err != nil:
				return err
			case kind == "zeek":
				logs = append(logs, path)
			default:
				out = append(out, Input{Name: relName(p, path), Paths: []string{path}})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(logs) > 0 {
			out = append(out, Input{Name: filepath.Base(filepath.Clean(p)), Paths: logs, Zeek: true})
		}
	}
	if len(loose) > 0 {
		name := filepath.Base(loose[0])
		if len(loose) > 1 {
			name = fmt.Sprintf("%s and %d more Zeek logs", name, len(loose)-1)
		}
		out = append(out, Input{Name: name, Paths: loose, Zeek: true})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no captures or Zeek logs found", strings.Join(paths, ", "))
	}
	return out, nil
}

func relName(root, path string) string {
	if r, err := filepath.Rel(filepath.Dir(filepath.Clean(root)), path); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.Base(path)
}

// sniff tells a capture from a Zeek log by its first bytes (through gzip).
func sniff(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return "", err
		}
		if head, err = gunzipHead(f); err != nil {
			return "", fmt.Errorf("%s: %w (gzip: %v)", path, ErrUnknownFormat, err)
		}
	}
	switch {
	case len(head) >= 4 && isCaptureMagic(head[:4]):
		return "capture", nil
	case len(head) > 0 && (head[0] == '#' || head[0] == '{'):
		return "zeek", nil
	}
	return "", fmt.Errorf("%s: %w (starts with %q)", path, ErrUnknownFormat, printable(head, 16))
}

func isCaptureMagic(b []byte) bool {
	switch string(b) {
	case "\xd4\xc3\xb2\xa1", "\xa1\xb2\xc3\xd4", "\x4d\x3c\xb2\xa1", "\xa1\xb2\x3c\x4d", "\x0a\x0d\x0d\x0a":
		return true
	}
	return false
}

func printable(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, string(b))
}

// countingReader counts bytes for progress and hashes them on the way.
type countingReader struct {
	r     io.Reader
	h     io.Writer
	n     int64
	total int64
	next  int64
	fn    Progress
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.h.Write(p[:n])
		c.n += int64(n)
		if c.fn != nil && c.n >= c.next {
			c.fn(c.n, c.total)
			c.next = c.n + 4<<20
		}
	}
	return n, err
}

// Read imports one input. source names the source record for the
// content's SHA-256 (the caller knows the device); every record of the
// Result belongs to it. A damaged capture is read up to the damage and
// says so in Source.Damage; a file that is not a capture or log is an
// error wrapping the reader's sentinel.
func Read(ctx context.Context, in Input, source func(sha string) string, progress Progress) (*Result, error) {
	if in.Zeek {
		return readZeek(ctx, in, source, progress)
	}
	return readCapture(ctx, in, source, progress)
}

func readCapture(ctx context.Context, in Input, source func(sha string) string, progress Progress) (*Result, error) {
	path := in.Paths[0]
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	cr := &countingReader{r: f, h: h, total: fi.Size(), fn: progress}
	agg := NewAggregator()
	st, err := pcap.Read(ctx, cr, func(p *pcap.Packet) error { agg.Packet(p); return nil })
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Hash what the reader left unread (padding after a damaged end), so
	// the source is the whole file.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if progress != nil {
		progress(cr.n, cr.n)
	}
	sha := hex.EncodeToString(h.Sum(nil))
	id := source(sha)
	res := &Result{Source: Source{
		Name: in.Name, SHA256: sha, Size: cr.n, Format: st.Format,
		First: st.First.UTC(), Last: st.Last.UTC(), Packets: st.Packets, Bytes: st.Bytes,
		Connections: agg.Connections(), Damage: damageText(st.Damaged),
	}}
	res.Source.ID = id
	for reason, n := range st.Skipped {
		res.Source.Skipped = append(res.Source.Skipped, fmt.Sprintf("%s: %d frames", reason, n))
	}
	slices.Sort(res.Source.Skipped)
	res.Hosts, res.Flows = agg.Result(id)
	res.Source.Hosts, res.Source.Flows = len(res.Hosts), len(res.Flows)
	return res, nil
}

// readZeek reads a group of Zeek logs: connection logs first, so the ICS
// logs find the connections they refer to.
func readZeek(ctx context.Context, in Input, source func(sha string) string, progress Progress) (*Result, error) {
	paths := slices.Clone(in.Paths)
	sort.SliceStable(paths, func(i, j int) bool {
		ci, cj := isConnLog(paths[i]), isConnLog(paths[j])
		if ci != cj {
			return ci
		}
		return paths[i] < paths[j]
	})
	var total int64
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	agg := NewAggregator()
	for _, p := range paths {
		if !isConnLog(p) {
			agg.KeepUIDs()
			break
		}
	}
	var files []SourceFile
	var done, orphans int64
	first, last := time.Time{}, time.Time{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		h := sha256.New()
		base := done
		cr := &countingReader{r: f, h: h, total: total}
		if progress != nil {
			cr.fn = func(n, _ int64) { progress(base+n, total) }
		}
		handler := zeek.Handler{
			Conn: func(c *zeek.Conn) error {
				if first.IsZero() || c.TS.Before(first) {
					first = c.TS
				}
				if e := c.TS.Add(c.Duration); e.After(last) {
					last = e
				}
				agg.Conn(c)
				return nil
			},
			Op: func(o zeek.Op) error {
				if !agg.ZeekOp(o) {
					orphans++
				}
				return nil
			},
		}
		fr, err := zeek.ReadFile(ctx, p, cr, handler)
		if err == nil {
			_, err = io.Copy(io.Discard, cr)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		done += cr.n
		sf := SourceFile{Name: relName(in.Name, p), SHA256: hex.EncodeToString(h.Sum(nil)), Size: cr.n,
			Type: fr.LogType, Records: fr.Records, Skipped: fr.Skipped}
		sf.Name = filepath.Base(p)
		if fr.BadLines > 0 {
			sf.Skipped = cmp.Or(sf.Skipped, fmt.Sprintf("%d bad lines; first: %s", fr.BadLines, fr.FirstBad))
		}
		files = append(files, sf)
	}
	// The source hash covers each log's name and content, in name order.
	byName := slices.Clone(files)
	slices.SortFunc(byName, func(a, b SourceFile) int { return cmp.Compare(a.Name, b.Name) })
	h := sha256.New()
	var size int64
	for _, f := range byName {
		fmt.Fprintf(h, "%s %s\n", f.SHA256, f.Name)
		size += f.Size
	}
	sha := hex.EncodeToString(h.Sum(nil))
	id := source(sha)
	res := &Result{Source: Source{Name: in.Name, SHA256: sha, Size: size, Format: "zeek", Files: byName,
		First: first.UTC(), Last: last.UTC(), Connections: agg.Connections()}}
	res.Source.ID = id
	for _, f := range byName {
		if f.Skipped != "" {
			res.Source.Skipped = append(res.Source.Skipped, f.Name+": "+f.Skipped)
		}
	}
	if orphans > 0 {
		res.Source.Skipped = append(res.Source.Skipped, fmt.Sprintf("%d ICS log records whose connection is in no conn.log read", orphans))
	}
	res.Hosts, res.Flows = agg.Result(id)
	for _, fl := range res.Flows {
		res.Source.Packets += fl.Packets
		res.Source.Bytes += fl.Bytes
	}
	res.Source.Hosts, res.Source.Flows = len(res.Hosts), len(res.Flows)
	return res, nil
}

func isConnLog(p string) bool { return strings.HasPrefix(filepath.Base(p), "conn.") }

// gunzipHead reads the first bytes of a gzip stream.
func gunzipHead(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(zr, head)
	if n == 0 && err != nil {
		return nil, err
	}
	return head[:n], nil
}
