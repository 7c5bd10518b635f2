package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// cardUnits are the station of 鲁阳街道, a workstation for 张庄1–2村 and
// an office for 东关社区, with the phones and addresses a card prints.
func cardUnits() []cunjing.Unit {
	return []cunjing.Unit{
		{Code: "410423000000", Name: "鲁山县公安局", Kind: cunjing.UnitBureau, Phone: "0375-5022110", Address: "鲁山县人民路1号",
			Jurisdiction: []string{"410423"}},
		{Code: "410423510100", Name: "鲁阳派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Phone: "0375-5051110",
			Address: "鲁阳街道向阳路8号", Jurisdiction: []string{"410423100"}},
		{Code: "410423510101", Name: "张庄警务工作站", Kind: cunjing.UnitWorkstation, ParentCode: "410423510100",
			Address: "张庄1村村委会院内", Jurisdiction: []string{"410423100201", "410423100202"}},
		{Code: "410423510102", Name: "东关社区警务室", Kind: cunjing.UnitOffice, ParentCode: "410423510100",
			Address: "东关社区服务中心一楼", Jurisdiction: []string{"410423100001"}},
	}
}

// loadCardFixture builds the fixture tree with a grid in 东关社区 and a
// venue of the county, the units above, and the posts:
// 张 responsible for 张庄1–2村 and 李 community officer of 张庄1村 and of
// 东关社区's grid; an auxiliary on 张庄1村; 孙's post on 张庄5村 ended.
func loadCardFixture(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := storetest.Ctx()
	loadFixture(t, s)
	for _, n := range []cunjing.NewArea{
		{ParentCode: "410423100001", Level: cunjing.LevelGrid, Name: "东关第一网格"},
		{ParentCode: "410423", Level: cunjing.LevelVenue, Name: "鲁山县人民医院", VenueType: cunjing.VenueHospital},
	} {
		if _, err := s.CreateArea(ctx, n); err != nil {
			t.Fatalf("create %s: %v", n.Name, err)
		}
	}
	if err := s.CreateUnits(ctx, cardUnits()); err != nil {
		t.Fatalf("create units: %v", err)
	}
	staff := []cunjing.Staff{
		{Name: "张建国", Kind: cunjing.StaffOfficer, UnitCode: "410423510100", PoliceNumber: "041001", Phone: "13800001111"},
		{Name: "李明", Kind: cunjing.StaffOfficer, UnitCode: "410423510100", PoliceNumber: "040999", Phone: "13800002222"},
		{Name: "王小二", Kind: cunjing.StaffAuxiliary, UnitCode: "410423510100", Phone: "13800003333"},
		{Name: "孙立", Kind: cunjing.StaffOfficer, UnitCode: "410423510100", PoliceNumber: "041003", Phone: "13800004444"},
	}
	if err := s.CreateStaff(ctx, staff); err != nil {
		t.Fatalf("create staff: %v", err)
	}
	start := cunjing.DateOf(time.Now()).AddDays(-30)
	post := func(i int, area string, role cunjing.PostRole) cunjing.AssignRequest {
		return cunjing.AssignRequest{StaffID: staff[i].ID, AreaCode: area, Role: role, Start: start}
	}
	made, err := s.AssignAll(ctx, []cunjing.AssignRequest{
		post(0, "410423100201", cunjing.PostResponsible),
		post(0, "410423100202", cunjing.PostResponsible),
		post(1, "410423100201", cunjing.PostCommunity),
		post(1, "410423100001-G01", cunjing.PostCommunity),
		post(2, "410423100201", cunjing.PostAuxiliary),
		post(3, "410423100205", cunjing.PostResponsible),
	})
	if err != nil {
		t.Fatalf("assign: %v", err)
	}
	if err := s.EndAssignment(ctx, made[5].ID, start.AddDays(10)); err != nil {
		t.Fatalf("end 孙立's post: %v", err)
	}
}

func cardCodes(cards []cunjing.ContactCard) []string {
	codes := make([]string, len(cards))
	for i, c := range cards {
		codes[i] = c.Area.Code
	}
	return codes
}

