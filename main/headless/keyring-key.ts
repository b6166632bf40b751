import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/ports';

/**
 * The headless vault key from the OS keyring where there is one: on Linux the Secret
 * Service, reached through `secret-tool` from libsecret when it is installed, so no native module
 * is needed. Servers and CI usually have no D-Bus session or no unlocked collection; then
 * `secret-tool` fails quickly, this returns null, and the caller falls back to memory only.
 *
 * The key never appears on a command line: `store` reads it from stdin, `lookup` prints it to a
 * pipe.
 */

export type CommandResult = { code: number | null; stdout: string; stderr: string };
/**
 * Runs a program without a shell. Resolves with its exit code (null when killed, e.g. by the
 * timeout); rejects only when it cannot be started at all (ENOENT: not on PATH).
 */
export type RunCommand = (
  file: string,
  args: readonly string[],
  options: { input?: string; timeoutMs: number },
) => Promise<CommandResult>;

export const SECRET_TOOL = 'secret-tool';
/** The attribute pairs the key is filed under; `secret-tool search service inlet` shows it. */
export const KEYRING_ATTRIBUTES = ['service', 'inlet', 'key', 'vault'] as const;
const LABEL = 'Inlet vault key';
/** An unlock prompt nobody answers on a server must not hold up `inlet serve`. */
export const KEYRING_TIMEOUT_MS = 10_000;
const KEY_BYTES = 32;

export type KeyringKey = { key: Buffer; created: boolean };

/**
 * The 256-bit key filed in the keyring, created and filed there on first use. Null when there is
 * no usable keyring; `logger` says why in one line (never the key).
 */
export async function keyringVaultKey(run: RunCommand, logger: Logger): Promise<KeyringKey | null> {
  const lookup = () =>
    run(SECRET_TOOL, ['lookup', ...KEYRING_ATTRIBUTES], { timeoutMs: KEYRING_TIMEOUT_MS });
  try {
    const found = await lookup();
    if (found.code === 0) {
      const key = decodeKey(found.stdout);
      if (key !== null) return { key, created: false };
      // Not ours to overwrite: someone filed something else under these attributes.
      logger.warn(
        'the OS keyring holds an Inlet vault key Inlet cannot read; not using the keyring',
      );
      return null;
    }
    // `lookup` exits 1 both for "no such item" (silent) and for "no Secret Service" (a message).
    if (found.code !== 1 || found.stderr.trim() !== '') {
      logger.info('the OS keyring is not usable', { detail: firstLine(found) });
      return null;
    }
    const key = randomBytes(KEY_BYTES);
    const encoded = key.toString('base64');
    const stored = await run(SECRET_TOOL, ['store', `--label=${LABEL}`, ...KEYRING_ATTRIBUTES], {
      input: encoded,
      timeoutMs: KEYRING_TIMEOUT_MS,
    });
    if (stored.code !== 0) {
      logger.info('the OS keyring refused the vault key', { detail: firstLine(stored) });
      return null;
    }
    // Read it back: a keyring that accepts but does not keep would lose every login at restart.
    const check = await lookup();
    if (check.code !== 0 || check.stdout.trim() !== encoded) {
      logger.info('the OS keyring did not keep the vault key', { detail: firstLine(check) });
      return null;
    }
    return { key, created: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    logger.info(
      code === 'ENOENT'
        ? 'secret-tool (libsecret) is not installed: no OS keyring'
        : 'the OS keyring could not be reached',
      code === 'ENOENT' ? {} : { error: String(error) },
    );
    return null;
  }
}

function decodeKey(stdout: string): Buffer | null {
  const text = stdout.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? key : null;
}

function firstLine(result: CommandResult): string {
  const line = result.stderr.trim().split('\n')[0] ?? '';
  return line === '' ? `exit ${String(result.code)}` : line.slice(0, 200);
}

/** The real runner: `spawn` without a shell, output capped, killed at the timeout. */
export const nodeRunCommand: RunCommand = (file, args, { input, timeoutMs }) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const cap = (chunks: Buffer[]) => (chunk: Buffer) => {
      if (chunks.reduce((n, c) => n + c.length, 0) < 64 * 1024) chunks.push(chunk);
    };
    child.stdout.on('data', cap(out));
    child.stderr.on('data', cap(err));
    child.stdin.on('error', () => {}); // EPIPE when it exits without reading; the exit code says why
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(input ?? '');
  });
