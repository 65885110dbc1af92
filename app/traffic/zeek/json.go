package zeek

import (
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// A hand-written reader for Zeek's JSON lines: one flat object per line
// ("id.orig_h": ...), or the nested form some shippers write ("id":
// {"orig_h": ...}), whose keys are joined with dots. Values are not
// converted here: a string's decoded bytes, or a number/true/false as
// written, land in the record's slot for the key, and the per-type code
// parses them as it does TSV fields. encoding/json would cost a reflection
// walk and a map per line.

const maxJSONDepth = 8

type jsonParser struct {
	buf  []byte // line being parsed
	pos  int
	out  []byte // decoded strings; capacity >= len(line), so never moves
	key  []byte // dotted key of nested objects
	rec  *record
	errf string // field the error is about, if any
}

type jsonError struct {
	field string
	off   int
	msg   string
}

func (e *jsonError) Error() string {
	if e.field != "" {
		return fmt.Sprintf("field %s: byte %d: %s", e.field, e.off+1, e.msg)
	}
	return fmt.Sprintf("byte %d: %s", e.off+1, e.msg)
}

// parse fills rec from one line. rec must have been reset.
func (p *jsonParser) parse(line []byte, rec *record) error {
	p.buf, p.pos, p.rec = line, 0, rec
	if cap(p.out) < len(line) {
		p.out = make([]byte, 0, len(line))
	}
	p.out = p.out[:0]
	p.key = p.key[:0]
	p.skipSpace()
	if err := p.object(0); err != nil {
		return err
	}
	p.skipSpace()
	if p.pos != len(p.buf) {
		return p.fail("text after the object")
	}
	return nil
}

func (p *jsonParser) fail(msg string) error {
	return &jsonError{field: p.errf, off: p.pos, msg: msg}
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.buf) {
		switch p.buf[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) object(depth int) error {
	if depth >= maxJSONDepth {
		return p.fail("objects nested too deep")
	}
	if p.pos >= len(p.buf) || p.buf[p.pos] != '{' {
		return p.fail("expected '{'")
	}
	p.pos++
	prefix := len(p.key)
	p.skipSpace()
	if p.pos < len(p.buf) && p.buf[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.buf) || p.buf[p.pos] != '"' {
			return p.fail("expected a key")
		}
		k, err := p.str()
		if err != nil {
			return err
		}
		full := k
		if prefix > 0 {
			p.key = append(p.key[:prefix], '.')
			p.key = append(p.key, k...)
			full = p.key
		}
		p.skipSpace()
		if p.pos >= len(p.buf) || p.buf[p.pos] != ':' {
			return p.fail("expected ':'")
		}
		p.pos++
		p.skipSpace()
		if prefix == 0 && p.pos < len(p.buf) && (p.buf[p.pos] == '{' || p.buf[p.pos] == '[') {
			p.key = append(p.key[:0], k...) // the prefix of what is inside
		}
		s, known := lookupField(full)
		if known {
			p.errf = slotNames[s]
		}
		if err := p.value(s, known, depth); err != nil {
			return err
		}
		p.errf = ""
		p.skipSpace()
		if p.pos >= len(p.buf) {
			return p.fail("unterminated object")
		}
		switch p.buf[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			p.key = p.key[:prefix]
			return nil
		default:
			return p.fail("expected ',' or '}'")
		}
	}
}

// value reads one value; when known, it is stored in slot s.
func (p *jsonParser) value(s slot, known bool, depth int) error {
	if p.pos >= len(p.buf) {
		return p.fail("missing value")
	}
	switch c := p.buf[p.pos]; {
	case c == '"':
		v, err := p.str()
		if err != nil {
			return err
		}
		if known && len(v) > 0 { // "" is unset, as an empty TSV field
			p.rec.v[s] = v
		}
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(s, known, depth)
	case c == 't' || c == 'f' || c == 'n':
		for _, w := range [...]string{"true", "false", "null"} {
			if len(p.buf)-p.pos >= len(w) && string(p.buf[p.pos:p.pos+len(w)]) == w {
				if known && w != "null" {
					p.rec.v[s] = p.buf[p.pos : p.pos+len(w)]
				}
				p.pos += len(w)
				return nil
			}
		}
		return p.fail("invalid literal")
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		for p.pos < len(p.buf) {
			c := p.buf[p.pos]
			if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
				p.pos++
				continue
			}
			break
		}
		if known {
			p.rec.v[s] = p.buf[start:p.pos]
		}
	default:
		return p.fail("invalid value")
	}
	return nil
}

