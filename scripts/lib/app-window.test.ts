import { describe, expect, it } from 'vitest';
import { appWindowArgs, displayOf } from './app-window.ts';

describe('displayOf', () => {
  it('finds a Wayland or X11 display, and none in a bare terminal', () => {
    expect(displayOf({ DISPLAY: ':0' })).toBe('DISPLAY=:0');
    expect(displayOf({ WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' })).toBe('WAYLAND_DISPLAY=wayland-0');
    expect(displayOf({ DISPLAY: '' })).toBeNull();
    expect(displayOf({})).toBeNull();
  });
});

describe('appWindowArgs', () => {
  it('opens the address as an app window in its own profile folder', () => {
    const args = appWindowArgs({ url: 'http://127.0.0.1:4000/?token=t', profileDir: '/repo/.wfa-run/demo-chromium-profile' });
    expect(args).toContain('--app=http://127.0.0.1:4000/?token=t');
    expect(args).toContain('--user-data-dir=/repo/.wfa-run/demo-chromium-profile');
    expect(args).not.toContain('--no-sandbox');
  });

  it('adds --no-sandbox only for root, where Chromium will not start without it', () => {
    expect(appWindowArgs({ url: 'http://x/', runningAsRoot: true })).toContain('--no-sandbox');
  });
});
