// Migration 1: the core tables (projects, threads, messages, generations, registries, jobs, usage, settings).
import type { Migration } from './types';

// Messages and generations carry an explicit INTEGER PRIMARY KEY so their rowid is stable across VACUUM
// (the FTS5 external-content index in migration 2 refers to it).
export const migration001: Migration = {
  version: 1,
  name: 'core',
  up(db) {
    db.exec(`
      CREATE TABLE projects (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        root_path TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE threads (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
        title TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX threads_by_project ON threads(project_id, created_at);
      CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        thread_id TEXT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system','user','assistant','tool')),
        content TEXT NOT NULL,
        model TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX messages_by_thread ON messages(thread_id, created_at);
      CREATE TABLE generations (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        project_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
        thread_id TEXT REFERENCES threads(id) ON DELETE SET NULL,
        prompt TEXT NOT NULL,
        context_refs TEXT NOT NULL DEFAULT '[]',
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        output TEXT NOT NULL,
        validation TEXT NOT NULL DEFAULT 'null',
        decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','accepted','rejected','edited')),
        decided_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX generations_by_project ON generations(project_id, created_at);
      CREATE TABLE models (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        path TEXT,
        format TEXT NOT NULL,
        size_bytes INTEGER,
        sha256 TEXT,
        params TEXT NOT NULL DEFAULT 'null',
        added_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE provider_configs (
        id TEXT PRIMARY KEY NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        base_url TEXT,
        default_model TEXT,
        options TEXT NOT NULL DEFAULT '{}',
        enabled INTEGER NOT NULL DEFAULT 1,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE cluster_profiles (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL,
        dashboard_url TEXT NOT NULL,
        prometheus_url TEXT,
        options TEXT NOT NULL DEFAULT '{}',
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY NOT NULL,
        cluster_profile_id TEXT REFERENCES cluster_profiles(id) ON DELETE SET NULL,
        entrypoint TEXT NOT NULL,
        status TEXT NOT NULL,
        submitted_at INTEGER NOT NULL,
        ended_at INTEGER,
        metadata TEXT NOT NULL DEFAULT 'null'
      ) STRICT;
      CREATE INDEX jobs_by_profile ON jobs(cluster_profile_id, submitted_at);
      CREATE TABLE job_logs (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE usage (
        id TEXT PRIMARY KEY NOT NULL,
        project_id TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        latency_ms REAL NOT NULL,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX usage_by_time ON usage(at);
      CREATE INDEX usage_by_project ON usage(project_id, at);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
