"""Pitch decks for the surge: valid one-page PDFs of 1–5 MB that pass applications.deck_validation.

The bulk is a comment block inside the page's content stream: pypdf reads the page, nothing in the
file runs, and each founder's deck has its own bytes (so its own SHA-256) without costing the
client more than building one bytes object.
"""

import hashlib
import random


def make_deck(size: int, seed: int) -> bytes:
    """A PDF of about `size` bytes whose filler depends on seed."""
    rng = random.Random(seed)
    text = b"BT /F1 24 Tf 72 720 Td (Deadline night deck) Tj ET\n"
    line = bytes(rng.choice(b"0123456789abcdef") for _ in range(64))
    # Comment lines: ignored by a PDF reader, different per seed (the line is rotated per row).
    rows = max(0, (size - 600) // 67)
    filler = b"".join(b"% " + line[i % 64 :] + line[: i % 64] + b"\n" for i in range(rows))
    content = text + filler
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
