package web

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"cunjing"
)

// templateSources returns every template file by name.
func templateSources(t *testing.T) map[string]string {
	t.Helper()
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	srcs := map[string]string{}
	for _, f := range files {
		b, err := templateFiles.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = string(b)
	}
	return srcs
}

// usedKeys returns the message keys the UI asks for: the literal keys of
// t and tf in templates and the keys that Go code hands to templates.
func usedKeys(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	literal := regexp.MustCompile(`\b(?:t|tf) "([^"]+)"`)
	for _, src := range templateSources(t) {
		for _, m := range literal.FindAllStringSubmatch(src, -1) {
			keys[m[1]] = true
		}
	}
	for key := range goKeys(t) {
		keys[key] = true
	}
	for _, item := range nav {
		keys[item.Key] = true
	}
	for _, p := range errorPages {
		keys[p.Title], keys[p.Text] = true, true
	}
	for _, h := range divisionHeaders {
		keys[h.Key] = true
	}
	for _, l := range cunjing.Levels {
		keys["level."+string(l)] = true
	}
	for _, k := range []cunjing.Kind{cunjing.KindVillage, cunjing.KindCommunity} {
		keys["kind."+string(k)] = true
	}
	for _, k := range cunjing.UnitKinds {
		keys["unitkind."+string(k)] = true
	}
	for _, r := range cunjing.Roles {
		keys["role."+string(r)] = true
	}
	for _, r := range cunjing.PostRoles {
		keys["postrole."+string(r)] = true
	}
	for _, k := range cunjing.StaffKinds {
		keys["staffkind."+string(k)] = true
	}
	for _, s := range cunjing.StaffStatuses {
		keys["staffstatus."+string(s)] = true
	}
	for _, k := range cunjing.CoverageKinds {
		keys["coverage.kind."+string(k)] = true
	}
	for _, v := range cunjing.VenueTypes {
		keys["venuetype."+string(v)] = true
	}
	for _, p := range cunjing.DualPostKinds {
		keys["dualpost."+string(p)] = true
	}
	for _, a := range cunjing.AuditActions {
		keys["action."+a] = true
	}
	for _, r := range cunjing.AuditResults {
		keys["result."+r] = true
	}
	for prefix, values := range recordKeys() {
		for _, v := range values {
			keys[prefix+v] = true
		}
	}
	for _, key := range recordGoKeys() {
		keys[key] = true
	}
	return keys
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	zh, en := slices.Sorted(maps.Keys(cats[langZH])), slices.Sorted(maps.Keys(cats[langEN]))
	if !slices.Equal(zh, en) {
		t.Errorf("zh-CN and en keys differ:\nzh-CN: %v\nen:    %v", zh, en)
	}
	for _, lang := range languages {
		for key, text := range cats[lang] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %q is empty", lang, key)
			}
		}
	}
}

func TestEveryUsedKeyHasAMessage(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d keys in the templates; is the pattern still right?", len(used))
	}
	for _, lang := range languages {
		for key := range used {
			if _, ok := cats[lang][key]; !ok {
				t.Errorf("%s.json has no message %q", lang, key)
			}
		}
	}
	for key := range cats[langZH] {
		if !used[key] {
			t.Errorf("message %q is never used", key)
		}
	}
}

func TestTemplatesHoldNoText(t *testing.T) {
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	tag := regexp.MustCompile(`(?s)<[^>]*>`)
	visibleAttr := regexp.MustCompile(`\b(?:placeholder|title|alt|aria-label)="([^"]*)"`)
	for name, src := range templateSources(t) {
		bare := action.ReplaceAllString(src, "")
		for _, m := range visibleAttr.FindAllStringSubmatch(bare, -1) {
			if strings.TrimSpace(m[1]) != "" {
				t.Errorf("%s: attribute %s has text of its own", name, m[0])
			}
		}
		text := tag.ReplaceAllString(bare, "")
		if i := strings.IndexFunc(text, isWording); i >= 0 {
			t.Errorf("%s: text outside the catalogues near %q", name, text[i:min(i+40, len(text))])
		}
	}
}

// isWording reports whether r belongs to one language's text: a letter, or
// Chinese punctuation such as 、 and ；.
func isWording(r rune) bool {
	return unicode.IsLetter(r) || r >= '\u3000' && r <= '\u303f' || r >= '\uff00' && r <= '\uffef'
}

func TestTemplatesKeepToTheContentSecurityPolicy(t *testing.T) {
	forbidden := map[string]*regexp.Regexp{
		"inline style attribute": regexp.MustCompile(`\sstyle=`),
		"style block":            regexp.MustCompile(`<style`),
		"inline script":          regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`),
		"script without src":     regexp.MustCompile(`<script(?:(?:\s[^>]*)?)>`),
		"event handler":          regexp.MustCompile(`\son[a-z]+=`),
		"outside URL":            regexp.MustCompile(`(?:src|href)="(?:https?:)?//`),
	}
	for name, src := range templateSources(t) {
		for what, re := range forbidden {
			for _, m := range re.FindAllString(src, -1) {
				if what == "script without src" && strings.Contains(m, " src=") {
					continue
				}
				t.Errorf("%s: %s: %q", name, what, m)
			}
		}
	}
}

// goKeys returns the message keys written as literals in the package's Go
// code, such as the errors of the login page: "login.wrong".
func goKeys(t *testing.T) map[string]bool {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	literal := regexp.MustCompile(`"((?:login|mfa|password|gap)\.[a-z_]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			keys[m[1]] = true
		}
	}
	return keys
}
