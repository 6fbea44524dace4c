/** What a Bot API method handler gets: the world, the server's state, and the call's parameters. */
import type { World } from '../world.js';
import type { Params } from './params.js';
import type { BotState } from './state.js';

/** A file sent as a multipart part (grammY's InputFile). */
export class Upload {
  constructor(
    readonly name: string,
    readonly mime: string,
    readonly bytes: Buffer,
  ) {}

  get size(): number {
    return this.bytes.length;
  }
}

export interface MethodContext {
  world: World;
  state: BotState;
  params: Params;
  method: string;
  /** Resolves when the HTTP request is closed early (an aborted long poll). */
  onClose?: (cb: () => void) => void;
}

export type Method = (c: MethodContext) => unknown;
