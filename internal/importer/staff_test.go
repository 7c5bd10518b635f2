package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"cunjing"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// lushanAdmin is the context of 鲁山县's county administrator.
var lushanAdmin = cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "lushan", Role: cunjing.RoleCountyAdmin,
	UnitCode: "410423000000", Scope: cunjing.Scope{Prefixes: []string{"410423"}}})

// place is where the tests post people: a station of 鲁山县 and two
// villages of its town, and a village of 汝州市, another county.
type place struct {
	station  string
	villages []string
	ruzhou   string
}

func demoPlace(t *testing.T, st *store.Store) place {
	t.Helper()
	ctx := storetest.Ctx()
	units, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitStation, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(units) == 0 {
		t.Fatalf("a station of 鲁山县: %v", err)
	}
	p := place{station: units[0].Code}
	villages, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: units[0].Jurisdiction[0], Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 2}})
	if err != nil || len(villages) < 2 {
		t.Fatalf("villages of %s: %v", units[0].Jurisdiction[0], err)
	}
	other, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: "410482", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(other) == 0 {
		t.Fatalf("a village of 汝州市: %v", err)
	}
	p.villages, p.ruzhou = []string{villages[0].Code, villages[1].Code}, other[0].Code
	return p
}

// today is the day in Shanghai, as the register counts it.
func today() cunjing.Date { return cunjing.DateOf(time.Now()) }

// fillSheet writes rows below the header of a sheet, from row 2.
func fillSheet(t *testing.T, wb *excelize.File, sheet string, rows [][]any) {
	t.Helper()
	for i, row := range rows {
		if err := wb.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &row); err != nil {
			t.Fatal(err)
		}
	}
}

// template opens the importer's own template.
func template(t *testing.T) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := importer.StaffTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

func workbookFile(t *testing.T, name string, wb *excelize.File) importer.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return importer.File{Name: name, Body: &buf}
}

func csvFile(name, text string) importer.File {
	return importer.File{Name: name, Body: strings.NewReader(text)}
}

// countStaff counts every member of staff in the store.
func countStaff(t *testing.T, st *store.Store) int {
	t.Helper()
	n, page := 0, cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		staff, next, err := st.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Page: page})
		if err != nil {
			t.Fatal(err)
		}
		n += len(staff)
		if next == "" {
			return n
		}
		page.Cursor = next
	}
}

// findOne returns the member of staff with the police number.
func findOne(t *testing.T, st *store.Store, number string) cunjing.Staff {
	t.Helper()
	found, _, err := st.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Query: number})
	if err != nil || len(found) != 1 {
		t.Fatalf("staff %s: %d found, %v", number, len(found), err)
	}
	return found[0]
}

// wantProblems checks that an import failed with exactly these problems,
// each given as "line|column|part of the reason".
func wantProblems(t *testing.T, err error, want ...string) {
	t.Helper()
	var problems *importer.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("err = %v; want problems", err)
	}
	if problems.Total != len(want) {
		t.Errorf("%d problems, want %d: %v", problems.Total, len(want), problems.Listed)
	}
	for _, w := range want {
		parts := strings.SplitN(w, "|", 3)
		if !slices.ContainsFunc(problems.Listed, func(p importer.Problem) bool {
			return fmt.Sprint(p.Line) == parts[0] && p.Column == parts[1] && strings.Contains(p.Message, parts[2])
		}) {
			t.Errorf("no problem %q in %v", w, problems.Listed)
		}
	}
}

func TestStaffTemplateRoundTrip(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	wb := template(t)
	if got := wb.GetSheetList(); !slices.Equal(got, []string{"人员", "包保", "说明"}) {
		t.Fatalf("sheets = %v", got)
	}
	header, _ := wb.GetRows("人员")
	if len(header) == 0 || !slices.Equal(header[0], []string{"姓名", "类别", "单位代码", "手机/电话", "警号", "状态", "账号", "人员编号"}) {
		t.Fatalf("人员 header = %v", header)
	}
	fillSheet(t, wb, "人员", [][]any{
		{"张立新", "民警", p.station, "138 0000 1234", "990001"},
		{"李小娟", "辅警", p.station, "13900001234", "FJ990002", "在岗"},
		{"王德胜", "包村干部", p.station, "0375-2345678"},
	})
	day := today()
	fillSheet(t, wb, "包保", [][]any{
		{p.villages[0], "990001", nil, "责任民警", time.Date(day.Time().Year(), day.Time().Month(), day.Time().Day(), 0, 0, 0, 0, time.UTC), "是"},
		{p.villages[0], "FJ990002", nil, "辅警", day.Time().Format("2006/1/2"), "是"},
	})
	report, err := importer.ImportStaff(lushanAdmin, st, workbookFile(t, "人员.xlsx", wb))
	if err != nil {
		t.Fatal(err)
	}
	if report.StaffAdded != 3 || report.PostsAdded != 2 {
		t.Errorf("report = %+v; want 3 staff and 2 posts added", report.StaffImportResult)
	}
	officer := findOne(t, st, "990001")
	full, err := st.StaffMember(storetest.Ctx(), officer.ID)
	if err != nil || full.Name != "张立新" || full.Kind != cunjing.StaffOfficer || full.UnitCode != p.station || full.Phone != "13800001234" {
		t.Errorf("officer = %+v, %v", full, err)
	}
	posts, _, err := st.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Area: p.villages[0], Open: true})
	if err != nil {
		t.Fatal(err)
	}
	var held []string
	for _, a := range posts {
		held = append(held, a.PoliceNumber+" "+string(a.Role)+" "+a.Start.String())
	}
	for _, want := range []string{"990001 responsible " + day.String(), "FJ990002 auxiliary " + day.String()} {
		if !slices.Contains(held, want) {
			t.Errorf("open posts of %s = %v; want %q", p.villages[0], held, want)
		}
	}
}

