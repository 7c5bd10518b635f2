package importer

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
)

// choice is one value of an enumerated column and the words that mean it;
// the first word is what the template and the export write.
type choice[T ~string] struct {
	value T
	words []string
}

// choices is the vocabulary of one enumerated column.
type choices[T ~string] []choice[T]

// parse reads a word or the code of a value, ignoring case and spaces.
func (cs choices[T]) parse(s string) (T, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	for _, c := range cs {
		if s == string(c.value) {
			return c.value, true
		}
		for _, w := range c.words {
			if s == w {
				return c.value, true
			}
		}
	}
	return "", false
}

// word returns the word the template uses for v, or v itself.
func (cs choices[T]) word(v T) string {
	for _, c := range cs {
		if c.value == v {
			return c.words[0]
		}
	}
	return string(v)
}

// words lists the template's words, for drop-downs and messages.
func (cs choices[T]) words() []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.words[0]
	}
	return out
}

var staffKinds = choices[cunjing.StaffKind]{
	{cunjing.StaffOfficer, []string{"民警"}},
	{cunjing.StaffAuxiliary, []string{"辅警"}},
	{cunjing.StaffCadre, []string{"包村干部", "干部"}},
	{cunjing.StaffPatrol, []string{"巡防队员"}},
	{cunjing.StaffSecurity, []string{"治保人员"}},
	{cunjing.StaffVillageOfficial, []string{"大学生村官", "村官"}},
	{cunjing.StaffLegalAdvisor, []string{"法律顾问"}},
	{cunjing.StaffMediator, []string{"调解员"}},
}

var staffStatuses = choices[cunjing.StaffStatus]{
	{cunjing.StaffActive, []string{"在岗"}},
	{cunjing.StaffOnLeave, []string{"休假"}},
	{cunjing.StaffTransferred, []string{"调离"}},
	{cunjing.StaffRetired, []string{"退休"}},
}

var postRoles = choices[cunjing.PostRole]{
	{cunjing.PostResponsible, []string{"责任民警", "包村民警"}},
	{cunjing.PostCommunity, []string{"社区民警"}},
	{cunjing.PostAuxiliary, []string{"辅警"}},
	{cunjing.PostCadre, []string{"包村干部", "干部"}},
	{cunjing.PostPatrol, []string{"巡防队员"}},
	{cunjing.PostSecurity, []string{"治保人员"}},
	{cunjing.PostVillageOfficial, []string{"大学生村官", "村官"}},
	{cunjing.PostLegalAdvisor, []string{"法律顾问"}},
	{cunjing.PostMediator, []string{"调解员"}},
}

var yesNo = choices[string]{
	{"yes", []string{"是", "y", "true", "1"}},
	{"no", []string{"否", "n", "false", "0"}},
}

// parseDay reads a day as 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日,
// 20240105, or an Excel date serial number.
func parseDay(s string) (cunjing.Date, bool) {
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 1 && n < 100000 && !strings.ContainsAny(s, "-/.") {
		t, err := excelize.ExcelDateToTime(n, false)
		return cunjing.NewDate(t.Year(), t.Month(), t.Day()), err == nil
	}
	if len(s) == 8 && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' }) {
		s = s[:4] + "-" + s[4:6] + "-" + s[6:]
	}
	s = strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "").Replace(s)
	s, _, _ = strings.Cut(s, " ") // a time of day after the date
	t, err := time.Parse("2006-1-2", s)
	if err != nil {
		return cunjing.Date{}, false
	}
	return cunjing.NewDate(t.Year(), t.Month(), t.Day()), true
}
