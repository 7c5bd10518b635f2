package web

import "testing"

// TestEveryRouteHasAPolicy walks the UI's route table (SECURITY.md B3).
func TestEveryRouteHasAPolicy(t *testing.T) {
	if len(routes) < 10 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		if rt.Policy == "" {
			t.Errorf("route %s has no policy", rt.Pattern)
		}
	}
}
