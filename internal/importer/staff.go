package importer

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
)

// MaxStaffRows bounds the data rows of one staff or assignment file.
const MaxStaffRows = 50000

// maxUnzipped bounds what an XLSX file may unpack to.
const maxUnzipped = 256 << 20

// StaffReport says what an import of staff and assignments did.
type StaffReport struct {
	cunjing.StaffImportResult
	Encodings map[string]string // CSV file → "UTF-8" or "GBK"
}

// ImportStaff reads staff and assignment files — workbooks in the
// template's layout, whose sheets are told by their header, or CSV files of
// one kind each in UTF-8 or GBK — and checks every row. Only if all rows are
// good does it hand them to st, which writes them all in one transaction,
// staff first so that assignments may name new police numbers. Bad rows,
// found here or by st, come back as *Problems naming the row as the user
// sees it, the column and the reason; then nothing is written.
func ImportStaff(ctx context.Context, st cunjing.StaffImporter, files ...File) (*StaffReport, error) {
	r := &staffReader{problems: &Problems{}, today: cunjing.DateOf(time.Now()), report: &StaffReport{Encodings: map[string]string{}},
		numbers: map[string]rowRef{}, ids: map[int64]rowRef{}, accounts: map[string]rowRef{}, posts: map[string]rowRef{}}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
		if err := r.read(f); err != nil {
			return nil, err
		}
	}
	for _, t := range r.tables {
		r.parse(t)
	}
	if r.problems.Total == 0 && len(r.in.Staff)+len(r.in.Posts) == 0 {
		r.problems.add(strings.Join(names, ", "), 1, "没有可导入的数据行")
	}
	if r.problems.Total > 0 {
		return nil, r.problems
	}
	r.in.File = strings.Join(names, ", ")
	res, err := st.ImportStaff(ctx, r.in)
	if err != nil {
		return nil, r.storeFailures(err)
	}
	r.report.StaffImportResult = res
	return r.report, nil
}

// tableKind is what a sheet or CSV file holds.
type tableKind int

const (
	staffTable tableKind = iota + 1
	postTable
)

// field is a column the importer reads: its key, as the domain's error
// fields name it, and the headers that mean it (the template's first).
type field struct {
	key     string
	headers []string
}

var staffFields = []field{
	{"name", []string{"姓名", "name"}},
	{"kind", []string{"类别", "人员类别", "kind"}},
	{"unit_code", []string{"单位代码", "unit_code"}},
	{"phone", []string{"手机/电话", "手机", "电话", "联系电话", "phone"}},
	{"police_number", []string{"警号", "police_number"}},
	{"status", []string{"状态", "status"}},
	{"username", []string{"账号", "帐号", "username"}},
	{"staff_id", []string{"人员编号", "staff_id", "id"}},
}

var postFields = []field{
	{"area_code", []string{"区划代码", "area_code"}},
	{"police_number", []string{"警号", "police_number"}},
	{"staff_id", []string{"人员编号", "staff_id", "id"}},
	{"role", []string{"岗位", "role"}},
	{"start", []string{"开始日期", "start"}},
	{"replace", []string{"替换现任", "replace"}},
}

// table is a sheet or CSV file of one kind, its header read.
type table struct {
	kind    tableKind
	file    string            // as reports name it: the file, with the sheet of a workbook
	cols    map[string]int    // field key → column index
	headers map[string]string // field key → header as in the file
	rows    []tableRow
}

// tableRow is a data row: its number as a spreadsheet shows it, and cells.
type tableRow struct {
	line  int
	cells []string
}

func (t *table) cell(r tableRow, key string) string {
	if i, ok := t.cols[key]; ok && i < len(r.cells) {
		return r.cells[i]
	}
	return ""
}

// rowRef names a row of the import, for duplicates and store failures.
type rowRef struct {
	t    *table
	line int
}

// where says where a row is, relative to another table.
func (ref rowRef) where(t *table) string {
	if ref.t == t {
		return fmt.Sprintf("第 %d 行", ref.line)
	}
	return fmt.Sprintf("%s 第 %d 行", ref.t.file, ref.line)
}

