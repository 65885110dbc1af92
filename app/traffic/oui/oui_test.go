package oui

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const ieeeData = "/usr/share/ieee-data"

// needIEEEData skips the test where Debian's ieee-data is not installed,
// except under CI, where .ci/deps.sh installs it and its absence is a fault.
func needIEEEData(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ieeeData, "oui.csv")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("ieee-data missing under CI: %v", err)
		}
		t.Skipf("ieee-data not installed: %v", err)
	}
}

// reference is the registry read straight from the CSVs into maps keyed by
// hex assignment: an independent implementation to check Vendor against.
type reference struct {
	l, m, s map[string]string // 6, 7 and 9 hex digits
}

func readReference(t testing.TB) reference {
	needIEEEData(t)
	ref := reference{map[string]string{}, map[string]string{}, map[string]string{}}
	for _, f := range []struct {
		file string
		into map[string]string
	}{{"oui.csv", ref.l}, {"mam.csv", ref.m}, {"oui36.csv", ref.s}, {"iab.csv", ref.s}} {
		b, err := os.ReadFile(filepath.Join(ieeeData, f.file))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.file, err)
		}
		for _, r := range recs[1:] {
			if _, dup := f.into[r[1]]; dup {
				continue // gen.go keeps the first row of a prefix listed twice
			}
			f.into[r[1]] = strings.Join(strings.Fields(r[2]), " ")
		}
	}
	return ref
}

func (r reference) vendor(mac [6]byte) string {
	if mac[0]&3 != 0 {
		return ""
	}
	h := strings.ToUpper(strconv.FormatUint(uint64(mac[0])<<40|uint64(mac[1])<<32|uint64(mac[2])<<24|
		uint64(mac[3])<<16|uint64(mac[4])<<8|uint64(mac[5]), 16))
	h = strings.Repeat("0", 12-len(h)) + h
	if v, ok := r.s[h[:9]]; ok {
		return v
	}
	if v, ok := r.m[h[:7]]; ok {
		return v
	}
	return r.l[h[:6]]
}

