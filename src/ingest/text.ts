/** Text normalisation and sentence splitting shared by parsing, extraction and evaluation. */

/** Full-width ASCII (Ａ-Ｚ, ０-９, ...) to half-width, ideographic space to space. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** Zero-width and control characters that crawlers leave in text. */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200F\u2028\u2029\u2060\uFEFF]/g;

/** Collapse whitespace, drop invisible characters; keeps full-width punctuation as written. */
export function cleanText(s: string): string {
  return s.replace(INVISIBLE, '').replace(/[\s\u3000\u00A0]+/g, ' ').trim();
}

/** Key used to compare names: no spaces, half-width, lower-case Latin. */
export function nameKey(s: string): string {
  return toHalfWidth(s).replace(/\s+/g, '').toLowerCase();
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
