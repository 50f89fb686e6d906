/**
 * CORS for /graphql. Off unless NEWSGRAPH_CORS_ORIGINS lists origins: the Explorer and GraphiQL
 * are same-origin and need none, and any wider default would let every web page a user visits
 * read the graph through that user's browser (yoga's default reflects any Origin with credentials).
 * Allowed origins get the GraphQL methods and headers, the API key header included (a page sends
 * its own key explicitly), and never `Access-Control-Allow-Credentials`: nothing here rides on
 * cookies. `*` allows every origin (yoga echoes it, with Vary: Origin), also without credentials.
 */
import { BOOKMARK_HEADER } from './bookmarks.js';
import { CSRF_HEADER } from './security.js';

/** What yoga's `cors` option takes from a factory (false: no CORS headers). */
type CorsAnswer =
  | {
      origin: string;
      methods: string[];
      allowedHeaders: string[];
      exposedHeaders: string[];
      credentials: false;
      maxAge: number;
    }
  | false;

const METHODS = ['GET', 'POST'];
const HEADERS = ['content-type', 'accept', CSRF_HEADER, 'x-api-key', 'authorization', BOOKMARK_HEADER];
/** a web app reads the bookmark of its mutation, to send it with its next queries (bookmarks.ts) */
const EXPOSED = [BOOKMARK_HEADER];

export function corsPolicy(allowedOrigins: readonly string[]): (request: Request) => CorsAnswer {
  const any = allowedOrigins.includes('*');
  const allowed = new Set(allowedOrigins);
  return (request) => {
    const origin = request.headers.get('origin');
    if (!origin || !(any || allowed.has(origin))) return false;
    return {
      origin: any ? '*' : origin,
      methods: METHODS,
      allowedHeaders: HEADERS,
      exposedHeaders: EXPOSED,
      credentials: false,
      maxAge: 600,
    };
  };
}
