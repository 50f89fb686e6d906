// The Explorer page: search → neighbourhood graph → details, evidence and paths.
// State lives here; api.js talks to /graphql, graph.js draws, panel.js renders details.
import * as api from './api.js';
import { el, formatDate, highlighted, show } from './dom.js';
import { createGraph, MAX_GRAPH_NODES, NODE_TYPES } from './graph.js';
import { follow } from './live.js';
import { renderArticle, renderEntity, renderMessage, renderPath, typeBadge } from './panel.js';

const FIRST_LIMIT = 40; // nodes around a searched entity: readable at a glance
const EXPAND_LIMIT = 15; // nodes a click adds: the graph grows without drowning
const MAX_LIMIT = 200; // the API's maximum for neighborhood(limit)
const LIVE_ITEMS = 20; // the newest live events the panel keeps

const $ = (id) => document.getElementById(id);
const ui = {
  searchForm: $('search-form'),
  searchInput: /** @type {HTMLInputElement} */ ($('search-input')),
  results: $('results'),
  message: $('message'),
  status: $('graph-status'),
  placeholder: $('graph-placeholder'),
  suggestions: $('suggestions'),
  details: $('details'),
  pathForm: $('path-form'),
  pathFrom: /** @type {HTMLInputElement} */ ($('path-from')),
  pathTo: /** @type {HTMLInputElement} */ ($('path-to')),
  pathHops: /** @type {HTMLSelectElement} */ ($('path-hops')),
  pathResult: $('path-result'),
  legend: $('legend'),
};

const state = {
  /** entity id → its last neighbourhood view: { limit, shown, capped, dropped } */
  views: new Map(),
  /** the entity whose neighbourhood the status bar reports on */
  focus: null,
  /** entities picked with "Path from/to here", used while the input still shows their name */
  pathEnds: { from: null, to: null },
  /** latest request per panel, so a slow old answer never replaces a newer one */
  seq: { search: 0, panel: 0 },
  pending: 0,
  /** the followed entity's live session (see "follow" below), or null */
  follow: null,
  /** an API key typed in for subscriptions on a NEWSGRAPH_API_KEY server: this page's memory only */
  apiKey: null,
};

/** Counts requests in flight on <body data-pending>: tests (and CSS) can wait for 0. */
async function track(promise) {
  document.body.dataset.pending = String(++state.pending);
  try {
    return await promise;
  } finally {
    document.body.dataset.pending = String(--state.pending);
  }
}

function showMessage(text) {
  show(ui.message, text, ' ', el('button', { type: 'button', class: 'link', onclick: hideMessage }, 'dismiss'));
  ui.message.hidden = false;
}

function hideMessage() {
  ui.message.hidden = true;
}

// ---- graph ---------------------------------------------------------------------------

/** A stand-in when cytoscape did not load, so search and details keep working. */
function noGraph() {
  const nothing = () => {};
  return {
    cy: null,
    merge: () => ({ added: 0, dropped: 0, ids: [] }),
    addPath: nothing,
    clearPath: nothing,
    select: nothing,
    highlight: nothing,
    markCentre: nothing,
    markExpanded: nothing,
    reset: nothing,
    has: () => false,
    size: () => 0,
  };
}

let graph;
try {
  graph = createGraph($('cy'), { onTap: (node) => void tapNode(node) });
} catch (err) {
  graph = noGraph();
  showMessage(
    `The graph library did not load (/explore/vendor/cytoscape.min.js): ${err.message}. Search and details still work.`,
  );
}

/** Whether the server cut the view short; mirrors the caps in src/analysis/neighborhood.ts. */
function wasCapped(view, limit) {
  const articleSlots = Math.min(10, Math.floor(limit / 5));
  const entities = view.nodes.filter((n) => n.type !== 'ARTICLE').length;
  return view.nodes.length >= limit || entities >= limit - articleSlots;
}

async function loadNeighbourhood(entity, limit, { fresh = false } = {}) {
  renderStatus(`Loading the neighbourhood of ${entity.name}…`);
  try {
    const view = await track(api.neighborhood(entity.id, limit));
    if (fresh) graph.reset();
    const { dropped } = graph.merge(view, entity.id);
    state.views.set(entity.id, { limit, shown: view.nodes.length - 1, capped: wasCapped(view, limit), dropped });
    state.focus = entity;
    if (fresh) graph.markCentre(entity.id);
    graph.markExpanded(entity.id);
    graph.select(entity.id);
    ui.placeholder.hidden = true;
    renderStatus();
  } catch (err) {
    renderStatus(`Could not load the neighbourhood of ${entity.name}.`);
    showMessage(`Graph: ${err.message}`);
  }
}

