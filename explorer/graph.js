// The force-directed graph (cytoscape.js, loaded as a global by index.html). Nodes are
// GraphNode values from `neighborhood`; views are merged, so clicking a node grows the
// graph instead of replacing it.

/** Colour and shape per node type; the legend is drawn from the same table. */
export const NODE_TYPES = {
  AGENCY: { label: 'Agency', color: '#d62728', shape: 'hexagon' },
  COMPANY: { label: 'Company', color: '#1f77b4', shape: 'ellipse' },
  PERSON: { label: 'Person', color: '#2ca02c', shape: 'round-triangle' },
  POLICY: { label: 'Policy', color: '#ff7f0e', shape: 'round-rectangle' },
  STOCK: { label: 'Stock', color: '#9467bd', shape: 'diamond' },
  ARTICLE: { label: 'Article', color: '#7f7f7f', shape: 'rectangle' },
};

/** The whole canvas never holds more than this, however many nodes get expanded. */
export const MAX_GRAPH_NODES = 400;

/** How long what a followed entity's live event added stays highlighted. */
export const LIVE_HIGHLIGHT_MS = 10_000;

const EDGE_COLORS = {
  ISSUED: '#d62728',
  LISTED_AS: '#9467bd',
  HOLDS_ROLE: '#2ca02c',
  MENTIONS: '#a0a0a0',
  CO_MENTION: '#c7c7c7',
};

function edgeLabel(edge) {
  if (edge.type === 'CO_MENTION') return `co×${edge.weight}`;
  if (edge.type === 'HOLDS_ROLE') return edge.label || 'HOLDS_ROLE';
  return edge.type;
}

/** Co-mentions are undirected, but each view names the edge from its own centre: one id for both. */
function edgeKey(edge) {
  if (edge.type !== 'CO_MENTION') return `${edge.type}|${edge.source}|${edge.target}`;
  const [a, b] = [edge.source, edge.target].sort();
  return `CO_MENTION|${a}|${b}`;
}

/** The page's own web font (index.html), so canvas labels render CJK without a system font. */
const LABEL_FONT = '"Noto Sans SC", sans-serif';

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(name)',
      'background-color': 'data(color)',
      shape: 'data(shape)',
      width: 26,
      height: 26,
      'font-size': 11,
      'font-family': LABEL_FONT,
      color: '#1d1d1f',
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-wrap': 'ellipsis',
      'text-max-width': 120,
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'border-width': 1,
      'border-color': '#ffffff',
      'min-zoomed-font-size': 5,
    },
  },
  {
    selector: 'node[type = "ARTICLE"]',
    style: { width: 14, height: 18, 'font-size': 9, color: '#555555', 'text-max-width': 90 },
  },
  {
    selector: 'node.centre',
    style: {
      width: 42,
      height: 42,
      'font-size': 15,
      'font-weight': 'bold',
      'border-width': 3,
      'border-color': '#222222',
    },
  },
  { selector: 'node.expanded', style: { 'border-width': 2, 'border-color': '#222222' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f5b700', 'overlay-opacity': 0 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'curve-style': 'bezier',
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      label: 'data(label)',
      'font-size': 8,
      'font-family': LABEL_FONT,
      color: '#555555',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.85,
      'text-background-padding': 1,
      'min-zoomed-font-size': 7,
    },
  },
  { selector: 'edge[type = "ISSUED"]', style: { width: 2.5, 'font-size': 9, 'font-weight': 'bold', color: '#b01d1e' } },
  { selector: 'edge[type = "MENTIONS"]', style: { 'line-style': 'dashed', width: 1 } },
  {
    selector: 'edge[type = "CO_MENTION"]',
    style: { 'target-arrow-shape': 'none', width: 'mapData(weight, 1, 6, 1, 5)' },
  },
  { selector: 'node.path', style: { 'border-color': '#f5b700', 'border-width': 5, 'z-index': 10 } },
  {
    selector: 'edge.path',
    style: { 'line-color': '#f5b700', 'target-arrow-color': '#f5b700', width: 5, 'z-index': 10 },
  },
  { selector: '.faded', style: { opacity: 0.25 } },
  // Followed live (explorer.js): what an event just added, for LIVE_HIGHLIGHT_MS.
  {
    selector: 'node.live',
    style: { 'border-width': 6, 'border-color': '#12b76a', 'overlay-color': '#12b76a', 'overlay-opacity': 0.18 },
  },
  { selector: 'edge.live', style: { 'line-color': '#12b76a', 'target-arrow-color': '#12b76a', width: 4 } },
  // The same font written differently: toggling this class changes the style key, which makes
  // cytoscape drop label textures drawn before the font's glyphs arrived (see loadLabelFont).
  { selector: '.font-redraw', style: { 'font-family': LABEL_FONT.replace(', ', ',') } },
];

/**
 * createGraph(container, { onTap }) → { cy, reset, merge, addPath, clearPath, select, highlight, has, size }.
 * `onTap(data)` gets the tapped node's data (GraphNode fields).
 */
