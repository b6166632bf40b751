import type { SavedReply } from '../../../shared/ipc/replies-contract';
import type { Database } from './database';

/** The owner's saved replies, in the archive's database. */
export class SavedRepliesStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  list(): SavedReply[] {
    return this.#db
      .prepare('SELECT id, shortcut, body FROM saved_replies ORDER BY shortcut COLLATE NOCASE, id')
      .all() as SavedReply[];
  }

  /** Returns false when the shortcut is taken by another reply, or the id does not exist. */
  save(reply: { id?: number; shortcut: string; body: string }, now: number): boolean {
    const taken = this.#db
      .prepare('SELECT id FROM saved_replies WHERE shortcut = ? AND id IS NOT ?')
      .get(reply.shortcut, reply.id ?? null);
    if (taken) return false;
    if (reply.id === undefined) {
      this.#db
        .prepare('INSERT INTO saved_replies (shortcut, body, updated_at) VALUES (?, ?, ?)')
        .run(reply.shortcut, reply.body, now);
      return true;
    }
    const result = this.#db
      .prepare('UPDATE saved_replies SET shortcut = ?, body = ?, updated_at = ? WHERE id = ?')
      .run(reply.shortcut, reply.body, now, reply.id);
    return result.changes > 0;
  }

  delete(id: number): boolean {
    return this.#db.prepare('DELETE FROM saved_replies WHERE id = ?').run(id).changes > 0;
  }
}
