package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFirstAdminMustChangeThePassword starts a fresh server without
// CUNJING_ADMIN_PASSWORD: the generated password is printed once, and with
// it the administrator reaches only the password change (SECURITY.md A1).
func TestFirstAdminMustChangeThePassword(t *testing.T) {
	t.Setenv("CUNJING_ADMIN_PASSWORD", "")
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data", t.TempDir()}, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() { cancel(); <-done })
	var url, password string
	sc := bufio.NewScanner(pr)
	for url == "" && sc.Scan() {
		line := sc.Text()
		if _, rest, ok := strings.Cut(line, "password "); ok {
			password, _, _ = strings.Cut(rest, " ")
		}
		if _, rest, ok := strings.Cut(line, "open "); ok {
			url = strings.TrimSuffix(rest, "/")
		}
	}
	go io.Copy(io.Discard, pr)
	if url == "" || len(password) < 20 {
		t.Fatalf("serve printed no address or no generated password (%q)", password)
	}

	token, restriction := apiLogin(t, url, "admin", password)
	if restriction != "change_password" {
		t.Fatalf("first login restriction %q; want change_password", restriction)
	}
	if status := apiCall(t, "GET", url+"/api/v1/areas", token, ""); status != http.StatusUnauthorized {
		t.Fatalf("data before the password change: %d; want 401", status)
	}
	body := `{"current_password":"` + password + `","password":"Lushan-Station-2026!"}`
	if status := apiCall(t, "POST", url+"/api/v1/auth/password", token, body); status != http.StatusNoContent {
		t.Fatalf("password change: %d", status)
	}
	if status := apiCall(t, "GET", url+"/api/v1/areas", token, ""); status != http.StatusOK {
		t.Fatalf("data after the password change: %d; want 200", status)
	}
}

func apiLogin(t *testing.T, url, username, password string) (token, restriction string) {
	t.Helper()
	resp, err := http.Post(url+"/api/v1/auth/login", "application/json",
		strings.NewReader(`{"username":"`+username+`","password":"`+password+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Token       string    `json:"token"`
		Restriction string    `json:"restriction"`
		ExpiresAt   time.Time `json:"expires_at"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login as %s: %d %v", username, resp.StatusCode, err)
	}
	return out.Token, out.Restriction
}

func apiCall(t *testing.T, method, url, token, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
