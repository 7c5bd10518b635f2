package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"cunjing"
)

// Languages of the UI: Chinese by default, English on request.
const (
	langZH = "zh-CN"
	langEN = "en"
)

// languages lists the UI languages, the default first.
var languages = []string{langZH, langEN}

// langParam maps the values of ?lang= to a language.
var langParam = map[string]string{"zh": langZH, "zh-CN": langZH, "en": langEN}

// langCookie is the cookie that keeps the chosen language.
const langCookie = "lang"

//go:embed messages/*.json
var messageFiles embed.FS

// catalog maps message keys to the text of one language.
type catalog map[string]string

// loadCatalogs reads the message file of every language and checks that
// they all have the same keys.
func loadCatalogs() (map[string]catalog, error) {
	cats := map[string]catalog{}
	for _, lang := range languages {
		b, err := messageFiles.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: messages: %w", err)
		}
		var c catalog
		if err := json.Unmarshal(b, &c); err != nil {
			return nil, fmt.Errorf("web: messages %s: %w", lang, err)
		}
		cats[lang] = c
	}
	want := slices.Sorted(maps.Keys(cats[langZH]))
	for _, lang := range languages[1:] {
		if got := slices.Sorted(maps.Keys(cats[lang])); !slices.Equal(got, want) {
			return nil, fmt.Errorf("web: messages %s and %s have different keys", lang, langZH)
		}
	}
	return cats, nil
}

// translator looks up and formats the messages of one language.
type translator struct {
	cat     catalog
	printer *message.Printer
}

func newTranslator(lang string, cat catalog) translator {
	return translator{cat: cat, printer: message.NewPrinter(language.MustParse(lang))}
}

// t returns the text of key; a missing key fails the template.
func (tr translator) t(key string) (string, error) {
	text, ok := tr.cat[key]
	if !ok {
		return "", fmt.Errorf("web: no message %q", key)
	}
	return text, nil
}

// tf formats the text of key printf-style; numbers get digit grouping.
func (tr translator) tf(key string, args ...any) (string, error) {
	text, err := tr.t(key)
	if err != nil {
		return "", err
	}
	return tr.printer.Sprintf(text, args...), nil
}

// num formats a count with digit grouping: 2,828.
func (tr translator) num(n int) string {
	return tr.printer.Sprintf("%d", n)
}

type langKey struct{}

// langFrom returns the language chosen for the request.
func langFrom(ctx context.Context) string {
	if lang, ok := ctx.Value(langKey{}).(string); ok {
		return lang
	}
	return langZH
}

// withLanguage picks the language of each request: ?lang= (remembered in a
// cookie for a year), else the cookie, else Chinese.
func withLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := langZH
		if c, err := r.Cookie(langCookie); err == nil && langParam[c.Value] != "" {
			lang = langParam[c.Value]
		}
		if asked := langParam[r.URL.Query().Get("lang")]; asked != "" {
			lang = asked
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/",
				MaxAge: int((365 * 24 * time.Hour).Seconds()), HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, lang)))
	})
}

// gap explains why an area falls short of its staffing model.
func (tr translator) gap(g cunjing.GapReason) (string, error) {
	roles := make([]string, len(g.Roles))
	for i, r := range g.Roles {
		name, err := tr.t("postrole." + string(r))
		if err != nil {
			return "", err
		}
		roles[i] = name
	}
	sep, err := tr.t("gap.or")
	if err != nil {
		return "", err
	}
	who := strings.Join(roles, sep)
	switch g.Code {
	case cunjing.GapNoOfficer:
		return tr.t("gap.no_officer")
	case cunjing.GapOffDuty:
		return tr.tf("gap.off_duty", g.Staff.Name)
	case cunjing.GapTooFew:
		return tr.tf("gap.too_few", g.Have, g.Need, who)
	case cunjing.GapTooMany:
		return tr.tf("gap.too_many", g.Have, who, g.Need)
	case cunjing.GapOverloaded:
		return tr.tf("gap.overloaded", g.Staff.Name, g.Have, g.Need)
	case cunjing.GapTooFar:
		return tr.tf("gap.too_far", g.Staff.Name, g.Km, g.Within)
	}
	return string(g.Code), nil
}
