/**
 * The name an entity is shown under. The graph stores the canonical (often full official)
 * name plus the other forms seen in text; analysts expect the form the articles use, so the
 * display name is the form that occurs most often in the entity's evidence sentences
 * (工信部 rather than 工业和信息化部). Ties keep the canonical name. Stocks show their short name.
 * The reads vote in Cypher (`displayNameCypher`, the same rule), so only the winner travels;
 * this is the rule in TypeScript, which tests hold the Cypher to.
 */
export function displayName(canonical: string, aliases: string[], evidence: string[]): string {
  const forms = [canonical, ...aliases.filter((a) => a && a !== canonical)];
  if (forms.length === 1) return canonical;
  let best = canonical;
  let bestCount = occurrences(canonical, forms, evidence);
  for (const form of forms.slice(1)) {
    const n = occurrences(form, forms, evidence);
    if (n > bestCount) {
      best = form;
      bestCount = n;
    }
  }
  return best;
}

/** Occurrences of `form`, not counting those inside a longer form (京东 inside 京东工业品). */
function occurrences(form: string, forms: string[], sentences: string[]): number {
  const longer = forms.filter((f) => f.length > form.length && f.includes(form));
  let n = 0;
  for (const s of sentences) {
    let text = s;
    for (const l of longer) text = text.split(l).join('\u0000');
    n += text.split(form).length - 1;
  }
  return n;
}

/**
 * `displayName` as a Cypher expression over the expressions `name` (canonical), `aliases` and
 * `evidence` (lists of strings): each form's occurrences, after the longer forms containing it are
 * blanked out, counted by how much removing the form shortens each sentence; the first form with
 * the strictly highest count wins. Built from constants only.
 */
export function displayNameCypher(name: string, aliases: string, evidence: string): string {
  const forms = `[${name}] + reduce(acc = [], a IN coalesce(${aliases}, []) | CASE WHEN a = '' OR a = ${name} OR a IN acc THEN acc ELSE acc + a END)`;
  const blanked = `reduce(t = s, l IN [x IN forms WHERE size(x) > size(f) AND x CONTAINS f] | replace(t, l, '\\u0000'))`;
  const count = `reduce(n = 0, s IN ${evidence} | n + [t IN [${blanked}] | (size(t) - size(replace(t, f, ''))) / size(f)][0])`;
  return `[forms IN [${forms}] | reduce(best = { form: ${name}, n: -1 }, c IN [f IN forms | { form: f, n: ${count} }] |
       CASE WHEN c.n > best.n THEN c ELSE best END).form][0]`;
}