func macOf(t testing.TB, hex string, rest uint64) [6]byte {
	t.Helper()
	// The assignment, then the rest of the 48 bits from rest.
	p, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	bits := 48 - 4*len(hex)
	v := p<<bits | rest&(1<<bits-1)
	return [6]byte{byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

// TestEveryRow looks up every assignment of the four CSVs, at its first,
// last and a random address, and compares with the maps.
func TestEveryRow(t *testing.T) {
	ref := readReference(t)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for _, m := range []map[string]string{ref.l, ref.m, ref.s} {
		for hex := range m {
			for _, rest := range []uint64{0, ^uint64(0), rng.Uint64()} {
				mac := macOf(t, hex, rest)
				if got, want := Vendor(mac), ref.vendor(mac); got != want {
					t.Errorf("Vendor(% x) = %q, want %q (row %s)", mac, got, want, hex)
				}
				n++
			}
		}
	}
	if n < 3*45000 {
		t.Errorf("only %d lookups: the registry looks truncated", n)
	}
}

// TestRandom compares with the maps at random addresses, mostly unlisted.
func TestRandom(t *testing.T) {
	ref := readReference(t)
	rng := rand.New(rand.NewPCG(3, 4))
	found := 0
	for range 200000 {
		v := rng.Uint64()
		mac := [6]byte{byte(v >> 40), byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		got, want := Vendor(mac), ref.vendor(mac)
		if got != want {
			t.Fatalf("Vendor(% x) = %q, want %q", mac, got, want)
		}
		if got != "" {
			found++
		}
	}
	if found == 0 {
		t.Error("no random address had a vendor")
	}
}

// TestWellKnown checks prefixes of vendors found in plants, as read in
// oui.csv of ieee-data 20220827.1 (names as registered, trailing comma too).
func TestWellKnown(t *testing.T) {
	for _, c := range []struct {
		mac  [6]byte
		want string
	}{
		{[6]byte{0x00, 0x0e, 0x8c, 0x01, 0x02, 0x03}, "Siemens AG"},
		{[6]byte{0x00, 0x1b, 0x1b, 0xaa, 0xbb, 0xcc}, "Siemens AG,"},
		{[6]byte{0x28, 0x63, 0x36, 0x00, 0x00, 0x01}, "Siemens AG"},
		{[6]byte{0x00, 0x00, 0xbc, 0x3e, 0x10, 0x20}, "Rockwell Automation"},
		{[6]byte{0x00, 0x1d, 0x9c, 0xff, 0xff, 0xff}, "Rockwell Automation"},
		{[6]byte{0x00, 0x00, 0x54, 0x12, 0x34, 0x56}, "Schneider Electric"},
		{[6]byte{0x00, 0x80, 0xf4, 0x00, 0x00, 0x00}, "TELEMECANIQUE ELECTRIQUE"},
		{[6]byte{0x00, 0xa0, 0x45, 0x1a, 0x2b, 0x3c}, "PHOENIX CONTACT Electronics GmbH"},
		{[6]byte{0xa8, 0x74, 0x1d, 0x00, 0x00, 0x01}, "PHOENIX CONTACT Electronics GmbH"},
		{[6]byte{0x00, 0x00, 0x0c, 0x07, 0xac, 0x01}, "Cisco Systems, Inc"},
		{[6]byte{0x00, 0xe0, 0xf7, 0x00, 0x00, 0x01}, "Cisco Systems, Inc"},
		{[6]byte{0x14, 0xfe, 0xb5, 0x00, 0x00, 0x01}, "Dell Inc."},
		{[6]byte{0x3c, 0x4a, 0x92, 0x00, 0x00, 0x01}, "Hewlett Packard"},
		// Listed three times; the first row of oui.csv is kept.
		{[6]byte{0x08, 0x00, 0x30, 0x00, 0x00, 0x01}, "NETWORK RESEARCH CORPORATION"},
	} {
		if got := Vendor(c.mac); got != c.want {
			t.Errorf("Vendor(% x) = %q, want %q", c.mac, got, c.want)
		}
	}
}

// TestLongestMatch checks blocks that the registry splits further: MA-S
// inside 70-B3-D5 and MA-M inside 74-1A-E0, both MA-L of the IEEE
// Registration Authority, with an unassigned part of each falling back.
func TestLongestMatch(t *testing.T) {
	for _, c := range []struct {
		mac  [6]byte
		want string
	}{
		{[6]byte{0x70, 0xb3, 0xd5, 0xf2, 0xf1, 0x23}, "TELEPLATFORMS"},                                 // 70B3D5F2F
		{[6]byte{0x70, 0xb3, 0xd5, 0xf2, 0xd0, 0x00}, "ID Lock AS"},                                    // 70B3D5F2D
		{[6]byte{0x70, 0xb3, 0xd5, 0xf2, 0xef, 0xff}, "Shanghai JCY Technology Company"},               // 70B3D5F2E
		{[6]byte{0x70, 0xb3, 0xd5, 0x00, 0x0a, 0xbc}, "IEEE Registration Authority"},                   // 70B3D5000 unlisted
		{[6]byte{0x74, 0x1a, 0xe0, 0x51, 0x00, 0x00}, "FUJIAN TAILI COMMUNICATION TECHNOLOGY CO.,LTD"}, // 741AE05
		{[6]byte{0x74, 0x1a, 0xe0, 0x9f, 0xff, 0xff}, "Private"},                                       // 741AE09
		{[6]byte{0x74, 0x1a, 0xe0, 0xf0, 0x00, 0x00}, "IEEE Registration Authority"},                   // 741AE0F unlisted
		// IAB under 00-50-C2 (iab.csv).
		{[6]byte{0x00, 0x50, 0xc2, 0x7d, 0x50, 0x00}, "DEUTA-WERKE GmbH"}, // 0050C27D5
	} {
		if got := Vendor(c.mac); got != c.want {
			t.Errorf("Vendor(% x) = %q, want %q", c.mac, got, c.want)
		}
	}
}

func TestNotGlobal(t *testing.T) {
	for _, mac := range [][6]byte{
		{0x02, 0x00, 0x0c, 0x01, 0x02, 0x03}, // 00-00-0C (Cisco) with the local bit
		{0x02, 0x42, 0xac, 0x11, 0x00, 0x02}, // Docker
		{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}, // IPv4 multicast (00-00-5E is IANA)
		{0x01, 0x0e, 0x8c, 0x00, 0x00, 0x00}, // Siemens' prefix with the group bit
		{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // broadcast
	} {
		if got := Vendor(mac); got != "" {
			t.Errorf("Vendor(% x) = %q, want \"\"", mac, got)
		}
	}
	if got := Vendor([6]byte{0x00, 0x00, 0x5e, 0x00, 0x00, 0x01}); got != "ICANN, IANA Department" {
		t.Errorf("the same prefix without the group bit: %q", got)
	}
}

// TestNamesClean checks every name once: no edge or doubled white space.
func TestNamesClean(t *testing.T) {
	tb := table()
	if errLoading != nil {
		t.Fatal(errLoading)
	}
	for i, n := range tb.names {
		if n == "" || n != strings.Join(strings.Fields(n), " ") {
			t.Errorf("name %d %q is not clean", i, n)
		}
	}
	if len(tb.p24) < 30000 || len(tb.p28) < 4000 || len(tb.p36) < 9000 {
		t.Errorf("tables of %d, %d, %d prefixes: too few", len(tb.p24), len(tb.p28), len(tb.p36))
	}
}

func TestNoAllocation(t *testing.T) {
	Vendor([6]byte{}) // load outside the measure
	mac := [6]byte{0x70, 0xb3, 0xd5, 0xf2, 0xf1, 0x23}
	if a := testing.AllocsPerRun(1000, func() { Vendor(mac) }); a != 0 {
		t.Errorf("%v allocations per lookup", a)
	}
}

// TestRegenerate runs gen.go and compares its output with the committed
// files: they must be what the installed registry gives.
func TestRegenerate(t *testing.T) {
	needIEEEData(t)
	if testing.Short() {
		t.Skip("runs the generator")
	}
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no dpkg-query under CI: the regenerated table cannot be checked")
		}
		t.Skip("no dpkg-query to tell the ieee-data version")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "gen.go", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, b)
	}
	for _, f := range []string{"ieee.gz", "zz_table.go"} {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from a fresh generation (%d bytes, committed %d): run go generate ./app/traffic/oui "+
				"(a newer ieee-data, or a Go release whose compress/flate packs differently)", f, len(got), len(want))
		}
	}
}

