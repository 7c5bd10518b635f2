//go:build browser

package main

import (
	"bytes"
	"context"
	"image/png"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// TestBrowserPrintsACardWhoseQRCodeOpensThePublicPage opens the print view
// of a 鲁山 village's contact card, reads the QR code off the screen, and
// follows it, logged out, to the public page that names the officer.
func TestBrowserPrintsACardWhoseQRCodeOpensThePublicPage(t *testing.T) {
	data := t.TempDir()
	url, _ := startServe(t, "--demo", "--data", data)
	code, officer := cardWithOfficer(t, filepath.Join(data, "cunjing.db"))

	ctx := newBrowser(t, 1280, 900)
	logIn(t, ctx, url, "lushan")
	if err := chromedp.Do(ctx, chromedp.Navigate(url+"/areas/"+code+"/card"), chromedp.WaitVisible(chromedp.CSS("img.cc-qr"))); err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the card", textOf(t, ctx, "article.contact-card"), officer.Name, officer.PoliceNumber, "有事找民警")
	shot, err := chromedp.Run(ctx, chromedp.ScreenshotScale(chromedp.CSS("img.cc-qr"), 3))
	if err != nil {
		t.Fatal(err)
	}
	link := readQR(t, shot)
	if want := url + "/p/" + code; link != want {
		t.Fatalf("the QR code on screen reads %q; want %q", link, want)
	}

	citizen := newBrowser(t, 360, 800)
	if err := chromedp.Do(citizen, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	page := textOf(t, citizen, "main")
	mustContain(t, "the public page", page, officer.Name, officer.PoliceNumber)
	if officer.Phone != "" && strings.Contains(page, officer.Phone) {
		t.Errorf("the public page shows the officer's phone %s", officer.Phone)
	}
}

// cardWithOfficer returns a village of 鲁山县 with an officer in post and
// that officer, read from the running server's database: one of the demo
// force's, or one posted here when the demo has none.
func cardWithOfficer(t *testing.T, dsn string) (string, cunjing.CardOfficer) {
	t.Helper()
	ctx := storetest.Ctx()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cards, err := st.ContactCards(ctx, "410423")
	if err != nil || len(cards) == 0 {
		t.Fatalf("cards of 鲁山县: %d, %v", len(cards), err)
	}
	for _, c := range cards {
		if len(c.Officers) > 0 {
			return c.Area.Code, c.Officers[0]
		}
	}
	return postOfficer(t, ctx, st, cards[0].Area.Code)
}

// postOfficer makes a new officer of the area's station its responsible
// officer.
func postOfficer(t *testing.T, ctx context.Context, st *store.Store, code string) (string, cunjing.CardOfficer) {
	t.Helper()
	stations, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Area: code, Kind: cunjing.UnitStation})
	if err != nil || len(stations) == 0 {
		t.Fatalf("no station covers %s: %v", code, err)
	}
	staff := []cunjing.Staff{{Name: "岳卡片", Kind: cunjing.StaffOfficer, UnitCode: stations[0].Code, PoliceNumber: "999002", Phone: "13912345679"}}
	if err := st.CreateStaff(ctx, staff); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: staff[0].ID, AreaCode: code, Role: cunjing.PostResponsible,
		Start: cunjing.DateOf(time.Now())}); err != nil {
		t.Fatal(err)
	}
	return code, cunjing.CardOfficer{Name: staff[0].Name, PoliceNumber: staff[0].PoliceNumber, Phone: staff[0].Phone}
}

// readQR decodes the QR code in a PNG screenshot.
func readQR(t *testing.T, shot []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the screenshot of the QR code does not decode: %v", err)
	}
	return res.GetText()
}
