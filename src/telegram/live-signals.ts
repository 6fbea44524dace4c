/**
 * The userbot's live signals (sync's `LiveSignals`) from GramJS: a `Raw` handler for
 * `UpdatePendingJoinRequests` (Telegram pushes a chat's new pending count to its admins with invite
 * rights) and GramJS's connection state (a reconnect: pushes sent meanwhile are lost, since GramJS
 * never asks for the difference). A signal only says "this chat changed"; the sync finds out what.
 */
import { Api, type TelegramClient } from 'telegram';
import { Raw } from 'telegram/events/index.js';
import { UpdateConnectionState } from 'telegram/network/index.js';
import { botApiChatIdFromChannel } from '../domain/chat-id.js';
import type { LiveSignals } from '../sync/types.js';

export function listenForSignals(client: TelegramClient): LiveSignals {
  const pending: ((chatId: bigint) => void)[] = [];
  const reconnected: (() => void)[] = [];
  client.addEventHandler(
    (u: Api.UpdatePendingJoinRequests) => {
      if (!(u.peer instanceof Api.PeerChannel)) return; // basic groups are not synced
      const chatId = botApiChatIdFromChannel(BigInt(u.peer.channelId.toString()));
      for (const h of pending) h(chatId);
    },
    new Raw({ types: [Api.UpdatePendingJoinRequests] }),
  );
  client.addEventHandler(
    (u: UpdateConnectionState) => {
      if (u.state !== UpdateConnectionState.connected) return;
      for (const h of reconnected) h();
    },
    new Raw({ types: [UpdateConnectionState as unknown as new (...args: never[]) => unknown] }),
  );
  return {
    onPendingChanged: (h) => void pending.push(h),
    onReconnected: (h) => void reconnected.push(h),
  };
}
