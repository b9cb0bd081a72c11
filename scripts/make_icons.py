"""Draws Karvon's app icons (a white caravan 'K' on the brand blue) as PNGs, with the standard library only."""
import struct, zlib, sys

def png(size, path, maskable=False):
    blue, white = (31, 78, 121), (255, 255, 255)
    r = 0 if maskable else size * 0.2  # corner radius; maskable icons fill the square
    px = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # rounded-square mask
            cx = min(max(x, r), size - 1 - r); cy = min(max(y, r), size - 1 - r)
            inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r + 1e-9
            u, v = x / size, y / size
            # the letter K inside the safe zone (centre 60 %)
            stem = 0.30 <= u <= 0.40 and 0.25 <= v <= 0.75
            d1 = abs((u - 0.40) - (0.50 - v) * 0.9) < 0.06 and 0.25 <= v <= 0.52 and u >= 0.38
            d2 = abs((u - 0.40) - (v - 0.48) * 0.9) < 0.06 and 0.48 <= v <= 0.75 and u >= 0.38
            if not inside:
                row += bytes([0, 0, 0, 0])
            elif stem or d1 or d2:
                row += bytes(white + (255,))
            else:
                row += bytes(blue + (255,))
        px.append(bytes(row))
    raw = b"".join(px)
    def chunk(t, d):
        c = struct.pack(">I", len(d)) + t + d
        return c + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    data += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)

out = sys.argv[1] if len(sys.argv) > 1 else "public/icons"
png(192, f"{out}/icon-192.png")
png(512, f"{out}/icon-512.png")
png(512, f"{out}/maskable-512.png", maskable=True)
