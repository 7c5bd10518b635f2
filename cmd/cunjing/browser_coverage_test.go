//go:build browser

package main

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFillsAGapInCoverage opens the coverage of 鲁山县 as its county
// administrator, follows a village without an officer to its posts page,
// posts an officer there, and sees the county's figure of covered villages
// go up by one.
func TestBrowserFillsAGapInCoverage(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 1280, 900)
	logIn(t, ctx, url, "lushan")
	coverage := url + "/coverage/410423?kind=village"
	before := coveredVillages(t, ctx, coverage)

	fix, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		for (const row of document.querySelectorAll("table.gaps tbody tr")) {
			if (row.textContent.includes("无责任民警")) return row.querySelector("a.button").getAttribute("href");
		}
		return "";
	})()`))
	if err != nil || !strings.HasSuffix(fix, "/posts") {
		t.Fatalf("no uncovered village with a link to fix it (%q, %v)", fix, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`table.gaps a.button[href="`+fix+`"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("#assign-staff")))
	if err != nil {
		t.Fatal(err)
	}
	officer, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const o = [...document.querySelectorAll("#assign-staff option")].find(o => o.textContent.includes("· 民警 ·"));
			return o ? o.value : "";
		})()`))
	if err != nil || officer == "" {
		t.Fatalf("the posts page offers no officer (%v)", err)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#assign-staff"), officer),
		chromedp.SetValue(chromedp.CSS("#assign-role"), "responsible"),
		chromedp.Click(chromedp.CSS(`input[name="replace"]`)),
		chromedp.Click(chromedp.Search(`//form[@action="`+fix+`"]//button[@type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if notice := textOf(t, ctx, ".notice"); !strings.Contains(notice, "已") {
		t.Fatalf("posting the officer: %q", notice)
	}
	if after := coveredVillages(t, ctx, coverage); after != before+1 {
		t.Errorf("covered villages of 鲁山县: %d before, %d after posting an officer; want one more", before, after)
	}
}

// coveredVillages opens a coverage page and reads its figure of villages
// with an officer.
func coveredVillages(t *testing.T, ctx context.Context, url string) int {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("dl.coverage-figures"))); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const dt = [...document.querySelectorAll("dl.coverage-figures dt")].find(d => d.textContent.trim() === "村");
			return dt ? dt.parentElement.querySelector("dd.sub").textContent : "";
		})()`))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(text, "有民警 ")
	digits, _, _ := strings.Cut(rest, "（")
	n, err := strconv.Atoi(strings.ReplaceAll(digits, ",", ""))
	if err != nil {
		t.Fatalf("cannot read the covered villages from %q", text)
	}
	return n
}
