package demo

import (
	"strconv"
	"strings"

	"cunjing"
)

// orgKind is a type of org: its share among the orgs of villages and of
// communities (per thousand), its names, the first two characters of its
// credit codes (registration authority and category, GB 32100: 91 a
// company, 92 a sole trader, 12 a public institution, 11 an organ of
// government, 52 a private non-profit) with the share of each, and its
// staff.
type orgKind struct {
	typ            cunjing.OrgType
	rural, urban   int
	names          []string // %v: a trade name; %p: the place
	issuers        []string
	noCode         int // per hundred without a credit code (small shops)
	staffLo, staff int
}

var orgKinds = []orgKind{
	{cunjing.OrgShop, 590, 470, []string{"%v超市", "%v便利店", "%v烩面馆", "%v饭店", "%v理发店", "%v服装店", "%v五金店",
		"%v农资店", "%v烟酒店", "%v水果店", "%v手机店", "%v药店", "%v早餐店", "%v蛋糕店"}, []string{"92"}, 20, 1, 5},
	{cunjing.OrgEnterprise, 120, 240, []string{"平顶山%v建材有限公司", "平顶山%v商贸有限公司", "平顶山%v机械有限公司",
		"平顶山%v物业服务有限公司", "平顶山%v科技有限公司", "平顶山%v农业开发有限公司", "平顶山%v运输有限公司",
		"平顶山%v食品有限公司", "平顶山%v建筑工程有限公司"}, []string{"91"}, 0, 4, 200},
	{cunjing.OrgSchool, 25, 20, []string{"%p小学", "%p幼儿园", "%v幼儿园"}, []string{"12", "12", "52"}, 0, 8, 80},
	{cunjing.OrgHospital, 40, 20, []string{"%p卫生室", "%v诊所", "%p卫生服务站"}, []string{"12", "52"}, 0, 2, 30},
	{cunjing.OrgHotel, 10, 30, []string{"%v宾馆", "%v快捷酒店", "%v旅社"}, []string{"91", "92"}, 0, 2, 30},
	{cunjing.OrgInternetCafe, 10, 20, []string{"%v网吧", "%v网咖"}, []string{"91", "92"}, 0, 2, 12},
	{cunjing.OrgEntertainment, 10, 30, []string{"%vKTV", "%v量贩式KTV", "%v足浴", "%v台球厅"}, []string{"91", "92"}, 0, 3, 40},
	{cunjing.OrgLogistics, 30, 30, []string{"%p菜鸟驿站", "%v快递服务部", "平顶山%v物流有限公司"}, []string{"92", "91"}, 0, 1, 25},
	{cunjing.OrgPawnshop, 0, 5, []string{"平顶山%v典当有限公司"}, []string{"91"}, 0, 3, 10},
	{cunjing.OrgSecondHand, 10, 10, []string{"%v二手家电回收", "%v二手手机店"}, []string{"92"}, 0, 1, 4},
	{cunjing.OrgPrinting, 10, 20, []string{"%v图文印刷店", "%v广告印务"}, []string{"92", "91"}, 0, 1, 15},
	{cunjing.OrgUnlocking, 10, 10, []string{"%v开锁服务部"}, []string{"92"}, 0, 1, 3},
	{cunjing.OrgScrap, 40, 10, []string{"%v废品收购站", "%p废旧金属回收点"}, []string{"92"}, 0, 1, 6},
	{cunjing.OrgGovernment, 20, 20, []string{"%p司法所", "%p财政所", "%p农技站", "%p文化站"}, []string{"11", "11", "12", "12"}, 0, 3, 20},
	{cunjing.OrgOther, 55, 55, []string{"%v农民专业合作社", "%v健身房", "%v培训学校", "%v家政服务部"}, []string{"93", "92", "52", "92"}, 0, 1, 20},
}

// tradeNames are the words businesses are named with.
var tradeNames = []string{"鑫源", "宏达", "恒通", "兴旺", "福满", "金鼎", "华鑫", "顺发", "永盛", "佳乐", "明辉", "利民",
	"新城", "天成", "瑞丰", "嘉禾", "安泰", "盛世", "红星", "东方", "富康", "万家", "惠民", "聚福", "鹰城", "平安"}

