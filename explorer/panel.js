// The side panel: an entity (names, relations, timeline, evidence with source articles),
// an article, or a path. Everything is built with el(): data is text, never markup.
import { el, externalLink, formatDate, highlighted, show } from './dom.js';
import { NODE_TYPES } from './graph.js';
import { sparkline } from './sparkline.js';

export function typeBadge(type) {
  const style = NODE_TYPES[type] ?? NODE_TYPES.ARTICLE;
  const badge = el('span', { class: 'badge', title: style.label }, style.label);
  badge.style.backgroundColor = style.color; // one colour table for graph, legend and badges
  return badge;
}

/** A button that selects an entity (graph + panel) via actions.focus. */
function entityButton(entity, actions) {
  return el(
    'button',
    { type: 'button', class: 'link entity-link', onclick: () => actions.focus(entity) },
    typeBadge(entity.type),
    ' ',
    entity.name,
  );
}

function articleLine(article, actions) {
  return el(
    'div',
    { class: 'article-line' },
    el(
      'button',
      { type: 'button', class: 'link article-title', onclick: () => actions.openArticle(article.id) },
      article.title,
    ),
    el(
      'span',
      { class: 'muted' },
      ' · ',
      el('time', { datetime: article.publishedAt ?? '' }, formatDate(article.publishedAt)),
    ),
    article.sourceUrl ? [' · ', externalLink(article.sourceUrl, 'source ↗')] : null,
  );
}

function section(title, ...children) {
  return el('section', { class: 'block' }, el('h3', {}, title), ...children);
}

/** Relations that the entity type has (ISSUED, listings, roles), each with a way to jump to the other side. */
function relations(entity, actions) {
  const rows = [];
  for (const i of entity.issued ?? []) rows.push(['ISSUED', i.policy, i.evidence]);
  for (const i of entity.issuedBy ?? []) rows.push(['ISSUED BY', i.agency, i.evidence]);
  for (const l of entity.stocks ?? []) rows.push(['LISTED AS', l.stock, []]);
  for (const l of entity.listedBy ?? []) rows.push(['LISTING OF', l.company, []]);
  for (const r of entity.roles ?? []) rows.push([r.title || 'ROLE AT', r.organization, []]);
  for (const p of entity.people ?? []) rows.push([p.title || 'PERSON', p.person, []]);
  if (!rows.length) return null;
  return section(
    'Relations',
    el(
      'ul',
      { class: 'relations' },
      rows.map(([kind, other, evidence]) =>
        el(
          'li',
          {},
          el('span', { class: 'rel-kind' }, kind),
          ' ',
          entityButton(other, actions),
          evidence.length
            ? el(
                'ul',
                { class: 'evidence small' },
                evidence.slice(0, 2).map((s) => el('li', {}, highlighted(s, [entity.name, other.name]))),
              )
            : null,
        ),
      ),
    ),
  );
}

/**
 * details: { entity, timeline } from api.entityDetails; evidence: { articles, more } from
 * api.entityEvidence, or an Error when only that part failed.
 */
export function renderEntity(container, details, evidence, actions) {
  const e = details.entity;
  const names = [e.name, e.canonicalName, ...e.aliases];
  const otherNames = [...new Set([e.canonicalName, ...e.aliases])].filter((n) => n !== e.name);
  show(
    container,
    el('header', { class: 'details-head' }, typeBadge(e.type), el('h2', {}, e.name)),
    el('p', { class: 'muted mono' }, e.entityId),
    el('p', {}, `${e.mentionCount} mentions in ${e.articleCount} article${e.articleCount === 1 ? '' : 's'}`),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', onclick: () => actions.expand(e) }, 'Expand in graph'),
      el('button', { type: 'button', onclick: () => actions.pathFrom(e) }, 'Path from here'),
      el('button', { type: 'button', onclick: () => actions.pathTo(e) }, 'Path to here'),
    ),
    actions.followSection(e),
    section(
      'Aliases',
      otherNames.length
        ? el(
            'ul',
            { class: 'chips aliases' },
            otherNames.map((n) => el('li', {}, n)),
          )
        : el('p', { class: 'muted' }, 'No other names seen.'),
    ),
    section('Mentions per month', sparkline(details.timeline)),
    relations(e, actions),
    section('Evidence and source articles', evidenceList(evidence, names, e, actions)),
  );
}

