package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"cunjing"
)

// createForce stores the generated force: the staffing models and where
// they apply, the staff, their posts, dual posts and status changes, and
// the construction-standard checks of every office and workstation.
func createForce(ctx context.Context, st Store, areas []cunjing.Area, units []cunjing.Unit) error {
	f := newForce(areas, units, Seed)
	if err := saveModels(ctx, st); err != nil {
		return err
	}
	if err := st.CreateStaff(ctx, f.staff); err != nil {
		return fmt.Errorf("demo: create staff: %w", err)
	}
	if _, err := st.AssignAll(ctx, f.requests()); err != nil {
		return fmt.Errorf("demo: assign: %w", err)
	}
	posts := make([]cunjing.DualPost, len(f.dualPosts))
	for i, d := range f.dualPosts {
		posts[i] = cunjing.DualPost{StaffID: f.staff[d.staff].ID, AreaCode: d.area, Post: d.post, AppointedOn: d.on, DocumentNo: d.document}
	}
	if _, err := st.AddDualPosts(ctx, posts); err != nil {
		return fmt.Errorf("demo: dual posts: %w", err)
	}
	if err := checkOffices(ctx, st, units); err != nil {
		return err
	}
	for _, c := range f.changes {
		s := f.staff[c.staff]
		s.Status = c.status
		if err := st.UpdateStaff(ctx, s); err != nil {
			return fmt.Errorf("demo: staff %s: %w", s.Name, err)
		}
	}
	return nil
}

// saveModels saves the demo's staffing models and binds them.
func saveModels(ctx context.Context, st Store) error {
	for _, spec := range demoModels {
		id, err := st.SaveStaffingModel(ctx, spec.model)
		if err != nil {
			return fmt.Errorf("demo: model %s: %w", spec.model.Name, err)
		}
		for _, b := range spec.bind {
			b.ModelID = id
			if err := st.BindModel(ctx, b); err != nil {
				return fmt.Errorf("demo: bind %s to %s: %w", spec.model.Name, b.AreaCode, err)
			}
		}
	}
	return nil
}

// requests returns the posts as assignment requests of the stored staff.
func (f *force) requests() []cunjing.AssignRequest {
	reqs := make([]cunjing.AssignRequest, len(f.posts))
	for i, p := range f.posts {
		reqs[i] = cunjing.AssignRequest{StaffID: f.staff[p.staff].ID, AreaCode: p.area, Role: p.role, Start: p.start, Replace: p.replace}
		if p.replace {
			reqs[i].Note = "工作调整"
		}
	}
	return reqs
}

// checkOffices records an inspection of every office and workstation
// against the construction standard.
func checkOffices(ctx context.Context, st Store, units []cunjing.Unit) error {
	items, err := st.StandardItems(ctx)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := st.CheckOffices(ctx, officeChecks(units, items, Seed)); err != nil {
		return fmt.Errorf("demo: check offices: %w", err)
	}
	return nil
}

// officeChecks inspects every office and workstation: about half meet every
// item, a third miss one, the rest two or three and so fall below 80 %.
func officeChecks(units []cunjing.Unit, items []cunjing.StandardItem, seed uint64) []cunjing.OfficeInspection {
	r := rand.New(rand.NewPCG(seed, seed+2))
	var out []cunjing.OfficeInspection
	for _, u := range units {
		if u.Kind != cunjing.UnitOffice && u.Kind != cunjing.UnitWorkstation {
			continue
		}
		missed := 0
		switch x := r.Float64(); {
		case x >= 0.85:
			missed = 2 + r.IntN(2)
		case x >= 0.55:
			missed = 1
		}
		unmet := r.Perm(len(items))[:min(missed, len(items))]
		checks := make([]cunjing.OfficeCheck, len(items))
		for i, it := range items {
			checks[i] = cunjing.OfficeCheck{Item: it.Code, Met: true}
		}
		for _, i := range unmet {
			checks[i].Met, checks[i].Note = false, "未达标，限期整改"
		}
		out = append(out, cunjing.OfficeInspection{Unit: u.Code, Checks: checks})
	}
	return out
}