// org adds an org at an address and returns its index: in a mixed house
// the shop the household keeps, elsewhere an org of any kind.
func (g *blockGen) org(addr int, mixed bool) int {
	k := orgKinds[0]
	if !mixed {
		k = g.orgKind()
	}
	o := Organisation{Address: addr}
	o.AreaCode, o.AddressText, o.Type = g.area.Code, g.b.Addresses[addr].Text, k.typ
	o.Name = g.orgName(k)
	if !g.chance(k.noCode) {
		o.CreditCode = creditCode(k.issuers[g.r.IntN(len(k.issuers))], g.county, g.orgCode())
	}
	o.StaffCount = k.staffLo + g.r.IntN(k.staff-k.staffLo+1)
	g.people2org(&o, mixed)
	if o.Type.Special() && g.chance(15) {
		o.Note = "特种行业许可证已核验"
	}
	g.b.Orgs = append(g.b.Orgs, o)
	return len(g.b.Orgs) - 1
}

// people2org names the legal representative — the household of a mixed
// house, or a resident of the block, or someone from elsewhere — the
// security contact of a larger org, and the contact phone.
func (g *blockGen) people2org(o *Organisation, mixed bool) {
	switch {
	case mixed:
		head := g.b.Residents[g.owners[len(g.owners)-1]]
		o.LegalRep, o.ContactPhone = head.Name, head.Phone
	case len(g.owners) > 0 && g.chance(60):
		p := g.b.Residents[g.owners[g.r.IntN(len(g.owners))]]
		o.LegalRep, o.ContactPhone = p.Name, p.Phone
	default:
		o.LegalRep, o.ContactPhone = residentName(g.r, residentSurname, g.chance(70), 1960+g.r.IntN(40)), mobileNumber(g.r)
	}
	o.SecurityContact = o.LegalRep
	if o.StaffCount >= 10 || o.Type.Special() {
		o.SecurityContact = residentName(g.r, residentSurname, g.chance(60), 1965+g.r.IntN(40))
	}
	if o.ContactPhone == "" || o.StaffCount >= 20 && g.chance(50) {
		o.ContactPhone = "0375-" + strconv.Itoa(2000000+g.r.IntN(8000000))
	}
}

// orgKind picks the kind of an org by the shares of villages or
// communities.
func (g *blockGen) orgKind() orgKind {
	total := 0
	for _, k := range orgKinds {
		total += g.share(k)
	}
	x := g.r.IntN(total)
	for _, k := range orgKinds {
		if x < g.share(k) {
			return k
		}
		x -= g.share(k)
	}
	return orgKinds[0]
}

func (g *blockGen) share(k orgKind) int {
	if g.urban {
		return k.urban
	}
	return k.rural
}

// orgName names an org of a kind after a trade name, a surname or the
// place.
func (g *blockGen) orgName(k orgKind) string {
	pattern := k.names[g.r.IntN(len(k.names))]
	trade := tradeNames[g.r.IntN(len(tradeNames))]
	if g.chance(25) {
		trade = g.surname() + "记"
	}
	place := cunjing.ShortAreaName(g.area.Name)
	if g.urban {
		place = g.street.street
	}
	return strings.NewReplacer("%v", trade, "%p", place).Replace(pattern)
}

// creditChars are the characters of credit codes in the order of their
// values (GB 32100): no I, O, Z, S or V.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// orgCode returns a 9-character organisation code (GB 11714) of the
// characters credit codes use: eight — "MA" and six more, as codes are
// given now, or eight digits, as before 2015 — and the check character.
// The eight carry the block and the org's number in it, so that no two
// orgs share a code.
func (g *blockGen) orgCode() string {
	n := len(g.b.Orgs)
	b := make([]byte, 8, 9)
	if n < 100 && g.chance(40) {
		putDigits(b[:6], g.ids.block%1_000_000)
		putDigits(b[6:], n)
	} else {
		b[0], b[1] = 'M', 'A'
		putBase(b[2:6], g.ids.block)
		putBase(b[6:], n)
	}
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range b {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * weights[i]
	}
	switch check := 11 - sum%11; check {
	case 10:
		b = append(b, 'X')
	case 11:
		b = append(b, '0')
	default:
		b = append(b, byte('0'+check))
	}
	return string(b)
}

// putBase writes n into b in the base of creditChars, zero-padded.
func putBase(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = creditChars[n%len(creditChars)]
		n /= len(creditChars)
	}
}

// creditWeights weigh the first 17 characters of a credit code: 3^i mod 31.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// creditCode composes a unified social credit code of an issuer (authority
// and category), a region and an organisation code, with its check
// character.
func creditCode(issuer, region, orgCode string) string {
	s := issuer + region + orgCode
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(creditChars, s[i]) * creditWeights[i]
	}
	return s + string(creditChars[(31-sum%31)%31])
}
