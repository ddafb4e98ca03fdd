// Keyboard shortcuts of the chat screen (the "?" sheet, ShortcutsDialog, lists them):
//   Esc                 stop the answer being written (in the pane with focus, else the only one writing)
//   /                   focus the message box (of the pane with focus, else the pane shown)
//   Ctrl/Cmd + K        focus the conversation search (opening the drawer on a narrow screen)
//   Ctrl/Cmd + Shift + O  start a new chat
//   ?                   show the shortcuts
// Each acts by clicking or focusing what a user would, so the server sees an ordinary click.
(() => {
  if (window.__streamchatShortcuts) return;
  window.__streamchatShortcuts = true;

  const typing = target => {
    const el = target && (target.closest ? target : target.parentElement);
    return !!el && !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], '
      + 'vaadin-text-field, vaadin-text-area, vaadin-select, vaadin-combo-box, vaadin-number-field');
  };
  // the element with focus, looking inside shadow roots (Vaadin fields keep their input there)
  const focused = () => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el;
  };
  const visible = el => !!el && el.getClientRects().length > 0;
  // laid out and not hidden (a closed drawer is laid out, but hidden)
  const shown = el => visible(el) && getComputedStyle(el).visibility !== 'hidden';
  const focusedPane = () => {
    const el = document.activeElement;
    return el && el.closest ? el.closest('.pane') : null;
  };
  // the pane a key is about: the one with focus, else the one shown on a narrow screen, else the first
  const pane = () => focusedPane()
    || [...document.querySelectorAll('.pane')].find(p => p.classList.contains('current') && shown(p))
    || [...document.querySelectorAll('.pane')].find(shown);
  const click = selector => {
    const el = document.querySelector(selector);
    if (el) el.click();
    return !!el;
  };

  document.addEventListener('keydown', e => {
    if (!document.querySelector('.chat-view') || e.defaultPrevented || e.isComposing) return;
    // a dialog (the shortcuts sheet, a confirmation) has the keyboard to itself
    if (document.querySelector('vaadin-dialog[opened], vaadin-dialog-overlay[opened]')) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;

    if (mod && !e.shiftKey && !e.altKey && key === 'k') {
      e.preventDefault();
      const search = document.querySelector('.history-search');
      if (document.querySelector('.history.collapsed')) {
        click('.history-toggle'); // a wide screen with the list folded away
      } else if (!shown(search)) {
        click('#menu'); // a narrow screen: the list is a closed drawer
      }
      // the list opens with the server's answer: focus once it is there
      const focusSearch = (tries) => {
        if (shown(search)) search.focus();
        else if (tries > 0) setTimeout(() => focusSearch(tries - 1), 50);
      };
      focusSearch(40);
      return;
    }
    if (mod && e.shiftKey && !e.altKey && key === 'o') {
      e.preventDefault();
      click('#new-chat');
      return;
    }
    if (e.key === 'Escape') {
      // Escape in a field of the list (renaming) is that field's own
      if (focused() && focused().closest && focused().closest('.history') && typing(focused())) return;
      const view = document.querySelector('.chat-view');
      if (view.classList.contains('drawer-open')) {
        click('#menu');
        return;
      }
      const own = focusedPane();
      const stop = own ? own.querySelector('vaadin-button.send.stop')
        : (document.querySelectorAll('vaadin-button.send.stop').length === 1
          ? document.querySelector('vaadin-button.send.stop') : null);
      if (stop) {
        e.preventDefault();
        stop.click();
      }
      return;
    }
    if (mod || e.altKey || typing(focused())) return;
    if (e.key === '/') {
      const target = pane();
      const prompt = target && target.querySelector('.prompt');
      if (prompt) {
        e.preventDefault();
        prompt.focus();
      }
    } else if (e.key === '?') {
      e.preventDefault();
      click('#shortcuts');
    }
  });
})();
