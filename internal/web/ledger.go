package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"cunjing"
	"cunjing/internal/importer"
)

// Bounds of the ledger: visits on one screen page, and in the print view,
// which beyond that says to export the month instead.
const (
	ledgerLimit      = 200
	ledgerPrintLimit = 2000
)

// ledgerPage is the work ledger (工作台账) of one month: of an officer, or
// of an area (the whole scope when no area is chosen). It shows the counts
// by kind at the top, then the visits by day.
type ledgerPage struct {
	Month       string // YYYY-MM
	MonthTime   time.Time
	Prev, Next  string // the ledger of the months before and after
	Officer     string // the account whose ledger it is, "" for an area's
	OfficerName string
	Own         bool                // the caller's own ledger
	Area        *cunjing.AreaDetail // nil: the whole scope
	Tops        []cunjing.Area
	Children    []cunjing.Area
	Officers    []cunjing.Staff // officers to choose; nil: type the account
	Counts      []cunjing.LedgerCount
	Total       int
	Days        []ledgerDay
	Names       map[string]string
	MorePage    string // the next page of visits
	FirstPage   string
	Cut         bool   // the print view holds only the first ledgerPrintLimit visits
	Here        string // this month's ledger, its print view and its export
	Print       string
	Export      string
	Printed     string // when the print view was made
}

// ledgerDay is the visits of one day.
type ledgerDay struct {
	Date   cunjing.Date
	Visits []cunjing.Visit
}

// Place is the short name of the area a visit took place in, or its code.
func (p ledgerPage) Place(code string) string {
	if name, ok := p.Names[code]; ok {
		return name
	}
	return code
}

// ledgerRow is a visit as the printed ledger numbers it.
type ledgerRow struct {
	N int
	cunjing.Visit
}

// Rows numbers the visits of the page, in order.
func (p ledgerPage) Rows() []ledgerRow {
	var rows []ledgerRow
	for _, d := range p.Days {
		for _, v := range d.Visits {
			rows = append(rows, ledgerRow{N: len(rows) + 1, Visit: v})
		}
	}
	return rows
}

// Year and MonthNumber spell the month of the ledger; the year is text,
// which the catalogues' printer does not group as a number (2,026).
func (p ledgerPage) Year() string { return strconv.Itoa(p.MonthTime.Year()) }

// MonthNumber: see Year.
func (p ledgerPage) MonthNumber() int { return int(p.MonthTime.Month()) }

// OfficerListed reports whether the officer of the ledger is one of those
// offered to choose.
func (p ledgerPage) OfficerListed() bool {
	for _, s := range p.Officers {
		if s.Username == p.Officer {
			return true
		}
	}
	return false
}

// Link is the ledger of the same month and officer under code.
func (p ledgerPage) Link(code string) string {
	return "/ledger?" + ledgerParams(p.Officer, code, p.Month).Encode()
}

// ledgerParams is the query of a ledger. The officer is always named, if
// only as empty, so that a link to an area's ledger does not fall back to
// the caller's own.
func ledgerParams(officer, under, month string) url.Values {
	q := url.Values{"officer": {officer}, "month": {month}}
	if under != "" {
		q.Set("under", under)
	}
	return q
}

// ledgerRequest reads the ledger a request asks for: ?month= (this month
// by default), ?officer= and ?under=. Without ?officer= an officer or
// auxiliary gets his own ledger; anyone else, the area's. ok is false for a
// month or an officer that cannot be read.
func ledgerRequest(r *http.Request) (cunjing.LedgerFilter, bool) {
	q := r.URL.Query()
	f := cunjing.LedgerFilter{Month: q.Get("month"), Under: q.Get("under"), Officer: searchField(r, "officer")}
	if f.Month == "" {
		f.Month = time.Now().In(cunjing.Shanghai).Format("2006-01")
	}
	if _, err := time.Parse("2006-01", f.Month); err != nil {
		return f, false
	}
	id := cunjing.IdentityFrom(r.Context())
	if _, named := q["officer"]; !named && (id.Role == cunjing.RoleOfficer || id.Role == cunjing.RoleAuxiliary) {
		f.Officer = id.Username
	}
	return f, true
}

// ledger shows a month of the ledger, one page of its visits at a time.
func (u *ui) ledger(w http.ResponseWriter, r *http.Request) {
	f, ok := ledgerRequest(r)
	if !ok {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	page, err := u.ledgerPage(r, f, r.URL.Query().Get("cursor"), ledgerLimit)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "ledger", page)
}

