import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskFullBanner } from '../../../../../renderer/src/features/status/DiskFullBanner';
import { subscribeToMain } from '../../../../../renderer/src/store/app-store';
import { FakeInboxClient } from '../../fake-client';
import { makeStatus } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

let unsubscribe = () => undefined as void;
afterEach(() => unsubscribe());

async function renderBanner(diskFull: boolean, language?: string) {
  const client = new FakeInboxClient({ status: makeStatus({ diskFull }) });
  const { store } = await storeWith(client);
  unsubscribe = subscribeToMain(store, client); // the core's status events, as in the app
  renderWithStore(<DiskFullBanner />, store, language);
  return client;
}

describe('DiskFullBanner', () => {
  it('says calmly that the disk is full, and goes when the core says there is room again', async () => {
    const client = await renderBanner(true);
    const banner = screen.getByTestId('disk-full-banner');
    expect(banner).toHaveTextContent(
      "The disk is full: Inlet can't store new messages. Instagram will retry for a while.",
    );
    expect(banner).toHaveTextContent('Free up space on this computer');
    expect(banner).toHaveAttribute('role', 'status'); // announced politely, not as an alarm
    act(() => client.emit('app:statusChanged', makeStatus({ diskFull: false })));
    expect(screen.queryByTestId('disk-full-banner')).not.toBeInTheDocument();
    act(() => client.emit('app:statusChanged', makeStatus({ diskFull: true })));
    expect(screen.getByTestId('disk-full-banner')).toBeVisible();
  });

  it('is absent while there is room', async () => {
    await renderBanner(false);
    expect(screen.queryByTestId('disk-full-banner')).not.toBeInTheDocument();
  });

  it.each([
    ['pt-BR', 'O disco está cheio: o Inlet não consegue guardar mensagens novas.'],
    ['es', 'El disco está lleno: Inlet no puede guardar mensajes nuevos.'],
    ['de', 'Der Datenträger ist voll: Inlet kann keine neuen Nachrichten speichern.'],
  ])('reads in %s', async (language, sentence) => {
    await renderBanner(true, language);
    const banner = screen.getByTestId('disk-full-banner');
    expect(banner).toHaveTextContent(sentence);
    expect(banner).not.toHaveTextContent('disk is full');
  });
});
