import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.ts';
import { createEngine, engineNames } from '../../src/engine/registry.ts';
import { applyDirectives, parseDirectives } from '../../src/engine/local/instructions.ts';
import { ev, input, makeSession } from './helpers.ts';

describe('engine registry', () => {
  it('creates the local engine by name', () => {
    expect(createEngine('local').name).toBe('local');
    expect(engineNames()).toContain('local');
  });

  it('rejects an unknown engine, listing the known ones', () => {
    expect(() => createEngine('gpt')).toThrow(InvalidInputError);
    expect(() => createEngine('gpt')).toThrow(/known engines: claude, local/);
    expect(() => createEngine('toString')).toThrow(InvalidInputError);
  });
});

describe('instructions', () => {
  it('parses focus and exclude lines and ignores the rest', () => {
    expect(parseDirectives('Be thorough.\nfocus: Timeout, flaky\n- exclude: npm\n')).toEqual({ focus: ['timeout', 'flaky'], exclude: ['npm'], preserve: [] });
    expect(parseDirectives(null)).toEqual({ focus: [], exclude: [], preserve: [] });
  });

  it('drops excluded findings and raises confidence of focused ones', async () => {
    const events = [ev.user('Use pnpm instead of npm. The default branch is main.')];
    const session = makeSession('sesn_instr0001', 'conversation');
    const engine = createEngine('local');
    const plain = await engine.extract(input(session, events), { instructions: null });
    const steered = await engine.extract(input(session, events), { instructions: 'focus: branch\nexclude: pnpm' });
    expect(plain.findings).toHaveLength(2);
    expect(steered.findings).toHaveLength(1);
    expect(steered.findings[0]!.key).toBe('fact:default-branch');
    expect(steered.findings[0]!.confidence).toBeGreaterThan(plain.findings[1]!.confidence);
    expect(applyDirectives(plain.findings, { focus: [], exclude: [], preserve: [] })).toBe(plain.findings);
  });
});

describe('the claude engine by name', () => {
  it('refuses to start without an API key, unless replaying', () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      expect(() => createEngine('claude')).toThrow(/set ANTHROPIC_API_KEY/);
      expect(createEngine('claude', { replay: '/nonexistent' }).name).toBe('claude');
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});
