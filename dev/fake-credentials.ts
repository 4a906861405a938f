/**
 * The one place of the development credentials: the in-repo fakes accept them and the simulator
 * signs with them. They are never valid against a real platform, and the app never accepts them
 * outside simulator mode (a channel without real credentials is disabled there).
 */
export const FAKE_SECRETS = {
  messengerAppSecret: 'simulator-messenger-app-secret',
  messengerAccessToken: 'simulator-page-token',
  messengerVerifyToken: 'simulator-verify-token',
  messengerPageId: '100000000000001',
  messengerAppId: '200000000000002',
  zaloAppId: '4107330921648205127',
  zaloAppSecret: 'simulator-zalo-app-secret',
  zaloOaId: '2950471185532601093',
  zaloOaSecretKey: 'simulator-zalo-oa-secret-key',
  zaloRefreshToken: 'simulator-refresh-token-0',
} as const;
