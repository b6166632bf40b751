import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';
import { NOW } from './fixtures';

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

// Relative times ("5 min. ago") and day separators need a fixed "now"; only Date is mocked, so
// timers and user-event keep running for real unless a test fakes them itself.
beforeEach(() => {
  vi.setSystemTime(NOW);
});
afterEach(() => {
  vi.useRealTimers();
});
