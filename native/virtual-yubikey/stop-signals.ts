// When a process that holds virtual keys (cli.ts, key-host.ts) must pull them
// out: told to (SIGTERM, SIGINT), or left alone. `npm run` starts us under
// `sh -c`, and on SIGTERM npm and sh go away without passing the signal on:
// a key would stay plugged in with nobody to stop it. So the process that
// started us is watched too, and its going (we get re-parented) counts.

const PARENT_CHECK_MS = 500;

/** Calls `stop` with the reason on SIGTERM, on SIGINT, or once our parent is gone; it may be called more than once. */
export function stopWhenToldOrOrphaned(stop: (why: string) => void): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('the process that started us is gone');
  }, PARENT_CHECK_MS).unref();
}
