// The calculator's page below the answer bar is a <template id="page-body"> in index.html, so
// the first paint lays out only the header and the answer (the charts' captions, the catalog
// form and the rest cost ~70 ms of that paint on a 2-core machine: scripts/web_budget.mjs). The
// boot script places it right after that paint; the page's module places it before it reads any
// of its elements, whichever comes first. No-op once placed.
export function placePageBody(): void {
  const body = document.getElementById('page-body');
  if (body instanceof HTMLTemplateElement) body.replaceWith(body.content);
}

// Resolves once the HTML is parsed (the template is in the document).
export function parsed(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((done) => document.addEventListener('DOMContentLoaded', () => done(), { once: true }));
}
