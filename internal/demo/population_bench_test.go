package demo_test

import (
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store/storetest"
)

// BenchmarkLoadPopulation stores the demo population (200,000 residents)
// into the demo city on SQLite, as serve --demo does in the background:
//
//	go test ./internal/demo -run '^$' -bench LoadPopulation -benchtime 1x
func BenchmarkLoadPopulation(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		st := demotest.Store(b)
		b.StartTimer()
		if _, err := demo.LoadPopulation(storetest.Ctx(), st, demo.DefaultResidents, cunjing.DateOf(time.Now())); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(demo.DefaultResidents)*float64(b.N)/b.Elapsed().Seconds(), "residents/s")
}
