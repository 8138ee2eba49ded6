#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry. Pin versions here, then commit.
set -euo pipefail
BOOTSTRAP=5.3.8
BOOTSTRAP_ICONS=1.13.2
HTMX=2.0.11
TOM_SELECT=2.6.2
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap@$BOOTSTRAP" "bootstrap-icons@$BOOTSTRAP_ICONS" "htmx.org@$HTMX" \
  "tom-select@$TOM_SELECT" >/dev/null)
for pkg in "bootstrap-$BOOTSTRAP" "bootstrap-icons-$BOOTSTRAP_ICONS" "htmx.org-$HTMX" "tom-select-$TOM_SELECT"; do
  mkdir -p "$work/$pkg" && tar xzf "$work/$pkg.tgz" -C "$work/$pkg"
done
b="$work/bootstrap-$BOOTSTRAP/package" i="$work/bootstrap-icons-$BOOTSTRAP_ICONS/package"
h="$work/htmx.org-$HTMX/package" t="$work/tom-select-$TOM_SELECT/package"
mkdir -p bootstrap/css bootstrap/js bootstrap-icons/fonts htmx tom-select/css tom-select/js
cp "$b"/dist/css/bootstrap.min.css{,.map} bootstrap/css/
cp "$b"/dist/js/bootstrap.bundle.min.js{,.map} bootstrap/js/
cp "$b/LICENSE" bootstrap/
cp "$i/font/bootstrap-icons.min.css" "$i/LICENSE" bootstrap-icons/
cp "$i"/font/fonts/bootstrap-icons.woff{,2} bootstrap-icons/fonts/
cp "$h/dist/htmx.min.js" "$h/LICENSE" htmx/
cp "$t"/dist/js/tom-select.complete.min.js{,.map} tom-select/js/
cp "$t"/dist/css/tom-select.bootstrap5.min.css{,.map} tom-select/css/
cp "$t/LICENSE" tom-select/
echo "vendored bootstrap $BOOTSTRAP, bootstrap-icons $BOOTSTRAP_ICONS, htmx $HTMX, tom-select $TOM_SELECT"
