package cli

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/zonewalk/zonewalk/app"
	"github.com/zonewalk/zonewalk/assets"
)

// signalChildEnv makes the test binary, started again by TestSignals, play
// a zonewalk process whose command either honours its context ("ctx") or
// hangs for ever ("hang", as in Badger's Close on a deleted workspace).
const signalChildEnv = "ZONEWALK_TEST_SIGNAL_CHILD"

func TestSignalChild(t *testing.T) {
	mode := os.Getenv(signalChildEnv)
	if mode == "" {
		t.Skip("run by TestSignals")
	}
	stopGrace = time.Second
	os.Exit(mainWith(nil, OSEnv(), func(ctx context.Context, _ []string, env *Env) int {
		os.Stdout.WriteString("ready\n")
		if mode == "ctx" {
			<-ctx.Done()
			return 1
		}
		select {}
	}))
}

func TestSignals(t *testing.T) {
	if os.Getenv(signalChildEnv) != "" {
		t.Skip()
	}
	for _, c := range []struct {
		name, mode string
		sigs       []syscall.Signal
		code       int
		within     time.Duration
		says       string
	}{
		{"command stops", "ctx", []syscall.Signal{syscall.SIGTERM}, 143, 2 * time.Second, "stopping"},
		{"ctrl-c", "ctx", []syscall.Signal{syscall.SIGINT}, 130, 2 * time.Second, "stopping"},
		{"hung command, grace passes", "hang", []syscall.Signal{syscall.SIGTERM}, 143, 4 * time.Second, "did not stop"},
		{"hung command, second signal", "hang", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, 130, 800 * time.Millisecond, "quitting"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalChild$")
			cmd.Env = append(os.Environ(), signalChildEnv+"="+c.mode)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var once sync.Once
			kill := func() { once.Do(func() { cmd.Process.Kill() }) }
			defer kill()
			buf := make([]byte, 6)
			if _, err := out.Read(buf); err != nil || string(buf) != "ready\n" {
				t.Fatalf("child did not start: %q %v", buf, err)
			}
			start := time.Now()
			for i, s := range c.sigs {
				if i > 0 {
					time.Sleep(200 * time.Millisecond)
				}
				cmd.Process.Signal(s)
			}
			timer := time.AfterFunc(15*time.Second, kill)
			defer timer.Stop()
			err = cmd.Wait()
			took := time.Since(start)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Fatalf("exit %v after %v, want code %d; stderr:\n%s", err, took, c.code, stderr.String())
			}
			if took > c.within {
				t.Errorf("took %v to exit, want under %v", took, c.within)
			}
			if !strings.Contains(stderr.String(), c.says) {
				t.Errorf("stderr does not say %q:\n%s", c.says, stderr.String())
			}
		})
	}
}

// closer hangs in Close until released, as Badger's Close does when the
// workspace directory was deleted under it.
type closer chan struct{}

func (c closer) Close() error { <-c; return nil }

func TestCloseBounded(t *testing.T) {
	c := make(closer)
	defer close(c)
	start := time.Now()
	err := closeBounded(c, 100*time.Millisecond)
	if !errors.Is(err, errCloseTimeout) || time.Since(start) > 2*time.Second {
		t.Fatalf("closeBounded of a hung closer: %v after %v", err, time.Since(start))
	}
	done := make(closer)
	close(done)
	if err := closeBounded(done, time.Second); err != nil {
		t.Fatal(err)
	}
	// The command then fails (Run checks closeErr).
	env := &Env{Stdout: new(strings.Builder), Stderr: new(strings.Builder), Getenv: func(string) string { return "" }}
	env.closeWorkspace(make(closer), 50*time.Millisecond)
	if env.closeErr == nil || !strings.Contains(env.Stderr.(*strings.Builder).String(), "closing the workspace") {
		t.Fatalf("closeWorkspace of a hung closer: %v %q", env.closeErr, env.Stderr)
	}
}

// The real case: Badger's Close hangs once the workspace directory was
// deleted under a command that then wrote to it.
func TestCloseDeletedWorkspace(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "w")
	w, err := app.Create(context.Background(), dir, app.Options{Unencrypted: true, Author: "t"}, assets.Audit{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	w.SaveZone(assets.Zone{Name: "Z", SLT: assets.UniformSL(1)}) // fails or not; Close hangs after it
	var stderr strings.Builder
	env := &Env{Stdout: new(strings.Builder), Stderr: &stderr, Getenv: func(string) string { return "" }}
	start := time.Now()
	env.closeWorkspace(w, time.Second)
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("closeWorkspace took %v", took)
	}
	t.Logf("closeWorkspace: %v (%s)", env.closeErr, strings.TrimSpace(stderr.String()))
}
