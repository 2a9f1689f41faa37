import { readFileSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { boot } from '../bootstrap.js';
import { GatewayDefinitionError, parseGatewayApi } from '../domain/gateway.js';
import { UsageError } from './args.js';

export const GATEWAY_USAGE = `Usage: cognate gateway list
       cognate gateway put <file.json>
       cognate gateway delete <apiId>

Changes the APIs of the gateway without a restart; every node serves a change at once.
  list      prints the stored APIs, then those of the config file (gatewayApis) that no stored
            one replaces, as JSON
  put       stores the API (or the list of APIs) in the JSON file, each checked as gatewayApis
            checks them; a stored API replaces the config file's API of the same id
  delete    removes a stored API (the config file's API of that id, if any, is served again)
`;

function definitionsIn(file: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** The `cognate gateway` command. */
export async function runGateway(
  args: readonly string[],
  config: Config,
  print: (text: string) => void = (text) => void process.stdout.write(text),
): Promise<void> {
  const [action, target] = args;
  if (action !== 'list' && action !== 'put' && action !== 'delete')
    throw new UsageError('gateway needs list, put or delete', GATEWAY_USAGE);
  if (action !== 'list' && !target)
    throw new UsageError(`gateway ${action} needs ${action === 'put' ? 'a file' : 'an API id'}`, GATEWAY_USAGE);
  // Nothing is stored unless every definition in the file is right.
  const apis =
    action === 'put'
      ? definitionsIn(target!).map((definition, i) => {
          try {
            return { definition, api: parseGatewayApi(definition, `${target!}[${i}]`) };
          } catch (error) {
            if (error instanceof GatewayDefinitionError) throw new Error(error.message, { cause: error });
            throw error;
          }
        })
      : [];
  const booted = await boot({ ...config, logLevel: 'silent' });
  try {
    const store = booted.services.store.gatewayApis;
    if (action === 'list') {
      const stored = (await store.list()).map((record) => JSON.parse(record.definition) as { id: string });
      const fromConfig = config.gatewayApis
        .filter((api) => !stored.some((s) => s.id === api.id))
        .map(({ id, upstream, stages, routes }) => ({
          id,
          upstream,
          stages,
          routes: routes.map(({ method, path, authorizer }) => ({ method, path, authorizer })),
        }));
      print(
        `${JSON.stringify([...stored.map((api) => ({ ...api, source: 'stored' })), ...fromConfig.map((api) => ({ ...api, source: 'config' }))], null, 2)}\n`,
      );
    } else if (action === 'put') {
      const now = booted.services.clock.now();
      for (const { definition, api } of apis) {
        await store.put({ id: api.id, definition: JSON.stringify(definition), updatedAt: now });
        print(`stored the API ${api.id}\n`);
      }
    } else {
      if (!(await store.delete(target!))) throw new Error(`no stored API with the id ${target!}`);
      print(`deleted the API ${target!}\n`);
    }
  } finally {
    await booted.close();
  }
}
