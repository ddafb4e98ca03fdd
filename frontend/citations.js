/*
 * Citation markers in grounded answers: a click on a marker (a.cite-link inside sup.cite) moves
 * to its source in the list under the same answer, focuses that link and marks it briefly, instead
 * of following the fragment link (whose target is ambiguous when several answers have sources).
 * One listener per message list (or per shared page).
 *
 * StreamChat.citations(root)
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});

  StreamChat.citations = function (root) {
    if (root.__citations) return;
    root.__citations = true;
    root.addEventListener('click', e => {
      const marker = e.target.closest('sup.cite a[data-cite]');
      if (!marker || !root.contains(marker)) return;
      const message = marker.closest('.message');
      const item = message && message.querySelector(
        '.sources li[data-source="' + marker.getAttribute('data-cite') + '"]');
      if (!item) return;
      e.preventDefault();
      item.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      const link = item.querySelector('a');
      (link || item).focus({ preventScroll: true });
      item.setAttribute('data-highlight', '');
      setTimeout(() => item.removeAttribute('data-highlight'), 1600);
    });
  };
})();
