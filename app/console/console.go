// Package console gives the Windows GUI build a command line. zonewalk.exe
// is linked as a GUI-subsystem program (-H windowsgui) so that Explorer opens
// it without a console window; such a program starts with no console and no
// standard handles, so "zonewalk report …" typed in cmd or PowerShell would
// print nothing. When it is asked for a command it attaches to the console
// of the shell that started it and points the standard streams that were
// not redirected at that console. (The console-subsystem twin,
// zonewalk-cli.exe, has a console of its own and needs none of this.)
//
// The decisions are pure functions here, tested on every OS; the system
// calls are in console_windows.go, and Setup does nothing elsewhere.
package console

// Stream indexes into Streams.
const (
	Stdin = iota
	Stdout
	Stderr
)

// Streams holds one flag per standard stream: stdin, stdout, stderr.
type Streams [3]bool

// ShouldAttach reports whether the process should attach to its parent's
// console: when it has no console of its own (a GUI-subsystem process) and
// was given arguments. Any argument, not only a command: a mistyped command
// or flag must be able to say so. With no arguments (Explorer, the Start
// menu) it never attaches. Attaching creates no console: started from
// Explorer there is no parent console, and the attempt fails harmlessly.
func ShouldAttach(args []string, hasConsole bool) bool {
	return !hasConsole && len(args) > 0
}

// ToReopen says which streams to point at the attached console: those the
// process was started without. A stream that is valid at start was
// redirected by the shell (zonewalk.exe assets export > a.csv, or a pipe)
// and must stay where it points.
func ToReopen(valid Streams, attached bool) Streams {
	var r Streams
	if !attached {
		return r
	}
	for i, ok := range valid {
		r[i] = !ok
	}
	return r
}
