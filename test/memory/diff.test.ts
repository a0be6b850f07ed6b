import { describe, expect, it } from 'vitest';
import { diffStores } from '../../src/memory/diff.ts';

describe('diffStores', () => {
  it('gives one unified diff per changed path, sorted, without timestamps', () => {
    const a = [
      { path: '/facts/node.md', content: 'Node 18\nnpm 9\n' },
      { path: '/gone.md', content: 'bye\n' },
      { path: '/same.md', content: 'same\n' },
    ];
    const b = [
      { path: '/added.md', content: 'hello' },
      { path: '/facts/node.md', content: 'Node 20\nnpm 9\n' },
      { path: '/same.md', content: 'same\n' },
    ];
    const d = diffStores(a, b);
    expect(d.map((x) => [x.path, x.status])).toEqual([
      ['/added.md', 'added'],
      ['/facts/node.md', 'changed'],
      ['/gone.md', 'removed'],
    ]);
    expect(d.map((x) => x.unified).join('')).toMatchInlineSnapshot(`
      "--- /dev/null
      +++ b/added.md
      @@ -0,0 +1,1 @@
      +hello
      \\ No newline at end of file
      --- a/facts/node.md
      +++ b/facts/node.md
      @@ -1,2 +1,2 @@
      -Node 18
      +Node 20
       npm 9
      --- a/gone.md
      +++ /dev/null
      @@ -1,1 +0,0 @@
      -bye
      "
    `);
    expect(diffStores(b, b)).toEqual([]);
    expect(diffStores(a, b)).toEqual(d); // deterministic
  });
});
