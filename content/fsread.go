package content

import (
	"errors"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// maxSymlinkHops bounds symlink resolution, as the kernel does with ELOOP.
const maxSymlinkHops = 40

// readKind classifies the outcome of readFile.
type readKind int

const (
	readOK           readKind = iota
	readNotFound              // some component does not exist
	readNotRegular            // a directory or a device, not a file
	readOutside               // a symlink points outside the source root
	readUnresolvable          // a symlink that fsys cannot resolve
	readLoop                  // too many symlinks
	readTooBig                // over Options.MaxFileSize
	readFailed                // any other I/O error
	readOutsidePath           // the path itself leaves the root (absolute, "..")
)

// readResult is what readFile found. link names the offending symlink for
// readOutside, readUnresolvable and readLoop; err is set for readFailed.
type readResult struct {
	kind readKind
	real string // the path with every symlink resolved
	data []byte
	link string
	err  error
}

// resolve follows name component by component, resolving each symlink
// itself, so that nothing outside the source root is ever opened. It
// returns the resolved path and the FileInfo of its last component. A
// symlink is only followed when fsys implements fs.ReadLinkFS and its
// target stays inside the root; otherwise it is refused unread.
func resolve(fsys fs.FS, name string) (string, fs.FileInfo, readResult) {
	rl, hasRL := fsys.(fs.ReadLinkFS)
	todo := strings.Split(name, "/")
	done := ""
	hops := 0
	var fi fs.FileInfo
	for len(todo) > 0 {
		comp := todo[0]
		todo = todo[1:]
		cand := comp
		if done != "" {
			cand = done + "/" + comp
		}
		var err error
		if hasRL {
			fi, err = rl.Lstat(cand)
		} else {
			fi, err = fs.Stat(fsys, cand)
		}
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
				return "", nil, readResult{kind: readNotFound}
			}
			return "", nil, readResult{kind: readFailed, err: err}
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			if len(todo) > 0 && !fi.IsDir() {
				return "", nil, readResult{kind: readNotFound}
			}
			done = cand
			continue
		}
		if !hasRL {
			return "", nil, readResult{kind: readUnresolvable, link: cand}
		}
		hops++
		if hops > maxSymlinkHops {
			return "", nil, readResult{kind: readLoop, link: cand}
		}
		target, err := rl.ReadLink(cand)
		if err != nil || target == "" {
			return "", nil, readResult{kind: readUnresolvable, link: cand}
		}
		if path.IsAbs(target) || strings.ContainsAny(target, `\:`) {
			// Absolute, or a Windows path we cannot judge: refuse.
			return "", nil, readResult{kind: readOutside, link: cand}
		}
		j := path.Join(done, target) // done is the directory holding cand
		if j == ".." || strings.HasPrefix(j, "../") {
			return "", nil, readResult{kind: readOutside, link: cand}
		}
		var next []string
		if j != "." {
			next = strings.Split(j, "/")
		}
		todo = append(next, todo...)
		done = ""
	}
	if done == "" {
		// A symlink to the root itself.
		return "", nil, readResult{kind: readNotRegular}
	}
	return done, fi, readResult{kind: readOK}
}

// readFile reads name (a valid fs path) from fsys, refusing symlinks that
// leave the root and files larger than limit without reading them. When
// the resolved path is already in known, it is not read again: the result
// is readOK with nil data.
func readFile(fsys fs.FS, name string, limit int64, known map[string]int32) readResult {
	real, fi, res := resolve(fsys, name)
	if res.kind != readOK {
		return res
	}
	res.real = real
	if _, ok := known[real]; ok {
		return res
	}
	if !fi.Mode().IsRegular() {
		res.kind = readNotRegular
		return res
	}
	if fi.Size() > limit {
		res.kind = readTooBig
		return res
	}
	f, err := fsys.Open(real)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			res.kind = readNotFound
		} else {
			res.kind, res.err = readFailed, err
		}
		return res
	}
	defer f.Close()
	buf := make([]byte, 0, fi.Size()+1)
	for {
		if int64(len(buf)) > limit {
			res.kind = readTooBig
			return res
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			res.kind, res.err = readFailed, err
			return res
		}
	}
	if int64(len(buf)) > limit {
		res.kind = readTooBig
		return res
	}
	res.data = buf
	return res
}

