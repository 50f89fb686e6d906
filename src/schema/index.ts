/** Assembles the schema: each module under types/ registers its types on the builder. */
import { builder } from './builder.js';
import './entity-node.js';
import './types/scalars.js';
import './types/enums.js';
import './types/article.js';
import './types/entity.js';
import './types/mention.js';
import './types/company.js';
import './types/agency.js';
import './types/person.js';
import './types/policy.js';
import './types/stock.js';
import './types/issued.js';
import './types/role.js';
import './types/listing.js';
import './types/search.js';
import './types/graph.js';
import './types/stats.js';
import './types/mutations.js';
import './types/subscriptions.js';

builder.queryType({});

export const schema = builder.toSchema({ sortSchema: true });
