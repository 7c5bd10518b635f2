package cunjing

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// addressVariants are the spellings of the same part of an address, each
// replaced by one (after NFKC and without spaces); the replacer tries the
// longer spellings first.
var addressVariants = strings.NewReplacer(
	"號樓", "栋", "号楼", "栋", "號", "号", "幢", "栋", "棟", "栋",
	"單元", "单元", "门洞", "单元",
	"樓", "楼", "層", "层", "房间", "室",
	"－", "-", "—", "-", "–", "-", "―", "-", "#", "号",
)

// countedPart is a number, in digits or Chinese numerals and with an
// optional ordinal 第, before a part of an address it counts.
var countedPart = regexp.MustCompile(`第*([零〇一二两三四五六七八九十百]+|[0-9]+)(号|栋|单元|层|楼|室|组|队|巷|排)`)

// AddressKey returns the form of an address text used to tell duplicates:
// NFKC (full-width digits and letters made half-width), no spaces or
// invisible characters, one spelling of each part (号楼 = 幢 = 栋, 單元 =
// 单元, 房间 = 室, # = 号, dashes alike), and the number before a counted
// part in digits, without leading zeros or an ordinal (第三组 = 三组 = 3组,
// 十二号 = 012号 = 12号). A key is its own key.
func AddressKey(text string) string {
	// A rewrite can make another ("#楼" → "号楼" → "栋"; "0三号" → "03号"
	// → "3号"; a space dropped lets NFKC compose), so rewrite until nothing
	// changes; no rule undoes another, and a few passes always suffice.
	s := text
	for range 16 {
		next := countedPart.ReplaceAllStringFunc(addressVariants.Replace(norm.NFKC.String(strings.Map(keepPrinted, s))), func(m string) string {
			parts := countedPart.FindStringSubmatch(m)
			return addressDigits(parts[1]) + parts[2]
		})
		if next == s {
			break
		}
		s = next
	}
	return s
}

// isHidden reports a character that prints nothing: a control or format
// character, or a broken byte.
func isHidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// keepPrinted drops spaces, control and format characters and broken bytes.
func keepPrinted(r rune) rune {
	if unicode.IsSpace(r) || isHidden(r) {
		return -1
	}
	return r
}

// addressDigits writes the number of a counted part in digits: digits
// without leading zeros, Chinese numerals with 十 and 百 (十二, 一百零五),
// or Chinese digits one by one (一〇一 = 101).
func addressDigits(s string) string {
	if s[0] >= '0' && s[0] <= '9' {
		if t := strings.TrimLeft(s, "0"); t != "" {
			return t
		}
		return "0"
	}
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	if !strings.ContainsAny(s, "十百") {
		var b strings.Builder
		for _, r := range s {
			b.WriteByte(byte('0' + digits[r]))
		}
		return addressDigits(b.String())
	}
	total, digit := 0, 0
	for _, r := range s {
		switch r {
		case '十', '百':
			total += max(digit, 1) * map[rune]int{'十': 10, '百': 100}[r]
			digit = 0
		default:
			digit = digits[r]
		}
	}
	return strconv.Itoa(total + digit)
}
