package cunjing

// FieldCipher protects the personal fields kept at rest — ID numbers and
// phones (SECURITY.md D3) — and gives each a keyed blind index, so that
// exact search works without the plain value in the database. The field
// name ("id_number", "phone") binds a sealed value to its field. An
// implementation may use AES-GCM and HMAC-SHA-256, or SM4 and SM3, or a
// certified crypto service.
type FieldCipher interface {
	// Seal encrypts a value of the named field.
	Seal(field, plain string) ([]byte, error)
	// Open decrypts what Seal returned for the same field.
	Open(field string, sealed []byte) (string, error)
	// Blind returns the keyed hash of a value of the named field: equal
	// values give equal hashes, and nothing else can be learnt from it.
	Blind(field, value string) []byte
}
