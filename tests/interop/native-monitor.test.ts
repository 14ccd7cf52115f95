// pcscd restarted while a ReaderMonitor (createPcscStatusSource, the `smartcard`
// binding) runs: the events say the service went away and came back, and the
// readers and the card are announced again. pcscd is restarted only inside
// private namespaces (native-monitor-scenario.ts), never the machine's own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/lib/paths.ts';
import { findProgram, requirePrograms } from '../../scripts/lib/programs.ts';
import { readerName } from '../../scripts/lib/virtual-key.ts';
import type { ScenarioReport } from './native-monitor-scenario.ts';

const READER = readerName(0);

/**
 * Runs the scenario in new mount, network and pid namespaces: a tmpfs on
 * /run/pcscd (its own socket), its own loopback (its own vpcd ports) and its
 * own /proc (so it sees no other pcscd). Needs root, as `npm test` runs.
 * unshare blocks SIGTERM while it waits, and the scenario is pid 1 of its
 * namespace (which ignores SIGTERM): a stuck run is ended with SIGKILL, and
 * --kill-child takes everything in the namespace with it.
 */
async function runScenario(timeoutMs = 100_000): Promise<ScenarioReport> {
  requirePrograms(['unshare', 'ip', 'pcscd', 'opensc-tool']);
  const inside = [
    'mkdir -p /run/pcscd',
    'mount -t tmpfs tmpfs /run/pcscd',
    `${findProgram('ip') ?? 'ip'} link set lo up`,
    `exec "${process.execPath}" --import tsx tests/interop/native-monitor-scenario.ts`,
  ].join(' && ');
  const args = ['--mount', '--net', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', 'sh', '-c', inside];
  const child = spawn(findProgram('unshare') ?? 'unshare', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  expect(code, `the scenario (unshare ${args.join(' ')}) needs root and pcscd; it ended with ${signal ?? `code ${code}`}:\n${stderr}${stdout}`).toBe(0);
  return JSON.parse(stdout.trim()) as ScenarioReport;
}

describe('ReaderMonitor through a pcscd restart', () => {
  it('announces the service going and coming back, and the readers and the key again; removal is seen too', async () => {
    const report = await runScenario();
    const seen = (phase: string): string[] =>
      report.events
        .filter((e) => e.phase === phase && (e.reader === undefined || e.reader === READER))
        .map((e) => `${e.type}${e.reader === undefined ? '' : ` ${e.reader}`}`);

    expect(seen('start')).toEqual([`reader-added ${READER}`, `card-inserted ${READER}`]);
    // pcscd gone: the card and the reader with it, then the service.
    expect(seen('pcscd stopped')).toEqual([`card-removed ${READER}`, `reader-removed ${READER}`, 'service-unavailable']);
    // A connection opened before the stop gets a typed error, not a hang or a crash.
    expect(['PCSC_UNAVAILABLE', 'CARD_REMOVED']).toContain(report.inFlightCode);
    // pcscd back: service, reader, and the key (same ATR) once vpcd has it again.
    expect(seen('pcscd started again')).toEqual(['service-available', `reader-added ${READER}`, `card-inserted ${READER}`]);
    const atrs = report.events.filter((e) => e.type === 'card-inserted' && e.reader === READER).map((e) => e.atr);
    expect(atrs).toHaveLength(2);
    expect(atrs[1]).toBe(atrs[0]);
    expect(seen('key pulled out')).toEqual([`card-removed ${READER}`]);
    // Seen promptly: the monitor waits on SCardGetStatusChange, it does not poll slowly.
    const removal = report.events.find((e) => e.phase === 'key pulled out' && e.type === 'card-removed');
    expect(removal?.afterMs).toBeLessThan(3_000);
    console.log(`pcscd restart scenario: ${JSON.stringify(report.phases)}; in-flight connection: ${report.inFlightCode}`);
  });
});
