package cunjing

import (
	"reflect"
	"testing"
)

func TestNamePinyin(t *testing.T) {
	for name, want := range map[string][]PinyinKey{
		"张三":         {{"zhangsan", "zs"}},
		"单雄信":        {{"shanxiongxin", "sxx"}},
		"曾国藩":        {{"zengguofan", "zgf"}},
		"盖聂":         {{"genie", "gn"}, {"gainie", "gn"}},
		"阿卜杜·热合曼":    {{"abudureheman", "abdrhm"}},
		"John Smith": {{"johnsmith", "js"}},
		"𠮷野家":        {{"yejia", "yj"}},
		"":           {{"", ""}},
	} {
		if got := NamePinyin(name); !reflect.DeepEqual(got, want) {
			t.Errorf("NamePinyin(%q) = %v; want %v", name, got, want)
		}
	}
}

// FuzzNamePinyin checks that keys are lower-case ASCII and the initials
// are no longer than the full pinyin.
func FuzzNamePinyin(f *testing.F) {
	for _, s := range []string{"张三", "盖聂", "John", "·", "𠮷"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, k := range NamePinyin(name) {
			for _, s := range []string{k.Full, k.Initials} {
				for _, r := range s {
					if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
						t.Fatalf("%q → %+v has %q", name, k, r)
					}
				}
			}
			if len(k.Initials) > len(k.Full) {
				t.Fatalf("%q → %+v", name, k)
			}
		}
	})
}
