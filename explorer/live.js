// "Follow": GraphQL subscriptions over server-sent events, for one entity at a time.
//
// Not EventSource: it can only GET, a GET to /graphql must carry the CSRF header
// (src/server/security.ts), and neither that nor the API key (NEWSGRAPH_API_KEY servers refuse
// subscriptions without it) can be sent by EventSource. So: POST with `accept: text/event-stream`
// (what graphql-sse and yoga speak), read with fetch's stream reader, reconnected here with backoff.
import { ApiError } from './api.js';

/** Codes after which subscribing again would only be refused again. */
const RETRYABLE = new Set([
  'NETWORK',
  'HTTP',
  'ENDED',
  'SLOW_CONSUMER',
  'DATABASE_UNAVAILABLE',
  'QUERY_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
]);
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * One subscription over SSE until the server completes it (resolves), the signal aborts it
 * (resolves), or it fails: rejects with an ApiError whose code is the GraphQL error's, or
 * NETWORK / HTTP. `onOpen` runs once the server answers with a stream; `onData` per event.
 */
export async function stream(query, variables, { apiKey, signal, onOpen, onData }) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream' };
  if (apiKey) headers['x-api-key'] = apiKey;
  let response;
  try {
    response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal });
  } catch {
    if (signal.aborted) return;
    throw new ApiError('Lost the connection to the server.', 'NETWORK');
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/event-stream')) {
    // a refusal before the stream (limits, CORS, body size) comes as JSON, anything else as a status
    const body = await response.json().catch(() => null);
    const first = body?.errors?.[0];
    if (first) throw new ApiError(first.message || 'The server refused the subscription.', first.extensions?.code);
    throw new ApiError(`Server error (HTTP ${response.status}).`, 'HTTP');
  }
  onOpen();
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        if (signal.aborted) return;
        throw new ApiError('Lost the connection to the server.', 'NETWORK');
      }
      if (chunk.done) throw new ApiError('The server closed the live connection.', 'NETWORK');
      buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, '\n');
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (dispatch(message, onData) === 'complete') return;
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** One SSE message: `event:` and `data:` lines (`:` lines are keep-alive comments). */
function dispatch(message, onData) {
  let event = 'message';
  const data = [];
  for (const line of message.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (event === 'complete') return 'complete';
  if (event !== 'next' || !data.length) return null;
  const payload = JSON.parse(data.join('\n'));
  const first = payload.errors?.[0];
  if (first) throw new ApiError(first.message || 'The server ended the subscription.', first.extensions?.code);
  if (payload.data) onData(payload.data);
  return null;
}

/** Plain words for a failed or ended subscription. */
export function describeFailure(err) {
  switch (err.code) {
    case 'UNAUTHENTICATED':
      return 'This server needs its API key for live updates (NEWSGRAPH_API_KEY is set). Enter the key to follow.';
    case 'SLOW_CONSUMER':
      return 'The server ended the live updates because this page did not keep up with them.';
    case 'NETWORK':
      return 'Lost the connection to the server.';
    case 'ENDED':
      return 'The server closed the live connection.';
    default:
      return `Live updates failed: ${err.message}`;
  }
}

/**
 * Runs the subscriptions (`[{ field, query, variables }]`) until stop(): each one reconnects on
 * its own with exponential backoff (1 s doubling to 30 s) unless the server refused it for good.
 * `onEvent(field, value)` per event; `onState(state)` whenever the combined state changes:
 * { phase: 'connecting' | 'live' | 'retrying' | 'refused' | 'stopped', message, code, retryMs };
 * `onReconnect()` after a subscription is open again following a failure (events sent meanwhile
 * were not kept for it: the caller catches up with a query).
 */
export function follow(subscriptions, { apiKey, onEvent, onState, onReconnect }) {
  const controller = new AbortController();
  const states = subscriptions.map(() => ({ phase: 'connecting', message: '', code: null, retryMs: 0 }));
  const RANK = { refused: 4, retrying: 3, connecting: 2, live: 1, stopped: 0 };
  const report = () => {
    if (controller.signal.aborted) return;
    const worst = states.reduce((a, b) => (RANK[b.phase] > RANK[a.phase] ? b : a));
    onState({ ...worst });
  };
  const wait = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        controller.signal.removeEventListener('abort', abort);
        resolve(undefined);
      }, ms);
      const abort = () => {
        clearTimeout(timer);
        resolve(undefined);
      };
      controller.signal.addEventListener('abort', abort, { once: true });
    });

  async function run(sub, state) {
    let failures = 0;
    while (!controller.signal.aborted) {
      let failure;
      try {
        await stream(sub.query, sub.variables, {
          apiKey,
          signal: controller.signal,
          onOpen: () => {
            Object.assign(state, { phase: 'live', message: '', code: null, retryMs: 0 });
            report();
            if (failures) onReconnect();
            failures = 0;
          },
          onData: (data) => onEvent(sub.field, data[sub.field]),
        });
        failure = new ApiError('The server closed the live connection.', 'ENDED');
      } catch (err) {
        failure = err instanceof ApiError ? err : new ApiError(String(err?.message ?? err), 'NETWORK');
      }
      if (controller.signal.aborted) return;
      if (!RETRYABLE.has(failure.code)) {
        Object.assign(state, { phase: 'refused', message: describeFailure(failure), code: failure.code, retryMs: 0 });
        return report();
      }
      const retryMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures++);
      Object.assign(state, { phase: 'retrying', message: describeFailure(failure), code: failure.code, retryMs });
      report();
      await wait(retryMs);
      if (!controller.signal.aborted) {
        state.phase = 'connecting';
        report();
      }
    }
  }

  report();
  subscriptions.forEach((sub, i) => void run(sub, states[i]));
  return {
    stop() {
      controller.abort();
      onState({ phase: 'stopped', message: '', code: null, retryMs: 0 });
    },
  };
}
