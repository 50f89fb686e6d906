/** Turns a parsed article and its extraction into the plain record the graph writer stores. */
import { type ArticleRecord, type EntityRecord, EVIDENCE_CAP } from '../graph/record.js';
import { type EntityType, entityKey } from '../graph/vocabulary.js';
import { splitSentences } from './text.js';
import type { Extraction, ParsedArticle } from './types.js';

export function toArticleRecord(
  article: ParsedArticle,
  extraction: Extraction,
  extractorVersion: string,
): ArticleRecord {
  const sentences: string[] = [];
  const sentenceParagraphs: number[] = [];
  article.paragraphs.forEach((p, i) => {
    for (const s of splitSentences(p)) {
      sentences.push(s);
      sentenceParagraphs.push(i);
    }
  });
  const byName = new Map<string, string>(); // `Type:key` of any name -> ref
  const entities: EntityRecord[] = [];
  for (const e of extraction.entities) {
    const ref = entityKey(e.type, e.name);
    if (byName.has(ref)) continue; // the extractor already merged; keep the first
    const names = [e.name, ...e.aliases.filter((a) => a && a !== e.name)];
    const keys = [...new Set(names.map((n) => entityKey(e.type, n)))];
    for (const k of keys) if (!byName.has(k)) byName.set(k, ref);
    const evidence = [...new Set(e.sites.map((s) => s.text))].slice(0, EVIDENCE_CAP);
    entities.push({
      ref,
      type: e.type,
      name: e.name,
      aliases: [...new Set(names.slice(1))],
      keys,
      count: Math.max(1, e.sites.length),
      evidence,
      paragraphs: [...new Set(e.sites.map((s) => s.paragraph))].sort((a, b) => a - b),
      sentences: [...new Set(e.sites.map((s) => s.sentence))].sort((a, b) => a - b),
      ...(e.type === 'Stock' ? { code: e.name.toLowerCase(), shortName: e.aliases[0] ?? '' } : {}),
    });
  }
  const ref = (type: EntityType, name: string) => byName.get(entityKey(type, name));
  const relation = (from: string | undefined, to: string | undefined, evidence: string | null, title?: string) =>
    from && to ? [{ from, to, evidence, ...(title ? { title } : {}) }] : [];

  return {
    id: article.id,
    title: article.title,
    originalTitle: article.hints.originalTitle ?? null,
    publishedAt: article.publishedAt,
    categories: article.categories,
    author: article.author,
    sourceUrl: article.sourceUrl,
    sourcePath: article.sourcePath,
    source: article.source ?? null,
    language: article.language ?? null,
    images: article.images,
    paragraphs: article.paragraphs,
    sentences,
    sentenceParagraphs,
    text: article.paragraphs.join('\n'),
    contentHash: article.contentHash,
    extractorVersion,
    entities,
    issued: extraction.issued.flatMap((i) => relation(ref('Agency', i.agency), ref('Policy', i.policy), i.evidence)),
    roles: extraction.roles.flatMap((r) =>
      relation(ref('Person', r.person), ref(r.orgType, r.org), r.evidence, r.title),
    ),
    listings: extraction.listings.flatMap((l) => relation(ref('Company', l.company), ref('Stock', l.stock), null)),
    journalists: extraction.journalists.map((j) => ref('Person', j)).filter((r): r is string => !!r),
    editor: (extraction.editor && ref('Person', extraction.editor)) || null,
  };
}