function evidenceList(evidence, names, entity, actions) {
  if (evidence instanceof Error) return el('p', { class: 'error' }, `Could not load the articles: ${evidence.message}`);
  if (!evidence.articles.length) return el('p', { class: 'muted' }, 'No articles mention it.');
  return [
    el(
      'ol',
      { class: 'sources' },
      evidence.articles.map((a) =>
        el(
          'li',
          { class: 'source' },
          articleLine(a, actions),
          a.evidence.length
            ? el(
                'ul',
                { class: 'evidence' },
                a.evidence.map((s) => el('li', {}, highlighted(s, names))),
              )
            : el('p', { class: 'muted small' }, 'Mentioned without a quotable sentence.'),
        ),
      ),
    ),
    evidence.more
      ? el(
          'p',
          { class: 'muted small' },
          `Showing the ${evidence.articles.length} newest of ${entity.articleCount} articles.`,
        )
      : null,
  ];
}

export function renderArticle(container, article, actions) {
  if (!article) return show(container, el('p', { class: 'error' }, 'That article no longer exists.'));
  show(
    container,
    el('header', { class: 'details-head' }, typeBadge('ARTICLE'), el('h2', {}, article.title)),
    el(
      'p',
      { class: 'muted' },
      el('time', { datetime: article.publishedAt ?? '' }, formatDate(article.publishedAt)),
      article.author ? ` · ${article.author}` : '',
      article.categories.length ? ` · ${article.categories.join('、')}` : '',
      article.sourceUrl ? [' · ', externalLink(article.sourceUrl, 'source ↗')] : null,
    ),
    section(
      'Mentioned entities',
      article.mentions.length
        ? el(
            'ul',
            { class: 'relations' },
            article.mentions.map((m) =>
              el(
                'li',
                {},
                entityButton(m.entity, actions),
                el('span', { class: 'muted small' }, ` ×${m.count}`),
                m.evidence.length
                  ? el('ul', { class: 'evidence small' }, el('li', {}, highlighted(m.evidence[0], [m.entity.name])))
                  : null,
              ),
            ),
          )
        : el('p', { class: 'muted' }, 'No entities found in it.'),
    ),
  );
}

const HOP_LABEL = {
  ISSUED: 'ISSUED',
  LISTED_AS: 'LISTED_AS',
  HOLDS_ROLE: 'HOLDS_ROLE',
  CO_MENTION: 'co-mentioned with',
};

export function renderPath(container, from, to, result, actions) {
  if (!result)
    return show(
      container,
      el('p', { class: 'muted' }, `No connection between ${from.name} and ${to.name} within that many hops.`),
    );
  if (!result.length)
    return show(container, el('p', { class: 'muted' }, `${from.name} and ${to.name} are the same entity.`));
  const byId = new Map(result.entities.map((e) => [e.id, e]));
  show(
    container,
    el('p', {}, `${result.length} hop${result.length === 1 ? '' : 's'} from ${from.name} to ${to.name}:`),
    el(
      'ol',
      { class: 'path-steps' },
      result.hops.map((h) =>
        el(
          'li',
          {},
          entityButton(byId.get(h.from.id), actions),
          el('span', { class: 'rel-kind' }, ` — ${HOP_LABEL[h.type] ?? h.type} — `),
          entityButton(byId.get(h.to.id), actions),
          h.articles.length
            ? el(
                'ul',
                { class: 'small' },
                h.articles.slice(0, 3).map((a) => el('li', {}, articleLine(a, actions))),
              )
            : null,
        ),
      ),
    ),
    el('button', { type: 'button', onclick: actions.clearPath }, 'Clear highlight'),
  );
}

export function renderMessage(container, text, kind = 'muted') {
  show(container, el('p', { class: kind }, text));
}
