package importer

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"cunjing"
)

// rowParser turns the cells of a data row into a record of its kind.
type rowParser struct {
	layout  *recordLayout
	cols    map[string]int
	headers map[string]string
	today   cunjing.Date
}

// parserOf returns the parser of the file's rows.
func (f *RecordFile) parserOf(today cunjing.Date) *rowParser {
	return &rowParser{layout: f.layout, cols: f.cols, headers: f.headers, today: today}
}

// rowCells is a row being parsed: its cells and the problems found so far,
// by field key ("" for the whole row).
type rowCells struct {
	p     *rowParser
	cells []string
	bad   map[string]string
}

func (c *rowCells) get(key string) string {
	if i, ok := c.p.cols[key]; ok && i < len(c.cells) {
		return c.cells[i]
	}
	return ""
}

// complain records the first problem of a field.
func (c *rowCells) complain(key, msg string) {
	if c.bad == nil {
		c.bad = map[string]string{}
	}
	if _, seen := c.bad[key]; !seen {
		c.bad[key] = msg
	}
}

// parse reads one data row; the problems it finds are in the row.
func (p *rowParser) parse(line int, cells []string, whole string) cunjing.ImportRow {
	row := cunjing.ImportRow{Row: line, Cells: cells}
	c := &rowCells{p: p, cells: cells}
	if whole != "" {
		c.complain("", whole)
	}
	for key, i := range p.cols {
		if i < len(cells) && badText(cells[i]) {
			c.complain(key, "含有无效字符（不是 UTF-8 文本，或含 NUL 字符）")
		}
	}
	if len(c.bad) == 0 {
		row.AreaCode, row.Address = c.get("area_code"), c.get("address")
		c.checkArea()
		switch p.layout.kind {
		case cunjing.ImportResidents:
			c.resident(&row)
		case cunjing.ImportAddresses:
			c.address(&row)
		case cunjing.ImportHouses:
			c.house(&row)
		case cunjing.ImportRentals:
			c.rental(&row)
		case cunjing.ImportOrgs:
			c.org(&row)
		}
	}
	row.Problems = c.problems(line)
	return row
}

// problems lists the problems of the row by column in the file's order,
// the whole row's first; personal cells are masked.
func (c *rowCells) problems(line int) []cunjing.ImportProblem {
	if len(c.bad) == 0 {
		return nil
	}
	keys := make([]string, 0, len(c.bad))
	for key := range c.bad {
		keys = append(keys, key)
	}
	slices.SortFunc(keys, func(a, b string) int { return cmp.Compare(c.p.colIndex(a), c.p.colIndex(b)) })
	out := make([]cunjing.ImportProblem, 0, len(keys))
	for _, key := range keys {
		out = append(out, cunjing.ImportProblem{Row: line, Column: c.p.headers[key], Cell: c.p.shown(key, c.get(key)), Message: c.bad[key]})
	}
	return out
}

// colIndex orders the fields of a row; the whole row comes first.
func (p *rowParser) colIndex(key string) int {
	if i, ok := p.cols[key]; ok {
		return i
	}
	return -1
}

// shown is a cell as a problem shows it: personal values masked, broken
// text not at all.
func (p *rowParser) shown(key, cell string) string {
	switch {
	case badText(cell):
		return ""
	case !p.layout.isPersonal(key):
		return cell
	case strings.HasSuffix(key, "phone"):
		return cunjing.MaskPhone(cell)
	}
	return cunjing.MaskIDNumber(cell)
}

// checkArea checks the form of the area code; the store checks that it
// exists in scope.
func (c *rowCells) checkArea() {
	code := c.get("area_code")
	level, err := cunjing.LevelOfCode(code)
	switch {
	case code == "":
		c.complain("area_code", "区划代码必填")
	case err != nil || level != cunjing.LevelVillage && level != cunjing.LevelGrid && level != cunjing.LevelVenue:
		c.complain("area_code", "区划代码应为 12 位的村、社区代码，或网格（…-G01）、场所（…-S01）的代码")
	case level == cunjing.LevelVenue && (c.p.layout.kind == cunjing.ImportResidents):
		c.complain("area_code", "人员的区划代码应为 12 位的村、社区代码，或网格（…-G01）的代码")
	}
}

// choose reads an enumerated column; an empty cell is the zero value.
func choose[T ~string](c *rowCells, key, what string, words choices[T]) T {
	cell := c.get(key)
	if cell == "" {
		return ""
	}
	v, ok := words.parse(cell)
	if !ok {
		list := slices.DeleteFunc(words.words(), func(w string) bool { return w == "" })
		c.complain(key, what+"应为"+strings.Join(list, "、")+"之一")
	}
	return v
}

