#!/usr/bin/env bash
# vendor-assets.sh fetches the pinned front-end packages from the npm registry
# and copies their dist files into internal/web/static/vendor/, recording each
# file's package, version and sha256 in VERSIONS. Building and running cunjing
# needs none of this: the copied files are committed.
set -euo pipefail

# package@version  dist file inside the package  (one line each)
ASSETS=(
	"htmx.org@2.0.11 dist/htmx.min.js"
)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/internal/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$vendor"
versions="$work/VERSIONS"
echo "# file package version sha256 — written by scripts/vendor-assets.sh" >"$versions"

for entry in "${ASSETS[@]}"; do
	read -r spec path <<<"$entry"
	pkg="${spec%@*}"
	version="${spec##*@}"
	dir="$work/$pkg-$version"
	mkdir -p "$dir"
	tarball="$(cd "$dir" && npm pack --silent "$spec")"
	tar -xzf "$dir/$tarball" -C "$dir"
	file="$(basename "$path")"
	cp "$dir/package/$path" "$vendor/$file"
	sum="$(sha256sum "$vendor/$file" | cut -d' ' -f1)"
	echo "$file $pkg $version $sum" >>"$versions"
done

cp "$versions" "$vendor/VERSIONS"
echo "vendored into $vendor:"
cat "$vendor/VERSIONS"
