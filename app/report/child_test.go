package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app/cli"
)

// Environment of the child process of BenchmarkLargeReport.
const (
	childEnv  = "ZONEWALK_REPORT_CHILD" // workspace directory
	childOut  = "ZONEWALK_REPORT_OUT"   // PDF to write
	childArgs = "ZONEWALK_REPORT_ARGS"  // further flags, space-separated
)

// TestMain doubles as the child process of the memory benchmark: with
// childEnv set it runs `zonewalk report` on that workspace as the binary
// would, prints its peak RSS and exits.
func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		os.Exit(child(dir, os.Getenv(childOut)))
	}
	os.Exit(m.Run())
}

func child(dir, out string) int {
	t0 := time.Now()
	var stdout, stderr bytes.Buffer
	env := &cli.Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: os.Getenv}
	args := append([]string{"report", "--workspace", dir, "--out", out, "--quiet", "--date", "2026-11-27"}, strings.Fields(os.Getenv(childArgs))...)
	if code := cli.Run(context.Background(), args, env); code != 0 {
		fmt.Fprintf(os.Stderr, "exit %d: %s", code, stderr.String())
		return code
	}
	// Graphviz runs in worker processes (see package diagram); their peak
	// counts as well. RUSAGE_CHILDREN gives the largest waited-for child's.
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	json.NewEncoder(os.Stdout).Encode(map[string]any{
		"peak_kb": status("VmHWM"), "anon_kb": status("RssAnon"), "file_kb": status("RssFile"), "worker_peak_kb": ru.Maxrss,
		"seconds": time.Since(t0).Seconds(), "output": strings.TrimSpace(stdout.String()),
	})
	return 0
}

// status reads a kB figure of /proc/self/status (Linux).
func status(name string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return -1
}
