/** Schema migrations: constraints and indexes, applied idempotently at startup. */
import type { Driver } from 'neo4j-driver';
import { ENTITY_TYPES } from '../graph/vocabulary.js';
import { ensureDerived } from './derived-verify.js';
import { ensureMentionKeys, MENTION_KEY_INDEX } from './mention-keys.js';

/** Statements are constants (labels cannot be parameters); no user data goes into them. */
export const MIGRATIONS: string[] = [
  'CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE',
  ...ENTITY_TYPES.map(
    (t) => `CREATE CONSTRAINT ${t.toLowerCase()}_id IF NOT EXISTS FOR (n:${t}) REQUIRE n.id IS UNIQUE`,
  ),
  'CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE',
  // One Alias node per (type, normalised name): exact lookups by any name are index seeks.
  'CREATE CONSTRAINT alias_key IF NOT EXISTS FOR (a:Alias) REQUIRE a.key IS UNIQUE',
  // One marker per graph-format fact (e.g. which version of the derived relationships it holds).
  'CREATE CONSTRAINT graph_meta_key IF NOT EXISTS FOR (m:GraphMeta) REQUIRE m.key IS UNIQUE',
  // The change feed (changes-write.ts): one record per seq, read by range `seq > $last`.
  'CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:Change) REQUIRE c.seq IS UNIQUE',
  'CREATE INDEX stock_code IF NOT EXISTS FOR (s:Stock) ON (s.code)',
  // The derived rows' own key (derived-model.ts CoProps.pair): the writer updates a row in one seek.
  'CREATE INDEX co_mentioned_pair IF NOT EXISTS FOR ()-[r:CO_MENTIONED]-() ON (r.pair)',
  'CREATE INDEX linked_company_pair IF NOT EXISTS FOR ()-[r:LINKED_COMPANY]-() ON (r.pair)',
  'CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.publishedAt)',
  MENTION_KEY_INDEX,
  ...ENTITY_TYPES.map((t) => `CREATE INDEX ${t.toLowerCase()}_name IF NOT EXISTS FOR (n:${t}) ON (n.name)`),
  'CREATE TEXT INDEX policy_name_text IF NOT EXISTS FOR (p:Policy) ON (p.name)',
  `CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:${ENTITY_TYPES.join('|')}) ON EACH [n.name, n.aliasText]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'cjk', \`fulltext.eventually_consistent\`: true } }`,
  `CREATE FULLTEXT INDEX article_text IF NOT EXISTS FOR (a:Article) ON EACH [a.title, a.text]
     OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'cjk', \`fulltext.eventually_consistent\`: true } }`,
];

/**
 * Full-text indexes are updated in the background after commit (eventually consistent):
 * Lucene analysis of every article inside the write transaction halved ingest speed.
 * Older graphs made with synchronous indexes get them rebuilt once, and so does `entity_names`
 * when the vocabulary gained an entity type (CREATE … IF NOT EXISTS would keep the old labels).
 */
const OUTDATED_FULLTEXT = `SHOW FULLTEXT INDEXES YIELD name, options, labelsOrTypes
  WHERE name IN ['entity_names', 'article_text'] AND (NOT coalesce(options.indexConfig['fulltext.eventually_consistent'], false)
    OR (name = 'entity_names' AND (size(labelsOrTypes) <> size($entityTypes) OR any(t IN $entityTypes WHERE NOT t IN labelsOrTypes))))
  RETURN name`;

/**
 * `IF NOT EXISTS` is checked before the schema lock: when two processes start on a fresh database,
 * the slower one's statement fails although the rule it asked for now exists, which is what it wanted.
 */
const CREATED_MEANWHILE = new Set(['Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists']);

function ignoreIfCreatedMeanwhile(err: unknown): void {
  if (!CREATED_MEANWHILE.has((err as { code?: string })?.code ?? '')) throw err;
}

export async function migrate(driver: Driver, database?: string): Promise<void> {
  const { records } = await driver.executeQuery(OUTDATED_FULLTEXT, { entityTypes: ENTITY_TYPES }, { database });
  for (const r of records) {
    const name = r.get('name') as string;
    if (name === 'entity_names' || name === 'article_text')
      await driver.executeQuery(`DROP INDEX ${name} IF EXISTS`, {}, { database });
  }
  for (const statement of MIGRATIONS) {
    await driver.executeQuery(statement, {}, { database }).catch(ignoreIfCreatedMeanwhile);
  }
  await driver.executeQuery('CALL db.awaitIndexes(300)', {}, { database });
  await ensureMentionKeys(driver, database);
  // CO_MENTIONED / LINKED_COMPANY for a graph written before they existed (or by an older version of them)
  await ensureDerived(driver, database);
}
