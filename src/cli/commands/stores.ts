import { Command } from 'commander';
import { MemoryStoreRepo } from '../../memory/repo.ts';
import { diffStores } from '../../memory/diff.ts';
import { openContext } from '../context.ts';
import { printJson, printLines, printTable } from '../output.ts';

export function storesCommand(): Command {
  const cmd = new Command('stores').description('Create, inspect and export memory stores');

  cmd
    .command('create')
    .description('Create an empty memory store')
    .requiredOption('--name <name>', 'store name')
    .option('--description <text>', 'what the store is for')
    .action(async (o: { name: string; description?: string }, self: Command) => {
      const ctx = await openContext(self);
      const store = await new MemoryStoreRepo(ctx.paths).createStore({ name: o.name, ...(o.description ? { description: o.description } : {}) });
      if (ctx.json) printJson(store);
      else printLines([store.id]);
    });

  cmd
    .command('list')
    .description('List memory stores')
    .option('--include-archived', 'include archived stores')
    .action(async (o: { includeArchived?: boolean }, self: Command) => {
      const ctx = await openContext(self);
      const stores = await new MemoryStoreRepo(ctx.paths).listStores({ include_archived: Boolean(o.includeArchived) });
      if (ctx.json) return printJson({ data: stores });
      printTable(['id', 'name', 'created', 'archived'], stores.map((s) => [s.id, s.name, s.created_at, s.archived_at ?? '']));
    });

  cmd
    .command('show')
    .description("List a store's memories (paths and sizes)")
    .argument('<memstore_id>')
    .action(async (id: string, _o, self: Command) => {
      const ctx = await openContext(self);
      const repo = new MemoryStoreRepo(ctx.paths);
      const store = await repo.getStore(id);
      const memories = await repo.listMemories(id, {});
      if (ctx.json) return printJson({ ...store, memories });
      printLines([`${store.id}  ${store.name}${store.archived_at ? ' (archived)' : ''}`, `  tree: ${ctx.paths.store(id)}/tree`]);
      printTable(
        ['path', 'bytes', 'id'],
        memories.flatMap((m) => (m.type === 'memory' ? [[m.path, String(m.content_size_bytes), m.id]] : [])),
      );
    });

  cmd
    .command('export')
    .description("Write a store's memories as a plain file tree")
    .argument('<memstore_id>')
    .requiredOption('--dir <dir>', 'target directory (must be empty or absent)')
    .action(async (id: string, o: { dir: string }, self: Command) => {
      const ctx = await openContext(self);
      await new MemoryStoreRepo(ctx.paths).exportTree(id, o.dir);
      if (ctx.json) printJson({ memory_store_id: id, dir: o.dir });
      else printLines([`exported ${id} to ${o.dir}`]);
    });

  return cmd;
}

export function diffCommand(): Command {
  return new Command('diff')
    .description('Unified diff of two stores, per memory path')
    .argument('<from_store>')
    .argument('<to_store>')
    .action(async (a: string, b: string, _o, self: Command) => {
      const ctx = await openContext(self);
      const repo = new MemoryStoreRepo(ctx.paths);
      const diff = diffStores(await repo.snapshot(a), await repo.snapshot(b));
      if (ctx.json) return printJson({ data: diff.map(({ path, status, unified }) => ({ path, status, unified })) });
      if (diff.length === 0) printLines(['stores are identical']);
      for (const d of diff) process.stdout.write(d.unified.endsWith('\n') ? d.unified : d.unified + '\n');
    });
}
