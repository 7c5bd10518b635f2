package demo

import (
	"context"
	"encoding/csv"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"cunjing"
)

// The synthetic population (一标三实) of a city: standard addresses,
// households and their residents, houses and rentals, and orgs, on the real
// codes of the villages and communities. Everything is decided by the seed
// and the village: the city is cut into blocks — a village group (村民小组)
// in the countryside, a residential compound (小区) in a community — and
// each block is generated from a random source of its own, so that blocks
// are made on every core and streamed in order, and no more than a few
// blocks are ever held in memory.

// MaxResidents bounds the size of a generated population: ID numbers are
// shared out among blocks by birth date and sequence number, and this
// leaves each block ample room.
const MaxResidents = 10_000_000

// Shape of the city (DESIGN.md §6: about 1.6 million houses and 150,000
// units for 5 million residents).
const (
	communityWeight = 3.6  // a community has this many times the people of a village
	sizeSpread      = 0.35 // sd of the log of a village's size around its mean
	ruralBlock      = 450  // residents of a village group
	urbanBlock      = 1500 // residents of a residential compound
)

// PopulationSpec says what population to generate.
type PopulationSpec struct {
	Villages  []cunjing.Area // village-tier areas, their kind set
	Residents int
	Seed      uint64
	Today     cunjing.Date // ages are counted to this day
}

// Population is a planned population: the blocks each village is cut into
// and how many people each holds. Blocks are generated on demand.
type Population struct {
	spec   PopulationSpec
	today  int // day number of spec.Today
	blocks []blockPlan
	salt   []uint64 // per village: its seed
}

// blockPlan is one block to generate.
type blockPlan struct {
	village int // index in spec.Villages
	index   int // of the block in its village
	target  int // residents
}

// NewPopulation plans a population: the residents shared out among the
// villages (a community about 3.6 times a village, each ±35 %) and cut
// into blocks.
func NewPopulation(spec PopulationSpec) (*Population, error) {
	switch {
	case spec.Residents < 0 || spec.Residents > MaxResidents:
		return nil, fmt.Errorf("demo: residents must be between 0 and %d", MaxResidents)
	case len(spec.Villages) == 0:
		return nil, fmt.Errorf("demo: no villages or communities to put residents in")
	case spec.Today.IsZero():
		return nil, fmt.Errorf("demo: the population needs the day it is generated for")
	}
	p := &Population{spec: spec, today: dayNumber(spec.Today)}
	for _, v := range spec.Villages {
		if v.Level != cunjing.LevelVillage {
			return nil, fmt.Errorf("demo: %s is not a village or community", v.Code)
		}
		h := fnv.New64a()
		h.Write([]byte(v.Code))
		p.salt = append(p.salt, h.Sum64()^spec.Seed*0x9E3779B97F4A7C15)
	}
	for i, n := range p.shares() {
		size := ruralBlock
		if spec.Villages[i].Kind == cunjing.KindCommunity {
			size = urbanBlock
		}
		blocks := (n + size - 1) / size
		for k := range blocks {
			p.blocks = append(p.blocks, blockPlan{village: i, index: k, target: n*(k+1)/blocks - n*k/blocks})
		}
	}
	return p, nil
}

// shares divides the residents among the villages by weight, by largest
// remainder, so that they add up exactly.
func (p *Population) shares() []int {
	r := rand.New(rand.NewPCG(p.spec.Seed, 0x5eed))
	weights := make([]float64, len(p.spec.Villages))
	total := 0.0
	for i, v := range p.spec.Villages {
		w := math.Exp(sizeSpread * r.NormFloat64())
		if v.Kind == cunjing.KindCommunity {
			w *= communityWeight
		}
		weights[i], total = w, total+w
	}
	shares := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		shares[i] = int(float64(p.spec.Residents) * w / total)
		given += shares[i]
	}
	for i := 0; given < p.spec.Residents; i = (i + 1) % len(shares) {
		shares[i]++
		given++
	}
	return shares
}

// Blocks is the number of blocks the population is cut into.
func (p *Population) Blocks() int { return len(p.blocks) }

// Block generates block i.
func (p *Population) Block(i int) *Block {
	return newBlockGen(p, i).generate()
}

// EachBlock generates the blocks of p on every core, runs work on each
// where it was generated, and hands the results to use in block order, one
// at a time. It stops at the first error, or when ctx ends.
func EachBlock[T any](ctx context.Context, p *Population, work func(*Block) (T, error), use func(T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	type result struct {
		v   T
		err error
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan int)
	slots := make([]chan result, len(p.blocks))
	order := make(chan chan result, 2*workers) // bounds the blocks in flight
	go func() {
		defer close(order)
		defer close(jobs)
		for i := range p.blocks {
			slots[i] = make(chan result, 1)
			select {
			case order <- slots[i]:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				v, err := work(p.Block(i))
				slots[i] <- result{v, err}
			}
		})
	}
	for slot := range order {
		var r result
		select {
		case r = <-slot:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return r.err
		}
		if err := use(r.v); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Villages reads the village-tier areas of the embedded division files of
// the demo city (Pingdingshan) under a code prefix ("" for all), in code
// order.
func Villages(under string) ([]cunjing.Area, error) {
	f, err := divisionFiles.Open("data/4104-villages.csv")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil || len(header) < 3 || header[0] != "code" || header[1] != "name" || header[2] != "streetCode" {
		return nil, fmt.Errorf("demo: the embedded village file has no header")
	}
	var areas []cunjing.Area
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("demo: embedded village file: %w", err)
		}
		if strings.HasPrefix(rec[0], under) {
			areas = append(areas, cunjing.Area{Code: rec[0], Name: rec[1], Level: cunjing.LevelVillage,
				Kind: cunjing.KindFromName(rec[1]), ParentCode: rec[2]})
		}
	}
	if len(areas) == 0 {
		return nil, fmt.Errorf("demo: no village or community of the demo city has a code starting %q", under)
	}
	return areas, nil
}
