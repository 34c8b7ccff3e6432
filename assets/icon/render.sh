#!/usr/bin/env bash
# Renders the icon's source (accoglienza.svg) into the PNGs committed beside it, one per
# hicolor size (the .deb installs them; the window icon is png/256.png). Run it after
# editing the SVG and commit the result: the build does not need librsvg.
# Needs rsvg-convert (Debian/Ubuntu: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p png
for size in 16 22 24 32 48 64 128 256 512; do
    rsvg-convert --width "$size" --height "$size" accoglienza.svg --output "png/$size.png"
done
