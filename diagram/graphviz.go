package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goccy/go-graphviz"

	"github.com/zonewalk/zonewalk/diagram/internal/wasmcache"
)

// go-graphviz's init, which compiled Graphviz with its cache in a private
// directory (see package wasmcache), has run: the rest of the process sees
// the user's TMPDIR again.
var _ = wasmcache.Restore()

// ErrLayout is wrapped by every error from Graphviz itself.
var ErrLayout = errors.New("graphviz layout failed")

// LayoutError says which step of a Graphviz run failed.
type LayoutError struct {
	Step string // "parse", "layout", "wait" (for the engine)
	Err  error
}

func (e *LayoutError) Error() string { return "graphviz " + e.Step + ": " + e.Err.Error() }

// Unwrap returns the cause; errors.Is(err, ErrLayout) holds for failures of
// Graphviz, errors.Is(err, context.DeadlineExceeded) for timeouts.
func (e *LayoutError) Unwrap() []error {
	if errors.Is(e.Err, context.Canceled) || errors.Is(e.Err, context.DeadlineExceeded) {
		return []error{e.Err}
	}
	return []error{ErrLayout, e.Err}
}

// engineLock serialises every use of go-graphviz in the process. It is a
// package variable, not a Renderer field, because go-graphviz compiles
// Graphviz once per process into a single WebAssembly module that all its
// instances share, and that module is not safe for concurrent use
// (upstream issue #117). A channel rather than a mutex lets a waiting
// caller give up when its context ends.
var engineLock = make(chan struct{}, 1)

// DefaultRecycle is how many runs a worker process serves before it is
// replaced, which frees the memory go-graphviz leaves behind.
const DefaultRecycle = 100

// DefaultMaxWorkerHeap replaces a worker early once its heap (which holds
// Graphviz's WebAssembly memory) passes this size: after about 40
// overviews of a 50-zone plant, or hundreds of a usual one.
const DefaultMaxWorkerHeap = 96 << 20

// DefaultTimeout bounds one Graphviz run unless the Renderer is told otherwise.
const DefaultTimeout = 30 * time.Second

// Renderer runs Graphviz. It is safe for concurrent use: runs take turns.
//
// By default Graphviz runs in a worker process (this same executable,
// started again; see worker.go for why), replaced every DefaultRecycle runs
// or when its heap passes DefaultMaxWorkerHeap, so memory stays bounded
// however many diagrams are drawn. Cancelling the context, or the timeout
// passing, kills the worker and returns at once; the next run starts a new
// one. If no worker can be started, the Renderer runs Graphviz in this
// process instead.
//
// With InProcess, Graphviz runs here: no process start (about 50 ms
// saved), but memory grows with every run and a cancelled run cannot be
// stopped — the call returns, Graphviz finishes in the background and the
// next run waits for it.
type Renderer struct {
	recycle   int
	timeout   time.Duration
	inProcess bool
	maxHeap   uint64

	sem chan struct{} // one run at a time per Renderer
	w   *worker       // guarded by sem

	// In-process state, guarded by engineLock.
	gv   *graphviz.Graphviz
	runs int
}

// Option configures a Renderer.
type Option func(*Renderer)

// RecycleEvery replaces the worker (in process: the Graphviz context) after
// n runs; 0 never does.
func RecycleEvery(n int) Option { return func(r *Renderer) { r.recycle = max(n, 0) } }

// Timeout bounds each run (0: only the caller's context bounds it).
func Timeout(d time.Duration) Option { return func(r *Renderer) { r.timeout = max(d, 0) } }

// InProcess runs Graphviz in this process rather than in a worker.
func InProcess() Option { return func(r *Renderer) { r.inProcess = true } }

// MaxWorkerHeap replaces the worker once its heap exceeds n bytes (0: never).
func MaxWorkerHeap(n uint64) Option { return func(r *Renderer) { r.maxHeap = n } }