// staffReader gathers the rows of one import.
type staffReader struct {
	tables   []*table
	in       cunjing.StaffImport
	staffAt  []rowRef // source of in.Staff[i]
	postsAt  []rowRef // source of in.Posts[j]
	numbers  map[string]rowRef
	ids      map[int64]rowRef
	accounts map[string]rowRef
	posts    map[string]rowRef // staff, area and role of a post
	today    cunjing.Date
	report   *StaffReport
	problems *Problems
}

// read adds the tables of one file: a workbook or a CSV file.
func (r *staffReader) read(f File) error {
	br := bufio.NewReader(f.Body)
	if head, _ := br.Peek(4); bytes.Equal(head, []byte("PK\x03\x04")) {
		return r.readWorkbook(f.Name, br)
	}
	return r.readCSV(f.Name, br)
}

// readWorkbook adds every sheet whose first row is a known header.
func (r *staffReader) readWorkbook(name string, body io.Reader) error {
	wb, err := excelize.OpenReader(body, excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzipped})
	if err != nil {
		r.problems.add(name, 1, "无法读取 XLSX 文件（%v）：请用 Excel 或 WPS 另存为 .xlsx 后再导入", err)
		return nil
	}
	defer wb.Close()
	found := false
	for _, sheet := range wb.GetSheetList() {
		rows, err := wb.Rows(sheet)
		if err != nil {
			return fmt.Errorf("importer: read %s: %w", name, err)
		}
		t := &table{file: name + " · " + sheet}
		err = r.readRows(t, func() ([]string, bool, error) {
			if !rows.Next() {
				return nil, false, rows.Error()
			}
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			return cells, true, err
		})
		rows.Close()
		if err != nil {
			return fmt.Errorf("importer: read %s: %w", name, err)
		}
		found = found || t.kind != 0
	}
	if !found {
		r.problems.add(name, 1, "文件中没有人员表或包保表：表的第 1 行应是表头，如“姓名、类别、单位代码”或“区划代码、警号、岗位、开始日期”")
	}
	return nil
}

// readCSV adds a CSV file, whose header says its kind.
func (r *staffReader) readCSV(name string, body io.Reader) error {
	text, enc := decodeText(body)
	r.report.Encodings[name] = enc
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	t := &table{file: name}
	line := 0
	err := r.readRows(t, func() ([]string, bool, error) {
		record, err := cr.Read()
		line++
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return nil, false, nil
		case errors.As(err, &pe):
			r.problems.add(name, line, "这一行无法按 CSV 读取（%v）", csvReason(err))
			return nil, false, nil
		}
		return record, true, err
	})
	if err != nil {
		return fmt.Errorf("importer: read %s: %w", name, err)
	}
	if t.kind == 0 {
		r.problems.add(name, 1, "无法识别的表头：人员表应有“姓名、类别、单位代码”等列，包保表应有“区划代码、警号、岗位、开始日期”等列")
	}
	return nil
}

// readRows reads the header and the data rows of t from next, which returns
// the cells of each row in turn; a table with an unknown header is skipped.
func (r *staffReader) readRows(t *table, next func() ([]string, bool, error)) error {
	for line := 1; ; line++ {
		cells, ok, err := next()
		if err != nil || !ok {
			return err
		}
		cells = cleanCells(cells)
		if line == 1 {
			if !r.header(t, cells) {
				return nil
			}
			r.tables = append(r.tables, t)
			continue
		}
		if !slices.ContainsFunc(cells, func(c string) bool { return c != "" }) {
			continue
		}
		if len(t.rows) == MaxStaffRows {
			r.problems.add(t.file, line, "超过 %d 行数据：请拆分成几个文件分批导入", MaxStaffRows)
			return nil
		}
		t.rows = append(t.rows, tableRow{line: line, cells: cells})
	}
}

