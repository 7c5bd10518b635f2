package web

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// logVisit records a visit to an area as username, on day.
func logVisit(t *testing.T, st *store.Store, username, area string, day cunjing.Date, kind cunjing.VisitKind, content string) {
	t.Helper()
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleOfficer,
		Scope: cunjing.Scope{All: true}})
	v := cunjing.Visit{Target: cunjing.TargetArea, AreaCode: area, Date: day, Kind: kind, Content: content, Problems: ""}
	if err := st.CreateVisit(ctx, &v); err != nil {
		t.Fatalf("log a visit of %s: %v", username, err)
	}
}

// ledgerCity is the demo city with visits in the officer's village: two of
// his this month, one of the auxiliary's, one of his last month.
func ledgerCity(t *testing.T, username string) (http.Handler, *store.Store, string) {
	t.Helper()
	officer, st := demoUIAs(t, "officer")
	village := officerVillage(t, officer)
	now := today()
	logVisit(t, st, "officer", village, now, cunjing.VisitHousehold, "走访张家，了解邻里纠纷")
	logVisit(t, st, "officer", village, now, cunjing.VisitSafety, "检查小卖部消防")
	logVisit(t, st, "fujing", village, now, cunjing.VisitPublicity, "辅警发放防诈骗传单")
	logVisit(t, st, "officer", village, now.AddDays(-40), cunjing.VisitCampaign, "上月的大走访")
	if username == "officer" {
		return officer, st, village
	}
	return newTestUI(t, st, username), st, village
}

func TestLedgerOfAnOfficerIsHisOwnMonthByDefault(t *testing.T) {
	h, _, village := ledgerCity(t, "officer")
	res, body := get(t, h, "/ledger")
	wantStatus(t, res, http.StatusOK)
	month := time.Now().In(cunjing.Shanghai)
	wantContains(t, "the officer's ledger", body, "<h1>我的工作台账</h1>", "走访张家，了解邻里纠纷", "检查小卖部消防",
		month.Format("2006年1月"), "<dt>合计</dt><dd>2</dd>", "<dt>安全检查</dt><dd>1</dd>", `<h2 id="day-`+today().String()+`">`,
		`href="/ledger/print?month=`+month.Format("2006-01")+`&amp;officer=officer"`, `href="/ledger/export.xlsx?`,
		`<a href="/ledger" aria-current="page">工作台账</a>`)
	for _, other := range []string{"辅警发放防诈骗传单", "上月的大走访"} {
		if strings.Contains(body, other) {
			t.Errorf("the officer's month shows %q", other)
		}
	}
	_, area := get(t, h, "/ledger?officer=&under="+village)
	wantContains(t, "the village's ledger", area, "辅警发放防诈骗传单", "走访张家", "<dt>合计</dt><dd>3</dd>")
	_, last := get(t, h, "/ledger?month="+month.AddDate(0, 0, -40).Format("2006-01"))
	if !strings.Contains(last, "上月的大走访") {
		t.Error("the month before does not show its visit")
	}
}

func TestLedgerOfAChiefIsHisAreaWithOfficersToChoose(t *testing.T) {
	h, _, _ := ledgerCity(t, "chief")
	res, body := get(t, h, "/ledger")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the chief's ledger", body, "走访张家", "辅警发放防诈骗传单", `<select id="ledger-officer" name="officer">`,
		`<option value="">全部民警</option>`)
	if strings.Contains(body, "我的工作台账") {
		t.Error("the chief's ledger is called his own")
	}
	_, one := get(t, h, "/ledger?officer=fujing")
	wantContains(t, "the auxiliary's ledger", one, "辅警发放防诈骗传单", "<dt>合计</dt><dd>1</dd>")
	if strings.Contains(one, "走访张家") {
		t.Error("the auxiliary's ledger shows the officer's visit")
	}
}

func TestLedgerOfAnotherCountyIsNotFoundAndBadMonthsAreRefused(t *testing.T) {
	h, st, _ := ledgerCity(t, "officer")
	elsewhere := firstVillage(t, st, "410482").Code
	for _, path := range []string{"/ledger?under=" + elsewhere, "/ledger/print?under=" + elsewhere, "/ledger/export.xlsx?under=" + elsewhere} {
		res, _ := get(t, h, path)
		wantStatus(t, res, http.StatusNotFound)
	}
	for _, path := range []string{"/ledger?month=2026-13", "/ledger/print?month=yesterday", "/ledger/export.xlsx?month=2026"} {
		res, _ := get(t, h, path)
		wantStatus(t, res, http.StatusBadRequest)
	}
	ruzhou := newTestUI(t, st, "ruzhou")
	_, body := get(t, ruzhou, "/ledger")
	if strings.Contains(body, "走访张家") {
		t.Error("汝州市 sees the ledger of a 鲁山 village")
	}
}

func TestLedgerPrintViewIsATableForA4(t *testing.T) {
	h, _, _ := ledgerCity(t, "officer")
	res, body := get(t, h, "/ledger/print")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the print view", body, "<h1>民警工作台账</h1>", `<table class="sheet-table sheet-visits">`,
		`<th scope="col" class="col-n">序号</th>`, "走访内容", "发现问题", `<td class="col-n">1</td>`, `<td class="col-n">2</td>`,
		"走访张家，了解邻里纠纷", "民警签名：", "审核人签名：", `data-print`, "print.js")
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	print := string(css[bytes.LastIndex(css, []byte("@media print")):])
	wantContains(t, "the print styles", print, ".sheet-table thead { display: table-header-group; }", ".ledger-sheet")
	wantContains(t, "the page styles", string(css), "@page { size: A4;", ".site-header, .site-footer, .skip-link, .no-print { display: none !important; }")
}

func TestLedgerExportIsTheAPIsWorkbookAndAudited(t *testing.T) {
	h, st, _ := ledgerCity(t, "officer")
	month := time.Now().In(cunjing.Shanghai).Format("2006-01")
	res, body := get(t, h, "/ledger/export.xlsx")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("Content-Type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("台账")
	if err != nil || len(rows) != 3 || rows[0][0] != "日期" {
		t.Fatalf("the ledger sheet is %v (%v); want the header and the officer's 2 visits", rows, err)
	}
	if !strings.Contains(rows[1][7]+rows[2][7], "走访张家") {
		t.Errorf("the visits exported are %v", rows[1:])
	}
	entries, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport})
	if err != nil || len(entries) != 1 || entries[0].Object != "ledger:under= officer=officer month="+month+" kind=" || entries[0].Actor != "officer" {
		t.Errorf("audit rows of the export: %+v, %v", entries, err)
	}
}
