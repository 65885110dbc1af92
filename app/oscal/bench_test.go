package oscal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/cli"
	"github.com/zonewalk/zonewalk/app/oscal"
)

// Environment of the child process of BenchmarkLargeExport.
const (
	childEnv   = "ZONEWALK_OSCAL_CHILD" // workspace directory
	childOut   = "ZONEWALK_OSCAL_OUT"   // file to write
	childModel = "ZONEWALK_OSCAL_MODEL"
)

// TestMain doubles as the child process of the benchmark: with childEnv
// set it runs `zonewalk oscal` on that workspace as the binary would,
// prints its wall time and peak RSS, and exits.
func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(child(dir, os.Getenv(childOut), os.Getenv(childModel)))
	}
	os.Exit(m.Run())
}

func child(dir, out, model string) int {
	t0 := time.Now()
	var stdout, stderr bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv}
	args := []string{"oscal", "--workspace", dir, "--out", out, "--model", model, "--date", day.Format(time.DateOnly)}
	if code := cli.Run(context.Background(), args, env); code != 0 {
		fmt.Fprintf(os.Stderr, "exit %d: %s", code, stderr.String())
		return code
	}
	json.NewEncoder(os.Stdout).Encode(childResult{PeakKB: procStatus("VmHWM"), Seconds: time.Since(t0).Seconds(), Output: strings.TrimSpace(stdout.String())})
	return 0
}

type childResult struct {
	PeakKB  int     `json:"peak_kb"`
	Seconds float64 `json:"seconds"`
	Output  string  `json:"output"`
}

// procStatus reads a kB figure of /proc/self/status (Linux).
func procStatus(name string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}

// BenchmarkLargeExport: the synthetic audit of TestLargeAudit (50 zones,
// 5,000 assets, 5,000 checklist answers, some 2,070 findings), each model
// exported in process, and once by `zonewalk oscal` in a child process for
// its wall time (opening the workspace included) and peak RSS.
func BenchmarkLargeExport(b *testing.B) {
	ctx := context.Background()
	dir := filepath.Join(b.TempDir(), "big")
	w := synthetic(b, dir)
	// Findings are brought up to date once here, so the figures below are
	// of the export, not of a first check run.
	fs, err := w.CurrentFindings(ctx, day)
	if err != nil {
		b.Fatal(err)
	}
	w.Close()
	b.Logf("%d findings", len(fs))
	for _, m := range oscal.Models {
		b.Run(string(m), func(b *testing.B) {
			w, err := app.Open(ctx, dir, app.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var res oscal.Result
			for b.Loop() {
				if res, err = oscal.Export(ctx, w, io.Discard, oscal.Options{Model: m, Date: day}); err != nil {
					b.Fatal(err)
				}
			}
			w.Close()
			b.ReportMetric(float64(res.Bytes)/(1<<20), "JSON-MB")
			b.ReportMetric(float64(res.Findings), "findings")

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"="+dir, childOut+"="+filepath.Join(b.TempDir(), "out.json"), childModel+"="+string(m))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("child: %v\n%s", err, stderr.String())
			}
			var r childResult
			if err := json.Unmarshal(out, &r); err != nil {
				b.Fatalf("child output %q: %v", out, err)
			}
			b.ReportMetric(float64(r.PeakKB)/1024, "child-peak-RSS-MB")
			b.ReportMetric(r.Seconds, "child-wall-s")
			b.Logf("child `zonewalk oscal --model %s`: %.2f s wall, peak RSS %d MB; %s", m, r.Seconds, r.PeakKB/1024, r.Output)
		})
	}
}
