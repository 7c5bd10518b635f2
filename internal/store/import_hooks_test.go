package store

import "testing"

// SetBulkMinBytes lowers the file size from which imports of residents
// take the bulk path until the test ends.
func SetBulkMinBytes(t testing.TB, n int64) {
	old := bulkMinBytes
	bulkMinBytes = n
	t.Cleanup(func() { bulkMinBytes = old })
}

// ResidentIndexNames lists the indexes of the residents table as the
// migrations define them.
func (s *Store) ResidentIndexNames() ([]string, error) {
	indexes, err := s.residentIndexes()
	var names []string
	for _, ix := range indexes {
		names = append(names, ix.name)
	}
	return names, err
}
