import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readTree, runCli, tempRoot } from '../helpers/cli.ts';

/** Every file under dir, as text: the whole stored store, sessions' events and findings included. */
async function allText(dir: string, skip: (name: string) => boolean): Promise<string> {
  let out = '';
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out += await allText(p, skip);
    else if (!skip(e.name)) out += `${await readFile(p, 'utf8')}\n`;
  }
  return out;
}

const SECRETS = [
  'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8',
  'AKIAIOSFODNN7EXAMPLE',
  'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345',
  'hunter2hunter2',
  's3cr3tPassw0rd',
  'xoxb-123456789012-abcdefghijkl',
];

const made: string[] = [];
afterEach(async () => {
  while (made.length > 0) await rm(made.pop()!, { recursive: true, force: true });
});

describe('big and ugly build logs through a whole dream', () => {
  it('quotes a 12 MB line cut with a note, flags partial and truncated logs, and stores no secret', async () => {
    const base = await tempRoot('dw-big-in-');
    made.push(base);
    const inputs = join(base, 'logs');
    await mkdir(inputs);
    const giant = `Error: bundle check failed ${'x'.repeat(12 * 1024 * 1024)}`;
    for (let i = 0; i < 2; i++) {
      await writeFile(
        join(inputs, `giant-${i}.log`),
        `$ npm run check\nrun ${i}\n${giant}\nDone. Your build exited with 1.\n`,
      );
    }
    const leaky = [
      '$ ./deploy.sh',
      `git clone https://x-access-token:${SECRETS[0]}@github.com/acme/app.git`,
      `export AWS_ACCESS_KEY_ID=${SECRETS[1]}`,
      `ERROR: auth failed for key ${SECRETS[2]}`,
      `error: could not connect to postgres://deploy:${SECRETS[3]}@db.internal:5432/app`,
      `FATAL: login failed, password=${SECRETS[4]}`,
      `error: slack notify failed with token ${SECRETS[5]}`,
      'Done. Your build exited with 1.',
      '',
    ].join('\n');
    await writeFile(join(inputs, 'leaky-1.log'), leaky);
    await writeFile(join(inputs, 'leaky-2.log.gz'), gzipSync(leaky.replace('./deploy.sh', './deploy.sh --retry')));
    const cut = gzipSync('$ make\nerror: build step 1 failed\nDone. Your build exited with 2.\n'.repeat(2000));
    await writeFile(join(inputs, 'cut.log.gz'), cut.subarray(0, Math.floor(cut.length / 2)));
    await writeFile(join(inputs, 'partial.log'), '$ make test\nerror: test 3 failed\nrunning test 4');

    const root = await tempRoot();
    made.push(root);
    const res = await runCli(['run', join(inputs, '*'), '--json', '--quiet', '--workers', '2'], root);
    expect(res.code, res.stderr).toBe(0);
    const dream = JSON.parse(res.stdout);
    expect(dream.status).toBe('completed');
    const tree = await readTree(join(root, 'stores', dream.outputs[0].memory_store_id, 'tree'));
    const store = Object.values(tree).join('\n');
    expect(store).toMatch(/Error: bundle check failed x+ … \[line truncated: 12,582,939 bytes\]/);

    const list = (
      JSON.parse((await runCli(['sessions', 'list', '--json'], root)).stdout) as {
        data: { source: { path: string }; metadata: Record<string, string> }[];
      }
    ).data;
    const meta = (name: string) => list.find((s) => s.source.path.endsWith(name))?.metadata ?? {};
    expect(meta('cut.log.gz').truncated).toBe('gzip stream ended early');
    expect(meta('partial.log').partial).toMatch(/no final status or exit line/);
    expect(meta('leaky-1.log').partial).toBeUndefined();

    // Nothing a dream stored (memories, findings, candidates, events) holds a secret; only the
    // kept original bytes of each session do.
    const stored = await allText(root, (n) => n.startsWith('original'));
    for (const secret of SECRETS) expect(stored, secret).not.toContain(secret);
    expect(store).toContain('[REDACTED');
  }, 60_000);
});
