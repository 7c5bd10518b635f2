//go:build browser

package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAuditTrailFitsAPhone opens the auditor's search on a 360-px
// phone: no sideways scrolling, and each row a card of labelled cells.
func TestBrowserAuditTrailFitsAPhone(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 360, 800)
	logIn(t, ctx, url, "auditor")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/audit?action=login"), chromedp.WaitVisible(chromedp.CSS("table.list"))); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("the audit page scrolls sideways on a 360-px phone")
	}
	header, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector("table.list thead").getBoundingClientRect().height`))
	if err != nil || header > 1 {
		t.Errorf("the table header is %v px high on a phone (%v); want it hidden, the rows stacked", header, err)
	}
	mustContain(t, "the phone page", textOf(t, ctx, "main"), "审计日志", "auditor", "登录", "导出 XLSX")
}
