/**
 * The name an entity is shown under. The graph stores the canonical (often full official)
 * name plus the other forms seen in text; analysts expect the form the articles use, so the
 * display name is the form that occurs most often in the entity's evidence sentences
 * (工信部 rather than 工业和信息化部). Ties keep the canonical name. Stocks show their short name.
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
