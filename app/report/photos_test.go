package report

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/zonewalk/zonewalk/assets"
)

func TestJPEGOrientation(t *testing.T) {
	plain := testJPEG(t, 40, 20, 1, 1)
	if o := jpegOrientation(plain); o != 1 {
		t.Errorf("plain JPEG: orientation %d", o)
	}
	for o := 2; o <= 8; o++ {
		if got := jpegOrientation(withOrientation(plain, o)); got != o {
			t.Errorf("orientation %d read as %d", o, got)
		}
	}
	// Little-endian TIFF, tag after another entry.
	le := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 2, 0,
		0x0f, 0x01, 2, 0, 4, 0, 0, 0, 'A', 'B', 'C', 0,
		0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), le...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	b := append(append([]byte{0xFF, 0xD8}, seg...), plain[2:]...)
	if got := jpegOrientation(b); got != 6 {
		t.Errorf("little-endian EXIF: orientation %d, want 6", got)
	}
	for _, bad := range [][]byte{nil, {0xFF}, {0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF}, []byte("not a jpeg")} {
		if got := jpegOrientation(bad); got != 1 {
			t.Errorf("%q: orientation %d, want 1", bad, got)
		}
	}
}

// TestPrepareTurnsPhotosUpright checks the sideways-stored photo comes out
// upright: the dark bar of the fixture must be at the top.
func TestPrepareTurnsPhotosUpright(t *testing.T) {
	data := testJPEG(t, 64, 48, 6, 1)
	p := &photo{ev: &assets.Evidence{Name: "x.jpg", MediaType: "image/jpeg"}}
	prepare(p, func(assets.Evidence) ([]byte, error) { return data, nil }, 1600)
	if !p.shown() || p.w != 64 || p.h != 48 {
		t.Fatalf("prepared %dx%d (%s), want 64x48", p.w, p.h, p.note)
	}
	img, err := jpeg.Decode(bytes.NewReader(p.data))
	if err != nil {
		t.Fatal(err)
	}
	if top, bot := lum(img, 32, 2), lum(img, 32, 45); top > 40 || bot < 60 {
		t.Errorf("upright photo: top luminance %d, bottom %d; the dark bar is not at the top", top, bot)
	}
}

func lum(img image.Image, x, y int) int {
	r, g, b, _ := img.At(x, y).RGBA()
	return int((r + g + b) / 3 >> 8)
}

func TestPrepare(t *testing.T) {
	small := testJPEG(t, 300, 200, 1, 2)
	big := testJPEG(t, 2400, 1000, 1, 3)
	read := func(b []byte, err error) func(assets.Evidence) ([]byte, error) {
		return func(assets.Evidence) ([]byte, error) { return b, err }
	}
	cases := []struct {
		name  string
		data  []byte
		err   error
		mt    string
		w, h  int
		raw   bool
		noted string
	}{
		{"small jpeg kept as is", small, nil, "image/jpeg", 300, 200, true, ""},
		{"big jpeg scaled", big, nil, "image/jpeg", 1600, 666, false, ""},
		{"png converted", testPNG(t, 120, 80), nil, "image/png", 120, 80, false, ""},
		{"text listed", []byte("hello"), nil, "text/plain", 0, 0, false, "not an image"},
		{"damaged jpeg listed", []byte("\xff\xd8\xff\xe0junk"), nil, "image/jpeg", 0, 0, false, "damaged"},
		{"unreadable blob listed", nil, errors.New("checksum mismatch"), "image/jpeg", 0, 0, false, "could not be read"},
	}
	for _, c := range cases {
		p := &photo{ev: &assets.Evidence{Name: c.name, MediaType: c.mt}}
		prepare(p, read(c.data, c.err), 1600)
		if p.w != c.w || p.h != c.h {
			t.Errorf("%s: %dx%d, want %dx%d (%s)", c.name, p.w, p.h, c.w, c.h, p.note)
		}
		if c.raw && !bytes.Equal(p.data, c.data) {
			t.Errorf("%s: re-encoded, want the original bytes", c.name)
		}
		if c.noted != "" && !bytes.Contains([]byte(p.note), []byte(c.noted)) {
			t.Errorf("%s: note %q, want it to say %q", c.name, p.note, c.noted)
		}
	}
}

// FuzzPhoto feeds arbitrary bytes as evidence: preparing must never panic
// and must either give an image to show or say why not.
func FuzzPhoto(f *testing.F) {
	f.Add(testJPEG(f, 16, 8, 1, 1))
	f.Add(testJPEG(f, 16, 8, 6, 1))
	f.Add(testPNG(f, 8, 8))
	f.Add([]byte("GIF89a"))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0, 8, 'E', 'x', 'i', 'f', 0, 0})
	f.Add([]byte("plain text"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = jpegOrientation(data)
		p := &photo{ev: &assets.Evidence{Name: "f", MediaType: "image/jpeg"}}
		prepare(p, func(assets.Evidence) ([]byte, error) { return data, nil }, 64)
		if p.shown() == (p.note != "") {
			t.Fatalf("shown=%v note=%q", p.shown(), p.note)
		}
		if p.shown() && (p.w > 64 || p.h > 64) && !bytes.Equal(p.data, data) {
			t.Fatalf("converted image %dx%d exceeds the edge limit", p.w, p.h)
		}
	})
}

// A JPEG cut short is not embedded as it is: decoding it finds the damage.
func TestPrepareTruncatedJPEG(t *testing.T) {
	data := testJPEG(t, 300, 200, 1, 2)
	cut := data[:len(data)/2]
	p := &photo{ev: &assets.Evidence{Name: "cut.jpg", MediaType: "image/jpeg"}}
	prepare(p, func(assets.Evidence) ([]byte, error) { return cut, nil }, 1600)
	if p.shown() || p.note == "" {
		t.Fatalf("truncated JPEG shown (%dx%d), note %q", p.w, p.h, p.note)
	}
}
