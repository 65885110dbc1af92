package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/assets"
)

// BenchmarkOpenEmpty reports the time and resident memory of opening a
// workspace: what Badger costs with our laptop-sized options.
func BenchmarkOpenEmpty(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "ws")
	s, err := Create(dir, CreateOptions{Unencrypted: true})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	var rss float64
	for i := 0; i < b.N; i++ {
		s, err := Open(dir, OpenOptions{})
		if err != nil {
			b.Fatal(err)
		}
		rss = vmRSS()
		s.Close()
	}
	b.ReportMetric(rss, "RSS-MiB")
}

func vmRSS() float64 {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.Atoi(strings.Fields(line)[1])
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkPutDurable is one durable record write (synced before it
// returns) with the change log, and the same write without it. The two
// are interleaved, one of each per iteration on two stores, so that load
// from other work on the machine weighs on both alike; it reports each
// one's mean and the log's cost in percent (log-cost-%).
func BenchmarkPutDurable(b *testing.B) {
	var stores [2]*Store
	for i := range stores {
		s, err := Create(filepath.Join(b.TempDir(), "ws"+strconv.Itoa(i)), CreateOptions{Unencrypted: true, Author: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	stores[1].benchWithoutLog = true
	var spent [2]time.Duration
	b.ResetTimer()
	for i := range b.N {
		for k := range stores {
			j := (i + k) % 2 // alternate which goes first
			a := &assets.Asset{Tag: "PLC-" + strconv.Itoa(i), Type: assets.TypePLC, Vendor: "Siemens", Model: "S7-1500", Firmware: "V2.9",
				IPs: []string{"10.1.1.10"}, Notes: "cabinet CP-21, row 3"}
			start := time.Now()
			if err := stores[j].Put(KindAsset, a); err != nil {
				b.Fatal(err)
			}
			spent[j] += time.Since(start)
		}
	}
	b.ReportMetric(float64(spent[0].Nanoseconds())/float64(b.N), "ns/put-logged")
	b.ReportMetric(float64(spent[1].Nanoseconds())/float64(b.N), "ns/put-unlogged")
	b.ReportMetric(100*(float64(spent[0])/float64(spent[1])-1), "log-cost-%")
}

// BenchmarkVerifyChanges checks a chain of ZONEWALK_BENCH_CHANGES entries
// (default 100,000; the closing figures use 1,000,000).
func BenchmarkVerifyChanges(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ZONEWALK_BENCH_CHANGES")); err == nil {
		n = v
	}
	s, err := Create(filepath.Join(b.TempDir(), "ws"), CreateOptions{Unencrypted: true, Author: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := &assets.Asset{Tag: "PLC-1", Type: assets.TypePLC}
	for done := 0; done < n; {
		err := s.Update(context.Background(), func(tx *Tx) error {
			for j := 0; j < 20_000 && done < n; j++ {
				a.Firmware = "V" + strconv.Itoa(done)
				if err := tx.Put(KindAsset, a); err != nil {
					return err
				}
				done++
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		heads, err := s.VerifyChanges()
		if err != nil || heads[0].Seq != uint64(n) {
			b.Fatalf("%v %+v", err, heads)
		}
	}
	b.ReportMetric(float64(n), "entries")
}