export function createGraph(container, { onTap }) {
  const cy = /** @type {any} */ (window).cytoscape({
    container,
    style: STYLE,
    minZoom: 0.15,
    maxZoom: 3,
    boxSelectionEnabled: false,
  });
  cy.on('tap', 'node', (event) => onTap(event.target.data()));

  function layout(randomize) {
    cy.layout({
      name: 'cose',
      animate: false,
      randomize,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      // Relations stay short and co-mentions loose, so what was ISSUED sits next to its issuer.
      idealEdgeLength: (edge) => (edge.data('type') === 'CO_MENTION' ? 150 : 80),
      edgeElasticity: (edge) => (edge.data('type') === 'CO_MENTION' ? 40 : 100),
      nodeRepulsion: () => 24000,
      gravity: 0.6,
      numIter: 1500,
    }).run();
  }

  function nodeData(node) {
    const style = NODE_TYPES[node.type] ?? NODE_TYPES.ARTICLE;
    return { id: node.id, key: node.key, name: node.name, type: node.type, color: style.color, shape: style.shape };
  }

  /**
   * Adds a view's nodes and edges (existing ones are kept); new nodes start next to
   * `around` so the layout grows from the clicked node. Returns { added, dropped, ids } (ids:
   * of the nodes and edges added).
   */
  function merge(view, around) {
    const origin =
      around && cy.getElementById(around).nonempty() ? cy.getElementById(around).position() : { x: 0, y: 0 };
    const fresh = [];
    let dropped = 0;
    for (const node of view.nodes) {
      if (cy.getElementById(node.id).nonempty()) continue;
      if (cy.nodes().length + fresh.length >= MAX_GRAPH_NODES) {
        dropped++;
        continue;
      }
      fresh.push({
        group: 'nodes',
        data: nodeData(node),
        position: { x: origin.x + Math.random() * 60 - 30, y: origin.y + Math.random() * 60 - 30 },
      });
    }
    cy.add(fresh);
    const edges = [];
    for (const edge of view.edges) {
      const id = edgeKey(edge);
      if (cy.getElementById(id).nonempty()) continue;
      if (cy.getElementById(edge.source).empty() || cy.getElementById(edge.target).empty()) continue;
      edges.push({
        group: 'edges',
        data: {
          id,
          source: edge.source,
          target: edge.target,
          type: edge.type,
          weight: edge.weight,
          label: edgeLabel(edge),
          color: EDGE_COLORS[edge.type] ?? '#bbbbbb',
        },
      });
    }
    cy.add(edges);
    if (fresh.length || edges.length) layout(cy.nodes().length === fresh.length);
    if (fresh.length) loadLabelFont(fresh.map((n) => n.data.name).join(''));
    return { added: fresh.length, dropped, ids: [...fresh, ...edges].map((e) => e.data.id) };
  }

  /** Marks elements new from a live event (a pulse of LIVE_HIGHLIGHT_MS, restarted by another event). */
  function highlight(ids) {
    const shown = cy.collection();
    for (const id of ids) shown.merge(cy.getElementById(id));
    if (shown.empty()) return;
    shown.addClass('live');
    const until = Date.now() + LIVE_HIGHLIGHT_MS;
    shown.data('liveUntil', until);
    setTimeout(() => shown.filter((e) => e.data('liveUntil') === until).removeClass('live'), LIVE_HIGHLIGHT_MS);
  }

  /**
   * The font's CJK glyphs come in many small files, fetched only for characters in use; the
   * canvas does not ask for them, so load those of the new labels and redraw once they are in.
   */
  function loadLabelFont(text) {
    if (!document.fonts || !text) return;
    const loads = ['11px', 'bold 11px'].map((font) => document.fonts.load(`${font} ${LABEL_FONT}`, text));
    Promise.all(loads).then(
      () => cy.elements().toggleClass('font-redraw'),
      () => {},
    );
  }

  /** Draws a path on top of the graph, adding entities and hops that are not shown yet. */
  function addPath(result) {
    clearPath();
    const nodes = result.entities.map((e) => ({ id: e.id, key: e.entityId, name: e.name, type: e.type }));
    const between = (h) => cy.getElementById(h.from.id).edgesWith(cy.getElementById(h.to.id));
    merge({ nodes, edges: [] }, result.entities[0]?.id);
    // A hop already drawn (perhaps in the other direction) is reused, not doubled.
    const missing = result.hops.filter((h) => between(h).empty());
    merge({
      nodes: [],
      edges: missing.map((h) => ({
        source: h.from.id,
        target: h.to.id,
        type: h.type,
        weight: Math.max(1, h.articles.length),
        label: null,
      })),
    });
    const onPath = cy.collection();
    for (const n of nodes) onPath.merge(cy.getElementById(n.id));
    for (const h of result.hops) onPath.merge(cy.getElementById(h.from.id).edgesWith(cy.getElementById(h.to.id)));
    cy.elements().not(onPath).addClass('faded');
    onPath.addClass('path');
    // Fit the path, but a two-node path must not fill the screen at maximum zoom.
    cy.fit(onPath, 80);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center(onPath);
    }
  }

  function clearPath() {
    cy.elements().removeClass('path faded');
  }

  function select(id) {
    cy.nodes(':selected').unselect();
    cy.getElementById(id).select();
  }

  function markCentre(id) {
    cy.nodes('.centre').removeClass('centre');
    cy.getElementById(id).addClass('centre');
  }

  function markExpanded(id) {
    cy.getElementById(id).addClass('expanded');
  }

  return {
    cy,
    merge,
    addPath,
    clearPath,
    select,
    markCentre,
    markExpanded,
    highlight,
    reset: () => cy.elements().remove(),
    has: (id) => cy.getElementById(id).nonempty(),
    size: () => cy.nodes().length,
  };
}
