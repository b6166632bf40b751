import { describe, expect, it } from 'vitest';
import { settingsChanges } from '../../../../../renderer/src/features/settings/settings-changes';
import { makeSettings } from '../../fixtures';

describe('settingsChanges', () => {
  const saved = makeSettings({ appId: '111', ngrokDomain: 'calm-otter.ngrok.app' });

  it('asks only for what differs, trims ids, and keeps a saved secret when left empty', () => {
    expect(
      settingsChanges(saved, { appId: ' 222 ', appSecret: '', ngrokAuthtoken: '   ' }),
    ).toEqual({ appId: '222' });
    expect(settingsChanges(saved, { appId: '111', appSecret: 'a-new-secret' })).toEqual({
      appSecret: 'a-new-secret',
    });
  });

  it('removes a value the owner emptied, and leaves fields the form does not show alone', () => {
    expect(settingsChanges(saved, { appId: '', ngrokDomain: '' })).toEqual({
      appId: null,
      ngrokDomain: null,
    });
    expect(settingsChanges(saved, {})).toEqual({});
  });

  it('never asks to change what the environment sets', () => {
    const fromEnv = makeSettings({ fromEnvironment: ['appId', 'appSecret', 'ngrok'] });
    expect(
      settingsChanges(fromEnv, { appId: '333', appSecret: 'secret-1', ngrokAuthtoken: 'tok-123' }),
    ).toEqual({});
  });
});
