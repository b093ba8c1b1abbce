// Tiny DOM helpers. Text always goes in as text nodes (never innerHTML), so catalog names, URL
// values and file contents can never become markup. No inline style attributes (the CSP forbids
// them): styling is by class, and sizes that vary are set through the CSSOM.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'style') throw new Error('inline styles are not allowed under the CSP');
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

// An external link that opens in a new tab without giving the target a handle on this page.
export function externalLink(href: string, text: string): HTMLAnchorElement {
  const safe = /^https?:\/\//i.test(href) ? href : undefined;
  return h('a', { href: safe, target: '_blank', rel: 'noopener noreferrer' }, text);
}

// A catalog figure shown in running text, linked to its public source and as-of date when the
// catalog gives one (a custom catalog may not).
export function sourced(text: string, source: { source: string; as_of: string } | undefined): Node {
  if (!source || !/^https?:\/\//i.test(source.source)) return document.createTextNode(text);
  const link = externalLink(source.source, text);
  link.title = `source, as of ${source.as_of}`;
  return link;
}

// Saves `data` as a file. Blob URLs stay on this page's origin; nothing is uploaded.
export function download(filename: string, type: string, data: BlobPart): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// localStorage can be missing or throw (private windows, third-party iframes): never fatal.
export const storage = {
  get(key: string): string | null {
    try {
      return window.localStorage.getItem(key);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): boolean {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch {
      return false;
    }
  },
  remove(key: string): void {
    try {
      window.localStorage.removeItem(key);
    } catch {
      // nothing stored, nothing to remove
    }
  },
};

// A page that could not start says why in its #loading line.
export function startupFailed(what: string, error: unknown): void {
  const loading = byId('loading');
  loading.textContent = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  loading.classList.add('failed');
  loading.hidden = false;
}

// Makes `target`'s children look like `fresh`'s, touching only what differs: text that changed,
// attributes that changed, subtrees whose shape changed. Renderers build a detached tree each
// time (simple code); this keeps the live DOM, and so the browser's layout work, to the change.
export function patch(target: Element, fresh: Element): void {
  const from = target.childNodes;
  const to = Array.from(fresh.childNodes);
  for (let i = 0; i < to.length; ++i) {
    const want = to[i]!;
    const have = from[i];
    if (!have) {
      target.appendChild(want);
    } else if (have.nodeType !== want.nodeType || have.nodeName !== want.nodeName) {
      target.replaceChild(want, have);
    } else if (have.nodeType === Node.TEXT_NODE) {
      if (have.nodeValue !== want.nodeValue) have.nodeValue = want.nodeValue;
    } else if (have.nodeType === Node.ELEMENT_NODE && !have.isEqualNode(want)) {
      patchAttributes(have as HTMLElement, want as HTMLElement);
      patch(have as Element, want as Element);
    }
  }
  while (from.length > to.length) target.removeChild(target.lastChild!);
}

function patchAttributes(have: HTMLElement, want: HTMLElement): void {
  const wanted = want.attributes;
  for (let i = 0; i < wanted.length; ++i) {
    const { name, value } = wanted[i]!;
    if (name !== 'style' && have.getAttribute(name) !== value) have.setAttribute(name, value);
  }
  const had = have.attributes;
  for (let i = had.length - 1; i >= 0; --i) {
    const name = had[i]!.name;
    if (name !== 'style' && !want.hasAttribute(name)) have.removeAttribute(name);
  }
  // Inline sizes come through the CSSOM (bar widths), never through a style attribute.
  if (want.hasAttribute('style') || have.hasAttribute('style')) {
    const css = want.style.cssText;
    if (have.style.cssText !== css) have.style.cssText = css;
  }
}

// Writes only what changed: an unchanged write still costs the browser a style and layout pass.
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
  if (element.hidden !== hidden) element.hidden = hidden;
}

// Resolves once the element marked elementtiming="<identifier>" is on screen (the browser's
// Element Timing report), or, in a browser that does not report it, a frame and a task later;
// at most limitMs after the call either way. Work after a first answer waits for this, so that
// it does not compete with that answer's paint for a small machine's cores.
export function afterPainted(identifier: string, limitMs = 250): Promise<void> {
  return new Promise((done) => {
    let observer: PerformanceObserver | null = null;
    const finish = () => {
      observer?.disconnect();
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(finish, limitMs);
    if (PerformanceObserver.supportedEntryTypes?.includes('element')) {
      observer = new PerformanceObserver((list) => {
        if (list.getEntries().some((entry) => (entry as PerformanceEntry & { identifier?: string }).identifier === identifier)) finish();
      });
      observer.observe({ type: 'element', buffered: true });
    } else {
      requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(finish, 0)));
    }
  });
}
