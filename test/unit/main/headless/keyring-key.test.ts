import { describe, expect, it } from 'vitest';
import {
  KEYRING_ATTRIBUTES,
  keyringVaultKey,
  nodeRunCommand,
  SECRET_TOOL,
} from '../../../../main/headless/keyring-key';
import { memoryLogger } from '../../../fakes/logger';
import { fakeSecretTool } from '../../../fakes/secret-tool';

describe('keyringVaultKey (the OS keyring through secret-tool)', () => {
  it('files a random 256-bit key on first use through stdin, then finds the same key', async () => {
    const tool = fakeSecretTool();
    const logger = memoryLogger();
    const first = await keyringVaultKey(tool.run, logger);
    expect(first?.created).toBe(true);
    expect(first?.key).toHaveLength(32);
    expect(tool.calls.map((c) => [c.file, ...c.args])).toEqual([
      [SECRET_TOOL, 'lookup', ...KEYRING_ATTRIBUTES],
      [SECRET_TOOL, 'store', '--label=Inlet vault key', ...KEYRING_ATTRIBUTES],
      [SECRET_TOOL, 'lookup', ...KEYRING_ATTRIBUTES],
    ]);
    const encoded = first!.key.toString('base64');
    // On stdin only: never on a command line another user's `ps` could read.
    expect(tool.calls[1]!.input).toBe(encoded);
    expect(tool.calls.some((c) => c.args.join(' ').includes(encoded))).toBe(false);

    const again = await keyringVaultKey(tool.run, logger);
    expect(again).toEqual({ key: first!.key, created: false });
    expect(tool.calls).toHaveLength(4); // one lookup, no second store
    expect(JSON.stringify(logger.lines)).not.toContain(encoded);
  });

  it('is absent when secret-tool is not installed', async () => {
    const logger = memoryLogger();
    expect(await keyringVaultKey(fakeSecretTool('missing').run, logger)).toBeNull();
    expect(logger.lines.map((l) => l.message)).toEqual([
      'secret-tool (libsecret) is not installed: no OS keyring',
    ]);
  });

  it('is absent without a Secret Service, and stores nothing', async () => {
    const tool = fakeSecretTool('no-service');
    const logger = memoryLogger();
    expect(await keyringVaultKey(tool.run, logger)).toBeNull();
    expect(tool.calls.map((c) => c.args[0])).toEqual(['lookup']);
    expect(logger.lines[0]).toMatchObject({
      message: 'the OS keyring is not usable',
      fields: { detail: 'secret-tool: Cannot autolaunch D-Bus without X11 $DISPLAY' },
    });
  });

  it('is absent when the keyring refuses the key (locked collection)', async () => {
    const logger = memoryLogger();
    expect(await keyringVaultKey(fakeSecretTool('locked').run, logger)).toBeNull();
    expect(logger.lines[0]?.message).toBe('the OS keyring refused the vault key');
  });

  it('is absent when the keyring accepts the key but does not keep it', async () => {
    const logger = memoryLogger();
    expect(await keyringVaultKey(fakeSecretTool('forgets').run, logger)).toBeNull();
    expect(logger.lines[0]?.message).toBe('the OS keyring did not keep the vault key');
  });

  it.each([
    ['text that is not base64', 'not a key!'],
    ['a key of the wrong length', Buffer.alloc(16).toString('base64')],
  ])('leaves an entry holding %s alone and is absent', async (_label, value) => {
    const tool = fakeSecretTool();
    tool.items.set(KEYRING_ATTRIBUTES.join(' '), value);
    const logger = memoryLogger();
    expect(await keyringVaultKey(tool.run, logger)).toBeNull();
    expect(tool.calls.map((c) => c.args[0])).toEqual(['lookup']);
    expect(tool.items.get(KEYRING_ATTRIBUTES.join(' '))).toBe(value);
    expect(logger.lines[0]?.level).toBe('warn');
  });
});

describe('nodeRunCommand', () => {
  const node = process.execPath;

  it('passes stdin, returns stdout, stderr and the exit code, without a shell', async () => {
    const script =
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(s.toUpperCase());process.stderr.write("note");process.exit(3)})';
    expect(
      await nodeRunCommand(node, ['-e', script], { input: 'vault', timeoutMs: 10_000 }),
    ).toEqual({ code: 3, stdout: 'VAULT', stderr: 'note' });
    // An argument is one argv entry, not shell text.
    const echo = await nodeRunCommand(
      node,
      ['-e', 'process.stdout.write(process.argv[1])', '$(touch /tmp/x); echo hi'],
      { timeoutMs: 10_000 },
    );
    expect(echo.stdout).toBe('$(touch /tmp/x); echo hi');
  });

  it('rejects with ENOENT for a program that is not installed', async () => {
    await expect(
      nodeRunCommand('inlet-no-such-program', [], { timeoutMs: 10_000 }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('kills a program that outlives the timeout (an unanswered unlock prompt)', async () => {
    const hung = await nodeRunCommand(node, ['-e', 'setTimeout(() => {}, 60_000)'], {
      timeoutMs: 200,
    });
    expect(hung.code).toBeNull();
  });
});
