package cunjing

// DefaultPageLimit and MaxPageLimit bound every list.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 500
)

// Page asks for one page of a list: at most Limit items after the opaque
// Cursor returned with the previous page ("" for the first page).
type Page struct {
	Limit  int
	Cursor string
}

// Normalized returns the page with the limit clamped to [1, MaxPageLimit],
// DefaultPageLimit when unset.
func (p Page) Normalized() Page {
	switch {
	case p.Limit <= 0:
		p.Limit = DefaultPageLimit
	case p.Limit > MaxPageLimit:
		p.Limit = MaxPageLimit
	}
	return p
}
