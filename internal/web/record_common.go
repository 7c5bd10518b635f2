package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/auth"
)

// writeData is the policy of the pages that collect basic information.
var writeData = auth.Allow(cunjing.PermWriteData)

// recordFuncs are the template functions of the basic-information pages:
// the vocabulary of residents, houses, orgs, visits and review.
func recordFuncs(tr translator) template.FuncMap {
	return template.FuncMap{
		"category":       func(c cunjing.ResidentCategory) string { return tr.labelOr("category.", string(c)) },
		"leftBehind":     func(l cunjing.LeftBehind) string { return tr.labelOr("leftbehind.", string(l)) },
		"relation":       func(r cunjing.Relation) string { return tr.labelOr("relation.", string(r)) },
		"residentStatus": func(s cunjing.ResidentStatus) string { return tr.labelOr("residentstatus.", string(s)) },
		"docKind":        func(d cunjing.DocKind) string { return tr.labelOr("dockind.", string(d)) },
		"sex":            func(s string) string { return tr.labelOr("sex.", s) },
		"houseUse":       func(u cunjing.HouseUse) string { return tr.labelOr("houseuse.", string(u)) },
		"orgType":        func(o cunjing.OrgType) string { return tr.labelOr("orgtype.", string(o)) },
		"visitKind":      func(k cunjing.VisitKind) string { return tr.labelOr("visitkind.", string(k)) },
		"visitTarget":    func(k cunjing.VisitTarget) string { return tr.labelOr("visittarget.", string(k)) },
		"collectState":   func(s cunjing.CollectState) string { return tr.labelOr("collectstate.", string(s)) },
		"recordKind":     func(k cunjing.RecordKind) string { return tr.labelOr("recordkind.", string(k)) },
		"fieldLabel":     func(f string) string { return tr.labelOr("field.", f) },
		"changeValue": func(field, value string) string {
			if prefix, ok := valueLabels[field]; ok && value != "" {
				return tr.labelOr(prefix, value)
			}
			return value
		},
		"when":           when,
		"pct":            func(n, d int) string { return pct(tr, n, d) },
		"categories":     func() []cunjing.ResidentCategory { return cunjing.ResidentCategories },
		"leftBehinds":    func() []cunjing.LeftBehind { return cunjing.LeftBehinds },
		"relations":      func() []cunjing.Relation { return cunjing.Relations },
		"houseUses":      func() []cunjing.HouseUse { return cunjing.HouseUses },
		"orgTypes":       func() []cunjing.OrgType { return cunjing.OrgTypes },
		"visitKinds":     func() []cunjing.VisitKind { return cunjing.VisitKinds },
		"statuses":       func() []cunjing.ResidentStatus { return cunjing.ResidentStatuses },
		"coord":          func(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) },
		"list":           func(items ...string) []string { return items },
		"addressPart":    addressPart,
		"idField":        func(key, value, problem string) idField { return idField{key, value, problem} },
		"memberTemplate": memberTemplate,
		"recordPath":     recordPath,
		"today":          func() string { return today().String() },
	}
}

// recordPath is the page of a record.
func recordPath(kind cunjing.RecordKind, id int64) string {
	switch kind {
	case cunjing.RecordAddress:
		return fmt.Sprintf("/addresses/%d", id)
	case cunjing.RecordResident:
		return fmt.Sprintf("/residents/%d", id)
	case cunjing.RecordHousehold:
		return fmt.Sprintf("/households/%d", id)
	case cunjing.RecordHouse:
		return fmt.Sprintf("/houses/%d", id)
	}
	return fmt.Sprintf("/orgs/%d", id)
}

// idField is an ID-number field of a form: the prefix of its element IDs,
// its value and what is wrong with it.
type idField struct {
	ID, Value, Problem string
}

// addressPart returns one part of an address by its field name.
func addressPart(a cunjing.StdAddress, field string) string {
	switch field {
	case "street":
		return a.Street
	case "house_number":
		return a.HouseNumber
	case "building":
		return a.Building
	case "entrance":
		return a.Entrance
	case "room":
		return a.Room
	}
	return ""
}

