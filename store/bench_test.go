package store

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
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