/** The status bar: graph size, and for the focused entity whether its neighbourhood was capped. */
function renderStatus(text) {
  if (text) return show(ui.status, text);
  const f = state.focus && state.views.get(state.focus.id);
  if (!f) return show(ui.status, '');
  const parts = [`${graph.size()} nodes · ${state.focus.name}: ${f.shown} neighbours shown`];
  if (f.capped && f.limit < MAX_LIMIT) {
    parts.push(
      ' (the strongest; capped at ',
      String(f.limit),
      ' nodes) ',
      el('button', { type: 'button', id: 'show-more', onclick: showMore }, 'Show more'),
    );
  } else if (f.capped) {
    parts.push(` (the ${MAX_LIMIT} strongest, the maximum)`);
  } else {
    parts.push(' (all)');
  }
  if (f.dropped || graph.size() >= MAX_GRAPH_NODES)
    parts.push(` · graph full at ${MAX_GRAPH_NODES} nodes: search again to start over`);
  show(ui.status, ...parts);
}

function showMore() {
  const f = state.focus && state.views.get(state.focus.id);
  if (!f) return;
  const next = Math.min(MAX_LIMIT, Math.max(f.limit * 2, f.limit + 20));
  void loadNeighbourhood(state.focus, next);
}

/** A click on a node: articles open in the panel; entities are expanded and shown. */
async function tapNode(node) {
  graph.select(node.id);
  if (node.type === 'ARTICLE') return openArticle(node.id);
  const entity = { id: node.id, name: node.name, type: node.type };
  void showEntity(entity);
  if (!state.views.has(node.id)) return loadNeighbourhood(entity, EXPAND_LIMIT);
  state.focus = entity;
  renderStatus();
}

/** Starts over around an entity (from search, a suggestion or the URL). */
async function openEntity(entity) {
  hideResults();
  state.views.clear();
  graph.clearPath();
  history.replaceState(null, '', `#entity=${encodeURIComponent(entity.id)}`);
  await Promise.all([loadNeighbourhood(entity, FIRST_LIMIT, { fresh: true }), showEntity(entity)]);
}

/** From a panel link: select the entity in the graph, adding it (with its neighbours) if absent. */
async function focusEntity(entity) {
  if (graph.has(entity.id)) return tapNode({ id: entity.id, name: entity.name, type: entity.type });
  void showEntity(entity);
  await loadNeighbourhood(entity, EXPAND_LIMIT);
}

// ---- panel ---------------------------------------------------------------------------

const actions = {
  focus: (entity) => void focusEntity(entity),
  expand: (entity) =>
    void loadNeighbourhood(entity, Math.min(MAX_LIMIT, (state.views.get(entity.id)?.limit ?? EXPAND_LIMIT) * 2)),
  openArticle: (id) => void openArticle(id),
  pathFrom: (entity) => setPathEnd('from', entity),
  pathTo: (entity) => setPathEnd('to', entity),
  clearPath: () => {
    graph.clearPath();
    show(ui.pathResult);
  },
  followSection: (entity) => followSection(entity),
};

async function showEntity(entity) {
  if (state.follow && state.follow.entity.id !== entity.id) stopFollow();
  const seq = ++state.seq.panel;
  renderMessage(ui.details, `Loading ${entity.name ?? 'entity'}…`);
  try {
    const details = await track(api.entityDetails(entity.id));
    if (seq !== state.seq.panel) return;
    if (!details.entity)
      return renderMessage(
        ui.details,
        'This entity no longer exists (the articles mentioning it were removed).',
        'error',
      );
    const evidence = await track(api.entityEvidence(details.entity.id, details.entity.type).catch((err) => err));
    if (seq !== state.seq.panel) return;
    renderEntity(ui.details, details, evidence, actions);
  } catch (err) {
    if (seq === state.seq.panel) renderMessage(ui.details, `Could not load the details: ${err.message}`, 'error');
  }
}

async function openArticle(id) {
  stopFollow();
  const seq = ++state.seq.panel;
  renderMessage(ui.details, 'Loading the article…');
  try {
    const article = await track(api.article(id));
    if (seq === state.seq.panel) renderArticle(ui.details, article, actions);
  } catch (err) {
    if (seq === state.seq.panel) renderMessage(ui.details, `Could not load the article: ${err.message}`, 'error');
  }
}

