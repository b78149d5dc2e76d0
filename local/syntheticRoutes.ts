// The ARM stand-in's routes in synthetic mode: the same routes as an estate directory, with every page
// generated on demand from a SyntheticEstate.
import { armErrors } from './armErrors.js';
import { fromError, pagedReply, type PageRequest, type Reply } from './armReplies.js';
import type { SyntheticEstate } from './syntheticEstate.js';
import { parseResourceGraphQuery, RESOURCE_GRAPH_PATH, resourceGraphPage, type RowSource } from './resourceGraphRoute.js';

const HYBRID_COMPUTE = 'microsoft.hybridcompute';

export function syntheticRoute(estate: SyntheticEstate, request: PageRequest): Reply {
  const pathname = request.url.pathname.replace(/\/+$/, '');
  const segments = pathname.split('/').slice(1);
  const lower = segments.map((s) => s.toLowerCase());
  const noRoute = fromError(armErrors.noRoute(pathname));
  const list = (items: readonly unknown[]) => pagedReply(request, items.length, (from, to) => items.slice(from, to));

  if (pathname.toLowerCase() === RESOURCE_GRAPH_PATH) {
    const query = parseResourceGraphQuery(request.body ?? '');
    if ('status' in query) return query;
    // The synthetic tenant assigns no ESU policies, and so has no guest configuration assignments either.
    const rows: RowSource = query.table === 'guestconfigurationresources' ? { total: 0, slice: () => [] } : patchRows(estate, query.subscriptions);
    return resourceGraphPage(rows, query, request.resourceGraphPageSize);
  }
  if (lower[0] !== 'subscriptions') return noRoute;
  if (segments.length === 1) return list(estate.subscriptionsBody().value);

  const s = estate.subscriptionIndex(lower[1] ?? '');
  if (s === undefined) return fromError(armErrors.subscriptionNotFound(segments[1] ?? ''));
  const subscriptionId = estate.subscriptionIds[s] as string;

  const rest = lower.slice(2);
  if (rest[0] === 'resourcegroups' && rest.length === 1) return list(estate.resourceGroups(subscriptionId));
  // GET /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.HybridCompute/machines
  if (rest[0] === 'resourcegroups' && rest.length === 5 && rest[2] === 'providers' && rest[3] === HYBRID_COMPUTE && rest[4] === 'machines') {
    const { from, to } = estate.machineRangeOf(rest[1] ?? '');
    return pagedReply(request, to - from, (first, last) => Array.from({ length: last - first }, (_, k) => estate.machine(s, from + first + k)));
  }
  if (rest[0] !== 'providers') return noRoute;
  if (rest.length === 1) return list(estate.providersBody(subscriptionId).value);
  if (rest.length === 3 && rest[1] === HYBRID_COMPUTE && rest[2] === 'licenses') return list(estate.licenses(subscriptionId));
  if (rest.length === 3 && rest[1] === 'microsoft.authorization' && rest[2] === 'policyassignments') return list([]);
  if (rest.length === 3 && rest[1] === HYBRID_COMPUTE && rest[2] === 'machines') {
    return pagedReply(request, estate.machineCount(subscriptionId), (from, to) =>
      Array.from({ length: to - from }, (_, k) => estate.machine(s, from + k)),
    );
  }
  if (rest.length === 3) return fromError(armErrors.invalidResourceType(segments[4] ?? '', segments[3] ?? '', request.apiVersion));
  return noRoute;
}

/** The generated rows of the asked subscriptions, in the order asked, sliced without building the whole table. */
function patchRows(estate: SyntheticEstate, subscriptionIds: readonly string[]): RowSource {
  const parts = subscriptionIds.flatMap((id) => {
    const s = estate.subscriptionIndex(id);
    return s === undefined ? [] : [{ s, count: estate.patchAssessmentRowCount(s) }];
  });
  const total = parts.reduce((sum, part) => sum + part.count, 0);
  return {
    total,
    slice(from, to) {
      const rows: unknown[] = [];
      let offset = 0;
      for (const part of parts) {
        for (let k = Math.max(0, from - offset); k < part.count && offset + k < to; k += 1) rows.push(estate.patchAssessmentRow(part.s, k));
        offset += part.count;
        if (offset >= to) break;
      }
      return rows;
    },
  };
}
