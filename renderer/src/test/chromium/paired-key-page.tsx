// A page for the renderer's Chromium tests (renderer/chromium/): the whole
// app against the fake bridge, answering with a paired key, as render-app.tsx
// does in jsdom. The test reaches the fake as `window.testFake` to set
// handlers and emit events.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../../app/App.tsx';
import '../../styles/app.css';
import { createFakeWfa, type FakeWfa, installFakeWfa, okResult } from '../fake-wfa.ts';
import { pairedStatus, trayModel } from '../fixtures.ts';

declare global {
  interface Window {
    testFake?: FakeWfa;
  }
}

const fake = createFakeWfa();
fake.handle('status.get', () => okResult(pairedStatus()));
fake.handle('tray.get', () => okResult(trayModel()));
installFakeWfa(fake);
window.testFake = fake;

const root = document.getElementById('root');
if (root === null) throw new Error('the test page has no #root element');
// StrictMode as in main.tsx: effects run twice in development, as the app's do.
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
