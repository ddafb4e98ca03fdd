// Keeps the chat screen as tall as what is visible: when an on-screen keyboard covers part of the
// page without resizing it (iOS Safari), --app-height shrinks to the visual viewport, so the prompt
// and its Send/Stop button stay above the keyboard. Where the browser resizes the layout itself
// (interactive-widget=resizes-content), both heights agree and this changes nothing.
(() => {
  if (window.__streamchatViewport || !window.visualViewport) return;
  window.__streamchatViewport = true;
  const viewport = window.visualViewport;
  let frame = 0;
  const apply = () => {
    frame = 0;
    document.documentElement.style.setProperty('--app-height', `${Math.round(viewport.height)}px`);
    // iOS scrolls the page under the keyboard instead: keep the top of the app in view
    if (window.scrollY !== 0 && viewport.offsetTop === 0) window.scrollTo(0, 0);
  };
  const schedule = () => { if (!frame) frame = requestAnimationFrame(apply); };
  viewport.addEventListener('resize', schedule);
  apply();
})();
