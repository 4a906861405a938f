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
  /** Mounts `/simulator` on the app; `appBaseUrl` is read on every send (known after listen). */
  mount(app: express.Express, appBaseUrl: () => string, center: { lat: number; lng: number }): void;
  stop(): Promise<void>;
}

export interface DevToolsModule {
  startDevTools(config: Config, logger: Logger): Promise<DevTools>;
}