func TestStaffExportCanBeImportedAgain(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	_, err := importer.ImportStaff(lushanAdmin, st, csvFile("staff.csv", "姓名,类别,单位代码,手机,警号\n张立新,民警,"+p.station+",13800001234,990001\n"),
		csvFile("posts.csv", "区划代码,警号,岗位,开始日期,替换现任\n"+p.villages[1]+",990001,责任民警,"+today().String()+",是\n"))
	if err != nil {
		t.Fatal(err)
	}
	staffSheet, err := importer.StaffSheet(lushanAdmin, st, cunjing.StaffFilter{Unit: p.station})
	if err != nil {
		t.Fatal(err)
	}
	defer staffSheet.Close()
	var exported bytes.Buffer
	if _, err := staffSheet.WriteTo(&exported); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(exported.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := wb.GetRows("人员")
	line := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 4 && r[4] == "990001" })
	if line < 0 || rows[line][3] != "138****1234" || rows[line][1] != "民警" {
		t.Fatalf("exported rows = %v; want 990001 with a masked phone", rows)
	}

	report, err := importer.ImportStaff(lushanAdmin, st, importer.File{Name: "export.xlsx", Body: bytes.NewReader(exported.Bytes())})
	if err != nil {
		t.Fatal(err)
	}
	if report.StaffAdded != 0 || report.StaffChanged != 0 || report.StaffUnchanged != len(rows)-1 {
		t.Errorf("re-import of the export = %+v; want all %d unchanged", report.StaffImportResult, len(rows)-1)
	}

	wb.SetCellStr("人员", fmt.Sprintf("F%d", line+1), "休假")
	report, err = importer.ImportStaff(lushanAdmin, st, workbookFile(t, "edited.xlsx", wb))
	if err != nil || report.StaffChanged != 1 {
		t.Fatalf("edited export = %+v, %v; want one changed", report, err)
	}
	m := findOne(t, st, "990001")
	full, _ := st.StaffMember(storetest.Ctx(), m.ID)
	if full.Status != cunjing.StaffOnLeave || full.Phone != "13800001234" {
		t.Errorf("after the edit: status %s, phone %s; want on leave and the phone kept", full.Status, full.Phone)
	}

	postSheet, err := importer.PostSheet(lushanAdmin, st, cunjing.AssignmentFilter{Area: p.villages[1]})
	if err != nil {
		t.Fatal(err)
	}
	defer postSheet.Close()
	var posts bytes.Buffer
	if _, err := postSheet.WriteTo(&posts); err != nil {
		t.Fatal(err)
	}
	report, err = importer.ImportStaff(lushanAdmin, st, importer.File{Name: "posts.xlsx", Body: &posts})
	if err != nil || report.PostsAdded != 0 || report.PostsUnchanged == 0 {
		t.Errorf("re-import of the posts export = %+v, %#v; want all unchanged", report, err)
	}
}

func TestStaffImportReadsGBK(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	text := "姓名,类别,单位代码,手机/电话,警号,状态\r\n欧阳明,民警," + p.station + ",13800005678,990021,在岗\r\n司马芳,调解员," + p.station + ",,,\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	report, err := importer.ImportStaff(lushanAdmin, st, importer.File{Name: "gbk.csv", Body: strings.NewReader(gbk)})
	if err != nil {
		t.Fatal(err)
	}
	if report.Encodings["gbk.csv"] != "GBK" || report.StaffAdded != 2 {
		t.Errorf("report = %+v", report)
	}
	if m := findOne(t, st, "990021"); m.Name != "欧阳明" || m.Status != cunjing.StaffActive {
		t.Errorf("imported %+v", m)
	}
}

func TestStaffImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	before := countStaff(t, st)
	wb := template(t)
	fillSheet(t, wb, "人员", [][]any{
		{"赵一", "民警", p.station, "13800001111"},
		{"钱二", "警察", p.station},
		{"孙三", "民警", p.station, "12345", "990011"},
		{"李四", "民警", p.station, "13800002222", "990011"},
		{"周五", "辅警", "4104235101"},
		{"吴六", "调解员", p.station, "138****2222"},
		{"郑七", "民警", p.station, "", "990012"},
	})
	fillSheet(t, wb, "包保", [][]any{
		{p.villages[0], "990012", nil, "责任民警", today().AddDays(1).String()},
		{p.villages[0], "990012", nil, "所长", "2024-01-05"},
		{p.villages[0], nil, nil, "责任民警", "2024-01-05"},
		{"41042300100", "990012", nil, "责任民警", "2024-13-05"},
	})
	_, err := importer.ImportStaff(lushanAdmin, st, workbookFile(t, "bad.xlsx", wb))
	wantProblems(t, err,
		"2|警号|6 位数字",
		"3|类别|类别应为民警、辅警",
		"4|手机/电话|11 位手机号",
		"5|警号|与第 4 行重复",
		"6|单位代码|12 位数字",
		"7|手机/电话|遮蔽",
		"2|开始日期|不能晚于今天",
		"3|岗位|岗位应为责任民警",
		"4|警号|警号或人员编号至少填一个",
		"5|区划代码|12 位",
		"5|开始日期|2024-01-05",
	)
	var problems *importer.Problems
	errors.As(err, &problems)
	if f := problems.Listed[0].File; f != "bad.xlsx · 人员" {
		t.Errorf("file of a problem = %q; want the file and its sheet", f)
	}
	if after := countStaff(t, st); after != before {
		t.Errorf("staff %d → %d; want nothing imported", before, after)
	}
}

func TestStaffImportOfAnotherCountysAreaIsNotFound(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	before := countStaff(t, st)
	_, err := importer.ImportStaff(lushanAdmin, st,
		csvFile("staff.csv", "name,kind,unit_code,phone,police_number\n张立新,officer,"+p.station+",13800001234,990031\n"),
		csvFile("posts.csv", "area_code,police_number,role,start\n"+
			p.ruzhou+",990031,responsible,2024-01-05\n"+
			"410423999999,990031,responsible,2024-01-05\n"+
			p.villages[0]+",999999,responsible,2024-01-05\n"))
	wantProblems(t, err,
		"2|area_code|找不到区划代码 "+p.ruzhou+"（不存在，或不在您的管辖范围内）",
		"3|area_code|找不到区划代码 410423999999（不存在，或不在您的管辖范围内）",
		"4|police_number|找不到警号为 999999 的人员",
	)
	if after := countStaff(t, st); after != before {
		t.Errorf("staff %d → %d; want nothing imported", before, after)
	}
}

func TestStaffImportIsAllOrNothingWhenAPostFailsAfterTheStaff(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	before := countStaff(t, st)
	day := today()
	_, err := importer.ImportStaff(lushanAdmin, st,
		csvFile("staff.csv", "姓名,类别,单位代码,警号\n张立新,民警,"+p.station+",990041\n李建国,民警,"+p.station+",990042\n"),
		csvFile("posts.csv", "区划代码,警号,岗位,开始日期,替换现任\n"+
			p.villages[0]+",990041,责任民警,"+day.String()+",是\n"+
			p.villages[0]+",990042,责任民警,"+day.AddDays(-1).String()+",是\n"))
	wantProblems(t, err, "3|开始日期|早于被替换人员的开始日期")
	if after := countStaff(t, st); after != before {
		t.Errorf("staff %d → %d; want the new staff rolled back with the failed post", before, after)
	}
}

func TestStaffImportNamesAStartInsideAnEndedPostInChinese(t *testing.T) {
	st := demotest.Store(t)
	p := demoPlace(t, st)
	venue, err := st.CreateArea(lushanAdmin, cunjing.NewArea{ParentCode: p.villages[0], Level: cunjing.LevelVenue, Name: "张庄小学",
		VenueType: cunjing.VenueSchool})
	if err != nil {
		t.Fatal(err)
	}
	day := today()
	_, err = importer.ImportStaff(lushanAdmin, st,
		csvFile("staff.csv", "姓名,类别,单位代码,警号\n张立新,民警,"+p.station+",990061\n李建国,民警,"+p.station+",990062\n王志强,民警,"+p.station+",990063\n"),
		csvFile("posts.csv", "区划代码,警号,岗位,开始日期,替换现任\n"+
			venue.Code+",990061,责任民警,"+day.AddDays(-10).String()+",是\n"+
			venue.Code+",990062,责任民警,"+day.AddDays(-5).String()+",是\n"+
			venue.Code+",990063,责任民警,"+day.AddDays(-7).String()+",是\n"))
	wantProblems(t, err, "4|开始日期|前任已结束的包保期内")
}
