/**
 * What `src/main.ts` expects of the development tools in `dev/` (fakes of the platforms and the
 * simulator). Declared here so the production build never references dev/: main.ts loads it with
 * a computed path, only in simulator mode.
 */
import type express from 'express';
import type { Config } from './config';
import type { Logger } from './logger';

export interface DevTools {
  /** The configuration with the platform URLs (and credentials) of the fakes that were started. */
  readonly config: Config;
  /**
   * Mounts `/simulator` on the app; `appBaseUrl` is read on every send (known after listen).
   * `guard` runs in front of it (a staff sign-in when some channel is real); the page shows
   * `devAdmin`'s credentials when there is one.
   */
  mount(app: express.Express, appBaseUrl: () => string, center: { lat: number; lng: number }, opts?: { guard?: express.RequestHandler[]; devAdmin?: () => { email: string; password: string } | null }): void;
  stop(): Promise<void>;
}

export interface DevToolsModule {
  startDevTools(config: Config, logger: Logger): Promise<DevTools>;
}
