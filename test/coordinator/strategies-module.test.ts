import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getStrategy, resolveStrategy, strategyOptions } from '../../src/coordinator/strategies/registry.ts';
import { checkStrategyExport } from '../../src/coordinator/strategies/user-module.ts';

const fx = (name: string): string => fileURLToPath(new URL(`../fixtures/strategies/${name}`, import.meta.url));
const sessions = [0, 1, 2, 3, 4].map((i) => ({ id: `s${i}`, sequence: i, bytes: 1, kind: 'build_log' }));

describe('user strategy modules', () => {
  it('loads a module from a path, under its canonical path spec, with its options and a merge', async () => {
    const s = await resolveStrategy(`${fx('pairs-reversed.ts')}:size=3+hierarchical:fan-in=2`);
    expect(s.name).toBe(`${fx('pairs-reversed.ts')}:size=3+hierarchical:fan-in=2`);
    const options = strategyOptions(s, {});
    expect(options).toEqual({ size: 3, 'fan-in': 2 });
    expect((await s.plan(sessions, options)).map((b) => b.session_ids)).toEqual([['s3', 's4'], ['s0', 's1', 's2']]);
    // Once loaded, the synchronous lookup finds it by path (the name a dream's config records).
    expect(getStrategy(fx('pairs-reversed.ts')).name).toBe(fx('pairs-reversed.ts'));
    expect(getStrategy(fx('pairs-reversed.ts')).description).toMatch(/^Pairs of sessions/);
  });

  it('refuses a module that breaks the contract, naming the file and the field', async () => {
    await expect(resolveStrategy(fx('no-plan.mjs'))).rejects.toThrow(`strategy module ${fx('no-plan.mjs')}: default export.plan must be a function (sessions, options, context) => Batch[], got undefined`);
    await expect(resolveStrategy(fx('bad-defaults.mjs'))).rejects.toThrow(`strategy module ${fx('bad-defaults.mjs')}: export strategy.defaults.size must be a finite number, got "two"`);
    await expect(resolveStrategy(fx('no-export.mjs'))).rejects.toThrow(/no-export\.mjs: default export is missing/);
    await expect(resolveStrategy(fx('throws.mjs'))).rejects.toThrow(/throws\.mjs: could not be loaded: boom while loading/);
    await expect(resolveStrategy(fx('missing.mjs'))).rejects.toThrow(/missing\.mjs: no such file/);
    await expect(resolveStrategy(fx('no-plan.mjs'))).rejects.toMatchObject({ code: 'invalid_strategy_module', exitCode: 2 });
  });

  it('checks every field of the contract', () => {
    expect(() => checkStrategyExport('f.ts', 3)).toThrow('strategy module f.ts: default export must be an object implementing BatchingStrategy, got number');
    expect(() => checkStrategyExport('f.ts', { name: '', description: 'd', defaults: {}, plan: () => [] })).toThrow('default export.name must be a non-empty string');
    expect(() => checkStrategyExport('f.ts', { name: 'n', defaults: {}, plan: () => [] })).toThrow('default export.description must be a non-empty string');
    expect(() => checkStrategyExport('f.ts', { name: 'n', description: 'd', defaults: [], plan: () => [] })).toThrow('default export.defaults must be an object');
    expect(() => checkStrategyExport('f.ts', { name: 'n', description: 'd', defaults: {}, plan: () => [], validate: 1 })).toThrow('default export.validate must be a function when given, got number');
  });
});
