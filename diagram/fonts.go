package diagram

import (
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// The Go fonts are embedded so PNG and PDF output look the same on every
// machine; they cover Latin, Greek and Cyrillic (WGL4), enough for names
// like "Zone Ü – Süd".

// fontTTF returns the TrueType bytes for a style.
func fontTTF(bold, italic bool) []byte {
	switch {
	case bold && italic:
		return gobolditalic.TTF
	case bold:
		return gobold.TTF
	case italic:
		return goitalic.TTF
	}
	return goregular.TTF
}

var (
	fontsOnce sync.Once
	fonts     [4]*opentype.Font
	fontsErr  error
)

func fontIndex(bold, italic bool) int {
	i := 0
	if bold {
		i |= 1
	}
	if italic {
		i |= 2
	}
	return i
}

func parsedFont(bold, italic bool) (*opentype.Font, error) {
	fontsOnce.Do(func() {
		for i := range fonts {
			f, err := opentype.Parse(fontTTF(i&1 != 0, i&2 != 0))
			if err != nil {
				fontsErr = fmt.Errorf("embedded Go font: %w", err)
				return
			}
			fonts[i] = f
		}
	})
	if fontsErr != nil {
		return nil, fontsErr
	}
	return fonts[fontIndex(bold, italic)], nil
}

// faceCache holds font faces by style and pixel size for one painting.
type faceCache map[faceKey]font.Face

type faceKey struct {
	style int
	size  float64 // pixels, rounded to a quarter
}

func (c faceCache) face(bold, italic bool, px float64) (font.Face, error) {
	k := faceKey{fontIndex(bold, italic), float64(int(px*4+0.5)) / 4}
	if f, ok := c[k]; ok {
		return f, nil
	}
	otf, err := parsedFont(bold, italic)
	if err != nil {
		return nil, err
	}
	f, err := opentype.NewFace(otf, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	c[k] = f
	return f, nil
}

func (c faceCache) close() {
	for _, f := range c {
		_ = f.Close()
	}
}

func fixedToFloat[T ~int32](v T) float64 { return float64(v) / 64 }

var (
	measureMu    sync.Mutex
	measureFaces = faceCache{}
)

// measure is the width in points of text in the Go font at size points;
// 0 if the embedded font cannot be read (then callers fall back to
// Graphviz's own sizing).
func measure(text string, bold bool, size float64) float64 {
	measureMu.Lock()
	defer measureMu.Unlock()
	f, err := measureFaces.face(bold, false, size)
	if err != nil {
		return 0
	}
	return fixedToFloat(font.MeasureString(f, text))
}
