// A mentions-per-month sparkline as inline SVG (no chart library). The API leaves out
// empty months, so they are filled with zeros here: a gap must read as "no news".

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

function monthKey(iso) {
  return String(iso).slice(0, 7); // YYYY-MM
}

/** Every month from the first bucket to the last, with 0 where the API returned nothing. */
export function fillMonths(buckets) {
  if (!buckets.length) return [];
  const byMonth = new Map(buckets.map((b) => [monthKey(b.start), b]));
  const [y0, m0] = monthKey(buckets[0].start).split('-').map(Number);
  const [y1, m1] = monthKey(buckets[buckets.length - 1].start)
    .split('-')
    .map(Number);
  const out = [];
  // Bounded: a corrupt date must not spin here.
  let y = y0;
  let m = m0;
  while ((y < y1 || (y === y1 && m <= m1)) && out.length < 600) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    const b = byMonth.get(key);
    out.push({ month: key, mentions: b?.mentions ?? 0, articles: b?.articles ?? 0 });
    if (m === 12) {
      m = 1;
      y++;
    } else m++;
  }
  return out;
}

/** An <svg> sparkline of mentions per month; each point has a hover title. */
export function sparkline(buckets, { width = 300, height = 70 } = {}) {
  const months = fillMonths(buckets);
  const max = Math.max(1, ...months.map((m) => m.mentions));
  const total = months.reduce((s, m) => s + m.mentions, 0);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'sparkline', role: 'img' });
  const label = months.length
    ? `${total} mentions from ${months[0].month} to ${months[months.length - 1].month}, at most ${max} in a month`
    : 'no dated mentions';
  root.setAttribute('aria-label', label);
  const title = svg('title');
  title.textContent = label;
  root.append(title);
  if (!months.length) return root;

  const pad = 4;
  const axis = 14; // room for the month labels under the line
  const bottom = height - axis;
  const step = months.length > 1 ? (width - 2 * pad) / (months.length - 1) : 0;
  const x = (i) => (months.length > 1 ? pad + i * step : width / 2);
  const y = (v) => bottom - (v / max) * (bottom - 2 * pad);
  const points = months.map((m, i) => `${x(i).toFixed(1)},${y(m.mentions).toFixed(1)}`);
  root.append(
    svg('polygon', {
      points: [`${x(0)},${bottom}`, ...points, `${x(months.length - 1)},${bottom}`].join(' '),
      class: 'area',
    }),
  );
  root.append(svg('polyline', { points: points.join(' '), class: 'line' }));
  months.forEach((m, i) => {
    const dot = svg('circle', {
      cx: x(i).toFixed(1),
      cy: y(m.mentions).toFixed(1),
      r: m.mentions ? 2.5 : 1.2,
      class: m.mentions ? 'dot' : 'dot zero',
    });
    const tip = svg('title');
    tip.textContent = `${m.month}: ${m.mentions} mentions in ${m.articles} articles`;
    dot.append(tip);
    root.append(dot);
  });
  const text = (content, attrs) => {
    const t = svg('text', { y: height - 2, class: 'axis', ...attrs });
    t.textContent = content;
    root.append(t);
  };
  text(months[0].month, { x: pad, 'text-anchor': 'start' });
  if (months.length > 1) text(months[months.length - 1].month, { x: width - pad, 'text-anchor': 'end' });
  text(`max ${max}/month`, { x: width / 2, 'text-anchor': 'middle' });
  return root;
}
