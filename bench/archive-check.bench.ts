/**
 * Archive-safety benchmark: how long the start-up integrity check (`inspectArchive`, SQLite's
 * quick_check on a read-only connection) and a checked backup take on a generated archive of
 * 10,000 conversations and 250,000 messages, each with its raw delivery. Writes the
 * "archiveCheck" key of bench-results.json (read, merge, write). BENCH_MESSAGES shrinks it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { writeBackup } from '../main/core/archive/backups';
import { MIGRATIONS } from '../main/core/archive/database';
import { inspectArchive } from '../main/core/archive/integrity';

const RESULTS = join(resolve(import.meta.dirname, '..'), 'bench-results.json');
const MESSAGES = Number(process.env['BENCH_MESSAGES'] ?? 250_000);
const CONVERSATIONS = 10_000;
const ACCOUNT = '17841400000000001';
const WORDS = ['hello', 'price', 'tênis', 'size', 'available', 'thanks', 'shipping', 'blue'];

function generateArchive(file: string): void {
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  for (const migration of MIGRATIONS) db.exec(migration);
  db.exec(`PRAGMA user_version = ${MIGRATIONS.length}`);
  const conversation = db.prepare(
    'INSERT INTO conversations (id, account_id, customer_id, last_message_at) VALUES (?, ?, ?, ?)',
  );
  const delivery = db.prepare(
    'INSERT INTO deliveries (received_at, body, processed_at) VALUES (?, ?, ?)',
  );
  const message = db.prepare(
    `INSERT INTO messages (id, mid, conversation_id, direction, text, original_text, at, status, delivery_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.exec('BEGIN');
  for (let c = 0; c < CONVERSATIONS; c += 1)
    conversation.run(`${ACCOUNT}:${c}`, ACCOUNT, `${c}`, c);
  for (let m = 0; m < MESSAGES; m += 1) {
    const c = m % CONVERSATIONS;
    const text = `${Array.from({ length: 8 }, (_, k) => WORDS[(m * 7 + k * 3) % WORDS.length]).join(' ')} #${m}`;
    const body = JSON.stringify({
      object: 'instagram',
      entry: [
        {
          time: m,
          id: ACCOUNT,
          messaging: [
            {
              sender: { id: `${c}` },
              recipient: { id: ACCOUNT },
              timestamp: m,
              message: { mid: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx${m}`, text },
            },
          ],
        },
      ],
    });
    const id = Number(delivery.run(m, Buffer.from(body), m).lastInsertRowid);
    message.run(
      `m${m}`,
      `mid${m}`,
      `${ACCOUNT}:${c}`,
      m % 3 ? 'in' : 'out',
      text,
      text,
      m,
      'received',
      id,
    );
  }
  db.exec('COMMIT');
  db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  db.close();
}

function timed<T>(work: () => T): [T, number] {
  const started = performance.now();
  const result = work();
  return [result, Math.round(performance.now() - started)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'inlet-bench-archive-'));
  try {
    const archive = join(dir, 'archive.sqlite');
    generateArchive(archive);
    const checks = [0, 1, 2].map(() => {
      const [inspection, ms] = timed(() => inspectArchive(archive));
      if (inspection.problem !== null) throw new Error(inspection.problem);
      return ms;
    });
    const [, integrityMs] = timed(() => {
      const db = new DatabaseSync(archive, { readOnly: true });
      db.prepare('PRAGMA integrity_check').all();
      db.close();
    });
    const started = performance.now();
    await writeBackup(archive, Date.now());
    const backupMs = Math.round(performance.now() - started);
    const figures = {
      messages: MESSAGES,
      archiveMegabytes: Math.round(statSync(archive).size / 1e5) / 10,
      startupCheckMs: checks,
      integrityCheckMs: integrityMs,
      checkedBackupMs: backupMs,
    };
    const existing = existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Record<string, unknown>)
      : {};
    writeFileSync(RESULTS, `${JSON.stringify({ ...existing, archiveCheck: figures }, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify({ archiveCheck: figures }, null, 2)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