// array reads a JSON array (a Zeek set or vector). Strings and numbers are
// joined with commas, as TSV writes a set with its set separator; arrays of
// anything else are skipped.
func (p *jsonParser) array(s slot, known bool, depth int) error {
	if depth+1 >= maxJSONDepth {
		return p.fail("arrays nested too deep")
	}
	p.pos++ // '['
	start := len(p.out)
	flat := true
	n := 0
	p.skipSpace()
	if p.pos < len(p.buf) && p.buf[p.pos] == ']' {
		p.pos++
		if known {
			p.rec.v[s] = nil // empty set: unset, as TSV's (empty)
		}
		return nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.buf) {
			return p.fail("unterminated array")
		}
		switch c := p.buf[p.pos]; {
		case c == '"':
			if flat && known && n > 0 {
				p.out = append(p.out, ',')
			}
			before := len(p.out)
			v, err := p.str()
			if err != nil {
				return err
			}
			// An escaped string was decoded onto the end of p.out
			// already; a plain one still lies in the line.
			if flat && known && len(p.out) == before {
				p.out = append(p.out, v...)
			}
		case c == '{' || c == '[':
			flat = false
			var err error
			if c == '{' {
				// Keys inside array elements are not ours: read them
				// under a prefix that matches no slot.
				save := len(p.key)
				p.key = append(p.key, "[]"...)
				err = p.object(depth + 1)
				p.key = p.key[:save]
			} else {
				err = p.array(slotNone, false, depth+1)
			}
			if err != nil {
				return err
			}
		default:
			before := p.pos
			if err := p.value(slotNone, false, depth); err != nil {
				return err
			}
			if flat && known {
				if n > 0 {
					p.out = append(p.out, ',')
				}
				p.out = append(p.out, p.buf[before:p.pos]...)
			}
		}
		n++
		p.skipSpace()
		if p.pos >= len(p.buf) {
			return p.fail("unterminated array")
		}
		if p.buf[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.buf[p.pos] != ']' {
			return p.fail("expected ',' or ']'")
		}
		p.pos++
		break
	}
	if known {
		if flat && len(p.out) > start {
			p.rec.v[s] = p.out[start:len(p.out):len(p.out)]
		} else {
			p.rec.v[s] = nil
			p.out = p.out[:start]
		}
	}
	return nil
}

var errBadEscape = errors.New("invalid escape")

// str reads a string at p.pos (which holds '"'). Without escapes the
// result is a sub-slice of the line; with them it is decoded into p.out.
func (p *jsonParser) str() ([]byte, error) {
	p.pos++
	start := p.pos
	// Raw control characters are let through: Zeek never writes them.
	// A plain loop beats bytes.IndexByte on strings this short.
	for i := start; i < len(p.buf); i++ {
		switch p.buf[i] {
		case '"':
			p.pos = i + 1
			return p.buf[start:i:i], nil
		case '\\':
			p.pos = i
			goto slow
		}
	}
	p.pos = len(p.buf)
	return nil, p.fail("unterminated string")
slow:
	// Slow path: decode into p.out. Decoded text is never longer than
	// its encoding, so p.out (capacity len(line)) never reallocates and
	// earlier slices into it stay valid.
	o := len(p.out)
	p.out = append(p.out, p.buf[start:p.pos]...)
	for p.pos < len(p.buf) {
		c := p.buf[p.pos]
		switch {
		case c == '"':
			p.pos++
			return p.out[o:len(p.out):len(p.out)], nil
		case c != '\\':
			p.out = append(p.out, c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.buf) {
			break
		}
		e := p.buf[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			p.out = append(p.out, e)
		case 'b':
			p.out = append(p.out, '\b')
		case 'f':
			p.out = append(p.out, '\f')
		case 'n':
			p.out = append(p.out, '\n')
		case 'r':
			p.out = append(p.out, '\r')
		case 't':
			p.out = append(p.out, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return nil, p.fail(errBadEscape.Error())
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.pos+1 < len(p.buf) && p.buf[p.pos] == '\\' && p.buf[p.pos+1] == 'u' {
					p.pos += 2
					if r2, ok = p.hex4(); !ok {
						return nil, p.fail(errBadEscape.Error())
					}
				}
				r = utf16.DecodeRune(r, r2)
				if r == utf8.RuneError && r2 >= 0 && !utf16.IsSurrogate(r2) {
					// a lone high surrogate followed by a normal escape
					p.out = utf8.AppendRune(p.out, utf8.RuneError)
					r = r2
				}
			}
			p.out = utf8.AppendRune(p.out, r)
		default:
			return nil, p.fail(errBadEscape.Error())
		}
	}
	return nil, p.fail("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.buf)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for i := 0; i < 4; i++ {
		d, ok := unhex(p.buf[p.pos+i])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	p.pos += 4
	return r, true
}
