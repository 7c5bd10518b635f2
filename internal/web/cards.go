package web

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"runtime"
	"strings"
	"sync"

	"github.com/boombuler/barcode/qr"

	"cunjing"
)

// cardsPerSheet is how many cards an A4 sheet holds: two columns of four
// cards of 95 × 68 mm, cut along the dashed lines.
const cardsPerSheet = 8

// printedCard is a contact card as a page shows it: the card, the public
// page its QR code leads to, and the QR code as a data: URL, so that a
// printout never waits for images.
type printedCard struct {
	cunjing.ContactCard
	PublicURL string
	QR        template.URL
	Masked    bool // the officers' phones are masked: no number to dial
}

// Short is the name people use for the card's area.
func (c printedCard) Short() string { return c.Area.ShortName() }

// cardsPage is a set of cards cut into A4 sheets.
type cardsPage struct {
	Area   cunjing.Area // the area printed for
	Sheets [][]printedCard
	Count  int
	Gaps   []printedCard // cards of areas without an officer
}

// cardPage is the printable card of one area.
type cardPage struct {
	Card printedCard
}

// areaCard shows the card of one village, grid or venue, ready to print.
// An area above them sends the user to the batch of its cards.
func (u *ui) areaCard(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	cards, err := u.Cards.ContactCards(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(cards) != 1 || cards[0].Area.Code != code {
		http.Redirect(w, r, "/cards?under="+code, http.StatusFound)
		return
	}
	card, err := u.printed(r, cards[0])
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "card", cardPage{Card: card})
}

// batchCards shows every card under an area (a town, a county) on A4
// sheets for printing in one go.
func (u *ui) batchCards(w http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("under")
	detail, err := u.Areas.AreaDetail(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	cards, err := u.Cards.ContactCards(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	printed, err := u.printAll(r, cards)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := cardsPage{Area: detail.Area, Count: len(cards)}
	for i, card := range printed {
		if i%cardsPerSheet == 0 {
			page.Sheets = append(page.Sheets, nil)
		}
		page.Sheets[len(page.Sheets)-1] = append(page.Sheets[len(page.Sheets)-1], card)
		if len(card.Officers) == 0 {
			page.Gaps = append(page.Gaps, card)
		}
	}
	u.render(w, r, http.StatusOK, "cards", page)
}

// printAll prints the cards on every CPU: a county's batch has hundreds
// of QR codes to encode.
func (u *ui) printAll(r *http.Request, cards []cunjing.ContactCard) ([]printedCard, error) {
	out := make([]printedCard, len(cards))
	errs := make([]error, len(cards))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(cards)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = u.printed(r, cards[i])
			}
		})
	}
	for i := range cards {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// printed adds the public URL and its QR code to a card.
func (u *ui) printed(r *http.Request, c cunjing.ContactCard) (printedCard, error) {
	link := u.publicURL(r, c.Area.Code)
	img, err := qrPNG(link)
	if err != nil {
		return printedCard{}, err
	}
	return printedCard{ContactCard: c, PublicURL: link,
		QR:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(img)),
		Masked: !cunjing.IdentityFrom(r.Context()).Role.SeesPersonalData()}, nil
}

// publicURL is the address of an area's public page: under the configured
// public base URL, or else under the scheme and host the request came to.
func (u *ui) publicURL(r *http.Request, code string) string {
	base := u.PublicURL
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	return strings.TrimRight(base, "/") + "/p/" + code
}

// qrScale is the size of one QR module in pixels, and qrQuiet the white
// margin around the code in modules, which scanners need.
const (
	qrScale = 6
	qrQuiet = 4
)

// qrEncoder writes the PNGs of QR codes, reusing its compressors: a
// county's batch encodes hundreds.
var qrEncoder = png.Encoder{BufferPool: &pngBuffers{}}

// pngBuffers pools the encoders' buffers.
type pngBuffers struct{ pool sync.Pool }

// Get returns a pooled buffer or nil, which makes the encoder allocate one.
func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

// Put returns a buffer to the pool.
func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

// qrPNG encodes text as a QR code (error correction M) in a two-colour PNG
// with its quiet zone.
func qrPNG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("web: qr code: %w", err)
	}
	n := code.Bounds().Dx()
	side := (n + 2*qrQuiet) * qrScale
	img := image.NewPaletted(image.Rect(0, 0, side, side), color.Palette{color.White, color.Black})
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(x, y).RGBA(); r != 0 {
				continue
			}
			for dy := range qrScale {
				for dx := range qrScale {
					img.SetColorIndex((x+qrQuiet)*qrScale+dx, (y+qrQuiet)*qrScale+dy, 1)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := qrEncoder.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("web: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// publicCard is the page a citizen reaches by scanning a card: the area,
// its officers (names and police numbers, never their phones), the
// station's phone and the office's address. No login, no scope: the card
// itself is public.
func (u *ui) publicCard(w http.ResponseWriter, r *http.Request) {
	card, err := u.Cards.PublicCard(r.Context(), r.PathValue("code"))
	if cunjing.ErrorCode(err) == cunjing.ENotFound {
		u.render(w, r, http.StatusNotFound, "public_card", nil)
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	// Citizen feedback (见警率, 安全感, 满意度) and problem reports plug in
	// here: a form posting to /p/{code}/feedback, shown below the card.
	u.render(w, r, http.StatusOK, "public_card", card)
}
