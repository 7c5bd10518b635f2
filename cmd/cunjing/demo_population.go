package main

import (
	"context"
	"log/slog"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/store"
)

// populateDemo loads the population of the demo city in the background,
// once the server answers: about 200,000 residents take longer to store
// than the rest of the demo (docs/performance.md, "Demo start"). A load
// cut short by a stop goes on at the next start. It returns a function
// that stops the load and waits for it.
func populateDemo(ctx context.Context, st *store.Store, logger *slog.Logger, residents int) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		start := time.Now()
		loaded, err := demo.LoadPopulation(ctx, st, residents, cunjing.DateOf(time.Now()))
		switch {
		case err != nil && ctx.Err() != nil:
			logger.Info("demo population: stopped before it was loaded; it goes on at the next start")
		case err != nil:
			logger.Error("demo population", "err", err)
		case loaded:
			logger.Info("demo population loaded", "residents", residents, "took", time.Since(start).Round(time.Millisecond))
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
