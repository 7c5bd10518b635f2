package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"time"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files under /static/. Pages link them
// with ?v=<content hash>, so a link to the current version may be cached for
// a year and a new version gets a new URL.
type assets struct {
	fsys fs.FS
	hash map[string]string // path under static/ → short content hash
}

// loadAssets hashes every embedded static file.
func loadAssets() (*assets, error) {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	a := &assets{fsys: sub, hash: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hash[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static: %w", err)
	}
	return a, nil
}

// url returns the versioned URL of a static file; an unknown file fails the
// template that asks for it.
func (a *assets) url(name string) (string, error) {
	h, ok := a.hash[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + name + "?v=" + h, nil
}

// serve writes the static file named by the path, reporting whether it exists.
func (a *assets) serve(w http.ResponseWriter, r *http.Request) bool {
	name := r.PathValue("path")
	h, ok := a.hash[name]
	if !ok {
		return false
	}
	f, err := a.fsys.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+h+`"`)
	http.ServeContent(w, r, name, time.Time{}, f.(io.ReadSeeker))
	return true
}
