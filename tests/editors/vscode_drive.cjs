// Drives a code-server workbench in headless Chromium the way a person would: quick open,
// go to line, Ctrl+. and the command palette, reading what the workbench shows. It observes and
// waits; test_vscode_e2e.py decides what is right. Run as `node vscode_drive.cjs plan.json`.
// The plan names a scenario (fix, implement, cancel); the result JSON goes to plan.result.
'use strict';

const fs = require('fs');
const path = require('path');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const { chromium } = require(plan.playwright);

const result = { scenario: plan.scenario, steps: [], timings: {}, toasts: [] };
const started = Date.now();
let page;

function step(text) {
  result.steps.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${text}`);
}

async function waitFor(what, check, timeout = 60000, every = 250) {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    }
    await page.waitForTimeout(every);
  }
}

async function tabs() {
  return page.evaluate(() => [...document.querySelectorAll('.tabs-container .tab')].map((t) => ({
    name: (t.getAttribute('aria-label') || '').split(',')[0].trim(),
    dirty: t.classList.contains('dirty'),
    active: t.classList.contains('active'),
  })));
}

/** Quick open (Ctrl+P) a workspace file by name and wait for its tab to be the active one. */
async function openFile(name) {
  const active = async () => (await tabs()).some((t) => t.active && t.name === name);
  await waitFor(`${name} as the active tab`, async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    const row = page.locator('.quick-input-list .monaco-list-row', {
      has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }),
    }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await row.click(); // Enter is lost while the workbench is still starting
    for (let i = 0; i < 20 && !(await active()); i += 1) {
      await page.waitForTimeout(250);
    }
    if (await active()) {
      return true;
    }
    await page.keyboard.press('Escape');
    return false;
  }, 60000, 500);
  step(`opened ${name}`);
}

/** The extension starts on the first Python file (activationEvents: onLanguage:python). */
async function extensionActive() {
  const since = Date.now();
  await waitFor('the micro-agent status bar item (the extension active)', () => page.evaluate(() =>
    [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent.includes('micro-agent'))), 120000);
  result.timings.extension_active_s = (Date.now() - since) / 1000;
  step('the micro-agent extension is active');
}

async function goToLine(line) {
  const there = () => page.evaluate((l) =>
    [...document.querySelectorAll('.statusbar-item')].some((e) => e.textContent.includes(`Ln ${l},`)), line);
  await waitFor(`line ${line} in the status bar`, async () => {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}`);
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 12 && !(await there()); i += 1) {
      await page.waitForTimeout(250);
    }
    if (await there()) {
      return true;
    }
    await page.keyboard.press('Escape');
    return false;
  }, 60000, 500);
  step(`cursor on line ${line}`);
}

