import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/errors.ts';
import { MAX_PATH_BYTES, MAX_PATH_SEGMENTS } from '../../src/memory/limits.ts';
import { pathsOverlap, validateMemoryPath, validatePathPrefix } from '../../src/memory/paths.ts';
import { PathIndex, findOverlap } from '../../src/memory/path-index.ts';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidInputError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('validateMemoryPath', () => {
  it('accepts ordinary paths, unicode in NFC, and case-distinct paths', () => {
    for (const p of ['/a', '/README.md', '/failures/npm/eacces.md', '/notes/café.md', '/日本語/メモ.md', '/A', '/a b/c-d_e.f']) {
      expect(validateMemoryPath(p)).toBe(p);
    }
  });

  it('accepts exactly the byte limit and refuses one byte more', () => {
    const exact = '/' + 'x'.repeat(200) + '/' + 'y'.repeat(200) + '/' + 'z'.repeat(200) + '/' + 'w'.repeat(200) + '/' + 'v'.repeat(MAX_PATH_BYTES - 805);
    expect(Buffer.byteLength(exact)).toBe(MAX_PATH_BYTES);
    expect(validateMemoryPath(exact)).toBe(exact);
    expect(messageOf(() => validateMemoryPath(exact + 'v'))).toMatch(/is 1025 bytes; the limit is 1024 UTF-8 bytes/);
  });

  it('counts bytes, not characters', () => {
    // 4 × 200 two-byte characters in four segments = 1,600 bytes but 800 characters.
    const p = ['', 'é'.repeat(100), 'é'.repeat(100), 'é'.repeat(100), 'é'.repeat(100), 'é'.repeat(100), 'é'.repeat(10)].join('/');
    expect(p.length).toBeLessThan(MAX_PATH_BYTES);
    expect(messageOf(() => validateMemoryPath(p))).toMatch(/bytes; the limit is 1024/);
  });

  it('names the field in every message', () => {
    expect(messageOf(() => validateMemoryPath('nope', 'target[3].path'))).toMatch(/^target\[3\]\.path: "nope" must start with "\/"/);
  });

  it.each([
    ['relative', 'a/b', /must start with "\/"/],
    ['just a slash', '/', /names no memory/],
    ['double slash', '/a//b', /has an empty segment \("\/\/"\)/],
    ['trailing slash', '/a/b/', /must not end with "\/"/],
    ['dot segment', '/a/./b', /has a "\." segment/],
    ['dot-dot segment', '/a/../b', /has a "\.\." segment/],
    ['leading dot-dot', '/..', /has a "\.\." segment/],
    ['NUL', '/a\u0000b', /control or format character \(U\+0000\) at index 2/],
    ['newline', '/a\nb', /control or format character \(U\+000A\)/],
    ['DEL', '/a\u007f', /U\+007F/],
    ['zero-width joiner (format)', '/a\u200db', /U\+200D/],
    ['bidi override (format)', '/a\u202eb', /U\+202E/],
    ['line separator', '/a\u2028b', /U\+2028/],
    ['paragraph separator', '/a\u2029b', /U\+2029/],
    ['lone surrogate', '/a\ud800b', /unpaired surrogate/],
    ['non-NFC (e + combining acute)', '/cafe\u0301.md', /not in Unicode Normalization Form C/],
  ])('refuses %s', (_name, path, message) => {
    expect(messageOf(() => validateMemoryPath(path))).toMatch(message);
  });

  it('refuses non-strings', () => {
    expect(messageOf(() => validateMemoryPath(42))).toMatch(/is not a string/);
  });

  it('limits segments to 20', () => {
    const ok = '/' + Array.from({ length: MAX_PATH_SEGMENTS }, () => 's').join('/');
    expect(validateMemoryPath(ok)).toBe(ok);
    expect(messageOf(() => validateMemoryPath(ok + '/s'))).toMatch(/has 21 segments; the limit is 20/);
  });

  it('refuses a segment longer than a file name can be', () => {
    expect(messageOf(() => validateMemoryPath('/' + 'n'.repeat(256)))).toMatch(/segment of 256 bytes; the limit is 255/);
  });
});

describe('validatePathPrefix', () => {
  it('accepts / and folder prefixes ending in /', () => {
    expect(validatePathPrefix('/')).toBe('/');
    expect(validatePathPrefix('/notes/')).toBe('/notes/');
  });
  it('refuses prefixes without trailing slash or with bad segments', () => {
    expect(messageOf(() => validatePathPrefix('/notes'))).toMatch(/must end with "\/"/);
    expect(messageOf(() => validatePathPrefix('/a/../'))).toMatch(/path_prefix: .*"\.\." segment/);
  });
});

describe('overlap', () => {
  it('treats ancestors as overlapping but not name prefixes', () => {
    expect(pathsOverlap('/notes', '/notes/a.md')).toBe(true);
    expect(pathsOverlap('/notes/a.md', '/notes')).toBe(true);
    expect(pathsOverlap('/notes', '/notes-archive/a.md')).toBe(false);
    expect(findOverlap(['/b', '/a', '/a-x/y', '/a/z'])).toEqual(['/a', '/a/z']);
    expect(findOverlap(['/a', '/b', '/a'])).toEqual(['/a', '/a']);
    expect(findOverlap(['/a/b', '/a/c', '/ab'])).toBeUndefined();
  });

  it('PathIndex finds the blocker in every direction and ignores the memory itself', () => {
    const idx = new PathIndex([
      { path: '/notes', id: 'mem_1' },
      { path: '/deep/x/y.md', id: 'mem_2' },
      { path: '/deep/x/a.md', id: 'mem_3' },
    ]);
    expect(idx.conflictFor('/notes')).toEqual({ path: '/notes', id: 'mem_1' });
    expect(idx.conflictFor('/notes/todo.md')).toEqual({ path: '/notes', id: 'mem_1' });
    expect(idx.conflictFor('/deep/x')).toEqual({ path: '/deep/x/a.md', id: 'mem_3' });
    expect(idx.conflictFor('/deep')).toEqual({ path: '/deep/x/a.md', id: 'mem_3' });
    expect(idx.conflictFor('/notes/sub', 'mem_1')).toBeUndefined();
    expect(idx.conflictFor('/Notes')).toBeUndefined();
    idx.remove('/deep/x/a.md');
    expect(idx.conflictFor('/deep')).toEqual({ path: '/deep/x/y.md', id: 'mem_2' });
    idx.remove('/deep/x/y.md');
    expect(idx.conflictFor('/deep')).toBeUndefined();
  });
});
