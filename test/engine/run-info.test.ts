import { describe, expect, it } from 'vitest';
import { RunInfoScanner } from '../../src/engine/local/run-info.ts';

function scan(lines: string[]) {
  const s = new RunInfoScanner('sesn_x');
  lines.forEach((l, i) => s.push(l, i + 1, 'sevt_x', null));
  return s.result();
}

describe('run info from a build log', () => {
  it('reads job, revision and status from Travis logs', () => {
    const info = scan([
      '\x1b[0Ktravis_fold:start:git.checkout\x1b[0K$ git clone --depth=50 https://github.com/BVLC/caffe.git BVLC/caffe',
      '$ git checkout -qf 2d6c6b4e1f0a9c8b7d6e5f4a3b2c1d0e9f8a7b6c',
      'make: *** [all] Error 2',
      'Done. Your build exited with 1.',
    ]);
    expect(info.job).toBe('bvlc/caffe');
    expect(info.revision).toBe('2d6c6b4e1f0a');
    expect(info.status).toBe('failed');
    expect(info.statusEvidence).toMatchObject({ lines: [4, 4], quote: 'Done. Your build exited with 1' });
    expect(info.endEvidence).toMatchObject({ lines: [4, 4], quote: 'Done. Your build exited with 1.' });
  });

  it('reads GitHub Actions and Jenkins phrasings; the last status line wins', () => {
    const gh = scan([
      '2026-01-01T00:00:00.0000000Z Syncing repository: acme/shop-api',
      '2026-01-01T00:00:01.0000000Z HEAD is now at 5d4c3b2 Pin react-dom',
      '2026-01-01T00:00:09.0000000Z ##[error]Process completed with exit code 1.',
      '2026-01-01T00:00:19.0000000Z Process completed with exit code 0.',
    ]);
    expect([gh.job, gh.revision, gh.status]).toEqual(['acme/shop-api', '5d4c3b2', 'passed']);
    const jenkins = scan(['Building in workspace /var/lib/jenkins/workspace/spoon-pr', 'Checking out Revision 0123456789abcdef (refs/remotes/origin/master)', '[INFO] BUILD SUCCESS', 'Finished: SUCCESS']);
    expect([jenkins.job, jenkins.revision, jenkins.status]).toEqual(['spoon-pr', '0123456789ab', 'passed']);
  });

  it('says nothing when the log says nothing', () => {
    const info = scan(['compiling', 'linking', '']);
    expect([info.job, info.revision, info.status]).toEqual([null, null, null]);
    expect(info.endEvidence?.quote).toBe('linking');
  });
});
