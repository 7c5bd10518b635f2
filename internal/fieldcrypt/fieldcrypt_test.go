package fieldcrypt_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing/internal/fieldcrypt"
)

func testCipher(t *testing.T) *fieldcrypt.Cipher {
	t.Helper()
	c, err := fieldcrypt.New(bytes.Repeat([]byte{7}, fieldcrypt.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSealedValuesOpenOnlyForTheirField(t *testing.T) {
	c := testCipher(t)
	const id = "41042319800101001X"
	sealed, err := c.Seal("id_number", id)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(id)) || bytes.Contains(sealed, []byte("1980")) {
		t.Fatalf("sealed value shows the number: %x", sealed)
	}
	again, _ := c.Seal("id_number", id)
	if bytes.Equal(sealed, again) {
		t.Fatal("two seals of one value are equal: the nonce is not random")
	}
	if got, err := c.Open("id_number", sealed); err != nil || got != id {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := c.Open("phone", sealed); err == nil {
		t.Fatal("a sealed ID number opened as a phone")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := c.Open("id_number", sealed); err == nil {
		t.Fatal("a tampered value opened")
	}
}

func TestBlindIndexIsKeyedAndPerField(t *testing.T) {
	c := testCipher(t)
	other, _ := fieldcrypt.New(bytes.Repeat([]byte{8}, fieldcrypt.KeySize))
	a := c.Blind("phone", "13812345678")
	if !bytes.Equal(a, c.Blind("phone", "13812345678")) || len(a) != 16 {
		t.Fatalf("blind index not stable or not 16 bytes: %x", a)
	}
	if bytes.Equal(a, c.Blind("id_number", "13812345678")) || bytes.Equal(a, other.Blind("phone", "13812345678")) {
		t.Fatal("blind index does not depend on the field and the key")
	}
}

func TestLoadCreatesAKeyFileOnceAndRefusesABadOne(t *testing.T) {
	t.Setenv(fieldcrypt.KeyEnv, "")
	path := filepath.Join(t.TempDir(), "data.key")
	first, created, err := fieldcrypt.Load(path)
	if err != nil || !created {
		t.Fatalf("Load = %v, created %v", err, created)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", info.Mode().Perm())
	}
	second, created, err := fieldcrypt.Load(path)
	if err != nil || created {
		t.Fatalf("second Load = %v, created %v", err, created)
	}
	if !bytes.Equal(first.Blind("f", "v"), second.Blind("f", "v")) {
		t.Fatal("the key changed between loads")
	}
	os.WriteFile(path, []byte("not hex"), 0o600)
	if _, _, err := fieldcrypt.Load(path); err == nil || !strings.Contains(err.Error(), "hex") {
		t.Fatalf("bad key file: %v", err)
	}
	t.Setenv(fieldcrypt.KeyEnv, strings.Repeat("ab", 32))
	env, created, err := fieldcrypt.Load(path)
	if err != nil || created || bytes.Equal(env.Blind("f", "v"), first.Blind("f", "v")) {
		t.Fatalf("the environment key was not used: %v", err)
	}
}
