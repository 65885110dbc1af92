// Package atomicfile writes a file whole or not at all: into a temporary
// file beside it, synced, then renamed over the target, so a crash, a
// cancel or a failed write leaves the earlier file (or none) and never half
// of a new one under the final name.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates path from what fill writes, with permissions perm. Nothing
// is left under path, and no temporary file beside it, when fill fails.
// On Windows os.Rename is MoveFileEx with MOVEFILE_REPLACE_EXISTING, so an
// existing file is replaced there too (the rename fails, and the old file
// stays, while another program holds it open without FILE_SHARE_DELETE).
func Write(path string, perm fs.FileMode, fill func(w io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err := fill(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(filepath.Dir(path))
	return nil
}

// WriteFile writes data to path as Write does.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir makes a rename durable where the file system needs the folder
// synced for that; elsewhere (Windows) opening a folder fails and there is
// nothing to do.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
