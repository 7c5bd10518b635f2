package web

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestEnglishCoverageExportJoinsWithEnglishPunctuation(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	res, body := get(t, h, "/coverage/410423/export.xlsx?lang=en")
	wantStatus(t, res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store, as every workbook download", cc)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Not covered or not compliant")
	if err != nil {
		t.Fatalf("no English gap sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	joined := 0
	for _, row := range rows[1:] {
		for _, cell := range row {
			if strings.ContainsAny(cell, "、；") {
				t.Fatalf("an English gap row joins with Chinese punctuation: %q", row)
			}
			if strings.Contains(cell, "; ") {
				joined++
			}
		}
	}
	if joined == 0 {
		t.Error("no gap of 鲁山县 has two reasons joined with \"; \"; the test no longer shows the separator")
	}
}

func TestCoverageOfNoAreaOffersNoExport(t *testing.T) {
	h := newTestUI(t, newStore(t), "admin")
	res, body := get(t, h, "/coverage")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(body, "export.xlsx") {
		t.Errorf("the coverage page of an empty system links to an export of no area: %s", between(body, `<header class="page-head">`, "</header>"))
	}
}

func TestCoverageAboveAChiefsTownDoesNotLinkToAnAreaPageHeCannotOpen(t *testing.T) {
	h, _ := demoUIAs(t, "chief")
	res, _ := get(t, h, "/coverage")
	wantStatus(t, res, http.StatusSeeOther)
	town := strings.TrimPrefix(res.Header.Get("Location"), "/coverage/")
	county := town[:6]
	if res, _ := get(t, h, "/areas/"+county); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the chief opens his county's page: %d; the test needs a county outside his scope", res.StatusCode)
	}
	res, body := get(t, h, "/coverage/"+county)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(body, `href="/areas/`+county+`"`) {
		t.Errorf("the chief's coverage of %s links to its area page, which he cannot open", county)
	}
	_, body = get(t, h, "/coverage/"+town)
	wantContains(t, "the chief's coverage of his town", body, `href="/areas/`+town+`"`)
}
