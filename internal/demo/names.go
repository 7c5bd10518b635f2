package demo

import (
	"math/rand/v2"
	"slices"
	"unicode/utf8"
)

// The names and mobile numbers of the demo's people — the police force and
// the residents — come from here: a surname, one or two given characters,
// and a mobile number of a mainland carrier.

// givenChars make up the given names of staff, one or two of them.
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志建国红海鹏飞宇浩凯辉斌鑫波宁文博亮俊峰晨阳东林雪琳晶颖婷燕丹萍莉倩振永春金保卫新民利德庆忠成梅晓彬")

// mobilePrefixes are the first three digits of the mobile numbers given.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
	"155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"}

// drawName returns a Chinese name: the surname pick makes of a uniform
// number, then one given character of given, or two in twoIn of ten draws
// (one only after a compound surname, so that names have 2–3 characters).
func drawName(r *rand.Rand, pick func(u float64) string, given []rune, twoIn int) string {
	surname := pick(r.Float64())
	name := make([]byte, 0, 12)
	name = append(name, surname...)
	name = utf8.AppendRune(name, given[r.IntN(len(given))])
	if r.IntN(10) < twoIn {
		second := given[r.IntN(len(given))]
		if utf8.RuneCountInString(surname) == 1 {
			name = utf8.AppendRune(name, second)
		}
	}
	return string(name)
}

// staffSurname picks from surnames by rank, the common ones more often.
func staffSurname(u float64) string {
	return string(surnames[int(u*u*float64(len(surnames)))])
}

// mobileNumber returns a random mobile number; numbers may repeat.
func mobileNumber(r *rand.Rand) string {
	prefix := mobilePrefixes[r.IntN(len(mobilePrefixes))]
	n := r.IntN(100_000_000)
	b := make([]byte, 11)
	copy(b, prefix)
	for i := 10; i >= 3; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// residentSurnames are the surnames of residents with their frequency per
// 100,000 people, after the household-register statistics with the
// surnames common in Henan (郭, 牛, 闫) a little higher; the rare ones read
// otherwise as surnames (单 Shàn, 解 Xiè, 曾 Zēng, 仇 Qiú, 查 Zhā…) and a
// few compound surnames are there too, so that search meets them.
var residentSurnames = []struct {
	name string
	per  int
}{
	{"王", 7100}, {"李", 7200}, {"张", 6800}, {"刘", 5400}, {"陈", 4600}, {"杨", 3100}, {"赵", 2100},
	{"黄", 1800}, {"周", 1900}, {"吴", 1800}, {"徐", 1400}, {"孙", 1500}, {"胡", 1300}, {"朱", 1300},
	{"高", 1300}, {"林", 900}, {"何", 1000}, {"郭", 1500}, {"马", 1300}, {"罗", 800}, {"梁", 800},
	{"宋", 800}, {"郑", 800}, {"谢", 600}, {"韩", 700}, {"唐", 600}, {"冯", 700}, {"于", 600},
	{"董", 600}, {"肖", 500}, {"程", 600}, {"曹", 600}, {"袁", 500}, {"邓", 500}, {"许", 600},
	{"傅", 300}, {"沈", 400}, {"曾", 400}, {"彭", 400}, {"吕", 500}, {"苏", 400}, {"卢", 400},
	{"蒋", 400}, {"蔡", 400}, {"贾", 500}, {"丁", 500}, {"魏", 500}, {"薛", 400}, {"叶", 300},
	{"阎", 200}, {"余", 300}, {"潘", 300}, {"杜", 400}, {"戴", 300}, {"夏", 300}, {"钟", 300},
	{"汪", 300}, {"田", 400}, {"任", 400}, {"姜", 300}, {"范", 400}, {"方", 300}, {"石", 400},
	{"姚", 300}, {"谭", 200}, {"廖", 200}, {"邹", 200}, {"熊", 200}, {"金", 200}, {"陆", 200},
	{"郝", 300}, {"孔", 200}, {"白", 300}, {"崔", 300}, {"康", 200}, {"毛", 200}, {"邱", 200},
	{"秦", 200}, {"江", 200}, {"史", 300}, {"顾", 200}, {"侯", 300}, {"邵", 200}, {"孟", 300},
	{"龙", 100}, {"万", 200}, {"段", 200}, {"雷", 200}, {"钱", 100}, {"汤", 100}, {"尹", 200},
	{"黎", 100}, {"易", 100}, {"常", 300}, {"武", 300}, {"乔", 200}, {"贺", 200}, {"赖", 100},
	{"龚", 100}, {"文", 100}, {"牛", 300}, {"闫", 300}, {"付", 300}, {"耿", 200}, {"申", 200},
	{"翟", 100}, {"单", 50}, {"解", 50}, {"仇", 30}, {"查", 20}, {"覃", 30}, {"区", 5}, {"朴", 5},
	{"盖", 20}, {"乐", 20}, {"缪", 20}, {"尉", 10}, {"欧阳", 40}, {"司马", 10}, {"诸葛", 5}, {"上官", 5},
}

// surnameCumulative holds the running totals of residentSurnames.
var surnameCumulative = func() []int {
	sums := make([]int, len(residentSurnames))
	total := 0
	for i, s := range residentSurnames {
		total += s.per
		sums[i] = total
	}
	return sums
}()

// residentSurname picks a surname by its frequency.
func residentSurname(u float64) string {
	target := int(u * float64(surnameCumulative[len(surnameCumulative)-1]))
	i, _ := slices.BinarySearch(surnameCumulative, target+1)
	return residentSurnames[i].name
}

// Given-name characters by sex and by the years people were born in: the
// 秀英 and 建国 of the old, the 伟 and 丽 of the middle-aged, the 梓涵 and
// 浩宇 of the young.
var (
	givenOld = [2][]rune{
		[]rune("秀英兰桂珍凤玉华芳梅翠荣香霞花琴淑云莲娥爱菊"),
		[]rune("国建军德明福金贵有成才山保根华富忠兴海林志义宝学民文庆春生胜"),
	}
	givenMiddle = [2][]rune{
		[]rune("丽静敏艳娟芳燕玲红霞丹萍莉娜晶颖婷倩雪琳慧佳利欢"),
		[]rune("伟强磊军勇杰涛明超鹏飞辉斌波刚峰亮俊东新利海龙洋宏鑫"),
	}
	givenYoung = [2][]rune{
		[]rune("欣怡梓涵雨萱诗琪思可馨一诺悦彤佳语若婉依晨瑶菲紫"),
		[]rune("浩宇子轩梓博文涵睿泽辰俊一航铭皓天昊然阳宸锦奕嘉瑞旭"),
	}
)

// residentName returns the name of a resident of a surname pick, of a sex
// (male true) and born in a year: the older, the more often one given
// character.
func residentName(r *rand.Rand, pick func(float64) string, male bool, born int) string {
	sex := 0
	if male {
		sex = 1
	}
	switch {
	case born < 1965:
		return drawName(r, pick, givenOld[sex], 5)
	case born < 1995:
		return drawName(r, pick, givenMiddle[sex], 7)
	}
	return drawName(r, pick, givenYoung[sex], 9)
}

// familySurname returns a pick that always gives surname: children take
// their father's.
func familySurname(surname string) func(float64) string {
	return func(float64) string { return surname }
}
