/**
 * The sandbox's hand-written serializer for messages.chatInviteImporters must produce exactly
 * the bytes GramJS's own TL classes produce, for every flag combination it can meet.
 */
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';
import { describe, expect, it } from 'vitest';
import { RPCResult } from 'telegram/tl/core/index.js';
import { rpcResult } from '../../src/sandbox/mtproto/envelope.js';
import { chatInviteImportersBytes } from '../../src/sandbox/mtproto/fast-tl.js';
import { big, userTl } from '../../src/sandbox/mtproto/tl.js';
import type { WorldImporter, WorldUser } from '../../src/sandbox/world.js';

const users: WorldUser[] = [
  { id: 7000001n, accessHash: -5n, firstName: 'Self' },
  { id: 9000001n, accessHash: 0x7fffffffffffffffn, firstName: 'Ann', lastName: 'Lée', username: 'ann_lee' },
  { id: 2n ** 40n + 3n, accessHash: -(2n ** 63n), firstName: 'Бот', isBot: true, username: 'some_bot' },
  { id: 9000003n, accessHash: 123n, firstName: 'x'.repeat(300) },
];
const rows: WorldImporter[] = [
  { userId: 9000001n, date: 1767226000, requested: false, viaChatlist: false, link: 'l' },
  { userId: 2n ** 40n + 3n, date: 1767226000, requested: false, viaChatlist: true, approvedBy: 7000001n, link: 'l' },
  { userId: 9000003n, date: 1, requested: true, viaChatlist: false, about: 'hi there ✓', link: null },
  { userId: 7000001n, date: 2147483647, requested: true, viaChatlist: false, link: null },
];

function viaGramJs(count: number): Buffer {
  return new Api.messages.ChatInviteImporters({
    count,
    importers: rows.map(
      (r) =>
        new Api.ChatInviteImporter({
          userId: big(r.userId),
          date: r.date,
          ...(r.requested ? { requested: true } : {}),
          ...(r.viaChatlist ? { viaChatlist: true } : {}),
          ...(r.requested && r.about !== undefined ? { about: r.about } : {}),
          ...(!r.requested && r.approvedBy !== undefined ? { approvedBy: big(r.approvedBy) } : {}),
        }),
    ),
    users: users.map((u) => userTl(u, 7000001n)),
  }).getBytes();
}

describe('sandbox fast TL serializer', () => {
  it('writes chatInviteImporters byte for byte like GramJS', () => {
    const fast = chatInviteImportersBytes(12345, rows, users, 7000001n).getBytes();
    expect(fast.toString('hex')).toBe(viaGramJs(12345).toString('hex'));
  });

  it('is read back by GramJS with the same values', () => {
    const parsed = new BinaryReader(chatInviteImportersBytes(4, rows, users, 7000001n).getBytes()).tgReadObject() as Api.messages.ChatInviteImporters;
    expect(parsed.count).toBe(4);
    expect(parsed.importers.map((i) => [i.userId.toString(), i.requested, i.about, i.approvedBy?.toString()])).toEqual([
      ['9000001', false, null, undefined],
      [(2n ** 40n + 3n).toString(), false, null, '7000001'],
      ['9000003', true, 'hi there ✓', undefined],
      ['7000001', true, null, undefined],
    ]);
    const self = parsed.users[0] as Api.User;
    expect(self.self).toBe(true);
    expect((parsed.users[2] as Api.User).accessHash?.toString()).toBe((-(2n ** 63n)).toString());
  });
});

describe('sandbox rpc_result envelope', () => {
  const body = chatInviteImportersBytes(4, rows, users, 7000001n).getBytes();

  it('gzip_packs a result above the threshold and GramJS unpacks the same bytes', async () => {
    const packed = rpcResult(77n, body, 64);
    expect(packed.readUInt32LE(12)).toBe(0x3072cfa1);
    const reader = new BinaryReader(packed);
    reader.readInt(false);
    const result = (await RPCResult.fromReader(reader)) as unknown as { reqMsgId: { toString(): string }; body: Buffer };
    expect(result.reqMsgId.toString()).toBe('77');
    expect(Buffer.from(result.body as Buffer).equals(body)).toBe(true);
  });

  it('sends a result at or below the threshold as is', () => {
    const plain = rpcResult(77n, body, body.length);
    expect(plain.subarray(12).equals(body)).toBe(true);
  });
});
