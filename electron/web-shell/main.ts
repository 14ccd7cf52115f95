// Entry of `npm run web`: the web shell with the app's real services.
import { createAppServices } from '../app/app-services.ts';
import { runWebShell } from './cli.ts';

/** The app's services with the renewal reminders running, as in the desktop app. */
async function createRunningServices(options: Parameters<typeof createAppServices>[0]): Promise<Awaited<ReturnType<typeof createAppServices>>> {
  const services = await createAppServices(options);
  await services.reminders.start();
  return services;
}

async function main(): Promise<void> {
  const run = await runWebShell(process.argv.slice(2), {
    createServices: createRunningServices,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  if (typeof run === 'number') process.exit(run);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      run.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
