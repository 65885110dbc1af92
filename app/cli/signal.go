package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a command may take to stop after SIGINT or SIGTERM
// before the process ends without it.
var stopGrace = 10 * time.Second

// closeTimeout bounds closing a workspace. Badger's Close can hang for ever
// (a workspace directory deleted under a running command); every write was
// synced when it was made, so giving up loses nothing.
const closeTimeout = 10 * time.Second

// Main runs the command line as the whole process and returns its exit
// code. SIGINT or SIGTERM cancels the command's context; a second signal,
// or the command still running stopGrace later, ends the process at once.
// A command stopped by a signal exits with 128 + the signal's number: 130
// for SIGINT (Ctrl-C), 143 for SIGTERM.
func Main(args []string, env *Env) int { return mainWith(args, env, Run) }

func mainWith(args []string, env *Env, run func(context.Context, []string, *Env) int) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	caught := make(chan int, 1)
	go func() {
		var sig os.Signal
		select {
		case sig = <-sigs:
		case <-done:
			return
		}
		code := signalCode(sig)
		// Said before cancelling: a command that stops at once returns, and
		// the process may exit, before a later line is written.
		fmt.Fprintf(env.Stderr, "zonewalk: %v: stopping (a second signal quits at once)\n", sig)
		caught <- code
		cancel()
		select {
		case <-sigs:
			fmt.Fprintln(env.Stderr, "zonewalk: second signal: quitting")
		case <-time.After(stopGrace):
			fmt.Fprintf(env.Stderr, "zonewalk: did not stop within %v: quitting\n", stopGrace)
		case <-done:
			return
		}
		os.Exit(code)
	}()
	code := run(ctx, args, env)
	close(done)
	select {
	case c := <-caught:
		return c
	default:
		return code
	}
}

func signalCode(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 1
}

var errCloseTimeout = errors.New("closing the workspace timed out")

// closeBounded closes c, or gives up after d and leaves Close running.
func closeBounded(c io.Closer, d time.Duration) error {
	ch := make(chan error, 1)
	go func() { ch <- c.Close() }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-ch:
		return err
	case <-t.C:
		return fmt.Errorf("%w after %v", errCloseTimeout, d)
	}
}

// closeWorkspace is the deferred close of a command's workspace: bounded,
// and a failure makes the command fail (Run returns 1) even after it
// printed its result.
func (env *Env) closeWorkspace(c io.Closer, d time.Duration) {
	if err := closeBounded(c, d); err != nil {
		msg := err.Error()
		if !errors.Is(err, errCloseTimeout) {
			msg = "closing the workspace: " + msg
		}
		fmt.Fprintf(env.Stderr, "zonewalk: %s\n", term(oneLine(msg)))
		if env.closeErr == nil {
			env.closeErr = err
		}
	}
}
