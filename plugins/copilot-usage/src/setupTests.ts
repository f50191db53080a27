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
