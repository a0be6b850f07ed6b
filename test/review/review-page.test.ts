import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTier } from '../../src/review-actions/set-tier.ts';
import { TEST_KEY } from '../helpers/server.ts';
import { openBrowser, type Browser } from './browser.ts';
import { serverWithDream, type ReviewFixture } from './fixture.ts';

/**
 * The review page in Debian's chromium against a real `dream serve`: key, dreams list, one dream
 * (findings, grades), its diff, an evidence link to the cited session line, approve, promote
 * into a project store, the recorded versions, and a rollback. Each view is screenshotted.
 */
describe('review page in a browser', () => {
  let f: ReviewFixture;
  let b: Browser;
  let project: string;

  beforeAll(async () => {
    f = await serverWithDream();
    project = (await f.t.client.beta.memoryStores.create({ name: 'acme project memory' })).id;
    await setTier(f.paths, project, 'project', { reviewer: 'Admin', note: 'the project tier for acme-shop' });
    b = await openBrowser();
  });
  afterAll(async () => {
    await b?.close();
    await f?.t.close();
  });

  it('asks for the key once, then lists the dreams with status, progress and usage', async () => {
    const { page } = b;
    await page.goto(`${f.t.server.url}/review`);
    await page.locator('#key-form').waitFor();
    await b.shot('review-key');
    await page.fill('#api-key', 'wrong-key');
    await page.click('#key-form button[type=submit]');
    await expect(page.locator('#key-form .notice-error').textContent()).resolves.toMatch(/refused/);
    await page.fill('#api-key', TEST_KEY);
    await page.click('#key-form button[type=submit]');
    const row = page.locator(`#dreams-table tr[data-dream="${f.dream.id}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('completed');
    expect(text).toContain('2/2 batches');
    expect(text).toContain('no model tokens');
    expect(await page.evaluate("sessionStorage.getItem('dreamwork.apiKey')")).toBe(TEST_KEY);
    await b.shot('review-dreams', { fit: true });
  });

  it('opens a dream: inputs, findings per batch, grader evaluations with each criterion', async () => {
    const { page } = b;
    await page.click(`a[href="#/dreams/${f.dream.id}"]`);
    await page.locator('.evaluation').first().waitFor();
    const sessions = page.locator('table.sessions tbody tr');
    expect(await sessions.count()).toBe(10);
    const criteria = page.locator('.evaluation table.criteria tbody tr');
    expect(await criteria.count()).toBeGreaterThanOrEqual(6);
    const evidence = await page.locator('tr[data-criterion="every-memory-is-backed-by-the-evidence-it-cites"]').innerText();
    expect(evidence).toMatch(/passed/);
    expect(await page.locator('.evaluation').first().innerText()).toMatch(/not graded/);
    await page.click('details[data-batch="b0002"] > summary');
    await page.locator('details[data-batch="b0002"] li.finding').first().waitFor();
    expect(await page.locator('details[data-batch="b0002"] li.finding a.evidence').count()).toBeGreaterThan(0);
    await b.shot('review-dream', { fullPage: true });
  });

  it('reads the diff per memory, with superseded values, and follows an evidence link to the cited line', async () => {
    const { page } = b;
    await page.click('#open-diff');
    await page.locator('article.memory').first().waitFor();
    expect(await page.locator('#diff-summary').innerText()).toMatch(/9 added.*4 changed.*0 removed.*1 unchanged.*1 value\(s\) superseded/s);
    const fact = page.locator('article.memory[data-path^="/facts/fact-staging-database"]');
    expect(await fact.locator('.superseded').innerText()).toContain('db-staging.internal:5432');
    expect(await fact.locator('.superseded').innerText()).toMatch(/superseded by this dream/);
    expect(await fact.getAttribute('data-status')).toBe('changed');
    // A line diff: the old value's lines removed, the new ones added, unchanged lines between.
    expect(await fact.locator('tr.dl-del').count()).toBeGreaterThan(0);
    expect(await fact.locator('tr.dl-add').count()).toBeGreaterThan(0);
    expect(await fact.locator('tr.dl-same').count()).toBeGreaterThan(0);
    await fact.scrollIntoViewIfNeeded();
    await b.shot('review-diff');
    // The current value's evidence: the line where the user said staging moved.
    const link = fact.locator('tr.dl-add', { hasText: 'We moved staging' }).locator('a.evidence', { hasText: / L8 / }).first();
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^#\/sessions\/sesn_\w+\?start=8&event=sevt_\w+$/);
    await link.click();
    const cited = page.locator('#session-lines tr.hl');
    await cited.waitFor();
    expect(await cited.count()).toBe(1);
    expect(await cited.getAttribute('data-line')).toBe('8');
    expect(await cited.innerText()).toContain('db-staging-2.internal:5432');
    expect(await page.locator('#session-lines tr').count()).toBeGreaterThan(1); // context around it
    await b.shot('review-session');
    await page.goBack();
    await page.locator('article.memory').first().waitFor();
  });

  it('approves the dream with a note after seeing the preview', async () => {
    const { page } = b;
    await page.goto(`${f.t.server.url}/review#/dreams/${f.dream.id}`);
    await page.locator('#approve').waitFor();
    await page.fill('#verdict-reviewer', 'Ada Reviewer');
    await page.fill('#verdict-note', 'Lessons match the CI runs; staging move confirmed with ops.');
    await page.click('#approve');
    await page.locator('#preview-approve').waitFor();
    expect(await page.locator('#preview-approve').innerText()).toMatch(/Preview/);
    await page.click('#confirm-approve');
    await page.locator('#done-approve').waitFor();
    await page.locator('#verdict').waitFor();
    expect(await page.locator('#verdict').innerText()).toMatch(/approved by Ada Reviewer/);
    await page.locator('#verdict').scrollIntoViewIfNeeded();
    await b.shot('review-approve');
    const { data } = await f.t.client.get<{ data: { action: string; reviewer: string; note: string; dream_id: string }[] }>('/v1/reviews', { query: { dream_id: f.dream.id } });
    expect(data[0]).toMatchObject({ action: 'approve', reviewer: 'Ada Reviewer', dream_id: f.dream.id });
  });

  it('promotes ticked memories into the project store and shows the versions attributed to the reviewer', async () => {
    const { page } = b;
    await page.goto(`${f.t.server.url}/review#/dreams/${f.dream.id}/diff`);
    await page.locator('article.memory').first().waitFor();
    await page.locator(`#promote-to option[value="${project}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#promote-to', project);
    const picks = page.locator('article.memory[data-path^="/failures/"] input.pick');
    const n = await picks.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await picks.nth(i).check();
    await page.fill('#promote-reviewer', 'Ada Reviewer');
    await page.fill('#promote-note', 'Recurring CI failures are worth keeping project-wide.');
    await page.click('#promote');
    await page.locator('#preview-promote').waitFor();
    expect(await page.locator('#preview-promote').innerText()).toContain(`${n} added`);
    await page.locator('#preview-promote').scrollIntoViewIfNeeded();
    await b.shot('review-promote-preview');
    await page.click('#confirm-promote');
    await page.locator('#done-promote').waitFor();
    await page.click('#done-promote a');
    const rows = page.locator('#versions-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(n);
    expect(await rows.first().innerText()).toContain('user Ada Reviewer');
    expect(await page.locator('table.reviews').innerText()).toContain('Recurring CI failures are worth keeping project-wide.');
    await b.shot('review-versions', { fullPage: true });
    // The same versions through the official SDK: written by the reviewer, as a user.
    for await (const v of f.t.client.beta.memoryStores.memoryVersions.list(project)) {
      expect(v.created_by).toEqual({ type: 'user_actor', user_id: 'Ada Reviewer' });
    }
  });

  it('rolls the promotion back after a preview, recorded as new versions', async () => {
    const { page } = b;
    const promote = await page.locator('table.reviews tr[data-review]').first().getAttribute('data-review');
    await page.selectOption('#rollback-to', promote!);
    await page.fill('#rollback-reviewer', 'Ada Reviewer');
    await page.fill('#rollback-note', 'Promoted too early; waiting for two more runs.');
    await page.click('#rollback');
    await page.locator('#preview-rollback').waitFor();
    expect(await page.locator('#preview-rollback').innerText()).toMatch(/removed/);
    await page.click('#confirm-rollback');
    await page.locator('#done-rollback').waitFor();
    // The lists are read again: three deletions by the reviewer on top of the three creations.
    await page.locator('#versions-table tbody tr').nth(5).waitFor();
    expect(await page.locator('#versions-table tbody tr').first().innerText()).toMatch(/deleted[\s\S]*user Ada Reviewer/);
    await b.shot('review-rollback', { fullPage: true });
    await page.click('a[href="#/reviews"]');
    // The store page has a table of reviews too: wait for the review log's own four rows.
    await page.waitForURL(/#\/reviews$/);
    const log = page.locator('table.reviews tbody tr');
    await expect.poll(() => log.count(), { timeout: 30_000 }).toBe(4);
    expect(await log.count()).toBe(4); // set_tier, approve, promote, rollback
    expect(await log.first().innerText()).toMatch(/rollback[\s\S]*Promoted too early/);
    const memories: string[] = [];
    for await (const m of f.t.client.beta.memoryStores.memories.list(project)) memories.push(m.path ?? '');
    expect(memories).toEqual([]);
  });
});
