import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from '../helpers/server.ts';
import { openBrowser, type Browser } from './browser.ts';
import { serverWithQuarantine, type QuarantineFixture } from './fixture.ts';

interface Entry {
  id: string;
  path: string;
  memory_store_id: string | null;
  flags: { rule: string; reason: string }[];
  evidence: { session_id: string; lines: [number, number] | null }[];
}

/**
 * The quarantine on the review page, in Debian's chromium against a real `dream serve` holding a
 * dream over the red-team corpus: the dream's screening card lists what was refused and why, an
 * entry shows its flags, its content as text and its evidence, which links to the session lines.
 */
describe('quarantine on the review page', () => {
  let f: QuarantineFixture;
  let b: Browser;
  let entries: Entry[];
  let exfil: Entry;

  beforeAll(async () => {
    f = await serverWithQuarantine();
    entries = (await f.t.client.get<{ data: Entry[] }>('/v1/review/quarantine', { query: { dream_id: f.dream.id, limit: 100 } })).data;
    exfil = entries.find((e) => e.flags.some((x) => x.rule === 'exfiltration') && e.evidence.some((ev) => ev.lines))!;
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await f?.t.close();
  });

  it("lists a dream's quarantined writes in its screening card, with each flag's reason", async () => {
    const { page } = b;
    await page.goto(`${f.t.server.url}/review#/dreams/${f.dream.id}`);
    await page.locator('#key-form').waitFor();
    await page.fill('#api-key', TEST_KEY);
    await page.click('#key-form button[type=submit]');
    const items = page.locator('#dream-quarantine > li.quarantined');
    await items.first().waitFor();
    expect(await items.count()).toBe(entries.length);
    expect(await page.locator('#screening-summary').innerText()).toContain(`${entries.length} quarantined`);
    const item = page.locator(`#dream-quarantine li[data-quarantine="${exfil.id}"]`);
    const text = await item.innerText();
    expect(text).toContain(exfil.path);
    expect(text).toContain('asks to send secrets or data to an outside destination');
    expect(text).toMatch(/rule exfiltration · line \d+/);
    await page.locator('#screening-summary').evaluate((el) => el.closest('section')?.scrollIntoView({ block: 'start' }));
    await b.shot('review-dream-quarantine');
  });

  it('opens an entry: flags, the refused content as text, its source, and evidence linked to the session lines', async () => {
    const { page } = b;
    await page.click(`#dream-quarantine li[data-quarantine="${exfil.id}"] a.q-open`);
    await page.locator('#q-content').waitFor();
    expect(await page.locator('h1').innerText()).toContain(exfil.path);
    expect(await page.locator('#q-flags li.flag').count()).toBe(exfil.flags.length);
    expect(await page.locator('#q-source').getAttribute('href')).toBe(`#/dreams/${f.dream.id}`);
    // Hostile content stays text: the link it carries is not a link on the page.
    expect(await page.locator('#q-content').innerText()).toContain('https://collect.evil.example/k?d={secrets}');
    expect(await page.locator('#q-content a').count()).toBe(0);
    const links = page.locator('#q-evidence a.evidence');
    expect(await links.count()).toBe(exfil.evidence.length);
    await b.shot('review-quarantine', { fullPage: true });

    const cited = exfil.evidence.find((ev) => ev.lines)!;
    const link = links.filter({ hasText: `${cited.session_id} L` }).first();
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^#/sessions/${cited.session_id}\\?start=${cited.lines![0]}`));
    await link.click();
    const hl = page.locator('#session-lines tr.hl');
    await hl.first().waitFor();
    expect(await hl.first().getAttribute('data-line')).toBe(String(cited.lines![0]));
    expect(await page.locator('#cited').innerText()).toMatch(new RegExp(`line[s]? ${cited.lines![0]}`));
  });

  it('lists every quarantined write from the nav, newest first', async () => {
    const { page } = b;
    await page.click('header nav a[href="#/quarantine"]');
    const rows = page.locator('#quarantine-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(entries.length);
    expect(await rows.first().getAttribute('data-quarantine')).toBe(entries[0]!.id);
    await b.shot('review-quarantine-list', { fit: true });
  });

  it('releases an entry a reviewer judged safe: preview, confirm, and the entry says who released it', async () => {
    const { page } = b;
    const entry = entries.find((e) => e.id !== exfil.id && e.memory_store_id)!;
    await page.goto(`${f.t.server.url}/review#/quarantine/${entry.id}`);
    await page.locator('#release').waitFor();
    await page.fill('#release-reviewer', 'ana');
    await page.fill('#release-note', 'a quoted example in a post-mortem, not an instruction');
    await page.click('#release');
    await page.locator('#preview-release').waitFor();
    expect(await page.locator('#preview-release').innerText()).toContain('1 added');
    await page.click('#confirm-release');
    const done = page.locator('#done-release');
    await done.waitFor();
    expect(await done.innerText()).toMatch(/release recorded as review rev_\w+ by ana: 1 version\(s\) written/);
    await page.reload();
    await page.locator('#q-released').waitFor();
    expect(await page.locator('#q-released').innerText()).toContain('Released by ana');
    expect(await page.locator('#release').count()).toBe(0);
    const mems = await f.t.client.beta.memoryStores.memories.list(entry.memory_store_id!);
    expect(mems.data.map((m) => m.path)).toContain(entry.path);
  });
});
