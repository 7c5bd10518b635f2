// Package fieldcrypt seals personal fields at rest with AES-256-GCM and
// gives them HMAC-SHA-256 blind indexes (SECURITY.md D3). Both keys are
// derived with HKDF from one data key, kept outside the database: a file
// beside it, or an environment variable.
package fieldcrypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"cunjing"
)

// KeySize is the length of a data key in bytes.
const KeySize = 32

// blindSize is the length kept of a blind index: 128 bits, so that
// collisions among billions of values are out of reach.
const blindSize = 16

// Cipher is a cunjing.FieldCipher on AES-256-GCM and HMAC-SHA-256.
type Cipher struct {
	aead  cipher.AEAD
	blind []byte
}

var _ cunjing.FieldCipher = (*Cipher)(nil)

// New returns a cipher on a data key of KeySize bytes.
func New(key []byte) (*Cipher, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("fieldcrypt: a data key is %d bytes, not %d", KeySize, len(key))
	}
	sealKey, err := hkdf.Key(sha256.New, key, nil, "cunjing field seal", 32)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: derive: %w", err)
	}
	blindKey, err := hkdf.Key(sha256.New, key, nil, "cunjing blind index", 32)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: derive: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("fieldcrypt: %w", err)
	}
	return &Cipher{aead: aead, blind: blindKey}, nil
}

// Seal encrypts plain with a random nonce; the field name is authenticated
// with it, so a sealed phone cannot pass for an ID number.
func (c *Cipher) Seal(field, plain string) ([]byte, error) {
	return c.aead.Seal(nil, nil, []byte(plain), []byte(field)), nil
}

// Open decrypts a value sealed for the same field.
func (c *Cipher) Open(field string, sealed []byte) (string, error) {
	plain, err := c.aead.Open(nil, nil, sealed, []byte(field))
	if err != nil {
		return "", fmt.Errorf("fieldcrypt: open %s: %w", field, err)
	}
	return string(plain), nil
}

// Blind returns the first 16 bytes of HMAC-SHA-256(field, value).
func (c *Cipher) Blind(field, value string) []byte {
	mac := hmac.New(sha256.New, c.blind)
	mac.Write([]byte(field))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return mac.Sum(nil)[:blindSize]
}

// KeyEnv is the environment variable that may hold the data key, in hex.
const KeyEnv = "CUNJING_DATA_KEY"

// Load returns the cipher of the data key in KeyEnv, or else of the key
// file at path, creating the file (mode 0600) with a new random key when
// it does not exist. created reports that, so that the caller can tell
// the operator to back the key up: without it the sealed fields are lost.
func Load(path string) (c *Cipher, created bool, err error) {
	if text := os.Getenv(KeyEnv); text != "" {
		c, err = fromHex(text, KeyEnv)
		return c, false, err
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, KeySize)
		rand.Read(key)
		if err := os.WriteFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
			return nil, false, fmt.Errorf("fieldcrypt: write key file: %w", err)
		}
		c, err = New(key)
		return c, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("fieldcrypt: read key file: %w", err)
	}
	c, err = fromHex(string(text), path)
	return c, false, err
}

func fromHex(text, source string) (*Cipher, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("fieldcrypt: %s must hold %d bytes in hex", source, KeySize)
	}
	return New(key)
}
