package epub

import (
	"archive/zip"
	"errors"
	"io"
	"time"
)

// zipEpoch is the earliest time a zip entry can carry (MS-DOS dates start
// in 1980).
var zipEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// writeZip writes files as an OCF container: the "mimetype" entry first
// and stored uncompressed (so the first bytes of the file identify it),
// then every other entry in name order, deflated, all with the same time
// stamp, so that the same files always give the same bytes.
func writeZip(w io.Writer, files map[string][]byte, modified time.Time) error {
	mt, ok := files["mimetype"]
	if !ok {
		return errors.New("no mimetype entry")
	}
	stamp := modified.UTC()
	if stamp.Before(zipEpoch) {
		stamp = zipEpoch
	}
	if stamp.Year() > 2107 { // the last year MS-DOS dates can hold
		stamp = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	// The MS-DOS date and time fields are set directly: setting
	// FileHeader.Modified would also add an extended-timestamp extra
	// field, which OCF forbids on the mimetype entry.
	dosDate := uint16((stamp.Year()-1980)<<9 | int(stamp.Month())<<5 | stamp.Day())
	dosTime := uint16(stamp.Hour()<<11 | stamp.Minute()<<5 | stamp.Second()/2)
	zw := zip.NewWriter(w)
	put := func(name string, data []byte, method uint16) error {
		fh := &zip.FileHeader{Name: name, Method: method}
		fh.ModifiedDate, fh.ModifiedTime = dosDate, dosTime //nolint:staticcheck // see above
		fw, err := zw.CreateHeader(fh)
		if err != nil {
			return err
		}
		_, err = fw.Write(data)
		return err
	}
	if err := put("mimetype", mt, zip.Store); err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		if name == "mimetype" {
			continue
		}
		if err := put(name, files[name], zip.Deflate); err != nil {
			return err
		}
	}
	return zw.Close()
}