// valueLabels are the message prefixes of the fields whose values are
// words of the vocabulary: the history shows "在住 → 迁出", not codes.
var valueLabels = map[string]string{"relation": "relation.", "doc_kind": "dockind.", "sex": "sex.", "category": "category.",
	"left_behind": "leftbehind.", "status": "residentstatus.", "use": "houseuse.", "type": "orgtype.", "state": "collectstate."}

// when shows an instant to the minute in Shanghai, "" for none.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cunjing.Shanghai).Format("2006-01-02 15:04")
}

// pct is n of d as a whole percentage, "–" when d is 0.
func pct(tr translator, n, d int) string {
	if d == 0 {
		return "–"
	}
	return tr.printer.Sprintf("%d%%", (n*100+d/2)/d)
}

// recordKeys are the message key prefixes of the vocabulary above, each
// with the values it takes: the catalogues hold one message per pair.
func recordKeys() map[string][]string {
	return map[string][]string{
		"category.":       strs(cunjing.ResidentCategories),
		"leftbehind.":     strs(cunjing.LeftBehinds[1:]),
		"relation.":       strs(cunjing.Relations),
		"residentstatus.": strs(cunjing.ResidentStatuses),
		"dockind.":        {string(cunjing.DocIDCard), string(cunjing.DocPassport)},
		"sex.":            {"M", "F"},
		"houseuse.":       strs(cunjing.HouseUses),
		"orgtype.":        strs(cunjing.OrgTypes),
		"visitkind.":      strs(cunjing.VisitKinds),
		"visittarget.":    strs(cunjing.VisitTargets),
		"collectstate.":   strs(cunjing.CollectStates),
		"recordkind.":     strs(slices.Concat(cunjing.RecordKinds, []cunjing.RecordKind{cunjing.RecordHousehold})),
		"field.":          recordFields,
	}
}

// recordFields are the fields of the records whose names the pages show:
// in the field-level history and in the errors of the forms.
var recordFields = []string{"area_code", "address_id", "household_id", "relation", "doc_kind", "id_number", "name", "sex",
	"birth_date", "native_place", "phone", "category", "left_behind", "status", "note", "street", "house_number", "building",
	"entrance", "room", "location", "owner", "owner_resident", "owner_org", "use", "floor_area", "credit_code", "type",
	"legal_rep", "security_contact", "contact_phone", "staff_count", "kind", "target", "target_id", "date", "content",
	"problems", "number", "state", "reason", "address", "start", "end", "tenant_id", "photo", "resolution"}

