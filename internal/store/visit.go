package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"cunjing"
)

var _ cunjing.VisitService = (*Store)(nil)

// visitTargetName is the name of what a visit went to: the person, the
// org, the head of the household (or its address), the area.
const visitTargetName = `COALESCE(CASE v.target
	WHEN 'resident' THEN (SELECT r.name FROM residents r WHERE r.id = v.target_id)
	WHEN 'org' THEN (SELECT o.name FROM orgs o WHERE o.id = v.target_id)
	WHEN 'household' THEN COALESCE(
		(SELECT r.name FROM residents r WHERE r.household_id = v.target_id AND r.relation = 'head' ORDER BY r.id LIMIT 1),
		(SELECT ad.text FROM households hh JOIN addresses ad ON ad.id = hh.address_id WHERE hh.id = v.target_id))
	WHEN 'area' THEN (SELECT ar.name FROM areas ar WHERE ar.code = v.area_code) END, '')`

// visitColumns are read by queryVisits.
const visitColumns = `v.id, v.area_code, v.day, v.kind, v.target, v.target_id, ` + visitTargetName + `, v.officer,
	COALESCE(u.display_name, ''), v.content, v.problems, v.lng, v.lat, v.datum,
	(SELECT COUNT(*) FROM photos p WHERE p.owner = 'visit:' || CAST(v.id AS TEXT)), v.created_at`

const visitFrom = " FROM visits v LEFT JOIN users u ON u.username = v.officer"

// visitTables are the tables of the targets with an ID.
var visitTables = map[cunjing.VisitTarget]string{
	cunjing.TargetHousehold: "households", cunjing.TargetResident: "residents", cunjing.TargetOrg: "orgs"}

// CreateVisit logs a visit by the caller, whatever the request says, to a
// target in scope; the visit lies in the target's area. Audited.
func (s *Store) CreateVisit(ctx context.Context, v *cunjing.Visit) error {
	v.Officer = actorOf(ctx)
	if v.Target != cunjing.TargetArea {
		v.AreaCode = ""
	} else {
		v.TargetID = 0
	}
	if err := v.Validate(cunjing.DateOf(s.now())); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		area, err := s.visitTargetArea(ctx, tx, v)
		if err != nil {
			return err
		}
		v.AreaCode = area
		lng, lat, datum := pointValues(v.Location)
		var id int64
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO visits (area_code, day, kind, target, target_id, officer, content,
			problems, lng, lat, datum, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), v.AreaCode, v.Date.String(),
			string(v.Kind), string(v.Target), v.TargetID, v.Officer, v.Content, v.Problems, lng, lat, datum, timestamp(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("store: insert visit: %w", err)
		}
		if err := s.auditTx(ctx, tx, cunjing.ActionVisit, visitObject(id), cunjing.ResultOK,
			fmt.Sprintf("%s %s:%d %s", v.Kind, v.Target, v.TargetID, v.AreaCode)); err != nil {
			return err
		}
		saved, err := s.visitInScope(ctx, tx, id)
		if err != nil {
			return err
		}
		*v = *saved
		return nil
	})
}

// visitTargetArea returns the area of the target of a visit, which must
// be in scope: a household, resident or org by its ID, or an area itself.
// Any other reads as missing.
func (s *Store) visitTargetArea(ctx context.Context, tx *sql.Tx, v *cunjing.Visit) (string, error) {
	if v.Target == cunjing.TargetArea {
		return v.AreaCode, s.checkAreaExists(ctx, tx, v.AreaCode)
	}
	visible, args, err := inScope(ctx, "area_code")
	if err != nil {
		return "", err
	}
	query := "SELECT area_code FROM " + visitTables[v.Target] + " WHERE id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var area string
	err = tx.QueryRowContext(ctx, s.dialect.q(query), append([]any{v.TargetID}, args...)...).Scan(&area)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &cunjing.Error{Code: cunjing.ENotFound, Message: fmt.Sprintf("%s %d not found", v.Target, v.TargetID),
			Fields: map[string]string{"target_id": "unknown " + string(v.Target)}}
	}
	if err != nil {
		return "", fmt.Errorf("store: read visit target: %w", err)
	}
	return area, nil
}

