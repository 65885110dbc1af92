//go:build !unix

package wasmcache

// prepare leaves go-graphviz's default alone: the temporary directory is
// per-user on Windows.
func prepare() (string, bool) { return "", false }
