package importer_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// waitForEnd polls a job until it is no longer running.
func waitForEnd(t *testing.T, st *store.Store, id int64) *cunjing.ImportJob {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		job, err := st.ImportJob(storetest.Ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if job.State != cunjing.ImportRunning {
			return job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still running: %+v", id, job)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// filesIn lists the files waiting in a folder.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestRecordJobsImportInTheBackgroundAndDropTheFileAtTheEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		jobs := &importer.RecordJobs{Store: st, Dir: filepath.Join(t.TempDir(), "imports")}
		defer jobs.Stop()
		file, err := os.Open(writeCSVFile(t, "residents.csv", residentHeader, residentRows(40), false))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		job, err := jobs.Start(lushanOfficer, cunjing.ImportResidents, cunjing.ImportAdd, "residents.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		if job.ID == 0 || job.RowsDone != 40 || job.CreatedBy != "lushan" {
			t.Fatalf("Start returned %+v; want the job after its batch of 40 rows", job)
		}
		done := waitForEnd(t, st, job.ID)
		if done.State != cunjing.ImportDone || done.Added != 40 {
			t.Errorf("the job ended as %+v; want 40 added", done)
		}
		jobs.Stop()
		if left := filesIn(t, jobs.Dir); len(left) != 0 {
			t.Errorf("files left after the job: %v", left)
		}
	})
}

func TestRecordJobsRefuseAFileWithoutItsColumnsBeforeAnyJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		jobs := &importer.RecordJobs{Store: st, Dir: filepath.Join(t.TempDir(), "imports")}
		defer jobs.Stop()
		file, err := os.Open(writeCSVFile(t, "orgs.csv", []string{"名字", "电话"}, [][]string{{"张三", "13812345678"}}, false))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		_, err = jobs.Start(lushanOfficer, cunjing.ImportResidents, cunjing.ImportAdd, "orgs.csv", file)
		var problems *importer.Problems
		if !errors.As(err, &problems) {
			t.Fatalf("Start of a file without the columns: %v; want the problems of its header", err)
		}
		if left := filesIn(t, jobs.Dir); len(left) != 0 {
			t.Errorf("files kept of a refused upload: %v", left)
		}
		if n := countRows(t, st, "import_jobs"); n != 0 {
			t.Errorf("%d jobs for a refused file", n)
		}
	})
}

func TestRecordJobsStoppedResumeAtTheNextStartAndImportEachRowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		dir := filepath.Join(t.TempDir(), "imports")
		jobs := &importer.RecordJobs{Store: st, Dir: dir}
		file, err := os.Open(writeCSVFile(t, "residents.csv", residentHeader, residentRows(12000), false))
		if err != nil {
			t.Fatal(err)
		}
		defer file.Close()
		ctx := storetest.Ctx() // the system, whose jobs resume as itself
		job, err := jobs.Start(ctx, cunjing.ImportResidents, cunjing.ImportAdd, "residents.csv", file)
		if err != nil {
			t.Fatal(err)
		}
		jobs.Stop() // the server stops after the first batch
		stopped, err := st.ImportJob(ctx, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stopped.State == cunjing.ImportRunning && len(filesIn(t, dir)) != 1 {
			t.Fatalf("a stopped job keeps no file: %v", filesIn(t, dir))
		}
		t.Logf("stopped after %d rows, %s", stopped.RowsDone, stopped.State)
		next := &importer.RecordJobs{Store: st, Dir: dir}
		defer next.Stop()
		if err := next.Resume(ctx); err != nil {
			t.Fatal(err)
		}
		done := waitForEnd(t, st, job.ID)
		if done.State != cunjing.ImportDone || done.RowsDone != 12000 || done.Added != 12000 {
			t.Errorf("the resumed job ended as %+v; want all 12,000 rows added", done)
		}
		if n := countRows(t, st, "residents"); n != 12000 {
			t.Errorf("%d residents; want each row once", n)
		}
	})
}
