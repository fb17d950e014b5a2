// A minimal W3C WebDriver client over fetch: just what the end-to-end tests need.

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const res = await call(base, 'POST', '/session', { capabilities });
    return new Session(base, res.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async delete() {
    await this.cmd('DELETE', '');
  }

  async find(css) {
    const r = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return r[ELEMENT];
  }

  async findAll(css) {
    const r = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return r.map((e) => e[ELEMENT]);
  }

  async xpath(xp) {
    const r = await this.cmd('POST', '/element', { using: 'xpath', value: xp });
    return r[ELEMENT];
  }

  /** Polls `fn` until it returns a truthy value without throwing. */
  async waitFor(what, fn, timeoutMs = 20000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      await sleep(200);
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
  }

  waitCss(css, timeoutMs) {
    return this.waitFor(css, () => this.find(css), timeoutMs);
  }

  async click(css) {
    const el = await this.waitCss(css);
    await this.waitFor(`${css} clickable`, async () => {
      await this.cmd('POST', `/element/${el}/click`, {});
      return true;
    });
  }

  /** Clicks the first visible element matching `xp` (hidden dropdowns may hold the same text). */
  async clickXpath(xp) {
    await this.waitFor(`${xp} visible and clickable`, async () => {
      const r = await this.cmd('POST', '/elements', { using: 'xpath', value: xp });
      for (const e of r.map((x) => x[ELEMENT])) {
        if (await this.cmd('GET', `/element/${e}/displayed`)) {
          await this.cmd('POST', `/element/${e}/click`, {});
          return true;
        }
      }
      return false;
    });
  }

  /**
   * Picks an option of an Element Plus select and checks the select shows it; dropdowns open with
   * an animation, so a click may land before the option is ready — then it tries again.
   * `option` is a CSS selector or an XPath (starting with "/"); null means the item with `label`.
   */
  async choose(selectCss, option, label) {
    const xpath =
      option ?? `//li[contains(@class,'el-select-dropdown__item')][normalize-space(.)='${label}']`;
    await this.waitFor(`${selectCss} showing ${label}`, async () => {
      if ((await this.text(selectCss)).includes(label)) return true;
      await this.click(selectCss);
      const found = await this.cmd('POST', '/elements', {
        using: xpath.startsWith('/') ? 'xpath' : 'css selector',
        value: xpath,
      });
      const opts = found.map((x) => x[ELEMENT]);
      for (const o of opts) {
        if (await this.cmd('GET', `/element/${o}/displayed`)) {
          await this.cmd('POST', `/element/${o}/click`, {});
          break;
        }
      }
      await sleep(300);
      return (await this.text(selectCss)).includes(label);
    });
  }

  async type(css, text, { clear = true } = {}) {
    const el = await this.waitCss(css);
    if (clear) {
      // WebDriver's clear does not fire `input`, so a Vue model would keep the old text: empty the
      // field the way the framework listens for.
      await this.exec(
        "const e = arguments[0]; e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));",
        [{ [ELEMENT]: el }],
      );
    }
    await this.cmd('POST', `/element/${el}/value`, { text });
  }

  async text(css) {
    const el = await this.waitCss(css);
    return this.cmd('GET', `/element/${el}/text`);
  }

  async texts(css) {
    const els = await this.findAll(css);
    const out = [];
    for (const el of els) out.push(await this.cmd('GET', `/element/${el}/text`));
    return out;
  }

  exec(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new Error(`${method} ${path}: ${res.status} ${v.error || ''} ${v.message || ''}`.trim());
  }
  return json.value;
}
