package web

import (
	"bytes"
	"encoding/base64"
	"html"
	"image/png"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"cunjing"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/demo"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// cardOfficer is the officer the tests put on a demo village, whether or
// not the demo force already holds the post.
var cardOfficer = cunjing.Staff{Name: "岳卡片", Kind: cunjing.StaffOfficer, PoliceNumber: "999001", Phone: "13912345678"}

// postCardOfficer makes cardOfficer the responsible officer of a village of
// 鲁山县, a member of its station, and returns the village.
func postCardOfficer(t *testing.T, st *store.Store) cunjing.Area {
	t.Helper()
	ctx := storetest.Ctx()
	village := firstVillage(t, st, "410423")
	stations, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Area: village.Code, Kind: cunjing.UnitStation})
	if err != nil || len(stations) == 0 {
		t.Fatalf("no station covers %s: %v", village.Code, err)
	}
	m := cardOfficer
	m.UnitCode = stations[0].Code
	staff := []cunjing.Staff{m}
	if err := st.CreateStaff(ctx, staff); err != nil {
		t.Fatal(err)
	}
	_, err = st.Assign(ctx, cunjing.AssignRequest{StaffID: staff[0].ID, AreaCode: village.Code, Role: cunjing.PostResponsible,
		Start: cunjing.DateOf(time.Now()), Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	return village
}

// cardUI serves the contact-card pages with a public base URL to the
// demo's city administrator, or to a visitor when username is "".
func cardUI(t *testing.T, st *store.Store, publicURL, username string) http.Handler {
	t.Helper()
	authn := authtest.Authenticator(st)
	h, err := New(Deps{Auth: authn, Areas: st, Units: st, Cards: st, PublicURL: publicURL, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	if username != "" {
		token = authtest.Login(t, authn, username, demo.AccountPassword)
	}
	return authtest.As(authn, token, h)
}

var qrSrc = regexp.MustCompile(`<img class="cc-qr" src="data:image/png;base64,([^"]+)"`)

// qrTexts decodes every QR code image of a page.
func qrTexts(t *testing.T, page string) []string {
	t.Helper()
	var texts []string
	for _, m := range qrSrc.FindAllStringSubmatch(page, -1) {
		b, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, decodeQR(t, b))
	}
	return texts
}

// decodeQR reads the text of a QR code in a PNG image.
func decodeQR(t *testing.T, pngData []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR code: %v", err)
	}
	return res.GetText()
}

func TestCardPageShowsTheOfficerAndAQRCodeOfThePublicURL(t *testing.T) {
	h, st := demoUI(t)
	village := postCardOfficer(t, st)
	res, body := get(t, h, "/areas/"+village.Code+"/card")
	wantStatus(t, res, http.StatusOK)
	card := between(body, `<article class="contact-card`, "</article>")
	wantContains(t, "the card", card, village.ShortName(), "责任民警", cardOfficer.Name, "警号", cardOfficer.PoliceNumber,
		cardOfficer.Phone, "派出所", "有事找民警，扫码联系我们")
	want := "http://example.com/p/" + village.Code
	if texts := qrTexts(t, body); len(texts) != 1 || texts[0] != want {
		t.Errorf("the card's QR code reads %q; want %q, the public page at the request's host", texts, want)
	}
	wantContains(t, "the card page", body, `data-print`, "/static/print.js", `href="`+want+`"`)

	_, area := get(t, h, "/areas/"+village.Code)
	wantContains(t, "the village page", area, `href="/areas/`+village.Code+`/card"`)
	_, town := get(t, h, "/areas/"+village.ParentCode)
	wantContains(t, "the town page", town, `href="/cards?under=`+village.ParentCode+`"`)
}

func TestQRCodeLinksUnderThePublicURL(t *testing.T) {
	st := demotest.Store(t)
	village := postCardOfficer(t, st)
	h := cardUI(t, st, "https://cunjing.example.gov.cn/", "city")
	_, body := get(t, h, "/areas/"+village.Code+"/card")
	want := "https://cunjing.example.gov.cn/p/" + village.Code
	if texts := qrTexts(t, body); len(texts) != 1 || texts[0] != want {
		t.Errorf("with --public-url the QR code reads %q; want %q", texts, want)
	}

	derived := cardUI(t, st, "", "city")
	_, body = get(t, derived, "https://cards.test:8443/areas/"+village.Code+"/card")
	want = "https://cards.test:8443/p/" + village.Code
	if texts := qrTexts(t, body); len(texts) != 1 || texts[0] != want {
		t.Errorf("without --public-url, over TLS, the QR code reads %q; want %q", texts, want)
	}
}

func TestBatchCardsHaveOneCardPerAreaOfATown(t *testing.T) {
	h, st := demoUI(t)
	village := postCardOfficer(t, st)
	town := village.ParentCode
	areas, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: town, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, a := range areas {
		if a.Level == cunjing.LevelVillage || a.Level == cunjing.LevelGrid || a.Level == cunjing.LevelVenue {
			want = append(want, "http://example.com/p/"+a.Code)
		}
	}
	res, body := get(t, h, "/cards?under="+town)
	wantStatus(t, res, http.StatusOK)
	if n := strings.Count(body, `<article class="contact-card`); n != len(want) {
		t.Fatalf("the batch of %s has %d cards; want %d, one per village-tier area, grid and venue", town, n, len(want))
	}
	if got := qrTexts(t, body); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the batch's QR codes read %v; want the public pages of %v in code order", got, want)
	}
	sheets := strings.Count(body, `<section class="sheet">`)
	if wantSheets := (len(want) + cardsPerSheet - 1) / cardsPerSheet; sheets != wantSheets {
		t.Errorf("%d cards on %d sheets; want %d sheets of %d", len(want), sheets, wantSheets, cardsPerSheet)
	}
	wantContains(t, "the batch", body, cardOfficer.Name, cardOfficer.Phone, `data-print`)
	cards, err := st.ContactCards(storetest.Ctx(), town)
	if err != nil {
		t.Fatal(err)
	}
	uncovered := 0
	for _, c := range cards {
		if len(c.Officers) == 0 {
			uncovered++
		}
	}
	if gaps := strings.Count(body, "暂未配备责任民警"); gaps != uncovered {
		t.Errorf("%d cards say there is no officer; want %d, the areas without one", gaps, uncovered)
	}
}

