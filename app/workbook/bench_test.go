package workbook_test

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

	"github.com/xuri/excelize/v2"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/app/cli"
	"github.com/zonewalk/zonewalk/app/demo"
	"github.com/zonewalk/zonewalk/app/workbook"
	"github.com/zonewalk/zonewalk/checklist"
	"github.com/zonewalk/zonewalk/store"
)

// Environment of the child process of BenchmarkLargeWorkbook.
const (
	childEnv = "ZONEWALK_WORKBOOK_CHILD" // workspace directory
	childOut = "ZONEWALK_WORKBOOK_OUT"   // file to write
)

// TestMain doubles as the child process of the benchmark: with childEnv
// set it runs `zonewalk findings export` on that workspace as the binary
// would, prints its wall time and peak RSS, and exits.
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
	args := []string{"findings", "export", "--workspace", dir, "--out", out, "--date", day.Format(time.DateOnly)}
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

// synthetic makes the large audit: 50 zones, 5,000 assets, and every
// zone's 62443-3-3 items answered, 40 of them Not met, for about 2,000
// checklist findings besides the model checks' (as app/oscal's tests).
func synthetic(t testing.TB, dir string) *app.Workspace {
	ctx := context.Background()
	w, err := demo.Synthetic(ctx, dir, 50, 5000)
	if err != nil {
		t.Fatal(err)
	}
	tpl := checklist.BuiltinByID(checklist.IEC62443_3_3_2013)
	var list []checklist.Answer
	for _, z := range w.Zones() {
		for i, it := range tpl.Items() {
			st := checklist.StatusMet
			if i%2 == 0 && i/2 < 40 {
				st = checklist.StatusNotMet
			}
			a := checklist.Answer{Template: tpl.ID, Item: it.ID, Zone: z.ID, Status: st, Note: "synthetic answer " + it.ID,
				AnsweredBy: "generator", AnsweredAt: "2026-11-17T09:00:00Z"}
			a.ID = checklist.AnswerID(a.Template, a.Item, a.Zone)
			list = append(list, a)
		}
	}
	err = w.Store().Update(ctx, func(tx *store.Tx) error {
		for i := range list {
			if err := tx.Put(app.KindAnswer, &list[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestLargeAudit: the 5,000-asset audit's workbook holds each of its
// 2,000-odd findings and 5,000-odd answers once.
func TestLargeAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("5,000 assets: skipped in -short")
	}
	ctx := context.Background()
	w := synthetic(t, filepath.Join(t.TempDir(), "big"))
	defer w.Close()
	path := filepath.Join(t.TempDir(), "big.xlsx")
	res, err := workbook.WriteFile(ctx, w, path, workbook.Options{Date: day})
	if err != nil {
		t.Fatal(err)
	}
	findings, err := w.CurrentFindings(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) < 2000 {
		t.Fatalf("%d findings, want at least 2,000", len(findings))
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Findings")
	if err != nil {
		t.Fatal(err)
	}
	var ids, want []string
	for _, r := range rows[1:] {
		ids = append(ids, r[0])
	}
	for _, f := range findings {
		want = append(want, f.ID)
	}
	exactlyOnce(t, "finding", ids, want)
	rows, err = x.GetRows("Answers")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[1:] {
		got = append(got, r[1]+"|"+r[2]+"|"+r[4])
	}
	exactlyOnce(t, "answer", got, answerKeys(t, w))
	t.Logf("5,000 assets: %d findings, %d answers, %d bytes", res.Findings, res.Answers, res.Bytes)
}

// BenchmarkLargeWorkbook: the synthetic audit of TestLargeAudit (50 zones,
// 5,000 assets, 5,000 checklist answers, some 2,070 findings) written as
// XLSX and CSV in process, and once by `zonewalk findings export` in a
// child process for its wall time (opening the workspace included) and
// peak RSS.
func BenchmarkLargeWorkbook(b *testing.B) {
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
	for _, f := range []workbook.Format{workbook.XLSX, workbook.CSV} {
		b.Run(string(f), func(b *testing.B) {
			w, err := app.Open(ctx, dir, app.Options{})
			if err != nil {
				b.Fatal(err)
			}
			var res workbook.Result
			for b.Loop() {
				if res, err = workbook.Write(ctx, w, io.Discard, workbook.Options{Format: f, Date: day}); err != nil {
					b.Fatal(err)
				}
			}
			w.Close()
			b.SetBytes(res.Bytes)
			b.ReportMetric(float64(res.Findings), "findings")
			b.ReportMetric(float64(res.Answers), "answers")
		})
	}
	b.Run("child-xlsx", func(b *testing.B) {
		var r childResult
		for b.Loop() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"="+dir, childOut+"="+filepath.Join(b.TempDir(), "out.xlsx"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("child: %v\n%s", err, stderr.String())
			}
			if err := json.Unmarshal(out, &r); err != nil {
				b.Fatalf("child output %q: %v", out, err)
			}
		}
		b.ReportMetric(float64(r.PeakKB)/1024, "child-peak-RSS-MB")
		b.ReportMetric(r.Seconds, "child-wall-s")
		b.Logf("child `zonewalk findings export`: %.2f s wall, peak RSS %d MB; %s", r.Seconds, r.PeakKB/1024, r.Output)
	})
}
