/**
 * Messages to a Messenger resident outside a turn (status notices, staff replies): the same
 * rendering as in a conversation, sent through the Send API as `UPDATE` inside the window or with
 * a message tag (`ACCOUNT_UPDATE`) after it.
 */
import type { MessengerClient } from 'messaging-api-messenger';
import type { ResidentChannel } from '../../domain/notifications/ports';
import { renderForMessenger, type MessengerSink } from './messenger-turn';

export function messengerResidentChannel(client: MessengerClient): ResidentChannel {
  return {
    async send(psid, messages, route) {
      const options = route.kind === 'messenger-tag' ? { messagingType: 'MESSAGE_TAG', tag: route.tag } : { messagingType: 'UPDATE' };
      const sink: MessengerSink = {
        text: async (text, quickReplies) => {
          await client.sendText(psid, text, { ...options, ...(quickReplies ? { quickReplies } : {}) } as never);
        },
        buttons: async (text, buttons, quickReplies) => {
          await client.sendButtonTemplate(psid, text, buttons as never, { ...options, ...(quickReplies ? { quickReplies } : {}) } as never);
        },
        image: async (url) => {
          await client.sendImage(psid, url, options as never);
        },
      };
      await renderForMessenger(sink, messages);
    },
  };
}
