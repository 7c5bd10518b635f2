package cunjing

import (
	"strings"
	"testing"
)

func TestNormalizePersonName(t *testing.T) {
	for in, want := range map[string]string{
		"张三":          "张三",
		"  张三  ":      "张三",
		"阿卜杜•热合曼":     "阿卜杜·热合曼",
		"阿卜杜・热合曼":     "阿卜杜·热合曼",
		"阿卜杜･热合曼":     "阿卜杜·热合曼",
		"阿卜杜·热合曼":     "阿卜杜·热合曼",
		"𠮷野家":         "𠮷野家", // outside the BMP, kept
		"John  Smith": "John Smith",
		"ＪＯＨＮ":        "JOHN",
		"王\u3000五":    "王 五",
	} {
		if got, err := NormalizePersonName(in); err != nil || got != want {
			t.Errorf("NormalizePersonName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, why := range map[string]string{
		"":                      "empty",
		"   ":                   "empty",
		"张\u200b三":              "invisible",
		"张\u202e三":              "invisible",
		"张\n三":                  "invisible",
		"·张三":                   "middle dot",
		"张··三":                  "middle dot",
		strings.Repeat("张", 51): "at most 50",
		"张\xff三":                "invisible",
	} {
		if _, err := NormalizePersonName(in); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), why) {
			t.Errorf("NormalizePersonName(%q) = %v; want invalid: %s", in, err, why)
		}
	}
}

// FuzzNormalizePersonName checks that an accepted name is stable.
func FuzzNormalizePersonName(f *testing.F) {
	for _, s := range []string{"张三", "阿卜杜•热合曼", "𠮷野家", "张\u200b三", " a  b "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		name, err := NormalizePersonName(text)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("%q: %v is not an invalid-input error", text, err)
			}
			return
		}
		if again, err := NormalizePersonName(name); err != nil || again != name {
			t.Fatalf("%q → %q, which normalises to %q, %v", text, name, again, err)
		}
	})
}
