package api

import "testing"

// SetAuditExportMax lowers the row cap of audit exports until the test ends.
func SetAuditExportMax(t testing.TB, n int) {
	old := auditExportMax
	auditExportMax = n
	t.Cleanup(func() { auditExportMax = old })
}
