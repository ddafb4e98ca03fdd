/*
 * The shared page (/share/{id}): a plain HTML page without Vaadin, whose answers get the same
 * browser-side rendering as in the chat (render.js: highlight.js for code, KaTeX for math, Mermaid
 * for diagrams). The server's markup is escaped and complete without this; the libraries only
 * decorate it. Loaded with `defer` after them, so the page has been parsed when this runs.
 */
(function () {
  const list = document.querySelector('main.message-list');
  if (list && window.StreamChat && window.StreamChat.renderBlocks) {
    window.StreamChat.renderBlocks(list);
  }
})();
