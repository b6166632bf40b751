import { describe, expect, it, vi } from 'vitest';
import { unreadText } from '../../../../main/core/notify/notification-text';
import { trayMenuTemplate } from '../../../../main/electron/tray-menu';

const actions = () => ({ open: vi.fn(), quit: vi.fn() });
const shape = (template: ReturnType<typeof trayMenuTemplate>) =>
  template.map(({ label, type, enabled }) => ({ label, type, enabled }));

describe('trayMenuTemplate', () => {
  it('is "Open Inlet" and "Quit Inlet" before the unread count is known', () => {
    const template = trayMenuTemplate({ ...unreadText(0, 'en'), description: '' }, actions());
    expect(shape(template)).toEqual([
      { label: 'Open Inlet', type: undefined, enabled: undefined },
      { label: undefined, type: 'separator', enabled: undefined },
      { label: 'Quit Inlet', type: undefined, enabled: undefined },
    ]);
  });

  it('leads with the unread count as a line that cannot be clicked', () => {
    const template = trayMenuTemplate(unreadText(4, 'pt-BR'), actions());
    expect(shape(template)).toEqual([
      { label: '4 conversas não lidas', type: undefined, enabled: false },
      { label: undefined, type: 'separator', enabled: undefined },
      { label: 'Abrir o Inlet', type: undefined, enabled: undefined },
      { label: undefined, type: 'separator', enabled: undefined },
      { label: 'Sair do Inlet', type: undefined, enabled: undefined },
    ]);
  });

  it('opens the window and really quits from their items', () => {
    const calls = actions();
    const template = trayMenuTemplate(unreadText(0, 'en'), calls);
    const click = (label: string) =>
      (template.find((item) => item.label === label)?.click as (() => void) | undefined)?.();
    click('Open Inlet');
    expect(calls.open).toHaveBeenCalledTimes(1);
    expect(calls.quit).not.toHaveBeenCalled();
    click('Quit Inlet');
    expect(calls.quit).toHaveBeenCalledTimes(1);
  });
});
