package zeek

import (
	"errors"
	"math"
	"net/netip"
	"strconv"
	"time"
)

// Value parsers over the raw bytes of one field. They allocate nothing on
// the common path (IPv4, decimal epoch seconds): a million lines go through
// each of them.

var (
	errSyntax = errors.New("not a number")
	errRange  = errors.New("out of range")
)

// parseUint reads a decimal count no larger than max.
func parseUint(b []byte, max uint64) (uint64, error) {
	if len(b) == 0 || len(b) > 20 {
		return 0, errSyntax
	}
	var n uint64
	for _, c := range b {
		d := uint64(c - '0')
		if d > 9 {
			return 0, errSyntax
		}
		if n > (max-d)/10 {
			return 0, errRange
		}
		n = n*10 + d
	}
	return n, nil
}

// parseCount reads a Zeek count into an int64.
func parseCount(b []byte) (int64, error) {
	n, err := parseUint(b, math.MaxInt64)
	return int64(n), err
}

// parseHex reads "0x1d" (ICSNPP writes codes with fmt("0x%02x")) or a
// plain decimal number, no larger than max.
func parseHex(b []byte, max uint64) (uint64, error) {
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		b = b[2:]
		if len(b) > 16 {
			return 0, errRange
		}
		var n uint64
		for _, c := range b {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'a' && c <= 'f':
				d = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return 0, errSyntax
			}
			n = n<<4 | uint64(d)
		}
		if n > max {
			return 0, errRange
		}
		return n, nil
	}
	return parseUint(b, max)
}

// parseFixed reads "123.456789" (an optional sign, digits, an optional
// fraction) into whole seconds and nanoseconds, exactly: a float64 would
// round microsecond timestamps. ok is false for anything else (exponents,
// NaN), which the callers hand to strconv.ParseFloat.
func parseFixed(b []byte) (sec int64, nsec int64, neg bool, ok bool) {
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	i := 0
	digits := 0
	for ; i < len(b) && b[i] != '.'; i++ {
		d := int64(b[i] - '0')
		if d < 0 || d > 9 || sec > (math.MaxInt64-d)/10 {
			return 0, 0, false, false
		}
		sec = sec*10 + d
		digits++
	}
	if i < len(b) { // b[i] == '.'
		i++
		scale := int64(100000000)
		for ; i < len(b); i++ {
			d := int64(b[i] - '0')
			if d < 0 || d > 9 {
				return 0, 0, false, false
			}
			nsec += d * scale // digits past the ninth add 0
			scale /= 10
			digits++
		}
	}
	return sec, nsec, neg, digits > 0
}

