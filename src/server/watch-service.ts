import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import { InvalidInputError } from '../core/errors.ts';
import type { RootPaths } from '../core/root.ts';
import { watchConfigFromSpec } from '../watch/config-file.ts';
import { Watcher } from '../watch/watcher.ts';
import type { ServerService } from './serve.ts';

/**
 * Read a watch config file for `dream serve --watch-config`: JSON or YAML, one watch object or a
 * list of them (the fields of docs/watch.md, snake_case). Errors name the file and the field.
 */
export async function loadWatchSpecs(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError('invalid_watch_config', `${file}: cannot read the watch config: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text); // YAML is a superset of JSON
  } catch (e) {
    throw new InvalidInputError('invalid_watch_config', `${file}: not valid JSON or YAML: ${(e as Error).message}`);
  }
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw new InvalidInputError('invalid_watch_config', `${file}: lists no watch`);
  return list;
}

/** The watches of a server: started after the routes, stopped (each dream finished or left resumable) before the server closes. */
export class WatchService implements ServerService {
  readonly name = 'watch';
  private readonly watchers: Watcher[] = [];

  constructor(
    private readonly paths: RootPaths,
    private readonly specs: { spec: unknown; source: string }[],
    private readonly logger?: Logger,
  ) {}

  async start(): Promise<void> {
    // Validate every watch before starting any, so a typo in the second one starts nothing.
    const configs = [];
    for (const { spec, source } of this.specs) configs.push(await watchConfigFromSpec(spec, source));
    for (const config of configs) {
      const w = new Watcher(this.paths, config);
      w.on('event', (e) => this.logger?.info({ watch: config.name, ...e }, `watch ${e.type}`));
      await w.start();
      this.watchers.push(w);
    }
  }

  async stop(): Promise<void> {
    for (const w of this.watchers.reverse()) await w.stop();
    this.watchers.length = 0;
  }

  status(): ReturnType<Watcher['status']>[] {
    return this.watchers.map((w) => w.status());
  }
}
