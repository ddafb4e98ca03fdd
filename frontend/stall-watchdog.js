/*
 * A push can get stuck on the server until the browser next sends something
 * (vaadin/flow#20837). While an answer streams in a pane but nothing in it changed for a while,
 * ask the server once (pane.$server.catchUp()); its reply carries whatever was held back.
 *
 * StreamChat.watchStalls(pane, stallMillis)
 */
(function () {
  const StreamChat = (window.StreamChat = window.StreamChat || {});

  StreamChat.watchStalls = function (pane, stallMillis) {
    if (pane.__stallWatch) return;
    pane.__stallWatch = true;
    let lastChange = Date.now();
    new MutationObserver(() => { lastChange = Date.now(); })
        .observe(pane.querySelector('.messages'), {childList: true, subtree: true, characterData: true});
    const watchdog = setInterval(() => {
      if (!pane.isConnected) {
        clearInterval(watchdog);
        pane.__stallWatch = false;
        return;
      }
      if (Date.now() - lastChange > stallMillis && pane.querySelector('.message.streaming')) {
        lastChange = Date.now();
        pane.$server.catchUp();
      }
    }, 500);
  };
})();