// ---- follow: live updates for the entity in the panel --------------------------------
// One entity at a time; the stream closes on Unfollow, when the panel shows something else,
// and when the page goes away. Every event is keyed (article, link, ISSUED edge), so one that
// arrives twice (an entityMentioned and a policyLinked of one article, or a catch-up after a
// reconnection) is shown once.

const followUi = el('section', { id: 'follow', class: 'block follow' });
const followHead = el('div', { class: 'follow-head' });

/** The panel's Follow block for this entity: the running session's, or a fresh toggle. */
function followSection(entity) {
  renderFollow(entity);
  return followUi;
}

function startFollow(entity) {
  stopFollow();
  const session = {
    entity,
    /** keys of the events shown */
    seen: new Set(),
    /** keys of the articles there when following began (null until read): not news for a catch-up */
    known: null,
    /** the live list, newest first (its lines are built once) */
    list: el('ol', { id: 'live-list', class: 'live-list', 'aria-live': 'polite' }),
    count: 0,
    status: { phase: 'connecting', message: '', code: null, retryMs: 0 },
    live: null,
  };
  state.follow = session;
  const current = () => state.follow === session;
  // What is there already, for a catch-up after a reconnection to tell what it missed. Events
  // themselves need no such check: the server sends each once, and only what a write made new.
  track(api.recentMentions(entity.id)).then(
    (rows) => markKnown(session, rows),
    () => {}, // then the first catch-up sets what is known
  );
  session.live = follow(api.followSubscriptions(entity), {
    apiKey: state.apiKey,
    onEvent: (field, value) => current() && liveEvent(session, field, value),
    onState: (status) => {
      if (!current()) return;
      session.status = status;
      renderFollow(entity);
    },
    onReconnect: () => void catchUp(session),
  });
  renderFollow(entity);
}

function stopFollow() {
  const session = state.follow;
  if (!session) return;
  state.follow = null;
  session.live.stop();
  if (followUi.isConnected) renderFollow(session.entity);
}

function markKnown(session, rows) {
  session.known = new Set([...(session.known ?? []), ...rows.map((row) => `m|${row.articleId}`)]);
}

/** After a reconnection: what was written meanwhile, as far as the newest articles show it. */
async function catchUp(session) {
  try {
    const rows = await track(api.recentMentions(session.entity.id));
    if (state.follow !== session) return;
    // without the articles known when following began, old and new cannot be told apart
    if (!session.known) return markKnown(session, rows);
    for (const row of rows.reverse())
      if (!session.known.has(`m|${row.articleId}`)) liveEvent(session, 'entityMentioned', row);
  } catch {
    // the stream is back; a failed catch-up only means fewer highlights
  }
}

/** An event: adds what it makes new to the graph (highlighted) and a line to the live list. */
function liveEvent(session, field, value) {
  if (!value) return;
  const centre = session.entity;
  const self = { id: centre.id, key: centre.entityId, name: centre.name, type: centre.type };
  const asNode = (e) => ({ id: e.id, key: e.entityId, name: e.name, type: e.type });
  let key;
  let view;
  let item;
  if (field === 'entityMentioned') {
    const a = value.article;
    if (!a) return;
    key = `m|${a.articleId}`;
    const others = a.mentions.map((m) => m.entity).filter((e) => e.id !== centre.id);
    view = {
      nodes: [self, { id: a.id, key: a.articleId, name: a.title, type: 'ARTICLE' }, ...others.map(asNode)],
      edges: [
        { source: a.id, target: centre.id, type: 'MENTIONS', weight: value.count, label: null },
        ...others.map((o) => ({ source: centre.id, target: o.id, type: 'CO_MENTION', weight: 1, label: null })),
      ],
    };
    // the title is often the first sentence that mentions it: show the body's
    const body = value.evidence.filter((sentence) => sentence.trim() !== a.title.trim());
    item = { what: a.title, evidence: (body.length ? body : value.evidence).slice(0, 2), others, article: true };
  } else if (field === 'policyLinked') {
    const c = value.company;
    if (!c) return;
    key = `p|${value.companyId}|${value.articleIds.join(',')}`;
    view = {
      nodes: [self, asNode(c)],
      edges: [{ source: centre.id, target: c.id, type: 'CO_MENTION', weight: 1, label: null }],
    };
    item = { what: `Linked company: ${c.name}`, evidence: value.evidence.slice(0, 2), others: [c] };
  } else if (field === 'issued') {
    const p = value.policy;
    if (!p) return;
    key = `i|${value.policyId}`;
    view = {
      nodes: [self, asNode(p)],
      edges: [{ source: centre.id, target: p.id, type: 'ISSUED', weight: 1, label: null }],
    };
    item = { what: `Issued: ${p.name}`, evidence: value.evidence.slice(0, 2), others: [p] };
  } else return;
  if (session.seen.has(key)) return;
  session.seen.add(key);

  ui.placeholder.hidden = true;
  const { ids } = graph.merge(view, centre.id);
  graph.highlight([...ids, ...item.others.map((o) => o.id)]);
  renderStatus();
  session.count++;
  session.list.prepend(liveItem(item, centre));
  while (session.list.children.length > LIVE_ITEMS) session.list.lastElementChild.remove();
  renderFollow(centre);
}

