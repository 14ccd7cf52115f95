// What a shell needs from the services: the handlers of every channel, the
// events to push to the page, and a way to stop. Both shells take exactly
// this, made by the one factory in electron/services/handlers.ts
// (`createAppServices`), so the desktop app and the web shell run the same code.
import type { Handlers } from '../ipc/contract.ts';
import type { EventSource } from '../ipc/wfa-api.ts';

export interface AppServices {
  readonly handlers: Handlers;
  readonly events: EventSource;
  close(): Promise<void>;
}

export interface AppServicesOptions {
  readonly dataDir: string;
  readonly configPath?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Yubico's attestation certificates; the packaged app gives its own (app.asar/assets/attestation). */
  readonly attestationAssets?: string;
}

export type CreateAppServices = (options: AppServicesOptions) => Promise<AppServices>;