// header recognises the kind of a table by its first row and checks that
// the columns it needs are there.
func (r *staffReader) header(t *table, cells []string) bool {
	fields, need := staffFields, []string{"name", "kind", "unit_code"}
	if slices.ContainsFunc(cells, func(c string) bool { return fieldOf(postFields, c) == "area_code" }) {
		fields, need, t.kind = postFields, []string{"area_code", "role", "start"}, postTable
	} else if slices.ContainsFunc(cells, func(c string) bool { return fieldOf(staffFields, c) == "name" }) {
		t.kind = staffTable
	} else {
		return false
	}
	t.cols, t.headers = map[string]int{}, map[string]string{}
	for i, c := range cells {
		if key := fieldOf(fields, c); key != "" {
			if _, dup := t.cols[key]; !dup {
				t.cols[key], t.headers[key] = i, c
			}
		}
	}
	ok := true
	for _, key := range need {
		if _, found := t.cols[key]; !found {
			r.problems.add(t.file, 1, "缺少“%s”列", headerOf(fields, key))
			ok = false
		}
	}
	_, number := t.cols["police_number"]
	_, id := t.cols["staff_id"]
	if t.kind == postTable && !number && !id {
		r.problems.add(t.file, 1, "缺少“警号”列（没有警号的人员用“人员编号”列）")
		ok = false
	}
	return ok
}

func fieldOf(fields []field, header string) string {
	h := strings.ToLower(header)
	for _, f := range fields {
		if slices.Contains(f.headers, h) {
			return f.key
		}
	}
	return ""
}

func headerOf(fields []field, key string) string {
	for _, f := range fields {
		if f.key == key {
			return f.headers[0]
		}
	}
	return key
}

// cleanCells trims the cells and takes back the apostrophe SafeCell put in
// front of a formula-like value.
func cleanCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if len(c) > 1 && c[0] == '\'' && strings.IndexByte(formulaStarts, c[1]) >= 0 {
			c = c[1:]
		}
		out[i] = c
	}
	return out
}

// parse checks the rows of a table and adds the good ones to the import.
func (r *staffReader) parse(t *table) {
	for _, row := range t.rows {
		if t.kind == staffTable {
			r.staffRow(t, row)
		} else {
			r.postRow(t, row)
		}
	}
}

// staffRow checks one row of a staff table.
func (r *staffReader) staffRow(t *table, row tableRow) {
	get := func(key string) string { return t.cell(row, key) }
	bad := map[string]string{}
	m := cunjing.Staff{Name: get("name"), UnitCode: get("unit_code"), Phone: get("phone"), PoliceNumber: get("police_number"), Username: get("username")}
	if v := get("staff_id"); v != "" {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			m.ID = id
		} else {
			bad["staff_id"] = "人员编号应为系统给出的数字；新增人员请留空"
		}
	}
	var ok bool
	if m.Kind, ok = staffKinds.parse(get("kind")); !ok {
		bad["kind"] = "类别应为" + strings.Join(staffKinds.words(), "、") + "之一"
	}
	if v := get("status"); v != "" {
		if m.Status, ok = staffStatuses.parse(v); !ok {
			bad["status"] = "状态应为" + strings.Join(staffStatuses.words(), "、") + "之一，不填即在岗"
		}
	}
	if strings.Contains(m.Phone, "*") {
		if m.ID == 0 {
			bad["phone"] = "这是遮蔽后的号码（导出文件中的手机号是遮蔽的）：新增人员请填写完整号码，或留空"
		} else {
			bad["phone"] = "" // the stored member's mask: the store keeps his number
		}
	}
	var invalid *cunjing.Error
	if errors.As(m.Validate(), &invalid) {
		for key := range invalid.Fields {
			if _, seen := bad[key]; !seen && (key != "police_number" || bad["kind"] == "") {
				bad[key] = staffReason(key, m)
			}
		}
	}
	r.duplicates(t, row, m, bad)
	if r.rowProblems(t, row, bad) {
		r.in.Staff = append(r.in.Staff, m)
		r.staffAt = append(r.staffAt, rowRef{t, row.line})
	}
}

// duplicates refuses a police number, staff ID or account that an earlier
// row of the import has too.
func (r *staffReader) duplicates(t *table, row tableRow, m cunjing.Staff, bad map[string]string) {
	here := rowRef{t, row.line}
	if prev, dup := r.numbers[m.PoliceNumber]; dup && m.PoliceNumber != "" {
		bad["police_number"] = "警号 " + m.PoliceNumber + " 与" + prev.where(t) + "重复"
	} else if m.PoliceNumber != "" {
		r.numbers[m.PoliceNumber] = here
	}
	if prev, dup := r.ids[m.ID]; dup && m.ID != 0 {
		bad["staff_id"] = "人员编号与" + prev.where(t) + "重复"
	} else if m.ID != 0 {
		r.ids[m.ID] = here
	}
	if prev, dup := r.accounts[m.Username]; dup && m.Username != "" {
		bad["username"] = "账号 " + m.Username + " 与" + prev.where(t) + "重复"
	} else if m.Username != "" {
		r.accounts[m.Username] = here
	}
}

