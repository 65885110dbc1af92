//go:build windows

package console

import (
	"os"

	"golang.org/x/sys/windows"
)

// x/sys/windows has no wrappers for these two.
var (
	kernel32             = windows.NewLazySystemDLL("kernel32.dll")
	procAttachConsole    = kernel32.NewProc("AttachConsole")
	procGetConsoleWindow = kernel32.NewProc("GetConsoleWindow")
)

// attachParentProcess is ATTACH_PARENT_PROCESS, (DWORD)-1.
const attachParentProcess = uintptr(^uint32(0))

// Setup attaches a GUI-subsystem zonewalk.exe to the console of the shell
// that started it when it has arguments (see ShouldAttach), and
// points the standard streams it started without at that console. Call it
// before anything reads os.Stdin, os.Stdout or os.Stderr. Failures are
// silent on purpose: with no console there is nowhere to report them, and
// the command still runs and sets the exit code.
func Setup(args []string) {
	win, _, _ := procGetConsoleWindow.Call()
	if !ShouldAttach(args, win != 0) {
		return
	}
	files := [3]**os.File{&os.Stdin, &os.Stdout, &os.Stderr}
	std := [3]uint32{windows.STD_INPUT_HANDLE, windows.STD_OUTPUT_HANDLE, windows.STD_ERROR_HANDLE}
	names := [3]string{"CONIN$", "CONOUT$", "CONOUT$"}
	var valid Streams
	for i, f := range files {
		// Fd of a nil *os.File (no handle at start) is InvalidHandle.
		valid[i] = usable(windows.Handle((*f).Fd()))
	}
	ok, _, _ := procAttachConsole.Call(attachParentProcess)
	for i, reopen := range ToReopen(valid, ok != 0) {
		if !reopen {
			continue
		}
		h, err := windows.CreateFile(windows.StringToUTF16Ptr(names[i]),
			windows.GENERIC_READ|windows.GENERIC_WRITE, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
			nil, windows.OPEN_EXISTING, 0, 0)
		if err != nil {
			continue
		}
		_ = windows.SetStdHandle(std[i], h) // for child processes (the Graphviz worker)
		*files[i] = os.NewFile(uintptr(h), names[i])
	}
}

// usable reports whether h is an open handle: a file, pipe or console the
// shell gave the process. GUI-subsystem processes start with NULL handles.
func usable(h windows.Handle) bool {
	if h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
