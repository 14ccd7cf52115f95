import { describe, expect, it } from 'vitest';
import { cliArgs, parseReadyLine, readerName } from './virtual-key.ts';

describe('virtual key READY line', () => {
  it('parses the line the CLI prints when the card is ready', () => {
    expect(parseReadyLine('READY reader="Virtual PCD 00 01" serial=12345678 firmware=5.7.1\n')).toEqual({
      reader: 'Virtual PCD 00 01',
      serial: 12345678,
      firmware: '5.7.1',
    });
  });

  it('ignores any other line', () => {
    expect(parseReadyLine('connecting to 127.0.0.1:35963')).toBeUndefined();
    expect(parseReadyLine('READY reader=Virtual serial=1 firmware=5.4.3')).toBeUndefined();
    expect(parseReadyLine('READY reader="Virtual PCD 00 00" serial=x firmware=5.4.3')).toBeUndefined();
  });
});

describe('virtual key command line', () => {
  it('passes only the options given', () => {
    expect(cliArgs({ reader: 0, profile: 'yk5.4.3' })).toEqual(['--reader', '0', '--profile', 'yk5.4.3']);
    expect(cliArgs({ reader: 1, profile: 'yk4.3.7', serial: 42, state: '/tmp/s.json', faultAfter: 7 })).toEqual([
      '--reader', '1', '--profile', 'yk4.3.7', '--serial', '42', '--state', '/tmp/s.json', '--fault-after', '7',
    ]);
  });

  it('names readers as vpcd does', () => {
    expect(readerName(0)).toBe('Virtual PCD 00 00');
    expect(readerName(1)).toBe('Virtual PCD 00 01');
    expect(readerName(10)).toBe('Virtual PCD 00 0A');
  });
});
