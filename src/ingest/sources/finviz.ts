/** finviz: English news; its own front matter (no Chinese categories, a finviz.com link); ticker links. */
import { finvizTickers } from './links.js';
import { type FeedSource, hostIs, namedAs } from './types.js';

export const finviz: FeedSource = {
  id: 'finviz',
  matches: (p) => namedAs(p, 'finviz', 'Finviz') || hostIs(p, 'finviz.com'),
  stockLinks: finvizTickers,
  language: 'en',
};
