package demo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"cunjing"
)

// The canonical columns of the basic-information files: the import
// templates, the exports and `cunjing gen` use these headers in this
// order.
var (
	AddressColumns  = []string{"区划代码", "街路巷(自然村)", "门牌号", "楼栋", "单元", "室", "经度", "纬度", "坐标系"}
	ResidentColumns = []string{"区划代码", "地址", "户号", "与户主关系", "姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话",
		"人员类别", "留守类型", "状态", "备注"}
	HouseColumns  = []string{"区划代码", "地址", "房屋用途", "建筑面积", "房主证件号码", "房主单位信用代码", "备注"}
	RentalColumns = []string{"区划代码", "地址", "租客证件号码", "起租日期", "退租日期"}
	OrgColumns    = []string{"区划代码", "单位名称", "统一社会信用代码", "单位类别", "地址", "法定代表人", "治安负责人", "联系电话", "从业人数", "备注"}
)

// PopulationFile is one file WritePopulationCSV writes.
type PopulationFile struct {
	Name    string
	Columns []string
	Rows    int // data rows written
}

// Words of the files for the values of the domain.
var (
	relationWords = map[cunjing.Relation]string{cunjing.RelationHead: "户主", cunjing.RelationSpouse: "配偶",
		cunjing.RelationChild: "子女", cunjing.RelationParent: "父母", cunjing.RelationGrandchild: "孙子女",
		cunjing.RelationGrandparent: "祖父母", cunjing.RelationSibling: "兄弟姐妹", cunjing.RelationOther: "其他"}
	docWords      = map[cunjing.DocKind]string{cunjing.DocIDCard: "身份证", cunjing.DocPassport: "护照"}
	sexWords      = map[string]string{"M": "男", "F": "女"}
	categoryWords = map[cunjing.ResidentCategory]string{cunjing.CategoryRegistered: "户籍", cunjing.CategoryFloating: "流动",
		cunjing.CategoryOverseas: "境外"}
	leftWords   = map[cunjing.LeftBehind]string{cunjing.LeftBehindElderly: "留守老人", cunjing.LeftBehindChild: "留守儿童"}
	statusWords = map[cunjing.ResidentStatus]string{cunjing.ResidentPresent: "在住", cunjing.ResidentMovedOut: "迁出",
		cunjing.ResidentDeceased: "死亡"}
	useWords = map[cunjing.HouseUse]string{cunjing.HouseSelf: "自住", cunjing.HouseRented: "出租", cunjing.HouseVacant: "空置",
		cunjing.HouseCommercial: "经营", cunjing.HouseMixed: "混合"}
	orgTypeWords = map[cunjing.OrgType]string{cunjing.OrgEnterprise: "企业", cunjing.OrgShop: "个体商户", cunjing.OrgSchool: "学校",
		cunjing.OrgHospital: "医院", cunjing.OrgHotel: "旅馆", cunjing.OrgInternetCafe: "网吧", cunjing.OrgEntertainment: "娱乐场所",
		cunjing.OrgLogistics: "物流寄递", cunjing.OrgPawnshop: "典当", cunjing.OrgSecondHand: "旧货", cunjing.OrgPrinting: "印刷",
		cunjing.OrgUnlocking: "开锁", cunjing.OrgScrap: "废旧金属收购", cunjing.OrgGovernment: "机关事业单位", cunjing.OrgOther: "其他"}
)

// WritePopulationCSV writes the population to dir as CSV files in UTF-8
// with a byte-order mark and CRLF line ends, as Excel saves them:
// addresses.csv, orgs.csv, residents.csv, houses.csv and rentals.csv — the
// order to import them in, each referring only to the ones before — and
// returns them with their row counts. The blocks are formatted on every
// core and written in order.
func WritePopulationCSV(ctx context.Context, p *Population, dir string) ([]PopulationFile, error) {
	files := []PopulationFile{{"addresses.csv", AddressColumns, 0}, {"orgs.csv", OrgColumns, 0},
		{"residents.csv", ResidentColumns, 0}, {"houses.csv", HouseColumns, 0}, {"rentals.csv", RentalColumns, 0}}
	outs := make([]*os.File, len(files))
	bufs := make([]*bufio.Writer, len(files))
	closeAll := func() error {
		var errs []error
		for i, f := range outs {
			if f != nil {
				errs = append(errs, bufs[i].Flush(), f.Close())
			}
		}
		return errors.Join(errs...)
	}
	for i, pf := range files {
		f, err := os.Create(filepath.Join(dir, pf.Name))
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("demo: %w", err)
		}
		outs[i], bufs[i] = f, bufio.NewWriterSize(f, 1<<20)
		bufs[i].WriteString("\uFEFF")
		bufs[i].Write(csvLine(nil, pf.Columns...))
	}
	err := EachBlock(ctx, p, func(b *Block) (*blockCSV, error) { return formatBlock(b), nil }, func(c *blockCSV) error {
		for i := range files {
			files[i].Rows += c.rows[i]
			if _, err := bufs[i].Write(c.text[i]); err != nil {
				return fmt.Errorf("demo: write %s: %w", files[i].Name, err)
			}
		}
		return nil
	})
	if err = errors.Join(err, closeAll()); err != nil {
		return nil, err
	}
	return files, nil
}

// blockCSV is a block formatted as the lines of the five files.
type blockCSV struct {
	text [5][]byte
	rows [5]int
}

// formatBlock writes the lines of a block, in the order of the files.
func formatBlock(b *Block) *blockCSV {
	c := &blockCSV{}
	code := b.Area.Code
	for _, a := range b.Addresses {
		c.add(0, code, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, "", "", "")
	}
	for _, o := range b.Orgs {
		c.add(1, code, o.Name, o.CreditCode, orgTypeWords[o.Type], o.AddressText, o.LegalRep, o.SecurityContact,
			o.ContactPhone, strconv.Itoa(o.StaffCount), o.Note)
	}
	for _, p := range b.Residents {
		c.add(2, code, p.AddressText, b.Households[p.Household].Number, relationWords[p.Relation], p.Name,
			docWords[p.DocKind], p.IDNumber, sexWords[p.Sex], p.BirthDate.String(), p.Phone, categoryWords[p.Category],
			leftWords[p.LeftBehind], statusWords[p.Status], p.Note)
	}
	for _, h := range b.Houses {
		owner, org := "", ""
		if h.Owner >= 0 {
			owner = b.Residents[h.Owner].IDNumber
		}
		if h.OwnerOrg >= 0 {
			org = b.Orgs[h.OwnerOrg].CreditCode
		}
		c.add(3, code, h.AddressText, useWords[h.Use], strconv.FormatFloat(h.FloorArea, 'f', -1, 64), owner, org, h.Note)
	}
	for _, t := range b.Rentals {
		c.add(4, code, b.Houses[t.House].AddressText, b.Residents[t.Tenant].IDNumber, t.Start.String(), t.End.String())
	}
	return c
}

func (c *blockCSV) add(file int, fields ...string) {
	c.text[file] = csvLine(c.text[file], fields...)
	c.rows[file]++
}

// csvLine appends a CSV line of fields, quoted where they need it, ended
// by CRLF.
func csvLine(b []byte, fields ...string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		if needsQuotes(f) {
			b = append(b, '"')
			b = append(b, strings.ReplaceAll(f, `"`, `""`)...)
			b = append(b, '"')
			continue
		}
		b = append(b, f...)
	}
	return append(b, '\r', '\n')
}

// needsQuotes reports whether a field holds a comma, a quote or a line
// break.
func needsQuotes(f string) bool {
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}
