package zeek

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// isLogName tells the files ReadDir reads: Zeek's "*.log" (also rotated,
// "conn.00:00:00-01:00:00.log.gz") and JSON lines ("*.json", "*.ndjson",
// "*.jsonl"), plain or gzip.
func isLogName(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	name = strings.TrimSuffix(name, ".gz")
	for _, ext := range []string{".log", ".json", ".ndjson", ".jsonl"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// ReadDir reads every log under dir, recursively: connection logs first,
// so that connections exist before the operations that refer to them,
// then the rest, each group sorted by path. A file that cannot be read (not
// a Zeek log, an essential column missing, an I/O error) has its error in
// FileResult.Err and the next file is read; ReadDir returns an error only
// for a directory it cannot list, a cancelled ctx or a Handler's error.
func ReadDir(ctx context.Context, dir string, h Handler) ([]FileResult, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !isLogName(d.Name()) {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 { // a link to a log is read; to a folder, not followed
			if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(paths, func(a, b string) int {
		ca, cb := typeFromName(a) == "conn", typeFromName(b) == "conn"
		if ca != cb {
			if ca {
				return -1
			}
			return 1
		}
		return cmp.Compare(a, b)
	})
	results := make([]FileResult, 0, len(paths))
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return results, err
		}
		res, err := readPath(ctx, p, h)
		if err != nil {
			var he *handlerError
			if errors.As(err, &he) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return append(results, res), err
			}
			res.Err = err
		}
		results = append(results, res)
	}
	return results, nil
}

func readPath(ctx context.Context, p string, h Handler) (FileResult, error) {
	f, err := os.Open(p)
	if err != nil {
		return FileResult{Path: p}, err
	}
	defer f.Close()
	return ReadFile(ctx, p, f, h)
}
