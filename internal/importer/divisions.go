package importer

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"cunjing"
)

// MaxListedProblems bounds how many bad lines a report lists.
const MaxListedProblems = 100

// File is one file to import: its name, as shown in reports, and content.
type File struct {
	Name string
	Body io.Reader
}

// Problem is one bad line of an imported file.
type Problem struct {
	File    string
	Line    int
	Column  string // the header of the bad column, as in the file; "" for the whole line
	Message string
}

func (p Problem) String() string {
	if p.Column != "" {
		return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Column, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// Problems is the error of an import that found bad lines: it lists the
// first MaxListedProblems of them and counts them all. Nothing was written.
type Problems struct {
	Listed []Problem
	Total  int
}

func (p *Problems) Error() string {
	return fmt.Sprintf("importer: %d bad lines, nothing imported", p.Total)
}

func (p *Problems) add(file string, line int, format string, args ...any) {
	p.addAt(file, line, "", format, args...)
}

// addAt records a problem of one column of a line.
func (p *Problems) addAt(file string, line int, column, format string, args ...any) {
	p.Total++
	if len(p.Listed) < MaxListedProblems {
		p.Listed = append(p.Listed, Problem{File: file, Line: line, Column: column, Message: fmt.Sprintf(format, args...)})
	}
}

// divisionFormat describes one kind of NBS division file by its header.
type divisionFormat struct {
	level        cunjing.Level
	digits       int
	parentCol    string // column holding the parent's code; "" for provinces
	parentDigits int
}

// divisionFormats are the files of the NBS codes as the china-division
// package publishes them: provinces, cities, areas, streets, villages.
var divisionFormats = map[string]divisionFormat{
	"code,name":                                           {cunjing.LevelProvince, 2, "", 0},
	"code,name,provinceCode":                              {cunjing.LevelCity, 4, "provinceCode", 2},
	"code,name,cityCode,provinceCode":                     {cunjing.LevelCounty, 6, "cityCode", 4},
	"code,name,areaCode,provinceCode,cityCode":            {cunjing.LevelTown, 9, "areaCode", 6},
	"code,name,streetCode,provinceCode,cityCode,areaCode": {cunjing.LevelVillage, 12, "streetCode", 9},
}

// ancestorCols are the columns that name an ancestor; each must be a prefix
// of the row's code.
var ancestorCols = []string{"provinceCode", "cityCode", "areaCode", "streetCode"}

// DivisionReport says what an import of division files did.
type DivisionReport struct {
	cunjing.ImportResult
	Encodings map[string]string // file → "UTF-8" or "GBK"
}

// ImportDivisions reads NBS division files of any province (the kind of each
// file is told by its header), checks every line, and only if all are good
// adds new codes and renames changed ones in one transaction. On bad lines it
// returns *Problems and writes nothing.
func ImportDivisions(ctx context.Context, areas cunjing.AreaService, files ...File) (*DivisionReport, error) {
	set := divisionSet{byCode: map[uint64]int32{}, problems: &Problems{}}
	report := &DivisionReport{Encodings: map[string]string{}}
	for _, f := range files {
		enc, err := set.read(f)
		if err != nil {
			return nil, err
		}
		report.Encodings[f.Name] = enc
	}
	if err := set.checkParents(ctx, areas); err != nil {
		return nil, err
	}
	if set.problems.Total > 0 {
		return nil, set.problems
	}
	result, err := areas.ImportAreas(ctx, set.parentsFirst())
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	report.ImportResult = result
	return report, nil
}

// divisionSet gathers the rows of all files of one import.
type divisionSet struct {
	files    []string
	text     rowArena
	rows     []divisionRow
	byCode   map[uint64]int32 // codeKey → index in rows
	problems *Problems
}

// parentsFirst sorts the rows by level, then code, and yields them as areas.
func (s *divisionSet) parentsFirst() iter.Seq[cunjing.Area] {
	slices.SortFunc(s.rows, func(a, b divisionRow) int {
		return cmp.Or(cmp.Compare(a.codeLen, b.codeLen), strings.Compare(s.text.code(a), s.text.code(b)))
	})
	return func(yield func(cunjing.Area) bool) {
		for _, r := range s.rows {
			if !yield(s.text.area(r)) {
				return
			}
		}
	}
}

// read adds the rows of one file and returns its detected encoding.
func (s *divisionSet) read(f File) (string, error) {
	s.files = append(s.files, f.Name)
	text, enc := decodeText(f.Body)
	r := csv.NewReader(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		s.problems.add(f.Name, 1, "the file is empty")
		return enc, nil
	}
	if err != nil {
		s.problems.add(f.Name, 1, "the header cannot be read: %v", csvReason(err))
		return enc, nil
	}
	format, ok := divisionFormats[strings.Join(trimAll(header), ",")]
	if !ok {
		s.problems.add(f.Name, 1, "unknown header %q: expected the NBS columns, e.g. code,name,streetCode,provinceCode,cityCode,areaCode", strings.Join(header, ","))
		return enc, nil
	}
	cols := columnIndex(trimAll(header))
	for {
		record, err := r.Read()
		if err == io.EOF {
			return enc, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return enc, fmt.Errorf("importer: read %s: %w", f.Name, err)
			}
			s.problems.add(f.Name, pe.Line, "%v", csvReason(err))
			continue
		}
		line, _ := r.FieldPos(0)
		s.addRecord(f.Name, line, format, cols, record, len(header))
	}
}

// addRecord checks one line and keeps it when it is good.
func (s *divisionSet) addRecord(file string, line int, format divisionFormat, cols map[string]int, record []string, width int) {
	if len(record) != width {
		s.problems.add(file, line, "%d columns, the header has %d", len(record), width)
		return
	}
	code := strings.TrimSpace(record[cols["code"]])
	name := strings.TrimSpace(record[cols["name"]])
	if msg := checkCode(code, format); msg != "" {
		s.problems.add(file, line, "%s", msg)
		return
	}
	if msg := checkName(name); msg != "" {
		s.problems.add(file, line, "code %s: %s", code, msg)
		return
	}
	for _, col := range ancestorCols {
		if i, ok := cols[col]; ok && !strings.HasPrefix(code, strings.TrimSpace(record[i])) {
			s.problems.add(file, line, "code %s is not under its %s %s", code, col, strings.TrimSpace(record[i]))
			return
		}
	}
	parent := ""
	if format.parentCol != "" {
		if parent = strings.TrimSpace(record[cols[format.parentCol]]); len(parent) != format.parentDigits {
			s.problems.add(file, line, "code %s: its %s %q must have %d digits", code, format.parentCol, parent, format.parentDigits)
			return
		}
	}
	if i, seen := s.byCode[codeKey(code)]; seen {
		if first := s.rows[i]; s.text.name(first) != name {
			s.problems.add(file, line, "code %s is named %q here and %q at %s:%d", code, name, s.text.name(first), s.files[first.file], first.line)
		}
		return
	}
	row := s.text.add(code, parent, name)
	row.level = uint8(slices.Index(cunjing.Levels, format.level))
	row.file, row.line = uint16(len(s.files)-1), int32(line)
	s.byCode[codeKey(code)] = int32(len(s.rows))
	s.rows = append(s.rows, row)
}

// checkParents reports rows whose parent is neither in the files nor stored.
func (s *divisionSet) checkParents(ctx context.Context, areas cunjing.AreaService) error {
	var missing []string
	for _, r := range s.rows {
		if !s.parentInFiles(r) {
			missing = append(missing, s.text.parent(r))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	stored, err := areas.ExistingAreaCodes(ctx, missing)
	if err != nil {
		return fmt.Errorf("importer: %w", err)
	}
	for _, r := range s.rows {
		if parent := s.text.parent(r); !s.parentInFiles(r) && !stored[parent] {
			s.problems.add(s.files[r.file], int(r.line), "code %s: parent %s is neither in the files nor already imported", s.text.code(r), parent)
		}
	}
	return nil
}

// parentInFiles reports whether a row has no parent or its parent was read.
func (s *divisionSet) parentInFiles(r divisionRow) bool {
	if r.parentLen == 0 {
		return true
	}
	_, ok := s.byCode[codeKey(s.text.parent(r))]
	return ok
}

func checkCode(code string, format divisionFormat) string {
	if code == "" {
		return "the code is empty"
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return fmt.Sprintf("code %q has a character that is not a digit", code)
		}
	}
	if len(code) != format.digits {
		return fmt.Sprintf("code %s has %d digits; %s codes have %d", code, len(code), format.level, format.digits)
	}
	return ""
}

func checkName(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case !utf8.ValidString(name) || strings.ContainsRune(name, utf8.RuneError):
		return "the name is not valid text in UTF-8 or GBK"
	case utf8.RuneCountInString(name) > 100:
		return "the name is longer than 100 characters"
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "the name contains control characters"
	}
	return ""
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func trimAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func columnIndex(header []string) map[string]int {
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[h] = i
	}
	return cols
}
