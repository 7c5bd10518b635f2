package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cunjing"
)

var _ cunjing.ContactCardService = (*Store)(nil)

// cardLevels are the levels of the areas that need an officer and so get a
// contact card (一村(格、店)一警).
const cardLevels = "level IN ('village', 'grid', 'venue')"

// cardSpan is the areas a call builds cards for: the area code alone, or
// everything under it too.
type cardSpan struct {
	code  string
	under bool
}

// cond is the condition that column names an area of the span.
func (sp cardSpan) cond(column string) (string, []any) {
	if sp.under {
		return column + " >= ? AND " + column + " < ?", []any{sp.code, sp.code + cunjing.CodeUpperBound}
	}
	return column + " = ?", []any{sp.code}
}

// ContactCards returns the cards of the areas under code (or of code
// itself) that need an officer and lie in scope, by code, with the
// officers' phones; the read of the phones is audited. A role that does not
// read personal data gets the phones masked, and nothing to record.
func (s *Store) ContactCards(ctx context.Context, code string) ([]cunjing.ContactCard, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !cunjing.ValidAreaCode(code) {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	cards, err := s.cards(ctx, cardSpan{code: code, under: true}, true)
	if err != nil {
		return nil, err
	}
	if len(cards) == 0 {
		return nil, s.checkEmptySpan(ctx, scope, code)
	}
	personal := readsPersonal(ctx)
	officers := 0
	for _, c := range cards {
		officers += len(c.Officers)
		for i := range c.Officers {
			if !personal {
				c.Officers[i].Phone = cunjing.MaskPhone(c.Officers[i].Phone)
			}
		}
	}
	if officers == 0 || !personal {
		return cards, nil
	}
	detail := fmt.Sprintf("contact cards: %d areas, %d officers' phones", len(cards), officers)
	return cards, s.inWriteTx(ctx, func(tx *sql.Tx) error {
		return s.auditTx(ctx, tx, cunjing.ActionReadPersonal, "cards:"+code, cunjing.ResultOK, detail)
	})
}

// checkEmptySpan tells an area in scope with nothing to print under it (no
// error) from one that does not exist or lies outside the scope (not found).
func (s *Store) checkEmptySpan(ctx context.Context, scope cunjing.Scope, code string) error {
	found, err := s.areasByCode(ctx, []string{code})
	if err != nil {
		return err
	}
	if len(found) == 0 || !scope.Covers(code) {
		return cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return nil
}

// PublicCard returns the card of one village, grid or venue for anyone,
// without scope and without the officers' phones. Any other code is not
// found, whether or not such an area exists.
func (s *Store) PublicCard(ctx context.Context, code string) (*cunjing.ContactCard, error) {
	if !cunjing.ValidAreaCode(code) {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	cards, err := s.cards(ctx, cardSpan{code: code}, false)
	if err != nil {
		return nil, err
	}
	if len(cards) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	card := cards[0]
	for i := range card.Officers {
		card.Officers[i].Phone = ""
	}
	return &card, nil
}

// cards builds the cards of the span in four queries whatever its size:
// the areas, their towns' names, the officers in post, the units covering
// them. With scoped, the areas and posts are cut to the scope of ctx.
func (s *Store) cards(ctx context.Context, sp cardSpan, scoped bool) ([]cunjing.ContactCard, error) {
	var areas, posts listQuery
	cond, args := sp.cond("code")
	areas.add(cond+" AND "+cardLevels, args...)
	cond, args = sp.cond("a.area_code")
	posts.add(cond, args...)
	if scoped {
		if err := areas.addScope(inScope(ctx, "code")); err != nil {
			return nil, err
		}
		if err := posts.addScope(inScope(ctx, "a.area_code")); err != nil {
			return nil, err
		}
	}
	found, err := s.queryAreas(ctx, "SELECT "+areaColumns+" FROM areas WHERE "+strings.Join(areas.where, " AND ")+" ORDER BY code", areas.args...)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	cards := make([]cunjing.ContactCard, len(found))
	index := make(map[string]*cunjing.ContactCard, len(found))
	for i, a := range found {
		cards[i].Area = a
		index[a.Code] = &cards[i]
	}
	if err := s.addTownNames(ctx, cards); err != nil {
		return nil, err
	}
	if err := s.addCardOfficers(ctx, posts, index); err != nil {
		return nil, err
	}
	return cards, s.addCardUnits(ctx, sp, cards)
}

// townOf returns the code of the town an area lies in, "" for an area
// above the town tier (a venue of a county).
func townOf(code string) string {
	for _, c := range cunjing.AncestorCodes(code) {
		if level, _ := cunjing.LevelOfCode(c); level == cunjing.LevelTown {
			return c
		}
	}
	return ""
}

// addTownNames sets the town name of each card.
func (s *Store) addTownNames(ctx context.Context, cards []cunjing.ContactCard) error {
	var towns []string
	for _, c := range cards {
		if t := townOf(c.Area.Code); t != "" && !slices.Contains(towns, t) {
			towns = append(towns, t)
		}
	}
	names, err := areaNames(ctx, s.read, s.dialect, towns)
	if err != nil {
		return err
	}
	for i := range cards {
		cards[i].TownName = names[townOf(cards[i].Area.Code)]
	}
	return nil
}

// addCardOfficers adds to each card the active officers holding an open
// officer post for its area, the responsible officer first.
func (s *Store) addCardOfficers(ctx context.Context, posts listQuery, index map[string]*cunjing.ContactCard) error {
	posts.add("a.end_date = '' AND a.role IN (?, ?) AND s.status = ?",
		string(cunjing.PostResponsible), string(cunjing.PostCommunity), string(cunjing.StaffActive))
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT a.area_code, a.role, s.name, s.police_number, s.phone
		FROM assignments a JOIN staff s ON s.id = a.staff_id WHERE `+strings.Join(posts.where, " AND ")+` ORDER BY a.area_code, s.police_number, s.id`),
		posts.args...)
	if err != nil {
		return fmt.Errorf("store: card officers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var area, role string
		var o cunjing.CardOfficer
		if err := rows.Scan(&area, &role, &o.Name, &o.PoliceNumber, &o.Phone); err != nil {
			return fmt.Errorf("store: card officers: %w", err)
		}
		o.Community = cunjing.PostRole(role) == cunjing.PostCommunity
		if c := index[area]; c != nil {
			c.Officers = append(c.Officers, o)
		}
	}
	for _, c := range index {
		slices.SortStableFunc(c.Officers, func(a, b cunjing.CardOfficer) int {
			return cmp.Compare(boolRank(a.Community), boolRank(b.Community))
		})
	}
	return rows.Err()
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cardUnit is a station, office or workstation whose jurisdiction names an
// area code.
type cardUnit struct {
	kind                 cunjing.UnitKind
	name, phone, address string
}

// addCardUnits sets on each card the station and the office or workstation
// covering its area: the nearest one, found on the area or its ancestors,
// read in one query for the whole span.
func (s *Store) addCardUnits(ctx context.Context, sp cardSpan, cards []cunjing.ContactCard) error {
	inside, args := sp.cond("ua.area_code")
	above := cunjing.AncestorCodes(sp.code)
	query := `SELECT ua.area_code, u.kind, u.name, u.phone, u.address FROM unit_areas ua JOIN units u ON u.code = ua.unit_code
		WHERE u.kind IN ('station', 'office', 'workstation') AND ((` + inside + `)`
	if len(above) > 0 {
		query += " OR ua.area_code IN (" + marks(len(above)) + ")"
		args = append(args, anySlice(above)...)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+") ORDER BY ua.area_code, u.code"), args...)
	if err != nil {
		return fmt.Errorf("store: card units: %w", err)
	}
	defer rows.Close()
	byArea := map[string][]cardUnit{}
	for rows.Next() {
		var area, kind string
		var u cardUnit
		if err := rows.Scan(&area, &kind, &u.name, &u.phone, &u.address); err != nil {
			return fmt.Errorf("store: card units: %w", err)
		}
		u.kind = cunjing.UnitKind(kind)
		byArea[area] = append(byArea[area], u)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: card units: %w", err)
	}
	for i := range cards {
		setCardUnits(&cards[i], byArea)
	}
	return nil
}

// setCardUnits walks from the card's area up and takes the first station
// and the first office or workstation met.
func setCardUnits(c *cunjing.ContactCard, byArea map[string][]cardUnit) {
	chain := append(cunjing.AncestorCodes(c.Area.Code), c.Area.Code)
	station, office := false, false
	for i := len(chain) - 1; i >= 0 && !(station && office); i-- {
		for _, u := range byArea[chain[i]] {
			switch {
			case u.kind == cunjing.UnitStation && !station:
				c.StationName, c.StationPhone, station = u.name, u.phone, true
			case u.kind != cunjing.UnitStation && !office:
				c.OfficeName, c.OfficeAddress, office = u.name, u.address, true
			}
		}
	}
}