// ReadError says why ReadFile did not return a file. Its message names
// the path as it was asked for (and the symlink at fault), never anything
// read from the file or its target: a refused file's contents must not
// reach a diagnostic, a log or a book.
type ReadError struct {
	Name  string // the path as asked for
	Link  string // the symlink at fault, for a refused or looping link
	Limit int64  // the size limit, for a file too large
	Err   error  // the I/O error, for any other failure
	kind  readKind
}

// Error is the path as asked for and Reason: `handbook.yml: refused:
// symlink "handbook.yml" points outside the source root`.
func (e *ReadError) Error() string { return e.Name + ": " + e.Reason() }

// Reason says what went wrong in a phrase that can follow the file's name
// or stand in a diagnostic at the file: "not a regular file".
func (e *ReadError) Reason() string {
	switch e.kind {
	case readNotFound:
		return "not found"
	case readNotRegular:
		return "not a regular file"
	case readOutside:
		return "refused: symlink " + quote(e.Link) + " points outside the source root"
	case readUnresolvable:
		return "refused: cannot resolve symlink " + quote(e.Link)
	case readLoop:
		return "refused: too many levels of symlinks at " + quote(e.Link)
	case readOutsidePath:
		return "not a path inside the source root"
	case readTooBig:
		return "larger than the limit of " + strconv.FormatInt(e.Limit, 10) + " bytes"
	}
	return "cannot read: " + e.Err.Error()
}

// Unwrap makes errors.Is(err, fs.ErrNotExist) true for a missing file and
// errors.Is(err, fs.ErrPermission) true for a refused one.
func (e *ReadError) Unwrap() error {
	switch e.kind {
	case readNotFound:
		return fs.ErrNotExist
	case readOutside, readOutsidePath, readUnresolvable, readLoop, readNotRegular:
		return fs.ErrPermission
	}
	return e.Err
}

func quote(s string) string { return strconv.Quote(s) }

// ReadFile reads the file name (a slash path relative to the source root)
// from fsys under the one rule for every file the tool reads: every
// symlink on the way is resolved here, hop by hop, and must stay inside
// the root (fsys must implement fs.ReadLinkFS for a symlink to be
// followed at all); the file reached must be a regular file, so that no
// FIFO, device or directory is ever opened; its size is checked before it
// is read and the reading stops at limit bytes. It returns the data and
// the resolved path, or a *ReadError.
//
// Load reads index.md and the includes this way; the compiler reads
// images, and the command handbook.yml, the cover and fonts, through it.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, string, error) {
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if !fs.ValidPath(clean) || clean == "." || strings.Contains(name, `\`) {
		return nil, "", &ReadError{Name: name, kind: readOutsidePath}
	}
	res := readFile(fsys, clean, limit, nil)
	if res.kind != readOK {
		return nil, "", &ReadError{Name: name, Link: res.link, Limit: limit, Err: res.err, kind: res.kind}
	}
	return res.data, res.real, nil
}

// CheckInside reports whether the directory path name, relative to the
// source root, stays inside the root once every symlink on it that exists
// is resolved; components that do not exist yet are fine (an output
// directory a build is about to make). It returns nil or a *ReadError.
func CheckInside(fsys fs.FS, name string) error {
	clean := path.Clean(strings.TrimPrefix(name, "./"))
	if !fs.ValidPath(clean) || strings.Contains(name, `\`) {
		return &ReadError{Name: name, kind: readOutsidePath}
	}
	if clean == "." {
		return nil
	}
	// Resolve the longest prefix that exists; what follows is made
	// inside it.
	parts := strings.Split(clean, "/")
	for n := len(parts); n > 0; n-- {
		prefix := strings.Join(parts[:n], "/")
		_, _, res := resolve(fsys, prefix)
		switch res.kind {
		case readOK, readNotRegular:
			return nil
		case readNotFound:
			if _, err := fs.Lstat(fsys, prefix); err == nil {
				// It exists but does not resolve: a dangling symlink.
				return &ReadError{Name: name, kind: readUnresolvable, Link: prefix}
			}
			continue
		default:
			return &ReadError{Name: name, Link: res.link, Err: res.err, kind: res.kind}
		}
	}
	return nil
}
