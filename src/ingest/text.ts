/** Text normalisation and sentence splitting shared by parsing, extraction and evaluation. */

// Name keys are the graph's id rule; the extractors compare names with them too.
export { nameKey } from '../graph/vocabulary.js';

/** Zero-width and control characters that crawlers leave in text. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028\u2029\u2060\uFEFF]/g;

/** Collapse whitespace, drop invisible characters; keeps full-width punctuation as written. */
export function cleanText(s: string): string {
  return s
    .replace(INVISIBLE, '')
    .replace(/[\s\u3000\u00A0]+/g, ' ')
    .trim();
}

/**
 * Split a paragraph into sentences at Chinese (and Latin) sentence ends, keeping the
 * terminator and any closing quote that follows it with the sentence.
 */
export function splitSentences(paragraph: string): string[] {
  const out: string[] = [];
  const re = /[^。！？!?；;…]*(?:[。！？!?；;]+|…+|$)[”’」』）)]*/g;
  for (const m of paragraph.matchAll(re)) {
    const s = m[0].trim();
    if (s) out.push(s);
  }
  return out;
}