func strs[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// fieldProblem explains what is wrong with one field of a refused record,
// in words that name the field. The ID number and the name get the precise
// reason the domain found; the others say what the field must hold.
type fieldProblem struct {
	pattern *regexp.Regexp // matches the domain's message; nil: any
	key     string
}

// fieldProblems are the explanations of each field, tried in order.
var fieldProblems = map[string][]fieldProblem{
	"id_number": {
		{regexp.MustCompile(`^must have 18 characters, has (\d+)`), "problem.id_number.length"},
		{regexp.MustCompile(`^must be 17 digits`), "problem.id_number.chars"},
		{regexp.MustCompile(`^region code (\d+) is no province`), "problem.id_number.region"},
		{regexp.MustCompile(`^birth date (\S+) is not a date`), "problem.id_number.date"},
		{regexp.MustCompile(`^birth date (\S+) lies in the future`), "problem.id_number.future"},
		{regexp.MustCompile(`^check character is (.), the digits give (.)`), "problem.id_number.check"},
		{regexp.MustCompile(`^a passport`), "problem.id_number.passport"},
		{nil, "problem.id_number"},
	},
	"name": {
		{regexp.MustCompile(`^is empty`), "problem.name.empty"},
		{regexp.MustCompile(`invisible or control`), "problem.name.hidden"},
		{regexp.MustCompile(`^has (\d+) characters`), "problem.name.long"},
		{regexp.MustCompile(`middle dot`), "problem.name.dot"},
		{nil, "problem.name"},
	},
	"phone":            {{nil, "problem.phone"}},
	"contact_phone":    {{nil, "problem.phone"}},
	"sex":              {{nil, "problem.sex"}},
	"birth_date":       {{nil, "problem.birth_date"}},
	"street":           {{nil, "problem.street"}},
	"credit_code":      {{nil, "problem.credit_code"}},
	"floor_area":       {{nil, "problem.floor_area"}},
	"staff_count":      {{nil, "problem.staff_count"}},
	"location":         {{nil, "problem.location"}},
	"date":             {{nil, "problem.date"}},
	"content":          {{nil, "problem.content"}},
	"legal_rep":        {{nil, "problem.person"}},
	"security_contact": {{nil, "problem.person"}},
	"owner":            {{nil, "problem.owner"}},
	"start":            {{nil, "problem.start"}},
	"end":              {{nil, "problem.end"}},
	"tenant_id":        {{nil, "problem.tenant"}},
	"reason":           {{nil, "problem.reason"}},
	"resolution":       {{nil, "problem.resolution"}},
	"photo":            {{nil, "problem.photo"}},
	"number":           {{nil, "problem.number"}},
	"item":             {{nil, "problem.item"}},
}

// recordGoKeys lists the message keys the Go code of these pages names: the
// explanations of problems and the labels it composes.
func recordGoKeys() []string {
	keys := []string{"visit_form.household_of", "problem.field", "problem.taken", "problem.conflict", "problem.org_name", "problem.id_number.twice", "problem.id_number.here",
		"problem.street.here", "problem.credit_code.here"}
	for _, list := range fieldProblems {
		for _, p := range list {
			keys = append(keys, p.key)
		}
	}
	return keys
}

// explain translates the problem the domain found with a field: "身份证号码
// 的校验位是 1，按前 17 位应为 X：有一位输错了".
func (tr translator) explain(field, why string) string {
	for _, p := range fieldProblems[field] {
		if p.pattern == nil {
			return tr.must(p.key)
		}
		if m := p.pattern.FindStringSubmatch(why); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return tr.mustf(p.key, args...)
		}
	}
	return tr.mustf("problem.field", tr.labelOr("field.", field))
}

// must is t for keys the Go code names: a missing key is a bug the tests
// catch, shown as the key.
func (tr translator) must(key string) string {
	text, err := tr.t(key)
	if err != nil {
		return key
	}
	return text
}

func (tr translator) mustf(key string, args ...any) string {
	return tr.printer.Sprintf(tr.must(key), args...)
}

// formErrors is what a refused form shows: the code of the error, a
// message per field, and a notice above the form.
type formErrors struct {
	Code   string
	Fields map[string]string // field → translated explanation
	Notice string            // translated, above the form; "" for the generic one
	// Existing is the page of the record in scope that a field clashes
	// with; Elsewhere says that the person is registered outside the
	// scope, which the store has reported to both sides as a conflict.
	Existing  string
	Elsewhere bool
}

// Any reports whether the form was refused.
func (f formErrors) Any() bool { return f.Code != "" }

// Of returns the explanation of a field, "" when it is fine.
func (f formErrors) Of(field string) string { return f.Fields[field] }

// refusal reads the error of a refused write into form errors; ok is false
// for an error that is no fault of the form (it gets an error page).
func (u *ui) refusal(r *http.Request, err error) (formErrors, int, bool) {
	var item *cunjing.ItemError
	if errors.As(err, &item) {
		err = item.Err
	}
	var e *cunjing.Error
	if !errors.As(err, &e) {
		return formErrors{}, 0, false
	}
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict}[e.Code]
	if status == 0 {
		return formErrors{}, 0, false
	}
	tr := u.tr[langFrom(r.Context())]
	f := formErrors{Code: e.Code, Fields: map[string]string{}}
	for field, why := range e.Fields {
		if e.Code == cunjing.EConflict {
			f.Fields[field] = f.conflict(tr, field, why)
			continue
		}
		f.Fields[field] = tr.explain(field, why)
	}
	return f, status, true
}