const PHASE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live: new mentions are highlighted as they arrive.',
};

function renderFollow(entity) {
  const session = state.follow?.entity.id === entity.id ? state.follow : null;
  followUi.dataset.phase = session ? session.status.phase : 'off';
  const toggle = el(
    'button',
    {
      type: 'button',
      id: 'follow-toggle',
      class: session ? 'following' : null,
      'aria-pressed': session ? 'true' : 'false',
      title: 'Highlight new neighbours and evidence as articles arrive',
      onclick: () => (session ? stopFollow() : startFollow(entity)),
    },
    session ? 'Following' : 'Follow',
    session ? el('span', { class: 'count', id: 'follow-count' }, String(session.count)) : null,
  );
  if (!session) show(followHead, toggle);
  else {
    const { phase, message, retryMs, code } = session.status;
    const text =
      phase === 'retrying'
        ? `${message} Reconnecting in ${Math.round(retryMs / 1000)} s…`
        : message || PHASE_TEXT[phase] || '';
    const trouble = phase === 'refused' || phase === 'retrying';
    show(
      followHead,
      toggle,
      el('p', { id: 'follow-status', class: trouble ? 'error' : 'muted small' }, text),
      code === 'UNAUTHENTICATED' ? keyForm(entity) : null,
    );
  }
  // The list stays in place (re-inserting it would replay every line's arrival pulse).
  const list = session?.list ?? null;
  if (followUi.firstChild !== followHead || (followUi.childNodes[1] ?? null) !== list) show(followUi, followHead, list);
}

/** One line of the live list: what arrived, its evidence sentence (as text) and who else it names. */
function liveItem(i, entity) {
  return el(
    'li',
    { class: 'live-item' },
    el('span', { class: 'muted small' }, new Date().toLocaleTimeString()),
    ' ',
    el('strong', {}, i.what),
    i.evidence.length
      ? el(
          'ul',
          { class: 'evidence small' },
          i.evidence.map((sentence) => el('li', {}, highlighted(sentence, [entity.name]))),
        )
      : null,
    i.others.length && i.article
      ? el('div', { class: 'muted small' }, 'With: ', i.others.map((o) => o.name).join('、'))
      : null,
  );
}

/** Asks for the API key when the server refused the subscription without it (kept in this page only). */
function keyForm(entity) {
  const input = el('input', { type: 'password', id: 'follow-key', placeholder: 'API key', autocomplete: 'off' });
  return el(
    'form',
    {
      class: 'follow-key',
      onsubmit: (event) => {
        event.preventDefault();
        state.apiKey = /** @type {HTMLInputElement} */ (input).value.trim() || null;
        startFollow(entity);
      },
    },
    input,
    el('button', { type: 'submit' }, 'Use key'),
  );
}

window.addEventListener('pagehide', () => stopFollow());

// ---- search --------------------------------------------------------------------------

function hideResults() {
  ui.results.hidden = true;
}

function showResults(...children) {
  show(ui.results, ...children);
  ui.results.hidden = false;
}

async function runSearch(text) {
  const query = text.trim();
  const seq = ++state.seq.search;
  if (!query)
    return showResults(
      el(
        'p',
        { class: 'muted' },
        'Type a name — a company, agency, person, policy or stock — or words from an article.',
      ),
    );
  showResults(el('p', { class: 'muted' }, `Searching for “${query}”…`));
  try {
    const hits = await track(api.search(query));
    if (seq !== state.seq.search) return;
    if (!hits.length)
      return showResults(el('p', { class: 'muted', id: 'no-results' }, `No entities or articles match “${query}”.`));
    showResults(
      el('ul', { class: 'result-list', role: 'listbox', 'aria-label': 'Search results' }, hits.map(resultItem)),
    );
  } catch (err) {
    if (seq !== state.seq.search) return;
    showResults(el('p', { class: 'error' }, `Search failed: ${err.message}`));
  }
}

