//go:build browser

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportsARegisterAndFollowsItsProgress uploads a register of
// 12,000 residents of the officer's village on a phone and watches the
// progress view poll the job until it is done, with a bad row to report.
// With CUNJING_SCREENSHOTS set, it saves the finished import there
// (docs/screenshot-import-phone.png).
func TestBrowserImportsARegisterAndFollowsItsProgress(t *testing.T) {
	url, _ := startServe(t, "--demo", "--demo-residents", "0", "--data", t.TempDir())
	ctx := newBrowser(t, phoneWidth, phoneHeight)
	logIn(t, ctx, url, "officer")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas"), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	here, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	register := writeRegister(t, here[strings.LastIndex(here, "/")+1:], 12000)

	err = chromedp.Do(ctx,
		chromedp.Navigate(url+"/import/records"),
		chromedp.WaitVisible(chromedp.CSS("#rimport-file")),
		chromedp.SetUploadFiles(chromedp.CSS("#rimport-file"), []string{register}),
		chromedp.Click(chromedp.CSS(`form.upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#import-progress")),
	)
	if err != nil {
		t.Fatalf("uploading the register: %v", err)
	}
	if at, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasPrefix(at, url+"/import/records/") {
		t.Fatalf("the upload went to %s; want the job's progress", at)
	}
	err = chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#import-progress a[href$="/report.xlsx"]`)))
	if err != nil {
		t.Fatalf("the progress view never showed the end of the job: %v", err)
	}
	mustContain(t, "the finished import", textOf(t, ctx, "#import-progress"), "导入完成", "12,000", "11,999", "下载错误报告")
	fitsThePhone(t, ctx, "the import's progress")
	screenshot(t, ctx, "screenshot-import-phone.png")
}

// writeRegister writes a CSV register of n residents of a village, four to
// a household, the last with a mistyped ID number.
func writeRegister(t *testing.T, village string, n int) string {
	t.Helper()
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志建国红海")
	var b strings.Builder
	b.WriteString("区划代码,地址,户号,与户主关系,姓名,证件类型,证件号码,性别,出生日期,联系电话,人员类别,留守类型,状态,备注\n")
	for i := range n {
		relation := "子女"
		if i%4 == 0 {
			relation = "户主"
		}
		id := idNumber("410423", fmt.Sprintf("%04d%02d%02d", 1940+i%60, 1+i/60%12, 1+i/720%28), i/20160+100)
		if i == n-1 {
			id = id[:17] + otherCheck(id[17])
		}
		fmt.Fprintf(&b, "%s,幸福路%d号,H%05d,%s,张%c%c,身份证,%s,,,,户籍,,在住,\n", village, i/4, i/4, relation,
			given[i%len(given)], given[i/len(given)%len(given)], id)
	}
	path := filepath.Join(t.TempDir(), "register.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
