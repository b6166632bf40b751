import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FailureReason } from '../../../../../shared/domain/failure-reason';
import { SandboxBanner } from '../../../../../renderer/src/features/status/SandboxBanner';
import { FakeInboxClient } from '../../fake-client';
import { makeStatus } from '../../fixtures';
import { renderWithStore } from '../../render-app';
import { storeWith } from '../../store-with';

const LOCKED: FailureReason = {
  text: 'Inlet could not unlock the app secret saved on this computer.',
  detail: { key: 'errorDetail.appSecretUnreadable', vars: null },
};

async function renderBanner(sandboxReason: FailureReason | null, language?: string) {
  const client = new FakeInboxClient({ status: makeStatus({ mode: 'sandbox', sandboxReason }) });
  const { store } = await storeWith(client);
  renderWithStore(<SandboxBanner />, store, language);
}

describe('SandboxBanner', () => {
  it('says first why the owner’s own app fell back to the sandbox', async () => {
    await renderBanner(LOCKED);
    expect(screen.getByTestId('sandbox-reason')).toHaveTextContent(
      'could not unlock the app secret saved on this computer (the system keychain may have changed), so it shows the sandbox. Enter the secret again in Settings.',
    );
    expect(screen.getByRole('alert')).toBe(screen.getByTestId('sandbox-reason'));
  });

  it('in German too', async () => {
    await renderBanner(LOCKED, 'de');
    expect(screen.getByTestId('sandbox-reason')).toHaveTextContent(
      'Gib das Secret in den Einstellungen erneut ein.',
    );
  });

  it('has no alert when the sandbox is simply the default', async () => {
    await renderBanner(null);
    expect(screen.getByTestId('sandbox-banner')).toBeVisible();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
