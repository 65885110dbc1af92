package zeek

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

type logType uint8

const (
	typeUnknown logType = iota
	typeConn
	typeModbus
	typeDNP3
	typeS7comm
	typeS7commPlus
	typeCIP
	typeENIP
	typeBACnet
	typeCIPIO
)

// logTypes are the #path / _path values read; any other log is skipped.
var logTypes = map[string]logType{
	"conn":        typeConn,
	"modbus":      typeModbus,
	"dnp3":        typeDNP3,
	"s7comm":      typeS7comm,
	"s7comm_plus": typeS7commPlus,
	"cip":         typeCIP,
	"enip":        typeENIP,
	"bacnet":      typeBACnet,
	"cip_io":      typeCIPIO,
}

// essential lists, per log type, the columns without which a TSV file is
// refused as a whole (a JSON line lacking them is a bad line).
var essential = map[logType][]slot{
	typeConn: {fUID, fOrigH, fRespH, fRespP},
}

// opEssential: an operation means nothing without its connection.
var opEssential = []slot{fUID}

func essentialFor(t logType) []slot {
	if t == typeConn {
		return essential[typeConn]
	}
	return opEssential
}

// typeFromName guesses the log type from a file name: the part before the
// first dot ("conn.log", "conn.00:00:00-01:00:00.log.gz", "conn.json").
func typeFromName(name string) string {
	base := filepath.Base(name)
	if i := strings.IndexByte(base, '.'); i >= 0 {
		base = base[:i]
	}
	return base
}

// fieldError is a value the line's log type cannot use.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return "field " + e.field + ": " + e.msg }

func badField(s slot, err error) error {
	return &fieldError{field: slotNames[s], msg: err.Error()}
}

func missing(s slot) error {
	return &fieldError{field: slotNames[s], msg: "missing"}
}

// handlerError wraps what a Handler returned, to tell it from bad input.
type handlerError struct{ err error }

func (e *handlerError) Error() string { return e.err.Error() }
func (e *handlerError) Unwrap() error { return e.err }

type reader struct {
	ctx  context.Context
	name string
	h    Handler
	res  FileResult
	lr   *lineReader
	line int64

	rec   record
	conn  Conn
	bools []bool // see newBool
	strs  interner
	uidB  []byte // UID of the previous op line and its string:
	uidS  string // op logs repeat one UID for many lines

	json jsonParser
	pdus pduCache

	// TSV header state.
	sep        []byte
	unset      []byte
	empty      []byte
	cols       []slot
	haveFields bool
	pathSeen   bool // a #path in the current header block

	cur     logType
	curName string
}

// ReadFile reads one log (plain or gzip, told by its magic bytes) from r.
// name is used in messages and, when the log has no #path or _path, to
// guess its type. A log type this package does not read sets
// FileResult.Skipped and returns a nil error. A file that is neither TSV
// with #fields nor JSON lines returns an error wrapping ErrNotZeekLog; a
// TSV conn.log without uid, id.orig_h, id.resp_h or id.resp_p returns one
// wrapping ErrMissingField. Bad lines are counted, not returned.
func ReadFile(ctx context.Context, name string, r io.Reader, h Handler) (FileResult, error) {
	rd := &reader{
		ctx:   ctx,
		name:  name,
		h:     h,
		lr:    newLineReader(r),
		sep:   []byte{'\t'},
		unset: []byte{'-'},
		empty: []byte("(empty)"),
	}
	rd.res.Path = name
	err := rd.run()
	if rd.lr.damaged != "" {
		rd.res.Damaged = rd.lr.damaged
	}
	rd.lr.release()
	return rd.res, err
}

func (rd *reader) run() error {
	// The first line that is not blank tells the format.
	var first []byte
	for {
		line, tooLong, err := rd.next()
		if err == io.EOF {
			if rd.res.Damaged == "" && rd.lr.damaged == "" {
				rd.res.Skipped = "empty file"
			}
			return nil
		}
		if err != nil {
			return err
		}
		if tooLong {
			return fmt.Errorf("%s: line %d longer than %d bytes: %w", rd.name, rd.line, MaxLine, ErrNotZeekLog)
		}
		if rd.line == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(line)) > 0 {
			first = line
			break
		}
	}
	switch first = bytes.TrimLeft(first, " \t"); {
	case first[0] == '#':
		rd.res.Format = "tsv"
		return rd.tsv(first)
	case first[0] == '{':
		rd.res.Format = "json"
		return rd.jsonLines(first)
	}
	return fmt.Errorf("%s: first line starts %q: %w", rd.name, preview(first), ErrNotZeekLog)
}

