// Bottender reads this file when its own CLI runs. phananh-bot builds its bots explicitly in
// src/runtime.ts (see the README's architecture section), so this only documents channel paths and
// the environment variables each channel uses. No logic here.
module.exports = {
  session: { driver: 'pg', expiresIn: 0 },
  channels: {
    messenger: {
      enabled: true,
      path: '/webhooks/messenger',
      env: ['MESSENGER_PAGE_ID', 'MESSENGER_ACCESS_TOKEN', 'MESSENGER_APP_ID', 'MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_API_URL'],
    },
    zalo: {
      enabled: true,
      path: '/webhooks/zalo',
      env: ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_REFRESH_TOKEN', 'ZALO_ACCESS_TOKEN', 'ZALO_API_URL', 'ZALO_OAUTH_URL'],
    },
  },
};
