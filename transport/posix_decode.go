package transport

import (
	"archive/tar"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// exitUndecodable is the status of an outcome whose output could not be decoded (a cut or
// corrupt stream); Stderr says why. No process exits with it.
const exitUndecodable = 257

// posixDecode turns the result of op's rendering into op's Outcome.
func posixDecode(op Op, r Result) Outcome {
	out := Outcome{Result: r, Op: op}
	if r.ExitCode == ExitSkipped {
		return out
	}
	var err error
	switch o := op.(type) {
	case ReadFiles:
		if r.OK() {
			out.Files, err = decodeReadFiles(o, r.Stdout)
		}
	case ReadTree:
		if stream, found := bytes.CutPrefix(r.Stdout, []byte("d")); r.OK() && found {
			out.Tree, err = DecodeTree(stream, o.Limits)
		} else if r.OK() && len(r.Stdout) > 0 {
			err = fmt.Errorf("read tree: unexpected output")
		}
	case Stat:
		if r.OK() {
			out.Stats, err = decodeStat(o, r.Stdout)
		}
	case ListDir:
		if list, found := bytes.CutPrefix(r.Stdout, []byte("d")); r.OK() && found {
			out.Entries, err = decodeList(list)
		} else if r.OK() && len(r.Stdout) > 0 {
			err = fmt.Errorf("list: unexpected output")
		}
	case FreeSpace:
		if r.OK() {
			out.Free, err = DecodeDf(r.Stdout, len(o.Paths))
		}
	case RemoveIfSame:
		switch said := strings.TrimSpace(string(r.Stdout)); {
		case !r.OK():
		case said == removedSame:
			out.Removed = true
		case said != "":
			err = fmt.Errorf("remove if unchanged: unexpected output")
		}
	case CreateExclusive:
		switch said := strings.TrimSpace(string(r.Stdout)); {
		case !r.OK():
		case said == "":
			out.Created = true
		case said != createExisted:
			err = fmt.Errorf("create: unexpected output")
		}
	}
	var notRegular *NotRegularError
	switch {
	case errors.As(err, &notRegular):
		out.ExitCode, out.Stderr = ExitNotRegular, []byte(err.Error()+"\n")
	case err != nil:
		out.ExitCode, out.Stderr = exitUndecodable, []byte(err.Error())
	}
	if _, ok := op.(Command); !ok && out.OK() {
		out.Stdout = nil // decoded into the typed fields
	}
	return out
}

// treeFile is one regular file of a tar stream.
type treeFile struct {
	data []byte
	mode fs.FileMode
}

// readTar reads the regular files of a tar stream by cleaned slash name. A file named in
// limits whose header is larger than its limit is refused before its bytes are copied; a
// symbolic link or special file is refused.
func readTar(stream []byte, limits map[string]int64) (map[string]treeFile, error) {
	files := map[string]treeFile{}
	if len(stream) == 0 {
		return files, nil
	}
	tr := tar.NewReader(bytes.NewReader(stream))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the tar stream: %w", err)
		}
		name := path.Clean(h.Name)
		switch h.Typeflag {
		case tar.TypeReg:
		case tar.TypeDir:
			continue
		case tar.TypeLink: // a second name of a regular file already read: same content
			if f, ok := files[path.Clean(h.Linkname)]; ok {
				files[name] = f
				continue
			}
			return nil, fmt.Errorf("%s: a hard link to %s, which is not in the stream: refused", name, h.Linkname)
		default:
			// Skipping it would read a symbolic link (or device, fifo) as a missing file.
			return nil, &NotRegularError{Rel: name}
		}
		if max, ok := TreeLimit(limits, name); ok && h.Size > max {
			return nil, fmt.Errorf("%s is %d bytes, more than the maximum size of %d bytes (%d MiB): refused", name, h.Size, max, max>>20)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		files[name] = treeFile{data: data, mode: ModeFromUnix(uint32(h.Mode))}
	}
}

// DecodeTree reads a tree sent as a tar stream (the POSIX dialect's ReadTree) into its files
// by slash path relative to the tree's directory.
func DecodeTree(stream []byte, limits map[string]int64) (map[string][]byte, error) {
	files, err := readTar(stream, limits)
	if err != nil {
		return nil, err
	}
	tree := make(map[string][]byte, len(files))
	for name, f := range files {
		tree[name] = f.data
	}
	return tree, nil
}

func decodeReadFiles(o ReadFiles, stream []byte) ([]File, error) {
	files, err := readTar(stream, nil)
	if err != nil {
		return nil, err
	}
	out := make([]File, len(o.Paths))
	for i, p := range o.Paths {
		out[i].Path = p
		if f, ok := files[path.Clean(strings.TrimPrefix(p.Posix(), "/"))]; ok {
			out[i].Exists, out[i].Data, out[i].Mode = true, f.data, f.mode
		}
	}
	return out, nil
}

func decodeStat(o Stat, stdout []byte) ([]FileInfo, error) {
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	out := make([]FileInfo, len(o.Paths))
	var existing []int
	for i, p := range o.Paths {
		if !sc.Scan() {
			return nil, fmt.Errorf("stat: output ended after %d of %d paths", i, len(o.Paths))
		}
		out[i].Path = p
		switch sc.Text() {
		case "y":
			out[i].Exists = true
			existing = append(existing, i)
		case "n":
		default:
			return nil, fmt.Errorf("stat: unexpected line %q", sc.Text())
		}
	}
	if o.ExistenceOnly {
		existing = nil // existsScript answers nothing more
	}
	for _, i := range existing {
		if !sc.Scan() {
			return nil, fmt.Errorf("stat: no answer for %s", o.Paths[i])
		}
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			return nil, fmt.Errorf("stat: unexpected line %q", sc.Text())
		}
		size, err1 := strconv.ParseInt(f[0], 10, 64)
		raw, err2 := strconv.ParseUint(f[1], 16, 32)
		mtime, err3 := strconv.ParseInt(f[2], 10, 64)
		if err1 != nil || err2 != nil || err3 != nil || size < 0 {
			return nil, fmt.Errorf("stat: unexpected line %q", sc.Text())
		}
		out[i].Size, out[i].Mode, out[i].ModTime = size, ModeFromUnix(uint32(raw)), time.Unix(mtime, 0)
		out[i].Dir = raw&0o170000 == 0o040000
	}
	return out, nil
}

// decodeList reads listScript's records ("TYPE SIZE MTIME NAME", each ending in NUL), sorted
// by name.
func decodeList(list []byte) ([]DirEntry, error) {
	out := []DirEntry{}
	for len(list) > 0 {
		rec, rest, ok := bytes.Cut(list, []byte{0})
		if !ok {
			return nil, fmt.Errorf("list: the last entry is cut short")
		}
		list = rest
		f := strings.SplitN(string(rec), " ", 4)
		if len(f) != 4 || f[3] == "" {
			return nil, fmt.Errorf("list: unexpected entry %q", rec)
		}
		size, err1 := strconv.ParseInt(f[1], 10, 64)
		secs, _, _ := strings.Cut(f[2], ".") // whole seconds, as Stat reports them
		mtime, err2 := strconv.ParseInt(secs, 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("list: unexpected entry %q", rec)
		}
		out = append(out, DirEntry{Name: f[3], Dir: f[0] == "d", Size: size, ModTime: time.Unix(mtime, 0)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}
