/**
 * Development tools for `npm start` without platform credentials: the in-repo fakes of the Graph
 * API, the Zalo OpenAPI and Nominatim, and the simulator. `src/main.ts` loads this module only when
 * the simulator is on; a production build (`dist/`) does not contain it.
 */
import { FAKE_SECRETS } from './fake-credentials';
import type { Config } from '../src/config';
import type { DevTools } from '../src/dev-tools';
import type { Logger } from '../src/logger';
import { FakeGraphApi } from './fakes/fake-graph-api';
import { FakeNominatim } from './fakes/fake-nominatim';
import { FakeZaloApi } from './fakes/fake-zalo-api';
import { createMessengerWebhooks } from './fakes/messenger-webhooks';
import { createZaloWebhooks } from './fakes/zalo-webhooks';
import { mountSimulator } from './simulator/simulator-routes';

/** Starts the fakes the configuration asks for and returns a config pointing at them. */
export async function startDevTools(config: Config, logger: Logger): Promise<DevTools> {
  const stops: Array<() => Promise<void>> = [];
  let effective = config;
  let graph: FakeGraphApi | undefined;
  if (!config.messenger) {
    graph = new FakeGraphApi({ accessToken: FAKE_SECRETS.messengerAccessToken, appSecret: FAKE_SECRETS.messengerAppSecret, pageId: FAKE_SECRETS.messengerPageId, appId: FAKE_SECRETS.messengerAppId });
    await graph.start();
    const g = graph;
    stops.push(() => g.stop());
    effective = {
      ...effective,
      messenger: {
        real: false,
        pageId: FAKE_SECRETS.messengerPageId,
        appId: FAKE_SECRETS.messengerAppId,
        appSecret: FAKE_SECRETS.messengerAppSecret,
        accessToken: FAKE_SECRETS.messengerAccessToken,
        verifyToken: FAKE_SECRETS.messengerVerifyToken,
        apiUrl: graph.url,
      },
    };
    logger.info({ url: graph.url }, 'no Messenger credentials: simulated with the in-repo fake Graph API');
  }
  let zalo: FakeZaloApi | undefined;
  if (!config.zalo) {
    zalo = new FakeZaloApi({ appId: FAKE_SECRETS.zaloAppId, appSecret: FAKE_SECRETS.zaloAppSecret, refreshToken: FAKE_SECRETS.zaloRefreshToken });
    await zalo.start();
    // Two groups the simulated OA manages, so broadcasts have somewhere to go out of the box.
    zalo.addGroup({ groupId: 'sim-group-phu-hoi', name: 'Cư dân phường Phú Hội', members: 184 });
    zalo.addGroup({ groupId: 'sim-group-vy-da', name: 'Tổ dân phố 5 – Vỹ Dạ', members: 57 });
    const z = zalo;
    stops.push(() => z.stop());
    effective = {
      ...effective,
      zalo: {
        real: false,
        appId: FAKE_SECRETS.zaloAppId,
        appSecret: FAKE_SECRETS.zaloAppSecret,
        oaId: FAKE_SECRETS.zaloOaId,
        oaSecretKey: FAKE_SECRETS.zaloOaSecretKey,
        refreshToken: FAKE_SECRETS.zaloRefreshToken,
        accessToken: undefined,
        apiUrl: zalo.url,
        oauthUrl: zalo.url,
      },
    };
    logger.info({ url: zalo.url }, 'no Zalo credentials: simulated with the in-repo fake Zalo OpenAPI');
  }
  if (!config.geocoder.url) {
    const nominatim = new FakeNominatim();
    await nominatim.start();
    stops.push(() => nominatim.stop());
    effective = { ...effective, geocoder: { ...effective.geocoder, url: nominatim.url } };
    logger.info('simulator mode without GEOCODER_URL: typed addresses use a small offline gazetteer of Huế');
  }
  // The fakes host the simulated residents' photos on loopback: downloads may reach them.
  const fakeHosts = [graph?.url, zalo?.url].filter((u): u is string => !!u).map((u) => new URL(u).host);
  effective = { ...effective, photos: { ...effective.photos, fetchAllow: [...effective.photos.fetchAllow, ...fakeHosts] } };
  return {
    config: effective,
    mount(app, appBaseUrl, center, opts = {}) {
      if (!graph && !zalo) return;
      mountSimulator(app, {
        appBaseUrl,
        graph,
        messengerWebhooks: graph ? createMessengerWebhooks({ appSecret: FAKE_SECRETS.messengerAppSecret, pageId: FAKE_SECRETS.messengerPageId }) : undefined,
        zalo,
        zaloWebhooks: zalo ? createZaloWebhooks({ appId: FAKE_SECRETS.zaloAppId, oaId: FAKE_SECRETS.zaloOaId, oaSecretKey: FAKE_SECRETS.zaloOaSecretKey }) : undefined,
        center,
        guard: opts.guard,
        devAdmin: opts.devAdmin,
      });
    },
    async stop() {
      for (const s of stops.reverse()) await s();
    },
  };
}
