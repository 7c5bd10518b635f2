// Package cunjing is the domain of the cunjing (村警) community-policing platform:
// one police officer for every village, urban grid and large venue (一村(格)一警).
//
// It holds the types, validation rules and service interfaces that every other
// package builds on. It knows nothing of HTTP or SQL: internal/store implements
// the services on SQLite and PostgreSQL, internal/api and internal/web expose them,
// and cmd/cunjing wires them together.
package cunjing