// parseTime reads a Zeek time: epoch seconds with a fraction (TSV and
// JSON::TS_EPOCH), integer epoch milliseconds (JSON::TS_MILLIS) or an ISO
// 8601 string (JSON::TS_ISO8601). The result is in UTC.
func parseTime(b []byte) (time.Time, error) {
	if len(b) >= 19 && b[4] == '-' {
		return parseISO(b)
	}
	sec, nsec, neg, ok := parseFixed(b)
	if !ok {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e15 {
			return time.Time{}, errors.New("not a time")
		}
		s, frac := math.Modf(f)
		return time.Unix(int64(s), int64(frac*1e9)).UTC(), nil
	}
	// An integer beyond year 5138 in seconds is a JSON::TS_MILLIS value.
	if nsec == 0 && sec >= 1e11 && !containsByte(b, '.') {
		nsec = (sec % 1000) * 1e6
		sec /= 1000
	}
	if sec > 1e15 {
		return time.Time{}, errRange
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	return time.Unix(sec, nsec).UTC(), nil
}

func containsByte(b []byte, c byte) bool {
	for _, x := range b {
		if x == c {
			return true
		}
	}
	return false
}

// parseISO reads 2006-01-02T15:04:05[.fraction](Z|±hh:mm|±hhmm) by hand:
// time.Parse would cost an allocation and a layout walk per line.
func parseISO(b []byte) (time.Time, error) {
	bad := errors.New("not an ISO 8601 time")
	num := func(s []byte) int {
		n := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	if b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return time.Time{}, bad
	}
	year, month, day := num(b[0:4]), num(b[5:7]), num(b[8:10])
	hour, minute, second := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 ||
		minute < 0 || minute > 59 || second < 0 || second > 60 {
		return time.Time{}, bad
	}
	if day > daysIn(time.Month(month), year) {
		return time.Time{}, bad
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		i := 1
		scale := 100000000
		for ; i < len(rest) && rest[i] >= '0' && rest[i] <= '9'; i++ {
			nsec += int(rest[i]-'0') * scale
			scale /= 10
		}
		if i == 1 {
			return time.Time{}, bad
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 0: // no zone: Zeek always writes Z; read it as UTC
	case (len(rest) == 6 && rest[3] == ':') || len(rest) == 5:
		if rest[0] != '+' && rest[0] != '-' {
			return time.Time{}, bad
		}
		hh := num(rest[1:3])
		mm := num(rest[len(rest)-2:])
		if hh < 0 || hh > 23 || mm < 0 || mm > 59 {
			return time.Time{}, bad
		}
		offset = hh*3600 + mm*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return time.Time{}, bad
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), nil
}

func daysIn(m time.Month, year int) int {
	switch m {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// parseDuration reads a Zeek interval: seconds with a fraction.
func parseDuration(b []byte) (time.Duration, error) {
	const maxSec = math.MaxInt64/int64(time.Second) - 1
	sec, nsec, neg, ok := parseFixed(b)
	if !ok {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.IsNaN(f) || math.Abs(f) > float64(maxSec) {
			return 0, errors.New("not a duration")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	if sec > maxSec {
		return 0, errRange
	}
	d := time.Duration(sec)*time.Second + time.Duration(nsec)
	if neg {
		d = -d
	}
	return d, nil
}

// parseAddr reads an IPv4 address by hand (no allocation) and anything
// else through netip.
func parseAddr(b []byte) (netip.Addr, error) {
	var ip [4]byte
	k, n, digits := 0, 0, 0
	for i := 0; i <= len(b); i++ {
		if i == len(b) || b[i] == '.' {
			if digits == 0 || k > 3 {
				return parseAddrSlow(b)
			}
			ip[k] = byte(n)
			k, n, digits = k+1, 0, 0
			continue
		}
		c := b[i]
		if c < '0' || c > '9' || digits == 3 || (digits > 0 && n == 0) {
			return parseAddrSlow(b)
		}
		n = n*10 + int(c-'0')
		digits++
		if n > 255 {
			return netip.Addr{}, errors.New("not an IP address")
		}
	}
	if k != 4 {
		return parseAddrSlow(b)
	}
	return netip.AddrFrom4(ip), nil
}

func parseAddrSlow(b []byte) (netip.Addr, error) {
	if len(b) > 64 {
		return netip.Addr{}, errors.New("not an IP address")
	}
	a, err := netip.ParseAddr(string(b))
	if err != nil {
		return netip.Addr{}, errors.New("not an IP address")
	}
	return a, nil
}

// parseMAC reads "00:1a:2b:3c:4d:5e".
func parseMAC(b []byte) ([6]byte, error) {
	var m [6]byte
	if len(b) != 17 {
		return m, errors.New("not a MAC address")
	}
	for i := 0; i < 6; i++ {
		hi, ok1 := unhex(b[i*3])
		lo, ok2 := unhex(b[i*3+1])
		if !ok1 || !ok2 || (i < 5 && b[i*3+2] != ':' && b[i*3+2] != '-') {
			return [6]byte{}, errors.New("not a MAC address")
		}
		m[i] = hi<<4 | lo
	}
	return m, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseBool reads T/F (TSV) or true/false (JSON).
func parseBool(b []byte) (bool, error) {
	switch string(b) {
	case "T", "true":
		return true, nil
	case "F", "false":
		return false, nil
	}
	return false, errors.New("not a bool")
}

// interner hands out one string per distinct value of a low-cardinality
// column (proto, service, conn_state, UIDs of op logs) so that a million
// lines do not cost a million small strings. It stops growing at a bound:
// hostile input gets fresh strings, not an unbounded map.
type interner struct {
	m map[string]string
}

const internMax = 4096

func (in *interner) get(b []byte) string {
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	s := string(b)
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < internMax {
		in.m[s] = s
	}
	return s
}
