//go:build unix

package wasmcache

import (
	"runtime"
	"syscall"
)

// prepare returns the directory to give go-graphviz as TMPDIR: the user's
// cache directory's zonewalk/, created 0700 with go-graphviz/ in it, or ""
// when that is unsafe or impossible.
func prepare() (string, bool) {
	base := userCacheDir()
	if base == "" {
		return "", true
	}
	// The user's cache directory itself may be missing (a fresh account),
	// but not its parent (no HOME at all: run without a cache).
	_ = syscall.Mkdir(base, 0o700)
	d := base + "/zonewalk"
	_ = syscall.Mkdir(d, 0o700)
	if !Private(d) || !safePath(base) {
		return "", true
	}
	_ = syscall.Mkdir(d+"/go-graphviz", 0o700)
	if !Private(d + "/go-graphviz") {
		return "", true
	}
	return d, true
}

// userCacheDir is os.UserCacheDir, which cannot be called before os is
// initialized.
func userCacheDir() string {
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		if h, _ := syscall.Getenv("HOME"); len(h) > 0 && h[0] == '/' {
			return clean(h) + "/Library/Caches"
		}
		return ""
	}
	if x, _ := syscall.Getenv("XDG_CACHE_HOME"); len(x) > 0 && x[0] == '/' {
		return clean(x)
	}
	if h, _ := syscall.Getenv("HOME"); len(h) > 0 && h[0] == '/' {
		return clean(h) + "/.cache"
	}
	return ""
}

// clean drops trailing slashes (the root becomes "").
func clean(p string) string {
	for len(p) > 0 && p[len(p)-1] == '/' {
		p = p[:len(p)-1]
	}
	return p
}

// Private reports whether p is a real directory (not a symbolic link) of
// this user that no one else may write to.
func Private(p string) bool {
	var st syscall.Stat_t
	if syscall.Lstat(p, &st) != nil {
		return false
	}
	return uint32(st.Mode)&syscall.S_IFMT == syscall.S_IFDIR &&
		int(st.Uid) == syscall.Getuid() && st.Mode&0o022 == 0
}

// safePath reports whether no one but this user and root can rename or
// replace an entry of p or of any directory above it (sticky directories,
// such as /tmp, protect others' entries).
func safePath(p string) bool {
	for {
		var st syscall.Stat_t
		if syscall.Stat(p, &st) != nil {
			return false
		}
		if uid := int(st.Uid); uid != syscall.Getuid() && uid != 0 {
			return false
		}
		if st.Mode&0o022 != 0 && st.Mode&syscall.S_ISVTX == 0 {
			return false
		}
		if p == "/" {
			return true
		}
		i := len(p) - 1
		for i > 0 && p[i] != '/' {
			i--
		}
		p = p[:max(i, 1)]
	}
}
