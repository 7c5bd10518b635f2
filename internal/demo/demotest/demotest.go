// Package demotest gives tests a store holding the demo city — divisions,
// police force and accounts — fast: the city is loaded once per test binary
// into a SQLite file kept in memory, which each test writes out anew.
package demotest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/demo"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// AdminPassword is the password of the first administrator, "admin".
const AdminPassword = "村警-test-password"

var template struct {
	once sync.Once
	db   []byte // the SQLite file of the loaded city
	err  error
}

// Store returns a fresh store on a copy of the demo city, with the first
// administrator "admin" and the demo accounts (demo.Accounts).
func Store(t testing.TB) *store.Store {
	t.Helper()
	template.once.Do(buildTemplate)
	if template.err != nil {
		t.Fatalf("demotest: %v", template.err)
	}
	path := filepath.Join(t.TempDir(), "cunjing.db")
	if err := os.WriteFile(path, template.db, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st.UseCipher(storetest.Cipher())
	t.Cleanup(func() { st.Close() })
	return st
}

// buildTemplate loads the demo city into a temporary file and keeps its bytes.
func buildTemplate() {
	dir, err := os.MkdirTemp("", "cunjing-demotest-")
	if err != nil {
		template.err = err
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "template.db")
	if template.err = load(path); template.err == nil {
		template.db, template.err = os.ReadFile(path)
	}
}

func load(path string) error {
	ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
	st, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	st.UseCipher(storetest.Cipher())
	hash, err := auth.HashPassword(AdminPassword)
	if err != nil {
		st.Close()
		return err
	}
	admin := cunjing.User{Username: cunjing.FirstAdminName, DisplayName: "管理员", PasswordHash: hash, Role: cunjing.RoleSystemAdmin}
	if _, err := st.CreateFirstUser(ctx, admin); err != nil {
		st.Close()
		return err
	}
	if _, err := demo.Load(ctx, st); err != nil {
		st.Close()
		return err
	}
	return st.Close() // checkpoints the WAL into the file
}
