/** Entity ids in arguments: a Relay global ID, or the stored id such as `Agency:工业和信息化部`. */
import { decodeGlobalID } from '@pothos/plugin-relay';
import { ENTITY_TYPES } from '../graph/vocabulary.js';
import { badInput } from './errors.js';

const STORED_ENTITY_ID = new RegExp(`^(?:${ENTITY_TYPES.join('|')}):.+`);

export function toEntityId(id: string, argument = 'id'): string {
  if (STORED_ENTITY_ID.test(id)) return id;
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(id);
  } catch {
    throw badInput(
      `"${argument}" is not an entity id: give a global ID from \`id\` or a stored id like "Agency:工业和信息化部"`,
      { argument },
    );
  }
  if (!(ENTITY_TYPES as readonly string[]).includes(decoded.typename) || !STORED_ENTITY_ID.test(decoded.id)) {
    throw badInput(`"${argument}" is a ${decoded.typename} id, not an entity id`, { argument });
  }
  return decoded.id;
}

/**
 * What an article id argument may name: the plain article id, and, when it also decodes as an
 * Article's global ID, that article. A file may be named like another article's global ID, so
 * both are candidates and the plain id comes first.
 */
export function articleIdCandidates(id: string): string[] {
  try {
    const decoded = decodeGlobalID(id);
    if (decoded.typename === 'Article' && decoded.id !== id) return [id, decoded.id];
  } catch {
    /* a plain id */
  }
  return [id];
}
