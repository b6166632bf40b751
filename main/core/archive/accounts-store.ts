import type { Database } from './database';

/** The Instagram accounts the archive knows, and the usernames Inlet learned for them. */
export class AccountsStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Every account the archive knows, including ones only seen in deliveries (username null). */
  list(): { igUserId: string; username: string | null }[] {
    return this.#db
      .prepare(
        `SELECT ids.id AS igUserId, a.username AS username FROM (
           SELECT ig_user_id AS id FROM accounts
           UNION SELECT account_id FROM conversations
           UNION SELECT account_id FROM comments
         ) ids LEFT JOIN accounts a ON a.ig_user_id = ids.id ORDER BY ids.id`,
      )
      .all() as { igUserId: string; username: string | null }[];
  }

  /** The username Inlet last learned for the account, null when it never learned one. */
  username(igUserId: string): string | null {
    const row = this.#db
      .prepare('SELECT username FROM accounts WHERE ig_user_id = ?')
      .get(igUserId) as { username: string | null } | undefined;
    return row?.username ?? null;
  }

  upsert(igUserId: string, username: string): void {
    this.#db
      .prepare(
        'INSERT INTO accounts (ig_user_id, username) VALUES (?, ?) ON CONFLICT(ig_user_id) DO UPDATE SET username = excluded.username',
      )
      .run(igUserId, username);
  }
}
