import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { FunctionTarget } from './schema.js';

/** A Lambda function name as the Invoke API accepts it (1 to 64 letters, digits, `-` and `_`). */
const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** A function ARN, optionally with a version or alias after it. */
const FUNCTION_ARN = /^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$/;
/** What may follow `#` in a module path: a JavaScript export name. */
const EXPORT_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MODES = ['module', 'url', 'lambdaEndpoint'] as const;

/**
 * Parses the `functions` setting: a JSON object, or the path of a JSON file holding one, from a
 * function name or full ARN to where that function runs. Relative module paths resolve against
 * `baseDir` (the config file's folder, or the current folder for the environment variable), and
 * those in a separate JSON file against that file's folder, so a mapping can travel with its handlers.
 *
 * @param value the file key's value (object or path) or the variable's text (JSON or path)
 * @param source the setting's origin, named in every error
 */
export function parseFunctions(value: unknown, source: string, baseDir: string): Map<string, FunctionTarget> {
  let mapping = value;
  let moduleBase = baseDir;
  if (typeof value === 'string') {
    if (value.trim().startsWith('{')) {
      mapping = parseJson(value, source);
    } else {
      const file = resolve(baseDir, value);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new ConfigError(`${source}: cannot read ${file} (${(error as Error).message})`);
      }
      mapping = parseJson(text, `${source} (${file})`);
      moduleBase = dirname(file);
    }
  }
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new ConfigError(`${source}: expected a JSON object from function names or ARNs to {module}, {url} or {lambdaEndpoint}`);
  }
  const functions = new Map<string, FunctionTarget>();
  for (const [key, target] of Object.entries(mapping)) {
    if (!FUNCTION_NAME.test(key) && !FUNCTION_ARN.test(key)) {
      throw new ConfigError(`${source}: ${JSON.stringify(key)} is neither a function name nor a Lambda function ARN`);
    }
    functions.set(key, parseTarget(target, `${source} ${JSON.stringify(key)}`, moduleBase));
  }
  return functions;
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
}

function parseTarget(target: unknown, source: string, moduleBase: string): FunctionTarget {
  const keys = typeof target === 'object' && target !== null && !Array.isArray(target) ? Object.keys(target) : [];
  const mode = MODES.find((m) => keys.length === 1 && keys[0] === m);
  if (mode === undefined) throw new ConfigError(`${source}: expected exactly one of ${MODES.join(', ')}`);
  const text = (target as Record<string, unknown>)[mode];
  if (typeof text !== 'string' || text === '') throw new ConfigError(`${source}: ${mode} must be a non-empty string`);
  if (mode === 'module') return moduleTarget(text, source, moduleBase);
  if (!isHttpUrl(text)) throw new ConfigError(`${source}: ${mode} must be an http or https URL`);
  return mode === 'url' ? { kind: 'url', url: text } : { kind: 'lambdaEndpoint', endpoint: text.replace(/\/+$/, '') };
}

/** `path#export`; the export defaults to `handler`, Lambda's own default. */
function moduleTarget(text: string, source: string, moduleBase: string): FunctionTarget {
  const hash = text.lastIndexOf('#');
  const path = hash < 0 ? text : text.slice(0, hash);
  const exportName = hash < 0 ? 'handler' : text.slice(hash + 1);
  if (path === '') throw new ConfigError(`${source}: module needs a file path before #`);
  if (!EXPORT_NAME.test(exportName)) throw new ConfigError(`${source}: ${JSON.stringify(exportName)} is not an export name`);
  return { kind: 'module', file: isAbsolute(path) ? path : resolve(moduleBase, path), exportName };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
