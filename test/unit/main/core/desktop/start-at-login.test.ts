import { describe, expect, it } from 'vitest';
import { startAtLoginHandlers } from '../../../../../main/core/desktop/start-at-login';
import { AppError } from '../../../../../main/core/errors';
import type { LoginItem } from '../../../../../main/core/ports';
import type { StartAtLogin } from '../../../../../shared/ipc/desktop-contract';

/** A login item that remembers what it was told, like the OS does. */
function fakeLoginItem(unavailable: StartAtLogin['unavailable'] = null) {
  const writes: boolean[] = [];
  let isEnabled = false;
  const item: LoginItem = {
    read: () => ({ isEnabled, unavailable, needsApproval: false }),
    write: (next) => {
      writes.push(next);
      isEnabled = next;
      return item.read();
    },
  };
  return { item, writes };
}

describe('startAtLoginHandlers', () => {
  it('reads and turns the login item on and off', async () => {
    const { item, writes } = fakeLoginItem();
    const handlers = startAtLoginHandlers(item);
    await expect(handlers['desktop:getStartAtLogin']()).resolves.toEqual({
      isEnabled: false,
      unavailable: null,
      needsApproval: false,
    });
    await expect(handlers['desktop:setStartAtLogin']({ isEnabled: true })).resolves.toMatchObject({
      isEnabled: true,
    });
    await expect(handlers['desktop:getStartAtLogin']()).resolves.toMatchObject({
      isEnabled: true,
    });
    await handlers['desktop:setStartAtLogin']({ isEnabled: false });
    expect(writes).toEqual([true, false]);
  });

  it('refuses with the reason where it cannot work (Linux without a config folder), and never writes', async () => {
    const { item, writes } = fakeLoginItem('linux');
    const handlers = startAtLoginHandlers(item);
    await expect(handlers['desktop:getStartAtLogin']()).resolves.toMatchObject({
      isEnabled: false,
      unavailable: 'linux',
    });
    const refused = handlers['desktop:setStartAtLogin']({ isEnabled: true });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/neither XDG_CONFIG_HOME nor HOME is set/) as unknown,
    });
    expect(writes).toEqual([]);
  });

  it('reads as unavailable in headless mode, which has no login item', async () => {
    const handlers = startAtLoginHandlers(null);
    await expect(handlers['desktop:getStartAtLogin']()).resolves.toEqual({
      isEnabled: false,
      unavailable: 'headless',
      needsApproval: false,
    });
    await expect(handlers['desktop:setStartAtLogin']({ isEnabled: true })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/inlet serve/) as unknown,
    });
  });
});
