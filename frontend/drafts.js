/*
 * Keeps what is typed in a pane's prompt in the tab's sessionStorage until it is sent, so that
 * a prompt is never lost when the tab's server goes away (it restarts or dies): Vaadin then
 * reloads the page, on another node, and the UI the text lived in is gone. After the reload the
 * pane's prompt is empty; the draft kept here is put back, and the server is told (a change
 * event, as typing does), so Send sends it. Once a prompt is sent and stored the server clears
 * the field, and the draft goes with it.
 *
 * sessionStorage, not localStorage: it belongs to this tab (it survives a reload, not the tab),
 * so two tabs showing the same pane keep their own drafts, and nothing outlives the tab.
 *
 * StreamChat.keepDraft(textArea, key): key names the pane.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});
  const PREFIX = 'streamchat.draft.';

  function read(key) {
    try {
      return sessionStorage.getItem(PREFIX + key);
    } catch (e) {
      return null; // storage disabled: drafts are not kept
    }
  }

  function write(key, value) {
    try {
      if (value) {
        sessionStorage.setItem(PREFIX + key, value);
      } else {
        sessionStorage.removeItem(PREFIX + key);
      }
    } catch (e) {
      // full or disabled: the draft is only in the field, as before
    }
  }

  StreamChat.keepDraft = function (textArea, key) {
    if (textArea.__draftKey === key) return;
    textArea.__draftKey = key;
    const kept = read(key);
    if (kept && !textArea.value) {
      textArea.value = kept;
      textArea.dispatchEvent(new Event('change'));
    }
    // typing (input) and the server's own changes (value-changed: cleared after a send)
    textArea.addEventListener('input', () => write(key, textArea.value));
    textArea.addEventListener('value-changed', () => write(key, textArea.value));
  };
})();
