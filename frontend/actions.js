/*
 * The buttons inside messages, with one click listener per pane: a message's header buttons
 * (button[data-action]) become pane.$server.messageAction(messageId, action) calls, deleting asks
 * once more first, and a code block's Copy copies in the browser without a round trip.
 *
 * StreamChat.messageActions(list, pane)
 * StreamChat.copy(text, element): the one clipboard helper (with the fallback for pages that are
 *   not a secure context, where navigator.clipboard is missing); marks element data-copied briefly.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});

  StreamChat.copy = function (text, element) {
    const fallback = () => {
      const area = document.createElement('textarea');
      area.value = text;
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).catch(fallback);
    } else {
      fallback();
    }
    if (element) {
      element.setAttribute('data-copied', '');
      setTimeout(() => element.removeAttribute('data-copied'), 1500);
    }
  };

  StreamChat.messageActions = function (list, pane) {
    if (list.__messageActions) return;
    list.__messageActions = true;
    list.addEventListener('click', e => {
      const action = e.target.closest('button[data-action]');
      if (action) {
        if (action.disabled) return;
        // deleting cannot be undone: the first click only asks
        if (action.dataset.action === 'delete-exchange' && !action.classList.contains('confirm')) {
          action.classList.add('confirm');
          action.textContent = 'Delete both?';
          return;
        }
        pane.$server.messageAction(action.closest('.message').dataset.messageId, action.dataset.action);
        return;
      }
      const copyCode = e.target.closest('.copy-code');
      if (copyCode) {
        const code = copyCode.closest('.code-block').querySelector('pre code, pre');
        StreamChat.copy(code.innerText, copyCode);
        copyCode.textContent = 'Copied';
        setTimeout(() => { copyCode.textContent = 'Copy'; }, 1500);
      }
    });
  };

  /** Brings a pane into view and flashes it (the one just asked for in the side list). */
  StreamChat.reveal = function (pane) {
    pane.scrollIntoView({behavior: 'smooth', block: 'nearest', inline: 'nearest'});
    pane.classList.remove('flash');
    void pane.offsetWidth; // restart the animation
    pane.classList.add('flash');
  };
})();
