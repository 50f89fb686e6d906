// DOM helpers. Data from the server is only ever inserted as text (textContent / text
// nodes), never parsed as HTML, so an article title cannot inject markup or script.

/**
 * el('a', { class: 'x', href }, 'text', childNode) — attribute names come from code;
 * `on*` keys add listeners; null/false attributes and children are skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  appendAll(node, children);
  return node;
}

export function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's content. */
export function show(node, ...children) {
  node.replaceChildren();
  return appendAll(node, children);
}

/** Only http(s) links: a `javascript:` source URL in an article must not become clickable. */
export function safeUrl(url) {
  if (!url) return null;
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** An external link opening in a new tab without giving it a handle on this page. */
export function externalLink(url, text) {
  const href = safeUrl(url);
  return href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer' }, text) : null;
}

/** The text with every occurrence of the names wrapped in <mark>, built from text nodes. */
export function highlighted(text, names) {
  const wanted = [...new Set(names.filter((n) => n && n.length > 0))].sort((a, b) => b.length - a.length);
  const fragment = document.createDocumentFragment();
  let rest = text;
  while (rest.length > 0) {
    let best = -1;
    let name = '';
    for (const n of wanted) {
      const at = rest.indexOf(n);
      if (at >= 0 && (best < 0 || at < best)) [best, name] = [at, n];
    }
    if (best < 0) break;
    if (best > 0) fragment.append(document.createTextNode(rest.slice(0, best)));
    fragment.append(el('mark', {}, name));
    rest = rest.slice(best + name.length);
  }
  if (rest) fragment.append(document.createTextNode(rest));
  return fragment;
}

/** 2022-03-18 from an ISO instant (UTC, as stored). */
export function formatDate(iso) {
  return iso ? String(iso).slice(0, 10) : 'undated';
}