// ledgerPrint shows a month of the ledger whole, as a table for A4 paper.
func (u *ui) ledgerPrint(w http.ResponseWriter, r *http.Request) {
	f, ok := ledgerRequest(r)
	if !ok {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	page, err := u.ledgerPage(r, f, "", ledgerPrintLimit)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Cut, page.MorePage = page.MorePage != "", ""
	page.Printed = time.Now().In(cunjing.Shanghai).Format("2006-01-02 15:04")
	u.render(w, r, http.StatusOK, "ledger_print", page)
}

// exportLedger answers GET /ledger/export.xlsx with the month as a
// workbook — the same one the API exports — once the export is audited.
func (u *ui) exportLedger(w http.ResponseWriter, r *http.Request) {
	f, ok := ledgerRequest(r)
	if !ok {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if f.Under != "" {
		if _, err := u.Areas.AreaDetail(r.Context(), f.Under); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	sheet, err := importer.LedgerSheet(r.Context(), u.Visits, f)
	if err != nil {
		u.fail(w, r, fmt.Errorf("web: ledger export: %w", err))
		return
	}
	u.sendSheet(w, r, sheet, "ledger", importer.LedgerObject(f))
}

// ledgerPage reads the counts and up to limit visits of the ledger f from
// cursor on, with what the page offers to choose from.
func (u *ui) ledgerPage(r *http.Request, f cunjing.LedgerFilter, cursor string, limit int) (*ledgerPage, error) {
	ctx := r.Context()
	month, _ := time.ParseInLocation("2006-01", f.Month, cunjing.Shanghai)
	page := &ledgerPage{Month: f.Month, MonthTime: month, Officer: f.Officer, OfficerName: f.Officer,
		Own: f.Officer == cunjing.IdentityFrom(ctx).Username}
	if err := u.ledgerArea(ctx, page, &f); err != nil {
		return nil, err
	}
	page.Prev = "/ledger?" + ledgerParams(f.Officer, f.Under, month.AddDate(0, -1, 0).Format("2006-01")).Encode()
	page.Next = "/ledger?" + ledgerParams(f.Officer, f.Under, month.AddDate(0, 1, 0).Format("2006-01")).Encode()
	query := ledgerParams(f.Officer, f.Under, f.Month).Encode()
	page.Here, page.Print, page.Export = "/ledger?"+query, "/ledger/print?"+query, "/ledger/export.xlsx?"+query
	counts, err := u.Visits.LedgerCounts(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("web: ledger counts: %w", err)
	}
	page.Counts = counts
	for _, c := range counts {
		page.Total += c.Count
	}
	visits, next, err := u.ledgerVisits(ctx, f, cursor, limit)
	if err != nil {
		return nil, err
	}
	page.Days = byDay(visits)
	if next != "" {
		page.MorePage = page.Here + "&cursor=" + url.QueryEscape(next)
	}
	if cursor != "" {
		page.FirstPage = page.Here
	}
	codes := make([]string, len(visits))
	for i, v := range visits {
		codes[i] = v.AreaCode
		if v.Officer == f.Officer && v.OfficerName != "" {
			page.OfficerName = v.OfficerName
		}
	}
	if page.Names, err = u.areaNames(ctx, codes); err != nil {
		return nil, err
	}
	return page, u.ledgerOfficers(ctx, page)
}

// ledgerArea reads the area of the ledger, the areas to narrow it down
// to, and for an area's ledger without ?under= the caller's area.
func (u *ui) ledgerArea(ctx context.Context, page *ledgerPage, f *cunjing.LedgerFilter) error {
	under := f.Under
	if under == "" && f.Officer == "" {
		var err error
		if under, page.Tops, err = u.underOrTops(ctx, ""); err != nil {
			return err
		}
	}
	f.Under = under
	if under == "" {
		if page.Tops == nil {
			tops, err := u.topAreas(ctx)
			if err != nil {
				return err
			}
			page.Tops = tops
		}
		return nil
	}
	var err error
	if page.Area, err = u.Areas.AreaDetail(ctx, under); err != nil {
		return fmt.Errorf("web: ledger: %w", err)
	}
	page.Children, _, err = u.Areas.FindAreas(ctx, cunjing.AreaFilter{Parent: under, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return fmt.Errorf("web: ledger: %w", err)
	}
	return nil
}

// ledgerVisits reads up to limit visits from cursor on, a store page at a
// time; next is the cursor of the rest, "" when there is none.
func (u *ui) ledgerVisits(ctx context.Context, f cunjing.LedgerFilter, cursor string, limit int) ([]cunjing.Visit, string, error) {
	var all []cunjing.Visit
	for {
		f.Page = cunjing.Page{Limit: min(limit-len(all), cunjing.MaxPageLimit), Cursor: cursor}
		visits, next, err := u.Visits.FindVisits(ctx, f)
		if err != nil {
			return nil, "", fmt.Errorf("web: ledger: %w", err)
		}
		all = append(all, visits...)
		if next == "" || len(all) >= limit {
			return all, next, nil
		}
		cursor = next
	}
}

// byDay groups visits sorted by day.
func byDay(visits []cunjing.Visit) []ledgerDay {
	var days []ledgerDay
	for _, v := range visits {
		if n := len(days); n > 0 && days[n-1].Date.String() == v.Date.String() {
			days[n-1].Visits = append(days[n-1].Visits, v)
			continue
		}
		days = append(days, ledgerDay{Date: v.Date, Visits: []cunjing.Visit{v}})
	}
	return days
}

// ledgerOfficers lists the officers with accounts that the ledger offers
// to choose: those of the stations serving its area, or of the caller's
// single top area. Too many stations leave the account to be typed.
func (u *ui) ledgerOfficers(ctx context.Context, page *ledgerPage) error {
	code := ""
	switch {
	case page.Area != nil:
		code = page.Area.Code
	case len(page.Tops) == 1:
		code = page.Tops[0].Code
	default:
		return nil
	}
	groups, err := u.officerChoices(ctx, code)
	if err != nil || groups == nil {
		return err
	}
	page.Officers = []cunjing.Staff{}
	for _, g := range groups {
		for _, s := range g.Staff {
			if s.Username == "" {
				continue
			}
			page.Officers = append(page.Officers, s)
			if s.Username == page.Officer {
				page.OfficerName = s.Name
			}
		}
	}
	return nil
}