func preview(b []byte) string {
	const n = 40
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}

func (rd *reader) next() ([]byte, bool, error) {
	line, tooLong, err := rd.lr.next()
	if err != nil {
		if err == io.EOF {
			return nil, false, err
		}
		return nil, false, fmt.Errorf("%s: after line %d: %w", rd.name, rd.line, err)
	}
	rd.line++
	rd.res.Lines++
	if rd.line&1023 == 0 {
		if err := rd.ctx.Err(); err != nil {
			return nil, false, err
		}
	}
	return line, tooLong, nil
}

// bad counts a refused line; only the first is described.
func (rd *reader) bad(err error) {
	rd.res.BadLines++
	if rd.res.FirstBad == "" {
		rd.res.FirstBad = fmt.Sprintf("line %d: %v", rd.line, err)
	}
}

var errTooLong = fmt.Errorf("longer than %d bytes", MaxLine)

// setType switches to the log type named; on the file's first type, an
// unknown one skips the file (ok false).
func (rd *reader) setType(name string) (ok bool) {
	rd.cur = logTypes[name]
	rd.curName = name
	if rd.res.LogType == "" {
		rd.res.LogType = name
		if rd.cur == typeUnknown {
			if name == "" {
				rd.res.Skipped = "log type unknown: not read"
			} else {
				rd.res.Skipped = name + ".log: not read"
			}
			return false
		}
	}
	return true
}

// record hands the filled rec to the log type's code. A *fieldError makes
// the line bad; a handler's error stops the read.
func (rd *reader) record() error {
	rd.rec.line = rd.line
	var err error
	switch rd.cur {
	case typeConn:
		err = rd.emitConn()
	case typeUnknown:
		return nil
	default:
		err = rd.emitOp()
	}
	if err == nil {
		rd.res.Records++
		return nil
	}
	var he *handlerError
	if errors.As(err, &he) {
		return fmt.Errorf("%s: line %d: %w", rd.name, rd.line, he)
	}
	rd.bad(err)
	return nil
}

// ---- TSV ----

func (rd *reader) tsv(first []byte) error {
	line := first
	for {
		if line != nil {
			if err := rd.tsvLine(line); err != nil {
				return err
			}
			if rd.res.Skipped != "" {
				return nil
			}
		}
		var tooLong bool
		var err error
		line, tooLong, err = rd.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tooLong {
			rd.bad(errTooLong)
			line = nil
		}
	}
}

// headerKeys are the lines Zeek's ASCII writer starts with '#'.
var headerKeys = []string{"separator", "set_separator", "empty_field", "unset_field",
	"path", "open", "fields", "types", "close"}

func (rd *reader) tsvLine(line []byte) error {
	if len(line) == 0 {
		return nil
	}
	if line[0] == '#' {
		if key, val, ok := rd.header(line); ok {
			return rd.tsvHeader(key, val)
		}
		if !rd.haveFields {
			return nil // a comment before the header ends
		}
	}
	if !rd.haveFields {
		return fmt.Errorf("%s: line %d: data before a #fields header: %w", rd.name, rd.line, ErrNotZeekLog)
	}
	if rd.cur == typeUnknown {
		return nil
	}
	rd.rec.reset()
	n := 0
	rest := line
	sep := rd.sep
	for {
		i := -1
		if len(sep) == 1 {
			i = bytes.IndexByte(rest, sep[0])
		} else {
			i = bytes.Index(rest, sep)
		}
		f := rest
		if i >= 0 {
			f = rest[:i]
		}
		if n < len(rd.cols) {
			// An empty field is as unset as "-" or "(empty)".
			if s := rd.cols[n]; s != slotNone && len(f) > 0 && !bytes.Equal(f, rd.unset) && !bytes.Equal(f, rd.empty) {
				rd.rec.v[s] = f
			}
		}
		n++
		if i < 0 {
			break
		}
		rest = rest[i+len(sep):]
	}
	if n != len(rd.cols) {
		rd.bad(fmt.Errorf("%d fields, the #fields header names %d", n, len(rd.cols)))
		return nil
	}
	return rd.record()
}

