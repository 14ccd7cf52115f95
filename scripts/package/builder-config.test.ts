import { describe, expect, it } from 'vitest';
import { fuseProblems, readBuilderConfig, REQUIRED_FUSES } from './builder-config.ts';

describe('electron-builder.yml', () => {
  const config = readBuilderConfig();

  it('names the app', () => {
    expect(config.productName).toBe('Workforce Access');
    expect(config.appId).not.toMatch(/example/);
  });

  it('sets exactly the fuses of issue 16', () => {
    expect(fuseProblems(config.electronFuses)).toEqual([]);
    expect(config.electronFuses).toEqual(REQUIRED_FUSES);
  });

  it('keeps the PC/SC addon out of the asar', () => {
    expect(config.asarUnpack).toContain('node_modules/smartcard/**');
  });
});

describe('fuseProblems', () => {
  it('names each fuse that is missing, wrong or extra', () => {
    expect(fuseProblems(null)).toEqual(['electronFuses is missing: no fuse would be flipped']);
    expect(fuseProblems({ ...REQUIRED_FUSES, runAsNode: true, grantFileProtocolExtraPrivileges: true })).toEqual([
      'runAsNode is true, should be false',
      'grantFileProtocolExtraPrivileges is set, but is not one of the required fuses',
    ]);
    const withoutOne = Object.fromEntries(Object.entries(REQUIRED_FUSES).filter(([name]) => name !== 'onlyLoadAppFromAsar'));
    expect(fuseProblems(withoutOne)).toEqual(['onlyLoadAppFromAsar is undefined, should be true']);
  });
});
