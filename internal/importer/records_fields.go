package importer

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"cunjing"
)

// recordLayout is the file layout of one kind of basic-information
// record: its columns in the canonical order (the first header of each is
// what templates and exports write), the columns a file must have, and the
// columns holding personal data, masked wherever a problem shows a cell.
type recordLayout struct {
	kind     cunjing.ImportKind
	sheet    string // sheet name of the template and the export
	columns  []sheetColumn
	need     []string
	personal []string
	notes    [][]string // column, required, what to write
}

// Headers that several kinds share, with the synonyms real registers use.
var (
	areaField    = field{"area_code", []string{"区划代码", "村(社区)代码", "行政区划代码", "社区代码", "村代码", "村居代码", "所属区划代码", "area_code", "area"}}
	addressField = field{"address", []string{"地址", "住址", "现住址", "标准地址", "居住地址", "详细地址", "房屋地址", "单位地址", "address"}}
	noteField    = field{"note", []string{"备注", "说明", "note", "remark", "remarks"}}
)

var residentFields = []field{
	areaField, addressField,
	{"household", []string{"户号", "户编号", "household", "household_number"}},
	{"relation", []string{"与户主关系", "户主关系", "关系", "relation"}},
	{"name", []string{"姓名", "名字", "name"}},
	{"doc_kind", []string{"证件类型", "证件种类", "doc_kind", "document"}},
	{"id_number", []string{"证件号码", "身份证号", "公民身份号码", "身份证号码", "身份证", "证件号", "id_number", "id_card", "idcard"}},
	{"sex", []string{"性别", "sex", "gender"}},
	{"birth_date", []string{"出生日期", "出生年月日", "生日", "birth_date", "birthday"}},
	{"phone", []string{"联系电话", "手机号", "手机号码", "电话", "手机", "联系方式", "电话号码", "phone", "mobile"}},
	{"category", []string{"人员类别", "人口类别", "类别", "category"}},
	{"left_behind", []string{"留守类型", "留守", "left_behind"}},
	{"status", []string{"状态", "人员状态", "居住状态", "status"}},
	noteField,
}

var addressFields = []field{
	areaField,
	{"street", []string{"街路巷(自然村)", "街路巷", "自然村", "街路巷名", "路街巷", "street"}},
	{"house_number", []string{"门牌号", "门牌", "house_number"}},
	{"building", []string{"楼栋", "栋", "楼栋号", "building"}},
	{"entrance", []string{"单元", "单元号", "entrance"}},
	{"room", []string{"室", "室号", "房间号", "房号", "room"}},
	{"lng", []string{"经度", "lng", "longitude"}},
	{"lat", []string{"纬度", "lat", "latitude"}},
	{"datum", []string{"坐标系", "datum"}},
}

var houseFields = []field{
	areaField, addressField,
	{"use", []string{"房屋用途", "用途", "use", "house_use"}},
	{"floor_area", []string{"建筑面积", "面积", "floor_area"}},
	{"owner_id", []string{"房主证件号码", "房主身份证号", "房主公民身份号码", "产权人证件号码", "owner_id_number"}},
	{"owner_code", []string{"房主单位信用代码", "产权单位信用代码", "房主统一社会信用代码", "owner_credit_code"}},
	noteField,
}

var rentalFields = []field{
	areaField, addressField,
	{"tenant_id", []string{"租客证件号码", "租客身份证号", "承租人证件号码", "承租人身份证号", "tenant_id_number"}},
	{"start", []string{"起租日期", "租住开始日期", "开始日期", "start", "start_date"}},
	{"end", []string{"退租日期", "租住结束日期", "结束日期", "end", "end_date"}},
}

var orgFields = []field{
	areaField,
	{"name", []string{"单位名称", "名称", "单位", "name"}},
	{"credit_code", []string{"统一社会信用代码", "信用代码", "社会信用代码", "credit_code"}},
	{"type", []string{"单位类别", "单位类型", "类别", "行业类别", "type"}},
	addressField,
	{"legal_rep", []string{"法定代表人", "法人代表", "法人", "legal_rep"}},
	{"security_contact", []string{"治安负责人", "安全负责人", "保卫负责人", "security_contact"}},
	{"phone", []string{"联系电话", "电话", "手机号", "手机", "phone"}},
	{"staff_count", []string{"从业人数", "员工人数", "职工人数", "staff_count"}},
	noteField,
}