// heldAs reads the record a clash names, as the store words it:
// "already registered as resident 12", "… as address 3", "… to org 5".
var heldAs = regexp.MustCompile(`(resident|address|org) (\d+)`)

// heldElsewhere is the store's word for a person registered outside the
// caller's scope.
var heldElsewhere = regexp.MustCompile(`another jurisdiction`)

// clashes are the explanations of fields that clash with a record
// registered already, by field, and the page of that record.
var clashes = map[string]struct{ key, path string }{
	"id_number":   {"problem.id_number.here", "/residents/"},
	"street":      {"problem.street.here", "/addresses/"},
	"credit_code": {"problem.credit_code.here", "/orgs/"},
}

// conflict explains a field that clashes with a record registered
// already, linking that record when it is in scope; for an ID number
// registered outside the scope it says that both sides were told.
func (f *formErrors) conflict(tr translator, field, why string) string {
	if field == "id_number" && heldElsewhere.MatchString(why) {
		f.Elsewhere = true
		return tr.must("problem.conflict")
	}
	if c, ok := clashes[field]; ok {
		if m := heldAs.FindStringSubmatch(why); m != nil {
			f.Existing = c.path + m[2]
			return tr.mustf(c.key, m[2])
		}
	}
	return tr.mustf("problem.taken", tr.labelOr("field.", field))
}

// localPath returns back if it is a path on this site, else fallback:
// forms name the page to return to, and nothing may lead off the site.
func localPath(back, fallback string) string {
	if strings.HasPrefix(back, "/") && !strings.HasPrefix(back, "//") && !strings.HasPrefix(back, "/\\") {
		return back
	}
	return fallback
}

// recordTrail is what every record page shows below the record: who
// collected it and how the review stands, the field-level history, and for
// a reviewer the form that verifies or returns it.
type recordTrail struct {
	Kind       cunjing.RecordKind
	ID         int64
	Collection cunjing.Collection
	History    []cunjing.Change
	CanReview  bool
	Back       string // the record's page, where a review returns to
	Reviewed   string // verified or returned, just now
	Refused    string // the field a refused review lacked: reason or item
}

// trail loads the history of a record for its page.
func (u *ui) trail(r *http.Request, kind cunjing.RecordKind, id int64, c cunjing.Collection) (recordTrail, error) {
	history, err := u.Reviews.History(r.Context(), kind, id)
	if err != nil {
		return recordTrail{}, fmt.Errorf("web: history of %s %d: %w", kind, id, err)
	}
	q := r.URL.Query()
	t := recordTrail{Kind: kind, ID: id, Collection: c, History: history, CanReview: canManageStaff(r),
		Back: r.URL.Path, Refused: q.Get("review_error")}
	if done := q.Get("done"); done == "verified" || done == "returned" {
		t.Reviewed = done
	}
	return t, nil
}

// canWrite reports whether the caller collects basic information.
func canWrite(r *http.Request) bool {
	return cunjing.IdentityFrom(r.Context()).Role.Can(cunjing.PermWriteData)
}

// seesPersonal reports whether the caller reads ID numbers and phones in
// full on a record's page.
func seesPersonal(r *http.Request) bool {
	return cunjing.IdentityFrom(r.Context()).Role.SeesPersonalData()
}

// today is the day in Shanghai.
func today() cunjing.Date { return cunjing.DateOf(time.Now()) }

// formValue reads a trimmed field of a posted form.
func formValue(r *http.Request, name string) string {
	return strings.TrimSpace(r.PostFormValue(name))
}

// formID reads a positive ID from a posted field, 0 when absent or bad.
func formID(r *http.Request, name string) int64 {
	id, err := strconv.ParseInt(formValue(r, name), 10, 64)
	if err != nil || id < 0 {
		return 0
	}
	return id
}