func TestCardPagesNeedALoginAndKeepToTheScope(t *testing.T) {
	_, st := demoUI(t)
	village := postCardOfficer(t, st)
	visitor := newTestUI(t, st, "")
	for _, path := range []string{"/areas/" + village.Code + "/card", "/cards?under=" + village.ParentCode} {
		res, _ := get(t, visitor, path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("a visitor at %s: %d to %q; want the login page", path, res.StatusCode, res.Header.Get("Location"))
		}
	}
	ruzhou := newTestUI(t, st, "ruzhou")
	res, _ := get(t, ruzhou, "/areas/"+village.Code+"/card")
	wantStatus(t, res, http.StatusNotFound)
}

func TestPublicPageShowsTheOfficerButNotHisPhone(t *testing.T) {
	_, st := demoUI(t)
	village := postCardOfficer(t, st)
	visitor := newTestUI(t, st, "")
	res, body := get(t, visitor, "/p/"+village.Code)
	wantStatus(t, res, http.StatusOK)
	main := between(body, "<main", "</main>")
	wantContains(t, "the public page", main, village.ShortName(), cardOfficer.Name, cardOfficer.PoliceNumber, "派出所", "拨打")
	for _, secret := range []string{cardOfficer.Phone, cunjing.MaskPhone(cardOfficer.Phone)} {
		if strings.Contains(body, secret) {
			t.Errorf("the public page shows the officer's phone as %s", secret)
		}
	}

	res, missing := get(t, visitor, "/p/410423999999")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "an unknown card", missing, "没有找到这张联系卡")
	res, town := get(t, visitor, "/p/"+village.ParentCode)
	wantStatus(t, res, http.StatusNotFound)
	if strings.ReplaceAll(town, village.ParentCode, "410423999999") != missing {
		t.Error("a town's code answers differently from a code that does not exist")
	}
}
