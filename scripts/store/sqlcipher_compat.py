#!/usr/bin/env python3
"""Opens an Evolve Studio database with a standard SQLCipher 4 build (sqlcipher3), independent of the app.

Usage: sqlcipher_compat.py DB_PATH HEX_KEY|- [SQL]
Prints one JSON object: {"opened": bool, "cipher_version": str, "tables": [...], "rows": [...], "error": str|null}.
With "-" as the key it tries to read without a key (must fail on an encrypted file).
"""
import json
import sys

import sqlcipher3


def main() -> int:
    path, key = sys.argv[1], sys.argv[2]
    sql = sys.argv[3] if len(sys.argv) > 3 else None
    out = {"opened": False, "cipher_version": None, "tables": [], "rows": [], "error": None}
    con = sqlcipher3.connect(path)
    try:
        out["cipher_version"] = con.execute("PRAGMA cipher_version").fetchone()[0]
        if key != "-":
            # The two lines a user types in the sqlcipher shell: raw key, SQLCipher 4 defaults.
            con.execute(f"PRAGMA key = \"x'{key}'\"")
            con.execute("PRAGMA cipher_compatibility = 4")
        out["tables"] = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        if sql:
            out["rows"] = [list(r) for r in con.execute(sql)]
        out["opened"] = True
    except Exception as e:  # noqa: BLE001 - the error text is the result
        out["error"] = str(e)
    finally:
        con.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