// NewRenderer returns a Renderer; Graphviz starts on first use.
func NewRenderer(opts ...Option) *Renderer {
	r := &Renderer{recycle: DefaultRecycle, timeout: DefaultTimeout, maxHeap: DefaultMaxWorkerHeap, sem: make(chan struct{}, 1)}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Close stops the worker and frees the Graphviz context. The Renderer may
// be used again after.
func (r *Renderer) Close() error {
	r.sem <- struct{}{}
	if r.w != nil {
		r.w.stop()
		r.w = nil
	}
	<-r.sem
	engineLock <- struct{}{}
	defer func() { <-engineLock }()
	return r.free()
}

func (r *Renderer) free() error {
	if r.gv == nil {
		return nil
	}
	// gvFreeContext reports how many errors Graphviz saw in the context's
	// life, which go-graphviz turns into the last (stale) message: the
	// context is freed either way, and those errors were returned when
	// they happened.
	_ = r.gv.Close()
	r.gv, r.runs = nil, 0
	return nil
}

// SVG lays out DOT and returns the SVG Graphviz writes.
func (r *Renderer) SVG(ctx context.Context, dot []byte) ([]byte, error) {
	return r.Run(ctx, dot, "svg")
}

// DOT lays out DOT and returns it as Graphviz writes it: the same graph
// with positions, which any Graphviz tool reads.
func (r *Renderer) DOT(ctx context.Context, dot []byte) ([]byte, error) {
	return r.Run(ctx, dot, "dot")
}

// Layout lays out DOT and returns it as a Drawing.
func (r *Renderer) Layout(ctx context.Context, dot []byte) (*Drawing, error) {
	out, err := r.Run(ctx, dot, "json")
	if err != nil {
		return nil, err
	}
	return parseDrawing(out)
}

// Formats Run accepts: what Graphviz writes well in go-graphviz v0.2.10.
// (Its own PNG and PDF writers are broken there; use Layout and the
// painters of this package.)
var formats = map[string]bool{"svg": true, "dot": true, "json": true, "xdot": true, "plain": true}

// Run lays out DOT with the dot engine and returns Graphviz's output in
// format: "svg", "dot", "json", "xdot" or "plain".
func (r *Renderer) Run(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if !formats[format] {
		return nil, fmt.Errorf("output format %q: Graphviz writes svg, dot, json, xdot or plain here", format)
	}
	if r.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	if r.inProcess {
		return r.runInProcess(ctx, dot, format)
	}
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, &LayoutError{Step: "wait", Err: ctx.Err()}
	}
	defer func() { <-r.sem }()
	if r.w == nil {
		w, err := startWorker()
		if err != nil {
			return r.runInProcess(ctx, dot, format)
		}
		r.w = w
	}
	out, err := r.w.run(ctx, dot, format)
	if err != nil {
		var le *LayoutError
		if !errors.As(err, &le) {
			// Cancelled (the worker was killed) or the worker died.
			r.w.kill()
			r.w = nil
			return nil, &LayoutError{Step: "layout", Err: err}
		}
	}
	if (r.recycle > 0 && r.w.runs >= r.recycle) || (r.maxHeap > 0 && r.w.heap > r.maxHeap) {
		r.w.stop()
		r.w = nil
	}
	return out, err
}

func (r *Renderer) runInProcess(ctx context.Context, dot []byte, format string) ([]byte, error) {
	select {
	case engineLock <- struct{}{}:
	case <-ctx.Done():
		return nil, &LayoutError{Step: "wait", Err: ctx.Err()}
	}
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() { <-engineLock }()
		out, err := r.runLocked(context.WithoutCancel(ctx), dot, format)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		return nil, &LayoutError{Step: "layout", Err: ctx.Err()}
	}
}

func (r *Renderer) runLocked(ctx context.Context, dot []byte, format string) (out []byte, err error) {
	defer func() {
		// go-graphviz panics on some failures inside its callbacks; a
		// diagram must not take the application down with it.
		if p := recover(); p != nil {
			_ = r.free()
			out, err = nil, &LayoutError{Step: "layout", Err: fmt.Errorf("%v", p)}
		}
	}()
	if r.gv == nil {
		gv, err := graphviz.New(ctx)
		if err != nil {
			return nil, &LayoutError{Step: "start", Err: err}
		}
		r.gv = gv
	}
	graph, err := graphviz.ParseBytes(dot)
	if err != nil {
		return nil, &LayoutError{Step: "parse", Err: err}
	}
	if graph == nil {
		return nil, &LayoutError{Step: "parse", Err: errors.New("not a graph")}
	}
	defer graph.Close()
	var buf bytes.Buffer
	if err := r.gv.Render(ctx, graph, graphviz.Format(format), &buf); err != nil {
		return nil, &LayoutError{Step: "layout", Err: err}
	}
	r.runs++
	if r.recycle > 0 && r.runs >= r.recycle {
		if err := r.free(); err != nil {
			return nil, &LayoutError{Step: "recycle", Err: err}
		}
	}
	if buf.Len() == 0 {
		return nil, &LayoutError{Step: "layout", Err: fmt.Errorf("no %s output", format)}
	}
	return buf.Bytes(), nil
}