function resultItem(hit) {
  if (hit.entity) {
    const e = hit.entity;
    const also = e.aliases.filter((a) => a !== e.name).slice(0, 2);
    return el(
      'li',
      {},
      el(
        'button',
        { type: 'button', class: 'result', dataset: { type: e.type }, onclick: () => void openEntity(e) },
        typeBadge(e.type),
        ' ',
        el('span', { class: 'result-name' }, e.name),
        also.length ? el('span', { class: 'muted small' }, ` (${also.join('、')})`) : null,
      ),
    );
  }
  const a = hit.article;
  return el(
    'li',
    {},
    el(
      'button',
      {
        type: 'button',
        class: 'result',
        dataset: { type: 'ARTICLE' },
        onclick: () => {
          hideResults();
          void openArticle(a.id);
        },
      },
      typeBadge('ARTICLE'),
      ' ',
      el('span', { class: 'result-name' }, a.title),
      el('span', { class: 'muted small' }, ` ${formatDate(a.publishedAt)}`),
    ),
  );
}

// ---- path finder ---------------------------------------------------------------------

function setPathEnd(end, entity) {
  state.pathEnds[end] = entity;
  (end === 'from' ? ui.pathFrom : ui.pathTo).value = entity.name;
  /** @type {HTMLDetailsElement} */ ($('pathfinder')).open = true;
}

/** The entity for a path input: the one picked by button if the text still names it, else the best search hit. */
async function pathEntity(end, input) {
  const text = input.value.trim();
  const picked = state.pathEnds[end];
  if (picked && picked.name === text) return picked;
  if (!text) throw new Error(`Enter the entity to start ${end === 'from' ? 'from' : 'at the end'}.`);
  const found = await track(api.findEntity(text));
  if (!found) throw new Error(`No entity called “${text}”.`);
  return found;
}

async function findPath() {
  show(ui.pathResult, el('p', { class: 'muted' }, 'Looking for a path…'));
  try {
    const [from, to] = await Promise.all([pathEntity('from', ui.pathFrom), pathEntity('to', ui.pathTo)]);
    const result = await track(api.path(from.id, to.id, Number(ui.pathHops.value)));
    renderPath(ui.pathResult, from, to, result, actions);
    if (result?.length) {
      ui.placeholder.hidden = true;
      graph.addPath(result);
      renderStatus();
    }
  } catch (err) {
    show(ui.pathResult, el('p', { class: 'error' }, err.message));
  }
}

// ---- start ---------------------------------------------------------------------------

function renderLegend() {
  show(
    ui.legend,
    Object.entries(NODE_TYPES).map(([type, style]) => {
      const swatch = el('span', { class: `swatch shape-${style.shape}` });
      swatch.style.backgroundColor = style.color;
      return el('li', { dataset: { type } }, swatch, style.label);
    }),
  );
}

async function loadSuggestions() {
  try {
    const top = await track(api.suggestions());
    if (!top.length)
      return show(ui.suggestions, 'The graph is empty: ingest some articles (npx newsgraph ingest examples).');
    show(
      ui.suggestions,
      'Most mentioned: ',
      top.map(({ entity }) =>
        el('button', { type: 'button', class: 'chip', onclick: () => void openEntity(entity) }, entity.name),
      ),
    );
  } catch (err) {
    show(ui.suggestions, el('span', { class: 'error' }, `The server did not answer: ${err.message}`));
  }
}

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void runSearch(ui.searchInput.value);
});
ui.pathForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void findPath();
});
document.addEventListener('keydown', (event) => event.key === 'Escape' && hideResults());
document.addEventListener(
  'click',
  (event) => !ui.searchForm.contains(/** @type {Node} */ (event.target)) && hideResults(),
);

renderLegend();
void loadSuggestions();
const fromUrl = /^#entity=(.+)$/.exec(location.hash);
if (fromUrl) {
  // The name and type come from the details query; the graph waits for them.
  const id = decodeURIComponent(fromUrl[1]);
  void track(api.entityDetails(id))
    .then((d) => (d.entity ? openEntity(d.entity) : showMessage('The entity in the address no longer exists.')))
    .catch((err) => showMessage(`Could not open the entity in the address: ${err.message}`));
}

/** For debugging in the console and for the browser test. */
/** @type {any} */ (window).explorer = { graph, cy: graph.cy, state };
