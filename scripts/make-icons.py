#!/usr/bin/env python3
"""Draw the service's council-neutral icons into static/icons/: a white speech bubble on the
brand blue (no crown, no crest). Needs only the standard library; the output is committed,
so run this only to change the icon.

    python3 scripts/make-icons.py
"""

import json
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE, WHITE = (0x1D, 0x70, 0xB8), (0xFF, 0xFF, 0xFF)
# The bubble in a 0..1 square: a rounded body and a tail at the bottom left.
BODY = (0.18, 0.22, 0.82, 0.66, 0.12)  # left, top, right, bottom, corner radius
TAIL = ((0.30, 0.64), (0.46, 0.64), (0.26, 0.82))

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect width="100" height="100" fill="#1d70b8"/>
  <rect x="18" y="22" width="64" height="44" rx="12" fill="#ffffff"/>
  <path d="M30 64 L46 64 L26 82 Z" fill="#ffffff"/>
</svg>
"""


def _in_body(x, y):
    left, top, right, bottom, r = BODY
    if not (left <= x <= right and top <= y <= bottom):
        return False
    cx = min(max(x, left + r), right - r)
    cy = min(max(y, top + r), bottom - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _in_tail(x, y):
    (x1, y1), (x2, y2), (x3, y3) = TAIL

    def side(ax, ay, bx, by):
        return (bx - ax) * (y - ay) - (by - ay) * (x - ax)

    d1, d2, d3 = side(x1, y1, x2, y2), side(x2, y2, x3, y3), side(x3, y3, x1, y1)
    return not ((d1 < 0 or d2 < 0 or d3 < 0) and (d1 > 0 or d2 > 0 or d3 > 0))


def pixels(size: int, samples: int = 4) -> bytes:
    rows = []
    for j in range(size):
        row = bytearray([0])  # PNG filter type: none
        for i in range(size):
            hits = sum(
                _in_body(x, y) or _in_tail(x, y)
                for a in range(samples) for b in range(samples)
                for x, y in [((i + (a + 0.5) / samples) / size, (j + (b + 0.5) / samples) / size)]
            )
            share = hits / samples ** 2
            row += bytes(round(w * share + c * (1 - share)) for w, c in zip(WHITE, BLUE))
        rows.append(bytes(row))
    return b"".join(rows)


def png(size: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels(size), 9))
            + chunk(b"IEND", b""))


def ico(size: int) -> bytes:
    """An .ico holding one PNG image (supported by every current browser)."""
    image = png(size)
    return struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 22) + image


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(SVG)
    (OUT / "favicon.ico").write_bytes(ico(48))
    for size in (180, 192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size))
    manifest = {
        "name": "SEND feedback",
        "short_name": "SEND feedback",
        "icons": [{"src": f"/static/icons/icon-{size}.png", "sizes": f"{size}x{size}", "type": "image/png"}
                  for size in (192, 512)],
        "theme_color": "#1d70b8",
        "background_color": "#ffffff",
        "display": "browser",
        "start_url": "/",
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
