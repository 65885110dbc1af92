//go:build !windows

package console

// Setup does nothing outside Windows: programs there always inherit the
// standard streams of the shell that starts them.
func Setup(args []string) {}
