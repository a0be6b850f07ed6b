import { detach } from './detach.ts';

/**
 * Integer ids for the tokens that templates hold, so the tree's similarity scan compares numbers
 * instead of strings (a busy leaf holds hundreds of clusters, each compared with every line
 * routed to it). Only tokens stored in a template get an id: a line's other tokens can equal
 * no template token, so they share the id `UNKNOWN`, and the table grows with the templates,
 * not with the distinct tokens of a huge log. Id 0 is the wildcard.
 */
export const WILDCARD = '<*>';
export const WILDCARD_ID = 0;
export const UNKNOWN = -1;

/** `<NUM>`, `<HEX>`…: a masked variable (the wildcard itself has this shape too). */
export function isPlaceholder(token: string): boolean {
  return token.charCodeAt(0) === 60 && token.length > 2 && token.charCodeAt(token.length - 1) === 62;
}

export class TokenIds {
  private readonly ids = new Map<string, number>([[WILDCARD, WILDCARD_ID]]);
  /** 1 where the id's token is a placeholder, by id. */
  placeholder = new Uint8Array(1024);

  constructor() {
    this.placeholder[WILDCARD_ID] = 1;
  }

  /** The id of a token already in a template, or `UNKNOWN`. */
  find(token: string): number {
    return this.ids.get(token) ?? UNKNOWN;
  }

  /** The id of a token about to be stored in a template, assigning one if needed. */
  intern(token: string): number {
    let id = this.ids.get(token);
    if (id !== undefined) return id;
    id = this.ids.size;
    this.ids.set(detach(token), id);
    if (id >= this.placeholder.length) {
      const next = new Uint8Array(this.placeholder.length * 2);
      next.set(this.placeholder);
      this.placeholder = next;
    }
    this.placeholder[id] = isPlaceholder(token) ? 1 : 0;
    return id;
  }
}