// resident reads a row of the residents file.
func (c *rowCells) resident(row *cunjing.ImportRow) {
	r := &row.Resident
	r.AreaCode, r.Name, r.IDNumber, r.Note = row.AreaCode, c.get("name"), c.get("id_number"), c.get("note")
	row.Household = c.get("household")
	r.Relation = choose(c, "relation", "与户主关系", relationWords)
	r.DocKind = choose(c, "doc_kind", "证件类型", docWords)
	r.Category = choose(c, "category", "人员类别", categoryWords)
	r.LeftBehind = choose(c, "left_behind", "留守类型", leftBehindWords)
	r.Status = choose(c, "status", "状态", statusWords)
	if r.DocKind == cunjing.DocPassport {
		r.Sex = choose(c, "sex", "性别", sexWords)
		if v := c.get("birth_date"); v != "" {
			if d, ok := parseDay(v); ok {
				r.BirthDate = d
			} else {
				c.complain("birth_date", "出生日期应写成 1980-05-01 或 1980/5/1")
			}
		}
	}
	if r.Phone = c.get("phone"); strings.Contains(r.Phone, "*") {
		row.MaskedPhone, r.Phone = r.Phone, ""
	}
	if strings.Contains(r.IDNumber, "*") {
		c.complain("id_number", "这是遮蔽后的证件号码（导出时没有查看个人信息的权限）：请填写完整号码")
	}
	if len([]rune(row.Household)) > 30 {
		c.complain("household", "户号最多 30 个字符")
	}
	var invalid *cunjing.Error
	if errors.As(r.Validate(c.p.today), &invalid) {
		for key := range invalid.Fields {
			c.complain(key, c.residentReason(key, r, invalid.Fields[key]))
		}
	}
	c.checkAddressText(row.Address)
}

// residentReason says in words what the domain's validation of a
// resident refused.
func (c *rowCells) residentReason(key string, r *cunjing.Resident, detail string) string {
	switch key {
	case "name":
		return nameReason(detail)
	case "id_number":
		if r.DocKind == cunjing.DocPassport {
			return "护照号码应为 3 位国家代码加号码，如 USA 123456789"
		}
		return idReason(c.get("id_number"), detail)
	case "phone":
		return "号码不对：应为 11 位手机号，或 0375-2345678 这样的固定电话"
	case "area_code":
		return "人员的区划代码应为 12 位的村、社区代码，或网格（…-G01）的代码"
	case "sex":
		return "护照登记的人员须填性别：男或女"
	case "birth_date":
		return "护照登记的人员须填出生日期，且不能晚于今天"
	case "note":
		return noteReason(detail)
	}
	return "内容不对"
}

// idReason says in words why an ID number is refused.
func idReason(cell, detail string) string {
	var n int
	var a, b rune
	var s string
	switch {
	case cell == "":
		return "证件号码必填"
	case strings.ContainsAny(strings.ToUpper(cell), "E") && strings.Contains(cell, "+"):
		return "证件号码被 Excel 存成了数字（科学计数法），末几位已经丢失：请把这一列设为文本格式后重新填写"
	case scan(detail, "must have 18 characters, has %d", &n):
		return fmt.Sprintf("证件号码应为 18 位，这里是 %d 位", n)
	case strings.HasPrefix(detail, "must be 17 digits"):
		return "证件号码应为 17 位数字加 1 位数字或 X"
	case scan(detail, "region code %s is no province", &s):
		return "证件号码的地区码 " + s + " 不是有效的省级代码"
	case scan(detail, "birth date %s is not a date", &s):
		return "证件号码中的出生日期 " + s + " 不是有效日期"
	case strings.Contains(detail, "lies in the future"):
		return "证件号码中的出生日期晚于今天"
	case scan(detail, "check character is %c, the digits give %c", &a, &b):
		return fmt.Sprintf("证件号码校验位是 %c，按前 17 位应为 %c：有数字输错了", a, b)
	}
	return "证件号码不对：" + detail
}

// scan reports whether text matches format, filling args.
func scan(text, format string, args ...any) bool {
	_, err := fmt.Sscanf(text, format, args...)
	return err == nil
}

// nameReason says in words why a name is refused.
func nameReason(detail string) string {
	switch {
	case detail == "is empty":
		return "姓名必填"
	case strings.HasPrefix(detail, "contains"):
		return "姓名含有看不见的字符或控制字符（常见于从网页复制），请重新输入"
	case strings.Contains(detail, "at most 50"):
		return "姓名最多 50 个字"
	case strings.Contains(detail, "middle dot"):
		return "姓名中的间隔号“·”只能用在两个部分之间"
	}
	return "姓名不对：" + detail
}

// noteReason says in words why a note is refused.
func noteReason(detail string) string {
	if strings.Contains(detail, "longer") {
		return "备注最多 2000 字"
	}
	return "备注含有控制字符"
}

