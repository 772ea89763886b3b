#!/usr/bin/env python3
"""Decodes a G.711 (μ-law, format 7; A-law, format 6) mono WAV into a 16-bit PCM WAV.

    g711_to_pcm.py IN.wav OUT.wav

The expansion is ITU-T G.711's (each 8-bit code to its 16-bit linear value, exact), so the
C example, which reads 16-bit PCM only, can be compared with `ringside detect` on the same
audio the law-coded fixtures carry.
"""

import struct
import sys
import wave


def ulaw(code):
    code = ~code & 0xFF
    magnitude = (((code & 0x0F) << 3) + 0x84) << ((code >> 4) & 7)
    return 0x84 - magnitude if code & 0x80 else magnitude - 0x84


def alaw(code):
    code ^= 0x55
    exponent, mantissa = (code >> 4) & 7, code & 0x0F
    if exponent == 0:
        magnitude = (mantissa << 4) + 8
    else:
        magnitude = ((mantissa << 4) + 0x108) << (exponent - 1)
    return magnitude if code & 0x80 else -magnitude


def main(src, dst):
    data = open(src, "rb").read()
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        sys.exit(f"{src}: not a WAV file")
    pos, fmt, audio = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        body = data[pos + 8:pos + 8 + size]
        if cid == b"fmt ":
            fmt = struct.unpack("<HHIIHH", body[:16])
        elif cid == b"data":
            audio = body
        pos += 8 + size + (size & 1)
    if fmt is None or audio is None:
        sys.exit(f"{src}: no fmt or data chunk")
    tag, channels, rate, _, _, bits = fmt
    if tag not in (6, 7) or channels != 1 or bits != 8:
        sys.exit(f"{src}: format {tag}, {channels} channels, {bits}-bit: not mono G.711")
    expand = ulaw if tag == 7 else alaw
    table = [expand(c) for c in range(256)]
    with wave.open(dst, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{len(audio)}h", *(table[c] for c in audio)))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
