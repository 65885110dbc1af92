package diagram

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Benchmarks. The targets: an overview of 50 zones in under a second and
// within 1.5× of native dot. For example:
//
//	CGO_ENABLED=0 go test ./diagram/ -run '^$' -bench . -benchtime 3x

type benchCase struct {
	name string
	dot  func(tb testing.TB) []byte
}

// largestZone is the zone of the synthetic plant with the most assets.
func largestZone(m *Model) string {
	v := newView(m)
	best := ""
	for _, z := range v.zones {
		if best == "" || v.count[z.ID] > v.count[best] {
			best = z.ID
		}
	}
	return best
}

func benchCases() []benchCase {
	small := func(tb testing.TB) *Model { return plant(tb) }
	big := synthPlant(50, 2000)
	return []benchCase{
		{"small/overview", func(tb testing.TB) []byte { return Overview(small(tb)) }},
		{"small/zone", func(tb testing.TB) []byte { d, _ := ZoneDetail(small(tb), "z-ctl", 0); return d }},
		{"50zones/overview", func(testing.TB) []byte { return Overview(big) }},
		{"50zones/zone", func(testing.TB) []byte { d, _ := ZoneDetail(big, largestZone(big), 0); return d }},
	}
}

// BenchmarkLayout measures DOT to Drawing (Graphviz layout plus reading its
// JSON), in a worker process (the default) and in this process.
func BenchmarkLayout(b *testing.B) {
	for _, c := range benchCases() {
		for _, mode := range []struct {
			name string
			opts []Option
		}{{"worker", nil}, {"inprocess", []Option{InProcess(), RecycleEvery(0)}}} {
			b.Run(c.name+"/"+mode.name, func(b *testing.B) {
				dot := c.dot(b)
				r := NewRenderer(mode.opts...)
				defer r.Close()
				if _, err := r.Layout(context.Background(), dot); err != nil { // start the worker
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					if _, err := r.Layout(context.Background(), dot); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDOT measures building the DOT source alone.
func BenchmarkDOT(b *testing.B) {
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				c.dot(b)
			}
		})
	}
}

// BenchmarkPaint measures the painters on the 50-zone overview.
func BenchmarkPaint(b *testing.B) {
	r := NewRenderer(InProcess())
	defer r.Close()
	d, err := r.Layout(context.Background(), Overview(synthPlant(50, 2000)))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("png-2x", func(b *testing.B) {
		for range b.N {
			if err := WritePNG(io.Discard, d, 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pdf", func(b *testing.B) {
		for range b.N {
			if err := WritePDF(io.Discard, d, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVsNativeDot lays out the same DOT to SVG with go-graphviz
// (Graphviz 12.1.2 as WebAssembly, in this process and in the worker) and
// with the installed dot command (a process per run, as the alternative
// would be), and reports the ratio to native.
func BenchmarkVsNativeDot(b *testing.B) {
	dotPath, err := exec.LookPath("dot")
	if err != nil {
		b.Skip("native dot not installed")
	}
	for _, c := range benchCases() {
		b.Run(c.name, func(b *testing.B) {
			src := c.dot(b)
			file := filepath.Join(b.TempDir(), "g.dot")
			if err := os.WriteFile(file, src, 0o644); err != nil {
				b.Fatal(err)
			}
			inproc := NewRenderer(InProcess(), RecycleEvery(0))
			defer inproc.Close()
			worker := NewRenderer()
			defer worker.Close()
			for _, r := range []*Renderer{inproc, worker} {
				if _, err := r.SVG(context.Background(), src); err != nil {
					b.Fatal(err)
				}
			}
			var tIn, tWorker, tNative time.Duration
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if _, err := inproc.SVG(context.Background(), src); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if _, err := worker.SVG(context.Background(), src); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				var out bytes.Buffer
				cmd := exec.Command(dotPath, "-Tsvg", file)
				cmd.Stdout = &out
				if err := cmd.Run(); err != nil {
					b.Fatal(err)
				}
				t3 := time.Now()
				tIn += t1.Sub(t0)
				tWorker += t2.Sub(t1)
				tNative += t3.Sub(t2)
			}
			n := float64(b.N)
			b.ReportMetric(tIn.Seconds()*1000/n, "gographviz-ms")
			b.ReportMetric(tWorker.Seconds()*1000/n, "worker-ms")
			b.ReportMetric(tNative.Seconds()*1000/n, "native-ms")
			b.ReportMetric(tIn.Seconds()/tNative.Seconds(), "ratio-inprocess")
			b.ReportMetric(tWorker.Seconds()/tNative.Seconds(), "ratio-worker")
		})
	}
}

// BenchmarkMemoryInProcess shows why the worker exists: the Go heap (which
// holds the WebAssembly memory) after each batch of 50-zone overviews run
// in this process, recycling the Graphviz context every 10 runs.
func BenchmarkMemoryInProcess(b *testing.B) {
	dot := Overview(synthPlant(50, 2000))
	r := NewRenderer(InProcess(), RecycleEvery(10))
	defer r.Close()
	before := heapMB()
	for range b.N {
		if _, err := r.Layout(context.Background(), dot); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((heapMB()-before)/float64(b.N), "heap-MB-growth/op")
}

// Native dot reads our DOT without a warning (a guard against attributes
// one Graphviz version accepts and another complains about).
func TestNativeDotAcceptsOurDOT(t *testing.T) {
	dotPath, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("native dot not installed")
	}
	for _, c := range benchCases() {
		var stderr bytes.Buffer
		cmd := exec.Command(dotPath, "-Tsvg")
		cmd.Stdin = bytes.NewReader(c.dot(t))
		cmd.Stdout = io.Discard
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot: %v %s", c.name, err, stderr.String())
		}
	}
}
