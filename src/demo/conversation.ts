/**
 * Talks to the bot as a person would, through the sandbox's Bot API driver: send a message or
 * press a button, then collect everything the bot sent or edited until it falls quiet.
 */
import type { BotDriver } from '../sandbox/botapi/driver.js';
import type { SentRecord } from '../sandbox/botapi/state.js';

export interface Reply {
  records: SentRecord[];
}

const FIRST_REPLY_TIMEOUT_MS = 30_000;
const QUIET_MS = 400;

export class Conversation {
  constructor(
    private readonly driver: BotDriver,
    readonly userId: bigint,
  ) {}

  async say(text: string, chat?: bigint): Promise<Reply> {
    const after = this.driver.cursor;
    this.driver.message({ from: this.userId, text, ...(chat !== undefined ? { chat } : {}) });
    return this.collect(after);
  }

  async press(record: SentRecord, data: string): Promise<Reply> {
    const after = this.driver.cursor;
    this.driver.press({ from: this.userId, messageId: record.message_id, data });
    return this.collect(after);
  }

  private async collect(after: number): Promise<Reply> {
    await this.driver.waitForSent(() => true, { after, timeoutMs: FIRST_REPLY_TIMEOUT_MS });
    let seen = -1;
    // Replies can come as several messages and edits; wait until nothing new arrives for a moment.
    while (seen !== this.driver.cursor) {
      seen = this.driver.cursor;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    }
    return { records: this.driver.sent(after) };
  }
}

/** The inline buttons of a message as `{ text, data }`, row by row. */
export function buttonsOf(record: SentRecord): Array<{ text: string; data?: string; url?: string }> {
  const markup = record.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string; url?: string }>> } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, ...(b.callback_data ? { data: b.callback_data } : {}), ...(b.url ? { url: b.url } : {}) }));
}

export function findButton(reply: Reply, label: RegExp): { record: SentRecord; data: string } | undefined {
  for (const record of reply.records) {
    const button = buttonsOf(record).find((b) => b.data !== undefined && label.test(b.text));
    if (button?.data) return { record, data: button.data };
  }
  return undefined;
}
