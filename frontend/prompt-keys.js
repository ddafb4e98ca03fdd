/*
 * Enter in a prompt sends it (Shift+Enter, and Enter while an input method composes, make a new
 * line). The field's change event goes first, so the value reaches the server the normal way.
 *
 * StreamChat.enterSends(textArea, owner): owner is the component whose $server.submitPrompt(text)
 * sends.
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});

  StreamChat.enterSends = function (textArea, owner) {
    if (textArea.__enterSends) return;
    textArea.__enterSends = true;
    textArea.addEventListener('keydown', e => {
      if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
        e.preventDefault();
        textArea.dispatchEvent(new Event('change'));
        owner.$server.submitPrompt(textArea.value);
      }
    });
  };
})();
