package demo

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"cunjing"
	"cunjing/internal/importer"
)

// Seed makes the generated city the same on every machine.
const Seed = 1

// CityCode is the city the demo runs on: Pingdingshan, Henan.
const CityCode = "4104"

//go:embed data/*.csv
var divisionFiles embed.FS

// Store is what the demo writes to.
type Store interface {
	cunjing.AreaService
	cunjing.UnitService
	cunjing.StaffService
	cunjing.AssignmentService
	cunjing.StaffingService
	cunjing.DualPostService
	cunjing.OfficeService
	CreateUser(ctx context.Context, u cunjing.User) error
}

// Load fills an empty database with the demo city: the real division codes
// of Pingdingshan, a generated police organisation, one account per role
// (see Accounts) and a generated police force with its staffing models,
// posts, dual posts and office inspections, and coordinates for the
// villages of 郏县, whose model limits distances. It does nothing and returns
// false when areas are already stored.
func Load(ctx context.Context, st Store) (bool, error) {
	existing, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Page: cunjing.Page{Limit: 1}})
	if err != nil {
		return false, fmt.Errorf("demo: %w", err)
	}
	if len(existing) > 0 {
		return false, nil
	}
	if err := importDivisions(ctx, st); err != nil {
		return false, err
	}
	areas, err := cityAreas(ctx, st)
	if err != nil {
		return false, err
	}
	units := Units(areas, Seed)
	if err := st.CreateUnits(ctx, units); err != nil {
		return false, fmt.Errorf("demo: create units: %w", err)
	}
	if err := createAccounts(ctx, st, units); err != nil {
		return false, err
	}
	if err := createForce(ctx, st, areas, units); err != nil {
		return true, err
	}
	return true, placeVillages(ctx, st, areas)
}

// DivisionFiles returns the embedded official division files of the city,
// provinces and cities first.
func DivisionFiles() ([]importer.File, error) {
	names := []string{"41-provinces.csv", "4104-cities.csv", "4104-areas.csv", "4104-streets.csv", "4104-villages.csv"}
	files := make([]importer.File, len(names))
	for i, name := range names {
		f, err := divisionFiles.Open("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		files[i] = importer.File{Name: name, Body: f}
	}
	return files, nil
}

func importDivisions(ctx context.Context, st Store) error {
	files, err := DivisionFiles()
	if err != nil {
		return err
	}
	defer func() {
		for _, f := range files {
			f.Body.(fs.File).Close()
		}
	}()
	if _, err := importer.ImportDivisions(ctx, st, files...); err != nil {
		return fmt.Errorf("demo: import divisions: %w", err)
	}
	return nil
}

// cityAreas reads back the province, the city and everything under it.
func cityAreas(ctx context.Context, st Store) ([]cunjing.Area, error) {
	top, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Level: cunjing.LevelProvince})
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	city, err := st.AreaDetail(ctx, CityCode)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	areas := append(top, city.Area)
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		batch, next, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: CityCode, Page: page})
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		areas = append(areas, batch...)
		if next == "" {
			return areas, nil
		}
		page.Cursor = next
	}
}
