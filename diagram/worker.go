package diagram

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Why a worker process: go-graphviz v0.2.10 runs Graphviz in one
// WebAssembly module per process and, on every render, leaves in that
// module's memory a copy of the DOT input and Graphviz's output buffer (it
// never calls gvFreeRenderData). WebAssembly memory never shrinks and the
// module cannot be replaced, so closing and re-creating the Graphviz
// instance frees nothing (measured: 0.7 MB per 50-zone overview either
// way). A child process that is replaced every few renders frees it all,
// and can be killed, which is the only way to stop a layout in progress.

// workerEnv marks a process started as a Graphviz worker.
const workerEnv = "ZONEWALK_GRAPHVIZ_WORKER"

// The worker is this same executable: when started with workerEnv set, the
// package's init serves requests on stdin/stdout and exits before main
// runs. Every program that imports this package can therefore be its own
// worker, including test binaries.
func init() {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(serveWorker(os.Stdin, os.Stdout))
	}
}

// Frames are a 4-byte big-endian length and that many bytes. A request is
// two frames (format, DOT); a reply is a status byte ('+' or '-'), an
// 8-byte heap size, and one frame (output or error text).

const maxFrame = 256 << 20

func writeFrame(w io.Writer, b []byte) error {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	_, err := w.Write(b)
	return err
}

func readFrame(r io.Reader) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > maxFrame {
		return nil, fmt.Errorf("worker frame of %d bytes: too large", size)
	}
	b := make([]byte, size)
	_, err := io.ReadFull(r, b)
	return b, err
}

// serveWorker answers requests until stdin closes; it returns the exit code.
func serveWorker(in io.Reader, out io.Writer) int {
	r := NewRenderer(InProcess(), RecycleEvery(0), Timeout(0))
	br, bw := bufio.NewReader(in), bufio.NewWriter(out)
	for {
		format, err := readFrame(br)
		if errors.Is(err, io.EOF) {
			return 0
		}
		if err != nil {
			return 2
		}
		dot, err := readFrame(br)
		if err != nil {
			return 2
		}
		res, err := r.Run(context.Background(), dot, string(format))
		status := byte('+')
		if err != nil {
			step := "layout"
			var le *LayoutError
			if errors.As(err, &le) {
				step, err = le.Step, le.Err
			}
			status, res = '-', []byte(step+"\x00"+err.Error())
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		var hdr [9]byte
		hdr[0] = status
		binary.BigEndian.PutUint64(hdr[1:], ms.HeapInuse)
		if _, err := bw.Write(hdr[:]); err != nil {
			return 2
		}
		if err := writeFrame(bw, res); err != nil {
			return 2
		}
		if err := bw.Flush(); err != nil {
			return 2
		}
	}
}

// worker is a running child process.
type worker struct {
	cmd  *exec.Cmd
	in   io.WriteCloser
	out  *bufio.Reader
	done chan struct{} // closed when the process has exited
	runs int
	heap uint64 // the worker's Go heap after its last run, which holds the WebAssembly memory
}

func startWorker() (*worker, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	cmd.Stderr = nil // Graphviz warnings are of no use to a user
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	w := &worker{cmd: cmd, in: in, out: bufio.NewReader(out), done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(w.done)
	}()
	return w, nil
}

// errWorkerDied is returned when the worker vanished mid-request.
var errWorkerDied = errors.New("the Graphviz worker process ended unexpectedly")

// run sends one request and waits for the reply or the context's end, in
// which case the worker is killed (the caller drops it).
func (w *worker) run(ctx context.Context, dot []byte, format string) ([]byte, error) {
	type reply struct {
		out []byte
		err error
	}
	ch := make(chan reply, 1)
	go func() {
		if err := writeFrame(w.in, []byte(format)); err != nil {
			ch <- reply{nil, errWorkerDied}
			return
		}
		if err := writeFrame(w.in, dot); err != nil {
			ch <- reply{nil, errWorkerDied}
			return
		}
		var hdr [9]byte
		if _, err := io.ReadFull(w.out, hdr[:]); err != nil {
			ch <- reply{nil, errWorkerDied}
			return
		}
		body, err := readFrame(w.out)
		if err != nil {
			ch <- reply{nil, errWorkerDied}
			return
		}
		w.heap = binary.BigEndian.Uint64(hdr[1:])
		if hdr[0] != '+' {
			step, msg, _ := strings.Cut(string(body), "\x00")
			ch <- reply{nil, &LayoutError{Step: step, Err: errors.New(msg)}}
			return
		}
		ch <- reply{body, nil}
	}()
	select {
	case r := <-ch:
		w.runs++
		return r.out, r.err
	case <-ctx.Done():
		w.kill()
		return nil, ctx.Err()
	}
}

// stop ends the worker: politely (closing its input) or, if it does not
// leave at once, by kill.
func (w *worker) stop() {
	_ = w.in.Close()
	select {
	case <-w.done:
	case <-time.After(2 * time.Second):
		w.kill()
	}
}

func (w *worker) kill() {
	_ = w.cmd.Process.Kill()
	_ = w.in.Close()
	<-w.done
}
