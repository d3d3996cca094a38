// Frozen once shipped: staff accounts, API tokens, sign-in sessions' settings and the audit log (issue 6).
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 2 AND 32),
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    role TEXT NOT NULL CHECK (role IN ('admin','organizer','clerk','seller')),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    -- scrypt$N$r$p$salt$hash (base64url): the parameters travel with the hash so they can be raised later.
    password_hash TEXT,
    pin_hash TEXT,
    seller_id INTEGER REFERENCES sellers(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_sign_in_at TEXT,
    CHECK (password_hash IS NOT NULL OR pin_hash IS NOT NULL)
  ) STRICT`,
  // Tokens are 32 random bytes, so a fast hash suffices (no dictionary to attack); the token itself is never stored.
  `CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    token_sha256 TEXT NOT NULL UNIQUE CHECK (length(token_sha256) = 64),
    prefix TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  ) STRICT`,
  `CREATE INDEX api_tokens_by_user ON api_tokens (user_id)`,
  `CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value_json TEXT NOT NULL CHECK (json_valid(value_json)),
    updated_at TEXT NOT NULL
  ) STRICT`,
  // Append-only: who (user, role, terminal or token), when, what, and before/after.
  `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT,
    role TEXT,
    terminal TEXT,
    token_id INTEGER,
    operation TEXT NOT NULL,
    subject TEXT,
    input_json TEXT NOT NULL CHECK (json_valid(input_json)),
    before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
    after_json TEXT CHECK (after_json IS NULL OR json_valid(after_json))
  ) STRICT`,
  `CREATE INDEX audit_log_by_at ON audit_log (at)`,
  `CREATE INDEX audit_log_by_subject ON audit_log (subject) WHERE subject IS NOT NULL`,
  `CREATE INDEX audit_log_by_user ON audit_log (username, id)`,
  // No operation updates or deletes audit rows, and the database refuses it too.
  `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  `CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
  // Organizers edit their own events; NULL = a house event (admins only).
  // No REFERENCES: SQLite cannot drop a column that is in a foreign key, and down() must work.
  `ALTER TABLE events ADD COLUMN owner_user_id INTEGER`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('ALTER TABLE events DROP COLUMN owner_user_id').execute(db);
  for (const t of ['audit_log', 'app_settings', 'api_tokens', 'users']) await sql.raw(`DROP TABLE ${t}`).execute(db);
}
