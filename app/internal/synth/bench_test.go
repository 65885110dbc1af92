package synth

import (
	"testing"
)

// countWriter counts what it is given and keeps nothing.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkWritePcap generates 64 MB of a 5,000-host plant per op; MB/s is
// of capture written.
func BenchmarkWritePcap(b *testing.B) {
	o := Options{Seed: 1, Hosts: 5000, Bytes: 64 << 20}
	var n, frames int64
	for range b.N {
		cw := &countWriter{}
		flows, err := WritePcap(cw, o)
		if err != nil {
			b.Fatal(err)
		}
		n, frames = cw.n, 0
		for _, f := range flows {
			frames += f.Packets
		}
	}
	b.SetBytes(n)
	b.ReportMetric(float64(frames)/float64(n)*1e3, "frames/GB(M)")
}

// BenchmarkWriteZeek writes the logs of the same traffic; MB/s is of the
// capture it stands for.
func BenchmarkWriteZeek(b *testing.B) {
	o := Options{Seed: 1, Hosts: 5000, Bytes: 64 << 20}
	dir := b.TempDir()
	for range b.N {
		if _, err := WriteZeek(dir, o); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(o.Bytes)
}
