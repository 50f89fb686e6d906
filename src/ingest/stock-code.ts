/**
 * Stock codes as feeds write them, in the graph's form: lower-case exchange prefix + code
 * (`sh600519`, `sz000001`, `bj834277`, `hk00700`, `usBABA`). Undefined when the code is malformed.
 */
const PREFIXED = /^(sh|sz|bj|ss)(\d{6})$/i; // ss: Shanghai as Yahoo and 证券时报网 write it
const SUFFIXED = /^(\d{6})\.(sh|sz|bj|ss)$/i;
const HK = /^(?:hk(\d{5})|(\d{5})\.hk)$/i;
const US = /^us([A-Za-z][A-Za-z.]{0,6})$/;

export function normaliseStockCode(raw: string): string | undefined {
  const c = raw.trim();
  let m = PREFIXED.exec(c);
  if (m) return exchange(m[1]) + m[2];
  m = SUFFIXED.exec(c);
  if (m) return exchange(m[2]) + m[1];
  m = HK.exec(c);
  if (m) return `hk${m[1] ?? m[2]}`;
  m = US.exec(c);
  if (m) return `us${m[1].toUpperCase()}`;
  if (/^\d{6}$/.test(c)) return exchangeOfBareCode(c) + c;
  return undefined;
}

const exchange = (x: string) => (x.toLowerCase() === 'ss' ? 'sh' : x.toLowerCase());

/** The exchange of a bare A-share code: 6… Shanghai, 0…/3… Shenzhen, 4…/8…/92… Beijing. */
function exchangeOfBareCode(code: string): string {
  return /^6/.test(code) ? 'sh' : /^[0-3]/.test(code) ? 'sz' : 'bj';
}

/** Index codes (沪深300 is sh000300 and sz399300): not companies, not in the listed-company list. */
export function isIndexCode(code: string): boolean {
  return /^sh000\d{3}$|^sz399\d{3}$/.test(code);
}
