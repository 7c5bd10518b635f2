package cunjing

import "testing"

func TestAddressKeyTellsTheSameAddress(t *testing.T) {
	same := [][]string{
		{"城关镇建设路12号3栋2单元301室", "城关镇 建设路 １２号 ３幢 ２單元 ３０１室", "城关镇建设路十二号3号楼二单元301房间", "城关镇建设路12#3棟2单元301室"},
		{"张庄村3组15号", "张庄村第三组15号", "张庄村三组 15 号", "张庄村第3组15號"},
		{"幸福小区1-2-301", "幸福小区1—2—301", "幸福小区１－２－３０１"},
		{"人民路一〇一号", "人民路101号"},
		{"鲁阳镇一百零五号", "鲁阳镇105号"},
	}
	for _, group := range same {
		want := AddressKey(group[0])
		for _, other := range group[1:] {
			if got := AddressKey(other); got != want {
				t.Errorf("AddressKey(%q) = %q; want %q, the key of %q", other, got, want, group[0])
			}
		}
	}
	for _, pair := range [][2]string{
		{"建设路12号", "建设路21号"},
		{"张庄村3组", "张庄村4组"},
		{"第一人民医院", "人民医院"},
		{"三门峡路8号", "门峡路8号"},
	} {
		if AddressKey(pair[0]) == AddressKey(pair[1]) {
			t.Errorf("%q and %q get the same key %q", pair[0], pair[1], AddressKey(pair[0]))
		}
	}
	if got := AddressKey("城关镇建设路十二号3号楼二单元301房间"); got != "城关镇建设路12号3栋2单元301室" {
		t.Errorf("key = %q", got)
	}
}

// FuzzAddressKey checks that a key is its own key.
func FuzzAddressKey(f *testing.F) {
	for _, s := range []string{"城关镇建设路十二号3号楼二单元301房间", "第三组", "１－２", "一百零五号", "十十号"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		key := AddressKey(text)
		if again := AddressKey(key); again != key {
			t.Fatalf("%q → %q → %q", text, key, again)
		}
	})
}
