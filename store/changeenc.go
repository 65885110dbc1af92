package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The change log sits on every durable write, so its entries are compared
// and encoded without reflection: records are split into their top-level
// fields by a small scanner, and the entry is appended byte by byte. The
// result decodes into Change like json.Marshal's output would
// (TestEncodeChangeMatchesMarshal).

// field is one top-level member of a JSON object: its key as written
// (still quoted) and its raw value.
type field struct {
	key, value []byte
}

var errScan = errors.New("not a JSON object the scanner reads")

// topFields splits a JSON object into its members, in order. Keys with
// escapes are refused (errScan) so that raw key bytes compare as keys;
// the caller then takes the slow path.
func topFields(raw []byte, out []field) ([]field, error) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, errScan
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return out, nil
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return nil, errScan
		}
		end := bytes.IndexByte(raw[i+1:], '"')
		if end < 0 {
			return nil, errScan
		}
		key := raw[i : i+end+2]
		if !plainKey(key[1 : len(key)-1]) {
			return nil, errScan
		}
		i = skipSpace(raw, i+end+2)
		if i >= len(raw) || raw[i] != ':' {
			return nil, errScan
		}
		i = skipSpace(raw, i+1)
		j, err := skipValue(raw, i)
		if err != nil {
			return nil, err
		}
		for _, f := range out {
			if bytes.Equal(f.key, key) {
				return nil, errScan // encoding/json keeps the last; leave that to it
			}
		}
		out = append(out, field{key: key, value: raw[i:j]})
		i = skipSpace(raw, j)
		if i >= len(raw) {
			return nil, errScan
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return out, nil
		default:
			return nil, errScan
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value starting at i. It balances
// brackets outside strings; the value's own validity was checked when the
// record was encoded or decoded.
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errScan
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				j, err := skipString(b, i)
				if err != nil {
					return 0, err
				}
				i = j
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, errScan
	}
	j := i // a number, true, false or null
	for j < len(b) && bytes.IndexByte([]byte(",}] \t\n\r"), b[j]) < 0 {
		j++
	}
	if j == i {
		return 0, errScan
	}
	return j, nil
}

// skipString returns the end of the JSON string starting at i.
func skipString(b []byte, i int) (int, error) {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errScan
}

// fieldChange is one changed top-level field: key quoted, values raw
// (null when absent).
type fieldChange struct {
	key, old, cur []byte
}

// bookkeepingKeys are the bookkeeping fields' keys as they stand in JSON.
var bookkeepingKeys = func() [][]byte {
	var out [][]byte
	for k := range bookkeeping {
		out = append(out, []byte(strconv.Quote(k)))
	}
	return out
}()

func isBookkeeping(key []byte) bool {
	for _, k := range bookkeepingKeys {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// diffFields compares two versions of a record (old nil when new) and
// returns the changed fields sorted by key.
func diffFields(old, cur []byte) ([]fieldChange, error) {
	var buf [2][32]field
	a, err := topFields(old, buf[0][:0])
	if old == nil {
		a, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	b, err := topFields(cur, buf[1][:0])
	if err != nil {
		return nil, err
	}
	out := make([]fieldChange, 0, len(b))
	for _, f := range b {
		if isBookkeeping(f.key) {
			continue
		}
		prev := []byte(nil)
		for _, g := range a {
			if bytes.Equal(g.key, f.key) {
				prev = g.value
				break
			}
		}
		if prev == nil {
			out = append(out, fieldChange{f.key, jsonNull, f.value})
		} else if !bytes.Equal(prev, f.value) {
			out = append(out, fieldChange{f.key, prev, f.value})
		}
	}
	for _, g := range a {
		if isBookkeeping(g.key) || slices.ContainsFunc(b, func(f field) bool { return bytes.Equal(f.key, g.key) }) {
			continue
		}
		out = append(out, fieldChange{g.key, g.value, jsonNull})
	}
	slices.SortFunc(out, func(x, y fieldChange) int { return bytes.Compare(x.key, y.key) })
	return out, nil
}

// appendChange encodes an entry whose Fields are given as fields. An
// entry's Meta has no history and is never a tombstone.
func appendChange(buf []byte, c *Change, fields []fieldChange) ([]byte, error) {
	if len(c.Prev) > 0 || c.Deleted {
		return nil, errors.New("store: a change-log entry has no history")
	}
	buf = append(buf, `{"id":`...)
	buf = appendString(buf, c.ID)
	buf = append(buf, `,"version":{"wall":`...)
	buf = strconv.AppendInt(buf, c.Version.Wall, 10)
	if c.Version.Logical != 0 {
		buf = append(buf, `,"logical":`...)
		buf = strconv.AppendUint(buf, uint64(c.Version.Logical), 10)
	}
	buf = append(buf, `,"device":`...)
	buf = appendString(buf, c.Version.Device)
	buf = append(buf, '}')
	if c.ChangedBy != "" {
		buf = append(buf, `,"changed_by":`...)
		buf = appendString(buf, c.ChangedBy)
	}
	buf = append(buf, `,"device":`...)
	buf = appendString(buf, c.Device)
	buf = append(buf, `,"seq":`...)
	buf = strconv.AppendUint(buf, c.Seq, 10)
	buf = append(buf, `,"prev_hash":`...)
	buf = appendString(buf, c.PrevHash)
	buf = append(buf, `,"kind":`...)
	buf = appendString(buf, c.Kind)
	buf = append(buf, `,"record":`...)
	buf = appendString(buf, c.Record)
	buf = append(buf, `,"op":`...)
	buf = appendString(buf, c.Op)
	if c.Created != "" {
		buf = append(buf, `,"created":`...)
		buf = appendString(buf, c.Created)
	}
	if len(fields) > 0 {
		buf = append(buf, `,"fields":{`...)
		for i, f := range fields {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = append(buf, f.key...)
			buf = append(buf, ":["...)
			buf = append(buf, f.old...)
			buf = append(buf, ',')
			buf = append(buf, f.cur...)
			buf = append(buf, ']')
		}
		buf = append(buf, '}')
	}
	return append(buf, '}'), nil
}

// plainKey: printable ASCII without quote or backslash, so the key reads
// as written and ContentHash quotes it back to the same bytes.
func plainKey[T string | []byte](k T) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// appendString appends s as a JSON string. Our IDs, kinds and hashes are
// plain ASCII; anything else goes through encoding/json.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s)
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}
