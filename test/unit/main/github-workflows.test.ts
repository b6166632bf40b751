// GitHub Actions cannot run here: the workflows are checked against GitHub's workflow schema
// (@action-validator/core bundles it, so this works offline) and against package.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const REPO = join(import.meta.dirname, '../../..');
const WORKFLOWS = ['ci.yml', 'release.yml'];
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: object }).scripts,
);

describe.each(WORKFLOWS)('.github/workflows/%s', (name) => {
  const text = readFileSync(join(REPO, '.github', 'workflows', name), 'utf8');

  it('is a valid GitHub workflow', () => {
    expect((validateWorkflow(text) as { errors: unknown[] }).errors).toEqual([]);
  });

  it('runs only npm scripts that package.json has', () => {
    const used = [...text.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((script) => !scripts.includes(script!))).toEqual([]);
  });
});

describe('the workflows do what the release process needs', () => {
  const ci = parse(readFileSync(join(REPO, '.github/workflows/ci.yml'), 'utf8')) as {
    jobs: { 'electron-e2e': { strategy: { matrix: { os: string[] } } } };
  };
  const release = readFileSync(join(REPO, '.github/workflows/release.yml'), 'utf8');

  it('runs the Electron spec on the three systems', () => {
    expect(ci.jobs['electron-e2e'].strategy.matrix.os).toEqual([
      'ubuntu-latest',
      'macos-latest',
      'windows-latest',
    ]);
  });

  it('self-tests each packaged app before publishing a draft', () => {
    expect(release.indexOf('--self-test')).toBeLessThan(release.indexOf('--publish always'));
    for (const secret of [
      'CSC_LINK',
      'CSC_KEY_PASSWORD',
      'APPLE_ID',
      'APPLE_APP_SPECIFIC_PASSWORD',
      'APPLE_TEAM_ID',
      'WIN_CSC_LINK',
      'WIN_CSC_KEY_PASSWORD',
    ]) {
      expect(release).toContain(`secrets.${secret}`);
    }
  });

  it('catches a broken workflow', () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-onn: ubuntu-latest\n';
    expect((validateWorkflow(broken) as { errors: unknown[] }).errors.length).toBeGreaterThan(0);
  });
});