func TestContactCardsOfATown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadCardFixture(t, s)
		cards, err := s.ContactCards(storetest.Ctx(), "410423100")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"410423100001", "410423100001-G01", "410423100201", "410423100202", "410423100203", "410423100204", "410423100205"}
		if got := cardCodes(cards); !slices.Equal(got, want) {
			t.Fatalf("cards of 鲁阳街道 = %v; want its community, grid and villages", got)
		}
		v1 := cards[2]
		if v1.TownName != "鲁阳街道" || v1.StationName != "鲁阳派出所" || v1.StationPhone != "0375-5051110" ||
			v1.OfficeName != "张庄警务工作站" || v1.OfficeAddress != "张庄1村村委会院内" {
			t.Errorf("张庄1村's card = %+v", v1)
		}
		wantOfficers := []cunjing.CardOfficer{
			{Name: "张建国", PoliceNumber: "041001", Phone: "13800001111"},
			{Name: "李明", PoliceNumber: "040999", Phone: "13800002222", Community: true},
		}
		if !slices.Equal(v1.Officers, wantOfficers) {
			t.Errorf("张庄1村's officers = %+v; want the responsible officer first, no auxiliary", v1.Officers)
		}
		grid := cards[1]
		if grid.OfficeName != "东关社区警务室" || grid.OfficeAddress != "东关社区服务中心一楼" || grid.StationName != "鲁阳派出所" ||
			len(grid.Officers) != 1 || grid.Officers[0].Name != "李明" {
			t.Errorf("the grid's card = %+v; want its community's office and 李明", grid)
		}
		if v3 := cards[4]; len(v3.Officers) != 0 || v3.OfficeName != "" || v3.StationName != "鲁阳派出所" {
			t.Errorf("张庄3村's card = %+v; want no officer, no office, the station", v3)
		}
		if v5 := cards[6]; len(v5.Officers) != 0 {
			t.Errorf("张庄5村 shows %+v; 孙立's post has ended", v5.Officers)
		}
	})
}

func TestContactCardsOfACountyAndOfOneArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadCardFixture(t, s)
		ctx := storetest.Ctx()
		county, err := s.ContactCards(ctx, "410423")
		if err != nil || len(county) != 8 {
			t.Fatalf("cards of 鲁山县 = %v, %v; want 8", cardCodes(county), err)
		}
		venue := county[0] // "-" sorts before the digits
		if venue.Area.Code != "410423-S01" || venue.TownName != "" || venue.StationName != "" || venue.OfficeName != "" {
			t.Errorf("the county venue's card = %+v; want no town, station or office", venue)
		}
		one, err := s.ContactCards(ctx, "410423100202")
		if err != nil || len(one) != 1 || one[0].Officers[0].Name != "张建国" {
			t.Fatalf("card of 张庄2村 = %+v, %v", one, err)
		}
		empty, err := s.ContactCards(ctx, "410423101")
		if err != nil || len(empty) != 0 {
			t.Errorf("下汤镇, with no villages in the fixture: %v, %v; want no cards and no error", empty, err)
		}
		for _, code := range []string{"410423199", "410423100299", "abc"} {
			if _, err := s.ContactCards(ctx, code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("cards of %s: err %v; want not found", code, err)
			}
		}
	})
}

func TestContactCardsKeepToTheScopeAndAuditThePhones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadCardFixture(t, s)
		officer := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "zhang", Role: cunjing.RoleOfficer,
			UnitCode: "410423510100", Scope: cunjing.Scope{Prefixes: []string{"410423100201", "410423100202"}}})
		cards, err := s.ContactCards(officer, "410423100")
		if err != nil || !slices.Equal(cardCodes(cards), []string{"410423100201", "410423100202"}) {
			t.Fatalf("an officer's cards of his town = %v, %v; want his two villages", cardCodes(cards), err)
		}
		for _, code := range []string{"410423100203", "410423101", "410423100001-G01"} {
			if _, err := s.ContactCards(officer, code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("an officer's cards of %s: err %v; want not found", code, err)
			}
		}
		if _, err := s.ContactCards(context.Background(), "410423100"); err == nil {
			t.Error("cards without an identity: want an error")
		}
		reads := findAll(t, s, cunjing.AuditFilter{Actor: "zhang", Action: cunjing.ActionReadPersonal})
		if len(reads) != 1 || reads[0].Object != "cards:410423100" {
			t.Errorf("audit of the officer's card reads = %+v; want one read of the cards of 410423100", reads)
		}
	})
}

func TestPublicCardNeedsNoLoginAndHidesPhones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadCardFixture(t, s)
		card, err := s.PublicCard(context.Background(), "410423100201")
		if err != nil {
			t.Fatal(err)
		}
		if card.Area.Name != "张庄1村民委员会" || card.StationPhone != "0375-5051110" || card.OfficeAddress != "张庄1村村委会院内" {
			t.Errorf("public card = %+v", card)
		}
		if len(card.Officers) != 2 || card.Officers[0].Name != "张建国" || card.Officers[0].PoliceNumber != "041001" {
			t.Errorf("public officers = %+v", card.Officers)
		}
		for _, o := range card.Officers {
			if o.Phone != "" {
				t.Errorf("the public card shows %s's phone %s", o.Name, o.Phone)
			}
		}
		for _, code := range []string{"410423100", "410423", "410423100299", "<script>"} {
			if _, err := s.PublicCard(context.Background(), code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("public card of %s: err %v; want not found", code, err)
			}
		}
	})
}
