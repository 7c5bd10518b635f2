package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"cunjing"
)

// ImportRecords imports the rows of f into st — or resumes the job of the
// same file after its last committed batch — in batches of
// cunjing.ImportBatchRows, each written whole or not at all. Rows are read
// by one goroutine and parsed and prepared (sealed) on every core while
// the previous batch is written. progress, when set, gets the job after
// each batch. A job that ended before is returned as it stands. An error
// (the context ended, the database failed) leaves the job running, to be
// resumed.
func ImportRecords(ctx context.Context, st cunjing.RecordImporter, f *RecordFile, mode cunjing.ImportMode, progress func(cunjing.ImportJob)) (*cunjing.ImportJob, error) {
	sess, err := st.BeginImport(ctx, cunjing.ImportStart{Kind: f.Kind, Mode: mode, FileName: f.Name, FileHash: f.Hash,
		FileSize: f.Size, EstimatedRows: f.EstimatedRows(), Header: f.Header, Columns: f.headers})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	job := sess.Job()
	if job.State != cunjing.ImportRunning {
		return &job, nil
	}
	src, err := f.open()
	if err != nil {
		var problems *Problems
		if errors.As(err, &problems) && len(problems.Listed) > 0 {
			job, ferr := sess.Fail(ctx, problems.Listed[0].Message)
			return &job, errors.Join(err, ferr)
		}
		return nil, err
	}
	defer src.close()
	parser := f.parserOf(cunjing.DateOf(time.Now()))
	if err := replay(ctx, sess, src, parser, job.RowsDone); err != nil {
		return nil, err
	}
	if err := writeBatches(ctx, sess, src, parser, progress); err != nil {
		return nil, err
	}
	job, err = sess.Finish(ctx)
	if err != nil {
		return nil, err
	}
	return &job, nil
}

// replay reads the rows that earlier runs of the job committed and lets
// the session learn their keys.
func replay(ctx context.Context, sess cunjing.ImportSession, src rowSource, parser *rowParser, done int64) error {
	for done > 0 {
		rows, err := readRows(src, int(min(done, cunjing.ImportBatchRows)))
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return fmt.Errorf("importer: the file has fewer rows than the import committed")
		}
		onEveryCore(rows, func(row *cunjing.ImportRow) { *row = parser.parse(row.Row, row.Cells, problemOf(row)) })
		if err := sess.Replay(ctx, rows); err != nil {
			return err
		}
		done -= int64(len(rows))
	}
	return nil
}

// batch is a batch of rows parsed and prepared, or the error that ended
// the reading.
type batch struct {
	rows []cunjing.ImportRow
	err  error
}

// writeBatches reads, prepares and writes the rest of the file: one
// goroutine reads and prepares the next batch while this one writes.
func writeBatches(ctx context.Context, sess cunjing.ImportSession, src rowSource, parser *rowParser, progress func(cunjing.ImportJob)) error {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan batch, 1)
	var wg sync.WaitGroup
	defer func() {
		cancel() // the reader may wait to hand over a batch
		wg.Wait()
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(out)
		for {
			rows, err := readRows(src, cunjing.ImportBatchRows)
			if len(rows) == 0 && err == nil {
				return
			}
			onEveryCore(rows, func(row *cunjing.ImportRow) {
				*row = parser.parse(row.Row, row.Cells, problemOf(row))
				if len(row.Problems) == 0 {
					sess.Prepare(row)
				}
			})
			select {
			case out <- batch{rows, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for b := range out {
		if b.err != nil {
			return b.err
		}
		job, err := sess.WriteBatch(ctx, b.rows)
		if err != nil {
			return err
		}
		if progress != nil {
			progress(job)
		}
	}
	return ctx.Err()
}

// readRows reads up to n rows. A row that could not be read carries its
// problem as its only cell's problem (see problemOf).
func readRows(src rowSource, n int) ([]cunjing.ImportRow, error) {
	rows := make([]cunjing.ImportRow, 0, n)
	for len(rows) < n {
		line, cells, problem, err := src.next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		row := cunjing.ImportRow{Row: line, Cells: cells}
		if problem != "" {
			row.Problems = []cunjing.ImportProblem{{Row: line, Message: problem}}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// problemOf is the whole-row problem the reader found, "" for none.
func problemOf(row *cunjing.ImportRow) string {
	if len(row.Problems) > 0 {
		return row.Problems[0].Message
	}
	return ""
}

// onEveryCore calls fn with each row, the rows shared out among as many
// goroutines as there are cores.
func onEveryCore(rows []cunjing.ImportRow, fn func(*cunjing.ImportRow)) {
	n := runtime.GOMAXPROCS(0)
	per := (len(rows) + n - 1) / n
	var wg sync.WaitGroup
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range part {
				fn(&part[i])
			}
		}()
	}
	wg.Wait()
}
