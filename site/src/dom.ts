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
