package importer

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula, or hide one (OWASP, CSV injection).
const formulaStarts = "=+-@\t\r"

// SafeCell neutralises text a spreadsheet would take for a formula
// (SECURITY.md E4): a value starting with =, +, -, @, a tab or a carriage
// return gets a leading apostrophe, as OWASP advises.
func SafeCell(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Column is one column of an exported sheet.
type Column struct {
	Header string
	Width  float64 // in characters
}

// dateTimeFormat is how time cells show.
const dateTimeFormat = "yyyy-mm-dd hh:mm:ss"

// Sheet is a workbook of one sheet written row by row. excelize moves the
// rows to a temporary file once they pass a few megabytes, so a large
// export does not sit in memory.
type Sheet struct {
	file      *excelize.File
	stream    *excelize.StreamWriter
	timeStyle int
	rows      int
}

// NewSheet starts a workbook whose one sheet, called name, opens with a
// bold header row of the columns, frozen at the top. Close it when done.
func NewSheet(name string, columns []Column) (*Sheet, error) {
	s := &Sheet{file: excelize.NewFile()}
	if err := s.start(name, columns); err != nil {
		s.file.Close()
		return nil, fmt.Errorf("importer: new sheet: %w", err)
	}
	return s, nil
}

func (s *Sheet) start(name string, columns []Column) error {
	if err := s.file.SetSheetName(s.file.GetSheetName(0), name); err != nil {
		return err
	}
	var err error
	if s.stream, err = s.file.NewStreamWriter(name); err != nil {
		return err
	}
	format := dateTimeFormat
	if s.timeStyle, err = s.file.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
		return err
	}
	return s.header(columns)
}

// header writes the bold, frozen header row of the current sheet.
func (s *Sheet) header(columns []Column) error {
	bold, err := s.file.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		if err := s.stream.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
		header[i] = excelize.Cell{StyleID: bold, Value: SafeCell(c.Header)}
	}
	if err := s.stream.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return s.addRow(header)
}

// Add appends a row. Text goes through SafeCell; a time shows as date and
// time to the second in its own zone; other values are written as excelize
// writes them.
func (s *Sheet) Add(values ...any) error {
	cells := make([]any, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case string:
			cells[i] = SafeCell(v)
		case time.Time:
			cells[i] = excelize.Cell{StyleID: s.timeStyle, Value: v.Truncate(time.Second)}
		default:
			cells[i] = v
		}
	}
	if err := s.addRow(cells); err != nil {
		return fmt.Errorf("importer: sheet row %d: %w", s.rows, err)
	}
	return nil
}

func (s *Sheet) addRow(cells []any) error {
	s.rows++
	cell, err := excelize.CoordinatesToCellName(1, s.rows)
	if err != nil {
		return err
	}
	return s.stream.SetRow(cell, cells)
}

// NextSheet ends the current sheet and starts another, called name, with
// the header row of columns; rows added after go to it.
func (s *Sheet) NextSheet(name string, columns []Column) error {
	if err := s.stream.Flush(); err != nil {
		return fmt.Errorf("importer: next sheet: %w", err)
	}
	if _, err := s.file.NewSheet(name); err != nil {
		return fmt.Errorf("importer: next sheet: %w", err)
	}
	s.rows = 0
	var err error
	if s.stream, err = s.file.NewStreamWriter(name); err != nil {
		return fmt.Errorf("importer: next sheet: %w", err)
	}
	if err := s.header(columns); err != nil {
		return fmt.Errorf("importer: next sheet: %w", err)
	}
	return nil
}

// WriteTo ends the sheet and writes the workbook to w.
func (s *Sheet) WriteTo(w io.Writer) (int64, error) {
	if err := s.stream.Flush(); err != nil {
		return 0, fmt.Errorf("importer: write sheet: %w", err)
	}
	n, err := s.file.WriteTo(w)
	if err != nil {
		return n, fmt.Errorf("importer: write sheet: %w", err)
	}
	return n, nil
}

// Close removes the temporary files of the workbook.
func (s *Sheet) Close() error {
	return s.file.Close()
}
