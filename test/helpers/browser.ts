// Debian's Chromium driven by playwright-core (its own browser download cannot
// work on these machines). The flags keep Chromium off the network.
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * A page whose navigations and waits may take a minute: the suite keeps both
 * cores busy, and a page load that takes 5 s alone can take 30 s (Playwright's
 * default) when it starts beside the type check and three other test files.
 */
export async function openPage(browser: Browser, options?: BrowserContextOptions): Promise<Page> {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(60_000);
  return page;
}
