import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSelfTestCommand } from '../../../../main/cli/self-test-command';
import { UsageError } from '../../../../shared/domain/command-error';

let outDir: string;
beforeEach(() => void (outDir = mkdtempSync(join(tmpdir(), 'inlet-self-test-cli-'))));
afterEach(() => rmSync(outDir, { recursive: true, force: true }));

describe('inlet self-test', () => {
  it('exits 1 and names each failed check when the build is missing', async () => {
    const lines: string[] = [];
    const code = await runSelfTestCommand(['--json'], {
      outDir,
      stdout: (line) => lines.push(line),
      layout: { loadNgrok: () => Promise.resolve({ forward: () => undefined }) },
    });
    expect(code).toBe(1);
    const report = JSON.parse(lines.join('')) as {
      ok: boolean;
      checks: { name: string; ok: boolean }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['renderer', 'preload']);
  });

  it('refuses unknown options with a usage error', async () => {
    const refused = runSelfTestCommand(['--fix'], { outDir, stdout: () => undefined });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('usage: inlet self-test') as unknown,
    });
  });
});
