/** The article as a list of sentences with their indexes, the unit every extractor works on. */
import { splitSentences } from '../text.js';
import type { EntityType, MentionSite, PageHints } from '../types.js';
import { type Token, tokenize } from './segment.js';

export interface Sentence {
  /** paragraph index, -1 = title */
  paragraph: number;
  /** sentence index across the article, -1 = title */
  index: number;
  text: string;
}

export class Doc {
  readonly sentences: Sentence[] = [];
  private tokenCache = new Map<number, Token[]>();

  constructor(
    readonly id: string,
    title: string,
    paragraphs: string[],
    readonly hints: PageHints,
  ) {
    const titles = [title, hints.originalTitle].filter((t): t is string => !!t && t.trim() !== '');
    for (const t of new Set(titles)) this.sentences.push({ paragraph: -1, index: -1, text: t });
    let n = 0;
    paragraphs.forEach((p, pi) => {
      for (const s of splitSentences(p)) this.sentences.push({ paragraph: pi, index: n++, text: s });
    });
  }

  /** Tokens of sentence `i` (position in `sentences`), segmented on first use. */
  tokens(i: number): Token[] {
    let t = this.tokenCache.get(i);
    if (!t) {
      t = tokenize(this.sentences[i].text);
      this.tokenCache.set(i, t);
    }
    return t;
  }

  site(i: number): MentionSite {
    const s = this.sentences[i];
    return { paragraph: s.paragraph, sentence: s.index, text: s.text };
  }
}

/** One occurrence of an entity candidate: sentence position in Doc.sentences and character span. */
export interface Mention {
  type: EntityType;
  surface: string;
  sent: number;
  start: number;
  end: number;
  /** canonical name when a lexicon knows it (full official name) */
  canonical?: string;
  /** higher wins when spans of equal length collide */
  prio: number;
}

export function mention(
  type: Mention['type'],
  sent: number,
  start: number,
  surface: string,
  prio = 1,
  canonical?: string,
): Mention {
  return { type, surface, sent, start, end: start + surface.length, prio, canonical };
}

/**
 * The mentions of each sentence: checks between two mentions only ever compare those of one sentence,
 * and a long article has thousands of them (comparing each with every other is quadratic).
 */
export function bySentence(mentions: Iterable<Mention>): (sent: number) => readonly Mention[] {
  const lists = new Map<number, Mention[]>();
  for (const m of mentions) {
    const list = lists.get(m.sent);
    if (list) list.push(m);
    else lists.set(m.sent, [m]);
  }
  return (sent) => lists.get(sent) ?? [];
}

export const HAN = /[\u4e00-\u9fff]/;
export const isHan = (c: string | undefined) => !!c && HAN.test(c);
