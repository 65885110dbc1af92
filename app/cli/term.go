package cli

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// term makes text that came from records, bundles, templates or file names
// safe to print on a terminal. Control characters (C0 with tab and line
// breaks, DEL, C1) are written as \x1b or \u009b: ESC and CSI start the
// sequences that retitle windows, rewrite what is on screen or make some
// terminals type into their own input. Bidirectional controls, which
// reorder what is shown, and line separators become \u202e and the like,
// and bytes that are not UTF-8 become \xff. Every field of the text and
// table output goes through it; JSON output is escaped by encoding/json.
func term(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafeRune(r, n):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

func unsafeRune(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional marks, embeddings, overrides and isolates
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	}
	return false
}
