package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"cunjing"
)

// Limits of the workbooks an import opens (SECURITY.md E3): what one may
// unpack to in all, and how much smaller than its content a part may be
// packed — real sheets pack about 10:1, zip bombs a thousand times more.
const (
	MaxWorkbookUnzipped = 2 << 30
	MaxZipRatio         = 100
	zipRatioFloor       = 1 << 20 // parts smaller than this unpack to too little to matter
)

// Bytes per row of a file, to estimate its rows from its size: measured on
// the residents of `cunjing gen` (134 bytes a row of CSV, 82 of XLSX as the
// export writes them).
const (
	csvBytesPerRow  = 130
	xlsxBytesPerRow = 80
)

var (
	zipMagic = []byte("PK\x03\x04")
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// CheckFile tells an import file's format by its content — "xlsx" or
// "csv" — before anything parses it: a workbook whose name says CSV or the
// reverse, an old .xls or an encrypted workbook (both OLE containers), and
// anything that is neither text nor a workbook are unsupported; a macro
// workbook is refused; a zip whose parts unpack to too much, or pack too
// tightly, is a zip bomb and unprocessable.
func CheckFile(path, name string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("importer: open %s: %w", name, err)
	}
	defer f.Close()
	head := make([]byte, sniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("importer: read %s: %w", name, err)
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(head, cfbMagic):
		return "", cunjing.Errorf(cunjing.EUnsupported, "%s is an old .xls workbook or an encrypted one: save it in Excel or WPS as .xlsx without a password", name)
	case bytes.HasPrefix(head, zipMagic):
		if ext == ".csv" || ext == ".txt" {
			return "", cunjing.Errorf(cunjing.EUnsupported, "%s is named as CSV but is a workbook: name it .xlsx", name)
		}
		return "xlsx", checkWorkbook(path, name)
	case bytes.IndexByte(head, 0) >= 0:
		return "", cunjing.Errorf(cunjing.EUnsupported, "%s is neither an .xlsx workbook nor a CSV text file", name)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls":
		return "", cunjing.Errorf(cunjing.EUnsupported, "%s is named as a workbook but is text: name it .csv, or save it as .xlsx", name)
	}
	return "csv", nil
}

// checkWorkbook looks inside a zip before excelize unpacks it.
func checkWorkbook(path, name string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return cunjing.Errorf(cunjing.EUnsupported, "%s cannot be read as an .xlsx workbook: save it again in Excel or WPS", name)
	}
	defer zr.Close()
	var total uint64
	workbook := false
	for _, zf := range zr.File {
		lower := strings.ToLower(zf.Name)
		total += zf.UncompressedSize64
		switch {
		case strings.HasSuffix(lower, "vbaproject.bin"):
			return cunjing.Errorf(cunjing.EUnsupported, "%s holds macros: save it as a plain .xlsx workbook without macros", name)
		case total > MaxWorkbookUnzipped:
			return cunjing.Errorf(cunjing.EUnprocessable, "%s unpacks to more than %d MiB: split it into smaller files", name, MaxWorkbookUnzipped>>20)
		case zf.UncompressedSize64 > zipRatioFloor && zf.UncompressedSize64 > MaxZipRatio*max(zf.CompressedSize64, 1):
			return cunjing.Errorf(cunjing.EUnprocessable, "%s is packed %d times smaller than its content: it looks like a zip bomb and is not opened",
				name, zf.UncompressedSize64/max(zf.CompressedSize64, 1))
		case lower == "xl/workbook.xml":
			workbook = true
		}
	}
	if !workbook {
		return cunjing.Errorf(cunjing.EUnsupported, "%s is a zip file but no .xlsx workbook", name)
	}
	return nil
}

// RecordFile is an import file checked and opened at its header: the
// columns of its kind found, its content hashed.
type RecordFile struct {
	Kind     cunjing.ImportKind
	Path     string
	Name     string
	Format   string // "xlsx" or "csv"
	Encoding string // of a CSV file: "UTF-8" or "GBK"
	Hash     string // hex SHA-256 of the content
	Size     int64
	Header   []string
	sheet    string // the sheet of a workbook that holds the rows
	layout   *recordLayout
	cols     map[string]int    // field key → column index
	headers  map[string]string // field key → header as in the file
}

