//go:build !windows

// The benchmarks read CPU time and flush the page cache through Linux
// calls; they are measured on the Linux build machine only.

package bundle

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/blake2b"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/store"
)

// benchFixture: an encrypted workspace with 10,000 assets and 100 MB of
// photos (50 × 2 MiB of deterministic random bytes), its full bundle, the
// bundle's plaintext archive, and a small base bundle to clone targets from.
var benchFixtures = map[bool]func() (*benchData, error){
	true:  sync.OnceValues(func() (*benchData, error) { return makeBenchData(true) }),
	false: sync.OnceValues(func() (*benchData, error) { return makeBenchData(false) }),
}

func makeBenchData(encrypted bool) (*benchData, error) {
	if benchDir == "" {
		dir, err := os.MkdirTemp("", "zonewalk-bundle-bench-")
		if err != nil {
			return nil, err
		}
		benchDir = dir
	}
	dir, err := os.MkdirTemp(benchDir, "fixture")
	if err != nil {
		return nil, err
	}
	d := &benchData{dir: dir, tm: newTeam(benchTB{}), opts: app.Options{Unencrypted: true, Author: "bench"}}
	if encrypted {
		d.opts = app.Options{Passphrase: []byte("bench passphrase"), Author: "bench"}
	}
	w, err := app.Create(ctx, filepath.Join(dir, "src"), d.opts, benchAudit)
	if err != nil {
		return nil, err
	}
	d.src = w
	d.base = filepath.Join(dir, "base.zwb")
	if _, err := Export(ctx, w, d.base, ExportOptions{Recipients: []string{d.tm.recipient}}); err != nil {
		return nil, err
	}
	bigAudit(benchTB{}, w, 10_000, 50, 2<<20, 42)
	d.full = filepath.Join(dir, "full.zwb")
	if _, err := Export(ctx, w, d.full, ExportOptions{Recipients: []string{d.tm.recipient}}); err != nil {
		return nil, err
	}
	d.plain = filepath.Join(dir, "plain.tar")
	if err := os.WriteFile(d.plain, plaintext(benchTB{}, d.full, d.tm), 0o600); err != nil {
		return nil, err
	}
	return d, nil
}

type benchData struct {
	dir               string
	tm                team
	opts              app.Options
	src               *app.Workspace
	base, full, plain string
	n                 int
}

// benchTB lets fixture helpers written for tests run once outside any
// one benchmark; a failure panics.
type benchTB struct{ testing.TB }

func (benchTB) Helper()                   {}
func (benchTB) Fatal(args ...any)         { panic(fmt.Sprint(args...)) }
func (benchTB) Fatalf(f string, a ...any) { panic(fmt.Sprintf(f, a...)) }
func (benchTB) TempDir() string {
	d, err := os.MkdirTemp(benchDir, "t")
	if err != nil {
		panic(err)
	}
	return d
}