// checkAddressText checks the whole address a row names as
// StdAddress.Validate checks a street (the store makes it one when the
// address is new): at most 50 characters, none invisible.
func (c *rowCells) checkAddressText(text string) {
	if utf8.RuneCountInString(text) > 50 || strings.ContainsFunc(text, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
	}) {
		c.complain("address", "地址最多 50 个字，且不能含有看不见的字符或控制字符")
	}
}

// address reads a row of the addresses file.
func (c *rowCells) address(row *cunjing.ImportRow) {
	a := &row.StdAddress
	a.AreaCode, a.Street, a.HouseNumber = row.AreaCode, c.get("street"), c.get("house_number")
	a.Building, a.Entrance, a.Room = c.get("building"), c.get("entrance"), c.get("room")
	a.Location = c.point()
	var invalid *cunjing.Error
	if errors.As(a.Validate(), &invalid) {
		for key, detail := range invalid.Fields {
			switch {
			case key == "street" && a.Street == "":
				c.complain(key, "街路巷(自然村)必填")
			case key == "location" || key == "area_code":
			case strings.Contains(detail, "longer"):
				c.complain(key, "最多 50 个字")
			default:
				c.complain(key, "含有看不见的字符或控制字符")
			}
		}
	}
	row.Address = a.Text
}

// point reads the coordinates of an address: none, or all three columns.
func (c *rowCells) point() *cunjing.Point {
	lngText, latText, datumText := c.get("lng"), c.get("lat"), c.get("datum")
	if lngText == "" && latText == "" && datumText == "" {
		return nil
	}
	lng, errLng := strconv.ParseFloat(lngText, 64)
	lat, errLat := strconv.ParseFloat(latText, 64)
	datum := choose(c, "datum", "坐标系", datumWords)
	switch {
	case errLng != nil || math.IsNaN(lng) || math.IsInf(lng, 0):
		c.complain("lng", "经度应为十进制度数，如 113.0123")
	case errLat != nil || math.IsNaN(lat) || math.IsInf(lat, 0):
		c.complain("lat", "纬度应为十进制度数，如 33.7456")
	case datumText == "":
		c.complain("datum", "有经纬度时须填坐标系：WGS-84 或 GCJ-02")
	default:
		p := &cunjing.Point{Lng: lng, Lat: lat, Datum: datum}
		switch {
		case p.Valid():
			return p
		case lat >= 73 && lat <= 136 && lng >= 3 && lng <= 54:
			c.complain("lng", "经度和纬度写反了")
		default:
			c.complain("lng", "经纬度不在中国境内")
		}
	}
	return nil
}

// house reads a row of the houses file.
func (c *rowCells) house(row *cunjing.ImportRow) {
	h := &row.House
	h.Use = choose(c, "use", "房屋用途", houseUseWords)
	if h.Use == "" {
		c.complain("use", "房屋用途必填：自住、出租、空置、经营、混合")
	}
	if v := c.get("floor_area"); v != "" {
		area, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(v, "平方米"), "㎡"), 64)
		if err != nil || !(area >= 0 && area <= 100000) {
			c.complain("floor_area", "建筑面积应为 0 到 100000 之间的平方米数")
		}
		h.FloorArea = area
	}
	h.Note = c.get("note")
	row.OwnerID, row.OwnerCode = c.get("owner_id"), c.get("owner_code")
	c.checkPersonRef("owner_id", row.OwnerID, "房主")
	row.OwnerID = personRef(row.OwnerID, c.p.today)
	if row.OwnerCode != "" {
		code, err := cunjing.ParseCreditCode(row.OwnerCode)
		if err != nil {
			c.complain("owner_code", "房主单位信用代码不对："+creditReason(err))
		}
		row.OwnerCode = code
	}
	if row.OwnerID != "" && row.OwnerCode != "" {
		c.complain("owner_code", "房主是一个人或一个单位：证件号码和信用代码只填一个")
	}
	if row.Address == "" {
		c.complain("address", "地址必填")
	}
	c.checkAddressText(row.Address)
	var invalid *cunjing.Error
	if errors.As(h.Validate(), &invalid) {
		if _, ok := invalid.Fields["note"]; ok {
			c.complain("note", noteReason(invalid.Fields["note"]))
		}
	}
}

// checkPersonRef reads the ID number of a person a row refers to.
func (c *rowCells) checkPersonRef(key, text, who string) {
	if text == "" {
		return
	}
	if strings.Contains(text, "*") {
		c.complain(key, "这是遮蔽后的证件号码：请填写完整号码")
		return
	}
	if _, err := cunjing.ParseIDNumber(text, c.p.today); err != nil {
		if _, ok := cunjing.ParsePassport(text); !ok {
			c.complain(key, who+idReason(text, err.(*cunjing.Error).Fields["id_number"]))
		}
	}
}

