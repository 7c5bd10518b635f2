package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing"
)

// maxStaffChoices bounds the staff one covering unit offers on the posts
// page.
const maxStaffChoices = cunjing.MaxPageLimit

// postsPage is the page of an area's posts: who holds them, the history,
// the form that assigns someone and the answer to "who was it on day D".
type postsPage struct {
	*cunjing.AreaDetail
	HasPosts  bool        // the area is a village, community, grid or venue
	Current   []roleGroup // posts in force, by role
	History   []cunjing.Assignment
	Choices   []staffGroup // active staff of the units covering the area
	Roles     []cunjing.PostRole
	Today     string
	CanManage bool
	Form      assignForm
	On        onAnswer
	Done      string // assigned, ended or created after a successful change
}

// roleGroup is the posts of one role.
type roleGroup struct {
	Role  cunjing.PostRole
	Posts []cunjing.Assignment
}

// staffGroup is the staff of one unit offered for a post.
type staffGroup struct {
	UnitName string
	Staff    []cunjing.Staff
}

// assignForm is the assignment form as last sent, with the code of what
// was wrong (see assignError) and, for a refused end, the post it was for.
type assignForm struct {
	StaffID int64
	Role    cunjing.PostRole
	Start   string
	Replace bool
	Note    string
	Error   string
	EndID   int64
}

// onAnswer answers "who held the posts on day Day".
type onAnswer struct {
	Day    string
	Asked  bool
	Bad    bool // Day is not a date
	Groups []roleGroup
}

// posts shows an area's posts; ?on=YYYY-MM-DD adds who held them that day.
func (u *ui) posts(w http.ResponseWriter, r *http.Request) {
	u.showPosts(w, r, http.StatusOK, assignForm{})
}

// showPosts renders the posts page of the path's area with form as last
// sent.
func (u *ui) showPosts(w http.ResponseWriter, r *http.Request, status int, form assignForm) {
	page, err := u.postsPage(r, form)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "posts", page)
}