// staffReason says in words what the domain's validation refused.
func staffReason(key string, m cunjing.Staff) string {
	switch key {
	case "name":
		if m.Name == "" {
			return "姓名必填"
		}
		return "姓名最多 50 个字"
	case "unit_code":
		return "单位代码应为 12 位数字（单位的机构代码）"
	case "phone":
		return "号码不对：应为 11 位手机号，或 0375-2345678 这样的固定电话"
	case "police_number":
		switch m.Kind {
		case cunjing.StaffOfficer:
			return "民警的警号应为 6 位数字"
		case cunjing.StaffAuxiliary:
			return "辅警编号最多 12 位字母或数字"
		}
		return "只有民警和辅警填警号"
	}
	return "内容不对"
}

// postRow checks one row of an assignment table.
func (r *staffReader) postRow(t *table, row tableRow) {
	get := func(key string) string { return t.cell(row, key) }
	bad := map[string]string{}
	p := cunjing.ImportPost{AssignRequest: cunjing.AssignRequest{AreaCode: get("area_code")}, PoliceNumber: get("police_number")}
	switch {
	case p.AreaCode == "":
		bad["area_code"] = "区划代码必填"
	case !cunjing.ValidAreaCode(p.AreaCode):
		bad["area_code"] = "区划代码应为 12 位的村、社区代码，或网格（…-G01）、场所（…-S01）的代码"
	}
	r.postStaff(t, row, &p, bad)
	var ok bool
	if p.Role, ok = postRoles.parse(get("role")); !ok {
		bad["role"] = "岗位应为" + strings.Join(postRoles.words(), "、") + "之一"
	}
	switch start, ok := parseDay(get("start")); {
	case get("start") == "":
		bad["start"] = "开始日期必填（如 2024-01-05）"
	case !ok:
		bad["start"] = "开始日期应写成 2024-01-05 或 2024/1/5"
	case r.today.Before(start):
		bad["start"] = "开始日期不能晚于今天：这里登记已经开始的包保"
	default:
		p.Start = start
	}
	if v := get("replace"); v != "" {
		yes, ok := yesNo.parse(v)
		if !ok {
			bad["replace"] = "替换现任应填“是”或“否”，不填即否"
		}
		p.Replace = yes == "yes"
	}
	key := fmt.Sprintf("%s|%d|%s|%s", p.PoliceNumber, p.StaffID, p.AreaCode, p.Role)
	if prev, dup := r.posts[key]; dup && len(bad) == 0 {
		bad[""] = "与" + prev.where(t) + "重复"
	} else if len(bad) == 0 {
		r.posts[key] = rowRef{t, row.line}
	}
	if r.rowProblems(t, row, bad) {
		r.in.Posts = append(r.in.Posts, p)
		r.postsAt = append(r.postsAt, rowRef{t, row.line})
	}
}

// postStaff reads who a post is for: a police number, or a staff ID.
func (r *staffReader) postStaff(t *table, row tableRow, p *cunjing.ImportPost, bad map[string]string) {
	if p.PoliceNumber != "" {
		return
	}
	v := t.cell(row, "staff_id")
	if v == "" {
		key := "police_number"
		if _, ok := t.cols[key]; !ok {
			key = "staff_id"
		}
		bad[key] = "警号或人员编号至少填一个（没有警号的人员填人员编号）"
		return
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		bad["staff_id"] = "人员编号应为系统给出的数字"
		return
	}
	p.StaffID = id
}

// rowProblems adds the problems of a row, by column in the file's order,
// and reports whether the row is good. A key mapped to "" is not a problem.
func (r *staffReader) rowProblems(t *table, row tableRow, bad map[string]string) bool {
	keys := make([]string, 0, len(bad))
	for key, msg := range bad {
		if msg != "" {
			keys = append(keys, key)
		}
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(t.colIndex(a), t.colIndex(b)) })
	for _, key := range keys {
		r.problems.addAt(t.file, row.line, t.headers[key], "%s", bad[key])
	}
	return len(keys) == 0
}

