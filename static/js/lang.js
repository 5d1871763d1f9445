// Legeplan: tell browsers and screen readers the page is in bokmål or nynorsk (WCAG 3.1.1).
// Loaded by ui/components.py document_language() as <script src=… data-lang="nb|nn">: a file from the
// app's own origin, so the proxy's Content-Security-Policy needs no 'unsafe-inline' (docs/drift.md).
(() => {
  const lang = document.currentScript && document.currentScript.dataset.lang;
  if (lang === 'nb' || lang === 'nn') document.documentElement.lang = lang;
})();
