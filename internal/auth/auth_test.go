package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashVerifies(t *testing.T) {
	long := strings.Repeat("村警守护一方平安", 8)
	for _, pw := range []string{"Correct horse 9!", long, " spaced "} {
		hash, err := HashPassword(pw)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(hash, pw) || !strings.HasPrefix(hash, "$argon2id$") {
			t.Fatalf("hash %q is not an argon2id hash hiding the password", hash)
		}
		if !VerifyPassword(hash, pw) {
			t.Errorf("%q does not verify against its own hash", pw)
		}
		if VerifyPassword(hash, strings.TrimSpace(pw)+"x") || VerifyPassword(hash, strings.TrimSpace(pw)) && pw != strings.TrimSpace(pw) {
			t.Errorf("a different password verifies against the hash of %q", pw)
		}
	}
	if VerifyPassword("$argon2id$broken", "x") {
		t.Error("a malformed hash verifies")
	}
}

func TestGeneratedPasswordsDiffer(t *testing.T) {
	a, b := GeneratePassword(), GeneratePassword()
	if a == b || len(a) < 20 {
		t.Fatalf("generated %q and %q", a, b)
	}
}
