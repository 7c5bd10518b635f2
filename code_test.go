package cunjing

import (
	"slices"
	"strings"
	"testing"
)

func TestLevelOfCode(t *testing.T) {
	cases := map[string]Level{
		"41": LevelProvince, "4104": LevelCity, "410423": LevelCounty, "410423100": LevelTown,
		"410423100201": LevelVillage, "410402001001-G01": LevelGrid, "410423-S01": LevelVenue, "410423100201-S1234": LevelVenue,
	}
	for code, want := range cases {
		if got, err := LevelOfCode(code); err != nil || got != want {
			t.Errorf("LevelOfCode(%q) = %q, %v; want %q", code, got, err, want)
		}
	}
	for _, bad := range []string{"", "4", "410", "41042", "4104231002011", "41O4", "４１", "410423-G01", "410423100201-X01", "410423-S", "410423-S1", "410423-S12345", "410423--S01"} {
		if _, err := LevelOfCode(bad); ErrorCode(err) != EInvalid {
			t.Errorf("LevelOfCode(%q) err = %v; want invalid", bad, err)
		}
	}
}

func TestAncestorCodes(t *testing.T) {
	if got := AncestorCodes("410402001001-G02"); !slices.Equal(got, []string{"41", "4104", "410402", "410402001", "410402001001"}) {
		t.Errorf("grid ancestors = %v", got)
	}
	if got := AncestorCodes("41"); len(got) != 0 {
		t.Errorf("province ancestors = %v", got)
	}
}

func TestKindAndShortName(t *testing.T) {
	cases := []struct {
		name, short string
		kind        Kind
	}{
		{"武庄村民委员会", "武庄村", KindVillage},
		{"张庄村村民委员会", "张庄村", KindVillage},
		{"高庄社区村民委员会", "高庄社区村", KindVillage},
		{"曙北社区居民委员会", "曙北社区", KindCommunity},
		{"四化路社区居委会", "四化路社区", KindCommunity},
		{"西大街居民委员会", "西大街居委会", KindCommunity},
		{"长安社区", "长安社区", KindCommunity},
		{"铁路新村社区居民委员会", "铁路新村社区", KindCommunity},
	}
	for _, c := range cases {
		if got := KindFromName(c.name); got != c.kind {
			t.Errorf("KindFromName(%q) = %q; want %q", c.name, got, c.kind)
		}
		if got := ShortAreaName(c.name); got != c.short {
			t.Errorf("ShortAreaName(%q) = %q; want %q", c.name, got, c.short)
		}
	}
}

func TestCanonicalUsernameFoldsLookAlikes(t *testing.T) {
	for _, name := range []string{"Zhang", "zhang", " ZHANG ", "Ｚｈａｎｇ"} {
		if got := CanonicalUsername(name); got != "zhang" {
			t.Errorf("CanonicalUsername(%q) = %q; want zhang", name, got)
		}
	}
}

func FuzzLevelOfCode(f *testing.F) {
	for _, seed := range []string{"41", "410423100201", "410402001001-G01", "410423-S01", "4104x", "-", "410423-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code string) {
		level, err := LevelOfCode(code)
		if err != nil {
			return
		}
		parent := ParentCodeOf(code)
		if level == LevelProvince {
			if parent != "" {
				t.Fatalf("province %q has parent %q", code, parent)
			}
			return
		}
		if !strings.HasPrefix(code, parent) || !ValidAreaCode(parent) || len(parent) >= len(code) {
			t.Fatalf("code %q: parent %q is not a shorter valid prefix", code, parent)
		}
	})
}
