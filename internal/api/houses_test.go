package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// placeOf is a standard address and two residents of a village of 鲁山县,
// added by the system for the house, org and visit tests.
type placeOf struct {
	village          string
	address          int64
	owner, tenant    int64
	ownerName, other string
}

// lushanPlace adds an address and two residents to the first village of
// 鲁山县.
func lushanPlace(t *testing.T, st *store.Store) placeOf {
	t.Helper()
	ctx := storetest.Ctx()
	p := placeOf{village: lushanVillage(t, st), ownerName: "赵大", other: "钱二"}
	a := cunjing.StdAddress{AreaCode: p.village, Street: "接口测试路", HouseNumber: "7"}
	if err := st.CreateAddress(ctx, &a); err != nil {
		t.Fatalf("create address: %v", err)
	}
	p.address = a.ID
	for i, r := range []cunjing.Resident{{Name: p.ownerName, AddressID: a.ID}, {Name: p.other}} {
		r.AreaCode, r.IDNumber = p.village, apiIDNumber(901+i)
		if err := st.CreateResident(ctx, &r); err != nil {
			t.Fatalf("create resident: %v", err)
		}
		if i == 0 {
			p.owner = r.ID
		} else {
			p.tenant = r.ID
		}
	}
	return p
}

// apiIDNumber is a valid ID number issued in Beijing to someone born on
// 3 February 1930, with the sequence number seq, unlike the demo city's.
func apiIDNumber(seq int) string {
	body := fmt.Sprintf("11010519300203%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

type houseOut struct {
	ID         int64   `json:"id"`
	AreaCode   string  `json:"area_code"`
	Address    string  `json:"address_text"`
	OwnerName  string  `json:"owner_name"`
	Use        string  `json:"use"`
	FloorArea  float64 `json:"floor_area"`
	Note       string  `json:"note"`
	Collection struct {
		CollectedBy string `json:"collected_by"`
		State       string `json:"state"`
	} `json:"collection"`
}

type rentalOut struct {
	ID         int64  `json:"id"`
	TenantName string `json:"tenant_name"`
	Start      string `json:"start"`
	End        string `json:"end"`
}

func TestAHouseIsRecordedRentedAndChangedThroughTheAPI(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	p := lushanPlace(t, st)
	var h houseOut
	body := fmt.Sprintf(`{"address_id":%d,"owner_resident_id":%d,"use":"self","floor_area":96.5}`, p.address, p.owner)
	if status := sendJSON(t, srv, "POST", "/api/v1/houses", body, &h); status != http.StatusCreated {
		t.Fatalf("create house: %d %+v", status, h)
	}
	if h.AreaCode != p.village || h.Address != "接口测试路7号" || h.OwnerName != p.ownerName || h.FloorArea != 96.5 || h.Collection.CollectedBy != "lushan" {
		t.Errorf("created %+v; want in %s at 接口测试路7号, owned by %s, collected by lushan", h, p.village, p.ownerName)
	}
	path := fmt.Sprintf("/api/v1/houses/%d", h.ID)
	withArea := fmt.Sprintf(`{"address_id":%d,"use":"self","area_code":"410482001001"}`, p.address)
	if status := sendJSON(t, srv, "POST", "/api/v1/houses", withArea, nil); status != http.StatusBadRequest {
		t.Errorf("a house naming its own area: %d; want 400, the area is the address's", status)
	}
	if status := sendJSON(t, srv, "PATCH", path, `{"note":"两层砖房"}`, nil); status != http.StatusNoContent {
		t.Errorf("patch: %d", status)
	}
	var rental rentalOut
	if status := sendJSON(t, srv, "POST", path+"/rentals", fmt.Sprintf(`{"tenant_id":%d,"start":"2026-01-01"}`, p.tenant), &rental); status != http.StatusCreated {
		t.Fatalf("add rental: %d %+v", status, rental)
	}
	if get(t, srv, path, &h); h.Use != "rented" || h.Note != "两层砖房" {
		t.Errorf("house after the rental = %+v; want rented, with the note", h)
	}
	var e apiError
	if status := sendJSON(t, srv, "POST", fmt.Sprintf("/api/v1/rentals/%d/end", rental.ID), `{"end":"2026-02-30"}`, &e); status != http.StatusBadRequest || e.Error.Fields["end"] == "" {
		t.Errorf("end on 30 February: %d %+v; want 400 naming end", status, e)
	}
	if status := sendJSON(t, srv, "POST", fmt.Sprintf("/api/v1/rentals/%d/end", rental.ID), `{"end":"2026-03-01"}`, nil); status != http.StatusNoContent {
		t.Errorf("end rental: %d", status)
	}
	var rentals struct{ Items []rentalOut }
	if get(t, srv, path+"/rentals", &rentals); len(rentals.Items) != 1 || rentals.Items[0].TenantName != p.other || rentals.Items[0].End != "2026-03-01" {
		t.Errorf("rentals = %+v; want %s's, ended 2026-03-01", rentals, p.other)
	}
	var list struct{ Items []houseOut }
	if get(t, srv, fmt.Sprintf("/api/v1/houses?address_id=%d&use=rented", p.address), &list); len(list.Items) != 1 || list.Items[0].ID != h.ID {
		t.Errorf("rented houses at the address = %+v; want the one", list)
	}
}

func TestHousesOfAnotherCountyAreNotFoundAndALeaderCannotWrite(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	p := lushanPlace(t, st)
	var h houseOut
	if status := sendJSON(t, srv, "POST", "/api/v1/houses", fmt.Sprintf(`{"address_id":%d,"use":"vacant"}`, p.address), &h); status != http.StatusCreated {
		t.Fatalf("create house: %d", status)
	}
	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	path := fmt.Sprintf("/api/v1/houses/%d", h.ID)
	for _, c := range []struct{ method, path, body string }{
		{"GET", path, ""},
		{"PATCH", path, `{"note":"x"}`},
		{"GET", path + "/rentals", ""},
		{"POST", path + "/rentals", fmt.Sprintf(`{"tenant_id":%d,"start":"2026-01-01"}`, p.tenant)},
		{"POST", "/api/v1/houses", fmt.Sprintf(`{"address_id":%d,"use":"self"}`, p.address)},
	} {
		var e apiError
		if status := sendJSON(t, ruzhou, c.method, c.path, c.body, &e); status != http.StatusNotFound || !strings.Contains(e.Error.Message, "not found") {
			t.Errorf("汝州 %s %s: %d %+v; want 404", c.method, c.path, status, e)
		}
	}
	var list struct{ Items []houseOut }
	if get(t, ruzhou, fmt.Sprintf("/api/v1/houses?address_id=%d", p.address), &list); len(list.Items) != 0 {
		t.Errorf("汝州 lists %+v; want nothing of 鲁山县", list)
	}
	leader, _ := newServerAsOn(t, st, "leader")
	if status := sendJSON(t, leader, "POST", "/api/v1/houses", fmt.Sprintf(`{"address_id":%d,"use":"self"}`, p.address), nil); status != http.StatusForbidden {
		t.Errorf("the leader creating a house: %d; want 403", status)
	}
	if status := sendJSON(t, leader, "GET", path, "", &h); status != http.StatusOK {
		t.Errorf("the leader reading the house: %d; want 200", status)
	}
}
