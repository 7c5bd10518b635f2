package cunjing

import (
	"testing"
)

func TestParseSearchTellsWhatWasTyped(t *testing.T) {
	today := NewDate(2026, 11, 29)
	cases := []struct {
		in   string
		kind SearchKind
		text string
	}{
		{"11010519491231002x", SearchIDNumber, "11010519491231002X"},
		{"１１０１０５ １９４９１２３１ ００２Ｘ", SearchIDNumber, "11010519491231002X"},
		{"110105491231002", SearchIDNumber, "11010519491231002X"},
		{"usa123456789", SearchIDNumber, "USA 123456789"},
		{"002x", SearchIDTail, "002X"},
		{"1234", SearchIDTail, "1234"},
		{"231002", SearchIDTail, "231002"},
		{"138 1234 5678", SearchPhone, "13812345678"},
		{"+8613812345678", SearchPhone, "13812345678"},
		{"0375-2345678", SearchPhone, "0375-2345678"},
		{"zs", SearchPinyin, "zs"},
		{"Zhang San", SearchPinyin, "zhangsan"},
		{"张三", SearchName, "张三"},
		{"阿卜杜•热合曼", SearchName, "阿卜杜·热合曼"},
		{"𠈌三", SearchName, "𠈌三"},
		{"建设路12号", SearchAddress, "建设路12号"},
		{"建设路十二號", SearchAddress, "建设路12号"},
		{"张庄村", SearchAddress, "张庄村"},
		{"91350100M000100Y43", SearchOrg, "91350100M000100Y43"},
	}
	for _, c := range cases {
		q, err := ParseSearch(c.in, today)
		if err != nil || q.Kind != c.kind || q.Text != c.text {
			t.Errorf("ParseSearch(%q) = %+v, %v; want %s %q", c.in, q, err, c.kind, c.text)
		}
	}
}

func TestParseSearchRefusesEmptyAndHiddenText(t *testing.T) {
	for _, in := range []string{"", "   ", "张\u200b三", "张\x00三", string(make([]rune, 101))} {
		_, err := ParseSearch(in, NewDate(2026, 11, 29))
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields["q"] == "" {
			t.Errorf("ParseSearch(%q) = %v; want invalid naming q", in, err)
		}
	}
}
