/**
 * Mention keys: every MENTIONS edge carries copies of its ends' keys (`entityId`, `articleId`) and
 * of the article's date (`publishedAt`), indexed together (`mention_entity_date`). Neo4j keeps a
 * node's relationships in no order, so "an entity's newest articles" otherwise reads and sorts all
 * of the entity's mentions; on the index it is an ordered seek that stops at the page size
 * (entities-read.ts ARTICLES_MENTIONING). The writer sets them when it creates a mention
 * (articles-write.ts; an article's mentions are recreated on every write of it).
 */
import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { markerVersion, setMarkerVersion } from './graph-meta.js';

/** Undated mentions lack `publishedAt` and so stay out of the index (a range index skips them). */
export const MENTION_KEY_INDEX =
  'CREATE INDEX mention_entity_date IF NOT EXISTS FOR ()-[m:MENTIONS]-() ON (m.entityId, m.publishedAt, m.articleId)';

const MARKER = 'mentionKeys';
const VERSION = 1;

/**
 * For a graph written before the keys existed: copies them onto every mention lacking them, in
 * transactions of 10,000 edges (CALL … IN TRANSACTIONS needs an auto-commit transaction, so a
 * session's `run`), then records the marker so later starts skip the scan.
 */
export async function ensureMentionKeys(driver: Driver, database?: string): Promise<void> {
  if ((await markerVersion(driver, MARKER, database)) >= VERSION) return;
  const session = driver.session({ database, defaultAccessMode: neo4j.session.WRITE });
  try {
    await session.run(
      `MATCH (a:Article)-[m:MENTIONS]->(e:Entity) WHERE m.entityId IS NULL
       CALL (a, m, e) { SET m.entityId = e.id, m.articleId = a.id, m.publishedAt = a.publishedAt } IN TRANSACTIONS OF 10000 ROWS`,
    );
  } finally {
    await session.close();
  }
  await setMarkerVersion(driver, MARKER, VERSION, database);
}

type KeyCopies = { entityId: string | null; articleId: string | null; publishedAt: string | null };

export interface MentionKeyDifference {
  articleId: string;
  entityId: string;
  /** what the copies should be (the ends' keys and the article's date as text) and what is stored */
  expected: KeyCopies;
  stored: KeyCopies;
}

const DISAGREEING = `MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
     WHERE m.entityId IS NULL OR m.entityId <> e.id OR m.articleId IS NULL OR m.articleId <> a.id
        OR coalesce(toString(m.publishedAt), '') <> coalesce(toString(a.publishedAt), '')`;

/** Mentions whose key copies disagree with their ends (at most `limit`): what `verify` reports. */
export async function mentionKeyDifferences(
  tx: Pick<ManagedTransaction, 'run'>,
  limit = 1000,
): Promise<MentionKeyDifference[]> {
  const res = await tx.run(
    `${DISAGREEING}
     RETURN a.id AS articleId, e.id AS entityId,
            { entityId: e.id, articleId: a.id, publishedAt: toString(a.publishedAt) } AS expected,
            { entityId: m.entityId, articleId: m.articleId, publishedAt: toString(m.publishedAt) } AS stored
     LIMIT $limit`,
    { limit: neo4j.int(limit) },
  );
  return res.records.map((r) => ({
    articleId: r.get('articleId') as string,
    entityId: r.get('entityId') as string,
    expected: r.get('expected') as KeyCopies,
    stored: r.get('stored') as KeyCopies,
  }));
}

/** Rewrites every disagreeing copy from its ends (the derived rebuild's share); returns how many. */
export async function repairMentionKeys(tx: Pick<ManagedTransaction, 'run'>): Promise<number> {
  const res = await tx.run(
    `${DISAGREEING}
     SET m.entityId = e.id, m.articleId = a.id, m.publishedAt = a.publishedAt
     RETURN count(m) AS repaired`,
  );
  return Number(res.records[0].get('repaired'));
}
