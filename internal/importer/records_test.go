package importer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func TestImportResidentsCSVAddsThemWithTheirPlaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		path := writeCSVFile(t, "residents.csv", residentHeader, residentRows(40), false)
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if job.State != cunjing.ImportDone || job.Added != 40 || job.Refused != 0 || job.RowsDone != 40 || job.AddressesAdded != 10 || job.HouseholdsAdded != 10 {
			t.Fatalf("job = %+v; want 40 added at 10 addresses in 10 households", job)
		}
		db := storetest.Direct(t, st)
		members := queryStrings(t, db, `SELECT r.name FROM residents r JOIN households h ON h.id = r.household_id
			JOIN addresses a ON a.id = r.address_id WHERE h.number = 'H000001' AND a.text = '建设路1号' AND r.area_code = '`+village2+`' ORDER BY r.id`)
		if len(members) != 4 {
			t.Errorf("members of household H000001 at 建设路1号 in %s = %v; want the 4 of the file", village2, members)
		}
		trail, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionImportRecords})
		if err != nil || len(trail) != 3 || !strings.Contains(trail[1].Detail, "rows 2-41: 40 added") {
			t.Errorf("import audit = %+v, %v; want start, one batch and done", trail, err)
		}
	})
}

func TestImportTakesHeaderSynonyms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		header := []string{"村（社区）代码", " 名字 ", "公民身份号码", "手机号", "住址", "备注说明"}
		path := writeCSVFile(t, "registers.csv", header, [][]string{
			{village1, "李  明", personID(1), "+86 139-0000-0001", "东街3号", "x"},
			{village1, "赵·阿依", strings.ToLower(personID(2)), "", "", ""},
		}, true)
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if job.Added != 2 || job.Refused != 0 {
			t.Fatalf("job = %+v, problems %v; want both rows added", job, problemsOf(t, lushanOfficer, st, job.ID))
		}
		db := storetest.Direct(t, st)
		if got := queryStrings(t, db, "SELECT name || '/' || phone_masked || '/' || note FROM residents ORDER BY id"); !slices.Equal(got,
			[]string{"李 明/139****0001/", "赵·阿依//"}) {
			t.Errorf("residents = %v; want names and phones normalised, the unknown column 备注说明 ignored", got)
		}
	})
}

func TestImportRefusesTheSecondRowOfOnePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		rows := residentRows(3)
		rows[2][6] = rows[0][6]
		path := writeCSVFile(t, "residents.csv", residentHeader, rows, false)
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if job.Added != 2 || job.Refused != 1 {
			t.Fatalf("job = %+v; want 2 added, 1 refused", job)
		}
		want := []string{"4||与第 2 行重复：证件号码相同，是同一人"}
		if got := problemsOf(t, lushanOfficer, st, job.ID); !slices.Equal(got, want) {
			t.Errorf("problems = %v; want %v", got, want)
		}
	})
}

func TestImportAddRefusesRegisteredPersonsAndUpsertUpdatesThem(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		rows := residentRows(8)
		mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, writeCSVFile(t, "a.csv", residentHeader, rows, false))
		rows[1][9], rows[2][12] = "13912345678", "迁出"
		rows = append(rows, residentRows(9)[8])
		changed := writeCSVFile(t, "b.csv", residentHeader, rows, false)

		add := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, changed)
		if add.Added != 1 || add.Refused != 8 || add.Updated != 0 {
			t.Errorf("add = %+v; want the new person added and the 8 registered refused", add)
		}
		if got := problemsOf(t, lushanOfficer, st, add.ID); len(got) != 8 || !strings.Contains(got[0], "|证件号码|此人已登记（人员编号 1）") {
			t.Errorf("problems = %v", got)
		}
		up := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportUpsert, changed)
		if up.Added != 0 || up.Updated != 2 || up.Unchanged != 7 || up.Refused != 0 {
			t.Errorf("upsert = %+v; want 2 updated and 7 unchanged", up)
		}
		db := storetest.Direct(t, st)
		if got := queryStrings(t, db, "SELECT field || ':' || old_value || '>' || new_value FROM changes WHERE record_kind = 'resident' ORDER BY id"); !slices.Equal(got,
			[]string{"phone:138****0001>139****5678", "status:present>moved_out"}) {
			t.Errorf("history = %v; want the phone (masked) and the status", got)
		}
		again := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportUpsert, changed)
		if again.ID != up.ID || again.Updated != 2 {
			t.Errorf("the same upsert again = %+v; want the finished job, nothing new", again)
		}
	})
}

