// Package store keeps cunjing's data in SQLite or PostgreSQL. It is the only
// package that speaks SQL: one dialect subset for both engines, embedded
// numbered migrations, and public methods that each own their transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"

	"cunjing"
)

// Store is an open database. On SQLite it holds one writer connection and a
// pool of readers; on PostgreSQL both names point to the same pool.
type Store struct {
	dialect dialect
	write   *sql.DB
	read    *sql.DB
	now     func() time.Time
	stmts   sync.Map // query → *sql.Stmt on read, for the queries of every request
	cipher  cunjing.FieldCipher
}

// UseCipher sets the cipher that seals personal fields at rest. Without
// one the store refuses to write or read them.
func (s *Store) UseCipher(c cunjing.FieldCipher) { s.cipher = c }

// Open opens the database named by dsn — a postgres:// URL, or a path to a
// SQLite file created if missing — and applies pending migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	s, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func open(dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		return openPostgres(dsn)
	}
	return openSQLite(dsn)
}

func openPostgres(dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{dialect: postgres, write: db, read: db, now: time.Now}, nil
}

func openSQLite(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create data folder: %w", err)
		}
	}
	write, err := sql.Open(sqliteDriver, sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxLifetime(0)
	read, err := sql.Open(sqliteDriver, sqliteDSN(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	read.SetMaxIdleConns(max(4, runtime.NumCPU()))
	return &Store{dialect: sqlite, write: write, read: read, now: time.Now}, nil
}

// readStmt returns the prepared statement of a read query run on every
// request, preparing it once.
func (s *Store) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if stmt, ok := s.stmts.Load(query); ok {
		return stmt.(*sql.Stmt), nil
	}
	stmt, err := s.read.PrepareContext(ctx, s.dialect.q(query))
	if err != nil {
		return nil, fmt.Errorf("store: prepare: %w", err)
	}
	if prev, loaded := s.stmts.LoadOrStore(query, stmt); loaded {
		stmt.Close()
		return prev.(*sql.Stmt), nil
	}
	return stmt, nil
}

// Close closes the prepared statements and the connections.
func (s *Store) Close() error {
	s.stmts.Range(func(_, stmt any) bool {
		stmt.(*sql.Stmt).Close()
		return true
	})
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Ping checks that the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return string(s.dialect) }

// inWriteTx runs fn in a write transaction (BEGIN IMMEDIATE on SQLite) and
// commits when fn returns nil.
func (s *Store) inWriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// timestamp formats t as the fixed-width UTC text stored in *_at columns, so
// that text order is time order on both engines.
func timestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}
