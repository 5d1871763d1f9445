// Legeplan: a presentation clicker's keys turn the slides (ui/meeting.py clicker_keys()).
// PageDown/→/↓/Space press the button with key data-next, PageUp/←/↑ the one with data-previous; never while
// a text field, slider or list has the focus. A new data-slide scrolls the page to its top.
// Loaded as <script src=… data-…> from the app's own origin: no inline script for the proxy's CSP to allow.
(() => {
  const w = window;
  const data = document.currentScript ? document.currentScript.dataset : null;
  if (!data) return;
  w.__legeplanKeys = {next: data.next, previous: data.previous};
  if (!w.__legeplanKeyListener) {
    w.__legeplanKeyListener = true;
    document.addEventListener('keydown', (e) => {
      const keys = w.__legeplanKeys;
      if (!keys || e.altKey || e.ctrlKey || e.metaKey) return;
      const el = document.activeElement;
      const tag = el ? el.tagName : '';
      // typing, a slider or a list takes its own keys
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el && el.isContentEditable)) return;
      if (el && ['slider', 'listbox', 'option', 'combobox', 'spinbutton'].includes(el.getAttribute('role'))) return;
      if (e.key === ' ' && tag === 'BUTTON') return;  // the focused button's own click
      let which = null;
      if (['PageDown', 'ArrowRight', 'ArrowDown', ' '].includes(e.key)) which = keys.next;
      if (['PageUp', 'ArrowLeft', 'ArrowUp'].includes(e.key)) which = keys.previous;
      if (!which) return;
      const button = document.querySelector('.st-key-' + CSS.escape(which) + ' button');
      if (!button || button.disabled) return;
      e.preventDefault();
      button.click();
    }, true);
  }
  if (w.__legeplanSlide !== data.slide) {  // a new slide starts at its top
    w.__legeplanSlide = data.slide;
    const main = document.querySelector('section.stMain') || document.scrollingElement;
    if (main) main.scrollTo({top: 0});
    window.scrollTo({top: 0});
  }
})();