// OpenRecordFile checks the file at path, named name by its user, and
// reads its header as a file of kind. A file the importer cannot take is
// a *cunjing.Error; a header without the columns the kind needs is
// *Problems naming them; nothing is written either way.
func OpenRecordFile(kind cunjing.ImportKind, path, name string) (*RecordFile, error) {
	layout, ok := recordLayouts[kind]
	if !ok {
		return nil, cunjing.Errorf(cunjing.EInvalid, "unknown kind of import %q", kind)
	}
	format, err := CheckFile(path, name)
	if err != nil {
		return nil, err
	}
	f := &RecordFile{Kind: kind, Path: path, Name: name, Format: format, layout: layout}
	if f.Hash, f.Size, err = hashFile(path); err != nil {
		return nil, err
	}
	src, err := f.open()
	if err != nil {
		return nil, err
	}
	return f, src.close()
}

// hashFile returns the hex SHA-256 and the size of a file.
func hashFile(path string) (string, int64, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("importer: hash: %w", err)
	}
	defer file.Close()
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil {
		return "", 0, fmt.Errorf("importer: hash: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// EstimatedRows guesses the data rows of the file from its size.
func (f *RecordFile) EstimatedRows() int64 {
	if f.Format == "xlsx" {
		return f.Size / xlsxBytesPerRow
	}
	return f.Size / csvBytesPerRow
}

// rowSource gives the rows of a file in order after its header.
type rowSource interface {
	// next returns the next row that is not blank, its number as the
	// spreadsheet shows it, and a problem of the whole row ("" for none);
	// io.EOF at the end.
	next() (line int, cells []string, problem string, err error)
	close() error
}

// open opens the file at its header, which it reads (the first time) or
// checks to be the same.
func (f *RecordFile) open() (rowSource, error) {
	if f.Format == "xlsx" {
		return f.openWorkbook()
	}
	return f.openCSV()
}

// readHeader finds the columns of the layout in a header row; it returns
// false when the row is not a header of the kind.
func (f *RecordFile) readHeader(cells []string) bool {
	cols, headers := map[string]int{}, map[string]string{}
	for i, c := range cells {
		if key := fieldOfHeader(f.layout.fields(), c); key != "" {
			if _, dup := cols[key]; !dup {
				cols[key], headers[key] = i, c
			}
		}
	}
	if !slices.ContainsFunc(f.layout.need, func(k string) bool { _, ok := cols[k]; return ok }) {
		return false
	}
	f.Header, f.cols, f.headers = cells, cols, headers
	return true
}

// missing returns *Problems naming the required columns the header lacks,
// nil when it has them all.
func (f *RecordFile) missing(where string) error {
	problems := &Problems{}
	for _, key := range f.layout.need {
		if _, ok := f.cols[key]; !ok {
			problems.add(where, 1, "缺少“%s”列", headerOf(f.layout.fields(), key))
		}
	}
	if problems.Total > 0 {
		return problems
	}
	return nil
}

// noHeader is the problem of a file with no header of its kind.
func (f *RecordFile) noHeader(where string) error {
	problems := &Problems{}
	var names []string
	for _, key := range f.layout.need {
		names = append(names, headerOf(f.layout.fields(), key))
	}
	problems.add(where, 1, "无法识别的表头：第 1 行应是表头，至少有“%s”列（可下载导入模板对照）", strings.Join(names, "、"))
	return problems
}

// csvSource reads a CSV file in UTF-8 or GBK, record by record.
type csvSource struct {
	file *os.File
	r    *csv.Reader
	line int
}

func (f *RecordFile) openCSV() (rowSource, error) {
	file, err := os.Open(f.Path)
	if err != nil {
		return nil, fmt.Errorf("importer: open %s: %w", f.Name, err)
	}
	text, enc := decodeText(bufio.NewReaderSize(file, 1<<20))
	f.Encoding = enc
	r := csv.NewReader(text)
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	src := &csvSource{file: file, r: r}
	header, err := r.Read()
	src.line = 1
	switch {
	case err == io.EOF:
		file.Close()
		return nil, f.noHeader(f.Name)
	case err != nil:
		file.Close()
		problems := &Problems{}
		problems.add(f.Name, 1, "表头无法按 CSV 读取（%v）", csvReason(err))
		return nil, problems
	}
	found, err := f.matchHeader(cleanCells(header), f.Name)
	if !found && err == nil {
		err = f.noHeader(f.Name)
	}
	if err != nil {
		file.Close()
		return nil, err
	}
	return src, nil
}

// matchHeader reads the header the first time, and checks the next time
// that it did not change. found is false for a row that is no header of
// the kind.
func (f *RecordFile) matchHeader(cells []string, where string) (found bool, err error) {
	if f.Header != nil {
		if !slices.Equal(f.Header, cells) {
			return true, fmt.Errorf("importer: the header of %s changed since the import began", f.Name)
		}
		return true, nil
	}
	if !f.readHeader(cells) {
		return false, nil
	}
	return true, f.missing(where)
}

func (s *csvSource) next() (int, []string, string, error) {
	for {
		record, err := s.r.Read()
		s.line++
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return 0, nil, "", io.EOF
		case errors.As(err, &pe):
			return s.line, nil, fmt.Sprintf("这一行无法按 CSV 读取（%v）", csvReason(err)), nil
		case err != nil:
			return 0, nil, "", fmt.Errorf("importer: read: %w", err)
		}
		if cells := cleanCells(record); !blank(cells) {
			return s.line, cells, "", nil
		}
	}
}

func (s *csvSource) close() error { return s.file.Close() }

// blank reports whether a row has no content.
func blank(cells []string) bool {
	return !slices.ContainsFunc(cells, func(c string) bool { return c != "" })
}

// workbookSource reads the rows of one sheet as excelize streams them.
type workbookSource struct {
	wb   *excelize.File
	rows *excelize.Rows
	line int
}

// openWorkbook opens the first sheet whose first row is a header of the
// kind.
func (f *RecordFile) openWorkbook() (rowSource, error) {
	wb, err := excelize.OpenFile(f.Path, excelize.Options{UnzipSizeLimit: MaxWorkbookUnzipped, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		problems := &Problems{}
		problems.add(f.Name, 1, "无法读取 XLSX 文件（%v）：请用 Excel 或 WPS 另存为 .xlsx 后再导入", err)
		return nil, problems
	}
	sheets := wb.GetSheetList()
	if f.sheet != "" {
		sheets = []string{f.sheet}
	}
	for _, sheet := range sheets {
		src, err := f.openSheet(wb, sheet)
		if src != nil || err != nil {
			if err != nil {
				wb.Close()
			}
			return src, err
		}
	}
	wb.Close()
	return nil, f.noHeader(f.Name)
}

// openSheet returns the rows of a sheet after its header, or nil when its
// first row is no header of the kind.
func (f *RecordFile) openSheet(wb *excelize.File, sheet string) (rowSource, error) {
	rows, err := wb.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("importer: read %s: %w", f.Name, err)
	}
	src := &workbookSource{wb: wb, rows: rows, line: 1}
	if !rows.Next() {
		rows.Close()
		return nil, rows.Error()
	}
	cells, err := rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("importer: read %s: %w", f.Name, err)
	}
	found, err := f.matchHeader(cleanCells(cells), f.Name+" · "+sheet)
	if !found || err != nil {
		rows.Close()
		return nil, err
	}
	f.sheet = sheet
	return src, nil
}

func (s *workbookSource) next() (int, []string, string, error) {
	for s.rows.Next() {
		s.line++
		cells, err := s.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return 0, nil, "", fmt.Errorf("importer: read row %d: %w", s.line, err)
		}
		if cells = cleanCells(cells); !blank(cells) {
			return s.line, cells, "", nil
		}
	}
	if err := s.rows.Error(); err != nil {
		return 0, nil, "", fmt.Errorf("importer: read: %w", err)
	}
	return 0, nil, "", io.EOF
}

func (s *workbookSource) close() error {
	s.rows.Close()
	return s.wb.Close()
}

// badText reports a cell that is no text: invalid UTF-8 or a NUL byte.
func badText(s string) bool {
	return !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0
}
