/**
 * A per-request budget on article text (paragraphs, sentences, text). Article bodies are most of
 * the bytes the API can serve, and aliases repeat them: 15 aliases of one 7 MB article once made a
 * 342 MB reply. Each body field is charged before it is loaded, from the size stored with the
 * article, so a request over the budget gets RESPONSE_TOO_LARGE instead of the memory it asked for.
 */
import { apiError } from './errors.js';

/** UTF-8 bytes per character of Chinese text: the charge is an upper bound for any text. */
const BYTES_PER_CHAR = 3;

export class TextBudget {
  private spent = 0;

  constructor(readonly limitBytes: number) {}

  /** Reserves one body field of an article of `chars` characters; throws once the request is over the limit. */
  charge(articleId: string, chars: number): void {
    const bytes = chars * BYTES_PER_CHAR;
    if (this.spent + bytes > this.limitBytes) {
      throw apiError(
        'RESPONSE_TOO_LARGE',
        `this request asks for more than ${formatMiB(this.limitBytes)} of article text (article ${JSON.stringify(articleId)} would bring it to ${formatMiB(this.spent + bytes)}); ask for fewer articles or fewer of paragraphs/sentences/text`,
        { limitBytes: this.limitBytes },
      );
    }
    this.spent += bytes;
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