func TestSize(t *testing.T) {
	if len(packed) > 600<<10 {
		t.Errorf("ieee.gz is %d bytes, over the 600 KiB budget", len(packed))
	}
}

func TestUnpackMalformed(t *testing.T) {
	raw := mustRaw(t)
	cases := map[string][]byte{
		"empty":         {},
		"magic":         []byte("OUI2"),
		"truncated":     raw[:len(raw)/2],
		"left over":     append(bytes.Clone(raw), 0),
		"huge count":    append([]byte("OUI1"), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"name past end": append([]byte("OUI1"), 1, 10, 'a'),
		// One name, 24-bit table of two equal prefixes.
		"not increasing": append([]byte("OUI1"), 1, 1, 'a', 2, 5, 0, 0, 0, 0, 0),
		"index range":    append([]byte("OUI1"), 1, 1, 'a', 1, 5, 1, 0, 0),
		"prefix range":   append([]byte("OUI1"), 1, 1, 'a', 1, 0x80, 0x80, 0x80, 0x08, 0, 0, 0),
	}
	for name, b := range cases {
		if _, err := parse(b); !errors.Is(err, errFormat) {
			t.Errorf("%s: err %v, want errFormat", name, err)
		}
	}
	if _, err := unpack([]byte("not gzip")); !errors.Is(err, errFormat) {
		t.Errorf("not gzip: err %v", err)
	}
	// The smallest valid table: one name, one 24-bit prefix.
	tb, err := parse(append([]byte("OUI1"), 1, 1, 'a', 1, 5, 0, 0, 0))
	if err != nil || len(tb.p24) != 1 || tb.p24[0] != 5 || tb.names[tb.n24[0]] != "a" {
		t.Errorf("minimal table: %+v, %v", tb, err)
	}
}

func mustRaw(t testing.TB) []byte {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func FuzzParse(f *testing.F) {
	f.Add(append([]byte("OUI1"), 1, 1, 'a', 1, 5, 0, 0, 0))
	f.Add(append([]byte("OUI1"), 2, 1, 'a', 2, 'b', 'c', 2, 5, 1, 0, 1, 1, 0x10, 0, 0, 0))
	f.Add(mustRaw(f)[:4096])
	f.Fuzz(func(t *testing.T, b []byte) {
		tb, err := parse(b)
		if err != nil {
			if !errors.Is(err, errFormat) {
				t.Fatalf("error not errFormat: %v", err)
			}
			return
		}
		for i := 1; i < len(tb.p24); i++ {
			if tb.p24[i] <= tb.p24[i-1] || tb.p24[i] >= 1<<24 {
				t.Fatalf("24-bit prefixes not increasing at %d", i)
			}
		}
		for _, n := range [][]uint32{tb.n24, tb.n28, tb.n36} {
			for _, i := range n {
				if int(i) >= len(tb.names) {
					t.Fatalf("name index %d of %d", i, len(tb.names))
				}
			}
		}
	})
}

func BenchmarkVendor(b *testing.B) {
	macs := [][6]byte{
		{0x00, 0x0e, 0x8c, 0x01, 0x02, 0x03}, // MA-L
		{0x70, 0xb3, 0xd5, 0xf2, 0xf1, 0x23}, // MA-S
		{0x74, 0x1a, 0xe0, 0x51, 0x00, 0x00}, // MA-M
		{0xfc, 0xff, 0xee, 0x01, 0x02, 0x03}, // unlisted
	}
	Vendor(macs[0])
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		Vendor(macs[i&3])
	}
}

// BenchmarkUnpack is the cost of the first lookup.
func BenchmarkUnpack(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(packed)))
	for range b.N {
		if _, err := unpack(packed); err != nil {
			b.Fatal(err)
		}
	}
}
