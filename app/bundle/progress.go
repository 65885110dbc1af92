package bundle

import (
	"context"
	"io"
	"time"
)

// Stage names a step of a long bundle operation.
type Stage string

// The stages progress reports name, in the order they run.
const (
	StageScan      Stage = "scan"      // export: reading the workspace
	StageWrite     Stage = "write"     // export: writing the encrypted bundle
	StageSignature Stage = "signature" // checking the signature
	StageCheck     Stage = "check"     // decrypting and checking every member
	StageApply     Stage = "apply"     // import: storing evidence and merging records
)

// Progress is one progress report. Done and Total count bytes (Total is an
// estimate during export).
type Progress struct {
	Stage Stage
	Done  int64
	Total int64
}

// progressReader counts bytes, reports progress at most every 100 ms and
// stops when the context is cancelled.
type progressReader struct {
	ctx   context.Context
	r     io.Reader
	stage Stage
	done  int64
	total int64
	fn    func(Progress)
	last  time.Time
}

func (p *progressReader) Read(b []byte) (int, error) {
	if err := p.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := p.r.Read(b)
	p.done += int64(n)
	p.report(false)
	return n, err
}

func (p *progressReader) report(final bool) {
	if p.fn == nil {
		return
	}
	if now := time.Now(); final || now.Sub(p.last) >= 100*time.Millisecond {
		p.last = now
		p.fn(Progress{Stage: p.stage, Done: p.done, Total: p.total})
	}
}
