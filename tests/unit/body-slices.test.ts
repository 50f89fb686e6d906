import { describe, expect, it } from 'vitest';
import { bodySlices } from '../../src/db/articles-write.js';

/** An article body of n paragraphs of two sentences each, as the parser makes it. */
function body(n: number, paragraph = '这是一段很长的文字，用来测试分片。第二句话在这里。') {
  const paragraphs = Array.from({ length: n }, (_, i) => `${i}${paragraph}`);
  const sentences = paragraphs.flatMap((p) => p.split(/(?<=。)/).filter(Boolean));
  const sentenceParagraphs = paragraphs.flatMap((_, i) => [i, i]);
  return { paragraphs, sentences, sentenceParagraphs, text: paragraphs.join('\n') };
}

describe('bodySlices', () => {
  it('keeps a short article in one slice, as it is', () => {
    const b = body(20);
    expect(bodySlices(b)).toEqual([b]);
  });

  it('cuts a long article into slices of at most 64 Ki characters each that join back to the body', () => {
    const b = body(20_000);
    const slices = bodySlices(b);
    expect(slices.length).toBeGreaterThanOrEqual(Math.ceil(b.text.length / (64 * 1024)));
    expect(slices.length).toBeGreaterThan(5);
    for (const s of slices) {
      expect(s.text.length).toBeLessThanOrEqual(64 * 1024);
      expect(s.paragraphs.join('').length).toBeLessThanOrEqual(64 * 1024);
      expect(s.sentences.join('').length).toBeLessThanOrEqual(64 * 1024);
      expect(s.sentenceParagraphs).toHaveLength(s.sentences.length);
    }
    expect(slices.map((s) => s.text).join('')).toBe(b.text);
    expect(slices.flatMap((s) => s.paragraphs)).toEqual(b.paragraphs);
    expect(slices.flatMap((s) => s.sentences)).toEqual(b.sentences);
    expect(slices.flatMap((s) => s.sentenceParagraphs)).toEqual(b.sentenceParagraphs);
  });

  it('gives a paragraph longer than a slice a slice of its own', () => {
    const b = body(3, '长'.repeat(100_000));
    const slices = bodySlices(b);
    expect(slices.map((s) => s.paragraphs.length)).toEqual([1, 1, 1, 0, 0]);
    expect(slices.flatMap((s) => s.paragraphs)).toEqual(b.paragraphs);
    expect(slices.map((s) => s.text).join('')).toBe(b.text);
  });
});
