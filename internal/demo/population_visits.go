package demo

import (
	"math/rand/v2"
	"time"

	"cunjing"
)

// visitKind is a kind of household visit, its share per hundred, what the
// ledger says of it and the problems found at times.
type visitKind struct {
	kind     cunjing.VisitKind
	share    int
	contents []string
	problems []string
}

var householdVisits = []visitKind{
	{cunjing.VisitHousehold, 55, []string{"入户走访，了解家庭成员及居住情况，发放警民联系卡", "入户核实实有人口信息，登记联系电话",
		"走访住户，宣传防范电信网络诈骗知识"}, []string{"家中老人独居，已告知村委会关注", "发现一名暂住人员未登记，已现场登记"}},
	{cunjing.VisitCampaign, 15, []string{"大走访活动：走访群众，征求对派出所工作的意见建议"}, []string{"群众反映村口路灯损坏，已转村委会"}},
	{cunjing.VisitDispute, 12, []string{"排查矛盾纠纷，了解邻里关系"}, []string{"与邻居因宅基地界限有争议，已联系村委会调解",
		"家庭成员因赡养问题有矛盾，已约定调解时间"}},
	{cunjing.VisitPublicity, 8, []string{"开展法治宣传，讲解防范电信网络诈骗知识"}, nil},
	{cunjing.VisitKeyPerson, 4, []string{"重点人员回访，了解近期思想动态和生活情况"}, []string{"情绪不稳定，已列入每周回访"}},
	{cunjing.VisitEpidemic, 3, []string{"协助开展疫情防控宣传，登记返乡人员"}, nil},
	{cunjing.VisitOther, 3, []string{"协助村委会核实低保户家庭情况"}, nil},
}

// visitDays is how far back the demo's visits go.
const visitDays = 182

// planVisits plans the visits of a village's officers to the households
// and orgs of a block over the last six months: most households once or
// twice, a safety inspection of most orgs, and a publicity visit to the
// village each month from the first block.
func planVisits(r *rand.Rand, b *Block, who []string, today cunjing.Date) []plannedVisit {
	var out []plannedVisit
	visit := func(kind cunjing.VisitKind, target cunjing.VisitTarget, content, problems string) *plannedVisit {
		day := today.AddDays(-1 - r.IntN(visitDays))
		v := plannedVisit{household: -1, org: -1, Visit: cunjing.Visit{AreaCode: b.Area.Code, Date: day, Kind: kind, Target: target,
			Officer: who[r.IntN(len(who))], Content: content, Problems: problems,
			CreatedAt: day.Time().Add(time.Duration(9*60+r.IntN(9*60)) * time.Minute)}}
		out = append(out, v)
		return &out[len(out)-1]
	}
	for h := range b.Households {
		for range []int{0, 1, 1, 1, 2, 2, 3}[r.IntN(7)] {
			k := pickVisit(r)
			problems := ""
			if len(k.problems) > 0 && r.IntN(100) < 12 {
				problems = k.problems[r.IntN(len(k.problems))]
			}
			visit(k.kind, cunjing.TargetHousehold, k.contents[r.IntN(len(k.contents))], problems).household = h
		}
	}
	for o := range b.Orgs {
		if r.IntN(100) < 60 {
			problems := ""
			if r.IntN(100) < 15 {
				problems = "灭火器过期，已责令三日内整改"
			}
			visit(cunjing.VisitSafety, cunjing.TargetOrg, "检查消防设施、安全出口及从业人员登记情况", problems).org = o
		}
	}
	if b.Part == 0 {
		for range visitDays / 30 {
			visit(cunjing.VisitPublicity, cunjing.TargetArea, "在村委会广场开展法治宣传活动", "")
		}
	}
	return out
}

func pickVisit(r *rand.Rand) visitKind {
	x := r.IntN(100)
	for _, k := range householdVisits {
		if x < k.share {
			return k
		}
		x -= k.share
	}
	return householdVisits[0]
}
