package english

import (
	"fmt"
	"testing"
)

func TestCountAndSize(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Count(0, "zone", "zones"), "0 zones"},
		{Count(1, "zone", "zones"), "1 zone"},
		{Count(12, "entry", "entries"), "12 entries"},
		{Size(512), "512 bytes"},
		{Size(14 << 10), "14 kB"},
		{Size(3<<20 + 200<<10), "3.2 MB"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func ExampleCount() {
	fmt.Println(Count(3, "finding", "findings"), "in", Count(1, "zone", "zones"))
	// Output: 3 findings in 1 zone
}