// checkAreaExists answers not found for an area outside the scope or
// missing, alike.
func (s *Store) checkAreaExists(ctx context.Context, tx *sql.Tx, code string) error {
	if err := checkAreaInScope(ctx, code); err != nil {
		return areaNotFound(code)
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM areas WHERE code = ?"), code).Scan(&n); err != nil {
		return fmt.Errorf("store: read area: %w", err)
	}
	if n == 0 {
		return areaNotFound(code)
	}
	return nil
}

// Visit returns a visit in scope.
func (s *Store) Visit(ctx context.Context, id int64) (*cunjing.Visit, error) {
	return s.visitInScope(ctx, s.read, id)
}

// visitInScope reads a visit whose area is in scope; any other is not found.
func (s *Store) visitInScope(ctx context.Context, db querier, id int64) (*cunjing.Visit, error) {
	return byIDInScope(ctx, "v", "SELECT "+visitColumns+visitFrom, id, "visit", func(query string, args ...any) ([]cunjing.Visit, error) {
		return s.queryVisits(ctx, db, query, args...)
	})
}

// FindVisits lists the visits of a ledger in scope, by day then ID.
func (s *Store) FindVisits(ctx context.Context, f cunjing.LedgerFilter) ([]cunjing.Visit, string, error) {
	page := f.Page.Normalized()
	l, err := ledgerQuery(ctx, f)
	if err != nil {
		return nil, "", err
	}
	if page.Cursor != "" {
		after, err := decodeCursor(page.Cursor)
		if err != nil {
			return nil, "", err
		}
		day, idText, _ := strings.Cut(after, " ")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			return nil, "", cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
		}
		l.add("(v.day > ? OR (v.day = ? AND v.id > ?))", day, day, id)
	}
	query := "SELECT " + visitColumns + visitFrom
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	visits, err := s.queryVisits(ctx, s.read, query+fmt.Sprintf(" ORDER BY v.day, v.id LIMIT %d", page.Limit+1), l.args...)
	if err != nil {
		return nil, "", err
	}
	visits, next := cut(visits, page.Limit, func(v cunjing.Visit) string { return v.Date.String() + " " + strconv.FormatInt(v.ID, 10) })
	return visits, next, nil
}

// LedgerCounts counts the visits of a ledger in scope by kind, every kind
// in the order of cunjing.VisitKinds, in one grouped query, so that a
// county's month is one index range.
func (s *Store) LedgerCounts(ctx context.Context, f cunjing.LedgerFilter) ([]cunjing.LedgerCount, error) {
	l, err := ledgerQuery(ctx, f)
	if err != nil {
		return nil, err
	}
	query := "SELECT v.kind, COUNT(*) FROM visits v"
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" GROUP BY v.kind"), l.args...)
	if err != nil {
		return nil, fmt.Errorf("store: count visits: %w", err)
	}
	defer rows.Close()
	counts := make([]cunjing.LedgerCount, len(cunjing.VisitKinds))
	for i, k := range cunjing.VisitKinds {
		counts[i].Kind = k
	}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("store: count visits: %w", err)
		}
		if i := slices.Index(cunjing.VisitKinds, cunjing.VisitKind(kind)); i >= 0 {
			counts[i].Count = n
		}
	}
	return counts, rows.Err()
}

