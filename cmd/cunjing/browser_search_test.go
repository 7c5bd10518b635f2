//go:build browser

package main

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// TestBrowserFindsAResidentByPinyinInitialsOnAPhone is the officer's
// search on a 360-px phone: he types the pinyin initials of a person of his
// village, taken from the demo population, sees him with his ID number
// masked as the results come in, and opens his record. It then prints his
// month's ledger. With CUNJING_SCREENSHOTS set to a folder, it saves the
// search and the printed ledger there (docs/screenshot-search-phone.png,
// docs/screenshot-ledger-print.png).
func TestBrowserFindsAResidentByPinyinInitialsOnAPhone(t *testing.T) {
	data := t.TempDir()
	url, _ := startServe(t, "--demo", "--demo-residents", "20000", "--data", data)
	ctx := newBrowser(t, phoneWidth, phoneHeight)
	logIn(t, ctx, url, "officer")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	here, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	village := here[strings.LastIndex(here, "/")+1:]
	person := residentOf(t, filepath.Join(data, "cunjing.db"), village)
	initials := cunjing.NamePinyin(person.Name)[0].Initials

	err = chromedp.Do(ctx,
		chromedp.Navigate(url+"/search"),
		chromedp.WaitVisible(chromedp.CSS("#find-q")),
		chromedp.SendKeys(chromedp.CSS("#find-q"), initials),
		chromedp.WaitVisible(chromedp.CSS(`#find-results a[href="/residents/`+strconv.FormatInt(person.ID, 10)+`"]`)),
	)
	if err != nil {
		t.Fatalf("typing %q for %s: %v", initials, person.Name, err)
	}
	if at, _ := chromedp.Run(ctx, chromedp.Location()); at != url+"/search" {
		t.Errorf("the search moved the page to %s; the text must stay out of the URL", at)
	}
	results := textOf(t, ctx, "#find-results")
	mustContain(t, "the live results", results, "按拼音或首字母查找", person.Name, person.IDNumber)
	if !strings.Contains(person.IDNumber, "********") {
		t.Fatalf("the list gave the ID number %q unmasked", person.IDNumber)
	}
	fitsThePhone(t, ctx, "the search page")
	screenshot(t, ctx, "screenshot-search-phone.png")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#find-results a[href="/residents/`+strconv.FormatInt(person.ID, 10)+`"]`), chromedp.NodeVisible),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	if err != nil {
		t.Fatalf("opening %s: %v", person.Name, err)
	}
	if h1 := textOf(t, ctx, "h1"); h1 != person.Name {
		t.Errorf("the hit opens %q; want the record of %s", h1, person.Name)
	}

	printLedger(t, url)
}

// printLedger opens the officer's ledger of the month as it prints, on A4
// paper's width, and checks that it is the table without the site around it.
func printLedger(t *testing.T, url string) {
	t.Helper()
	ctx := newBrowser(t, 794, 1123) // A4 at 96 dpi
	logIn(t, ctx, url, "officer")
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}),
		chromedp.Navigate(url+"/ledger/print"),
		chromedp.WaitVisible(chromedp.CSS("table.sheet-visits")),
	)
	if err != nil {
		t.Fatalf("the printed ledger: %v", err)
	}
	mustContain(t, "the printed ledger", textOf(t, ctx, "article.ledger-sheet"), "民警工作台账", "序号", "走访内容", "民警签名")
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`[".site-header", ".print-actions"].every(s => getComputedStyle(document.querySelector(s)).display === "none")`))
	if err != nil || !hidden {
		t.Errorf("the printed ledger shows the site's header or its buttons (%v)", err)
	}
	screenshot(t, ctx, "screenshot-ledger-print.png")
}

// residentOf waits for the demo population to reach village and returns
// one of its people, masked as lists show him, whose pinyin initials no
// other person there shares.
func residentOf(t *testing.T, dsn, village string) cunjing.Resident {
	t.Helper()
	ctx := storetest.Ctx()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		people, _, err := st.FindResidents(ctx, cunjing.ResidentFilter{Under: village, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := uniqueInitials(people); ok {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo population has not reached %s (%d people there)", village, len(people))
		}
		time.Sleep(time.Second)
	}
}

// uniqueInitials returns a person whose name's initials no other has.
func uniqueInitials(people []cunjing.Resident) (cunjing.Resident, bool) {
	count := map[string]int{}
	for _, p := range people {
		for _, k := range cunjing.NamePinyin(p.Name) {
			count[k.Initials]++
		}
	}
	for _, p := range people {
		if keys := cunjing.NamePinyin(p.Name); len(keys) == 1 && count[keys[0].Initials] == 1 {
			return p, true
		}
	}
	return cunjing.Resident{}, false
}