// colIndex orders the columns of a table; a whole-row problem comes first.
func (t *table) colIndex(key string) int {
	if i, ok := t.cols[key]; ok {
		return i
	}
	return -1
}

// storeFailures turns the items the store refused into problems of their
// rows; any other error is returned as it is.
func (r *staffReader) storeFailures(err error) error {
	items := itemErrors(err)
	if items == nil {
		return fmt.Errorf("importer: %w", err)
	}
	slices.SortStableFunc(items, func(a, b *cunjing.ItemError) int { return cmp.Compare(a.Index, b.Index) })
	for _, item := range items {
		ref, post := r.itemRow(item.Index)
		if ref.t == nil {
			return fmt.Errorf("importer: %w", err)
		}
		key, reason := r.storeReason(item, post)
		r.problems.addAt(ref.t.file, ref.line, ref.t.headers[key], "%s", reason)
	}
	return r.problems
}

// itemRow finds the row of an item of the import.
func (r *staffReader) itemRow(i int) (rowRef, bool) {
	if i < len(r.staffAt) {
		return r.staffAt[i], false
	}
	if j := i - len(r.staffAt); j < len(r.postsAt) {
		return r.postsAt[j], true
	}
	return rowRef{}, false
}

// itemErrors returns the failed items of err, or nil when err is anything
// else.
func itemErrors(err error) []*cunjing.ItemError {
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	var items []*cunjing.ItemError
	for _, e := range errs {
		var item *cunjing.ItemError
		if !errors.As(e, &item) {
			return nil
		}
		items = append(items, item)
	}
	return items
}

// storeReason says in words why the store refused an item, and names the
// field it refused.
func (r *staffReader) storeReason(item *cunjing.ItemError, post bool) (string, string) {
	var e *cunjing.Error
	if !errors.As(item.Err, &e) {
		return "", "无法导入"
	}
	key := ""
	if len(e.Fields) > 0 {
		key = slices.Min(slices.Collect(maps.Keys(e.Fields)))
	}
	m, p := cunjing.Staff{}, cunjing.ImportPost{}
	if post {
		p = r.in.Posts[item.Index-len(r.in.Staff)]
	} else {
		m = r.in.Staff[item.Index]
	}
	const hidden = "（不存在，或不在您的管辖范围内）"
	switch e.Code + " " + key {
	case "not_found staff_id":
		return key, "找不到此人员编号的人员" + hidden
	case "not_found police_number":
		return key, "找不到警号为 " + p.PoliceNumber + " 的人员" + hidden
	case "not_found unit_code":
		return key, "找不到单位代码 " + m.UnitCode + hidden
	case "not_found area_code":
		return key, "找不到区划代码 " + p.AreaCode + hidden
	case "conflict police_number":
		return key, "警号 " + m.PoliceNumber + " 已登记在另一人名下"
	case "conflict username":
		return key, "账号 " + m.Username + " 已关联另一名人员"
	case "invalid username":
		return key, "账号 " + m.Username + " 不存在"
	case "invalid phone":
		return key, "遮蔽的号码与登记的号码不符：请填写完整号码"
	case "invalid role":
		return key, "“" + postRoles.word(p.Role) + "”岗位应由" + staffKinds.word(p.Role.StaffKind()) + "担任，此人类别不符"
	case "invalid police_number", "invalid staff_id":
		return key, "此人不在岗（休假、调离或退休），不能包保"
	case "invalid area_code":
		return key, "包保只能落在村、社区、网格或场所，不能落在乡镇或县区"
	case "invalid start":
		return key, "开始日期早于被替换人员的开始日期"
	case "conflict start":
		return key, "开始日期落在前任已结束的包保期内：请改为前任卸任之日或以后"
	case "conflict role":
		return key, "该区划的这个岗位已有人：要换人，请在“替换现任”填“是”"
	case "conflict ":
		return key, "此人已在该区划担任这个岗位"
	}
	return key, "无法导入：" + e.Message
}
