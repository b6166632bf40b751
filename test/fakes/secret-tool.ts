import type { RunCommand } from '../../main/headless/keyring-key';

/**
 * Plays libsecret's `secret-tool` as `keyring-key.ts` uses it: `lookup ATTRS` prints the secret
 * (exit 0) or nothing (exit 1); `store --label=L ATTRS` reads the secret from stdin. The failure
 * modes are the ones a server or CI machine shows.
 */
export type SecretToolMode =
  | 'working'
  /** Not installed: spawn fails with ENOENT. */
  | 'missing'
  /** Installed, but no D-Bus session / Secret Service: exit 1 and a message. */
  | 'no-service'
  /** The default collection is locked and nobody answers the prompt. */
  | 'locked'
  /** Accepts a store and keeps nothing (e.g. a session-only collection that went away). */
  | 'forgets';

export function fakeSecretTool(mode: SecretToolMode = 'working') {
  const items = new Map<string, string>();
  const calls: { file: string; args: readonly string[]; input: string | undefined }[] = [];
  const run: RunCommand = (file, args, { input }) => {
    calls.push({ file, args, input });
    if (mode === 'missing')
      return Promise.reject(
        Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT', path: file }),
      );
    if (mode === 'no-service')
      return Promise.resolve({
        code: 1,
        stdout: '',
        stderr: 'secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY\n',
      });
    const [verb, ...rest] = args;
    const attributes = rest.filter((arg) => !arg.startsWith('--')).join(' ');
    if (verb === 'lookup') {
      const value = items.get(attributes);
      return Promise.resolve(
        value === undefined
          ? { code: 1, stdout: '', stderr: '' }
          : { code: 0, stdout: value, stderr: '' },
      );
    }
    if (verb === 'store') {
      if (mode === 'locked')
        return Promise.resolve({
          code: 1,
          stdout: '',
          stderr: 'secret-tool: Cannot create an item in a locked collection\n',
        });
      if (mode !== 'forgets') items.set(attributes, input ?? '');
      return Promise.resolve({ code: 0, stdout: '', stderr: '' });
    }
    return Promise.resolve({ code: 2, stdout: '', stderr: `usage: unknown verb ${verb}\n` });
  };
  return { run, items, calls };
}
