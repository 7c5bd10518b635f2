package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cunjing"
)

// dualPostLimit is how many dual posts one page lists.
const dualPostLimit = 100

// maxOfficerStations bounds the stations whose officers the dual post form
// offers; above it (a city) the officer is given by staff ID.
const maxOfficerStations = 30

// dualPostsPage is the dual posts (两任) of a subtree: how many villages
// have one, by child area, the posts themselves and the form that adds one.
type dualPostsPage struct {
	Area      *cunjing.AreaDetail // nil: the caller chooses among Tops
	Tops      []cunjing.Area
	Tally     tallyLine
	Children  []childTally
	Posts     []cunjing.DualPost
	More      bool // there are more posts than listed
	CanManage bool
	Officers  []staffGroup // active officers of the stations in the area; nil: too many
	Villages  []cunjing.Area
	Kinds     []cunjing.DualPostKind
	Today     string
	Form      dualPostForm
	Done      string
}

// tallyLine is a dual post tally with its share.
type tallyLine struct {
	cunjing.DualPostTally
	Percent int
}

func newTallyLine(t cunjing.DualPostTally) tallyLine {
	l := tallyLine{DualPostTally: t}
	if t.Areas > 0 {
		l.Percent = t.Held * 100 / t.Areas
	}
	return l
}

// childTally is the dual post tally of a child area.
type childTally struct {
	Area  cunjing.Area
	Tally tallyLine
}

// dualPostForm is the form that adds a dual post as last sent, with the
// error code and the wrong fields; EndID is the post a refused end was for.
type dualPostForm struct {
	StaffID     int64
	AreaCode    string
	Post        cunjing.DualPostKind
	AppointedOn string
	DocumentNo  string
	Error       string
	Fields      map[string]string
	EndID       int64
}

// dualPosts shows the dual posts under ?under= (the caller's area by
// default).
func (u *ui) dualPosts(w http.ResponseWriter, r *http.Request) {
	u.showDualPosts(w, r, http.StatusOK, r.URL.Query().Get("under"), dualPostForm{})
}

func (u *ui) showDualPosts(w http.ResponseWriter, r *http.Request, status int, under string, form dualPostForm) {
	ctx := r.Context()
	page := dualPostsPage{CanManage: canManageStaff(r), Kinds: cunjing.DualPostKinds, Today: cunjing.DateOf(time.Now()).String(),
		Form: form, Done: r.URL.Query().Get("done")}
	if page.Form.AppointedOn == "" {
		page.Form.AppointedOn = page.Today
	}
	under, tops, err := u.underOrTops(ctx, under)
	if err == nil && under != "" {
		err = u.fillDualPosts(ctx, &page, under)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Tops = tops
	u.render(w, r, status, "dual_posts", page)
}

func (u *ui) fillDualPosts(ctx context.Context, page *dualPostsPage, under string) error {
	var err error
	if page.Area, err = u.Areas.AreaDetail(ctx, under); err != nil {
		return fmt.Errorf("web: dual posts: %w", err)
	}
	tally, err := u.DualPosts.DualPostTally(ctx, under)
	if err != nil {
		return fmt.Errorf("web: dual posts: %w", err)
	}
	page.Tally = newTallyLine(tally)
	if page.Children, err = u.childTallies(ctx, page.Area); err != nil {
		return err
	}
	if page.Posts, err = u.DualPosts.DualPosts(ctx, under, 0); err != nil {
		return fmt.Errorf("web: dual posts: %w", err)
	}
	if page.More = len(page.Posts) > dualPostLimit; page.More {
		page.Posts = page.Posts[:dualPostLimit]
	}
	if !page.CanManage {
		return nil
	}
	if page.Villages, err = u.villageChoices(ctx, page.Area); err != nil {
		return err
	}
	page.Officers, err = u.officerChoices(ctx, under)
	return err
}

// childTallies returns the dual post tally of each child of an area that
// has villages, in the order of the children.
func (u *ui) childTallies(ctx context.Context, area *cunjing.AreaDetail) ([]childTally, error) {
	if area.Level == cunjing.LevelVillage {
		return nil, nil
	}
	byChild, err := u.DualPosts.DualPostsByChild(ctx, area.Code)
	if err != nil {
		return nil, fmt.Errorf("web: dual posts by child: %w", err)
	}
	children, err := u.Areas.ChildAreas(ctx, area.Code)
	if err != nil {
		return nil, fmt.Errorf("web: dual posts by child: %w", err)
	}
	var out []childTally
	for _, c := range children {
		if t, ok := byChild[c.Code]; ok {
			out = append(out, childTally{Area: c.Area, Tally: newTallyLine(t)})
		}
	}
	return out, nil
}

// villageChoices lists the villages and communities of an area (the area
// itself when it is one), up to a page.
func (u *ui) villageChoices(ctx context.Context, area *cunjing.AreaDetail) ([]cunjing.Area, error) {
	if area.Level == cunjing.LevelVillage {
		return []cunjing.Area{area.Area}, nil
	}
	villages, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Under: area.Code, Level: cunjing.LevelVillage,
		Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, fmt.Errorf("web: villages: %w", err)
	}
	return villages, nil
}

