// Package wasmcache keeps go-graphviz's compiled WebAssembly out of the
// shared temporary directory.
//
// go-graphviz v0.2.10 compiles Graphviz in its package init, with a wazero
// compilation cache in $TMPDIR/go-graphviz that it creates 0755 or uses as
// found, and no way to configure it. wazero runs cached code as it finds
// it, so anyone who can write there runs code in Zonewalk; a directory of
// another user's there makes go-graphviz's init panic. Without a cache,
// every process start (each CLI command, each Graphviz worker) compiles
// Graphviz again: about 2.5 s against 0.15 s.
//
// So this package points TMPDIR, for the duration of go-graphviz's init, at
// a private directory in the user's cache directory (or at a path that
// cannot exist, which leaves go-graphviz without a file cache, when that
// directory is not safe), and Restore puts TMPDIR back.
//
// Ordering: since Go 1.21 packages initialize in import-path order among
// those whose imports are done. This package imports only syscall, which
// os imports, and its path sorts before os and every internal/* package os
// waits for, so its init runs before os's, hence before wazero's and
// go-graphviz's. It must stay that way: import nothing but syscall and
// packages syscall itself imports (runtime).
package wasmcache

import "syscall"

// NoCache is what TMPDIR is set to when no safe cache directory exists:
// go-graphviz cannot create $TMPDIR/go-graphviz under it and runs without
// a file cache.
const NoCache = "/dev/null/zonewalk-no-cache"

var (
	oldTMPDIR string
	hadTMPDIR bool
	active    bool
	dir       string
)

func init() {
	d, ok := prepare()
	if !ok {
		return
	}
	oldTMPDIR, hadTMPDIR = syscall.Getenv("TMPDIR")
	if d == "" {
		d = NoCache
	} else {
		dir = d + "/go-graphviz"
	}
	if syscall.Setenv("TMPDIR", d) == nil {
		active = true
	}
}

// Dir is the directory go-graphviz was given for its cache, or "" if it
// runs without one (or with its own default, where TMPDIR is per-user).
func Dir() string { return dir }

// Restore gives TMPDIR back its value from before go-graphviz's init. Call
// it from a package that imports go-graphviz, whose init therefore runs
// after go-graphviz's. It returns true so that it can set a package
// variable.
func Restore() bool {
	if !active {
		return true
	}
	active = false
	if hadTMPDIR {
		_ = syscall.Setenv("TMPDIR", oldTMPDIR)
	} else {
		_ = syscall.Unsetenv("TMPDIR")
	}
	return true
}
