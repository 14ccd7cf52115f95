// Renders the whole app against a fake bridge, as a user would meet it.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { StatusView } from '../../../electron/ipc/contract.ts';
import { App } from '../app/App.tsx';
import { createFakeWfa, type FakeWfa, installFakeWfa, okResult } from './fake-wfa.ts';
import { trayModel } from './fixtures.ts';

export interface RenderedApp {
  readonly fake: FakeWfa;
  readonly user: ReturnType<typeof userEvent.setup>;
  readonly unmount: () => void;
}

/** Renders <App /> with `status.get` answering `initial` (and `tray.get` a quiet tray unless `configure` says otherwise), and waits for its first screen. */
export async function renderApp(initial: StatusView, configure: (fake: FakeWfa) => void = () => undefined): Promise<RenderedApp> {
  const fake = createFakeWfa();
  fake.handle('status.get', () => okResult(initial));
  fake.handle('tray.get', () => okResult(trayModel()));
  configure(fake);
  installFakeWfa(fake);
  const user = userEvent.setup();
  const { unmount } = render(<App />);
  await screen.findByRole('heading', { level: 1 });
  return { fake, user, unmount };
}
