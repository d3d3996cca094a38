// Frozen once shipped: signed ticket codes and check-in at the door (issue 13).
import { sql, type Kysely } from 'kysely';

// The users table as 2026-11-21T0630 made it, with the role CHECK as given. SQLite cannot change a
// CHECK in place, so the table is rebuilt (https://sqlite.org/lang_altertable.html#otheralter).
const usersTable = (roles: string) => `CREATE TABLE users_rebuilt (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 2 AND 32),
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    role TEXT NOT NULL CHECK (role IN (${roles})),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    -- scrypt$N$r$p$salt$hash (base64url): the parameters travel with the hash so they can be raised later.
    password_hash TEXT,
    pin_hash TEXT,
    seller_id INTEGER REFERENCES sellers(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_sign_in_at TEXT,
    CHECK (password_hash IS NOT NULL OR pin_hash IS NOT NULL)
  ) STRICT`;

async function rebuildUsers(db: Kysely<unknown>, roles: string): Promise<void> {
  // foreign_keys cannot change inside a transaction, and DROP TABLE users would otherwise delete
  // through api_tokens' reference; the references are checked by hand before COMMIT.
  await sql.raw('PRAGMA foreign_keys = OFF').execute(db);
  try {
    await sql.raw('BEGIN IMMEDIATE').execute(db);
    try {
      await sql.raw(usersTable(roles)).execute(db);
      await sql.raw('INSERT INTO users_rebuilt SELECT * FROM users').execute(db);
      await sql.raw('DROP TABLE users').execute(db);
      await sql.raw('ALTER TABLE users_rebuilt RENAME TO users').execute(db);
      const broken = await sql.raw('PRAGMA foreign_key_check').execute(db);
      if (broken.rows.length > 0) throw new Error('users rebuild left dangling references');
      await sql.raw('COMMIT').execute(db);
    } catch (err) {
      await sql.raw('ROLLBACK').execute(db);
      throw err;
    }
  } finally {
    await sql.raw('PRAGMA foreign_keys = ON').execute(db);
  }
}

const statements = [
  // One row: the key ticket codes are signed with. Made on first use (store/common/ticket-codes-repo.ts),
  // never returned by an operation; a code cannot be forged or derived from another without it.
  `CREATE TABLE ticket_code_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL CHECK (length(secret) >= 43),
    created_at TEXT NOT NULL
  ) STRICT`,
  // A scan that admitted someone. An undone check-in stays for the record; the partial unique index lets
  // a ticket have at most one live one, which is what makes two doors scanning at once admit once.
  `CREATE TABLE check_ins (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    event_id INTEGER NOT NULL REFERENCES events(id),
    order_item_id INTEGER NOT NULL REFERENCES order_items(id),
    at TEXT NOT NULL,
    user_id INTEGER,
    username TEXT,
    door TEXT NOT NULL CHECK (length(trim(door)) BETWEEN 1 AND 40),
    undone_at TEXT,
    undone_by TEXT,
    CHECK ((undone_at IS NULL) = (undone_by IS NULL))
  ) STRICT`,
  `CREATE UNIQUE INDEX check_ins_one_live ON check_ins (ticket_id) WHERE undone_at IS NULL`,
  `CREATE INDEX check_ins_by_event ON check_ins (event_id, at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
  await rebuildUsers(db, `'admin','organizer','clerk','seller','door'`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Door accounts cannot exist under the old CHECK: the rebuild refuses (and changes nothing) while any do.
  await rebuildUsers(db, `'admin','organizer','clerk','seller'`);
  for (const t of ['check_ins', 'ticket_code_secret']) await sql.raw(`DROP TABLE ${t}`).execute(db);
}
