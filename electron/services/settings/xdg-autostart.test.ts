import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStartAtLogin } from './start-at-login.ts';
import { AT_LOGIN_ARG, autostartEntry, autostartFile, execArgument } from './xdg-autostart.ts';

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('autostartFile', () => {
  it('is in $XDG_CONFIG_HOME/autostart, else ~/.config/autostart', () => {
    expect(autostartFile({ XDG_CONFIG_HOME: '/cfg' }, '/home/ann')).toBe('/cfg/autostart/workforce-access.desktop');
    expect(autostartFile({}, '/home/ann')).toBe('/home/ann/.config/autostart/workforce-access.desktop');
    // A relative XDG_CONFIG_HOME is invalid (XDG Base Directory spec) and ignored.
    expect(autostartFile({ XDG_CONFIG_HOME: 'cfg' }, '/home/ann')).toBe('/home/ann/.config/autostart/workforce-access.desktop');
  });
});

describe('execArgument', () => {
  it('leaves plain arguments alone and quotes reserved characters as the Desktop Entry spec says', () => {
    expect(execArgument('/opt/workforce-access/workforce-access')).toBe('/opt/workforce-access/workforce-access');
    expect(execArgument('/opt/Workforce Access/workforce-access')).toBe('"/opt/Workforce Access/workforce-access"');
    expect(execArgument('/home/ann/100%/app')).toBe('/home/ann/100%%/app');
    expect(execArgument('/a b/$x"y`z')).toBe('"/a b/\\\\$x\\\\"y\\\\`z"');
    // A literal backslash in a quoted argument takes four (quoting, then string escaping).
    expect(execArgument('/a b\\c')).toBe('"/a b\\\\\\\\c"');
  });
});

describe('autostartEntry', () => {
  it('starts the app with --at-login, without a terminal', () => {
    const entry = autostartEntry({ executable: '/opt/Workforce Access/workforce-access' });
    expect(entry.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Name=Workforce Access',
      'Comment=Reminds you to renew your security key certificate',
      `Exec="/opt/Workforce Access/workforce-access" ${AT_LOGIN_ARG}`,
      'Icon=workforce-access',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
  });
});

describe('applyStartAtLogin', () => {
  it('on Linux writes the autostart entry when on and removes it when off; Electron is not asked', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wfa-autostart-'));
    const calls: boolean[] = [];
    const options = { platform: 'linux' as const, env: {}, executable: '/opt/wfa/workforce-access', home, setLoginItem: (on: boolean) => calls.push(on) };
    expect(await applyStartAtLogin({ ...options, enabled: true })).toBe('xdg-autostart');
    const file = join(home, '.config', 'autostart', 'workforce-access.desktop');
    expect(await readFile(file, 'utf8')).toContain('Exec=/opt/wfa/workforce-access --at-login\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    await applyStartAtLogin({ ...options, enabled: false });
    expect(await exists(file)).toBe(false);
    // Off twice is fine (nothing to remove).
    await applyStartAtLogin({ ...options, enabled: false });
    expect(calls).toEqual([]);
  });

  it('an AppImage registers the AppImage file, not its temporary mount', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wfa-autostart-'));
    await applyStartAtLogin({
      enabled: true,
      platform: 'linux',
      env: { APPIMAGE: '/home/ann/Apps/Workforce-Access.AppImage' },
      executable: '/tmp/.mount_WorkfoXYZ/workforce-access',
      home,
      setLoginItem: () => undefined,
    });
    expect(await readFile(join(home, '.config', 'autostart', 'workforce-access.desktop'), 'utf8')).toContain(
      'Exec=/home/ann/Apps/Workforce-Access.AppImage --at-login\n',
    );
  });

  it('on Windows and macOS hands the choice to the login-item setter and writes no file', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wfa-autostart-'));
    for (const platform of ['win32', 'darwin'] as const) {
      const calls: boolean[] = [];
      expect(await applyStartAtLogin({ enabled: true, platform, env: {}, executable: 'C:\\wfa.exe', home, setLoginItem: (on) => calls.push(on) })).toBe(
        'login-item',
      );
      await applyStartAtLogin({ enabled: false, platform, env: {}, executable: 'C:\\wfa.exe', home, setLoginItem: (on) => calls.push(on) });
      expect(calls).toEqual([true, false]);
    }
    expect(await exists(join(home, '.config'))).toBe(false);
  });
});
