/**
 * Messages to a Zalo resident outside a turn (status notices, staff replies): consultation messages
 * rendered as in a conversation inside the 7-day window, or an approved ZBS template after it.
 */
import type { ZaloOaClient } from '../../clients/zalo-oa';
import type { ResidentChannel } from '../../domain/notifications/ports';
import type { I18n } from '../../i18n';
import type { Logger } from '../../logger';
import { renderForZalo, type ZaloTemplateSupport } from './zalo-turn';

export function zaloResidentChannel(d: { client: ZaloOaClient; i18n: I18n; logger: Logger; support: ZaloTemplateSupport }): ResidentChannel {
  return {
    async send(userId, messages, _route, locale = 'vi') {
      await renderForZalo(d.client, userId, messages, { support: d.support, chooseNumberHint: d.i18n.t(locale, 'common:chooseNumber'), logger: d.logger });
    },
    async sendTemplate(userId, templateId, params) {
      await d.client.sendTemplateByUserId(userId, templateId, { ...params });
    },
  };
}