// personRef is the ID number or passport as the store keys it.
func personRef(text string, today cunjing.Date) string {
	if id, err := cunjing.ParseIDNumber(text, today); err == nil {
		return id.Number
	}
	if p, ok := cunjing.ParsePassport(text); ok {
		return p
	}
	return text
}

// rental reads a row of the rentals file.
func (c *rowCells) rental(row *cunjing.ImportRow) {
	row.TenantID = c.get("tenant_id")
	if row.TenantID == "" {
		c.complain("tenant_id", "租客证件号码必填")
	}
	c.checkPersonRef("tenant_id", row.TenantID, "租客")
	row.TenantID = personRef(row.TenantID, c.p.today)
	if row.Address == "" {
		c.complain("address", "地址必填")
	}
	r := &row.Rental
	for _, d := range []struct {
		key  string
		date *cunjing.Date
	}{{"start", &r.Start}, {"end", &r.End}} {
		if v := c.get(d.key); v != "" {
			day, ok := parseDay(v)
			if !ok {
				c.complain(d.key, "日期应写成 2024-03-01 或 2024/3/1")
			}
			*d.date = day
		}
	}
	switch {
	case c.get("start") == "":
		c.complain("start", "起租日期必填")
	case c.p.today.Before(r.Start):
		c.complain("start", "起租日期不能晚于今天")
	case !r.End.IsZero() && r.End.Before(r.Start):
		c.complain("end", "退租日期不能早于起租日期")
	}
}

// org reads a row of the orgs file.
func (c *rowCells) org(row *cunjing.ImportRow) {
	o := &row.Org
	o.AreaCode, o.Name, o.CreditCode = row.AreaCode, c.get("name"), c.get("credit_code")
	o.Type = choose(c, "type", "单位类别", orgTypeWords)
	o.LegalRep, o.SecurityContact, o.Note = c.get("legal_rep"), c.get("security_contact"), c.get("note")
	if o.ContactPhone = c.get("phone"); strings.Contains(o.ContactPhone, "*") {
		row.MaskedPhone, o.ContactPhone = o.ContactPhone, ""
	}
	if v := c.get("staff_count"); v != "" {
		n, err := strconv.Atoi(strings.TrimSuffix(v, "人"))
		if err != nil || n < 0 || n > 1000000 {
			c.complain("staff_count", "从业人数应为 0 到 1000000 之间的整数")
		}
		o.StaffCount = n
	}
	var invalid *cunjing.Error
	if errors.As(o.Validate(), &invalid) {
		for key, detail := range invalid.Fields {
			c.complain(orgKey(key), orgReason(key, o, detail))
		}
	}
	c.checkAddressText(row.Address)
}

// orgKey is the column of a field the domain names.
func orgKey(field string) string {
	if field == "contact_phone" {
		return "phone"
	}
	return field
}

// orgReason says in words what the domain's validation of an org refused.
func orgReason(key string, o *cunjing.Org, detail string) string {
	switch key {
	case "name":
		if o.Name == "" {
			return "单位名称必填"
		}
		return "单位名称最多 100 个字，且不能含有看不见的字符"
	case "credit_code":
		return "统一社会信用代码不对：" + creditReasonText(detail)
	case "type":
		if o.Type == "" {
			return "单位类别必填"
		}
		return "单位类别应为" + strings.Join(orgTypeWords.words(), "、") + "之一"
	case "legal_rep", "security_contact":
		return nameReason(detail)
	case "contact_phone":
		return "号码不对：应为 11 位手机号，或 0375-2345678 这样的固定电话"
	case "staff_count":
		return "从业人数应为 0 到 1000000 之间的整数"
	case "area_code":
		return "区划代码应为 12 位的村、社区代码，或网格、场所的代码"
	case "note":
		return noteReason(detail)
	}
	return "内容不对"
}

// creditReason says in words why a credit code is refused.
func creditReason(err error) string {
	var e *cunjing.Error
	if errors.As(err, &e) {
		return creditReasonText(e.Fields["credit_code"])
	}
	return err.Error()
}

func creditReasonText(detail string) string {
	var n, i int
	var a, b rune
	switch {
	case scan(detail, "must have 18 characters, has %d", &n):
		return fmt.Sprintf("应为 18 位，这里是 %d 位", n)
	case scan(detail, "character %d, '%c',", &i, &a):
		return fmt.Sprintf("第 %d 位“%c”不是信用代码用的字符（不用 I、O、Z、S、V）", i, a)
	case scan(detail, "check character is %c, the others give %c", &a, &b):
		return fmt.Sprintf("校验位是 %c，按前 17 位应为 %c：有字符输错了", a, b)
	}
	return detail
}
