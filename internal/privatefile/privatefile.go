// Package privatefile creates the files lumodash writes at the user's request (export -o):
// mode 0600 whether or not the file existed, and never through a symbolic link, since what
// goes in them (sessions, prompts, answers) is the user's and a planted link could send it
// anywhere.
package privatefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Create opens path for writing, truncated, with mode 0600. A symbolic link at path, or
// anything that is not a regular file, is refused with what to do.
func Create(path string) (*os.File, error) {
	if fi, err := os.Lstat(path); err == nil {
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("%s is a symbolic link; lumodash does not write through links (remove it or choose another path)", path)
		case !fi.Mode().IsRegular():
			return nil, fmt.Errorf("%s is not a regular file (%s); choose another path", path, fi.Mode().Type())
		}
	}
	// O_NOFOLLOW closes the gap between the check and the open: a link made in between is
	// refused by the kernel (ELOOP).
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symbolic link; lumodash does not write through links (remove it or choose another path)", path)
	}
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil { // an existing file keeps its mode through O_TRUNC
		f.Close()
		return nil, fmt.Errorf("%s: making it private (0600): %w", path, err)
	}
	return f, nil
}
