package diagram

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goccy/go-graphviz"
)

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

// DefaultRecycle is how many runs a Renderer does on one Graphviz context
// before it frees it and makes a new one.
const DefaultRecycle = 50

// DefaultTimeout bounds one Graphviz run unless the Renderer is told otherwise.
const DefaultTimeout = 30 * time.Second

// Renderer runs Graphviz. It is safe for concurrent use: runs take turns.
//
// Cancelling the context (or the timeout passing) returns at once with the
// context's error, but Graphviz itself cannot be interrupted — go-graphviz
// does not let its WebAssembly runtime stop on a context — so the run
// finishes in the background and the next run waits for it. The size caps
// of the DOT builders (see MaxDetailAssets) keep such runs short.
type Renderer struct {
	recycle int
	timeout time.Duration

	// Guarded by engineLock.
	gv   *graphviz.Graphviz
	runs int
}

// Option configures a Renderer.
type Option func(*Renderer)

// RecycleEvery makes the Renderer replace its Graphviz context after n
// runs (0: never).
func RecycleEvery(n int) Option { return func(r *Renderer) { r.recycle = max(n, 0) } }

// Timeout bounds each run (0: only the caller's context bounds it).
func Timeout(d time.Duration) Option { return func(r *Renderer) { r.timeout = max(d, 0) } }

// NewRenderer returns a Renderer; Graphviz starts on first use.
func NewRenderer(opts ...Option) *Renderer {
	r := &Renderer{recycle: DefaultRecycle, timeout: DefaultTimeout}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Close frees the Graphviz context. The Renderer may be used again after.
func (r *Renderer) Close() error {
	engineLock <- struct{}{}
	defer func() { <-engineLock }()
	return r.free()
}

func (r *Renderer) free() error {
	if r.gv == nil {
		return nil
	}
	err := r.gv.Close()
	r.gv, r.runs = nil, 0
	return err
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

// Run lays out DOT with the dot engine and returns Graphviz's output in
// format ("svg", "dot", "json", "xdot", "plain"). Graphviz's own PNG and PDF
// writers are broken in go-graphviz v0.2.10; use Layout and the painters.
func (r *Renderer) Run(ctx context.Context, dot []byte, format string) ([]byte, error) {
	if r.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
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
