// Keeps the database's files private to the user: new files 0600 (evolve.db, -wal, -shm, backups, temp copies),
// and files left 0644 by earlier versions tightened when the database is opened.
import { chmodSync, statSync } from 'node:fs';

/** The DB worker writes nothing that others should read: every file it creates from now on is 0600. */
export function restrictNewFiles(): void {
  process.umask(0o077);
}

/** Removes group/other access from the database file and its WAL/SHM companions, where present. */
export function tightenDbFiles(dbPath: string): void {
  for (const p of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) {
    try {
      const mode = statSync(p).mode & 0o777;
      if (mode & 0o077) chmodSync(p, mode & 0o700);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
