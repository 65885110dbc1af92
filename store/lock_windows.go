package store

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// lockExclusive takes the workspace lock on f without waiting; errHeld
// when another process has it.
func lockExclusive(f *os.File) error {
	var whole windows.Overlapped
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &whole)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errHeld
	}
	return err
}