func TestImportReportsAPersonRegisteredInAnotherScopeAndLeavesHimAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		rows := residentRows(2)
		theirs := slices.Clone(rows[0])
		theirs[0], theirs[1], theirs[2], theirs[12] = ruzhou, "王庄东街1号", "R1", "在住"
		mustImport(t, ruzhouOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, writeCSVFile(t, "ruzhou.csv", residentHeader, [][]string{theirs}, false))

		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportUpsert, writeCSVFile(t, "lushan.csv", residentHeader, rows, false))
		if job.Added != 1 || job.Refused != 1 || job.Updated != 0 {
			t.Fatalf("job = %+v; want 1 added and the person of 汝州 refused", job)
		}
		masked := cunjing.MaskIDNumber(rows[0][6])
		if got := problemsOf(t, lushanOfficer, st, job.ID); len(got) != 1 || got[0] != "2|证件号码|此人已登记在您管辖范围以外的区划：已向双方报告这一冲突，本行未导入" {
			t.Errorf("problems = %v", got)
		}
		db := storetest.Direct(t, st)
		if got := queryStrings(t, db, "SELECT area_code FROM residents WHERE id_masked = '"+masked+"'"); !slices.Equal(got, []string{ruzhou}) {
			t.Errorf("the person of 汝州 lives in %v; want him left in %s", got, ruzhou)
		}
		conflicts, _, err := st.FindConflicts(ruzhouOfficer, cunjing.Page{})
		if err != nil || len(conflicts) != 1 || conflicts[0].ClaimedIn != rows[0][0] || conflicts[0].HeldIn != ruzhou {
			t.Errorf("conflicts seen by 汝州 = %+v, %v; want the claim from %s", conflicts, err, rows[0][0])
		}
	})
}

func TestImportRefusesAreasOutsideTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		rows := residentRows(2)
		rows[1][0] = ruzhou
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, writeCSVFile(t, "r.csv", residentHeader, rows, false))
		want := []string{"3|区划代码|找不到区划代码 " + ruzhou + "（不存在，或不在您的管辖范围内）"}
		if got := problemsOf(t, lushanOfficer, st, job.ID); job.Added != 1 || !slices.Equal(got, want) {
			t.Errorf("job = %+v, problems %v; want %v", job, got, want)
		}
	})
}

// cancelAfter returns a context that ends once n batches are committed,
// as a kill would, and the progress function that counts them.
func cancelAfter(ctx context.Context, n int) (context.Context, func(cunjing.ImportJob)) {
	ctx, cancel := context.WithCancel(ctx)
	batches := 0
	return ctx, func(cunjing.ImportJob) {
		if batches++; batches == n {
			cancel()
		}
	}
}

func TestKilledImportResumesAfterItsLastBatchAndImportsEachRowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		rows := residentRows(25000)
		rows[15000][6] = rows[0][6] // the same person as row 2, after the kill
		path := writeCSVFile(t, "residents.csv", residentHeader, rows, false)

		ctx, progress := cancelAfter(lushanOfficer, 1)
		_, err := importPath(ctx, st, cunjing.ImportResidents, cunjing.ImportAdd, path, progress)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("killed import: %v; want the context's end", err)
		}
		if n := countRows(t, st, "residents"); n != cunjing.ImportBatchRows {
			t.Fatalf("after the kill %d residents; want exactly the first batch", n)
		}
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if job.State != cunjing.ImportDone || job.RowsDone != 25000 || job.Added != 24999 || job.Refused != 1 {
			t.Fatalf("resumed job = %+v; want all 25,000 rows done once", job)
		}
		if n := countRows(t, st, "residents"); n != 24999 {
			t.Errorf("residents = %d; want 24,999", n)
		}
		if got := problemsOf(t, lushanOfficer, st, job.ID); !slices.Equal(got, []string{"15002||与第 2 行重复：证件号码相同，是同一人"}) {
			t.Errorf("problems = %v; want the duplicate to name row 2 of the first run", got)
		}
		again := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if again.ID != job.ID || countRows(t, st, "residents") != 24999 {
			t.Errorf("the finished file again = %+v; want nothing new", again)
		}
	})
}

func TestCancelRollsTheImportBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		mine := mustImport(t, lushanOfficer, st, cunjing.ImportAddresses, cunjing.ImportAdd, writeCSVFile(t, "a.csv",
			[]string{"区划代码", "街路巷(自然村)", "门牌号"}, [][]string{{village1, "建设路", "1"}}, false))
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd,
			writeCSVFile(t, "r.csv", residentHeader, residentRows(12), false))
		if _, err := st.CancelImport(ruzhouOfficer, job.ID); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("cancel by another account: %v; want not found", err)
		}
		cancelled, err := st.CancelImport(lushanOfficer, job.ID)
		if err != nil || cancelled.State != cunjing.ImportCancelled {
			t.Fatalf("cancel = %+v, %v", cancelled, err)
		}
		for table, want := range map[string]int{"residents": 0, "households": 0, "addresses": 1} {
			if n := countRows(t, st, table); n != want {
				t.Errorf("%s after the rollback = %d; want %d (what the import added is gone, the rest stays)", table, n, want)
			}
		}
		if mine.Added != 1 {
			t.Errorf("address import = %+v", mine)
		}
		again := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd,
			writeCSVFile(t, "r.csv", residentHeader, residentRows(12), false))
		if again.ID == job.ID || again.Added != 12 {
			t.Errorf("the cancelled file again = %+v; want a new job adding all", again)
		}
	})
}

func TestImportRefusesAFileWithoutItsColumns(t *testing.T) {
	st := storetest.SQLite(t)
	path := writeCSVFile(t, "r.csv", []string{"姓名", "电话"}, [][]string{{"王五", "13800000000"}}, false)
	_, err := importer.OpenRecordFile(cunjing.ImportResidents, path, "r.csv")
	var problems *importer.Problems
	if !errors.As(err, &problems) || fmt.Sprint(problems.Listed) != "[r.csv:1: 缺少“区划代码”列 r.csv:1: 缺少“证件号码”列]" {
		t.Errorf("err = %v; want the missing columns named", err)
	}
	_ = st
}