// Words of the enumerated columns; the first word of each value is what
// templates and exports write.
var (
	relationWords = choices[cunjing.Relation]{
		{cunjing.RelationHead, []string{"户主", "本人"}},
		{cunjing.RelationSpouse, []string{"配偶", "妻", "夫", "妻子", "丈夫"}},
		{cunjing.RelationChild, []string{"子女", "子", "女", "儿子", "女儿", "长子", "长女", "次子", "次女"}},
		{cunjing.RelationParent, []string{"父母", "父亲", "母亲", "父", "母"}},
		{cunjing.RelationGrandchild, []string{"孙子女", "孙子", "孙女", "外孙子", "外孙女"}},
		{cunjing.RelationGrandparent, []string{"祖父母", "祖父", "祖母", "外祖父", "外祖母"}},
		{cunjing.RelationSibling, []string{"兄弟姐妹", "兄", "弟", "姐", "妹"}},
		{cunjing.RelationOther, []string{"其他", "其它"}},
	}
	docWords = choices[cunjing.DocKind]{
		{cunjing.DocIDCard, []string{"身份证", "居民身份证"}},
		{cunjing.DocPassport, []string{"护照"}},
	}
	sexWords = choices[string]{
		{"M", []string{"男", "m", "male"}},
		{"F", []string{"女", "f", "female"}},
	}
	categoryWords = choices[cunjing.ResidentCategory]{
		{cunjing.CategoryRegistered, []string{"户籍", "户籍人口"}},
		{cunjing.CategoryFloating, []string{"流动", "流动人口"}},
		{cunjing.CategoryOverseas, []string{"境外", "境外人员"}},
	}
	leftBehindWords = choices[cunjing.LeftBehind]{
		{cunjing.LeftBehindElderly, []string{"留守老人"}},
		{cunjing.LeftBehindChild, []string{"留守儿童"}},
		{cunjing.LeftBehindNone, []string{"", "无", "否"}},
	}
	statusWords = choices[cunjing.ResidentStatus]{
		{cunjing.ResidentPresent, []string{"在住", "现住", "常住"}},
		{cunjing.ResidentMovedOut, []string{"迁出", "已迁出"}},
		{cunjing.ResidentDeceased, []string{"死亡", "已故", "去世"}},
	}
	houseUseWords = choices[cunjing.HouseUse]{
		{cunjing.HouseSelf, []string{"自住"}},
		{cunjing.HouseRented, []string{"出租"}},
		{cunjing.HouseVacant, []string{"空置", "闲置"}},
		{cunjing.HouseCommercial, []string{"经营", "商用"}},
		{cunjing.HouseMixed, []string{"混合", "自住兼出租"}},
	}
	orgTypeWords = choices[cunjing.OrgType]{
		{cunjing.OrgEnterprise, []string{"企业", "公司"}},
		{cunjing.OrgShop, []string{"个体商户", "个体工商户", "个体"}},
		{cunjing.OrgSchool, []string{"学校"}},
		{cunjing.OrgHospital, []string{"医院", "诊所"}},
		{cunjing.OrgHotel, []string{"旅馆", "宾馆", "酒店"}},
		{cunjing.OrgInternetCafe, []string{"网吧"}},
		{cunjing.OrgEntertainment, []string{"娱乐场所"}},
		{cunjing.OrgLogistics, []string{"物流寄递", "物流", "快递"}},
		{cunjing.OrgPawnshop, []string{"典当"}},
		{cunjing.OrgSecondHand, []string{"旧货"}},
		{cunjing.OrgPrinting, []string{"印刷"}},
		{cunjing.OrgUnlocking, []string{"开锁"}},
		{cunjing.OrgScrap, []string{"废旧金属收购"}},
		{cunjing.OrgGovernment, []string{"机关事业单位", "机关", "事业单位"}},
		{cunjing.OrgOther, []string{"其他", "其它"}},
	}
	datumWords = choices[string]{
		{"WGS-84", []string{"WGS-84", "wgs-84", "wgs84"}},
		{"GCJ-02", []string{"GCJ-02", "gcj-02", "gcj02"}},
	}
)

