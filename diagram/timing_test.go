package diagram

import (
	"context"
	"testing"
	"time"
)

func TestScratchTiming(t *testing.T) {
	m := plant(t)
	r := NewRenderer()
	for i := 0; i < 3; i++ {
		for _, f := range []string{"svg", "json"} {
			t0 := time.Now()
			if _, err := r.Run(context.Background(), Overview(m), f); err != nil {
				t.Fatal(err)
			}
			t1 := time.Now()
			if _, err := r.Run(context.Background(), must(ZoneDetail(m, "z-ctl")), f); err != nil {
				t.Fatal(err)
			}
			t.Log(f, t1.Sub(t0), time.Since(t1))
		}
	}
}

func TestScratchPNGTiming(t *testing.T) {
	m := plant(t)
	r := NewRenderer()
	d, err := r.Layout(context.Background(), Overview(m))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		t0 := time.Now()
		if _, err := Image(d, 1.5); err != nil {
			t.Fatal(err)
		}
		t.Log(time.Since(t0), len(d.Items))
	}
}