// officerChoices lists the active officers of the stations serving areas
// under code, by station; nil when there are more than maxOfficerStations.
func (u *ui) officerChoices(ctx context.Context, code string) ([]staffGroup, error) {
	stations, _, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Within: code, Kind: cunjing.UnitStation,
		Page: cunjing.Page{Limit: maxOfficerStations + 1}})
	if err != nil {
		return nil, fmt.Errorf("web: stations in %s: %w", code, err)
	}
	if len(stations) > maxOfficerStations {
		return nil, nil
	}
	if len(stations) == 0 {
		if stations, _, err = u.Units.FindUnits(ctx, cunjing.UnitFilter{Area: code, Kind: cunjing.UnitStation}); err != nil {
			return nil, fmt.Errorf("web: stations of %s: %w", code, err)
		}
	}
	groups := []staffGroup{}
	for _, st := range stations {
		officers, _, err := u.Staff.FindStaff(ctx, cunjing.StaffFilter{Unit: st.Code, Kind: cunjing.StaffOfficer,
			Status: cunjing.StaffActive, Page: cunjing.Page{Limit: maxStaffChoices}})
		if err != nil {
			return nil, fmt.Errorf("web: officers of %s: %w", st.Code, err)
		}
		if len(officers) > 0 {
			groups = append(groups, staffGroup{UnitName: st.Name, Staff: officers})
		}
	}
	return groups, nil
}

// addDualPost records a dual post and goes back to the list of the area
// it was added from.
func (u *ui) addDualPost(w http.ResponseWriter, r *http.Request) {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	under := field("under")
	form := dualPostForm{AreaCode: field("area_code"), Post: cunjing.DualPostKind(field("post")), AppointedOn: field("appointed_on"),
		DocumentNo: field("document_no")}
	form.StaffID, _ = strconv.ParseInt(field("staff_id"), 10, 64)
	appointed, err := cunjing.ParseDate(form.AppointedOn)
	if err == nil {
		_, err = u.DualPosts.AddDualPost(r.Context(), cunjing.DualPost{StaffID: form.StaffID, AreaCode: form.AreaCode, Post: form.Post,
			AppointedOn: appointed, DocumentNo: form.DocumentNo})
	} else {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "bad date", Fields: map[string]string{"appointed_on": "not a date"}}
	}
	u.dualPostChanged(w, r, under, form, "added", err)
}

// endDualPost ends a held dual post on the day given.
func (u *ui) endDualPost(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	under := strings.TrimSpace(r.PostFormValue("under"))
	end, err := cunjing.ParseDate(strings.TrimSpace(r.PostFormValue("ended_on")))
	if err == nil {
		err = u.DualPosts.EndDualPost(r.Context(), id, end)
	} else {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "bad date", Fields: map[string]string{"ended_on": "not a date"}}
	}
	u.dualPostChanged(w, r, under, dualPostForm{EndID: id}, "ended", err)
}

// dualPostChanged goes back to the list after a change; a refused change
// shows the list again with why. A post or area out of scope is not found.
func (u *ui) dualPostChanged(w http.ResponseWriter, r *http.Request, under string, form dualPostForm, done string, err error) {
	var e *cunjing.Error
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict}[cunjing.ErrorCode(err)]
	switch {
	case err == nil:
		http.Redirect(w, r, "/dual-posts?"+url.Values{"under": {under}, "done": {done}}.Encode(), http.StatusSeeOther)
	case status != 0 && errors.As(err, &e):
		form.Error, form.Fields = e.Code, e.Fields
		u.showDualPosts(w, r, status, under, form)
	default:
		u.fail(w, r, err)
	}
}
