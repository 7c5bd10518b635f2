package importer

import (
	"context"

	"cunjing"
)

// Sheets of the exported ledger (工作台账).
const (
	LedgerSheetName       = "台账"
	LedgerCountsSheetName = "汇总"
)

// visitKindWords and visitTargetWords are the Chinese words of the
// exported ledger, as the paper ledger has them.
var (
	visitKindWords = map[cunjing.VisitKind]string{cunjing.VisitCampaign: "大走访", cunjing.VisitHousehold: "入户走访",
		cunjing.VisitSafety: "安全检查", cunjing.VisitDispute: "矛盾纠纷排查", cunjing.VisitPublicity: "法制宣传",
		cunjing.VisitKeyPerson: "重点人员回访", cunjing.VisitEpidemic: "疫情防控", cunjing.VisitOther: "其他"}
	visitTargetWords = map[cunjing.VisitTarget]string{cunjing.TargetHousehold: "家庭户", cunjing.TargetResident: "人员",
		cunjing.TargetOrg: "单位", cunjing.TargetArea: "区域"}
)

// ledgerColumns are the columns of the exported ledger.
var ledgerColumns = []Column{{Header: "日期", Width: 12}, {Header: "类别", Width: 14}, {Header: "对象类型", Width: 10},
	{Header: "走访对象", Width: 24}, {Header: "区划代码", Width: 16}, {Header: "民警账号", Width: 12}, {Header: "民警", Width: 12},
	{Header: "走访内容", Width: 50}, {Header: "发现问题", Width: 40}, {Header: "照片", Width: 6}}

// LedgerSheet returns the ledger matching f as a workbook, read page by
// page: the visits by day on the first sheet, the counts by kind on the
// second, ready to print. Visited people are named as the store masks
// them. The caller records the export in the audit trail (LedgerObject)
// before sending it.
func LedgerSheet(ctx context.Context, visits cunjing.VisitService, f cunjing.LedgerFilter) (*Sheet, error) {
	sheet, err := NewSheet(LedgerSheetName, ledgerColumns)
	if err != nil {
		return nil, err
	}
	if err := writeLedger(ctx, visits, f, sheet); err != nil {
		sheet.Close()
		return nil, err
	}
	return sheet, nil
}

func writeLedger(ctx context.Context, visits cunjing.VisitService, f cunjing.LedgerFilter, sheet *Sheet) error {
	f.Page = cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		page, next, err := visits.FindVisits(ctx, f)
		if err != nil {
			return err
		}
		for _, v := range page {
			if err := sheet.Add(v.Date.String(), visitKindWords[v.Kind], visitTargetWords[v.Target], v.TargetName, v.AreaCode,
				v.Officer, v.OfficerName, v.Content, v.Problems, v.Photos); err != nil {
				return err
			}
		}
		if next == "" {
			break
		}
		f.Page.Cursor = next
	}
	counts, err := visits.LedgerCounts(ctx, f)
	if err != nil {
		return err
	}
	if err := sheet.NextSheet(LedgerCountsSheetName, []Column{{Header: "类别", Width: 14}, {Header: "次数", Width: 8}}); err != nil {
		return err
	}
	for _, c := range counts {
		if err := sheet.Add(visitKindWords[c.Kind], c.Count); err != nil {
			return err
		}
	}
	return nil
}

// LedgerObject names an export of the ledger for the audit trail.
func LedgerObject(f cunjing.LedgerFilter) string {
	return "ledger:under=" + f.Under + " officer=" + f.Officer + " month=" + f.Month + " kind=" + string(f.Kind)
}
