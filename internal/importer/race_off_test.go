//go:build !race

package importer_test

// bigWorkbookRows is the size of the large-workbook import test (see
// race_on_test.go).
const bigWorkbookRows = 100000
