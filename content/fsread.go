package content

import (
	"errors"
	"io"
	"io/fs"
	"path"
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
