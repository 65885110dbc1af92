package zeek

import (
	"net/netip"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Time
	}{
		{"1700000000.123456", time.Date(2023, 11, 14, 22, 13, 20, 123456000, time.UTC)},
		{"1700000000", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{"1700000000.1234567891", time.Date(2023, 11, 14, 22, 13, 20, 123456789, time.UTC)},
		{"0.000001", time.Date(1970, 1, 1, 0, 0, 0, 1000, time.UTC)},
		{"1700000000123", time.Date(2023, 11, 14, 22, 13, 20, 123000000, time.UTC)}, // TS_MILLIS
		{"1.7e9", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{"2023-11-14T22:13:20.123456Z", time.Date(2023, 11, 14, 22, 13, 20, 123456000, time.UTC)},
		{"2023-11-14T22:13:20Z", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{"2023-11-14T23:43:20.5+01:30", time.Date(2023, 11, 14, 22, 13, 20, 5e8, time.UTC)},
		{"2023-11-14T20:13:20-0200", time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
		{"2024-02-29T00:00:00Z", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
	} {
		got, err := parseTime([]byte(c.in))
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("%s: %v %v, want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "x", "1.2.3", "2023-13-14T22:13:20Z", "2023-02-29T00:00:00Z",
		"2023-11-14T24:00:00Z", "2023-11-14T22:13:20+5", "2023-11-14T22:13:20.Z", "1e400", "NaN", "99999999999999999999"} {
		if got, err := parseTime([]byte(bad)); err == nil {
			t.Errorf("%q: %v, want an error", bad, got)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"12.500000", 12500 * time.Millisecond},
		{"0.000001", time.Microsecond},
		{"3", 3 * time.Second},
		{"1e-06", time.Microsecond},
		{"-0.5", -500 * time.Millisecond},
	} {
		got, err := parseDuration([]byte(c.in))
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v, want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "-", "1s", "99999999999999999999", "1e300"} {
		if got, err := parseDuration([]byte(bad)); err == nil {
			t.Errorf("%q: %v, want an error", bad, got)
		}
	}
}

func TestParseAddr(t *testing.T) {
	for _, in := range []string{"10.0.0.1", "0.0.0.0", "255.255.255.255", "fe80::1", "2001:db8::8a2e:370:7334", "::ffff:10.0.0.1"} {
		got, err := parseAddr([]byte(in))
		if err != nil || got != netip.MustParseAddr(in) {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "10.0.0", "10.0.0.1.2", "256.0.0.1", "010.0.0.1", "10..0.1", "10.0.0.1 ", "-", "x"} {
		if got, err := parseAddr([]byte(bad)); err == nil {
			t.Errorf("%q: %v, want an error", bad, got)
		}
	}
}

func TestParseMACAndNumbers(t *testing.T) {
	if m, err := parseMAC([]byte("00:1D:9c:c7:b0:70")); err != nil || m != [6]byte{0, 0x1d, 0x9c, 0xc7, 0xb0, 0x70} {
		t.Errorf("%x %v", m, err)
	}
	for _, bad := range []string{"00:1d:9c:c7:b0", "00:1d:9c:c7:b0:7g", "001d9cc7b070aaaaa"} {
		if _, err := parseMAC([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if n, err := parseCount([]byte("9223372036854775807")); err != nil || n != 1<<63-1 {
		t.Errorf("%d %v", n, err)
	}
	if _, err := parseCount([]byte("9223372036854775808")); err == nil {
		t.Error("count past int64 accepted")
	}
	for in, want := range map[string]uint64{"0x1d": 0x1d, "0x04F2": 0x4f2, "17": 17} {
		if n, err := parseHex([]byte(in), 0xffff); err != nil || n != want {
			t.Errorf("%s: %d %v", in, n, err)
		}
	}
	for _, bad := range []string{"0x", "0x1g", "0x10000", "x1", "0x00000000000000001"} {
		if _, err := parseHex([]byte(bad), 0xffff); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestLookupField(t *testing.T) {
	for name, s := range fieldSlot {
		if got, ok := lookupField([]byte(name)); !ok || got != s {
			t.Errorf("%s: %v %v, want %v", name, got, ok, s)
		}
	}
	for _, other := range []string{"", "t", "tss", "id.orig", "id.orig_hh", "history", "UID"} {
		if _, ok := lookupField([]byte(other)); ok {
			t.Errorf("%q found", other)
		}
	}
}
