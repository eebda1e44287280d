// The ordered list of migrations and the runner: each one in its own transaction, versioned by PRAGMA user_version.
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { EvolveError } from '../../../common/errors';
import { migration001 } from './001_core';
import { migration002 } from './002_search';
import { migration003 } from './003_audit';
import { migration004 } from './004_message_stats';
import { migration005 } from './005_response_cache';
import { migration006 } from './006_project_index';
import { migration007 } from './007_codegen';
import { migration008 } from './008_learned_conventions';
import { migration009 } from './009_job_log_search';
import { migration010 } from './010_job_diagnoses';
import { migration011 } from './011_api_tokens';
import { migration012 } from './012_cluster_roles';
import type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
];
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the current user_version, each in one transaction together with its version bump,
 * so a crash leaves the database at a whole version. Refuses a database newer than this build (a downgrade).
 */
export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS, upTo?: number): number[] {
  const current = schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) {
    throw new EvolveError(
      'CONFLICT',
      `The database has schema version ${current}, newer than this app supports (${latest}). Update the app.`,
      {
        schemaVersion: current,
        supported: latest,
      },
    );
  }
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current || (upTo !== undefined && m.version > upTo)) continue;
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it (SQLite's 12-step rebuild).
    const fkWasOn = m.foreignKeysOff === true && (db.pragma('foreign_keys', { simple: true }) as number) === 1;
    if (fkWasOn) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.up(db);
        if (m.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new EvolveError('INTERNAL', `Migration ${m.version} left ${broken.length} broken foreign keys`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (fkWasOn) db.pragma('foreign_keys = ON');
    }
    applied.push(m.version);
  }
  return applied;
}
