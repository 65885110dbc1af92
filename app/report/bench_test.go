package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/assets"
)

// Environment of the child process; TestMain in child_test.go reads it.
const (
	childEnv  = "ZONEWALK_REPORT_CHILD"
	childOut  = "ZONEWALK_REPORT_OUT"
	childArgs = "ZONEWALK_REPORT_ARGS"
)

// childResult is what the child process reports (see child_test.go).
type childResult struct {
	PeakKB     int     `json:"peak_kb"`
	AnonKB     int     `json:"anon_kb"`
	FileKB     int     `json:"file_kb"`
	WorkerKB   int     `json:"worker_peak_kb"` // largest Graphviz worker process
	TreeKB     int     `json:"-"`              // child and workers together, sampled
	Seconds    float64 `json:"seconds"`
	Output     string  `json:"output"`
	CPUSeconds float64 `json:"-"`
}

// runChild runs `zonewalk report` on the workspace in dir in a fresh
// process, so its peak RSS holds only what making a report costs.
func runChild(b *testing.B, dir string, args ...string) childResult {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+dir, childOut+"="+filepath.Join(b.TempDir(), "child.pdf"), childArgs+"="+strings.Join(args, " "))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	// Sample the RSS of the child and its Graphviz workers together every
	// 10 ms: the peaks of the two do not fall at the same time.
	done := make(chan struct{})
	total := make(chan int, 1)
	go func() {
		peak := 0
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				total <- peak
				return
			case <-t.C:
				peak = max(peak, treeRSS(cmd.Process.Pid))
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err != nil {
		b.Fatalf("child: %v\n%s", err, errb.String())
	}
	var r childResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		b.Fatalf("child output %q: %v", out.Bytes(), err)
	}
	r.CPUSeconds = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	r.TreeKB = <-total
	return r
}

// treeRSS is the resident memory in kB of a process and its children
// (Linux /proc).
func treeRSS(pid int) int {
	sum := procKB(pid, "VmRSS")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The parent PID is the second field after the parenthesised name.
		if i := bytes.LastIndexByte(b, ')'); i > 0 {
			f := strings.Fields(string(b[i+1:]))
			if len(f) > 1 && f[1] == strconv.Itoa(pid) {
				sum += procKB(p, "VmRSS")
			}
		}
	}
	return sum
}

func procKB(pid int, name string) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// BenchmarkDemoReport: the demo audit with the test fixture's answers,
// findings and photos.
func BenchmarkDemoReport(b *testing.B) {
	w := demoWorkspace(b)
	benchReport(b, w, Options{Date: fixedDate})
}

// BenchmarkLargeReport: a synthetic audit of 5,000 assets in 20 zones with
// the model checks' findings and 200 photos (1600×1200 JPEGs, as a phone
// app's "large" setting stores them); with every zone drawn, and without
// the zone drawings. Each also runs `zonewalk report` once in a child
// process for its peak RSS and CPU time.
func BenchmarkLargeReport(b *testing.B) {
	dir := largeWorkspace(b, 20, 5000, 200)
	for _, c := range []struct {
		name    string
		noZones bool
	}{{"zone-diagrams", false}, {"no-zone-diagrams", true}} {
		b.Run(c.name, func(b *testing.B) {
			w, err := app.Open(context.Background(), dir, app.Options{})
			if err != nil {
				b.Fatal(err)
			}
			benchReport(b, w, Options{Date: fixedDate, NoZoneDiagrams: c.noZones})
			w.Close()
			var args []string
			if c.noZones {
				args = append(args, "--no-zone-diagrams")
			}
			r := runChild(b, dir, args...)
			b.ReportMetric(float64(r.PeakKB)/1024, "child-peak-RSS-MB")
			b.ReportMetric(float64(r.WorkerKB)/1024, "worker-peak-RSS-MB")
			b.ReportMetric(float64(r.TreeKB)/1024, "together-peak-RSS-MB")
			b.ReportMetric(r.Seconds, "child-wall-s")
			b.ReportMetric(r.CPUSeconds, "child-CPU-s")
			b.Logf("child process `zonewalk report %s`: %.2f s wall, %.2f s CPU (with its Graphviz worker), peak RSS %d MB (anon %d MB, file %d MB), Graphviz worker peak RSS %d MB, both together (sampled every 10 ms) %d MB; %s",
				strings.Join(args, " "), r.Seconds, r.CPUSeconds, r.PeakKB/1024, r.AnonKB/1024, r.FileKB/1024, r.WorkerKB/1024, r.TreeKB/1024, r.Output)
		})
	}
}

func benchReport(b *testing.B, w *app.Workspace, opts Options) {
	b.Helper()
	var res *Result
	for b.Loop() {
		var err error
		res, err = Generate(context.Background(), w, io.Discard, opts, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(res.Pages), "pages")
	b.ReportMetric(float64(res.Bytes)/(1<<20), "PDF-MB")
}

// largeWorkspace builds a synthetic audit, runs the model checks and
// attaches nPhotos generated photos, half to assets and half to findings.
// It returns the closed workspace's directory.
func largeWorkspace(b *testing.B, zones, nAssets, nPhotos int) string {
	b.Helper()
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "ws")
	w, err := demo.Synthetic(ctx, dir, zones, nAssets)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	if _, err := w.RunChecks(ctx, fixedDate); err != nil {
		b.Fatal(err)
	}
	fs, err := w.Findings()
	if err != nil {
		b.Fatal(err)
	}
	as := w.Assets()
	total := 0
	for i := range nPhotos {
		owner := assets.Ref{Kind: "asset", ID: as[(i*7919)%len(as)].ID}
		if i%2 == 1 && len(fs) > 0 {
			owner = assets.Ref{Kind: "finding", ID: fs[(i/2)%len(fs)].ID}
		}
		data := benchPhoto(b, i, 1600, 1200)
		total += len(data)
		if _, err := w.AttachEvidence(owner, fmt.Sprintf("IMG_%04d.jpg", i), data, fmt.Sprintf("Site photo %d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("large workspace: %d zones, %d assets, %d findings, %d photos (%.1f MB)", zones, nAssets, len(fs), nPhotos, float64(total)/(1<<20))
	return dir
}

// benchPhoto makes a deterministic photo-like JPEG: smooth light, edges and
// some sensor noise, so it compresses like a real picture.
func benchPhoto(b *testing.B, seed, w, h int) []byte {
	b.Helper()
	rng := rand.New(rand.NewPCG(uint64(seed), 62443))
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	cx, cy := rng.IntN(w), rng.IntN(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := (x-cx)*(x-cx) + (y-cy)*(y-cy)
			v := 200 - d/9000 + rng.IntN(12)
			if (x/97+y/61+seed)%5 == 0 {
				v -= 70
			}
			img.Y[img.YOffset(x, y)] = uint8(max(0, min(255, v)))
		}
	}
	for i := range img.Cb {
		img.Cb[i] = uint8(118 + seed%20)
		img.Cr[i] = uint8(132 - seed%15)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 88}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}