/** Run a command from the palette (F1): the first row whose label matches `pattern`. */
async function command(query, pattern) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${query}`);
  const label = await waitFor(`"${query}" in the command palette`, () => page.evaluate((source) => {
    const re = new RegExp(source);
    const names = [...document.querySelectorAll('.quick-input-list .monaco-list-row .label-name')].map((e) => e.textContent.trim());
    return names.find((n) => re.test(n));
  }, pattern.source));
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
  step(`ran "${label}" from the command palette`);
  return label;
}

/** The text of the editor that shows `name`, line by line as rendered (the files here fit). */
async function editorText(name) {
  return page.evaluate((n) => {
    const group = [...document.querySelectorAll('.editor-group-container')].find((g) =>
      [...g.querySelectorAll('.tab.active')].some((t) => (t.getAttribute('aria-label') || '').split(',')[0].trim() === n));
    if (!group) {
      return '';
    }
    const lines = [...group.querySelectorAll('.monaco-editor .view-lines .view-line')];
    lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return lines.map((l) => l.textContent.replace(/\u00a0/g, ' ')).join('\n').replace(/\n+$/, '') + '\n';
  }, name);
}

/** The source file on the left, the test file on the right: both in view, as a person works. */
async function sideBySide() {
  await openFile(plan.source);
  await extensionActive();
  await command('Split Editor Right', /^View: Split Editor Right$/);
  await openFile(plan.test);
  await goToLine(plan.line);
  result.source_before = await editorText(plan.source);
}

/** Wait until the source file's editor shows `expect`; the seconds since `since`. */
async function edited(expect, since) {
  await waitFor(`${plan.source} to show the new code`, async () => (await editorText(plan.source)).includes(expect), 120000, 100);
  const took = (Date.now() - since) / 1000;
  step(`edit applied to ${plan.source} after ${took} s`);
  return took;
}

/** The micro-agent rows of the quick fix menu, opening it (Ctrl+.) until the server offers them. */
async function quickFixMenu(wanted) {
  return waitFor(`"${wanted}" in the quick fix menu`, async () => {
    await page.keyboard.press('Control+.');
    try {
      await page.locator('.action-widget .monaco-list-row').first().waitFor({ state: 'visible', timeout: 3000 });
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
    await page.waitForTimeout(300); // the server's actions arrive with the others
    const rows = await page.evaluate(() => [...document.querySelectorAll('.action-widget .monaco-list-row')]
      .map((r) => (r.getAttribute('aria-label') || r.textContent).trim()).filter(Boolean));
    if (rows.some((r) => r.includes(wanted))) {
      return rows;
    }
    await page.keyboard.press('Escape');
    return undefined;
  }, 90000, 1000);
}

/** The notification toasts shown: message, source, buttons and whether a progress bar runs. */
async function toasts() {
  return page.evaluate(() => [...document.querySelectorAll('.notifications-toasts .notification-toast')].map((t) => ({
    message: ((t.querySelector('.notification-list-item-message') || {}).textContent || '').trim(),
    source: ((t.querySelector('.notification-list-item-source') || {}).textContent || '').trim(),
    buttons: [...t.querySelectorAll('.monaco-button')].map((b) => b.textContent.trim()).filter(Boolean),
  })));
}

/** Progress notifications: the toasts with a Cancel button. */
async function progressToasts() {
  const shown = (await toasts()).filter((t) => t.buttons.includes('Cancel'));
  return shown.length ? shown : undefined;
}

async function allToasts() {
  return (await toasts()).map((t) => `${t.message} [${t.source}] ${t.buttons.join(' ')}`.trim());
}

async function problems() {
  await command('Problems', /Focus.*Problems|Problems.*Focus/);
  await waitFor('the Problems panel', () => page.locator('.markers-panel').first().isVisible());
  return waitFor('a row in the Problems panel', async () => {
    const rows = await page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')]
      .map((r) => (r.getAttribute('aria-label') || r.textContent).trim()));
    return rows.length ? rows : undefined;
  }, 30000);
}

/** Save All, then wait until no editor is unsaved and the file on disk holds `expect`. */
async function saveAll(expect) {
  await command('Save All', /^(File: )?Save All$/);
  await waitFor('no unsaved editor', async () => !(await tabs()).some((t) => t.dirty), 30000);
  await waitFor(`${plan.source} on disk to hold the new code`, () =>
    fs.readFileSync(plan.sourcePath, 'utf8').includes(expect), 30000);
  step('saved all');
}

async function shot(file) {
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    step(`screenshot ${path.basename(file)}`);
  }
}

/** The run's progress notification, once it shows. */
async function progressShown() {
  const shown = await waitFor('the run\'s progress notification', progressToasts, 60000, 50);
  result.progress = shown;
  step(`progress notification: ${shown[0].message} [${shown[0].source}]`);
}

async function progressEnded(timeout) {
  await waitFor('the progress notification to end', async () => !(await progressToasts()), timeout);
  result.toasts.push(...(await allToasts()));
  step('progress notification ended');
}

const scenarios = {
  async fix() {
    await sideBySide();
    const rows = await quickFixMenu(plan.action);
    result.menu = rows;
    step(`quick fix menu: ${rows.join(' | ')}`);
    await shot(plan.shots && plan.shots.menu);
    const picked = Date.now();
    await page.locator('.action-widget .monaco-list-row', { hasText: plan.action }).first().click();
    step(`picked "${plan.action}"`);
    await progressShown();
    result.timings.pick_to_edit_s = await edited(plan.expect, picked);
    await progressEnded(120000);
    result.outcome = await waitFor('the run\'s outcome message', async () =>
      (await toasts()).map((t) => t.message).find((m) => m.includes(plan.outcome)), 30000);
    step(`message: ${result.outcome}`);
    result.source_text = await editorText(plan.source);
    result.problems = await problems();
    step(`problems: ${result.problems.join(' | ')}`);
    await shot(plan.shots && plan.shots.result);
    await saveAll(plan.expect);
    result.test_text = await editorText(plan.test);
  },

  async implement() {
    await sideBySide();
    const picked = Date.now();
    result.command = await command(plan.query, new RegExp(plan.command));
    await progressShown();
    result.timings.pick_to_edit_s = await edited(plan.expect, picked);
    await progressEnded(120000);
    result.source_text = await editorText(plan.source);
    await saveAll(plan.expect);
  },

  async cancel() {
    await sideBySide();
    await quickFixMenu(plan.action);
    await page.locator('.action-widget .monaco-list-row', { hasText: plan.action }).first().click();
    step(`picked "${plan.action}"`);
    await progressShown();
    await waitFor('the Coder at work (the slow scripted model called)', () =>
      fs.existsSync(plan.calls) && fs.readFileSync(plan.calls, 'utf8').includes('"model": "coder"'), 300000, 250);
    step('the Coder is at work');
    if (plan.ready) {  // the test says when it has seen the run's container
      await waitFor(`${path.basename(plan.ready)} from the test`, () => fs.existsSync(plan.ready), 120000);
      step('the test has seen the run\'s container');
    }
    const toast = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.monaco-button', { hasText: 'Cancel' }) });
    const cancelled = Date.now();
    await toast.first().locator('.monaco-button', { hasText: 'Cancel' }).click();
    step('clicked Cancel on the progress notification');
    await waitFor('the progress notification to end', async () => !(await progressToasts()), 60000, 100);
    step(`notification closed ${(Date.now() - cancelled) / 1000} s after Cancel`);
    // The toast closes at the click; the run has stopped when the server ends its progress,
    // which the status bar item then shows.
    result.status = await waitFor('"micro-agent: cancelled" in the status bar', () => page.evaluate(() =>
      [...document.querySelectorAll('.statusbar-item')].map((e) => e.textContent.trim()).find((t) => t.includes('micro-agent: cancelled'))), 60000, 100);
    result.timings.cancel_to_run_end_s = (Date.now() - cancelled) / 1000;
    step(`run ended ${result.timings.cancel_to_run_end_s} s after Cancel: ${result.status}`);
    await page.waitForTimeout(2000); // an edit arriving late would show by now
    result.tabs = await tabs();
    result.source_text = await editorText(plan.source);
    result.toasts.push(...(await allToasts()));
  },
};

async function main() {
  const browser = await chromium.launch({
    executablePath: plan.chromium,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  try {
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    page.setDefaultTimeout(30000);
    const loading = Date.now();
    await page.goto(plan.url);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120000 });
    await waitFor('the workspace in the explorer', () => page.evaluate(() =>
      document.querySelectorAll('.explorer-folders-view .monaco-list-row').length > 0), 120000);
    result.timings.workbench_load_s = (Date.now() - loading) / 1000;
    step(`workbench loaded in ${result.timings.workbench_load_s} s`);
    await scenarios[plan.scenario]();
    result.ok = true;
  } catch (error) {
    result.ok = false;
    result.error = String(error && error.stack ? error.stack : error);
    if (page && plan.failures) {
      fs.mkdirSync(plan.failures, { recursive: true });
      try {
        await page.screenshot({ path: path.join(plan.failures, 'screenshot.png') });
        result.toasts.push(...(await allToasts()));
        result.tabs = await tabs();
      } catch (e) {
        result.steps.push(`no screenshot: ${e}`);
      }
    }
  } finally {
    result.timings.driver_s = (Date.now() - started) / 1000;
    fs.writeFileSync(plan.result, JSON.stringify(result, null, 2));
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
