import { parseGatewayApi, type GatewayApi } from '../domain/gateway.js';
import type { Services } from '../services.js';

/** Parsed stored definitions, by their JSON, so a request parses none (a definition is small; the set is bounded by the store). */
const parsed = new Map<string, GatewayApi>();

/**
 * The API the gateway serves under `id`: one stored with `cognate gateway put` (read on every
 * request, so every node sees a change at once), else the config file's `gatewayApis` one.
 */
export async function findApi(services: Services, id: string): Promise<GatewayApi | undefined> {
  const stored = await services.store.gatewayApis.get(id);
  if (!stored) return services.config.gatewayApis.find((api) => api.id === id);
  let api = parsed.get(stored.definition);
  if (!api) {
    // Checked when stored; a definition that no longer parses (edited by hand) is no API.
    try {
      api = parseGatewayApi(JSON.parse(stored.definition), id);
    } catch {
      return undefined;
    }
    if (parsed.size > 1000) parsed.clear();
    parsed.set(stored.definition, api);
  }
  return api;
}
