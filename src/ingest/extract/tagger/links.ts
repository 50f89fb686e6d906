/**
 * Short and full forms of one entity, joined only where a gazetteer says so: two forms of a listed
 * company (平安银行 / 平安银行股份有限公司 / a former name) or of a central body (发改委 / 国家发展改革委)
 * that both occur in the article become one entity under the longest form used.
 */
import { nameKey } from '../../text.js';
import { centralBodies, listedCompanies } from './gazetteers.js';

let groupOf: Map<string, number> | undefined;

function groups(): Map<string, number> {
  if (!groupOf) {
    groupOf = new Map();
    let id = 0;
    for (const g of listedCompanies()) {
      for (const n of g) if (!groupOf.has(`Company:${nameKey(n)}`)) groupOf.set(`Company:${nameKey(n)}`, id);
      id++;
    }
    for (const g of centralBodies()) {
      for (const n of g) if (!groupOf.has(`Agency:${nameKey(n)}`)) groupOf.set(`Agency:${nameKey(n)}`, id);
      id++;
    }
  }
  return groupOf;
}

/** Links `type:form` -> longest form of the same gazetteer entry among `forms` (the forms the article uses). */
export function gazetteerLinks(type: 'Company' | 'Agency', forms: string[]): Map<string, string> {
  const g = groups();
  const byGroup = new Map<number, string[]>();
  for (const f of forms) {
    const id = g.get(`${type}:${nameKey(f)}`);
    if (id !== undefined) byGroup.set(id, [...(byGroup.get(id) ?? []), f]);
  }
  const links = new Map<string, string>();
  for (const fs of byGroup.values()) {
    if (fs.length < 2) continue;
    const target = [...fs].sort((a, b) => b.length - a.length || a.localeCompare(b))[0];
    for (const f of fs) if (f !== target) links.set(`${type}:${f}`, target);
  }
  return links;
}
