package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"cunjing/internal/importer"
	"cunjing/internal/store"
)

func migrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg dbConfig
	fs := newFlagSet("migrate", stderr)
	addDBFlags(fs, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	applied, latest, err := st.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "database schema at migration %d of %d (%s)\n", applied, latest, st.Engine())
	return nil
}

func importDivisions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg dbConfig
	fs := newFlagSet("import divisions", stderr)
	addDBFlags(fs, &cfg)
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: cunjing import divisions [--data DIR] [--db DSN] FILE...\n\n"+
			"FILEs are NBS division files (provinces, cities, areas, streets, villages) in UTF-8 or GBK;\n"+
			"each file's header tells its kind. With any bad line nothing is imported.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	files, closeAll, err := openFiles(fs.Args())
	if err != nil {
		return err
	}
	defer closeAll()
	st, err := store.Open(ctx, cfg.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	report, err := importer.ImportDivisions(ctx, st, files...)
	var problems *importer.Problems
	if errors.As(err, &problems) {
		for _, p := range problems.Listed {
			fmt.Fprintln(stderr, p)
		}
		if more := problems.Total - len(problems.Listed); more > 0 {
			fmt.Fprintf(stderr, "… and %d more bad lines\n", more)
		}
		fmt.Fprintf(stderr, "%d bad lines: nothing was imported\n", problems.Total)
		return errReported
	}
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%s: %s\n", f.Name, report.Encodings[f.Name])
	}
	fmt.Fprintf(stdout, "imported: %d added, %d renamed, %d unchanged\n", report.Added, report.Renamed, report.Unchanged)
	return nil
}

// openFiles opens every path, or none.
func openFiles(paths []string) ([]importer.File, func(), error) {
	var files []importer.File
	closeAll := func() {
		for _, f := range files {
			f.Body.(*os.File).Close()
		}
	}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		files = append(files, importer.File{Name: path, Body: f})
	}
	return files, closeAll, nil
}
