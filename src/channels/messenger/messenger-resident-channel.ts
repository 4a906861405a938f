/**
 * Messages to a Messenger resident through the Send API: a turn's replies (`RESPONSE`, sent after
 * the turn commits), notices inside the window (`UPDATE`) or with a message tag (`ACCOUNT_UPDATE`)
 * after it. The same rendering as in a conversation.
 */
import type { MessengerClient } from 'messaging-api-messenger';
import type { ResidentChannel } from '../../domain/notifications/ports';
import { renderForMessenger, type MessengerSink } from './messenger-turn';

export function messengerResidentChannel(client: MessengerClient): ResidentChannel {
  return {
    async send(psid, messages, route) {
      const options =
        route.kind === 'messenger-tag' ? { messagingType: 'MESSAGE_TAG', tag: route.tag } : { messagingType: route.kind === 'response' ? 'RESPONSE' : 'UPDATE' };
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
