package diagram

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// clean makes user text safe to put anywhere in a drawing: valid UTF-8, no
// control characters, whitespace collapsed, at most max runes (with "…").
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if max > 0 && utf8.RuneCountInString(out) > max {
		r := []rune(out)
		out = strings.TrimRight(string(r[:max-1]), " ") + "…"
	}
	return out
}

// html escapes cleaned text for a Graphviz HTML-like label.
func html(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quote writes s as a DOT double-quoted string. Graphviz treats backslash
// sequences in some attributes (\N, \G, \n) as escapes; doubling every
// backslash keeps user text literal.
func quote(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case unicode.IsControl(r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// wrap breaks cleaned text into lines of about width runes at spaces (and
// after ", " separators), never splitting a word shorter than width.
func wrap(s string, width, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	var cur strings.Builder
	curLen := 0
	for _, w := range words {
		wl := utf8.RuneCountInString(w)
		if curLen > 0 && curLen+1+wl > width {
			lines = append(lines, cur.String())
			cur.Reset()
			curLen = 0
		}
		if curLen > 0 {
			cur.WriteByte(' ')
			curLen++
		}
		cur.WriteString(w)
		curLen += wl
	}
	if curLen > 0 {
		lines = append(lines, cur.String())
	}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		last := []rune(lines[maxLines-1])
		if len(last) >= width {
			last = last[:width-1]
		}
		lines[maxLines-1] = strings.TrimRight(string(last), " ,") + "…"
	}
	return lines
}

// pack joins items with ", " into lines of about width runes, breaking
// between items rather than inside one (a long item is wrapped on its own).
func pack(items []string, width, maxLines int) []string {
	var lines []string
	cur := ""
	for _, it := range items {
		switch {
		case cur == "":
			cur = it
		case utf8.RuneCountInString(cur)+2+utf8.RuneCountInString(it) <= width:
			cur += ", " + it
		default:
			lines = append(lines, cur+",")
			cur = it
		}
		if utf8.RuneCountInString(cur) > width {
			parts := wrap(cur, width, 0)
			lines = append(lines, parts[:len(parts)-1]...)
			cur = parts[len(parts)-1]
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = strings.TrimSuffix(lines[maxLines-1], ",") + " …"
	}
	return lines
}
