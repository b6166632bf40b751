import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Lints `code` as if it were the file at `filePath`, with the project's own ESLint config. */
async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

// Type-aware linting builds the TypeScript project first: slow on a busy machine, not a timing test.
describe('the lint rule that keeps the sandbox behind a port', { timeout: 120_000 }, () => {
  it('refuses an import of main/sandbox from main/core', async () => {
    const messages = await restrictedImports(
      'main/core/create-core.ts',
      "import { startSandbox } from '../sandbox/sandbox';\nexport const start = startSandbox;\n",
    );
    expect(messages).toEqual([expect.stringContaining('only through ports.ts')]);
  });

  it('still refuses the Electron shell in main/core, and lets the shells import the sandbox', async () => {
    expect(
      await restrictedImports(
        'main/core/create-core.ts',
        "import { registerInvokeHandlers } from '../electron/ipc';\nexport const r = registerInvokeHandlers;\n",
      ),
    ).toEqual([expect.stringContaining('free of the Electron shell')]);
    expect(
      await restrictedImports(
        'main/headless/serve-command.ts',
        "import { startSandbox } from '../sandbox/sandbox';\nexport const start = startSandbox;\n",
      ),
    ).toEqual([]);
  });
});
