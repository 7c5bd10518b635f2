package web

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func TestCoverageStartsAtTheTopOfTheScope(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	res, _ := get(t, h, "/coverage")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/coverage/410423" {
		t.Errorf("鲁山's administrator is sent to %q; want /coverage/410423", loc)
	}
	res, _ = get(t, h, "/coverage/410425")
	wantStatus(t, res, http.StatusNotFound)
}

// coveredFigure reads the "covered" count of the villages of a coverage page.
func coveredFigure(t *testing.T, body string) int {
	t.Helper()
	m := regexp.MustCompile(`<dt>村</dt><dd>[\d,]+</dd>\s*<dd class="sub">有民警 ([\d,]+)`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no village figure on the page")
	}
	n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
	return n
}

func TestCoveragePageShowsAGapUntilItIsFilled(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	res, body := get(t, h, "/coverage/410423?kind=village")
	wantStatus(t, res, http.StatusOK)
	before := coveredFigure(t, body)
	gaps := between(body, `<table class="list gaps">`, "</table>")
	m := regexp.MustCompile(`<a class="button small" href="/areas/(\d{12})/posts">调整包保</a>`).FindAllStringSubmatch(gaps, -1)
	var uncovered string
	for _, row := range strings.Split(gaps, "<tr>") {
		if strings.Contains(row, "无责任民警") && strings.Contains(row, `<span class="bad">无</span>`) {
			uncovered = regexp.MustCompile(`/areas/(\d{12})/posts`).FindStringSubmatch(row)[1]
			break
		}
	}
	if len(m) == 0 || uncovered == "" {
		t.Fatalf("鲁山 shows no uncovered village with a link to fix it")
	}
	postOfficer(t, st, uncovered)
	_, body = get(t, h, "/coverage/410423?kind=village")
	if after := coveredFigure(t, body); after != before+1 {
		t.Errorf("covered villages %d → %d after posting an officer; want +1", before, after)
	}
}

// postOfficer adds an officer of the station over code and posts him there.
func postOfficer(t *testing.T, st *store.Store, code string) {
	t.Helper()
	ctx := storetest.Ctx()
	units, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Area: code, Kind: cunjing.UnitStation})
	if err != nil || len(units) == 0 {
		t.Fatalf("no station over %s: %v", code, err)
	}
	officer := []cunjing.Staff{{Name: "测试民警", Kind: cunjing.StaffOfficer, UnitCode: units[0].Code, PoliceNumber: "499999"}}
	if err := st.CreateStaff(ctx, officer); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: officer[0].ID, AreaCode: code, Role: cunjing.PostResponsible,
		Start: cunjing.DateOf(time.Now())}); err != nil {
		t.Fatal(err)
	}
}

func TestCoverageSpeaksEnglish(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	res, body := get(t, h, "/coverage/410423?lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "English coverage page", body, "Not covered or not compliant", "Police strength by county")
}

func TestCoverageExportListsEveryGap(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	report, err := st.Coverage(storetest.Ctx(), "410423", cunjing.CoverageOptions{GapLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	res, body := get(t, h, "/coverage/410423/export.xlsx")
	wantStatus(t, res, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("未覆盖或未达标")
	if err != nil {
		t.Fatalf("no gap sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	if len(rows)-1 != report.GapCount || report.GapCount == 0 {
		t.Errorf("the gap sheet has %d rows; want all %d gaps", len(rows)-1, report.GapCount)
	}
	if rows, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport}); err != nil ||
		len(rows) != 1 || rows[0].Object != "coverage:410423" {
		t.Errorf("audit rows of the export: %+v, %v; want one for coverage:410423", rows, err)
	}
	summary, _ := f.GetRows("下级辖区")
	if len(summary) < 2 || summary[1][1] != "鲁山县" || summary[1][2] != strconv.Itoa(report.Tally.All.Total) {
		t.Errorf("summary sheet starts %v; want 鲁山县 with %d areas", summary[:min(2, len(summary))], report.Tally.All.Total)
	}
}
