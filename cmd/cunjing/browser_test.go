//go:build browser

// The browser test walks the UI in headless Debian Chromium as a user would.
// It needs /usr/bin/chromium, so it is built only with -tags browser:
//
//	go test -tags browser -run Browser ./cmd/cunjing/
package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cunjing/internal/demo"
)

// newBrowser starts headless Chromium with a window of width × height.
func newBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(width, height),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// logIn opens the login page and logs in as a demo account.
func logIn(t *testing.T, ctx context.Context, url, username string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.CSS("#username")),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.AccountPassword),
		chromedp.Click(chromedp.CSS(`form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".user-name")),
	)
	if err != nil {
		t.Fatalf("log in as %s: %v", username, err)
	}
}

// textOf returns the visible text of the first element matching sel.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return text
}

func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s does not show %q:\n%.600s", what, want, text)
		}
	}
}

func TestBrowserDrillsFromCityToVillage(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 1280, 900)
	logIn(t, ctx, url, "city")

	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	if h1 := textOf(t, ctx, "h1"); h1 != "平顶山市" {
		t.Fatalf("/areas opens %q; want the city 平顶山市", h1)
	}
	mustContain(t, "the city page", textOf(t, ctx, "main"), "鲁山县", "汝州市", "2,828")

	clickLink(t, ctx, "鲁山县")
	if h1 := textOf(t, ctx, "h1"); h1 != "鲁山县" {
		t.Fatalf("after clicking 鲁山县 the page is %q", h1)
	}
	mustContain(t, "鲁山县's breadcrumb", textOf(t, ctx, "nav.breadcrumb"), "河南省", "平顶山市")
	mustContain(t, "鲁山县's org panel", textOf(t, ctx, "aside"), "鲁山县公安局", "派出所")
	mustContain(t, "鲁山县's counts", textOf(t, ctx, "main"), "556", "下汤镇")

	clickLink(t, ctx, "下汤镇")
	clickLink(t, ctx, "乱石盘村民委员会")
	if h1 := textOf(t, ctx, "h1"); h1 != "乱石盘村民委员会" {
		t.Fatalf("the village page is %q", h1)
	}
	mustContain(t, "the village breadcrumb", textOf(t, ctx, "nav.breadcrumb"), "鲁山县", "下汤镇")
	mustContain(t, "the village's org panel", textOf(t, ctx, "aside"), "下汤派出所", "警务工作站", "鲁山县公安局")
}

func TestBrowserSearchesAsYouType(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 1280, 900)
	logIn(t, ctx, url, "lushan")
	err := chromedp.Do(ctx,
		chromedp.Navigate(url+"/areas/410423"),
		chromedp.WaitVisible(chromedp.CSS("#area-q")),
		chromedp.SendKeys(chromedp.CSS("#area-q"), "乱石盘"),
		chromedp.WaitVisible(chromedp.CSS(`#search-results a[href="/areas/410423101202"]`)),
	)
	if err != nil {
		t.Fatalf("typing 乱石盘 into the search box: %v", err)
	}
	mustContain(t, "the live results", textOf(t, ctx, "#search-results"), "乱石盘村民委员会")
}

func TestBrowserSpeaksEnglishOnRequestAndRemembers(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 1280, 900)
	logIn(t, ctx, url, "city")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas/410423"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	clickLink(t, ctx, "English")
	mustContain(t, "the English page", textOf(t, ctx, "main"), "Villages", "Responsible police units")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas/4104"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the next page, without ?lang", textOf(t, ctx, "main"), "Villages")
}

func TestBrowserFitsAPhone(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	ctx := newBrowser(t, 360, 800)
	logIn(t, ctx, url, "lushan")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas/410423"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if overflow {
		t.Error("鲁山县's page scrolls sideways on a 360-px phone")
	}
	mustContain(t, "the phone page", textOf(t, ctx, "main"), "鲁山县公安局", "下汤镇")
}

// clickLink clicks the first visible link whose text is text and waits for
// the next page's heading.
func clickLink(t *testing.T, ctx context.Context, text string) {
	t.Helper()
	sel := chromedp.Search(`//a[normalize-space(.)="` + text + `"]`)
	before, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(sel, chromedp.NodeVisible),
		chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
			for {
				now, err := chromedp.Location()(ctx, target)
				if err != nil || now != before {
					return err
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(50 * time.Millisecond):
				}
			}
		}),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	if err != nil {
		t.Fatalf("clicking the link %q: %v", text, err)
	}
}