// ledgerQuery is the conditions of a ledger: the scope, the area, the
// officer, the month (days are local dates, so a month is a range of
// them) and the kind.
func ledgerQuery(ctx context.Context, f cunjing.LedgerFilter) (*listQuery, error) {
	l := &listQuery{}
	if err := l.addScope(inScope(ctx, "v.area_code")); err != nil {
		return nil, err
	}
	if err := addUnder(l, "v.area_code", f.Under); err != nil {
		return nil, err
	}
	if f.Officer != "" {
		l.add("v.officer = ?", cunjing.CanonicalUsername(f.Officer))
	}
	if f.Month != "" {
		first, err := time.Parse("2006-01", f.Month)
		if err != nil {
			return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "month " + f.Month + " is not valid",
				Fields: map[string]string{"month": "must be a month (YYYY-MM)"}}
		}
		l.add("v.day >= ? AND v.day < ?", first.Format(cunjing.DateLayout), first.AddDate(0, 1, 0).Format(cunjing.DateLayout))
	}
	if f.Kind != "" {
		if !slices.Contains(cunjing.VisitKinds, f.Kind) {
			return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown kind of visit",
				Fields: map[string]string{"kind": "must be one of the kinds of visits"}}
		}
		l.add("v.kind = ?", string(f.Kind))
	}
	return l, nil
}

func (s *Store) queryVisits(ctx context.Context, db querier, query string, args ...any) ([]cunjing.Visit, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query visits: %w", err)
	}
	defer rows.Close()
	var visits []cunjing.Visit
	for rows.Next() {
		var v cunjing.Visit
		var day, kind, target, created string
		var lng, lat sql.NullFloat64
		var datum sql.NullString
		if err := rows.Scan(&v.ID, &v.AreaCode, &day, &kind, &target, &v.TargetID, &v.TargetName, &v.Officer, &v.OfficerName,
			&v.Content, &v.Problems, &lng, &lat, &datum, &v.Photos, &created); err != nil {
			return nil, fmt.Errorf("store: scan visit: %w", err)
		}
		if v.Date, err = cunjing.ParseDate(day); err != nil {
			return nil, fmt.Errorf("store: scan visit: %w", err)
		}
		if v.CreatedAt, err = parseTimestamp(created); err != nil {
			return nil, fmt.Errorf("store: scan visit: %w", err)
		}
		if lng.Valid && lat.Valid {
			v.Location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum.String}
		}
		v.Kind, v.Target = cunjing.VisitKind(kind), cunjing.VisitTarget(target)
		visits = append(visits, v)
	}
	return visits, rows.Err()
}

// AddVisitPhoto attaches a photo to a visit in scope that the caller
// logged, up to cunjing.MaxVisitPhotos, audited.
func (s *Store) AddVisitPhoto(ctx context.Context, visitID int64, p cunjing.Photo) error {
	contentType, err := cunjing.CheckPhoto(p.Data)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(strings.TrimSpace(p.Caption)) > 100 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the caption is too long", Fields: map[string]string{"caption": "at most 100 characters"}}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		v, err := s.visitInScope(ctx, tx, visitID)
		if err != nil {
			return err
		}
		if v.Officer != actorOf(ctx) {
			return cunjing.Errorf(cunjing.EForbidden, "only the officer who logged a visit adds photos to it")
		}
		if v.Photos >= cunjing.MaxVisitPhotos {
			return cunjing.Errorf(cunjing.EConflict, "a visit keeps at most %d photos", cunjing.MaxVisitPhotos)
		}
		id, err := s.insertPhoto(ctx, tx, visitObject(visitID), contentType, p)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionVisit, visitObject(visitID), cunjing.ResultOK, "photo "+strconv.FormatInt(id, 10))
	})
}

// VisitPhotos lists the photos of a visit in scope, without their data.
func (s *Store) VisitPhotos(ctx context.Context, visitID int64) ([]cunjing.Photo, error) {
	if _, err := s.visitInScope(ctx, s.read, visitID); err != nil {
		return nil, err
	}
	return s.photos(ctx, visitObject(visitID), 0, false)
}

// VisitPhoto returns one photo of a visit in scope, with its data.
func (s *Store) VisitPhoto(ctx context.Context, visitID, photoID int64) (*cunjing.Photo, error) {
	if _, err := s.visitInScope(ctx, s.read, visitID); err != nil {
		return nil, err
	}
	photos, err := s.photos(ctx, visitObject(visitID), photoID, true)
	if err != nil {
		return nil, err
	}
	if len(photos) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "photo %d not found", photoID)
	}
	return &photos[0], nil
}

func visitObject(id int64) string { return "visit:" + strconv.FormatInt(id, 10) }