// header splits "#key<sep>value" ("#separator \x09" uses a space).
func (rd *reader) header(line []byte) (key string, val []byte, ok bool) {
	body := line[1:]
	for _, k := range headerKeys {
		if len(body) > len(k) && string(body[:len(k)]) == k {
			rest := body[len(k):]
			if k == "separator" && rest[0] == ' ' {
				return k, rest[1:], true
			}
			if bytes.HasPrefix(rest, rd.sep) {
				return k, rest[len(rd.sep):], true
			}
			if rest[0] == ' ' || rest[0] == '\t' {
				return k, rest[1:], true
			}
		} else if len(body) == len(k) && string(body) == k {
			return k, nil, true
		}
	}
	return "", nil, false
}

func (rd *reader) tsvHeader(key string, val []byte) error {
	switch key {
	case "separator":
		// A new header block (a rotated log appended to another).
		sep := unescapeHeader(val)
		if len(sep) == 0 {
			return fmt.Errorf("%s: line %d: empty #separator: %w", rd.name, rd.line, ErrNotZeekLog)
		}
		rd.sep = sep
		rd.haveFields = false
		rd.pathSeen = false
	case "empty_field":
		rd.empty = append([]byte(nil), val...)
	case "unset_field":
		rd.unset = append([]byte(nil), val...)
	case "path":
		rd.pathSeen = true
		if !rd.setType(string(val)) {
			return nil
		}
	case "fields":
		if !rd.pathSeen {
			if !rd.setType(typeFromName(rd.name)) {
				return nil
			}
		}
		rd.cols = rd.cols[:0]
		seen := map[slot]bool{}
		for _, name := range bytes.Split(val, rd.sep) {
			s, ok := fieldSlot[string(name)]
			if !ok || seen[s] {
				s = slotNone
			}
			seen[s] = true
			rd.cols = append(rd.cols, s)
		}
		rd.haveFields = true
		if rd.cur != typeUnknown {
			for _, s := range essentialFor(rd.cur) {
				if !seen[s] {
					return fmt.Errorf("%s: line %d: %s.log has no %s column: %w",
						rd.name, rd.line, rd.curName, slotNames[s], ErrMissingField)
				}
			}
		}
	}
	return nil
}

// unescapeHeader decodes the \xHH escapes of a #separator value.
func unescapeHeader(v []byte) []byte {
	var out []byte
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+3 < len(v) && (v[i+1] == 'x' || v[i+1] == 'X') {
			hi, ok1 := unhex(v[i+2])
			lo, ok2 := unhex(v[i+3])
			if ok1 && ok2 {
				out = append(out, hi<<4|lo)
				i += 3
				continue
			}
		}
		out = append(out, v[i])
	}
	return out
}

// ---- JSON ----

func (rd *reader) jsonLines(first []byte) error {
	guess := typeFromName(rd.name)
	typed := false
	line := first
	for {
		if line != nil && len(bytes.TrimSpace(line)) > 0 {
			rd.rec.reset()
			if err := rd.json.parse(line, &rd.rec); err != nil {
				rd.bad(err)
			} else {
				// Compared without a conversion per line; converted
				// only when the type changes.
				if p := rd.rec.v[fPath]; p != nil {
					if !typed || string(p) != rd.curName {
						if !rd.setType(string(p)) {
							return nil
						}
					}
				} else if !typed || guess != rd.curName {
					if !rd.setType(guess) {
						return nil
					}
				}
				typed = true
				if rd.cur != typeUnknown {
					if err := rd.record(); err != nil {
						return err
					}
				}
			}
		}
		var tooLong bool
		var err error
		line, tooLong, err = rd.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if tooLong {
			rd.bad(errTooLong)
			line = nil
		}
	}
}
