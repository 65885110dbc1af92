package store

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

func TestTranslateDiskFull(t *testing.T) {
	for _, err := range []error{
		fmt.Errorf("while writing manifest: %w", syscall.ENOSPC),
		errors.New("While opening memtables: write /x/00001.mem: no space left on device"),
		errors.New("write data/000002.vlog: There is not enough space on the disk."),
	} {
		if got := translate(err); !errors.Is(got, ErrDiskFull) {
			t.Errorf("translate(%q) = %v, want ErrDiskFull", err, got)
		}
	}
	if got := translate(errors.New("something else")); errors.Is(got, ErrDiskFull) {
		t.Errorf("unrelated error became ErrDiskFull: %v", got)
	}
}
