package main

import (
	"net/http"
	"testing"
)

// BenchmarkServeDemoReady measures `cunjing serve --demo` on an empty data
// folder, from start to the first answered /healthz: migrations, the first
// admin, the division import and the generated police force included.
//
//	go test ./cmd/cunjing -run '^$' -bench ServeDemoReady -benchtime 5x
func BenchmarkServeDemoReady(b *testing.B) {
	for b.Loop() {
		url, stop := startServe(b, "--demo", "--data", b.TempDir())
		resp, err := http.Get(url + "/healthz")
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("healthz: %v %v", resp, err)
		}
		resp.Body.Close()
		b.StopTimer()
		if err := stop(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
