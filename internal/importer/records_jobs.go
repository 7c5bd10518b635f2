package importer

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"cunjing"
)

// RecordJobs runs imports of uploaded files in the background, so that the
// page or the call that starts one answers at once and the user follows
// the job's progress. Each file waits in Dir, named after its kind, mode
// and content, until its job ends: a job cut short by a stop of the server
// resumes after its last committed batch when Resume runs at the next
// start.
type RecordJobs struct {
	Store  cunjing.RecordImporter
	Dir    string
	Logger *slog.Logger

	once    sync.Once
	stopped chan struct{}
	wg      sync.WaitGroup
}

// Start keeps the uploaded file and imports it in the background as the
// caller of ctx. It returns the job once its first batch is written, or
// at once when it ended: a job of the same file done before, a file that
// could not be read at all. A file the importer cannot take (the wrong
// format, a zip bomb, a header without the kind's columns) is refused
// before any job begins, and removed.
func (j *RecordJobs) Start(ctx context.Context, kind cunjing.ImportKind, mode cunjing.ImportMode, name string, body io.Reader) (*cunjing.ImportJob, error) {
	if mode != cunjing.ImportAdd && mode != cunjing.ImportUpsert {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown import mode", Fields: map[string]string{"mode": "must be add or upsert"}}
	}
	owner := ""
	if id := cunjing.IdentityFrom(ctx); id != nil {
		owner = id.Username
	}
	f, err := j.keep(kind, mode, owner, name, body)
	if err != nil {
		return nil, err
	}
	first := make(chan cunjing.ImportJob, 1)
	result := j.run(context.WithoutCancel(ctx), f, mode, first)
	select {
	case job := <-first:
		return &job, nil
	case r := <-result:
		return r.job, r.err
	}
}

// keep writes the upload into Dir and opens it as a file of kind, under
// the name its job will find it by.
func (j *RecordJobs) keep(kind cunjing.ImportKind, mode cunjing.ImportMode, owner, name string, body io.Reader) (*RecordFile, error) {
	if err := os.MkdirAll(j.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("importer: upload folder: %w", err)
	}
	tmp, err := os.CreateTemp(j.Dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("importer: keep upload: %w", err)
	}
	_, err = io.Copy(tmp, body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("importer: keep upload %s: %w", name, err)
	}
	f, err := OpenRecordFile(kind, tmp.Name(), name)
	if err != nil {
		os.Remove(tmp.Name())
		return nil, err
	}
	kept := j.path(kind, mode, owner, f.Hash, name)
	if err := os.Rename(tmp.Name(), kept); err != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("importer: keep upload %s: %w", name, err)
	}
	f.Path = kept
	return f, nil
}

// path is where the file of a job waits: what identifies the job — its
// kind, mode, owner and content — names it, and its extension tells its
// format as the user's name did.
func (j *RecordJobs) path(kind cunjing.ImportKind, mode cunjing.ImportMode, owner, hash, name string) string {
	who := sha256.Sum256([]byte(owner))
	return filepath.Join(j.Dir, fmt.Sprintf("%s-%s-%x-%s%s", kind, mode, who[:6], hash, strings.ToLower(filepath.Ext(name))))
}

// outcome is how a run of a job ended.
type outcome struct {
	job *cunjing.ImportJob
	err error
}

// run imports f in a goroutine and sends the job to first after the first
// batch, then its end to the returned channel. The file is removed once
// the job ended; a run cut short keeps it for Resume.
func (j *RecordJobs) run(ctx context.Context, f *RecordFile, mode cunjing.ImportMode, first chan<- cunjing.ImportJob) <-chan outcome {
	j.once.Do(func() { j.stopped = make(chan struct{}) })
	ctx, cancel := context.WithCancel(ctx)
	result := make(chan outcome, 1)
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer cancel()
		go func() {
			select {
			case <-j.stopped:
				cancel()
			case <-ctx.Done():
			}
		}()
		var seen *cunjing.ImportJob
		job, err := ImportRecords(ctx, j.Store, f, mode, func(job cunjing.ImportJob) {
			if seen == nil && first != nil {
				first <- job
			}
			seen = &job
		})
		if err != nil && job == nil && seen != nil {
			job = j.current(ctx, *seen) // cancelled meanwhile, or cut short
		}
		switch {
		case job != nil && job.State != cunjing.ImportRunning:
			os.Remove(f.Path)
		case err != nil && ctx.Err() == nil:
			j.logger().Error("importer: import stopped", "file", f.Name, "kind", f.Kind, "err", err)
		}
		result <- outcome{job, err}
	}()
	return result
}

// current reads a job as it stands now, or returns it as last seen when it
// cannot be read.
func (j *RecordJobs) current(ctx context.Context, seen cunjing.ImportJob) *cunjing.ImportJob {
	job, err := j.Store.ImportJob(context.WithoutCancel(ctx), seen.ID)
	if err != nil {
		return &seen
	}
	return job
}

// Resume goes on with every job a stop of the server cut short, as the
// account that started it, each from its last committed batch; ctx holds
// the system identity. A job whose file is gone, or whose account is, is
// left as it stands and logged.
func (j *RecordJobs) Resume(ctx context.Context) error {
	jobs, err := j.Store.RunningImports(ctx)
	if err != nil {
		return err
	}
	for _, job := range jobs {
		if err := j.resume(ctx, job); err != nil {
			j.logger().Warn("importer: import not resumed", "job", job.ID, "err", err)
		}
	}
	return nil
}

func (j *RecordJobs) resume(ctx context.Context, job cunjing.ImportJob) error {
	id, err := j.Store.ImportIdentity(ctx, job.CreatedBy)
	if err != nil {
		return err
	}
	path := j.path(job.Kind, job.Mode, job.CreatedBy, job.FileHash, job.FileName)
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("its file is gone: %w", err)
	}
	f, err := OpenRecordFile(job.Kind, path, job.FileName)
	if err != nil {
		return err
	}
	if f.Hash != job.FileHash {
		return errors.New("its file has changed")
	}
	j.run(cunjing.WithIdentity(context.WithoutCancel(ctx), id), f, job.Mode, nil)
	return nil
}

// Stop ends the imports running in the background after their batch in
// hand and waits for them; their jobs resume at the next start.
func (j *RecordJobs) Stop() {
	j.once.Do(func() { j.stopped = make(chan struct{}) })
	select {
	case <-j.stopped:
	default:
		close(j.stopped)
	}
	j.wg.Wait()
}

func (j *RecordJobs) logger() *slog.Logger {
	if j.Logger == nil {
		return slog.Default()
	}
	return j.Logger
}
