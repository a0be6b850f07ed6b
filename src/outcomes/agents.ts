import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../core/errors.ts';
import { SessionKind } from '../sessions/schema.ts';

/**
 * Agent definitions (agents/*.md): YAML front-matter describing how to call the model, and the
 * system prompt as the Markdown body. Loaded and validated once; the Claude engine uses them.
 */
export const AgentRole = z.enum(['extractor', 'merger', 'grader']);
export type AgentRole = z.infer<typeof AgentRole>;

/** Names of the zod schemas a model's structured output is validated with. */
export const OutputSchemaName = z.enum(['findings', 'memory_entries', 'evaluation']);

export const AgentFrontMatter = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by "-"'),
    description: z.string().min(1).max(500),
    role: AgentRole,
    model: z.string().min(1),
    max_tokens: z.number().int().min(1).max(128_000),
    temperature: z.number().min(0).max(1),
    output_schema: OutputSchemaName,
    session_kinds: z.array(SessionKind).min(1).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role === 'extractor' && v.session_kinds === undefined) {
      ctx.addIssue({ code: 'custom', path: ['session_kinds'], message: 'an extractor must list the session kinds it reads' });
    }
    if (v.role !== 'extractor' && v.session_kinds !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['session_kinds'], message: 'only extractors read sessions' });
    }
  });
export type AgentFrontMatter = z.infer<typeof AgentFrontMatter>;

export interface AgentDefinition extends AgentFrontMatter {
  file: string;
  system_prompt: string;
}

export const DEFAULT_AGENTS_DIR = fileURLToPath(new URL('../../agents/', import.meta.url));

/** Parse one agent file's text; errors name the file and the field. */
export function parseAgent(text: string, file: string): AgentDefinition {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new InvalidInputError('invalid_agent', `${file}: expected YAML front-matter between "---" lines at the top`, { file });
  let raw: unknown;
  try {
    raw = parseYaml(m[1]!);
  } catch (e) {
    throw new InvalidInputError('invalid_agent', `${file}: front-matter is not valid YAML (${(e as Error).message.split('\n')[0]})`, { file });
  }
  const parsed = AgentFrontMatter.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(front-matter)';
    throw new InvalidInputError('invalid_agent', `${file}: ${field}: ${issue.message}`, { file, field });
  }
  const expected = basename(file).replace(/\.md$/, '');
  if (parsed.data.name !== expected) {
    throw new InvalidInputError('invalid_agent', `${file}: name: "${parsed.data.name}" must match the file name "${expected}"`, { file, field: 'name' });
  }
  const system_prompt = m[2]!.trim();
  if (system_prompt.length < 50) {
    throw new InvalidInputError('invalid_agent', `${file}: the system prompt (the body after the front-matter) is missing or too short`, { file, field: 'body' });
  }
  return { ...parsed.data, file, system_prompt };
}

/** Load every agents/*.md, sorted by name. */
export async function loadAgents(dir: string = DEFAULT_AGENTS_DIR): Promise<AgentDefinition[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  const out: AgentDefinition[] = [];
  for (const f of files) out.push(parseAgent(await readFile(join(dir, f), 'utf8'), join(dir, f)));
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The shipped agents with a user's directory layered on top (`--agents DIR`): a file whose `name`
 * matches a shipped agent replaces it, others are added. Errors name the user's file and field.
 */
export async function loadAgentsWithOverrides(userDir?: string): Promise<AgentDefinition[]> {
  const shipped = await loadAgents();
  if (!userDir) return shipped;
  let user: AgentDefinition[];
  try {
    user = await loadAgents(userDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new InvalidInputError('invalid_agent', `--agents ${userDir}: not a directory of agent files`, { field: 'agents' });
    }
    throw e;
  }
  const byName = new Map(shipped.map((a) => [a.name, a]));
  for (const a of user) byName.set(a.name, a);
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
