import { describe, expect, it } from 'vitest';
import { mineLines, TemplateMiner } from '../../../src/engine/local/templates/miner.ts';
import { splitHeader } from '../../../src/engine/local/templates/header.ts';
import { templateId } from '../../../src/engine/local/templates/template-id.ts';
import { maskTokens } from '../../../src/engine/local/templates/mask-tokens.ts';

describe('TemplateMiner', () => {
  it('groups lines that differ only in variables', () => {
    const { lines, templates } = mineLines([
      'Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2',
      'Dec 10 07:02:47 LabSZ sshd[24206]: Failed password for root from 52.80.34.196 port 36060 ssh2',
      'Dec 11 09:12:01 LabSZ sshd[1207]: Failed password for root from 10.0.0.1 port 22 ssh2',
    ]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(1);
    expect(templates).toEqual([
      { id: lines[0]!.id, template: '<TS> LabSZ sshd[<NUM>]: Failed password for root from <IP> port <NUM> ssh2', count: 3 },
    ]);
  });

  it('separates different statements that share a header', () => {
    const { lines } = mineLines([
      '2015-10-18 18:01:47,978 INFO [main] org.a.B: Created MRAppMaster for application appattempt_1445_0020',
      '2015-10-18 18:01:48,011 INFO [main] org.a.B: Executing with tokens:',
      '2015-10-18 18:01:49,123 INFO [main] org.a.B: Created MRAppMaster for application appattempt_1445_0021',
      '2015-10-18 18:01:50,456 INFO [main] org.a.B: Using mapred newApiCommitter.',
    ]);
    const ids = lines.map((l) => l.id);
    expect(ids[0]).toBe(ids[2]);
    expect(new Set(ids).size).toBe(3);
  });

  it('merges differing constant words into <*> and counts lines', () => {
    const m = new TemplateMiner();
    m.add('Connection closed by peer alpha after a while [preauth]');
    const second = m.add('Connection closed by peer beta after a while [preauth]');
    expect(second.template).toBe('Connection closed by peer <*> after a while [preauth]');
    expect(m.templates()).toEqual([{ id: second.id, template: second.template, count: 2 }]);
  });

  it('gives content-derived ids: same template, same id, whatever the order', () => {
    const a = ['job 1 started', 'disk /var/a/b full', 'job 2 started'];
    const b = ['disk /var/c/d full', 'job 7 started'];
    const ta = mineLines(a).templates;
    const tb = mineLines(b).templates;
    expect(ta.map((t) => t.id).sort()).toEqual(tb.map((t) => t.id).sort());
    expect(ta.find((t) => t.template === 'job <NUM> started')!.id).toBe(templateId('job <NUM> started'));
    expect(mineLines(a)).toEqual(mineLines(a));
  });

  it('lists templates most frequent first, ties by text', () => {
    const { templates } = mineLines(['b happened', 'a happened', 'c 1', 'c 2', 'c 3']);
    expect(templates.map((t) => [t.template, t.count])).toEqual([
      ['c <NUM>', 3],
      ['a happened', 1],
      ['b happened', 1],
    ]);
  });

  it('handles empty and blank lines', () => {
    const { lines, templates } = mineLines(['', '   ', 'x']);
    expect(lines[0]!.id).toBe(lines[1]!.id);
    expect(templates.map((t) => t.template).sort()).toEqual(['', 'x']);
  });
});

describe('maskTokens', () => {
  it('masks variables one token at a time, folding timestamp parts', () => {
    expect(maskTokens('Dec 10 06:55:46 host sshd[24200]: from 10.0.0.1:22 took 12ms id 0x1f2e size 4.5MB at /var/log/x.log')).toEqual(
      ['<TS>', 'host', 'sshd[<NUM>]:', 'from', '<IP>', 'took', '<DUR>', 'id', '<HEX>', 'size', '<SIZE>', 'at', '<PATH>'],
    );
    expect(maskTokens("2024-03-01 10:00:01,123 value 'abc' url https://x.io/a?b=1 v1.2.3 TS2345")).toEqual(
      ['<TS>', 'value', '<STR>', 'url', '<URL>', 'v1.<NUM>', 'TS2345'],
    );
  });
});

describe('splitHeader', () => {
  it('finds the message after level, thread and component', () => {
    const toks = maskTokens('2015-10-18 18:01:47,978 INFO [IPC Server handler 19 on 62270] org.a.Listener: Progress of attempt');
    const h = splitHeader(toks);
    expect(toks.slice(h.start)).toEqual(['Progress', 'of', 'attempt']);
    expect(h.key).toBe('org.a.Listener:');
  });

  it('treats a line without a header as all message', () => {
    expect(splitHeader(maskTokens('npm ERR! code ERESOLVE')).start).toBe(0);
  });
});