func (u *ui) postsPage(r *http.Request, form assignForm) (*postsPage, error) {
	ctx, code := r.Context(), r.PathValue("code")
	detail, err := u.Areas.AreaDetail(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("web: posts: %w", err)
	}
	history, _, err := u.Assignments.FindAssignments(ctx, cunjing.AssignmentFilter{Area: code, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, fmt.Errorf("web: posts: %w", err)
	}
	sortPosts(history)
	today := cunjing.DateOf(time.Now()).String()
	if form.Start == "" {
		form.Start = today
	}
	if form.Role == "" {
		form.Role = defaultRole(detail.Area)
	}
	page := &postsPage{AreaDetail: detail, HasPosts: holdsPosts(detail.Level), History: history, Roles: cunjing.PostRoles,
		Today: today, CanManage: canManageStaff(r), Form: form, Done: r.URL.Query().Get("done")}
	page.Current = byRole(slices.DeleteFunc(slices.Clone(history), func(a cunjing.Assignment) bool { return !a.Open() }))
	if page.On, err = u.answerOn(ctx, code, r.URL.Query().Get("on")); err != nil {
		return nil, err
	}
	if page.HasPosts && page.CanManage {
		if page.Choices, err = u.staffChoices(ctx, code); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// holdsPosts reports whether areas of the level have posts.
func holdsPosts(l cunjing.Level) bool {
	return l == cunjing.LevelVillage || l == cunjing.LevelGrid || l == cunjing.LevelVenue
}

// defaultRole is the role the assignment form offers first: the community
// officer in communities and their grids, the responsible officer elsewhere.
func defaultRole(a cunjing.Area) cunjing.PostRole {
	if a.Kind == cunjing.KindCommunity || a.Level == cunjing.LevelGrid {
		return cunjing.PostCommunity
	}
	return cunjing.PostResponsible
}

// answerOn lists who held the posts of an area on day ("" asks nothing).
func (u *ui) answerOn(ctx context.Context, code, day string) (onAnswer, error) {
	ans := onAnswer{Day: strings.TrimSpace(day)}
	if ans.Day == "" {
		return ans, nil
	}
	ans.Asked = true
	d, err := cunjing.ParseDate(ans.Day)
	if err != nil {
		ans.Bad = true
		return ans, nil
	}
	held, _, err := u.Assignments.FindAssignments(ctx, cunjing.AssignmentFilter{Area: code, On: d, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return ans, fmt.Errorf("web: posts on %s: %w", d, err)
	}
	ans.Groups = byRole(held)
	return ans, nil
}

// staffChoices lists the active staff of the stations covering an area
// (with the units below them), or of every covering unit where no station
// covers it, grouped by unit.
func (u *ui) staffChoices(ctx context.Context, code string) ([]staffGroup, error) {
	covering, _, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Area: code, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, fmt.Errorf("web: units covering %s: %w", code, err)
	}
	if stations := slices.DeleteFunc(slices.Clone(covering), func(x cunjing.Unit) bool { return x.Kind != cunjing.UnitStation }); len(stations) > 0 {
		covering = stations
	}
	var groups []staffGroup
	seen := map[int64]bool{}
	for _, unit := range covering {
		staff, _, err := u.Staff.FindStaff(ctx, cunjing.StaffFilter{Unit: unit.Code, Status: cunjing.StaffActive,
			Page: cunjing.Page{Limit: maxStaffChoices}})
		if err != nil {
			return nil, fmt.Errorf("web: staff of %s: %w", unit.Code, err)
		}
		for _, m := range staff {
			if seen[m.ID] {
				continue
			}
			seen[m.ID] = true
			if len(groups) == 0 || groups[len(groups)-1].UnitName != m.UnitName {
				groups = append(groups, staffGroup{UnitName: m.UnitName})
			}
			groups[len(groups)-1].Staff = append(groups[len(groups)-1].Staff, m)
		}
	}
	return groups, nil
}

// byRole groups posts by role, in the order of cunjing.PostRoles.
func byRole(posts []cunjing.Assignment) []roleGroup {
	var groups []roleGroup
	for _, role := range cunjing.PostRoles {
		g := roleGroup{Role: role}
		for _, a := range posts {
			if a.Role == role {
				g.Posts = append(g.Posts, a)
			}
		}
		if len(g.Posts) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// sortPosts orders posts by start, newest first.
func sortPosts(posts []cunjing.Assignment) {
	slices.SortStableFunc(posts, func(a, b cunjing.Assignment) int {
		if c := strings.Compare(b.Start.String(), a.Start.String()); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
}

// assign records the assignment sent by the form and goes back to the
// page; a refusal is explained on the page, with the form as sent.
func (u *ui) assign(w http.ResponseWriter, r *http.Request) {
	form := assignForm{Role: cunjing.PostRole(r.PostFormValue("role")), Start: strings.TrimSpace(r.PostFormValue("start")),
		Replace: r.PostFormValue("replace") != "", Note: strings.TrimSpace(r.PostFormValue("note"))}
	form.StaffID, _ = strconv.ParseInt(r.PostFormValue("staff_id"), 10, 64)
	start, err := cunjing.ParseDate(form.Start)
	if err == nil {
		_, err = u.Assignments.Assign(r.Context(), cunjing.AssignRequest{StaffID: form.StaffID, AreaCode: r.PathValue("code"),
			Role: form.Role, Start: start, Replace: form.Replace, Note: form.Note})
	}
	if err != nil {
		u.postFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, postsPath(r.PathValue("code"))+"?done=assigned", http.StatusSeeOther)
}

// endPost ends an open post of the area on the day sent (today by
// default) and goes back to the page.
func (u *ui) endPost(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	open, _, err := u.Assignments.FindAssignments(r.Context(), cunjing.AssignmentFilter{Area: code, Open: true,
		Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(open, func(a cunjing.Assignment) bool { return a.ID == id }) {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	day := strings.TrimSpace(r.PostFormValue("end"))
	if day == "" {
		day = cunjing.DateOf(time.Now()).String()
	}
	end, err := cunjing.ParseDate(day)
	if err == nil {
		err = u.Assignments.EndAssignment(r.Context(), id, end)
	}
	if err != nil {
		u.postFailed(w, r, assignForm{EndID: id}, err)
		return
	}
	http.Redirect(w, r, postsPath(code)+"?done=ended", http.StatusSeeOther)
}

// postFailed shows the posts page with what was wrong with an assignment
// or an end; an error that is no refusal gets its error page.
func (u *ui) postFailed(w http.ResponseWriter, r *http.Request, form assignForm, err error) {
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict,
		cunjing.ENotFound: http.StatusNotFound}[cunjing.ErrorCode(err)]
	if status == 0 {
		u.fail(w, r, err)
		return
	}
	form.Error = assignError(form, err)
	u.showPosts(w, r, status, form)
}

// assignError names what was wrong with a refused assignment or end, for
// the page to explain.
func assignError(form assignForm, err error) string {
	var e *cunjing.Error
	errors.As(err, &e)
	fields := map[string]string{}
	if e != nil && e.Fields != nil {
		fields = e.Fields
	}
	switch code := cunjing.ErrorCode(err); {
	case form.EndID != 0 && code == cunjing.EConflict:
		return "ended"
	case form.EndID != 0:
		return "end"
	case code == cunjing.ENotFound:
		return "staff_not_found"
	case code == cunjing.EConflict && fields["role"] != "":
		return "filled"
	case code == cunjing.EConflict && fields["start"] != "":
		return "overlap"
	case code == cunjing.EConflict:
		return "holds"
	case fields["staff_id"] != "" && form.StaffID == 0:
		return "no_staff"
	case fields["staff_id"] != "":
		return "inactive"
	case fields["role"] != "":
		return "kind"
	case fields["area_code"] != "":
		return "area"
	}
	return "start"
}

// postsPath is the posts page of an area: where the coverage report sends
// a user to fix an assignment.
func postsPath(code string) string {
	return "/areas/" + code + "/posts"
}

// newAreaForm is the form on an area's page that adds a grid or a venue,
// as last sent, with the field that was wrong.
type newAreaForm struct {
	Level     cunjing.Level
	Name      string
	VenueType cunjing.VenueType
	Lng, Lat  string
	Datum     string
	Error     string // name, venue_type, location or parent
}

// createGrid adds an urban grid to the path's community.
func (u *ui) createGrid(w http.ResponseWriter, r *http.Request) {
	u.createSubArea(w, r, cunjing.LevelGrid)
}

// createVenue adds a venue under the path's area.
func (u *ui) createVenue(w http.ResponseWriter, r *http.Request) {
	u.createSubArea(w, r, cunjing.LevelVenue)
}

// createSubArea adds a grid or a venue and goes to its posts page; a
// refusal is explained on the parent's page.
func (u *ui) createSubArea(w http.ResponseWriter, r *http.Request, level cunjing.Level) {
	code := r.PathValue("code")
	form := newAreaForm{Level: level, Name: strings.TrimSpace(r.PostFormValue("name")), VenueType: cunjing.VenueType(r.PostFormValue("venue_type")),
		Lng: strings.TrimSpace(r.PostFormValue("lng")), Lat: strings.TrimSpace(r.PostFormValue("lat")), Datum: r.PostFormValue("datum")}
	n := cunjing.NewArea{ParentCode: code, Level: level, Name: form.Name, VenueType: form.VenueType}
	var err error
	if form.Lng != "" || form.Lat != "" {
		n.Location, err = parsePoint(form)
	}
	var area *cunjing.Area
	if err == nil {
		area, err = u.Areas.CreateArea(r.Context(), n)
	}
	if err != nil {
		u.newAreaFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, postsPath(area.Code)+"?done=created", http.StatusSeeOther)
}

// parsePoint reads the coordinates of the new-area form.
func parsePoint(form newAreaForm) (*cunjing.Point, error) {
	lng, err1 := strconv.ParseFloat(form.Lng, 64)
	lat, err2 := strconv.ParseFloat(form.Lat, 64)
	if err1 != nil || err2 != nil {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "bad coordinates", Fields: map[string]string{"location": "not numbers"}}
	}
	return &cunjing.Point{Lng: lng, Lat: lat, Datum: form.Datum}, nil
}

// newAreaFailed shows the parent's page again with what was wrong.
func (u *ui) newAreaFailed(w http.ResponseWriter, r *http.Request, form newAreaForm, err error) {
	var e *cunjing.Error
	if cunjing.ErrorCode(err) != cunjing.EInvalid || !errors.As(err, &e) {
		u.fail(w, r, err)
		return
	}
	for _, field := range []string{"name", "venue_type", "location", "parent_code"} {
		if e.Fields[field] != "" {
			form.Error = field
			break
		}
	}
	page, err := u.areaPage(r.Context(), r.PathValue("code"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.NewArea = form
	u.render(w, r, http.StatusBadRequest, "area", page)
}
