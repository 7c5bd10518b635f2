//go:build race

package importer_test

// bigWorkbookRows is the size of the large-workbook import test: under the
// race detector, which makes SQLite about 36 times slower, 20,000 rows (two
// batches and a part) find what a race would; the plain run imports 100,000.
const bigWorkbookRows = 20000
