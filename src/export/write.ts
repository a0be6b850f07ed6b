import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../core/atomic.ts';
import { InvalidInputError } from '../core/errors.ts';
import { exportSnapshot } from '../memory/export.ts';
import type { MemoryStoreRepo } from '../memory/repo.ts';
import { renderAgentFile, type AgentFileFormat } from './agent-file.ts';

export const EXPORT_FORMATS = ['claude-md', 'agents-md', 'dir'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const DEFAULT_OUT: Record<ExportFormat, (storeId: string) => string> = {
  'claude-md': () => 'CLAUDE.md',
  'agents-md': () => 'AGENTS.md',
  dir: (storeId) => `${storeId}-memories`,
};

export function parseExportFormat(value: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new InvalidInputError(
    'invalid_export_format',
    `--format: ${JSON.stringify(value)} is not one of ${EXPORT_FORMATS.join(', ')}`,
    { field: 'format' },
  );
}

/**
 * `dream export`: a store as CLAUDE.md, AGENTS.md or a folder (one file per memory, provenance
 * inside each). An existing file is not overwritten unless `force`: it may be someone's
 * hand-kept CLAUDE.md. A folder must be new or empty (see memory/export.ts).
 */
export async function exportStore(
  repo: MemoryStoreRepo,
  storeId: string,
  format: ExportFormat,
  opts: { out?: string; force?: boolean } = {},
): Promise<{ format: ExportFormat; path: string; memories: number }> {
  const store = await repo.getStore(storeId);
  const snapshot = await repo.snapshot(storeId);
  const out = resolve(opts.out ?? DEFAULT_OUT[format](storeId));
  if (format === 'dir') {
    await exportSnapshot(snapshot, out);
    return { format, path: out, memories: snapshot.length };
  }
  if (!opts.force && (await exists(out))) {
    throw new InvalidInputError(
      'export_file_exists',
      `${out}: file exists; pass --force to overwrite it or --out another path`,
      { path: out },
    );
  }
  await writeFileAtomic(
    out,
    renderAgentFile(snapshot, format as AgentFileFormat, { storeId: store.id, storeName: store.name }),
  );
  return { format, path: out, memories: snapshot.filter((m) => m.path !== '/README.md').length };
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