func benchSetup(b *testing.B, encrypted bool) *benchData {
	d, err := benchFixtures[encrypted]()
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func fileSize(b *testing.B, p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// peakHeap samples the Go heap in use while fn runs and returns the peak
// above what was in use before, in MiB: the memory bound of export and
// import shown as a figure. It reads runtime/metrics, which unlike
// ReadMemStats does not stop the world, so sampling does not slow fn.
func peakHeap(fn func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heapNow := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	before := heapNow()
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var top uint64
		for {
			top = max(top, heapNow())
			select {
			case <-stop:
				peak <- top
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	p := <-peak
	return float64(p-min(before, p)) / (1 << 20)
}

// cpuTime is this process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExport exports the 10,000-asset, 100 MB audit from an encrypted
// and from a plain workspace, and in the same run times the age CLI
// encrypting the same archive bytes file to file. x-age is the wall-time
// ratio (target: at most 1.3), cpu-x-age the CPU-time ratio, which shared
// machines disturb less. x-age+minisign compares with what standard tools
// take for the same job, encrypted and signed: age, then minisign -S on
// its output.
func BenchmarkExport(b *testing.B) {
	for _, tool := range []string{"age", "minisign"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skip("needs the age and minisign CLIs")
		}
	}
	for _, enc := range []bool{true, false} {
		b.Run(map[bool]string{true: "encrypted-workspace", false: "plain-workspace"}[enc], func(b *testing.B) {
			d := benchSetup(b, enc)
			b.SetBytes(fileSize(b, d.plain))
			var ours, theirs, oursCPU, theirsCPU, signing time.Duration
			var heap float64
			minisignKey := filepath.Join(d.dir, "minisign.key")
			if _, err := os.Stat(minisignKey); err != nil {
				gen := exec.Command("minisign", "-G", "-W", "-p", minisignKey+".pub", "-s", minisignKey)
				if out, err := gen.CombinedOutput(); err != nil {
					b.Fatalf("minisign -G: %v %s", err, out)
				}
			}
			out := filepath.Join(d.dir, "bench-export.zwb")
			encrypted := filepath.Join(d.dir, "bench-age.age")
			for b.Loop() {
				b.StopTimer()
				freshStart(b, out, out+".minisig", encrypted, encrypted+".minisig")
				b.StartTimer()
				t0, c0 := time.Now(), cpuTime()
				heap = max(heap, peakHeap(func() {
					if _, err := Export(ctx, d.src, out, ExportOptions{Recipients: []string{d.tm.recipient}}); err != nil {
						b.Fatal(err)
					}
				}))
				ours += time.Since(t0)
				oursCPU += cpuTime() - c0
				b.StopTimer()
				cmd := exec.Command("age", "-r", d.tm.recipient, "-o", encrypted, d.plain)
				t0 = time.Now()
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("age: %v %s", err, out)
				}
				theirs += time.Since(t0)
				theirsCPU += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				sign := exec.Command("minisign", "-S", "-s", minisignKey, "-m", encrypted)
				t0 = time.Now()
				if out, err := sign.CombinedOutput(); err != nil {
					b.Fatalf("minisign -S: %v %s", err, out)
				}
				signing += time.Since(t0)
				b.StartTimer()
			}
			b.ReportMetric(float64(theirs.Nanoseconds())/float64(b.N), "age-ns/op")
			b.ReportMetric(float64(ours)/float64(theirs), "x-age")
			b.ReportMetric(float64(oursCPU)/float64(theirsCPU), "cpu-x-age")
			b.ReportMetric(float64(ours)/float64(theirs+signing), "x-age+minisign")
			b.ReportMetric(float64(blake2bTime(b, out))/float64(theirs/time.Duration(b.N)), "blake2b-alone-x-age")
			b.ReportMetric(heap, "peak-heap-MiB")
		})
	}
}

// blake2bTime is the fastest of three BLAKE2b-512 passes over a file in
// memory: the hash minisign signs, which no export can skip, on one core.
func blake2bTime(b *testing.B, path string) time.Duration {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	best := time.Duration(math.MaxInt64)
	for range 3 {
		t0 := time.Now()
		blake2b.Sum512(data)
		best = min(best, time.Since(t0))
	}
	return best
}

// freshStart removes the outputs of the last round and flushes the disk,
// so each tool writes a new file (as an auditor exporting to a stick
// does) rather than paying for freeing the last one.
func freshStart(b *testing.B, files ...string) {
	for _, f := range files {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			b.Fatal(err)
		}
	}
	syscall.Sync()
}

// target makes a fresh encrypted workspace from the small base bundle.
func target(b *testing.B, d *benchData) *app.Workspace {
	d.n++
	dir := filepath.Join(d.dir, fmt.Sprint("target", d.n))
	info, err := Inspect(ctx, d.base)
	if err != nil {
		b.Fatal(err)
	}
	w, _, err := Clone(ctx, dir, d.base, d.opts,
		ImportOptions{IdentityFiles: []string{d.tm.keyFile}, Trust: []string{info.PublicKey}})
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// BenchmarkImport imports the full bundle into a fresh workspace (signature,
// decryption, checks, merge, one atomic write), and in the same run writes
// the same records and photos with one plain store.Update into another
// fresh workspace, reporting the ratio as x-plain (target: at most 2).
func BenchmarkImport(b *testing.B) {
	d := benchSetup(b, true)
	b.SetBytes(fileSize(b, d.full))
	// The plain write's input, read from the bundle outside the timing.
	var records [][2]string
	var blobs [][]byte
	ms := members(b, plaintext(b, d.full, d.tm))
	for _, m := range ms {
		switch {
		case bytes.HasPrefix([]byte(m.name), []byte(blobPrefix)):
			blobs = append(blobs, m.body)
		case chunkRe.MatchString(m.name):
			kind := chunkRe.FindStringSubmatch(m.name)[1]
			sc := bufio.NewScanner(bytes.NewReader(m.body))
			sc.Buffer(nil, maxRecordSize+1)
			for sc.Scan() {
				records = append(records, [2]string{kind, sc.Text()})
			}
		}
	}
	var ours, plain time.Duration
	var heap, plainHeap float64
	for b.Loop() {
		b.StopTimer()
		w := target(b, d)
		b.StartTimer()
		t0 := time.Now()
		var res ImportResult
		heap = max(heap, peakHeap(func() {
			var err error
			if res, err = Import(ctx, w, d.full, ImportOptions{IdentityFiles: []string{d.tm.keyFile}}); err != nil {
				b.Fatal(err)
			}
		}))
		ours += time.Since(t0)
		b.StopTimer()
		if res.Added < 10_000 || res.Blobs != 50 {
			b.Fatalf("import: %+v", res)
		}
		w.Close()
		w = target(b, d)
		t0 = time.Now()
		plainHeap = max(plainHeap, peakHeap(func() {
			err := w.Store().Update(ctx, func(tx *store.Tx) error {
				for _, data := range blobs {
					if _, err := tx.PutBlob(data); err != nil {
						return err
					}
				}
				for _, r := range records {
					if err := tx.PutRaw(store.Kind(r[0]), []byte(r[1])); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}))
		plain += time.Since(t0)
		w.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "plain-ns/op")
	b.ReportMetric(float64(ours)/float64(plain), "x-plain")
	b.ReportMetric(heap, "peak-heap-MiB")
	b.ReportMetric(plainHeap, "plain-peak-heap-MiB")
}