// recordLayouts are the layouts of the five kinds of files.
var recordLayouts = map[cunjing.ImportKind]*recordLayout{
	cunjing.ImportResidents: {
		kind: cunjing.ImportResidents, sheet: "实有人口",
		columns: []sheetColumn{
			{residentFields, "area_code", 16, true, nil}, {residentFields, "address", 30, true, nil},
			{residentFields, "household", 12, true, nil}, {residentFields, "relation", 10, false, relationWords.words()},
			{residentFields, "name", 12, true, nil}, {residentFields, "doc_kind", 10, false, docWords.words()},
			{residentFields, "id_number", 22, true, nil}, {residentFields, "sex", 6, false, sexWords.words()},
			{residentFields, "birth_date", 12, true, nil}, {residentFields, "phone", 16, true, nil},
			{residentFields, "category", 10, false, categoryWords.words()}, {residentFields, "left_behind", 10, false, leftBehindWords.words()[:2]},
			{residentFields, "status", 8, false, statusWords.words()}, {residentFields, "note", 30, true, nil},
		},
		need:     []string{"area_code", "name", "id_number"},
		personal: []string{"id_number", "phone"},
		notes: [][]string{
			{"区划代码", "是", "居住地的 12 位村、社区代码，或网格代码（…-G01），须在您的管辖范围内"},
			{"地址", "否", "完整的标准地址，如“建设路12号3栋2单元301室”；本区划还没有的地址会自动新建。更新时留空即不改"},
			{"户号", "否", "户口簿上的户号；同一区划同一户号即同一户，没有的户会自动新建。更新时留空即不改"},
			{"与户主关系", "否", "户主、配偶、子女、父母、孙子女、祖父母、兄弟姐妹、其他"},
			{"姓名", "是", "最多 50 个字，少数民族和外国人姓名的间隔号写作“·”"},
			{"证件类型", "否", "身份证或护照；不填即身份证"},
			{"证件号码", "是", "18 位公民身份号码（15 位旧号码自动转换，末位 x 写作 X）；护照写作国家代码加号码，如 USA 123456789。一人一号，全库唯一。请把此列设为文本格式，否则 Excel 会把号码改成科学计数法"},
			{"性别", "护照必填", "男或女；身份证号码已含性别，不必填"},
			{"出生日期", "护照必填", "如 1980-05-01 或 1980/5/1；身份证号码已含出生日期，不必填"},
			{"联系电话", "否", "11 位手机号，或 0375-2345678 这样的固定电话；家人可以共用"},
			{"人员类别", "否", "户籍、流动、境外；不填即户籍"},
			{"留守类型", "否", "留守老人、留守儿童；不是留守人员不填"},
			{"状态", "否", "在住、迁出、死亡；不填即在住"},
			{"备注", "否", "最多 2000 字"},
		},
	},
	cunjing.ImportAddresses: {
		kind: cunjing.ImportAddresses, sheet: "标准地址",
		columns: []sheetColumn{
			{addressFields, "area_code", 16, true, nil}, {addressFields, "street", 20, true, nil},
			{addressFields, "house_number", 10, true, nil}, {addressFields, "building", 8, true, nil},
			{addressFields, "entrance", 8, true, nil}, {addressFields, "room", 8, true, nil},
			{addressFields, "lng", 12, false, nil}, {addressFields, "lat", 12, false, nil},
			{addressFields, "datum", 10, false, datumWords.words()},
		},
		need: []string{"area_code", "street"},
		notes: [][]string{
			{"区划代码", "是", "12 位村、社区代码，或网格（…-G01）、场所（…-S01）代码，须在您的管辖范围内"},
			{"街路巷(自然村)", "是", "路、街、巷名，农村写自然村或村民小组，如“东街”“李庄组”"},
			{"门牌号", "否", "如 12 或 12号"},
			{"楼栋", "否", "如 3 或 3栋"},
			{"单元", "否", "如 2 或 2单元"},
			{"室", "否", "如 301 或 301室"},
			{"经度", "否", "十进制度数，如 113.0123；与纬度、坐标系一起填"},
			{"纬度", "否", "十进制度数，如 33.7456"},
			{"坐标系", "有经纬度时必填", "WGS-84（GPS）或 GCJ-02（高德、腾讯地图）"},
		},
	},
	cunjing.ImportHouses: {
		kind: cunjing.ImportHouses, sheet: "实有房屋",
		columns: []sheetColumn{
			{houseFields, "area_code", 16, true, nil}, {houseFields, "address", 30, true, nil},
			{houseFields, "use", 10, false, houseUseWords.words()}, {houseFields, "floor_area", 10, false, nil},
			{houseFields, "owner_id", 22, true, nil}, {houseFields, "owner_code", 22, true, nil},
			{houseFields, "note", 30, true, nil},
		},
		need:     []string{"area_code", "address", "use"},
		personal: []string{"owner_id"},
		notes: [][]string{
			{"区划代码", "是", "12 位村、社区代码，或网格、场所代码，须在您的管辖范围内"},
			{"地址", "是", "房屋的完整标准地址；本区划还没有的地址会自动新建。一个地址登记一处房屋"},
			{"房屋用途", "是", "自住、出租、空置、经营、混合"},
			{"建筑面积", "否", "平方米，如 96.5"},
			{"房主证件号码", "否", "房主（已登记的实有人口）的证件号码；房主是单位时填下一列"},
			{"房主单位信用代码", "否", "房主单位（已登记的实有单位）的统一社会信用代码"},
			{"备注", "否", "最多 2000 字"},
		},
	},
	cunjing.ImportRentals: {
		kind: cunjing.ImportRentals, sheet: "出租登记",
		columns: []sheetColumn{
			{rentalFields, "area_code", 16, true, nil}, {rentalFields, "address", 30, true, nil},
			{rentalFields, "tenant_id", 22, true, nil}, {rentalFields, "start", 12, true, nil},
			{rentalFields, "end", 12, true, nil},
		},
		need:     []string{"area_code", "address", "tenant_id", "start"},
		personal: []string{"tenant_id"},
		notes: [][]string{
			{"区划代码", "是", "房屋所在的 12 位村、社区代码，须在您的管辖范围内"},
			{"地址", "是", "已登记房屋的完整标准地址"},
			{"租客证件号码", "是", "租客（已登记的实有人口）的证件号码"},
			{"起租日期", "是", "如 2024-03-01 或 2024/3/1"},
			{"退租日期", "否", "仍在租住不填"},
		},
	},
	cunjing.ImportOrgs: {
		kind: cunjing.ImportOrgs, sheet: "实有单位",
		columns: []sheetColumn{
			{orgFields, "area_code", 16, true, nil}, {orgFields, "name", 24, true, nil},
			{orgFields, "credit_code", 22, true, nil}, {orgFields, "type", 12, false, orgTypeWords.words()},
			{orgFields, "address", 30, true, nil}, {orgFields, "legal_rep", 12, true, nil},
			{orgFields, "security_contact", 12, true, nil}, {orgFields, "phone", 16, true, nil},
			{orgFields, "staff_count", 10, false, nil}, {orgFields, "note", 30, true, nil},
		},
		need:     []string{"area_code", "name", "type"},
		personal: []string{"phone"},
		notes: [][]string{
			{"区划代码", "是", "12 位村、社区代码，或网格、场所代码，须在您的管辖范围内"},
			{"单位名称", "是", "最多 100 字"},
			{"统一社会信用代码", "否", "18 位，全库唯一；个体商户没有可不填（此时按区划和名称认定同一单位）"},
			{"单位类别", "是", strings.Join(orgTypeWords.words(), "、")},
			{"地址", "否", "完整的标准地址；本区划还没有的地址会自动新建"},
			{"法定代表人", "否", "姓名"},
			{"治安负责人", "否", "姓名"},
			{"联系电话", "否", "11 位手机号，或 0375-2345678 这样的固定电话"},
			{"从业人数", "否", "整数"},
			{"备注", "否", "最多 2000 字"},
		},
	},
}

// headerKey is the form headers are matched in: NFKC (full-width made
// half-width), lower case, without spaces, brackets, underscores, hyphens,
// stars or invisible characters — "村（社区）代码" and "村(社区) 代码" alike.
func headerKey(h string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune("()[]{}<>【】《》〔〕_-*:：", r) {
			return -1
		}
		return unicode.ToLower(r)
	}, norm.NFKC.String(h))
}

// fieldOfHeader returns the key of the field a header means, "" for none.
func fieldOfHeader(fields []field, header string) string {
	k := headerKey(header)
	if k == "" {
		return ""
	}
	for _, f := range fields {
		for _, h := range f.headers {
			if headerKey(h) == k {
				return f.key
			}
		}
	}
	return ""
}

// fields are the fields of a layout, in column order.
func (l *recordLayout) fields() []field {
	return l.columns[0].fields
}

// isPersonal reports whether a column holds personal data.
func (l *recordLayout) isPersonal(key string) bool {
	for _, k := range l.personal {
		if k == key {
			return true
		}
	}
	return false
}
