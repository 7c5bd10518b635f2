package api

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"
	"unicode/utf8"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// auditExportMax bounds the rows of one audit export.
var auditExportMax = 100_000

// maxAuditText bounds the actor and object filters, in characters.
const maxAuditText = 100

// auditJSON is an audit row as the API shows it, the time in Shanghai.
type auditJSON struct {
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	UnitCode  string    `json:"unit_code"`
	IP        string    `json:"ip"`
	Action    string    `json:"action"`
	Object    string    `json:"object"`
	Result    string    `json:"result"`
	RequestID string    `json:"request_id"`
	Detail    string    `json:"detail"`
}

func toAuditJSON(events []cunjing.AuditEvent) []auditJSON {
	out := make([]auditJSON, len(events))
	for i, e := range events {
		out[i] = auditJSON{e.Seq, e.At.In(cunjing.Shanghai), e.Actor, e.UnitCode, e.IP, e.Action, e.Object, e.Result, e.RequestID, e.Detail}
	}
	return out
}

// parseAuditFilter reads actor, action, object, from and to, and returns
// the message of each bad one by name.
func parseAuditFilter(q url.Values) (cunjing.AuditFilter, map[string]string) {
	f := cunjing.AuditFilter{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object")}
	fields := map[string]string{}
	for name, text := range map[string]string{"actor": f.Actor, "object": f.Object} {
		if utf8.RuneCountInString(text) > maxAuditText {
			fields[name] = fmt.Sprintf("must be at most %d characters", maxAuditText)
		}
	}
	if f.Action != "" && !slices.Contains(cunjing.AuditActions, f.Action) {
		fields["action"] = "must be an audit action"
	}
	var ok bool
	if s := q.Get("from"); s != "" {
		if f.From, ok = cunjing.ParseTimeBound(s, false); !ok {
			fields["from"] = "must be an RFC 3339 time or a date YYYY-MM-DD"
		}
	}
	if s := q.Get("to"); s != "" {
		if f.To, ok = cunjing.ParseTimeBound(s, true); !ok {
			fields["to"] = "must be an RFC 3339 time or a date YYYY-MM-DD"
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		fields["to"] = "must be later than from"
	}
	return f, fields
}

// listAudit answers GET /api/v1/audit?actor=&action=&object=&from=&to=&limit=&cursor=:
// the matching audit rows, newest first. The query is itself audited.
func (a *api) listAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, fields := parseAuditFilter(q)
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	events, next, err := a.Audit.FindAudit(r.Context(), f)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, listJSON[auditJSON]{Items: toAuditJSON(events), NextCursor: next})
	return nil
}

// auditColumns are the columns of the audit export.
var auditColumns = []importer.Column{
	{Header: "seq", Width: 10}, {Header: "at (Asia/Shanghai)", Width: 20}, {Header: "actor", Width: 16},
	{Header: "unit_code", Width: 14}, {Header: "ip", Width: 16}, {Header: "action", Width: 18}, {Header: "object", Width: 40},
	{Header: "result", Width: 8}, {Header: "request_id", Width: 18}, {Header: "detail", Width: 40},
}

// exportAudit answers GET /api/v1/audit/export.xlsx?actor=&action=&object=&from=&to=:
// a workbook of the matching rows, newest first, at most auditExportMax.
// The export is audited before the workbook is sent.
func (a *api) exportAudit(w http.ResponseWriter, r *http.Request) error {
	f, fields := parseAuditFilter(r.URL.Query())
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "some parameters are not valid", Fields: fields}
	}
	sheet, err := importer.NewSheet("audit", auditColumns)
	if err != nil {
		return err
	}
	defer sheet.Close()
	n, more, err := a.Audit.ExportAudit(r.Context(), f, auditExportMax, func(e cunjing.AuditEvent) error {
		return sheet.Add(e.Seq, e.At.In(cunjing.Shanghai), e.Actor, e.UnitCode, e.IP, e.Action, e.Object, e.Result, e.RequestID, e.Detail)
	})
	if err != nil {
		return err
	}
	if more {
		if err := sheet.Add(fmt.Sprintf("cut at %d rows: narrow the filters to export the rest", n)); err != nil {
			return err
		}
	}
	name := "audit-" + time.Now().In(cunjing.Shanghai).Format("20060102-150405") + ".xlsx"
	httpx.SendWorkbook(w, name)
	if _, err := sheet.WriteTo(w); err != nil {
		a.Logger.Warn("api: audit export cut short", "id", httpx.RequestID(r.Context()), "err", err)
	}
	return nil
}
