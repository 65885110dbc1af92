package report

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"sync"
	"sync/atomic"

	xdraw "golang.org/x/image/draw"

	"github.com/zonewalk/zonewalk/assets"
)

// Photo limits. A JPEG that is already small and upright is embedded as
// it is (no decoding, no loss); anything else is decoded, turned upright,
// scaled down to DefaultPhotoEdge pixels on its long edge and re-encoded.
const (
	DefaultPhotoEdge = 1600
	rawMaxEdge       = 2048
	rawMaxBytes      = 1_500_000
	maxPixels        = 80_000_000 // larger images are listed, not decoded
	photoQuality     = 82
)

// photo is one piece of evidence prepared for the PDF.
type photo struct {
	ev    *assets.Evidence
	ready chan struct{}
	w, h  int    // upright size in pixels; 0 when not shown
	data  []byte // JPEG bytes to embed
	raw   bool   // data is the stored file as it is
	note  string // why it is listed but not shown
}

func (p *photo) shown() bool { return p.w > 0 && p.h > 0 && p.note == "" }

// photoSet prepares photos in the background, in document order, on
// several cores, while diagrams are laid out and pages measured.
type photoSet struct {
	read   func(assets.Evidence) ([]byte, error)
	byID   map[string]*photo
	done   atomic.Int64
	total  int
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startPhotos(ctx context.Context, evs []*assets.Evidence, read func(assets.Evidence) ([]byte, error), maxEdge, workers int) *photoSet {
	ctx, cancel := context.WithCancel(ctx)
	ps := &photoSet{read: read, byID: make(map[string]*photo, len(evs)), total: len(evs), cancel: cancel}
	list := make([]*photo, len(evs))
	for i, ev := range evs {
		list[i] = &photo{ev: ev, ready: make(chan struct{})}
		ps.byID[ev.ID] = list[i]
	}
	next := make(chan *photo)
	ps.wg.Add(1)
	go func() {
		defer ps.wg.Done()
		defer close(next)
		for _, p := range list {
			select {
			case next <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range max(workers, 1) {
		ps.wg.Add(1)
		go func() {
			defer ps.wg.Done()
			for p := range next {
				if ctx.Err() == nil {
					prepare(p, read, maxEdge)
					if p.raw {
						// Read again when placed: holding every photo
						// until then would double the report's memory.
						p.data = nil
					}
				}
				close(p.ready)
				ps.done.Add(1)
			}
		}()
	}
	return ps
}

// get waits for a photo to be prepared.
func (ps *photoSet) get(ctx context.Context, id string) (*photo, error) {
	p := ps.byID[id]
	if p == nil {
		return nil, fmt.Errorf("report: evidence %s was not queued", id)
	}
	select {
	case <-p.ready:
		return p, ctx.Err()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bytes returns the JPEG to embed for a shown photo, reading a photo that
// goes in as stored from the workspace again.
func (ps *photoSet) bytes(p *photo) ([]byte, error) {
	if p.data != nil || !p.raw {
		return p.data, nil
	}
	b, err := ps.read(*p.ev)
	if err != nil {
		return nil, fmt.Errorf("report: evidence %q: %w", p.ev.Name, err)
	}
	return b, nil
}

// stop ends the workers and waits for them.
func (ps *photoSet) stop() {
	ps.cancel()
	ps.wg.Wait()
}

// prepare reads, checks and, when needed, converts one piece of evidence.
// Failures become a note: one unreadable photo must not stop a report.
func prepare(p *photo, read func(assets.Evidence) ([]byte, error), maxEdge int) {
	data, err := read(*p.ev)
	if err != nil {
		p.note = "could not be read from the workspace: " + err.Error()
		return
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		if strings.HasPrefix(p.ev.MediaType, "image/") {
			p.note = "image format not supported or file damaged"
		} else {
			p.note = "not an image"
		}
		return
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPixels {
		p.note = fmt.Sprintf("image too large to include (%d×%d pixels)", cfg.Width, cfg.Height)
		return
	}
	orient := 1
	if format == "jpeg" {
		orient = jpegOrientation(data)
		// Embedded as is only when it also ends properly: a truncated file
		// would print half grey; decoding it instead finds the damage.
		if orient == 1 && max(cfg.Width, cfg.Height) <= rawMaxEdge && len(data) <= rawMaxBytes &&
			bytes.HasSuffix(bytes.TrimRight(data, "\x00\r\n"), []byte{0xFF, 0xD9}) &&
			(cfg.ColorModel == color.YCbCrModel || cfg.ColorModel == color.GrayModel) {
			p.w, p.h, p.data, p.raw = cfg.Width, cfg.Height, data, true
			return
		}
	}
	var img image.Image
	switch format {
	case "jpeg":
		img, err = jpeg.Decode(bytes.NewReader(data))
	case "png":
		img, err = png.Decode(bytes.NewReader(data))
	case "gif":
		img, err = gif.Decode(bytes.NewReader(data))
	default:
		p.note = "image format " + format + " not supported"
		return
	}
	if err != nil {
		p.note = "image could not be decoded: " + err.Error()
		return
	}
	data = nil // let the original go while the copy is made
	out := orientImage(scaleDown(img, maxEdge), orient)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: photoQuality}); err != nil {
		p.note = "image could not be converted: " + err.Error()
		return
	}
	b := out.Bounds()
	p.w, p.h, p.data = b.Dx(), b.Dy(), buf.Bytes()
}

// scaleDown returns img on a white background (photos with transparency
// print as on paper), at most maxEdge pixels on its long edge.
func scaleDown(img image.Image, maxEdge int) *image.RGBA {
	sb := img.Bounds()
	w, h := sb.Dx(), sb.Dy()
	if long := max(w, h); maxEdge > 0 && long > maxEdge {
		w = max(1, w*maxEdge/long)
		h = max(1, h*maxEdge/long)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := xdraw.Src
	if !opaque(img) {
		xdraw.Draw(dst, dst.Bounds(), image.White, image.Point{}, xdraw.Src)
		op = xdraw.Over
	}
	if w == sb.Dx() && h == sb.Dy() {
		xdraw.Draw(dst, dst.Bounds(), img, sb.Min, op)
	} else {
		xdraw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, sb, op, nil)
	}
	return dst
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orientImage turns an image upright according to its EXIF orientation.
func orientImage(src *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return src
	}
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var nx, ny int
			switch o {
			case 2:
				nx, ny = w-1-x, y
			case 3:
				nx, ny = w-1-x, h-1-y
			case 4:
				nx, ny = x, h-1-y
			case 5:
				nx, ny = y, x
			case 6:
				nx, ny = h-1-y, x
			case 7:
				nx, ny = h-1-y, w-1-x
			case 8:
				nx, ny = y, w-1-x
			}
			si := src.PixOffset(x, y)
			di := dst.PixOffset(nx, ny)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
	return dst
}
