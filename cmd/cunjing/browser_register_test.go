//go:build browser

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// phoneWidth × phoneHeight is the screen of a small phone.
const phoneWidth, phoneHeight = 360, 740

// TestBrowserCollectsAHouseholdOnAPhone walks the officer's work on a
// 360-px phone: from his village to its register, a new standard address,
// and a household of two collected there, each ID number checked as it is
// typed — a mistyped one named on the spot; then the search box finds the
// head of the household by the initials of his name, and his record opens
// from the hit. With CUNJING_SCREENSHOTS set to
// a folder, it saves the register, the collection form and the address
// collected there (docs/screenshot-register-phone.png,
// docs/screenshot-collect-phone.png, docs/screenshot-address-phone.png).
func TestBrowserCollectsAHouseholdOnAPhone(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newPhone(t)
	logIn(t, ctx, url, "officer")

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	village := textOf(t, ctx, "h1")
	clickLink(t, ctx, "一标三实")
	mustContain(t, "the register", textOf(t, ctx, "main"), "地址", "实有人口", "待审核")
	fitsThePhone(t, ctx, "the register")
	register, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}

	clickLink(t, ctx, "＋ 新增地址")
	street, number := "幸福路", fmt.Sprint(100+time.Now().UnixNano()%900) // a number the demo's village is unlikely to have
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#addr-street"), street),
		chromedp.SendKeys(chromedp.CSS("#addr-house_number"), number),
		chromedp.Click(chromedp.CSS(`.collect-actions button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice-ok")),
	)
	if err != nil {
		t.Fatalf("saving a new address in %s: %v", village, err)
	}
	address := street + number + "号"
	if h1 := textOf(t, ctx, "h1"); h1 != address {
		t.Fatalf("the new address shows as %q", h1)
	}

	clickLink(t, ctx, "登记住户")
	head, spouse := idNumber("410423", "19760315", 13), idNumber("410423", "19790921", 24)
	mistyped := spouse[:17] + otherCheck(spouse[17])
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#m0-name"), "司马光明"),
		chromedp.SendKeys(chromedp.CSS("#m0-id"), head),
		chromedp.WaitVisible(chromedp.CSS("#m0-id-check .id-ok")),
		chromedp.SendKeys(chromedp.CSS("#m0-phone"), "13937512345"),
		chromedp.Click(chromedp.CSS("[data-add-member]")),
		chromedp.WaitVisible(chromedp.CSS("#m1-name")),
		chromedp.SendKeys(chromedp.CSS("#m1-name"), "欧阳秀英"),
		chromedp.SendKeys(chromedp.CSS("#m1-id"), mistyped),
		chromedp.WaitVisible(chromedp.CSS("#m1-id-check .field-error")),
	)
	if err != nil {
		t.Fatalf("filling in the household: %v", err)
	}
	mustContain(t, "the check of the head's ID number", textOf(t, ctx, "#m0-id-check"), "1976-03-15", "男")
	mustContain(t, "the check of a mistyped ID number", textOf(t, ctx, "#m1-id-check"), "身份证号码最后一位是", "有一位输错了")
	if relation, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#m1-relation").value`)); err != nil || relation != "spouse" {
		t.Errorf("the second member's relation is %q (%v); want spouse", relation, err)
	}
	fitsThePhone(t, ctx, "the household form")
	screenshot(t, ctx, "screenshot-collect-phone.png")

	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#m1-id"), "\b"+spouse[17:]), // the officer corrects the last character
		chromedp.WaitVisible(chromedp.CSS("#m1-id-check .id-ok")),
		chromedp.Click(chromedp.CSS(`.collect-actions button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("article.household")),
	)
	if err != nil {
		t.Fatalf("saving the household: %v", err)
	}
	household := textOf(t, ctx, "article.household")
	mustContain(t, "the saved household", household, "司马光明", "户主", "欧阳秀英", "配偶", "410423********"+head[14:], "139****2345")
	if strings.Contains(household, head) {
		t.Error("the address page shows an ID number in full")
	}
	fitsThePhone(t, ctx, "the address")
	screenshot(t, ctx, "screenshot-address-phone.png")
	if err := chromedp.Do(ctx, chromedp.Navigate(register), chromedp.WaitVisible(chromedp.CSS(".address-list"))); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the register after collecting", textOf(t, ctx, ".address-list"), address)
	screenshot(t, ctx, "screenshot-register-phone.png")

	hit := chromedp.Search(`//ul[contains(@class, "find-hits")]//a[contains(., "司马光明")]`)
	err = chromedp.Do(ctx,
		chromedp.Navigate(url+"/search"),
		chromedp.WaitVisible(chromedp.CSS("#find-q")),
		chromedp.SendKeys(chromedp.CSS("#find-q"), "smgm"),
		chromedp.WaitVisible(hit),
	)
	if err != nil {
		t.Fatalf("searching smgm, the initials of 司马光明: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(hit, chromedp.NodeVisible), chromedp.WaitVisible(chromedp.CSS(".id-number"))); err != nil {
		t.Fatalf("opening 司马光明 from the search: %v", err)
	}
	if h1 := textOf(t, ctx, "h1"); h1 != "司马光明" {
		t.Errorf("the hit opens %q", h1)
	}
	mustContain(t, "his record, which the officer may read in full", textOf(t, ctx, "main"), head, "13937512345", address)
}

// newPhone starts headless Chromium as a phone: a 360 × 740 screen, at
// twice the pixels, with touch. (A headless window cannot be narrower than
// 500 px, so the phone is emulated.)
func newPhone(t *testing.T) context.Context {
	t.Helper()
	ctx := newBrowser(t, 500, phoneHeight)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateScale(2))); err != nil {
		t.Fatalf("emulating a phone: %v", err)
	}
	return ctx
}

// idNumber makes a valid ID number of region, birth date (YYYYMMDD) and
// sequence number (odd for a man), with its check character.
func idNumber(region, birth string, seq int) string {
	base := fmt.Sprintf("%s%s%03d", region, birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

// otherCheck is a check character other than c.
func otherCheck(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

// fitsThePhone fails when the page scrolls sideways or a button or link of
// the page's forms is smaller than a finger (44 px).
func fitsThePhone(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Errorf("%s scrolls sideways on a %d-px phone", what, phoneWidth)
	}
	small, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(
			"main button, main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main .action-bar a")]
		.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
		.map(e => e.outerHTML.slice(0, 80))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(small) > 0 {
		t.Errorf("%s has targets under 44 px: %q", what, small)
	}
}

// screenshot saves the whole page into the folder CUNJING_SCREENSHOTS
// names, when it names one.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("CUNJING_SCREENSHOTS")
	if dir == "" {
		return
	}
	// The save bar sticks to the bottom of the screen; on a picture of the
	// whole page it goes to the end of the form.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".collect-actions").forEach(e => e.style.position = "static"), 0`)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
