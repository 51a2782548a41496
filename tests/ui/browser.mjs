// Debian's Chromium driven by playwright-core, with screenshots and axe-core scans of each screen.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // As root in a container Chromium's sandbox cannot start; the kiosk itself runs it unprivileged.
    args: ['--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'],
  });
}

// Serious or critical axe-core violations of the page as it is now (WCAG 2.x A/AA rules).
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Saves the screen as build/ui-screens/<lang>/<name>.png and checks it with axe.
export async function capture(page, outDir, name, problems) {
  const lang = await page.evaluate(() => document.documentElement.lang);
  const file = path.join(outDir, lang, `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  for (const v of await axeViolations(page)) problems.push(`${lang}/${name}: ${v}`);
  // Touch targets: every visible button at least 44 x 44 CSS pixels.
  const small = await page.$$eval('button, input, textarea', (els) => els
    .filter((e) => e.offsetParent !== null)
    .map((e) => ({ id: e.id || e.textContent.trim(), r: e.getBoundingClientRect() }))
    .filter(({ r }) => r.width < 44 || r.height < 44)
    .map(({ id, r }) => `${id} ${Math.round(r.width)}x${Math.round(r.height)}`));
  for (const s of small) problems.push(`${lang}/${name}: touch target too small: ${s}`);
  return file;
}
