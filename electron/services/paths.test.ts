import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './paths.ts';

describe('data folder', () => {
  it('is where Electron puts userData on each OS', () => {
    expect(defaultDataDir({}, 'linux', '/home/alice')).toBe('/home/alice/.config/Workforce Access');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/alice')).toBe('/xdg/Workforce Access');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '' }, 'linux', '/home/alice')).toBe('/home/alice/.config/Workforce Access');
    expect(defaultDataDir({}, 'darwin', '/Users/alice')).toBe('/Users/alice/Library/Application Support/Workforce Access');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\alice\\AppData\\Roaming' }, 'win32', 'C:\\Users\\alice')).toBe(
      'C:\\Users\\alice\\AppData\\Roaming\\Workforce Access',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\alice')).toBe('C:\\Users\\alice\\AppData\\Roaming\\Workforce Access');
  });

  it('--data-dir wins over WFA_DATA_DIR, which wins over the default', () => {
    const env = { WFA_DATA_DIR: '/from/env' };
    expect(resolveDataDir({ flag: '/from/flag', env, platform: 'linux', home: '/home/a' })).toBe('/from/flag');
    expect(resolveDataDir({ env, platform: 'linux', home: '/home/a' })).toBe('/from/env');
    expect(resolveDataDir({ flag: '', env: {}, platform: 'linux', home: '/home/a' })).toBe('/home/a/.config/Workforce Access');
  });
});
