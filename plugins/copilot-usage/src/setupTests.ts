import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// jsdom has no ResizeObserver; recharts' ResponsiveContainer needs one. The
// charts then keep their initial size, which is enough to render them.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// The test machines have 2 cores shared with other jobs; rendering charts in
// jsdom can take longer than Testing Library's default second.
configure({ asyncUtilTimeout: 5000 });

// For the same reason, a whole UI test (render, clicks, refetch) gets 30 s, not
// Jest's default 5 s: a busy machine must not fail a test that is only slow.
jest.setTimeout(30_000);
