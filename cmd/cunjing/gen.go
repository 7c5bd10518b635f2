package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"cunjing"
	"cunjing/internal/demo"
)

// genCommand writes a synthetic population as the CSV files the importer
// reads. The villages and communities are those of the demo city,
// Pingdingshan, from the division files built into the binary: no
// database is needed.
func genCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", stderr)
	residents := fs.Int("residents", 5_000_000, "residents to generate (at most 10,000,000)")
	seed := fs.Uint64("seed", demo.Seed, "seed: the same seed gives the same files")
	under := fs.String("under", "", "only the villages and communities whose code starts with CODE, e.g. 410423 (鲁山县)")
	out := fs.String("out", "", "folder to write the CSV files to (created if missing)")
	today := fs.String("today", "", "day the ages are counted to, YYYY-MM-DD (default today in Asia/Shanghai)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: cunjing gen [--residents N] [--seed S] [--under CODE] [--today DAY] --out DIR\n\n"+
			"Writes a synthetic population of the demo city (Pingdingshan, from the division codes built into the\n"+
			"binary) to DIR as addresses.csv, orgs.csv, residents.csv, houses.csv and rentals.csv — UTF-8 with BOM,\n"+
			"the canonical columns of the import templates; import them in that order.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	day := cunjing.DateOf(time.Now())
	if *today != "" {
		d, err := cunjing.ParseDate(*today)
		if err != nil {
			return fmt.Errorf("%w: --today: %v", errUsage, err)
		}
		day = d
	}
	villages, err := demo.Villages(*under)
	if err != nil {
		return err
	}
	p, err := demo.NewPopulation(demo.PopulationSpec{Villages: villages, Residents: *residents, Seed: *seed, Today: day})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	files, err := demo.WritePopulationCSV(ctx, p, *out)
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%-14s %9d rows\n", f.Name, f.Rows)
	}
	fmt.Fprintf(stdout, "%d villages and communities, %d blocks, in %s\n", len(villages), p.Blocks(), time.Since(start).Round(time.Millisecond))
	return nil
}
