// The home page opens in a real browser, served over HTTP and from disk,
// with and without JavaScript, and shows the site's title.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, pageFor, bothWays } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const javaScript of [true, false]) {
  test(`home page shows the title (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
    await bothWays(async (base, how) => {
      const page = await pageFor(browser, { javaScript });
      await page.goto(base + 'index.html');
      const h1 = await page.locator('h1').innerText();
      assert.match(h1, /Aide alimentaire en Île-de-France/, `${how}: h1`);
      assert.match(await page.title(), /Aide alimentaire/, `${how}: <title>`);
      assert.deepEqual(page.errors, [], `${how}: no console errors`);
      await page.context().close();
    });
  });
}
