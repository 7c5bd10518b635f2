package cunjing

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// PinyinKey is how a name is found by pinyin: 张三 by "zhangsan" and by
// its initials "zs".
type PinyinKey struct {
	Full     string
	Initials string
}

// surnameReadings are the readings of surnames that the dictionary reads
// otherwise when they are not surnames (单 is dān as a word, Shàn as a
// surname); where a surname has two readings in use, both are given.
var surnameReadings = map[rune][]string{
	'单': {"shan"}, '曾': {"zeng"}, '解': {"xie"}, '仇': {"qiu"}, '区': {"ou"}, '朴': {"piao"},
	'查': {"zha"}, '盖': {"ge", "gai"}, '乐': {"yue", "le"}, '缪': {"miao"}, '召': {"shao"},
	'种': {"chong"}, '覃': {"qin"}, '翟': {"zhai"}, '尉': {"yu", "wei"}, '员': {"yun"},
	'秘': {"bi"}, '折': {"she"}, '繁': {"po"}, '句': {"gou"}, '隗': {"wei"}, '黑': {"he"},
}

// nameReadings are the readings characters take in names where the
// dictionary's first reading is another (卜 is bǔ in 阿卜杜, bo in 萝卜).
var nameReadings = map[rune]string{'卜': "bu"}

// NamePinyin returns the pinyin keys of a person's name, without tones: one
// key, or one per reading of a surname read two ways. Latin letters are
// kept (lower case, a word each for the initials); other characters that
// have no reading, such as the middle dot, are left out.
func NamePinyin(name string) []PinyinKey {
	runes := []rune(name)
	first := []string{""}
	if len(runes) > 0 {
		if readings, ok := surnameReadings[runes[0]]; ok {
			first, runes = readings, runes[1:]
		}
	}
	rest := syllables(runes)
	keys := make([]PinyinKey, 0, len(first))
	for _, f := range first {
		parts := rest
		if f != "" {
			parts = append([]string{f}, rest...)
		}
		key := PinyinKey{Full: strings.Join(parts, "")}
		for _, p := range parts {
			key.Initials += p[:1]
		}
		keys = append(keys, key)
	}
	return keys
}

// syllables reads a name into pinyin syllables and Latin words, in order.
func syllables(runes []rune) []string {
	args := pinyin.NewArgs()
	var parts []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			parts = append(parts, word.String())
			word.Reset()
		}
	}
	for _, r := range runes {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			word.WriteRune(unicode.ToLower(r))
		case nameReadings[r] != "":
			flush()
			parts = append(parts, nameReadings[r])
		case unicode.Is(unicode.Han, r):
			flush()
			if p := pinyin.SinglePinyin(r, args); len(p) > 0 && p[0] != "" {
				parts = append(parts, p[0])
			}
		default:
			flush()
		}
	}
	flush()
	return parts
}
