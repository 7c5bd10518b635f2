// Package importer reads the files people bring — official division codes
// now, registers later — in UTF-8 (with or without BOM) or GBK, and reports
// every bad row with its line number before anything is written.
package importer

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniffSize is how much of a file decides its encoding.
const sniffSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText returns a reader of r as UTF-8 and the encoding it detected:
// a UTF-8 BOM or valid UTF-8 in the first 64 KiB means UTF-8, anything else
// is read as GB18030, the superset of GBK that Excel in China saves.
func decodeText(r io.Reader) (io.Reader, string) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, _ := br.Peek(sniffSize)
	if bytes.HasPrefix(head, utf8BOM) {
		br.Discard(len(utf8BOM))
		return br, "UTF-8"
	}
	if validUTF8Prefix(head) {
		return br, "UTF-8"
	}
	return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), "GBK"
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing the last
// character to be cut off by the end of the sniffed block.
func validUTF8Prefix(b []byte) bool {
	for cut := 0; cut < utf8.UTFMax && cut <= len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return cut == 0 || !utf8.FullRune(b[len(b)-cut:])
		}
	}
	return false
}
